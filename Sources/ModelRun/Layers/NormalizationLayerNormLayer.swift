import ModelC

/// Keras's LayerNormalization: per sample and group, x̂ = (x - mean) / √(var + ε) over the feature
/// axes (biased variance, ε inside the root), then y = x̂·gamma + beta per feature.
/// x, y, x̂: [B, groups, features] through `axes.positions`; gamma, beta: the feature axes' sizes.
/// Every statistic belongs to one sample, so chunks never share work.
final class LayerNormalizationLayer: LayerBase, SingleInputLayer {
    let gamma: Parameter?
    let beta: Parameter?
    let axes: NormalizationAxes
    let epsilon: Float
    /// x̂ of the last forward: [B, inputSize]
    var normalized = Buffer(count: 0)
    /// 1 / √(var + ε) per sample and group: [B, groups]
    var inverseDeviation = Buffer(count: 0)

    init(_ blueprint: LayerBlueprint) {
        gamma = blueprint.optionalParameter("gamma")
        beta = blueprint.optionalParameter("beta")
        axes = NormalizationAxes(sampleShape: blueprint.inputShape, axes: blueprint.arguments.ints("axis"))
        epsilon = Float(blueprint.arguments.float("epsilon"))
        super.init(name: blueprint.name, inputShape: blueprint.inputShape, outputShape: blueprint.outputShape)
    }

    var parameters: [Parameter] { [gamma, beta].compactMap { $0 } }

    override func reserveWorkspaces(capacity: Int) {
        normalized = Buffer(count: capacity * inputSize)
        inverseDeviation = Buffer(count: capacity * axes.groupCount)
    }

    func forward(_ input: Buffer, _ pass: Pass) {
        self.input = input
        let features = axes.featureCount, count = Double(features)
        pass.forEachChunk { samples, _ in
            axes.positions.withUnsafeBufferPointer { positions in
                for sample in samples {
                    let x = input.at(sample * inputSize), y = output.at(sample * inputSize)
                    let xhat = normalized.at(sample * inputSize)
                    for g in 0..<axes.groupCount {
                        let at = positions.baseAddress! + g * features
                        var sum = 0.0
                        for f in 0..<features { sum += Double(x[at[f]]) }
                        let mean = Float(sum / count)
                        var squares = 0.0
                        for f in 0..<features {
                            let d = Double(x[at[f]]) - Double(mean)
                            squares += d * d
                        }
                        let inverse = 1 / (Float(squares / count) + epsilon).squareRoot()
                        inverseDeviation[sample * axes.groupCount + g] = inverse
                        for f in 0..<features {
                            let i = at[f]
                            xhat[i] = (x[i] - mean) * inverse
                            y[i] = xhat[i] * (gamma?.value[f] ?? 1) + (beta?.value[f] ?? 0)
                        }
                    }
                }
            }
        }
    }

    func backward(_ outputGradient: Buffer, _ pass: Pass, inputGradient: Buffer?) {
        let features = axes.featureCount, count = Float(features)
        pass.forEachChunk { samples, chunk in
            let dgamma = gamma.flatMap { $0.trainable ? $0.gradient(chunk: chunk) : nil }
            let dbeta = beta.flatMap { $0.trainable ? $0.gradient(chunk: chunk) : nil }
            axes.positions.withUnsafeBufferPointer { positions in
                for sample in samples {
                    let dy = outputGradient.at(sample * inputSize), dx = inputGradient?.at(sample * inputSize)
                    let xhat = normalized.at(sample * inputSize)
                    for g in 0..<axes.groupCount {
                        let at = positions.baseAddress! + g * features
                        // dx̂ = dy·gamma; dx = (dx̂ - mean(dx̂) - x̂·mean(dx̂·x̂)) / √(var + ε)
                        var sumD: Float = 0, sumDX: Float = 0
                        for f in 0..<features {
                            let i = at[f]
                            dgamma?[f] += dy[i] * xhat[i]
                            dbeta?[f] += dy[i]
                            let d = dy[i] * (gamma?.value[f] ?? 1)
                            sumD += d
                            sumDX += d * xhat[i]
                        }
                        guard let dx else { continue }
                        let meanD = sumD / count, meanDX = sumDX / count
                        let inverse = inverseDeviation[sample * axes.groupCount + g]
                        for f in 0..<features {
                            let i = at[f]
                            dx[i] += inverse * (dy[i] * (gamma?.value[f] ?? 1) - meanD - xhat[i] * meanDX)
                        }
                    }
                }
            }
        }
    }
}
