/// The summary's facts as JSON: per layer its name, class, output shape, parameter counts and cost.
public enum SummaryJSON {
    public static func render(_ model: TypedModel) -> String {
        JSONValue.object([
            ("name", .string(model.name)),
            ("input_shape", shape(model.input)),
            ("functional", .bool(model.isFunctional)),
            ("inputs", .array(model.inputs.map { input in
                .object([
                    ("name", .string(input.name)),
                    ("shape", shape(input.type)),
                    ("dtype", .string(input.type.element == .tokenIDs ? "int32" : "float32")),
                ])
            })),
            ("outputs", .array(model.outputs.map { .string(model.layers[$0].name) })),
            ("layers", .array(model.summaryOrder.map { layer(model.layers[$0], inbound: model.layers[$0].sources.map(model.name(of:))) })),
            ("total_params", .int(model.parameterCount)),
            ("trainable_params", .int(model.trainableParameterCount)),
            ("non_trainable_params", .int(model.nonTrainableParameterCount)),
            ("multiply_adds", optional(CostTable.totalMultiplyAdds(model))),
            ("weight_bytes", .int(model.layers.reduce(0) { $0 + $1.weightBytes })),
        ]).rendered() + "\n"
    }

    static func layer(_ layer: TypedLayer, inbound: [String]) -> JSONValue {
        .object([
            ("name", .string(layer.name)),
            ("class", .string(layer.className)),
            ("inbound", .array(inbound.map { .string($0) })),
            ("output_shape", shape(layer.output)),
            ("params", .int(layer.parameterCount)),
            ("trainable_params", .int(layer.trainableParameterCount)),
            ("non_trainable_params", .int(layer.parameterCount - layer.trainableParameterCount)),
            ("trainable", .bool(layer.arguments.bool("trainable"))),
            ("multiply_adds", optional(layer.multiplyAdds)),
            ("weight_bytes", .int(layer.weightBytes)),
            ("weights", .array(layer.weights.map { weight in
                .object([
                    ("name", .string(weight.name)),
                    ("shape", .array(weight.shape.map { .int($0) })),
                    ("trainable", .bool(weight.trainable)),
                ])
            })),
        ])
    }

    /// Batch axis first, as null: `[null, 100, 16]`.
    static func shape(_ type: TensorType) -> JSONValue {
        .array([.null] + type.shape.map { $0.map { .int($0) } ?? .null })
    }

    static func optional(_ value: Int?) -> JSONValue { value.map { .int($0) } ?? .null }
}
