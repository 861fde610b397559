extension LayerDescriptor {
    /// Zeroes a fraction of the values in training and scales the rest by 1 / (1 - rate).
    static let dropout = LayerDescriptor(
        kind: .dropout, className: "Dropout",
        doc: "In training, zeroes each value with probability rate and scales the rest by 1 / (1 - rate); identity in inference.",
        arguments: [
            SharedArguments.rate("rate", default: nil, "Fraction of the values dropped."),
            SharedArguments.seed,
        ],
        positional: ["rate"],
        examples: ["Dropout 0.3"],
        keras: KerasForm(fixed: [KerasForm.noNoiseShape], callKeywords: KerasForm.trainingKeyword),
        // The mask beside the output.
        rule: single { input throws(ShapeError) in LayerTyping(output: input.input, workspace: .perSample(input.input.valueCount)) })

    /// Drops whole feature channels for all timesteps at once.
    static let spatialDropout1D = LayerDescriptor(
        kind: .spatialDropout1D, className: "SpatialDropout1D",
        doc: "Dropout of whole channels: one mask per sample and channel, shared by every timestep.",
        arguments: [
            SharedArguments.rate("rate", default: nil, "Fraction of the channels dropped."),
            SharedArguments.seed,
        ],
        positional: ["rate"],
        examples: ["SpatialDropout1D 0.25"],
        keras: KerasForm(fixed: [KerasFixedKey("noise_shape", .null, [.tfKeras])], keras3Minimal: true, callKeywords: KerasForm.trainingKeyword),
        rule: single { input throws(ShapeError) in
            try input.requireRank(.exactly(3), "(batch, timesteps, channels)")
            // The mask (one value per element, channels repeated over time) beside the output.
            return LayerTyping(output: input.input, workspace: .perSample(input.input.valueCount))
        })
}
