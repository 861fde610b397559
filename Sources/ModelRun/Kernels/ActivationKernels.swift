import Foundation
import ModelC

/// Keras's activation functions and their derivatives, elementwise (softmax: over rows of `width`).
public enum ActivationKernels {
    static let seluAlpha: Float = 1.6732632423543772848170429916717
    static let seluScale: Float = 1.0507009873554804934193349852946

    /// y = f(z) for `count` values; z and y may be the same memory.
    /// z, y: [count / width, width]
    public static func forward(_ activation: Activation, z: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
                               count: Int, width: Int) {
        switch activation {
        case .linear:
            if UnsafePointer(y) != z { y.update(from: z, count: count) }
        case .relu:
            for i in 0..<count { y[i] = max(z[i], 0) }
        case .tanh:
            for i in 0..<count { y[i] = tanhf(z[i]) }
        case .sigmoid:
            for i in 0..<count { y[i] = sigmoid(z[i]) }
        case .hard_sigmoid:
            for i in 0..<count { y[i] = min(max(0.2 * z[i] + 0.5, 0), 1) }
        case .softmax:
            softmaxRows(z: z, y: y, count: count, width: width)
        case .elu:
            for i in 0..<count { y[i] = z[i] > 0 ? z[i] : expm1f(z[i]) }
        case .selu:
            for i in 0..<count { y[i] = z[i] > 0 ? seluScale * z[i] : seluScale * seluAlpha * expm1f(z[i]) }
        case .softplus:
            for i in 0..<count { y[i] = softplus(z[i]) }
        case .softsign:
            for i in 0..<count { y[i] = z[i] / (abs(z[i]) + 1) }
        case .swish:
            for i in 0..<count { y[i] = z[i] * sigmoid(z[i]) }
        case .gelu:
            for i in 0..<count { y[i] = 0.5 * z[i] * (1 + erff(z[i] * 0.70710678118654752440)) }
        case .exponential:
            for i in 0..<count { y[i] = expf(z[i]) }
        }
    }

    /// dz = dy ⊙ f'(z) (softmax: the row Jacobian times dy). dz may alias dy.
    /// z, y, dy, dz: [count / width, width]
    public static func backward(_ activation: Activation, z: UnsafePointer<Float>, y: UnsafePointer<Float>,
                                dy: UnsafePointer<Float>, dz: UnsafeMutablePointer<Float>, count: Int, width: Int) {
        switch activation {
        case .linear:
            if UnsafePointer(dz) != dy { dz.update(from: dy, count: count) }
        case .relu:
            for i in 0..<count { dz[i] = z[i] > 0 ? dy[i] : 0 }
        case .tanh:
            for i in 0..<count { dz[i] = dy[i] * (1 - y[i] * y[i]) }
        case .sigmoid:
            for i in 0..<count { dz[i] = dy[i] * y[i] * (1 - y[i]) }
        case .hard_sigmoid:
            // TensorFlow's clip passes the gradient inside the closed interval.
            for i in 0..<count {
                let t = 0.2 * z[i] + 0.5
                dz[i] = (t >= 0 && t <= 1) ? 0.2 * dy[i] : 0
            }
        case .softmax:
            var row = 0
            while row < count {
                var dot: Float = 0
                for j in 0..<width { dot += dy[row + j] * y[row + j] }
                for j in 0..<width { dz[row + j] = y[row + j] * (dy[row + j] - dot) }
                row += width
            }
        case .elu:
            for i in 0..<count { dz[i] = z[i] > 0 ? dy[i] : dy[i] * (y[i] + 1) }
        case .selu:
            for i in 0..<count { dz[i] = z[i] > 0 ? dy[i] * seluScale : dy[i] * (y[i] + seluScale * seluAlpha) }
        case .softplus:
            for i in 0..<count { dz[i] = dy[i] * sigmoid(z[i]) }
        case .softsign:
            for i in 0..<count {
                let d = abs(z[i]) + 1
                dz[i] = dy[i] / (d * d)
            }
        case .swish:
            for i in 0..<count {
                let s = sigmoid(z[i])
                dz[i] = dy[i] * (s + z[i] * s * (1 - s))
            }
        case .gelu:
            for i in 0..<count {
                let x = z[i]
                let cdf = 0.5 * (1 + erff(x * 0.70710678118654752440))
                let pdf = expf(-0.5 * x * x) * 0.39894228040143267794
                dz[i] = dy[i] * (cdf + x * pdf)
            }
        case .exponential:
            for i in 0..<count { dz[i] = dy[i] * y[i] }
        }
    }

    /// True when backward reads z (so a layer must keep the pre-activation values).
    public static func backwardNeedsPreactivation(_ activation: Activation) -> Bool {
        switch activation {
        case .linear, .tanh, .sigmoid, .softmax, .exponential: false
        default: true
        }
    }

    @inline(__always) public static func sigmoid(_ x: Float) -> Float { 1 / (1 + expf(-x)) }

    /// log(1 + exp(x)) without overflow.
    @inline(__always) static func softplus(_ x: Float) -> Float {
        x > 20 ? x : (x < -20 ? expf(x) : log1pf(expf(x)))
    }

    static func softmaxRows(z: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, count: Int, width: Int) {
        var row = 0
        while row < count {
            var largest = -Float.infinity
            for j in 0..<width { largest = max(largest, z[row + j]) }
            var sum: Float = 0
            for j in 0..<width {
                let e = expf(z[row + j] - largest)
                y[row + j] = e
                sum += e
            }
            let inverse = 1 / sum
            for j in 0..<width { y[row + j] *= inverse }
            row += width
        }
    }
}
