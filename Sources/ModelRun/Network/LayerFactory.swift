import ModelC

/// Builds the runtime layer for each catalogue kind.
enum LayerFactory {
    static func make(_ blueprint: LayerBlueprint) throws(NetworkError) -> RuntimeLayer {
        switch blueprint.descriptor.kind {
        case .dense: DenseLayer(blueprint)
        case .embedding: EmbeddingLayer(blueprint)
        case .dropout: DropoutLayer(blueprint, spatial: false)
        case .spatialDropout1D: DropoutLayer(blueprint, spatial: true)
        case .flatten, .reshape: CopyLayer(blueprint)
        case .activation: ActivationLayer(blueprint)
        case .repeatVector: RepeatVectorLayer(blueprint)
        case .simpleRNN, .lstm, .gru: try RecurrentLayers.make(blueprint)
        case .bidirectional: try RecurrentLayers.makeBidirectional(blueprint)
        case .timeDistributed: try TimeDistributedLayers.make(blueprint)
        case .conv1D: try ConvolutionLayers.make(blueprint)
        case .maxPooling1D, .averagePooling1D, .globalMaxPooling1D, .globalAveragePooling1D: try PoolingLayers.make(blueprint)
        case .batchNormalization, .layerNormalization: try NormalizationLayers.make(blueprint)
        case .concatenate, .add, .subtract, .multiply, .average, .maximum, .minimum, .dot: try MergeLayers.make(blueprint)
        }
    }
}
