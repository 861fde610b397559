import ModelC

/// Flatten and Reshape: the values stay in the same order, only the shape changes.
/// x: [B, in...] → y: [B, out...] with the same per-sample size.
final class CopyLayer: LayerBase, RuntimeLayer {
    init(_ blueprint: LayerBlueprint) {
        super.init(name: blueprint.name, inputShape: blueprint.inputShape, outputShape: blueprint.outputShape)
    }

    var parameters: [Parameter] { [] }

    func forward(_ input: Buffer, _ pass: Pass) {
        self.input = input
        output.copy(from: input, count: pass.batch * inputSize)
    }

    func backward(_ outputGradient: Buffer, _ pass: Pass, computeInputGradient: Bool) {
        if computeInputGradient { inputGradient.copy(from: outputGradient, count: pass.batch * inputSize) }
    }
}

/// Activation: y = f(x) elementwise (softmax over the last axis). x, y: [B, ..., C].
final class ActivationLayer: LayerBase, ActivatedLayer {
    let activation: Activation
    let width: Int
    var outputGradientIsPreactivation = false

    /// z is this layer's input.
    var preactivation: Buffer { input }

    init(_ blueprint: LayerBlueprint) {
        activation = blueprint.arguments.activation("activation")
        width = blueprint.inputShape.last ?? 1
        super.init(name: blueprint.name, inputShape: blueprint.inputShape, outputShape: blueprint.outputShape)
    }

    var parameters: [Parameter] { [] }

    func forward(_ input: Buffer, _ pass: Pass) {
        self.input = input
        pass.forEachChunk { samples, _ in
            let offset = samples.lowerBound * inputSize
            ActivationKernels.forward(activation, z: input.at(offset), y: output.at(offset), count: samples.count * inputSize, width: width)
        }
    }

    func backward(_ outputGradient: Buffer, _ pass: Pass, computeInputGradient: Bool) {
        guard computeInputGradient else { return }
        let activation = outputGradientIsPreactivation ? .linear : activation
        pass.forEachChunk { samples, _ in
            let offset = samples.lowerBound * inputSize
            ActivationKernels.backward(activation, z: input.at(offset), y: output.at(offset), dy: outputGradient.at(offset),
                                       dz: inputGradient.at(offset), count: samples.count * inputSize, width: width)
        }
    }
}

/// RepeatVector: x: [B, F] → y: [B, n, F]; dx = Σ_n dy.
final class RepeatVectorLayer: LayerBase, RuntimeLayer {
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

    func backward(_ outputGradient: Buffer, _ pass: Pass, computeInputGradient: Bool) {
        guard computeInputGradient else { return }
        pass.forEachChunk { samples, _ in
            for sample in samples {
                let dx = inputGradient.at(sample * inputSize)
                dx.update(repeating: 0, count: inputSize)
                for step in 0..<repeats {
                    let dy = outputGradient.at(sample * outputSize + step * inputSize)
                    for i in 0..<inputSize { dx[i] += dy[i] }
                }
            }
        }
    }
}
