extension LayerDescriptor {
    /// x: [d1, d2, ...] → [d1·d2·...].
    static let flatten = LayerDescriptor(
        kind: .flatten, className: "Flatten",
        doc: "Flattens every axis but the batch axis into one.",
        arguments: [], traits: [.collapsesTime],
        examples: ["Flatten"],
        keras: KerasForm(fixed: [KerasForm.channelsLast], keras3Builds: true),
        rule: single { input throws(ShapeError) in
            guard !input.shape.isEmpty else { return LayerTyping(output: TensorType([1])) }
            return LayerTyping(output: TensorType([try input.input.elementCount()]))
        })

    /// Applies an activation function elementwise.
    static let activation = LayerDescriptor(
        kind: .activation, className: "Activation",
        doc: "Applies an activation function to every value.",
        arguments: [ArgumentDecl("activation", .activation, default: nil, "The function applied.")],
        positional: ["activation"], words: ["activation"],
        examples: ["Activation relu"],
        rule: single { input throws(ShapeError) in
            // dL/dz beside the output.
            LayerTyping(output: input.input, activation: input.arguments.activation("activation"),
                        workspace: .perSample(input.input.valueCount))
        })

    /// Reinterprets the sample with a new shape of the same size; one size may be -1.
    static let reshape = LayerDescriptor(
        kind: .reshape, className: "Reshape",
        doc: "Gives each sample a new shape with the same number of values; one size may be -1 (inferred).",
        arguments: [
            ArgumentDecl("target_shape", .shape(allowsInferred: true, allowsUnknown: false), default: nil,
                         "The new shape without the batch axis."),
        ],
        positional: ["target_shape"],
        examples: ["Reshape 4x4", "Reshape (-1, 2)"],
        rule: single { input throws(ShapeError) in
            let target = input.arguments.ints("target_shape").map { $0 ?? -1 }
            let known = try checkedProduct(target.filter { $0 != -1 })
            let inferred = target.firstIndex(of: -1)
            guard let total = try input.input.elementCount() else {
                return LayerTyping(output: TensorType(target.map { $0 == -1 ? nil : $0 }))
            }
            let shapeText = "(" + target.map(String.init).joined(separator: ", ") + (target.count == 1 ? ",)" : ")")
            if let inferred {
                guard known > 0, total % known == 0 else {
                    throw .argument("target_shape", "cannot reshape \(total) values per sample (input \(input.input.kerasDescription)) into \(shapeText): \(total) is not a multiple of \(known)")
                }
                var shape = target
                shape[inferred] = total / known
                return LayerTyping(output: TensorType(shape))
            }
            guard known == total else {
                throw .argument("target_shape", "cannot reshape \(total) values per sample (input \(input.input.kerasDescription)) into \(shapeText), which holds \(known); the products must match")
            }
            return LayerTyping(output: TensorType(target))
        })

    /// x: [F] → [n, F].
    static let repeatVector = LayerDescriptor(
        kind: .repeatVector, className: "RepeatVector",
        doc: "Repeats a vector n times along a new time axis: (batch, features) → (batch, n, features).",
        arguments: [ArgumentDecl("n", .int(min: 1, max: Int(Int32.max)), default: nil, "Number of repetitions.")],
        positional: ["n"],
        examples: ["RepeatVector 3"],
        keras: KerasForm(keras3Builds: true),
        rule: single { input throws(ShapeError) in
            try input.requireRank(.exactly(2), "(batch, features)")
            return LayerTyping(output: TensorType([input.arguments.int("n"), input.shape[0]]))
        })
}
