/// Every layer modelc knows, in the order Grammar.md lists them.
public enum LayerCatalog {
    public static let all: [LayerDescriptor] = [
        .embedding, .dense, .simpleRNN, .lstm, .gru, .bidirectional, .timeDistributed,
        .conv1D, .maxPooling1D, .averagePooling1D, .globalMaxPooling1D, .globalAveragePooling1D,
        .batchNormalization, .layerNormalization, .dropout, .spatialDropout1D,
        .flatten, .activation, .reshape, .repeatVector,
        .concatenate, .add, .subtract, .multiply, .average, .maximum, .minimum, .dot,
    ]

    private static let byName: [String: LayerDescriptor] = {
        var table: [String: LayerDescriptor] = [:]
        for descriptor in all {
            table[descriptor.className] = descriptor
            for alias in descriptor.aliases { table[alias] = descriptor }
        }
        return table
    }()

    /// The layer with this Keras class name (or alias), exactly as Keras spells it.
    public static func descriptor(named name: String) -> LayerDescriptor? { byName[name] }

    public static func descriptor(for kind: LayerKind) -> LayerDescriptor {
        all.first { $0.kind == kind }!
    }

    /// Every spelling accepted, for did-you-mean.
    public static var allNames: [String] { all.flatMap { [$0.className] + $0.aliases } }
}
