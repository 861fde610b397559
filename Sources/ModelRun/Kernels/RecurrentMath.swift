import ModelC

/// Branch-free float exp, sigmoid and tanh for the recurrent cells' gate loops: no library calls,
/// so loops over them vectorize. Accurate to a few ulp (relative), well inside the 1e-5 the
/// kernels are held to; libm's tanhf alone took a third of an LSTM step.
enum RecurrentMath {
    /// e^x, inputs clamped to [-87, 88] (outputs stay finite and normal).
    @inline(__always) static func exp(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x, -87), 88)
        // n = round(x / ln 2) by the 1.5·2²³ trick; r = x - n·ln 2 in two parts (|r| ≤ ln 2 / 2).
        let shifter: Float = 12_582_912
        let shifted = clamped * 1.442_695_04 + shifter
        let n = shifted - shifter
        let r = (clamped - n * 0.693_359_375) + n * 2.121_944_4e-4
        // e^r ≈ 1 + r + r²·p(r), p the degree-5 minimax fit of (e^r - 1 - r) / r².
        var p: Float = 1.987_569_15e-4
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        let er = p * (r * r) + r + 1
        // 2ⁿ: `shifted`'s low mantissa bits hold n (offset by the shifter's pattern 0x4B40_0000).
        let scale = Float(bitPattern: (shifted.bitPattern &- 0x4B40_0000 &+ 127) &<< 23)
        return er * scale
    }

    @inline(__always) static func sigmoid(_ x: Float) -> Float {
        1 / (1 + exp(-x))
    }

    /// tanh: an odd Taylor polynomial near 0 (where (1 - e)/(1 + e) would cancel), else
    /// ±(1 - e)/(1 + e) with e = e^(-2|x|).
    @inline(__always) static func tanh(_ x: Float) -> Float {
        let magnitude = abs(x)
        let e = exp(-2 * magnitude)
        let large = (1 - e) / (1 + e)
        let x2 = x * x
        // x - x³/3 + 2x⁵/15 - 17x⁷/315 + 62x⁹/2835 - 1382x¹¹/155925, exact to 1e-8 for |x| < 0.25.
        var q: Float = -8.863_235_5e-3
        q = q * x2 + 2.186_948_9e-2
        q = q * x2 - 5.396_825_4e-2
        q = q * x2 + 1.333_333_3e-1
        q = q * x2 - 3.333_333_3e-1
        let small = magnitude + magnitude * x2 * q
        let value = magnitude < 0.25 ? small : large
        return Float(signOf: x, magnitudeOf: value)
    }

    /// y = f(z) over `count` values in blocks of `width` (softmax normalizes each block); sigmoid
    /// and tanh take the fast forms, everything else Keras's reference kernels.
    @inline(__always) static func activate(_ function: Activation, _ z: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                                           count: Int, width: Int) {
        switch function {
        case .sigmoid: for i in 0..<count { y[i] = sigmoid(z[i]) }
        case .tanh: for i in 0..<count { y[i] = tanh(z[i]) }
        default: ActivationKernels.forward(function, z: z, y: y, count: count, width: width)
        }
    }

    /// dy ← dy ⊙ f'(z), in place, from z and y = f(z).
    @inline(__always) static func differentiate(_ function: Activation, _ z: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                                                _ dy: UnsafeMutablePointer<Float>, count: Int, width: Int) {
        switch function {
        case .sigmoid: for i in 0..<count { dy[i] *= y[i] * (1 - y[i]) }
        case .tanh: for i in 0..<count { dy[i] *= 1 - y[i] * y[i] }
        default: ActivationKernels.backward(function, z: z, y: y, dy: dy, dz: dy, count: count, width: width)
        }
    }
}
