import Foundation
import ModelC

/// Keras's initializers (tf_keras 2.x definitions), drawn from modelc's own random streams: the
/// distributions are Keras's, the numbers are not TensorFlow's.
public enum Initializers {
    /// Fills every parameter from `seed`; each parameter draws from its own stream, named by the
    /// parameter, so adding a layer does not change another layer's initial weights.
    public static func initialize(_ network: Network, seed: UInt64) {
        for parameter in network.parameters {
            var random = RandomSource(seed: seed, path: [streamID(parameter.name)])
            fill(parameter.value, shape: parameter.shape, initializer: parameter.initializer, random: &random)
        }
        // LSTM's unit_forget_bias: the forget gate's bias starts at 1 (Keras's i, f, c, o order).
        for layer in network.model.layers {
            for (prefix, arguments) in lstmLayers(layer.descriptor, layer.arguments, layer.inner, prefix: "") {
                guard arguments.bool("unit_forget_bias"), arguments.bool("use_bias"),
                      let bias = network.parameters.first(where: { $0.name == "\(layer.name)/\(prefix)bias" }) else { continue }
                let units = arguments.int("units")
                bias.value.at(units).update(repeating: 1, count: units)
            }
        }
    }

    /// The LSTMs in a layer and its wrapped layers, with their weight-name prefix (`forward/` inside a
    /// Bidirectional; TimeDistributed adds none).
    static func lstmLayers(_ descriptor: LayerDescriptor, _ arguments: ResolvedArguments, _ inner: TypedInnerLayer?,
                           prefix: String) -> [(String, ResolvedArguments)] {
        if descriptor.kind == .lstm { return [(prefix, arguments)] }
        guard let inner else { return [] }
        if descriptor.kind == .bidirectional {
            return ["forward/", "backward/"].flatMap { lstmLayers(inner.descriptor, inner.arguments, inner.inner, prefix: prefix + $0) }
        }
        return lstmLayers(inner.descriptor, inner.arguments, inner.inner, prefix: prefix)
    }

    /// Keras's fan-in and fan-out: 1-D [n] → (n, n); 2-D [in, out]; N-D → receptive field × the last two.
    static func fans(_ shape: [Int]) -> (fanIn: Double, fanOut: Double) {
        switch shape.count {
        case 0: return (1, 1)
        case 1: return (Double(shape[0]), Double(shape[0]))
        case 2: return (Double(shape[0]), Double(shape[1]))
        default:
            let receptive = Double(shape.dropLast(2).reduce(1, *))
            return (Double(shape[shape.count - 2]) * receptive, Double(shape[shape.count - 1]) * receptive)
        }
    }

    static func fill(_ buffer: Buffer, shape: [Int], initializer: String, random: inout RandomSource) {
        let count = buffer.count
        let (fanIn, fanOut) = fans(shape)
        func varianceScaling(scale: Double, fan: Double, uniform: Bool) {
            let s = scale / max(1, fan)
            if uniform {
                let limit = (3 * s).squareRoot()
                for i in 0..<count { buffer[i] = Float((random.nextUnitDouble() * 2 - 1) * limit) }
            } else {
                // Keras truncates at two standard deviations and rescales by the truncated stddev.
                let stddev = s.squareRoot() / 0.87962566103423978
                for i in 0..<count { buffer[i] = Float(truncatedNormal(&random) * stddev) }
            }
        }
        switch initializer {
        case "zeros": buffer.zero()
        case "ones": buffer.base.update(repeating: 1, count: count)
        case "uniform", "random_uniform":
            for i in 0..<count { buffer[i] = Float(random.nextUnitDouble() * 0.1 - 0.05) }
        case "random_normal":
            for i in 0..<count { buffer[i] = Float(random.nextNormal() * 0.05) }
        case "truncated_normal":
            for i in 0..<count { buffer[i] = Float(truncatedNormal(&random) * 0.05) }
        case "glorot_uniform": varianceScaling(scale: 1, fan: (fanIn + fanOut) / 2, uniform: true)
        case "glorot_normal": varianceScaling(scale: 1, fan: (fanIn + fanOut) / 2, uniform: false)
        case "he_uniform": varianceScaling(scale: 2, fan: fanIn, uniform: true)
        case "he_normal": varianceScaling(scale: 2, fan: fanIn, uniform: false)
        case "lecun_uniform": varianceScaling(scale: 1, fan: fanIn, uniform: true)
        case "lecun_normal": varianceScaling(scale: 1, fan: fanIn, uniform: false)
        case "identity":
            buffer.zero()
            let rows = shape[0], columns = shape.count > 1 ? shape[1] : 1
            for i in 0..<min(rows, columns) { buffer[i * columns + i] = 1 }
        case "orthogonal":
            orthogonal(buffer, shape: shape, random: &random)
        default:
            preconditionFailure("initializer \(initializer) is not in the catalogue")
        }
    }

    /// A standard normal draw kept within two standard deviations.
    static func truncatedNormal(_ random: inout RandomSource) -> Double {
        while true {
            let value = random.nextNormal()
            if abs(value) <= 2 { return value }
        }
    }

    /// Keras's Orthogonal(gain 1): QR of a normal matrix shaped (max(r, c), min(r, c)) where
    /// r = prod(shape[:-1]), c = shape[-1]; Q's columns sign-corrected by R's diagonal, transposed
    /// when r < c.
    static func orthogonal(_ buffer: Buffer, shape: [Int], random: inout RandomSource) {
        let columns = shape.last ?? 1
        let rows = shape.dropLast().reduce(1, *)
        let tall = max(rows, columns), wide = min(rows, columns)
        var a = (0..<(tall * wide)).map { _ in random.nextNormal() }
        let q = householderQ(&a, rows: tall, columns: wide)
        for r in 0..<rows {
            for c in 0..<columns {
                buffer[r * columns + c] = Float(rows < columns ? q[c * wide + r] : q[r * wide + c])
            }
        }
    }

    /// Q (rows × columns, row-major) of the thin QR factorization of `a`, with Q's columns scaled by
    /// the signs of R's diagonal so that the result does not depend on Householder sign choices.
    static func householderQ(_ a: inout [Double], rows: Int, columns: Int) -> [Double] {
        var reflectors: [[Double]] = []
        var diagonal: [Double] = []
        for k in 0..<columns {
            var v = (k..<rows).map { a[$0 * columns + k] }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let alpha = v[0] >= 0 ? -norm : norm
            v[0] -= alpha
            let vNorm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if vNorm > 0 { v = v.map { $0 / vNorm } }
            for j in k..<columns {
                var dot = 0.0
                for i in k..<rows { dot += v[i - k] * a[i * columns + j] }
                for i in k..<rows { a[i * columns + j] -= 2 * v[i - k] * dot }
            }
            reflectors.append(v)
            diagonal.append(a[k * columns + k])
        }
        // Q = H_0 · H_1 ⋯ H_{n-1} applied to the first `columns` columns of the identity.
        var q = [Double](repeating: 0, count: rows * columns)
        for i in 0..<columns { q[i * columns + i] = 1 }
        for k in stride(from: columns - 1, through: 0, by: -1) {
            let v = reflectors[k]
            for j in 0..<columns {
                var dot = 0.0
                for i in k..<rows { dot += v[i - k] * q[i * columns + j] }
                for i in k..<rows { q[i * columns + j] -= 2 * v[i - k] * dot }
            }
        }
        for j in 0..<columns where diagonal[j] < 0 {
            for i in 0..<rows { q[i * columns + j] = -q[i * columns + j] }
        }
        return q
    }
}
