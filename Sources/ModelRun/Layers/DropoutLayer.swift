import ModelC

/// Keras's Dropout and SpatialDropout1D: in training each value (Dropout) or each channel of a
/// sample (SpatialDropout1D, shared by all timesteps) is kept with probability 1 - rate and scaled
/// by 1 / (1 - rate); in inference the layer is the identity. x, y: [B, ...]; mask: [B, ...].
final class DropoutLayer: LayerBase, SingleInputLayer {
    let rate: Float
    /// Channels share a mask across timesteps when spatial.
    let spatial: Bool
    let stream: UInt64
    /// The scaled mask of the last training pass (0 or 1/(1-rate)).
    var mask = Buffer(count: 0)
    var lastPassTrained = false

    init(_ blueprint: LayerBlueprint, spatial: Bool) {
        rate = Float(blueprint.arguments.float("rate"))
        self.spatial = spatial
        stream = blueprint.arguments.optionalInt("seed").map(UInt64.init) ?? streamID(blueprint.name)
        super.init(name: blueprint.name, inputShape: blueprint.inputShape, outputShape: blueprint.outputShape)
    }

    var parameters: [Parameter] { [] }

    override func reserveWorkspaces(capacity: Int) {
        mask = Buffer(count: capacity * inputSize)
    }

    func forward(_ input: Buffer, _ pass: Pass) {
        self.input = input
        lastPassTrained = pass.training && rate > 0
        guard lastPassTrained else {
            output.copy(from: input, count: pass.batch * inputSize)
            return
        }
        let scale: Float = rate >= 1 ? 0 : 1 / (1 - rate)
        let channels = inputShape.last ?? 1
        pass.forEachChunk { samples, _ in
            for sample in samples {
                var random = RandomSource(seed: pass.seed, path: [stream, UInt64(sample)])
                let m = mask.at(sample * inputSize)
                if spatial {
                    for channel in 0..<channels { m[channel] = random.nextUnitFloat() >= rate ? scale : 0 }
                    for position in stride(from: channels, to: inputSize, by: channels) {
                        (m + position).update(from: m, count: channels)
                    }
                } else {
                    for i in 0..<inputSize { m[i] = random.nextUnitFloat() >= rate ? scale : 0 }
                }
                let x = input.at(sample * inputSize), y = output.at(sample * inputSize)
                for i in 0..<inputSize { y[i] = x[i] * m[i] }
            }
        }
    }

    func backward(_ outputGradient: Buffer, _ pass: Pass, inputGradient: Buffer?) {
        guard let inputGradient else { return }
        let trained = lastPassTrained
        pass.forEachChunk { samples, _ in
            let offset = samples.lowerBound * inputSize, count = samples.count * inputSize
            guard trained else {
                Elementwise.add(outputGradient.at(offset), into: inputGradient.at(offset), count: count)
                return
            }
            // dx += dy ⊙ mask
            let dx = inputGradient.at(offset), dy = outputGradient.at(offset), m = mask.at(offset)
            for i in 0..<count { dx[i] += dy[i] * m[i] }
        }
    }
}

/// A stable stream id for a layer's random numbers: FNV-1a of its name (unique within a model).
func streamID(_ name: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in name.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01B3
    }
    return hash
}
