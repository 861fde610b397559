import ModelC

/// Builds SimpleRNN, LSTM, GRU and Bidirectional runtime layers from their blueprints.
enum RecurrentLayers {
    static func make(_ blueprint: LayerBlueprint) throws(NetworkError) -> RuntimeLayer {
        try RecurrentLayer(blueprint)
    }

    static func makeBidirectional(_ blueprint: LayerBlueprint) throws(NetworkError) -> RuntimeLayer {
        try BidirectionalLayer(blueprint)
    }
}

/// The cell a recurrent layer runs, with Keras's gate layout of its weights.
enum RecurrentCell: Equatable {
    /// h = activation(x·W + h₋·U + b); one block.
    case simple
    /// Gates i, f, c, o: c = f⊙c₋ + i⊙activation(ĉ), h = o⊙activation(c).
    case lstm
    /// Gates z, r, h: h = z⊙h₋ + (1 - z)⊙ĥ. `resetAfter` applies r to (h₋·U_h + b_rh) (Keras 2's default);
    /// otherwise to h₋ before the product (the 2014 formulation, one bias row).
    case gru(resetAfter: Bool)

    init?(_ kind: LayerKind) {
        switch kind {
        case .simpleRNN: self = .simple
        case .lstm: self = .lstm
        case .gru: self = .gru(resetAfter: true)
        default: return nil
        }
    }

    /// Blocks of `units` columns in the kernels.
    var gates: Int {
        switch self {
        case .simple: 1
        case .lstm: 4
        case .gru: 3
        }
    }

    /// Blocks whose recurrent product h₋·U_k is taken directly (GRU 2014 multiplies its candidate
    /// block by r⊙h₋ instead, after the gates are known).
    var directRecurrentBlocks: Int {
        self == .gru(resetAfter: false) ? 2 : gates
    }
}
