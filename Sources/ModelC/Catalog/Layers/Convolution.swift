extension LayerDescriptor {
    /// x: [..., L, C] → [..., L', filters], kernel [kernel_size, C, filters].
    static let conv1D = LayerDescriptor(
        kind: .conv1D, className: "Conv1D", aliases: ["Convolution1D"],
        doc: "1-D convolution over the time axis; extra leading axes are treated as batch, as in Keras.",
        arguments: [
            ArgumentDecl("filters", .int(min: 1, max: Int(Int32.max)), default: nil, "Number of output channels."),
            ArgumentDecl("kernel_size", .intOrSingleton(min: 1), default: nil, "Length of the convolution window."),
            ArgumentDecl("strides", .intOrSingleton(min: 1), default: .int(1), "Step between windows."),
            ArgumentDecl("padding", .choice(["valid", "same", "causal"]), default: .string("valid"),
                         "`valid`: no padding; `same`: output length ceil(L / strides); `causal`: pad on the left only."),
            ArgumentDecl("dilation_rate", .intOrSingleton(min: 1), default: .int(1), "Spacing between kernel taps."),
            SharedArguments.activation(default: "linear"),
            SharedArguments.useBias,
            SharedArguments.kernelInitializer,
            SharedArguments.biasInitializer,
        ],
        positional: ["filters", "kernel_size"], words: ["activation", "padding"],
        examples: ["Conv1D 32 5 relu", "Conv1D 16 3 causal dilation_rate=2"],
        keras: KerasForm(fixed: [KerasForm.channelsLast, KerasFixedKey("groups", .int(1))] + KerasForm.unregularized(["kernel", "bias"])),
        rule: single { input throws(ShapeError) in
            let args = input.arguments
            try input.requireRank(.atLeast(3), "(batch, steps, channels)")
            let channels = try input.definedLastSize(for: "Conv1D")
            let kernel = args.int("kernel_size"), strides = args.int("strides"), dilation = args.int("dilation_rate")
            if strides > 1, dilation > 1 {
                throw .argument("strides", "cannot combine strides > 1 with dilation_rate > 1 (TensorFlow refuses it); set one of them to 1")
            }
            let filters = args.int("filters")
            let length = input.shape[input.shape.count - 2]
            let padding = args.string("padding")
            var outputLength: Int?
            if let length {
                let dilated = try checkedSum(kernel, try checkedProduct(kernel - 1, dilation - 1))
                let padded = padding == "valid" ? length - dilated + 1 : length
                if padded <= 0 {
                    let what = dilation > 1 ? "a dilated kernel of \(dilated) steps" : "a kernel_size of \(kernel)"
                    throw .argument("kernel_size", "has \(what), longer than the sequence (\(length) steps) with padding valid; use a shorter kernel or padding: same")
                }
                outputLength = (padded + strides - 1) / strides
            }
            var weights = [WeightDecl("kernel", [kernel, channels, filters], initializedBy: "kernel_initializer", args)]
            if args.bool("use_bias") {
                weights.append(WeightDecl("bias", [filters], initializedBy: "bias_initializer", args))
            }
            var multiplyAdds: Int?
            if let outputLength {
                let perPosition = try checkedProduct([kernel, channels, filters])
                var total = try checkedProduct(perPosition, outputLength)
                for size in input.shape.dropLast(2) {
                    guard let size else { total = -1; break }
                    total = try checkedProduct(total, size)
                }
                multiplyAdds = total >= 0 ? total : nil
            }
            let output = TensorType(input.shape.dropLast(2) + [outputLength, filters])
            return LayerTyping(
                output: output,
                weights: weights, multiplyAdds: multiplyAdds, activation: args.activation("activation"),
                workspace: convolutionWorkspace(input, output: output, direct: kernel == 1 && strides == 1))
        })
}

/// z and dL/dz beside the output, and unless the kernel reads x as it is (k = 1, stride 1), one
/// unfolding workspace and its gradient per batch chunk: groups of whole sequences, [group · L',
/// k · C] each, as many sequences as fit in 2^18 values (Conv1DLayer.columnBudget) but at least one.
func convolutionWorkspace(_ input: LayerInput, output: TensorType, direct: Bool) -> Workspace? {
    guard let outputCount = output.valueCount, input.input.valueCount != nil else { return nil }
    let shape = input.shape.map { Double($0!) }, outputLength = Double(output.shape[output.shape.count - 2]!)
    let sequencesPerSample = shape.dropLast(2).reduce(1, *)
    let perSequence = max(1, outputLength * Double(input.arguments.int("kernel_size")) * shape[shape.count - 1])
    return Workspace { capacity, _ in
        guard !direct else { return capacity * 2 * outputCount }
        let group = max(1, min(capacity * sequencesPerSample, (262_144 / perSequence).rounded(.down)))
        return capacity * 2 * outputCount + 2 * Double(Workspace.batchChunks) * group * perSequence
    }
}
