import ModelC

/// Builds the normalization layers.
enum NormalizationLayers {
    static func make(_ blueprint: LayerBlueprint) throws(NetworkError) -> RuntimeLayer {
        switch blueprint.descriptor.kind {
        case .batchNormalization: BatchNormalizationLayer(blueprint)
        case .layerNormalization: LayerNormalizationLayer(blueprint)
        default: throw NetworkError("\(blueprint.descriptor.className) is not a normalization layer")
        }
    }
}
