import Testing
@testable import ModelC
@testable import ModelRun

/// Embedding → recurrent layer run through token tables (`RecurrentTokenProjection`) against the
/// two layers run one after the other.
@Suite struct SpeedTokenProjectionTests {
    static let layers = [
        "LSTM 8",
        "LSTM: {units: 3, return_sequences: true, go_backwards: true}",
        "GRU: {units: 8, use_bias: false}",
        "GRU: {units: 4, reset_after: false, return_sequences: true}",
        "SimpleRNN 8",
        "LSTM: {units: 8, recurrent_dropout: 0.3}",
        "Bidirectional: {layer: {LSTM: {units: 8, return_sequences: true}}, merge_mode: sum}",
        "Bidirectional: {layer: {GRU: {units: 4}}}",
    ]

    /// input [7] ids below 12, batch 8: chunks of 2 rows cover 14 positions ≥ V = 12, so tables pay.
    static func spec(_ layer: String, embedding: String = "Embedding 12x5") -> String {
        "input: [7]\nlayers:\n  - \(embedding)\n  - \(layer)\n  - Dense 3\n"
    }

    static func unlink(_ network: Network) {
        for case let embedding as EmbeddingLayer in network.layers {
            for layer in embedding.projectingLayers { layer.tokenEmbedding = nil }
            embedding.projectingLayers = []
        }
    }

    /// dL/dy values in [-1, 1] for `batch` samples of the network's output.
    static func outputGradient(_ network: Network, batch: Int) -> Buffer {
        var random = RandomSource(seed: 8)
        let buffer = Buffer(count: network.capacity * network.outputSize)
        for index in 0..<(batch * network.outputSize) { buffer[index] = random.nextUnitFloat() * 2 - 1 }
        return buffer
    }

    static func embedding(_ network: Network) throws -> EmbeddingLayer {
        try #require(network.layers.first as? EmbeddingLayer)
    }

    /// Outputs (training and inference) and every gradient agree with the direct path up to the
    /// rounding of reordered sums.
    @Test(arguments: layers)
    func tablesMatchTheDirectPath(_ layer: String) throws {
        let tables = try RunSupport.network(Self.spec(layer), capacity: 8)
        let direct = try RunSupport.network(Self.spec(layer), capacity: 8)
        Self.unlink(direct)
        RecurrentTestSupport.randomize(tables, seed: 9, scale: 0.6)
        RecurrentTestSupport.randomize(direct, seed: 9, scale: 0.6)
        let input = RunSupport.inputs(tables, batch: 8, vocabulary: 12)
        let pass = Pass(training: true, batch: 8, executor: tables.executor, seed: 4)
        #expect(try Self.embedding(tables).isProjected(pass), "\(layer) should read the tokens through tables")
        #expect(try !Self.embedding(direct).isProjected(pass))

        for training in [false, true] {
            let a = tables.forward(input, Pass(training: training, batch: 8, executor: tables.executor, seed: 4))
            let b = direct.forward(input, Pass(training: training, batch: 8, executor: direct.executor, seed: 4))
            #expect(SpeedRecurrentTests.largestDifference(a, b, count: 8 * tables.outputSize) < 2e-6, "training: \(training)")
        }
        let dy = Self.outputGradient(tables, batch: 8)
        tables.backward(dy, pass)
        direct.backward(dy, Pass(training: true, batch: 8, executor: direct.executor, seed: 4))
        for (p, q) in zip(tables.parameters, direct.parameters) {
            #expect(SpeedRecurrentTests.largestDifference(p.gradient, q.gradient, count: p.count) < 1e-5, "\(p.name)")
            #expect(p.gradient.array.contains { $0 != 0 }, "\(p.name) got no gradient")
        }
    }

    /// A frozen embedding or kernel keeps its zero gradient; the other still gets the direct path's.
    @Test(arguments: ["Embedding: {input_dim: 12, output_dim: 5, trainable: false}", "Embedding 12x5"])
    func frozenWeightsStayFrozen(_ embedding: String) throws {
        let frozenKernel = embedding == "Embedding 12x5"
        let tables = try RunSupport.network(Self.spec("LSTM 8", embedding: embedding), capacity: 8)
        let direct = try RunSupport.network(Self.spec("LSTM 8", embedding: embedding), capacity: 8)
        Self.unlink(direct)
        for network in [tables, direct] where frozenKernel {
            network.parameters.first { $0.name == "lstm/kernel" }?.trainable = false
        }
        RecurrentTestSupport.randomize(tables, seed: 2)
        RecurrentTestSupport.randomize(direct, seed: 2)
        let input = RunSupport.inputs(tables, batch: 8, vocabulary: 12), dy = Self.outputGradient(tables, batch: 8)
        for network in [tables, direct] {
            let pass = Pass(training: true, batch: 8, executor: network.executor)
            network.forward(input, pass)
            network.backward(dy, pass)
        }
        for (p, q) in zip(tables.parameters, direct.parameters) {
            #expect(SpeedRecurrentTests.largestDifference(p.gradient, q.gradient, count: p.count) < 1e-5, "\(p.name)")
            #expect(p.gradient.array.contains { $0 != 0 } == p.trainable, "\(p.name)")
        }
    }

    @Test func tableGradientsPassFiniteDifferences() throws {
        let network = try RunSupport.network(Self.spec("LSTM: {units: 4, return_sequences: true}"), capacity: 8)
        RecurrentTestSupport.randomize(network, seed: 4, scale: 0.6)
        #expect(try Self.embedding(network).isProjected(Pass(training: true, batch: 8, executor: network.executor)))
        let input = RunSupport.inputs(network, batch: 8, vocabulary: 12)
        #expect(RunSupport.gradientMismatches(network, input: input, batch: 8, checkInput: false) == [])
    }

    /// Tables are used only where they are smaller than the work they replace, never under input
    /// dropout in training, and only for an Embedding feeding a recurrent layer directly.
    @Test func tablesRunOnlyWhereTheyPay() throws {
        let imdb = try RunSupport.network("input: [100]\nlayers: [Embedding 500x16, LSTM 8, Dense 1 sigmoid]\n", capacity: 64)
        let embedding = try Self.embedding(imdb)
        #expect(embedding.isProjected(Pass(training: true, batch: 64, executor: imdb.executor)))
        #expect(embedding.isProjected(Pass(training: false, batch: 20, executor: imdb.executor)))
        // 4 rows of 100 timesteps per chunk < 500 tokens
        #expect(!embedding.isProjected(Pass(training: true, batch: 16, executor: imdb.executor)))

        let large = try RunSupport.network(Self.spec("LSTM 8", embedding: "Embedding 15x5"), capacity: 8)
        #expect(try !Self.embedding(large).isProjected(Pass(training: true, batch: 8, executor: large.executor)))

        let dropout = try RunSupport.network(Self.spec("LSTM: {units: 8, dropout: 0.2}"), capacity: 8)
        #expect(try !Self.embedding(dropout).isProjected(Pass(training: true, batch: 8, executor: dropout.executor)))
        #expect(try Self.embedding(dropout).isProjected(Pass(training: false, batch: 8, executor: dropout.executor)))

        let small = try RunSupport.network(Self.spec("LSTM 8"), capacity: 3)
        #expect(try !Self.embedding(small).isProjected(Pass(training: true, batch: 3, executor: small.executor)),
                "capacity 3 leaves chunks of one row, too few positions for a table")

        let between = try RunSupport.network("input: [7]\nlayers:\n  - Embedding 12x5\n  - Dropout 0.1\n  - LSTM 8\n", capacity: 8)
        #expect(try Self.embedding(between).projectingLayers.isEmpty)
    }

    /// Chunked tables keep results bit-identical whatever the thread count.
    @Test func tableResultsDoNotDependOnThreads() throws {
        var results: [[Float]] = []
        for threads in [1, 2, 4] {
            let network = try RunSupport.network(Self.spec("Bidirectional: {layer: {LSTM: {units: 8}}}"), threads: threads, capacity: 8)
            RecurrentTestSupport.randomize(network, seed: 6)
            let pass = Pass(training: true, batch: 8, executor: network.executor)
            let y = network.forward(RunSupport.inputs(network, batch: 8, vocabulary: 12), pass).array(count: 8 * network.outputSize)
            network.backward(Self.outputGradient(network, batch: 8), pass)
            results.append(y + network.parameters.flatMap(\.gradient.array))
        }
        #expect(results[1] == results[0] && results[2] == results[0])
    }
}
