extension LayerDescriptor {
    /// Runs a copy of the wrapped RNN forwards and another backwards, then merges them.
    /// x: [T, F] → [T?, units] or [T?, 2·units] for concat.
    static let bidirectional = LayerDescriptor(
        kind: .bidirectional, className: "Bidirectional",
        doc: "Runs the wrapped recurrent layer forwards and a copy backwards, then merges the two outputs.",
        arguments: [
            ArgumentDecl("merge_mode", .optional(.choice(["concat", "sum", "mul", "ave"])), default: .string("concat"),
                         "How the two directions combine: `concat` doubles the last axis; `sum`, `mul`, `ave` keep it."),
        ],
        words: ["merge_mode"], traits: [.wrapper],
        examples: ["Bidirectional LSTM 16", "Bidirectional sum GRU 8 return_sequences"],
        keras: KerasForm(twoDirections: true, callKeywords: KerasForm.maskKeyword),
        rule: single { input throws(ShapeError) in
            guard let inner = input.inner else { throw .message("needs a layer to wrap") }
            guard inner.descriptor.has(.recurrent) else { throw .cannotWrap("a recurrent layer (SimpleRNN, LSTM or GRU)") }
            guard case .string(let mode) = input.arguments["merge_mode"] ?? .null else {
                throw .argument("merge_mode", "needs a merge_mode: null returns the two directions as separate tensors, which a Sequential model cannot pass on; use concat, sum, mul or ave")
            }
            let typing = try inner.typing(input.input)
            var shape = typing.output.shape
            if mode == "concat", let last = shape.last, let size = last {
                shape[shape.count - 1] = try checkedProduct(size, 2)
            }
            let weights = ["forward", "backward"].flatMap { direction in
                typing.weights.map { weight in
                    var renamed = weight
                    renamed.name = "\(direction)/\(weight.name)"
                    return renamed
                }
            }
            // Two copies of the wrapped layer, each with its output, and each direction's dL/dy.
            var workspace: Workspace?
            if let inner = typing.workspace, let innerOutput = typing.output.valueCount {
                workspace = Workspace { capacity, vocabulary in 2 * (inner.values(capacity, vocabulary) + 2 * capacity * innerOutput) }
            }
            return LayerTyping(
                output: TensorType(shape), weights: weights,
                multiplyAdds: try typing.multiplyAdds.map { value throws(ShapeError) in try checkedProduct(value, 2) },
                activation: typing.activation,
                inner: InnerTyping(input: input.input, typing: typing), workspace: workspace)
        })

    /// Applies the wrapped layer to every timestep. x: [T, ...] → [T, inner output...].
    static let timeDistributed = LayerDescriptor(
        kind: .timeDistributed, className: "TimeDistributed",
        doc: "Applies the wrapped layer to every timestep (axis 1) independently, with shared weights.",
        arguments: [], traits: [.wrapper],
        examples: ["TimeDistributed Dense 3"],
        keras: KerasForm(callKeywords: KerasForm.maskKeyword),
        rule: single { input throws(ShapeError) in
            guard let inner = input.inner else { throw .message("needs a layer to wrap") }
            try input.requireRank(.atLeast(3), "(batch, timesteps, ...)")
            let step = TensorType(Array(input.shape.dropFirst()), input.input.element)
            let typing: LayerTyping
            do throws(ShapeError) {
                typing = try inner.typing(step)
            } catch {
                guard case .rank(let expected, let meaning) = error else { throw error }
                throw .message("applies \(inner.descriptor.className) to each timestep, shaped \(step.kerasDescription) with the batch axis, but \(inner.descriptor.className) needs \(expected.phrase) \(meaning)")
            }
            let timesteps = input.shape[0]
            let multiplyAdds: Int?
            if let perStep = typing.multiplyAdds, let timesteps {
                multiplyAdds = try checkedProduct(perStep, timesteps)
            } else {
                multiplyAdds = nil
            }
            // The wrapped layer runs on batch × timesteps rows; its output is this layer's.
            var workspace: Workspace?
            if let inner = typing.workspace, let timesteps {
                workspace = Workspace { capacity, _ in inner.values(capacity * Double(timesteps), nil) }
            }
            return LayerTyping(
                output: TensorType([timesteps] + typing.output.shape, typing.output.element),
                weights: typing.weights, multiplyAdds: multiplyAdds, activation: typing.activation,
                inner: InnerTyping(input: step, typing: typing), workspace: workspace)
        })
}
