import ModelC

/// How many distinct dropout masks a recurrent layer draws per sequence, mirroring the code path
/// tf_keras 2 takes for the same arguments:
/// - SimpleRNN: one input mask and one recurrent mask, shared by all timesteps.
/// - LSTM/GRU that qualify for Keras's fused kernel (tanh, sigmoid, no recurrent dropout, bias, no
///   unroll, and reset_after for GRU): the input is dropped as a whole [T, F] tensor, so every
///   timestep gets its own input mask.
/// - Other LSTM/GRU without recurrent dropout (Keras's implementation 2): one input mask.
/// - With recurrent dropout (Keras switches to implementation 1): one input mask and one recurrent
///   mask per gate block.
/// Keras's cell paths skip a mask whose rate is not strictly between 0 and 1.
struct RecurrentDropoutPlan: Equatable {
    enum Input: Equatable { case none, perSequence, perTimestep, perGate }
    enum Recurrent: Equatable { case none, shared, perGate }

    let input: Input
    let recurrent: Recurrent
    let inputRate: Float
    let recurrentRate: Float

    init(cell: RecurrentCell, arguments: ResolvedArguments) {
        let dropout = arguments.float("dropout"), recurrentDropout = arguments.float("recurrent_dropout")
        inputRate = Float(dropout)
        recurrentRate = Float(recurrentDropout)
        let strictlyInside = { (rate: Double) in rate > 0 && rate < 1 }
        switch cell {
        case .simple:
            input = dropout != 0 ? .perSequence : .none
            recurrent = recurrentDropout != 0 ? .shared : .none
        case .lstm, .gru:
            let fused = arguments.activation("activation") == .tanh
                && arguments.activation("recurrent_activation") == .sigmoid
                && recurrentDropout == 0 && !arguments.bool("unroll") && arguments.bool("use_bias")
                && cell != .gru(resetAfter: false)
            if fused {
                input = dropout != 0 ? .perTimestep : .none
                recurrent = .none
            } else if recurrentDropout == 0 {
                input = strictlyInside(dropout) ? .perSequence : .none
                recurrent = .none
            } else {
                input = strictlyInside(dropout) ? .perGate : .none
                recurrent = strictlyInside(recurrentDropout) ? .perGate : .none
            }
        }
    }

    /// Input mask rows per sample: [slots, F].
    func inputSlots(timesteps: Int, gates: Int) -> Int {
        switch input {
        case .none: 0
        case .perSequence: 1
        case .perTimestep: timesteps
        case .perGate: gates
        }
    }

    /// Recurrent mask rows per sample: [slots, units].
    func recurrentSlots(gates: Int) -> Int {
        switch recurrent {
        case .none: 0
        case .shared: 1
        case .perGate: gates
        }
    }

    /// Kept values are scaled by 1 / (1 - rate); a rate of 1 drops everything.
    static func keptScale(_ rate: Float) -> Float { rate >= 1 ? 0 : 1 / (1 - rate) }

    /// Fills `count` mask values for one sample from its own stream, so masks depend only on the
    /// pass's seed, the layer and the sample, never on chunking or threads.
    /// `kind` 0 is the input mask, 1 the recurrent mask.
    static func fill(_ mask: UnsafeMutablePointer<Float>, count: Int, rate: Float, seed: UInt64, stream: UInt64,
                     sample: Int, kind: UInt64) {
        var random = RandomSource(seed: seed, path: [stream, UInt64(sample), kind])
        let scale = keptScale(rate)
        for i in 0..<count { mask[i] = random.nextUnitFloat() >= rate ? scale : 0 }
    }
}
