import ModelC

/// Builds the pooling layers.
enum PoolingLayers {
    static func make(_ blueprint: LayerBlueprint) throws(NetworkError) -> RuntimeLayer {
        switch blueprint.descriptor.kind {
        case .maxPooling1D: WindowPooling1DLayer(blueprint, maximum: true)
        case .averagePooling1D: WindowPooling1DLayer(blueprint, maximum: false)
        case .globalMaxPooling1D: GlobalPooling1DLayer(blueprint, maximum: true)
        case .globalAveragePooling1D: GlobalPooling1DLayer(blueprint, maximum: false)
        default: throw NetworkError("\(blueprint.descriptor.className) is not a pooling layer")
        }
    }
}

/// MaxPooling1D and AveragePooling1D, as tf.nn.max_pool / avg_pool compute them: windows of
/// pool_size steps every `strides` steps with TensorFlow's SAME or VALID padding. Padding never
/// wins a maximum and is left out of an average's count.
/// x: [B, L, C] → y: [B, L', C]. Backward: a maximum routes dy to the first step holding it (as
/// TensorFlow's MaxPoolGrad does); an average spreads dy / count over its window.
final class WindowPooling1DLayer: LayerBase, SingleInputLayer {
    let maximum: Bool
    let geometry: WindowGeometry
    let channels: Int

    init(_ blueprint: LayerBlueprint, maximum: Bool) {
        self.maximum = maximum
        let pool = blueprint.arguments.int("pool_size")
        geometry = WindowGeometry(padding: blueprint.arguments.string("padding"), inputLength: blueprint.inputShape[0],
                                  window: pool, stride: blueprint.arguments.optionalInt("strides") ?? pool)
        channels = blueprint.inputShape[1]
        precondition(geometry.outputLength == blueprint.outputShape[0],
                     "\(blueprint.name): pooled length disagrees with the catalogue's shape rule")
        super.init(name: blueprint.name, inputShape: blueprint.inputShape, outputShape: blueprint.outputShape)
    }

    var parameters: [Parameter] { [] }

    /// The first step of window `position` holding the maximum of channel `c`. x: [L, C]
    @inline(__always) func firstMaximum(_ x: UnsafePointer<Float>, _ position: Int, _ c: Int) -> Int {
        let taps = geometry.validTaps(position)
        var best = geometry.inputStep(position, taps.lowerBound)
        var largest = x[best * channels + c]
        for tap in taps.dropFirst() {
            let step = geometry.inputStep(position, tap)
            if x[step * channels + c] > largest {
                largest = x[step * channels + c]
                best = step
            }
        }
        return best
    }

    func forward(_ input: Buffer, _ pass: Pass) {
        self.input = input
        pass.forEachChunk { samples, _ in
            for sample in samples {
                let x = UnsafePointer(input.at(sample * inputSize)), y = output.at(sample * outputSize)
                for position in 0..<geometry.outputLength {
                    let yp = y + position * channels
                    if maximum {
                        for c in 0..<channels { yp[c] = x[firstMaximum(x, position, c) * channels + c] }
                    } else {
                        let taps = geometry.validTaps(position)
                        yp.update(repeating: 0, count: channels)
                        for tap in taps {
                            let xs = x + geometry.inputStep(position, tap) * channels
                            for c in 0..<channels { yp[c] += xs[c] }
                        }
                        let count = Float(taps.count)
                        for c in 0..<channels { yp[c] /= count }
                    }
                }
            }
        }
    }

    func backward(_ outputGradient: Buffer, _ pass: Pass, inputGradient: Buffer?) {
        guard let inputGradient else { return }
        pass.forEachChunk { samples, _ in
            for sample in samples {
                let x = UnsafePointer(input.at(sample * inputSize)), dy = outputGradient.at(sample * outputSize)
                let dx = inputGradient.at(sample * inputSize)
                for position in 0..<geometry.outputLength {
                    let dyp = dy + position * channels
                    if maximum {
                        // Overlapping windows (strides < pool_size) add up at a shared maximum.
                        for c in 0..<channels { dx[firstMaximum(x, position, c) * channels + c] += dyp[c] }
                    } else {
                        let taps = geometry.validTaps(position)
                        let share = 1 / Float(taps.count)
                        for tap in taps {
                            let dxs = dx + geometry.inputStep(position, tap) * channels
                            for c in 0..<channels { dxs[c] += dyp[c] * share }
                        }
                    }
                }
            }
        }
    }
}

/// GlobalMaxPooling1D and GlobalAveragePooling1D over the time axis. x: [B, L, C] → y: [B, C] or
/// [B, 1, C] with keepdims (the same values). Backward follows tf.reduce_max's gradient, which
/// splits dy equally among steps tied at the maximum, and the mean's, dy / L to every step.
final class GlobalPooling1DLayer: LayerBase, SingleInputLayer {
    let maximum: Bool
    let length: Int
    let channels: Int

    init(_ blueprint: LayerBlueprint, maximum: Bool) {
        self.maximum = maximum
        length = blueprint.inputShape[0]
        channels = blueprint.inputShape[1]
        super.init(name: blueprint.name, inputShape: blueprint.inputShape, outputShape: blueprint.outputShape)
    }

    var parameters: [Parameter] { [] }

    func forward(_ input: Buffer, _ pass: Pass) {
        self.input = input
        pass.forEachChunk { samples, _ in
            for sample in samples {
                let x = input.at(sample * inputSize), y = output.at(sample * channels)
                y.update(from: x, count: channels)
                for step in 1..<max(length, 1) {
                    let xs = x + step * channels
                    if maximum {
                        for c in 0..<channels where xs[c] > y[c] { y[c] = xs[c] }
                    } else {
                        for c in 0..<channels { y[c] += xs[c] }
                    }
                }
                if !maximum {
                    let count = Float(length)
                    for c in 0..<channels { y[c] /= count }
                }
            }
        }
    }

    func backward(_ outputGradient: Buffer, _ pass: Pass, inputGradient: Buffer?) {
        guard let inputGradient else { return }
        pass.forEachChunk { samples, _ in
            for sample in samples {
                let x = input.at(sample * inputSize), y = output.at(sample * channels)
                let dy = outputGradient.at(sample * channels), dx = inputGradient.at(sample * inputSize)
                if maximum {
                    for c in 0..<channels {
                        var ties = 0
                        for step in 0..<length where x[step * channels + c] == y[c] { ties += 1 }
                        let share = dy[c] / Float(max(ties, 1))
                        for step in 0..<length where x[step * channels + c] == y[c] { dx[step * channels + c] += share }
                    }
                } else {
                    let share = 1 / Float(length)
                    for step in 0..<length {
                        for c in 0..<channels { dx[step * channels + c] += dy[c] * share }
                    }
                }
            }
        }
    }
}
