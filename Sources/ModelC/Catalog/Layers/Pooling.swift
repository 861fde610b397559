extension LayerDescriptor {
    static let maxPooling1D = pooling(.maxPooling1D, "MaxPooling1D", aliases: ["MaxPool1D"], what: "maximum")
    static let averagePooling1D = pooling(.averagePooling1D, "AveragePooling1D", aliases: ["AvgPool1D"], what: "average")
    static let globalMaxPooling1D = globalPooling(.globalMaxPooling1D, "GlobalMaxPooling1D", aliases: ["GlobalMaxPool1D"], what: "maximum",
                                                  callKeywords: [])
    // Keras's average takes a mask (padded steps left out), so its calls record `mask`.
    static let globalAveragePooling1D = globalPooling(.globalAveragePooling1D, "GlobalAveragePooling1D", aliases: ["GlobalAvgPool1D"], what: "mean",
                                                      callKeywords: KerasForm.maskKeyword)

    /// x: [L, C] → [L', C] with L' from pool_size, strides and padding.
    private static func pooling(_ kind: LayerKind, _ className: String, aliases: [String], what: String) -> LayerDescriptor {
        LayerDescriptor(
            kind: kind, className: className, aliases: aliases,
            doc: "Takes the \(what) of each window of pool_size steps along the time axis.",
            arguments: [
                ArgumentDecl("pool_size", .intOrSingleton(min: 1), default: .int(2), "Window length."),
                ArgumentDecl("strides", .optional(.intOrSingleton(min: 1)), default: .null, "Step between windows; null means pool_size."),
                SharedArguments.padding1D,
            ],
            positional: ["pool_size", "strides"], words: ["padding"],
            examples: ["\(className) 2", "\(className) 3 2 same"],
            keras: KerasForm(fixed: [KerasForm.channelsLast], nullMeans: ["strides": "pool_size"]),
            rule: single { input throws(ShapeError) in
                let args = input.arguments
                try input.requireRank(.exactly(3), "(batch, steps, channels)")
                let pool = args.int("pool_size")
                let strides = args.optionalInt("strides") ?? pool
                var length = input.shape[0]
                if let steps = length {
                    let padded = args.string("padding") == "valid" ? steps - pool + 1 : steps
                    if padded <= 0 {
                        throw .argument("pool_size", "has pool_size \(pool), longer than the sequence (\(steps) steps) with padding valid; use a smaller pool_size or padding: same")
                    }
                    length = (padded + strides - 1) / strides
                }
                return LayerTyping(output: TensorType([length, input.shape[1]]))
            })
    }

    /// x: [L, C] → [C] (or [1, C] with keepdims).
    private static func globalPooling(_ kind: LayerKind, _ className: String, aliases: [String], what: String,
                                      callKeywords: [(String, JSONValue)]) -> LayerDescriptor {
        LayerDescriptor(
            kind: kind, className: className, aliases: aliases,
            doc: "Takes the \(what) over the whole time axis.",
            arguments: [SharedArguments.keepdims],
            examples: [className],
            keras: KerasForm(fixed: [KerasForm.channelsLast], callKeywords: callKeywords),
            rule: single { input throws(ShapeError) in
                try input.requireRank(.exactly(3), "(batch, steps, channels)")
                let channels = input.shape[1]
                return LayerTyping(output: TensorType(input.arguments.bool("keepdims") ? [1, channels] : [channels]))
            })
    }
}
