import Testing
@testable import ModelC
@testable import ModelRun

/// Dropout inside recurrent layers: off in inference, deterministic per seed in training, and drawn
/// with the mask structure of the code path tf_keras 2 takes for the same arguments.
@Suite struct RecurrentDropoutTests {
    typealias Plan = RecurrentDropoutPlan

    struct Case: Sendable, CustomStringConvertible {
        let layer: String
        let cell: RecurrentOracle.Cell
        let input: Plan.Input
        let recurrent: Plan.Recurrent
        var description: String { layer }
    }

    /// Which masks Keras draws (read from tf_keras's cells and layers, and confirmed by a probe on
    /// the input gradients: the fused LSTM/GRU path zeroes different features at every timestep,
    /// the cell paths the same features at all timesteps).
    static let cases: [Case] = [
        Case(layer: "SimpleRNN: {units: 3, dropout: 0.4, recurrent_dropout: 0.5, return_sequences: true}",
             cell: .init(kind: .simple, units: 3, returnSequences: true), input: .perSequence, recurrent: .shared),
        Case(layer: "SimpleRNN: {units: 3, recurrent_dropout: 0.5, go_backwards: true}",
             cell: .init(kind: .simple, units: 3, goBackwards: true), input: .none, recurrent: .shared),
        Case(layer: "LSTM: {units: 3, dropout: 0.4, return_sequences: true}",
             cell: .init(kind: .lstm, units: 3, returnSequences: true), input: .perTimestep, recurrent: .none),
        Case(layer: "LSTM: {units: 3, dropout: 0.4, activation: relu, return_sequences: true}",
             cell: .init(kind: .lstm, units: 3, activation: .relu, returnSequences: true), input: .perSequence, recurrent: .none),
        Case(layer: "LSTM: {units: 3, dropout: 0.4, unroll: true}",
             cell: .init(kind: .lstm, units: 3), input: .perSequence, recurrent: .none),
        Case(layer: "LSTM: {units: 3, dropout: 0.4, recurrent_dropout: 0.5, return_sequences: true}",
             cell: .init(kind: .lstm, units: 3, returnSequences: true), input: .perGate, recurrent: .perGate),
        Case(layer: "GRU: {units: 3, dropout: 0.4, go_backwards: true, return_sequences: true}",
             cell: .init(kind: .gru, units: 3, goBackwards: true, returnSequences: true), input: .perTimestep, recurrent: .none),
        Case(layer: "GRU: {units: 3, dropout: 0.4, reset_after: false, return_sequences: true}",
             cell: .init(kind: .gru2014, units: 3, returnSequences: true), input: .perSequence, recurrent: .none),
        Case(layer: "GRU: {units: 3, dropout: 0.4, recurrent_dropout: 0.5}",
             cell: .init(kind: .gru, units: 3), input: .perGate, recurrent: .perGate),
        Case(layer: "GRU: {units: 3, dropout: 0.4, recurrent_dropout: 0.5, reset_after: false, return_sequences: true}",
             cell: .init(kind: .gru2014, units: 3, returnSequences: true), input: .perGate, recurrent: .perGate),
    ]

    /// The training output equals the oracle run with the masks the layer drew, so each mask is
    /// applied where Keras applies it (the same input mask at every timestep unless per-timestep).
    @Test(arguments: cases)
    func trainingAppliesKerasMaskStructure(_ testCase: Case) throws {
        let timesteps = 5, features = 6, batch = 5
        let network = try RunSupport.network("input: [\(timesteps), \(features)]\nlayers:\n  - \(testCase.layer)\n", capacity: batch)
        RecurrentTestSupport.randomize(network, seed: 8, scale: 0.8)
        let layer = try #require(network.layers[0] as? RecurrentLayer)
        #expect(layer.dropout.input == testCase.input)
        #expect(layer.dropout.recurrent == testCase.recurrent)
        let input = RunSupport.inputs(network, batch: batch)
        let y = network.forward(input, Pass(training: true, batch: batch, executor: network.executor, seed: 17))
        let masks = RecurrentTestSupport.masks(of: layer)
        let expected = RecurrentTestSupport.oracle(testCase.cell, network.parameters[...], input: input, batch: batch,
                                                   timesteps: timesteps, features: features, masks: masks)
        let worst = RecurrentTestSupport.largestDifference(y, expected)
        #expect(worst <= 1e-5, "largest difference \(worst)")
        let unmasked = RecurrentTestSupport.oracle(testCase.cell, network.parameters[...], input: input, batch: batch,
                                                   timesteps: timesteps, features: features)
        #expect(RecurrentTestSupport.largestDifference(y, unmasked) > 1e-3, "training output ignores dropout")
        let drawn = layer.inputMasks.array(count: batch * layer.inputMaskSlots * features)
            + layer.recurrentMasks.array(count: batch * layer.recurrentMaskSlots * layer.units)
        #expect(drawn.allSatisfy { $0 == 0 || abs($0 - 1 / 0.6) < 1e-5 || abs($0 - 2) < 1e-5 })
        #expect(drawn.contains(0))
    }

    @Test func inferenceIgnoresDropout() throws {
        let network = try RunSupport.network("input: [5, 4]\nlayers:\n  - LSTM: {units: 3, dropout: 0.5, recurrent_dropout: 0.5, return_sequences: true}\n", capacity: 3)
        RecurrentTestSupport.randomize(network, seed: 2)
        let input = RunSupport.inputs(network, batch: 3)
        let y = network.forward(input, Pass(training: false, batch: 3, executor: network.executor, seed: 1))
        let expected = RecurrentTestSupport.oracle(.init(kind: .lstm, units: 3, returnSequences: true), network.parameters[...],
                                                   input: input, batch: 3, timesteps: 5, features: 4)
        #expect(RecurrentTestSupport.largestDifference(y, expected) <= 1e-5)
    }

    @Test(arguments: ["LSTM: {units: 3, dropout: 0.3}", "GRU: {units: 3, dropout: 0.3, recurrent_dropout: 0.3}",
                      "Bidirectional: {layer: {SimpleRNN: {units: 3, dropout: 0.3, recurrent_dropout: 0.3}}}"])
    func trainingIsDeterministicPerSeedAndDiffersFromInference(_ layer: String) throws {
        let network = try RunSupport.network("input: [5, 4]\nlayers:\n  - \(layer)\n", capacity: 4)
        RecurrentTestSupport.randomize(network, seed: 2)
        let input = RunSupport.inputs(network, batch: 4)
        let count = 4 * network.outputSize
        func run(training: Bool, seed: UInt64) -> [Float] {
            network.forward(input, Pass(training: training, batch: 4, executor: network.executor, seed: seed)).array(count: count)
        }
        let first = run(training: true, seed: 5)
        #expect(run(training: true, seed: 5) == first)
        #expect(run(training: true, seed: 6) != first)
        #expect(run(training: false, seed: 5) != first)
    }

    /// The pattern Keras shows in its input gradients: SimpleRNN (and cell-path LSTM/GRU) zero the
    /// same features at every timestep; the fused LSTM path draws a new mask for every timestep.
    @Test(arguments: [("SimpleRNN: {units: 4, dropout: 0.5, return_sequences: true}", true),
                      ("LSTM: {units: 4, dropout: 0.5, activation: relu, return_sequences: true}", true),
                      ("LSTM: {units: 4, dropout: 0.5, return_sequences: true}", false)])
    func inputMaskIsSharedAcrossTimestepsUnlessKerasFusesTheLayer(_ layer: String, shared: Bool) throws {
        let timesteps = 6, features = 32
        let network = try RunSupport.network("input: [\(timesteps), \(features)]\nlayers:\n  - \(layer)\n", capacity: 1)
        RecurrentTestSupport.randomize(network, seed: 3)
        let input = RunSupport.inputs(network, batch: 1)
        let pass = Pass(training: true, batch: 1, executor: network.executor, seed: 9)
        network.forward(input, pass)
        let dy = Buffer(count: network.outputSize)
        for i in 0..<dy.count { dy[i] = 1 }
        network.backward(dy, pass, inputGradient: true)
        let dx = network.inputGradients[0]
        let dropped = (0..<timesteps).map { t in (0..<features).map { dx[t * features + $0] == 0 } }
        #expect(dropped[0].contains(true) && dropped[0].contains(false))
        #expect(dropped.allSatisfy { $0 == dropped[0] } == shared)
    }

    /// Masks come from (seed, layer, sample) streams, so thread count changes nothing, bit for bit.
    @Test func resultsDoNotDependOnThreads() throws {
        let spec = "input: [5, 4]\nlayers:\n  - Bidirectional: {layer: {LSTM: {units: 3, dropout: 0.3, recurrent_dropout: 0.2, return_sequences: true}}}\n  - GRU: {units: 2, dropout: 0.3}\n"
        var results: [[Float]] = []
        for threads in [1, 3] {
            let network = try RunSupport.network(spec, threads: threads, capacity: 7)
            RecurrentTestSupport.randomize(network, seed: 2)
            let input = RunSupport.inputs(network, batch: 7)
            let pass = Pass(training: true, batch: 7, executor: network.executor, seed: 4)
            let y = network.forward(input, pass).array(count: 7 * network.outputSize)
            network.backward(Buffer([Float](repeating: 0.5, count: 7 * network.outputSize)), pass, inputGradient: true)
            results.append(y + network.parameters.flatMap(\.gradient.array) + network.inputGradients[0].array(count: 7 * network.inputSize))
        }
        #expect(results[0] == results[1])
    }
}
