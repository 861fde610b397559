import Testing
@testable import ModelC
@testable import ModelRun

/// Finite-difference checks of the recurrent layers' backward passes through time: weights and
/// inputs, in training mode (dropout masks fixed by the pass's seed), batch 5 over 4 chunks.
@Suite struct RecurrentGradientTests {
    static let singleLayers = [
        "SimpleRNN 3",
        "SimpleRNN: {units: 3, return_sequences: true}",
        "SimpleRNN: {units: 3, go_backwards: true, use_bias: false, activation: relu}",
        "SimpleRNN: {units: 3, return_sequences: true, go_backwards: true, activation: softmax}",
        "SimpleRNN: {units: 3, dropout: 0.3, recurrent_dropout: 0.4, return_sequences: true}",
        "LSTM 3",
        "LSTM: {units: 3, return_sequences: true, go_backwards: true}",
        "LSTM: {units: 3, use_bias: false, activation: relu, recurrent_activation: hard_sigmoid}",
        "LSTM: {units: 3, activation: elu, recurrent_activation: softmax, return_sequences: true}",
        "LSTM: {units: 3, activation: sigmoid, recurrent_activation: tanh, go_backwards: true}",
        "LSTM: {units: 3, dropout: 0.3, return_sequences: true}",
        "LSTM: {units: 3, dropout: 0.3, activation: softsign, go_backwards: true}",
        "LSTM: {units: 3, dropout: 0.3, recurrent_dropout: 0.3, return_sequences: true}",
        "LSTM: {units: 3, recurrent_dropout: 0.4, go_backwards: true}",
        "GRU 3",
        "GRU: {units: 3, return_sequences: true, go_backwards: true}",
        "GRU: {units: 3, use_bias: false, activation: relu, recurrent_activation: hard_sigmoid}",
        "GRU: {units: 3, dropout: 0.3, return_sequences: true}",
        "GRU: {units: 3, dropout: 0.3, recurrent_dropout: 0.3, return_sequences: true, go_backwards: true}",
        "GRU: {units: 3, reset_after: false}",
        "GRU: {units: 3, reset_after: false, return_sequences: true, go_backwards: true, activation: softsign}",
        "GRU: {units: 3, reset_after: false, use_bias: false, recurrent_activation: hard_sigmoid}",
        "GRU: {units: 3, reset_after: false, dropout: 0.3, return_sequences: true}",
        "GRU: {units: 3, reset_after: false, dropout: 0.3, recurrent_dropout: 0.3, return_sequences: true}",
        "GRU: {units: 3, reset_after: false, recurrent_dropout: 0.3, go_backwards: true}",
    ]

    @Test(arguments: singleLayers)
    func recurrentLayerThenDense(_ layer: String) throws {
        try check("  - \(layer)\n  - Dense 2\n")
    }

    static let bidirectionalLayers: [String] = {
        var layers: [String] = []
        for merge in ["concat", "sum", "mul", "ave"] {
            for inner in ["SimpleRNN: {units: 3", "LSTM: {units: 3", "GRU: {units: 3", "GRU: {units: 2, reset_after: false"] {
                for sequences in [false, true] {
                    layers.append("Bidirectional: {layer: {\(inner), return_sequences: \(sequences)}}, merge_mode: \(merge)}")
                }
            }
        }
        layers.append("Bidirectional: {layer: {LSTM: {units: 3, dropout: 0.3, recurrent_dropout: 0.3, return_sequences: true}}, merge_mode: mul}")
        layers.append("Bidirectional: {layer: {GRU: {units: 3, dropout: 0.3, go_backwards: true}}, merge_mode: concat}")
        return layers
    }()

    @Test(arguments: bidirectionalLayers)
    func bidirectionalThenDense(_ layer: String) throws {
        try check("  - \(layer)\n  - Dense 2\n")
    }

    @Test(arguments: [
        "  - LSTM: {units: 4, return_sequences: true}\n  - GRU: {units: 3, return_sequences: true, go_backwards: true}\n  - SimpleRNN 3\n  - Dense 2\n",
        "  - Bidirectional: {layer: {GRU: {units: 3, return_sequences: true}}}\n  - Bidirectional: {layer: {LSTM: {units: 2}}, merge_mode: ave}\n",
        "  - Dense 4 tanh\n  - GRU: {units: 3, reset_after: false, return_sequences: true, dropout: 0.2}\n  - LSTM: {units: 3, recurrent_dropout: 0.3}\n",
    ])
    func stackedRecurrentLayers(_ layers: String) throws {
        try check(layers)
    }

    @Test func embeddingIntoLSTM() throws {
        let network = try RunSupport.network("input: [6]\nlayers:\n  - Embedding 9x3\n  - LSTM: {units: 3, dropout: 0.2}\n  - Dense 2\n", capacity: 5)
        RecurrentTestSupport.randomize(network, seed: 4, scale: 0.6)
        let input = RunSupport.inputs(network, batch: 5, vocabulary: 9)
        #expect(RunSupport.gradientMismatches(network, input: input, batch: 5, checkInput: false) == [])
    }

    /// TimeDistributed runs the layer on B·T₁ rows of [T₂, F] sequences with a scaled pass.
    @Test func insideTimeDistributed() throws {
        let network = try RunSupport.network("input: [3, 4, 2]\nlayers:\n  - TimeDistributed: {layer: {GRU: {units: 2, dropout: 0.3, recurrent_dropout: 0.2}}}\n  - Dense 2\n", capacity: 5)
        RecurrentTestSupport.randomize(network, seed: 4, scale: 0.6)
        #expect(network.outputShape == [3, 2])
        #expect(RunSupport.gradientMismatches(network, input: RunSupport.inputs(network, batch: 5), batch: 5) == [])
    }

    func check(_ layers: String, timesteps: Int = 4, batch: Int = 5) throws {
        let network = try RunSupport.network("input: [\(timesteps), 3]\nlayers:\n\(layers)", capacity: batch)
        RecurrentTestSupport.randomize(network, seed: 4, scale: 0.6)
        let input = RunSupport.inputs(network, batch: batch)
        #expect(RunSupport.gradientMismatches(network, input: input, batch: batch) == [])
    }
}
