extension LayerDescriptor {
    /// Token ids → vectors. x: [T] ids → [T, output_dim].
    static let embedding = LayerDescriptor(
        kind: .embedding, className: "Embedding",
        doc: "Looks up a vector for each integer token id; must be the first layer.",
        arguments: [
            ArgumentDecl("input_dim", .int(min: 1, max: Int(Int32.max)), default: nil, "Vocabulary size: ids run from 0 to input_dim - 1."),
            ArgumentDecl("output_dim", .int(min: 1, max: Int(Int32.max)), default: nil, "Size of each vector."),
            SharedArguments.initializer("embeddings_initializer", default: "uniform",
                                        "Initializer of `embeddings`; Keras's `uniform` draws from [-0.05, 0.05]."),
            ArgumentDecl("input_length", .optional(.int(min: 1, max: Int(Int32.max))), default: .null,
                         "Length of the id sequences; an alternative to the top-level `input`."),
        ],
        positional: ["input_dim", "output_dim"], traits: [.tokenLookup],
        examples: ["Embedding 500x16", "Embedding 500 16 input_length=100"],
        keras: KerasForm(fixed: KerasForm.unregularized(["embeddings"]) + [
            KerasFixedKey("mask_zero", .bool(false)), KerasForm.noQuantization,
        ], absent: ["input_length": [.keras3]],
        // tf_keras's Embedding turns input_length into an input shape and writes it back.
        derived: [KerasDerivedKey("batch_input_shape", [.tfKeras]) { .array([.null, $0.optionalInt("input_length").map { .int($0) } ?? .null]) }]),
        rule: single { input throws(ShapeError) in
            let args = input.arguments
            guard input.input.element == .tokenIDs else { throw .needsTokenIDs }
            if let length = args.optionalInt("input_length"), input.shape.count == 1,
               let given = input.shape[0], given != length {
                throw .argument("input_length", "has input_length \(length), but its input has \(given) steps; remove one of them")
            }
            let dimension = args.int("output_dim")
            return LayerTyping(
                output: TensorType(input.shape + [dimension]),
                weights: [WeightDecl("embeddings", [args.int("input_dim"), dimension],
                                     initializedBy: "embeddings_initializer", args)])
        })
}
