extension LayerDescriptor {
    /// x: [..., in] → [..., units]; acts on the last axis of an input of any rank.
    static let dense = LayerDescriptor(
        kind: .dense, className: "Dense",
        doc: "Fully connected: activation(x·kernel + bias) on the last axis; any input rank.",
        arguments: [
            ArgumentDecl("units", .int(min: 1, max: Int(Int32.max)), default: nil, "Size of the output's last axis."),
            SharedArguments.activation(default: "linear"),
            SharedArguments.useBias,
            SharedArguments.kernelInitializer,
            SharedArguments.biasInitializer,
        ],
        positional: ["units"], words: ["activation"],
        examples: ["Dense 1 sigmoid", "Dense 24 relu", "Dense 10 use_bias=false"],
        keras: KerasForm(fixed: KerasForm.unregularized(["kernel", "bias"], activity: [.tfKeras]) + [KerasForm.noQuantization]),
        rule: single { input throws(ShapeError) in
            let args = input.arguments
            try input.requireRank(.atLeast(2), "(batch, ..., features)")
            let features = try input.definedLastSize(for: "Dense")
            let units = args.int("units")
            var weights = [WeightDecl("kernel", [features, units], initializedBy: "kernel_initializer", args)]
            if args.bool("use_bias") {
                weights.append(WeightDecl("bias", [units], initializedBy: "bias_initializer", args))
            }
            let output = TensorType(input.shape.dropLast() + [units])
            return LayerTyping(
                output: output,
                weights: weights,
                multiplyAdds: try input.repeatedOverLeadingAxes(try checkedProduct(features, units)),
                activation: args.activation("activation"),
                // z and dL/dz beside the output.
                workspace: .perSample(output.valueCount.map { 2 * $0 }))
        })
}
