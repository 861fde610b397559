import ModelC

/// SimpleRNN, LSTM and GRU with tf_keras 2 semantics: zero initial states, go_backwards, dropout
/// masks drawn as Keras's code path draws them (see `RecurrentDropoutPlan`).
///
/// x: [B, T, F] → y: [B, T, u] with return_sequences (in processing order, so reversed under
/// go_backwards, as Keras returns it), else [B, u] (the last processed step).
/// kernel W: [F, g·u]; recurrent_kernel U: [u, g·u]; bias: [g·u] or, for GRU reset_after, [2, g·u]
/// (input row, recurrent row). Gate blocks: LSTM i, f, c, o; GRU z, r, h.
///
/// Every per-step cache is indexed by input timestep τ (the processing step s reads τ(s), which is
/// T-1-s when running backwards) and laid out batch-major, [B, T, width], so one gemm projects all
/// timesteps of a chunk and one gemm per tensor gives the weight gradients after the time loop;
/// the per-step gemms read row strides of T·width.
final class RecurrentLayer: LayerBase, SingleInputLayer {
    let cell: RecurrentCell
    let kernel: Parameter
    let recurrentKernel: Parameter
    let bias: Parameter?
    let activation: Activation
    let recurrentActivation: Activation
    let returnSequences: Bool
    let goBackwards: Bool
    let dropout: RecurrentDropoutPlan
    let stream: UInt64

    /// T, F, u, g and g·u.
    let timesteps: Int
    let features: Int
    let units: Int
    let gates: Int
    let gateWidth: Int
    /// Columns of the per-step product h₋·U (all blocks, or z and r for GRU 2014).
    let recurrentWidth: Int
    /// Columns of the cached recurrent input: one masked copy of h₋ per block under per-gate masks.
    let recurrentInputWidth: Int
    let inputMaskSlots: Int
    let recurrentMaskSlots: Int
    /// Steps run the fused kernels of `RecurrentFusedSteps` (see `fuses`), else the per-gate steps
    /// of `RecurrentCellSteps`. Tests clear it to compare the two.
    var fused: Bool

    // Per-step caches, [capacity, T, width].
    /// Pre-activations of the gate blocks (the input projection, completed in place each step).
    var preactivations = Buffer(count: 0)
    /// Gate values after their activations (LSTM, GRU).
    var gateValues = Buffer(count: 0)
    /// h at each input timestep.
    var states = Buffer(count: 0)
    /// LSTM carry c and activation(c).
    var carries = Buffer(count: 0)
    var activatedCarries = Buffer(count: 0)
    /// GRU: h₋·U_h + b_rh (reset_after) or r⊙h₋ (2014), the operand the reset gate touches.
    var resetOperand = Buffer(count: 0)
    /// The left operand of each step's recurrent gemm: h₋ (masked when dropping), zero at the first step.
    var recurrentInputs = Buffer(count: 0)
    /// dL/d(pre-activations).
    var preactivationGradients = Buffer(count: 0)
    /// dL/d(h₋·U + b_r) for GRU reset_after, whose candidate block differs from its pre-activation.
    var recurrentProductGradients = Buffer(count: 0)
    /// x ⊙ input mask, [capacity, T, F]; in backward also scratch for per-gate input gradients.
    var maskedInputs = Buffer(count: 0)
    /// [capacity, slots, F] and [capacity, slots, u].
    var inputMasks = Buffer(count: 0)
    var recurrentMasks = Buffer(count: 0)

    // Per-step scratch, [capacity, width].
    var recurrentProducts = Buffer(count: 0)
    var stateGradient = Buffer(count: 0)
    var previousStateGradient = Buffer(count: 0)
    var carryGradient = Buffer(count: 0)
    var scratch = Buffer(count: 0)
    /// Uᵀ, [g·u, u], for the fused backward steps.
    var transposedRecurrentKernel = Buffer(count: 0)
    /// Zeros standing in for h₋ and c₋ at the first step, [u], and for a missing GRU bias, [g·u].
    var zeroState = Buffer(count: 0)
    var zeroGates = Buffer(count: 0)
    /// The Embedding whose token ids this layer reads directly, and its tables: P = E·W + b, [V, g·u],
    /// and one G = dL/dP per chunk, [chunks, V, g·u] (see `RecurrentTokenProjection`).
    unowned(unsafe) var tokenEmbedding: EmbeddingLayer?
    var tokenTable = Buffer(count: 0)
    var tokenGradientTables = Buffer(count: 0)
    var tokenParts: [BatchChunks] = []

    var lastPassTrained = false

    /// `reverseDirection` flips go_backwards (Bidirectional's backward copy). `name` keys the
    /// layer's random stream.
    init(_ blueprint: LayerBlueprint, reverseDirection: Bool = false) throws(NetworkError) {
        guard var cell = RecurrentCell(blueprint.descriptor.kind) else {
            throw NetworkError("\(blueprint.name): \(blueprint.descriptor.className) is not a recurrent layer")
        }
        let arguments = blueprint.arguments
        if cell == .gru(resetAfter: true), !arguments.bool("reset_after") { cell = .gru(resetAfter: false) }
        self.cell = cell
        kernel = blueprint.parameter("kernel")
        recurrentKernel = blueprint.parameter("recurrent_kernel")
        bias = blueprint.optionalParameter("bias")
        activation = arguments.activation("activation")
        recurrentActivation = cell == .simple ? .linear : arguments.activation("recurrent_activation")
        returnSequences = arguments.bool("return_sequences")
        goBackwards = arguments.bool("go_backwards") != reverseDirection
        dropout = RecurrentDropoutPlan(cell: cell, arguments: arguments)
        stream = streamID(blueprint.name)
        guard blueprint.inputShape.count == 2 else {
            throw NetworkError("\(blueprint.name) needs samples shaped (timesteps, features), not \(shapeText(blueprint.inputShape))")
        }
        timesteps = blueprint.inputShape[0]
        features = blueprint.inputShape[1]
        units = recurrentKernel.shape[0]
        gates = cell.gates
        gateWidth = gates * units
        recurrentWidth = cell.directRecurrentBlocks * units
        recurrentInputWidth = (dropout.recurrent == .perGate ? cell.directRecurrentBlocks : 1) * units
        inputMaskSlots = dropout.inputSlots(timesteps: timesteps, gates: gates)
        recurrentMaskSlots = dropout.recurrentSlots(gates: gates)
        fused = Self.fuses(cell, units: units, activation: activation, recurrentActivation: recurrentActivation, dropout: dropout)
        super.init(name: blueprint.name, inputShape: blueprint.inputShape, outputShape: blueprint.outputShape)
    }

    var parameters: [Parameter] { [kernel, recurrentKernel] + (bias.map { [$0] } ?? []) }

    override func reserveWorkspaces(capacity: Int) {
        let sequence = capacity * timesteps
        preactivations = Buffer(count: sequence * gateWidth)
        preactivationGradients = Buffer(count: sequence * gateWidth)
        states = Buffer(count: sequence * units)
        recurrentInputs = Buffer(count: sequence * recurrentInputWidth)
        if cell != .simple { gateValues = Buffer(count: sequence * gateWidth) }
        if cell == .lstm {
            carries = Buffer(count: sequence * units)
            activatedCarries = Buffer(count: sequence * units)
            carryGradient = Buffer(count: capacity * units)
        }
        if case .gru = cell { resetOperand = Buffer(count: sequence * units) }
        if cell == .gru(resetAfter: true) { recurrentProductGradients = Buffer(count: sequence * gateWidth) }
        if dropout.input != .none {
            maskedInputs = Buffer(count: sequence * features)
            inputMasks = Buffer(count: capacity * inputMaskSlots * features)
        }
        if dropout.recurrent != .none { recurrentMasks = Buffer(count: capacity * recurrentMaskSlots * units) }
        recurrentProducts = Buffer(count: capacity * recurrentWidth)
        stateGradient = Buffer(count: capacity * units)
        previousStateGradient = Buffer(count: capacity * units)
        scratch = Buffer(count: capacity * units)
        if Self.fuses(cell, units: units, activation: activation, recurrentActivation: recurrentActivation, dropout: dropout) {
            transposedRecurrentKernel = Buffer(count: gateWidth * units)
            zeroState = Buffer(count: units)
            zeroGates = Buffer(count: gateWidth)
        }
        if let embedding = tokenEmbedding, tokenTableFits(capacity: capacity) {
            tokenTable = Buffer(count: embedding.vocabulary * gateWidth)
            tokenGradientTables = Buffer(count: BatchChunks.maximumCount * embedding.vocabulary * gateWidth)
            tokenParts = Self.vocabularyParts(embedding.vocabulary)
        }
    }

    /// The input timestep processed at step `step`.
    @inline(__always) func time(_ step: Int) -> Int { goBackwards ? timesteps - 1 - step : step }

    /// Row `row`'s slice of a [capacity, T, width] cache at input timestep τ; rows are T·width apart.
    @inline(__always) func slice(_ buffer: Buffer, _ width: Int, row: Int, time τ: Int) -> UnsafeMutablePointer<Float> {
        buffer.at((row * timesteps + τ) * width)
    }

    // MARK: Forward

    func forward(_ input: Buffer, _ pass: Pass) {
        self.input = input
        lastPassTrained = pass.training
        let tokens = tokenEmbedding.flatMap { $0.isProjected(pass) ? $0 : nil }
        if let tokens { fillTokenTable(tokens, pass) }
        pass.forEachChunk { samples, _ in
            guard timesteps > 0 else {
                output.zero(from: samples.lowerBound * outputSize, count: samples.count * outputSize)
                return
            }
            let masked = pass.training && dropout.input != .none
            if pass.training { drawMasks(samples, pass) }
            if let tokens {
                gatherTokenProjections(tokens, samples)
            } else {
                projectInputs(input, samples, masked: masked)
            }
            if fused {
                fusedForward(samples, keep: pass.training)
            } else {
                stepwiseForward(samples, masked: pass.training && dropout.recurrent != .none)
            }
            writeOutput(samples)
        }
    }

    /// The time loop through the per-gate steps of `RecurrentCellSteps` (masked recurrent inputs,
    /// GRU 2014, softmax activations).
    func stepwiseForward(_ samples: Range<Int>, masked masksRecurrent: Bool) {
        for step in 0..<timesteps {
            let τ = time(step)
            let previous = step > 0 ? time(step - 1) : nil
            recurrentProduct(samples, time: τ, previous: previous, masked: masksRecurrent)
            switch cell {
            case .simple: simpleForwardStep(samples, time: τ)
            case .lstm: lstmForwardStep(samples, time: τ, previous: previous)
            case .gru(let resetAfter):
                if resetAfter {
                    gruForwardStep(samples, time: τ, previous: previous)
                } else {
                    gru2014ForwardStep(samples, time: τ, previous: previous, masked: masksRecurrent)
                }
            }
        }
    }

    func drawMasks(_ samples: Range<Int>, _ pass: Pass) {
        for sample in samples {
            if dropout.input != .none {
                let count = inputMaskSlots * features
                RecurrentDropoutPlan.fill(inputMasks.at(sample * count), count: count, rate: dropout.inputRate,
                                          seed: pass.seed, stream: stream, sample: sample, kind: 0)
            }
            if dropout.recurrent != .none {
                let count = recurrentMaskSlots * units
                RecurrentDropoutPlan.fill(recurrentMasks.at(sample * count), count: count, rate: dropout.recurrentRate,
                                          seed: pass.seed, stream: stream, sample: sample, kind: 1)
            }
        }
    }

    /// maskedInputs[b, t, :] = x[b, t, :] ⊙ mask (the sequence's, the timestep's, or gate `gate`'s).
    func applyInputMask(_ input: Buffer, _ samples: Range<Int>, gate: Int) {
        for sample in samples {
            let maskBase = inputMasks.at(sample * inputMaskSlots * features)
            for t in 0..<timesteps {
                let offset = (sample * timesteps + t) * features
                let x = input.at(offset), y = maskedInputs.at(offset)
                let m = maskBase + features * (dropout.input == .perTimestep ? t : (dropout.input == .perGate ? gate : 0))
                for f in 0..<features { y[f] = x[f] * m[f] }
            }
        }
    }

    /// Z[b, t, :] = x̃[b, t, :]·W + b_in for every timestep of the chunk: [rows·T, F]·[F, g·u].
    func projectInputs(_ input: Buffer, _ samples: Range<Int>, masked: Bool) {
        let rows = samples.count * timesteps
        let first = samples.lowerBound * timesteps
        let z = preactivations.at(first * gateWidth)
        if masked && dropout.input == .perGate {
            for gate in 0..<gates {
                applyInputMask(input, samples, gate: gate)
                MatrixMultiply.gemm(m: rows, n: units, k: features, a: maskedInputs.at(first * features), lda: features,
                                    b: kernel.value.at(gate * units), ldb: gateWidth, c: z + gate * units, ldc: gateWidth)
            }
        } else {
            if masked { applyInputMask(input, samples, gate: 0) }
            let x = masked ? maskedInputs.at(first * features) : input.at(first * features)
            MatrixMultiply.gemm(m: rows, n: gateWidth, k: features, a: x, lda: features,
                                b: kernel.value.base, ldb: gateWidth, c: z, ldc: gateWidth)
        }
        if let bias {
            let b = bias.value.base
            for row in 0..<rows {
                let zr = z + row * gateWidth
                for j in 0..<gateWidth { zr[j] += b[j] }
            }
        }
    }

    /// recurrentInputs[τ] = h₋ (⊙ recurrent masks); recurrentProducts = recurrentInputs[τ]·U (+ b_r for
    /// GRU reset_after), over the directly projected blocks. The first step's state is zero.
    func recurrentProduct(_ samples: Range<Int>, time τ: Int, previous: Int?, masked: Bool) {
        let rows = samples.count, first = samples.lowerBound
        let products = recurrentProducts.at(first * recurrentWidth)
        let recurrentBias = cell == .gru(resetAfter: true) ? bias.map { $0.value.at(gateWidth) } : nil
        for row in 0..<rows {
            let p = products + row * recurrentWidth
            if let recurrentBias { p.update(from: recurrentBias, count: recurrentWidth) } else { p.update(repeating: 0, count: recurrentWidth) }
        }
        let hp = slice(recurrentInputs, recurrentInputWidth, row: first, time: τ)
        let stride = timesteps * recurrentInputWidth
        guard let previous else {
            for row in 0..<rows { (hp + row * stride).update(repeating: 0, count: recurrentInputWidth) }
            return
        }
        for row in 0..<rows {
            let h = slice(states, units, row: first + row, time: previous)
            let target = hp + row * stride
            if masked {
                let m = recurrentMasks.at((first + row) * recurrentMaskSlots * units)
                for j in 0..<recurrentInputWidth { target[j] = h[j % units] * m[j] }
            } else {
                // Inference under a per-gate plan: every block sees the same h₋.
                for block in Swift.stride(from: 0, to: recurrentInputWidth, by: units) { (target + block).update(from: h, count: units) }
            }
        }
        if recurrentInputWidth == units {
            MatrixMultiply.gemm(m: rows, n: recurrentWidth, k: units, a: hp, lda: stride,
                                b: recurrentKernel.value.base, ldb: gateWidth, beta: 1, c: products, ldc: recurrentWidth)
        } else {
            for block in 0..<(recurrentWidth / units) {
                MatrixMultiply.gemm(m: rows, n: units, k: units, a: hp + block * units, lda: stride,
                                    b: recurrentKernel.value.at(block * units), ldb: gateWidth, beta: 1,
                                    c: products + block * units, ldc: recurrentWidth)
            }
        }
    }

    /// y = h in processing order (all steps, or the last).
    func writeOutput(_ samples: Range<Int>) {
        for sample in samples {
            if returnSequences {
                let y = output.at(sample * outputSize)
                if !goBackwards {
                    y.update(from: slice(states, units, row: sample, time: 0), count: timesteps * units)
                } else {
                    for step in 0..<timesteps { (y + step * units).update(from: slice(states, units, row: sample, time: time(step)), count: units) }
                }
            } else {
                output.at(sample * units).update(from: slice(states, units, row: sample, time: time(timesteps - 1)), count: units)
            }
        }
    }
}
