extension LayerDescriptor {
    /// Fully connected RNN: h_t = activation(x_t·W + h_{t-1}·U + b).
    static let simpleRNN = LayerDescriptor(
        kind: .simpleRNN, className: "SimpleRNN",
        doc: "Fully connected recurrent layer: h_t = activation(x_t·kernel + h_{t-1}·recurrent_kernel + bias).",
        arguments: SharedArguments.recurrent(gated: false, extra: []),
        positional: ["units"], words: ["activation"], traits: [.recurrent, .collapsesTime],
        examples: ["SimpleRNN 16 return_sequences", "SimpleRNN 32 relu"],
        keras: SharedArguments.recurrentKeras(gated: false, cell: "simple_rnn_cell"),
        rule: single { input throws(ShapeError) in try recurrentTyping(input, gates: 1, layer: "SimpleRNN") })

    /// LSTM with Keras's gate order i, f, c, o.
    static let lstm = LayerDescriptor(
        kind: .lstm, className: "LSTM",
        doc: "Long short-term memory; gates concatenated in Keras's order i, f, c, o.",
        arguments: SharedArguments.recurrent(gated: true, extra: [
            ArgumentDecl("unit_forget_bias", .bool, default: .bool(true), "Start the forget gate's bias at 1 (Keras's default)."),
        ]),
        positional: ["units"], words: ["activation"], traits: [.recurrent, .collapsesTime],
        examples: ["LSTM 8", "LSTM 8 return_sequences dropout=0.3", "LSTM 10 relu"],
        keras: SharedArguments.recurrentKeras(gated: true, cell: "lstm_cell"),
        rule: single { input throws(ShapeError) in try recurrentTyping(input, gates: 4, layer: "LSTM") })

    /// GRU with Keras's gate order z, r, h; `reset_after` picks the TF2 (true) or original (false) formulation.
    static let gru = LayerDescriptor(
        kind: .gru, className: "GRU",
        doc: "Gated recurrent unit; gates z, r, h. reset_after: true (Keras 2's default) keeps two bias rows.",
        arguments: SharedArguments.recurrent(gated: true, extra: [], tail: [
            ArgumentDecl("reset_after", .bool, default: .bool(true),
                         "Apply the reset gate after the recurrent product (TF2 and cuDNN style); false is the 2014 formulation."),
        ]),
        positional: ["units"], words: ["activation"], traits: [.recurrent, .collapsesTime],
        examples: ["GRU 8", "GRU 8 reset_after=false"],
        keras: SharedArguments.recurrentKeras(gated: true, cell: "gru_cell"),
        rule: single { input throws(ShapeError) in try recurrentTyping(input, gates: 3, layer: "GRU") })
}

/// Shape, weights and cost shared by the recurrent layers.
/// x: [T, F] → [T, units] with return_sequences, else [units].
func recurrentTyping(_ input: LayerInput, gates: Int, layer: String) throws(ShapeError) -> LayerTyping {
    let args = input.arguments
    try input.requireRank(.exactly(3), "(batch, timesteps, features)")
    if args.bool("return_state") {
        throw .argument("return_state", "cannot return its states in a Sequential model (return_state: true gives several tensors); remove return_state")
    }
    if args.bool("stateful") {
        throw .argument("stateful", "cannot be stateful: stateful: true carries states from batch to batch and needs a fixed batch size, and modelc trains stateless models; remove it")
    }
    let features = try input.definedLastSize(for: layer)
    if args.bool("unroll"), input.shape[0] == nil {
        throw .argument("unroll", "cannot unroll a sequence of unknown length; give the length in `input` or remove unroll")
    }
    let units = args.int("units")
    let width = try checkedProduct(gates, units)
    var weights = [
        WeightDecl("kernel", [features, width], initializedBy: "kernel_initializer", args),
        WeightDecl("recurrent_kernel", [units, width], initializedBy: "recurrent_initializer", args),
    ]
    if args.bool("use_bias") {
        let resetAfter = args["reset_after"] == .bool(true)
        weights.append(WeightDecl("bias", resetAfter ? [2, width] : [width], initializedBy: "bias_initializer", args))
    }
    let timesteps = input.shape[0]
    let perStep = try checkedProduct(width, try checkedSum(features, units))
    let multiplyAdds = try timesteps.map { steps throws(ShapeError) in try checkedProduct(perStep, steps) }
    let output = args.bool("return_sequences") ? [timesteps, units] : [units]
    return LayerTyping(output: TensorType(output), weights: weights, multiplyAdds: multiplyAdds,
                       activation: args.activation("activation"),
                       workspace: timesteps.map { recurrentWorkspace(args, gates: gates, timesteps: $0, features: features) })
}

/// RecurrentLayer's caches: per timestep of each sample the gate pre-activations and their
/// gradients, h, the recurrent gemm's left operand, gate values (LSTM, GRU), c and tanh(c) (LSTM),
/// the reset operand (GRU) and its product's gradient (GRU reset_after), x ⊙ mask under input
/// dropout; per sample the dropout masks (the slots Keras's code path draws) and step scratch;
/// once, Uᵀ and zero rows for the fused steps (assumed whenever they may apply: an upper bound).
/// Reading an Embedding's tokens directly it keeps P = E·W + b and one dL/dP per batch chunk,
/// [V, g·u] each, when the vocabulary is at most a chunk's rows × timesteps (RecurrentTokenProjection).
func recurrentWorkspace(_ args: ResolvedArguments, gates: Int, timesteps: Int, features: Int) -> Workspace {
    let units = Double(args.int("units")), g = Double(gates), steps = Double(timesteps), inputs = Double(features)
    let gateWidth = g * units
    let lstm = gates == 4, gru = gates == 3, simple = gates == 1
    let resetAfter = gru && args["reset_after"] != .bool(false)
    let dropout = args.float("dropout"), recurrentDropout = args.float("recurrent_dropout")
    let strictlyInside = { (rate: Double) in rate > 0 && rate < 1 }
    // RecurrentDropoutPlan: which masks Keras's code path draws.
    let fusedKeras = !simple && args.activation("activation") == .tanh && args["recurrent_activation"] == .string("sigmoid")
        && recurrentDropout == 0 && !args.bool("unroll") && args.bool("use_bias") && !(gru && !resetAfter)
    var inputSlots = 0.0, recurrentSlots = 0.0, inputDropped = false
    if simple {
        inputDropped = dropout != 0
        inputSlots = 1
        recurrentSlots = recurrentDropout != 0 ? 1 : 0
    } else if fusedKeras {
        inputDropped = dropout != 0
        inputSlots = steps
    } else if recurrentDropout == 0 {
        inputDropped = strictlyInside(dropout)
        inputSlots = 1
    } else {
        inputDropped = strictlyInside(dropout)
        inputSlots = g
        recurrentSlots = strictlyInside(recurrentDropout) ? g : 0
    }
    let directBlocks = gru && !resetAfter ? 2 : g
    let recurrentInputWidth = (!simple && recurrentSlots > 0 ? directBlocks : 1) * units
    var perStep = 2 * gateWidth + units + recurrentInputWidth
    if !simple { perStep += gateWidth }
    if lstm { perStep += 2 * units }
    if gru { perStep += units }
    if resetAfter { perStep += gateWidth }
    if inputDropped { perStep += inputs }
    var perSample = steps * perStep + directBlocks * units + 3 * units + (lstm ? units : 0)
    if inputDropped { perSample += inputSlots * inputs }
    perSample += recurrentSlots * units
    let fusedSteps = !(gru && !resetAfter) && recurrentSlots == 0 && args.activation("activation") != .softmax
    let fixed = fusedSteps ? gateWidth * units + units + gateWidth : 0
    let sample = perSample
    return Workspace { capacity, vocabulary in
        var values = capacity * sample + fixed
        if let vocabulary, vocabulary <= max(1, (capacity / Double(Workspace.batchChunks)).rounded(.down)) * steps {
            values += Double(1 + Workspace.batchChunks) * vocabulary * gateWidth
        }
        return values
    }
}
