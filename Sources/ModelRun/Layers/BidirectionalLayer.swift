import ModelC

/// Bidirectional: a forward copy of the wrapped RNN and a copy with go_backwards flipped, both on
/// the same input, merged as Keras merges them. With return_sequences the backward copy's output
/// (in its processing order) is reversed in time first, so position t of both refers to input
/// timestep t. x: [B, T, F] → y: [B, (T,) u] (sum, mul, ave) or [B, (T,) 2u] (concat, forward first).
/// Weights: `forward/…` then `backward/…`, each the wrapped layer's own.
final class BidirectionalLayer: LayerBase, SingleInputLayer {
    enum Merge: String { case concat, sum, mul, ave }

    let forwardLayer: RecurrentLayer
    let backwardLayer: RecurrentLayer
    let merge: Merge
    /// Output steps per sample (T with return_sequences, else 1) and the inner width u.
    let steps: Int
    let units: Int
    /// dL/dy of each direction, [capacity, steps, u].
    var forwardGradient = Buffer(count: 0)
    var backwardGradient = Buffer(count: 0)

    init(_ blueprint: LayerBlueprint) throws(NetworkError) {
        guard let inner = blueprint.inner else { throw NetworkError("\(blueprint.name) has no wrapped layer") }
        guard let merge = blueprint.arguments.optionalString("merge_mode").flatMap(Merge.init(rawValue:)) else {
            throw NetworkError("\(blueprint.name) needs merge_mode concat, sum, mul or ave")
        }
        self.merge = merge
        func direction(_ prefix: String) -> [String: Parameter] {
            var renamed: [String: Parameter] = [:]
            for (key, parameter) in blueprint.parameters where key.hasPrefix(prefix + "/") {
                renamed[String(key.dropFirst(prefix.count + 1))] = parameter
            }
            return renamed
        }
        forwardLayer = try RecurrentLayer(inner.blueprint(name: "\(blueprint.name)/forward", parameters: direction("forward")))
        backwardLayer = try RecurrentLayer(inner.blueprint(name: "\(blueprint.name)/backward", parameters: direction("backward")),
                                           reverseDirection: true)
        units = forwardLayer.units
        steps = forwardLayer.returnSequences ? forwardLayer.timesteps : 1
        super.init(name: blueprint.name, inputShape: blueprint.inputShape, outputShape: blueprint.outputShape)
    }

    var parameters: [Parameter] { forwardLayer.parameters + backwardLayer.parameters }

    override func reserveWorkspaces(capacity: Int) {
        forwardLayer.reserve(capacity: capacity)
        backwardLayer.reserve(capacity: capacity)
        forwardGradient = Buffer(count: capacity * steps * units)
        backwardGradient = Buffer(count: capacity * steps * units)
    }

    /// Offset of the backward copy's output paired with merged position `step` of `sample`.
    @inline(__always) func backwardOffset(_ sample: Int, _ step: Int) -> Int {
        (sample * steps + (steps - 1 - step)) * units
    }

    func forward(_ input: Buffer, _ pass: Pass) {
        self.input = input
        forwardLayer.forward(input, pass)
        backwardLayer.forward(input, pass)
        let forwardOutput = forwardLayer.output, backwardOutput = backwardLayer.output
        pass.forEachChunk { samples, _ in
            for sample in samples {
                for step in 0..<steps {
                    let f = forwardOutput.at((sample * steps + step) * units), b = backwardOutput.at(backwardOffset(sample, step))
                    let width = merge == .concat ? 2 * units : units
                    let y = output.at((sample * steps + step) * width)
                    switch merge {
                    case .concat:
                        y.update(from: f, count: units)
                        (y + units).update(from: b, count: units)
                    case .sum: for j in 0..<units { y[j] = f[j] + b[j] }
                    case .mul: for j in 0..<units { y[j] = f[j] * b[j] }
                    case .ave: for j in 0..<units { y[j] = (f[j] + b[j]) / 2 }
                    }
                }
            }
        }
    }

    func backward(_ outputGradient: Buffer, _ pass: Pass, inputGradient: Buffer?) {
        let forwardOutput = forwardLayer.output, backwardOutput = backwardLayer.output
        pass.forEachChunk { samples, _ in
            for sample in samples {
                for step in 0..<steps {
                    let width = merge == .concat ? 2 * units : units
                    let dy = outputGradient.at((sample * steps + step) * width)
                    let df = forwardGradient.at((sample * steps + step) * units), db = backwardGradient.at(backwardOffset(sample, step))
                    switch merge {
                    case .concat:
                        df.update(from: dy, count: units)
                        db.update(from: dy + units, count: units)
                    case .sum:
                        df.update(from: dy, count: units)
                        db.update(from: dy, count: units)
                    case .ave:
                        for j in 0..<units { df[j] = dy[j] / 2; db[j] = dy[j] / 2 }
                    case .mul:
                        // y = f⊙b: df = dy⊙b, db = dy⊙f
                        let f = forwardOutput.at((sample * steps + step) * units), b = backwardOutput.at(backwardOffset(sample, step))
                        for j in 0..<units { df[j] = dy[j] * b[j]; db[j] = dy[j] * f[j] }
                    }
                }
            }
        }
        // Both directions read x, so both add into dx.
        forwardLayer.backward(forwardGradient, pass, inputGradient: inputGradient)
        backwardLayer.backward(backwardGradient, pass, inputGradient: inputGradient)
    }
}
