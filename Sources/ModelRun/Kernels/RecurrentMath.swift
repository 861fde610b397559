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

    /// tanh(x) ≈ x·P(x²)/Q(x²) on x clamped to [-9, 9] (beyond which tanh rounds to ±1): a
    /// rational fit of degrees 4 and 4 in x², fitted for this project by iterated weighted least
    /// squares on relative error (within 3.5e-7 of tanh over all floats). Odd, exact for tiny x
    /// (P(0) = Q(0) = 1), one division, and a third of the work of the exp-based form.
    @inline(__always) static func tanh(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x, -9), 9)
        let s = clamped * clamped
        var p: Float = 1.335_488_2e-8
        p = p * s + 2.060_926_8e-5
        p = p * s + 3.495_600_8e-3
        p = p * s + 1.338_103_7e-1
        p = p * s + 1
        var q: Float = 7.776_656e-7
        q = q * s + 3.285_654_5e-4
        q = q * s + 2.587_703_2e-2
        q = q * s + 4.671_435_4e-1
        q = q * s + 1
        return clamped * p / q
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
