import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// Forward passes of SimpleRNN, LSTM, GRU and Bidirectional against the double-precision oracle
/// (random weights and inputs, inference) and against outputs recorded from Keras.
@Suite struct RecurrentLayerTests {
    struct Case: Sendable, CustomStringConvertible {
        let layer: String
        let cell: RecurrentOracle.Cell
        var merge: String? = nil
        var description: String { layer }
    }

    typealias Cell = RecurrentOracle.Cell

    static let plainCases: [Case] = [
        Case(layer: "SimpleRNN 3", cell: Cell(kind: .simple, units: 3)),
        Case(layer: "SimpleRNN: {units: 3, activation: relu, return_sequences: true, go_backwards: true}",
             cell: Cell(kind: .simple, units: 3, activation: .relu, goBackwards: true, returnSequences: true)),
        Case(layer: "SimpleRNN: {units: 4, use_bias: false, activation: softsign}",
             cell: Cell(kind: .simple, units: 4, activation: .softsign)),
        Case(layer: "LSTM 3", cell: Cell(kind: .lstm, units: 3)),
        Case(layer: "LSTM: {units: 3, return_sequences: true, go_backwards: true}",
             cell: Cell(kind: .lstm, units: 3, goBackwards: true, returnSequences: true)),
        Case(layer: "LSTM: {units: 3, activation: relu, recurrent_activation: hard_sigmoid, use_bias: false}",
             cell: Cell(kind: .lstm, units: 3, activation: .relu, recurrentActivation: .hard_sigmoid)),
        Case(layer: "LSTM: {units: 2, activation: elu, recurrent_activation: softmax, return_sequences: true, unit_forget_bias: false}",
             cell: Cell(kind: .lstm, units: 2, activation: .elu, recurrentActivation: .softmax, returnSequences: true)),
        Case(layer: "GRU 3", cell: Cell(kind: .gru, units: 3)),
        Case(layer: "GRU: {units: 3, use_bias: false, return_sequences: true}", cell: Cell(kind: .gru, units: 3, returnSequences: true)),
        Case(layer: "GRU: {units: 3, go_backwards: true, return_sequences: true, activation: selu, recurrent_activation: hard_sigmoid}",
             cell: Cell(kind: .gru, units: 3, activation: .selu, recurrentActivation: .hard_sigmoid, goBackwards: true, returnSequences: true)),
        Case(layer: "GRU: {units: 3, reset_after: false, return_sequences: true}",
             cell: Cell(kind: .gru2014, units: 3, returnSequences: true)),
        Case(layer: "GRU: {units: 3, reset_after: false, use_bias: false, go_backwards: true, activation: swish}",
             cell: Cell(kind: .gru2014, units: 3, activation: .swish, goBackwards: true)),
    ]

    /// Every merge mode around each cell, with and without return_sequences, and a wrapped layer
    /// that itself runs backwards.
    static let bidirectionalCases: [Case] = {
        var cases: [Case] = []
        let cells: [(String, RecurrentOracle.Kind, String)] = [
            ("SimpleRNN", .simple, ""), ("LSTM", .lstm, ""), ("GRU", .gru, ""), ("GRU", .gru2014, ", reset_after: false"),
        ]
        for merge in ["concat", "sum", "mul", "ave"] {
            for (name, kind, extra) in cells {
                for sequences in [false, true] {
                    cases.append(Case(layer: "Bidirectional: {layer: {\(name): {units: 3, return_sequences: \(sequences)\(extra)}}, merge_mode: \(merge)}",
                                      cell: Cell(kind: kind, units: 3, returnSequences: sequences), merge: merge))
                }
            }
        }
        cases.append(Case(layer: "Bidirectional: {layer: {LSTM: {units: 2, return_sequences: true, go_backwards: true}}, merge_mode: concat}",
                          cell: Cell(kind: .lstm, units: 2, goBackwards: true, returnSequences: true), merge: "concat"))
        return cases
    }()

    @Test(arguments: plainCases + bidirectionalCases)
    func matchesTheDoublePrecisionOracle(_ testCase: Case) throws {
        let timesteps = 5, features = 3, batch = 5
        let network = try RunSupport.network("input: [\(timesteps), \(features)]\nlayers:\n  - \(testCase.layer)\n", capacity: batch)
        RecurrentTestSupport.randomize(network, seed: 21, scale: 0.8)
        let input = RunSupport.inputs(network, batch: batch)
        let y = network.forward(input, Pass(training: false, batch: batch, executor: network.executor))
        let expected: [Double]
        if let merge = testCase.merge {
            expected = RecurrentTestSupport.bidirectionalOracle(testCase.cell, merge: merge, network.parameters, input: input,
                                                                batch: batch, timesteps: timesteps, features: features)
        } else {
            expected = RecurrentTestSupport.oracle(testCase.cell, network.parameters[...], input: input, batch: batch,
                                                   timesteps: timesteps, features: features)
        }
        #expect(expected.count == batch * network.outputSize)
        let worst = RecurrentTestSupport.largestDifference(y, expected)
        #expect(worst <= 1e-5, "largest difference \(worst)")
    }

    @Test func parametersFollowTheWeightDeclarations() throws {
        let network = try RunSupport.network("input: [4, 3]\nlayers:\n  - Bidirectional: {layer: {GRU: {units: 2}}}\n")
        #expect(network.layers[0].parameters.map(\.name) == [
            "bidirectional/forward/kernel", "bidirectional/forward/recurrent_kernel", "bidirectional/forward/bias",
            "bidirectional/backward/kernel", "bidirectional/backward/recurrent_kernel", "bidirectional/backward/bias",
        ])
        #expect(network.layers[0].parameters.map(\.shape) == [[3, 6], [2, 6], [2, 6], [3, 6], [2, 6], [2, 6]])
    }

    // MARK: Keras

    /// `0.6 · sin(0.731 i + 1.3 salt)`: the weights (salt = index in Keras's `get_weights()` order)
    /// and inputs (salt 100) of the Keras reference cases.
    static func formula(count: Int, salt: Int) -> [Float] {
        (0..<count).map { Float(0.6 * sin(0.731 * Double($0) + 1.3 * Double(salt))) }
    }

    static let kerasLayers: [String: String] = [
        "lstmSequences": "LSTM: {units: 3, return_sequences: true}",
        "lstmBackwardsRelu": "LSTM: {units: 3, go_backwards: true, activation: relu, recurrent_activation: hard_sigmoid}",
        "gruResetAfter": "GRU: {units: 3, return_sequences: true}",
        "gru2014Backwards": "GRU: {units: 3, reset_after: false, go_backwards: true, return_sequences: true}",
        "simpleRNNBackwardsNoBias": "SimpleRNN: {units: 3, go_backwards: true, use_bias: false, return_sequences: true}",
        "bidirectionalLSTMConcat": "Bidirectional: {layer: {LSTM: {units: 2, return_sequences: true}}}",
        "bidirectionalGRUMul": "Bidirectional: {layer: {GRU: {units: 2, reset_after: false}}, merge_mode: mul}",
        "bidirectionalSimpleAveBackwards": "Bidirectional: {layer: {SimpleRNN: {units: 2, return_sequences: true, go_backwards: true}}, merge_mode: ave}",
    ]

    /// Produced with tf_keras 2.21 (TensorFlow 2.21, CPU) by a probe script: for each layer,
    /// `Sequential([Input((4, 3)), layer])`, `set_weights` with the formula above for every array
    /// of `get_weights()`, then `predict(x)` on x = formula(24, salt: 100) shaped (2, 4, 3).
    static let kerasOutputs: [String: [Float]] = [
        "lstmSequences": [0.1339332, 0.10347105, 0.055894263, 0.16365798, 0.13464946, 0.080538973, 0.11959901, 0.18765025, 0.13230617, 0.16621201, 0.15270969, 0.10910383, 0.11078118, 0.093229108, 0.052776698, 0.10579291, 0.16913532, 0.11660346, 0.1624541, 0.14182487, 0.098656483, 0.16161568, 0.16723411, 0.11854114],
        "lstmBackwardsRelu": [0.20332469, 0.21025795, 0.13846761, 0.16022697, 0.19549409, 0.14687108],
        "gruResetAfter": [0.37250978, 0.66694081, 0.62407851, 0.27287582, 0.54653484, 0.63433647, 0.31203604, 0.58138788, 0.66625941, 0.42204571, 0.75120538, 0.81971616, -0.087669946, 0.069216937, 0.28508893, 0.20843276, 0.51005459, 0.54931659, 0.33392578, 0.69929135, 0.77772123, 0.22602379, 0.54200107, 0.66886485],
        "gru2014Backwards": [0.35930058, 0.54610592, 0.45089185, 0.35503206, 0.55126333, 0.49468732, 0.21162863, 0.45790935, 0.52902693, 0.39963341, 0.70353019, 0.67340744, -0.1631335, -0.025160922, 0.14598648, 0.22556919, 0.4942975, 0.4889631, 0.32737282, 0.58768868, 0.53455871, 0.17489794, 0.46806845, 0.53679287],
        "simpleRNNBackwardsNoBias": [-0.16708259, -0.23474267, -0.18534535, 0.23632401, 0.3805179, 0.34143767, -0.15129669, -0.24688131, -0.21927735, -0.077704139, -0.10979586, -0.086074784, 0.038174659, 0.009485811, -0.02406361, -0.17719397, -0.2930432, -0.2640318, 0.24550681, 0.37747526, 0.3280842, -0.076421566, -0.1428947, -0.1368044],
        "bidirectionalLSTMConcat": [-0.30281702, 0.036592908, -0.046775669, -0.18677519, -0.057706382, 0.053000264, -0.04852033, -0.15129676, -0.19935058, -0.045313269, -0.009466364, -0.18449061, -0.28288716, 0.069830939, -0.025447188, -0.14811648, 0.027514884, -0.0048072347, -0.023889719, -0.13253483, -0.22489837, -0.071613625, -0.0028917599, -0.17308927, -0.22859783, 0.071883515, -0.017771874, -0.12957378, -0.041518081, 0.0254208, 0.023266364, 0.052395601],
        "bidirectionalGRUMul": [-0.018062552, 0.0081993723, 0.011266386, -0.043265875],
        "bidirectionalSimpleAveBackwards": [0.28170407, 0.13771883, 0.10343527, 0.33284047, 0.2830413, 0.37878853, 0.40893418, 0.22451374, 0.16434172, 0.42207813, 0.49413198, 0.27266654, 0.23050839, 0.33929947, 0.32658881, 0.36810902],
    ]

    @Test(arguments: kerasLayers.keys.sorted())
    func matchesKerasRecordedOutputs(_ name: String) throws {
        let layer = try #require(Self.kerasLayers[name]), expected = try #require(Self.kerasOutputs[name])
        let network = try RunSupport.network("input: [4, 3]\nlayers:\n  - \(layer)\n", capacity: 2)
        for (salt, parameter) in network.parameters.enumerated() {
            for (i, value) in Self.formula(count: parameter.count, salt: salt).enumerated() { parameter.value[i] = value }
        }
        let input = Buffer(Self.formula(count: 24, salt: 100))
        let y = network.forward(input, Pass(training: false, batch: 2, executor: network.executor))
        #expect(2 * network.outputSize == expected.count)
        let worst = RecurrentTestSupport.largestDifference(y, expected.map(Double.init))
        #expect(worst <= 1e-5, "largest difference \(worst)")
    }
}
