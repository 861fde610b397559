import ModelC

/// Placeholder until this family's kernels land.
enum RecurrentLayers {
    static func make(_ blueprint: LayerBlueprint) throws(NetworkError) -> RuntimeLayer {
        throw NetworkError("\(blueprint.descriptor.className) cannot run yet")
    }
    static func makeBidirectional(_ blueprint: LayerBlueprint) throws(NetworkError) -> RuntimeLayer {
        throw NetworkError("\(blueprint.descriptor.className) cannot run yet")
    }
}
