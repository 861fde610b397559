import ModelC

/// Builds TimeDistributed wrappers.
enum TimeDistributedLayers {
    static func make(_ blueprint: LayerBlueprint) throws(NetworkError) -> RuntimeLayer {
        guard let inner = blueprint.inner else { throw NetworkError("\(blueprint.name) (TimeDistributed) wraps no layer") }
        // Keras stores the wrapped layer's weights under the wrapper's name, without a prefix.
        guard let layer = try LayerFactory.make(inner.blueprint(name: blueprint.name, parameters: blueprint.parameters)) as? SingleInputLayer else {
            throw NetworkError("\(blueprint.name) (TimeDistributed) wraps a layer that reads several tensors")
        }
        let wrapper = TimeDistributedLayer(blueprint, inner: layer)
        if case .bool(false) = blueprint.arguments["trainable"] { wrapper.freezeStatistics() }
        return wrapper
    }
}

/// Keras's TimeDistributed: the wrapped layer runs on every timestep with shared weights. Batches are
/// batch-major, so x: [B, T, inner input...] is already [B·T, inner input...] and y: [B, T, inner
/// output...] is the inner layer's [B·T, inner output...]: the inner layer runs once on B·T rows,
/// with chunk c of the pass covering chunk c's samples (BatchNormalization inside normalizes over
/// all B·T rows, as in Keras). Output and input gradient are the inner layer's buffers.
final class TimeDistributedLayer: SingleInputLayer {
    let name: String
    let inputShape: [Int]
    let outputShape: [Int]
    let inner: SingleInputLayer
    let timesteps: Int

    init(_ blueprint: LayerBlueprint, inner: SingleInputLayer) {
        name = blueprint.name
        inputShape = blueprint.inputShape
        outputShape = blueprint.outputShape
        timesteps = blueprint.inputShape[0]
        self.inner = inner
    }

    var parameters: [Parameter] { inner.parameters }
    var output: Buffer { inner.output }

    func reserve(capacity: Int) { inner.reserve(capacity: capacity * timesteps) }

    func forward(_ input: Buffer, _ pass: Pass) { inner.forward(input, pass.scaled(by: timesteps)) }

    func backward(_ outputGradient: Buffer, _ pass: Pass, inputGradient: Buffer?) {
        inner.backward(outputGradient, pass.scaled(by: timesteps), inputGradient: inputGradient)
    }

    /// `trainable: false` on the wrapper freezes the wrapped layer too: a BatchNormalization inside
    /// then runs on its moving statistics, as Keras runs a non-trainable one.
    func freezeStatistics() {
        if let normalization = inner as? BatchNormalizationLayer { normalization.frozen = true }
        if let nested = inner as? TimeDistributedLayer { nested.freezeStatistics() }
    }
}
