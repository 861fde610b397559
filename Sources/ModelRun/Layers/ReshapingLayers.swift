import ModelC

/// Flatten and Reshape: the values stay in the same order, only the shape changes.
/// x: [B, in...] → y: [B, out...] with the same per-sample size.
final class CopyLayer: LayerBase, SingleInputLayer {
    init(_ blueprint: LayerBlueprint) {
        super.init(name: blueprint.name, inputShape: blueprint.inputShape, outputShape: blueprint.outputShape)
    }

    var parameters: [Parameter] { [] }

    func forward(_ input: Buffer, _ pass: Pass) {
        self.input = input
        output.copy(from: input, count: pass.batch * inputSize)
    }

    func backward(_ outputGradient: Buffer, _ pass: Pass, inputGradient: Buffer?) {
        guard let inputGradient else { return }
        pass.forEachChunk { samples, _ in
            let offset = samples.lowerBound * inputSize
            Elementwise.add(outputGradient.at(offset), into: inputGradient.at(offset), count: samples.count * inputSize)
        }
    }
}

/// Activation: y = f(x) elementwise (softmax over the last axis). x, y: [B, ..., C].
final class ActivationLayer: LayerBase, ActivatedLayer {
    let activation: Activation
    let width: Int
    var outputGradientIsPreactivation = false
    var logitGradient: Buffer?
    /// dL/dz before it is added into dL/dx.
    var preactivationGradient = Buffer(count: 0)

    /// z is this layer's input.
    var preactivation: Buffer { input }

    init(_ blueprint: LayerBlueprint) {
        activation = blueprint.arguments.activation("activation")
        width = blueprint.inputShape.last ?? 1
        super.init(name: blueprint.name, inputShape: blueprint.inputShape, outputShape: blueprint.outputShape)
    }

    var parameters: [Parameter] { [] }

    override func reserveWorkspaces(capacity: Int) {
        preactivationGradient = Buffer(count: capacity * inputSize)
    }

    func forward(_ input: Buffer, _ pass: Pass) {
        self.input = input
        pass.forEachChunk { samples, _ in
            let offset = samples.lowerBound * inputSize
            ActivationKernels.forward(activation, z: input.at(offset), y: output.at(offset), count: samples.count * inputSize, width: width)
        }
    }

    func backward(_ outputGradient: Buffer, _ pass: Pass, inputGradient: Buffer?) {
        guard let inputGradient else { return }
        let activation = outputGradientIsPreactivation ? .linear : activation
        pass.forEachChunk { samples, _ in
            let offset = samples.lowerBound * inputSize, count = samples.count * inputSize
            let dz = preactivationGradient.at(offset)
            ActivationKernels.backward(activation, z: input.at(offset), y: output.at(offset), dy: outputGradient.at(offset),
                                       dz: dz, count: count, width: width)
            if let logitGradient { Elementwise.add(logitGradient.at(offset), into: dz, count: count) }
            Elementwise.add(dz, into: inputGradient.at(offset), count: count)
        }
    }
}

/// RepeatVector: x: [B, F] → y: [B, n, F]; dx = Σ_n dy.
final class RepeatVectorLayer: LayerBase, SingleInputLayer {
    let repeats: Int

    init(_ blueprint: LayerBlueprint) {
        repeats = blueprint.arguments.int("n")
        super.init(name: blueprint.name, inputShape: blueprint.inputShape, outputShape: blueprint.outputShape)
    }

    var parameters: [Parameter] { [] }

    func forward(_ input: Buffer, _ pass: Pass) {
        self.input = input
        pass.forEachChunk { samples, _ in
            for sample in samples {
                for step in 0..<repeats {
                    output.at(sample * outputSize + step * inputSize).update(from: input.at(sample * inputSize), count: inputSize)
                }
            }
        }
    }

    func backward(_ outputGradient: Buffer, _ pass: Pass, inputGradient: Buffer?) {
        guard let inputGradient else { return }
        pass.forEachChunk { samples, _ in
            for sample in samples {
                // dx += Σ_n dy
                let dx = inputGradient.at(sample * inputSize)
                for step in 0..<repeats {
                    let dy = outputGradient.at(sample * outputSize + step * inputSize)
                    for i in 0..<inputSize { dx[i] += dy[i] }
                }
            }
        }
    }
}
