import Foundation

/// Keras's `_clip_gradients`, float32 as TensorFlow computes it.
///
/// An Embedding table's gradient reaches Keras as one slice per looked-up token, and Keras clips those
/// slices before summing repeated tokens; here the table's gradient is already summed, which gives the
/// same result unless a token repeats within the batch.
struct GradientClipping {
    enum Mode {
        case none
        /// tf.clip_by_norm per variable: g·c / max(‖g‖, c).
        case norm(Float)
        /// tf.clip_by_global_norm: g·(c·min(1/‖G‖, 1/c)), ‖G‖ over every trainable gradient.
        case global(Float)
        /// tf.clip_by_value to [−c, c].
        case value(Float)
    }

    let mode: Mode

    init(clipnorm: Double?, globalClipnorm: Double?, clipvalue: Double?) {
        if let clipnorm, clipnorm > 0 {
            mode = .norm(Float(clipnorm))
        } else if let globalClipnorm, globalClipnorm > 0 {
            mode = .global(Float(globalClipnorm))
        } else if let clipvalue, clipvalue > 0 {
            mode = .value(Float(clipvalue))
        } else {
            mode = .none
        }
    }

    /// Σ g² of one gradient, rounded to float32 as TensorFlow's float32 reduction returns it.
    static func sumOfSquares(_ gradient: Buffer) -> Float {
        var sum = 0.0
        let g = gradient.base
        for i in 0..<gradient.count { sum += Double(g[i] * g[i]) }
        return Float(sum)
    }

    /// The global-norm scale (nil unless clipping by global norm): the norm is √(2·Σ l2_loss(g)),
    /// l2_loss being Σg²/2, and the scale c·min(1/‖G‖, 1/c), NaN when the norm is not finite.
    /// Only trainable variables count.
    func globalScale(_ variables: [Parameter]) -> Float? {
        guard case .global(let limit) = mode else { return nil }
        var halfSquares = 0.0
        for variable in variables where variable.trainable { halfSquares += Double(Self.sumOfSquares(variable.gradient) * 0.5) }
        let norm = (Float(halfSquares) * 2).squareRoot()
        return limit * min(1 / norm, 1 / limit) + (norm - norm)
    }

    /// The gradient to apply: the buffer itself when nothing clips, else its clipped copy in `scratch`.
    func clip(_ gradient: Buffer, count: Int, globalScale: Float?, into scratch: Buffer) -> UnsafePointer<Float> {
        let g = gradient.base
        let out = scratch.base
        switch mode {
        case .none:
            return UnsafePointer(g)
        case .norm(let limit):
            let squares = Self.sumOfSquares(gradient)
            let norm = squares > 0 ? squares.squareRoot() : squares
            let divisor = max(norm, limit)
            for i in 0..<count { out[i] = g[i] * limit / divisor }
        case .global:
            let scale = globalScale ?? 1
            for i in 0..<count { out[i] = g[i] * scale }
        case .value(let limit):
            for i in 0..<count { out[i] = max(min(g[i], limit), -limit) }
        }
        return UnsafePointer(out)
    }
}
