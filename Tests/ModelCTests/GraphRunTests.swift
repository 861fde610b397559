import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// The runtime of functional models: merge layers against finite differences and by value, fan-out,
/// several weighted outputs, thread-count independence and the token-table path inside graphs.
@Suite struct GraphRunTests {
    /// Two float inputs a [4] and b [4], and a sequence s [3, 4], merged by `merge`, then a Dense head.
    static func mergeSpec(_ merge: String, inputs: String = "[a, b]") -> String {
        """
        inputs: {a: [4], b: [4], s: [3, 4], c: [3, 4], one: [1]}
        layers:
          - Dense: {units: 4, activation: tanh, name: pa, inputs: a}
          - Dense: {units: 4, activation: tanh, name: pb, inputs: b}
          - \(merge)
          - Flatten: {}
          - Dense: {units: 2, name: head}
        outputs: [head]
        """
    }

    static let merges: [String] = [
        "Add: {inputs: [pa, pb]}",
        "Add: {inputs: [pa, pb, a]}",
        "Subtract: {inputs: [pa, pb]}",
        "Multiply: {inputs: [pa, pb, b]}",
        "Average: {inputs: [pa, pb, a]}",
        "Maximum: {inputs: [pa, pb, a]}",
        "Minimum: {inputs: [pa, pb]}",
        "Concatenate: {inputs: [pa, pb, a]}",
        "Concatenate: {axis: 1, inputs: [s, c]}",
        "Concatenate: {axis: -1, inputs: [s, c]}",
        "Add: {inputs: [s, pa]}",           // (3, 4) + (4,) broadcast over the steps
        "Multiply: {inputs: [s, one]}",     // (3, 4) · (1,) broadcast over everything
        "Dot: {axes: 1, inputs: [pa, pb]}",
        "Dot: {axes: 1, normalize: true, inputs: [pa, pb]}",
        "Dot: {axes: 2, inputs: [s, c]}",
        "Dot: {axes: [1, 1], inputs: [s, c]}",
        "Dot: {axes: [2, 1], normalize: true, inputs: [s, pa]}",
        "Dot: {axes: -1, inputs: [pa, s]}",
    ]

    @Test(arguments: merges)
    func mergeGradientsPassFiniteDifferences(_ merge: String) throws {
        let network = try RunSupport.network(Self.mergeSpec(merge))
        let inputs = RunSupport.graphInputs(network, batch: 5)
        let mismatches = RunSupport.gradientMismatches(network, inputs: inputs, batch: 5, checkInputs: [0, 1, 2, 3, 4])
        #expect(mismatches.isEmpty, "\(merge): \(mismatches)")
    }

    /// Forward values exactly as tf_keras computes them, on hand-made inputs.
    @Test func mergeValuesFollowKeras() throws {
        func run(_ merge: String, _ a: [Float], _ b: [Float]) throws -> [Float] {
            let yaml = "inputs: {a: [3], b: [3]}\nlayers:\n  - \(merge)\n"
            let network = try RunSupport.network(yaml, capacity: 1)
            network.forward(inputs: [Buffer(a), Buffer(b)], Pass(training: false, batch: 1, executor: network.executor))
            return network.output(0).array(count: network.outputSize)
        }
        #expect(try run("Subtract: {inputs: [a, b]}", [1, 2, 3], [0.5, 4, -1]) == [0.5, -2, 4])
        #expect(try run("Average: {inputs: [a, b]}", [1, 2, 3], [2, 2, 6]) == [1.5, 2, 4.5])
        #expect(try run("Maximum: {inputs: [a, b]}", [1, 5, 3], [2, 2, 3]) == [2, 5, 3])
        #expect(try run("Minimum: {inputs: [b, a]}", [1, 5, 3], [2, 2, 3]) == [1, 2, 3])
        #expect(try run("Concatenate: {inputs: [b, a]}", [1, 2, 3], [4, 5, 6]) == [4, 5, 6, 1, 2, 3])
        #expect(try run("Dot: {axes: 1, inputs: [a, b]}", [1, 2, 3], [4, 5, 6]) == [32])
        let cosine = try run("Dot: {axes: 1, normalize: true, inputs: [a, b]}", [3, 0, 4], [0, 5, 0])
        #expect(cosine == [0])
        let parallel = try run("Dot: {axes: 1, normalize: true, inputs: [a, b]}", [3, 0, 4], [6, 0, 8])
        #expect(abs(parallel[0] - 1) < 1e-6)
    }

    /// Concatenate on axis 1 stacks the steps; Dot over sequences gives every step pair.
    @Test func sequenceMergesLayOutValuesAsKeras() throws {
        let yaml = "inputs: {s: [2, 2], c: [1, 2]}\nlayers:\n  - Concatenate: {axis: 1, inputs: [s, c]}\n  - Dot: {axes: 2, inputs: [s, concatenate]}\noutputs: [concatenate, dot]\n"
        let network = try RunSupport.network(yaml, capacity: 1)
        network.forward(inputs: [Buffer([1, 2, 3, 4]), Buffer([5, 6])], Pass(training: false, batch: 1, executor: network.executor))
        #expect(network.outputShapes == [[3, 2], [2, 3]])
        #expect(network.output(0).array(count: 6) == [1, 2, 3, 4, 5, 6])
        // s · concatenateᵀ: rows (1, 2), (3, 4) against (1, 2), (3, 4), (5, 6).
        #expect(network.output(1).array(count: 6) == [5, 11, 17, 11, 25, 39])
    }

    /// Ties in Maximum and Minimum send the gradient to the first input holding the value, as
    /// chained tf.maximum / tf.minimum do.
    @Test func maximumTiesTakeTheFirstInput() throws {
        for merge in ["Maximum", "Minimum"] {
            let network = try RunSupport.network("inputs: {a: [2], b: [2], c: [2]}\nlayers:\n  - \(merge): {inputs: [a, b, c]}\n", capacity: 1)
            let pass = Pass(training: true, batch: 1, executor: network.executor)
            network.forward(inputs: [Buffer([1, 1]), Buffer([1, 0]), Buffer([1, 1])], pass)
            network.backward(Buffer([1, 1]), pass, inputGradient: true)
            let expected: [[Float]] = merge == "Maximum" ? [[1, 1], [0, 0], [0, 0]] : [[1, 0], [0, 1], [0, 0]]
            #expect(network.inputGradients.map { $0.array(count: 2) } == expected, "\(merge)")
        }
    }

    /// One tensor read by two layers gets the gradient of both (+=), and an input read twice too.
    @Test(arguments: [
        "inputs: {x: [4]}\nlayers:\n  - Dense 3 tanh inputs=x\n  - Dense 2 name=left inputs=dense\n  - Dense 2 sigmoid name=right inputs=dense\n  - Add inputs=[left, right]\n",
        "inputs: {x: [4]}\nlayers:\n  - Dense 3 tanh inputs=x\n  - Concatenate inputs=[dense, x, dense]\n  - Dense 2\n",
        "inputs: {x: [5, 3]}\nlayers:\n  - LSTM 4 return_sequences inputs=x\n  - GRU 2 name=g inputs=lstm\n  - GlobalAveragePooling1D inputs=lstm\n  - Dense 2 name=d\n  - Concatenate inputs=[g, d]\n",
    ])
    func fanOutGradientsPassFiniteDifferences(_ yaml: String) throws {
        let network = try RunSupport.network(yaml)
        let inputs = RunSupport.graphInputs(network, batch: 6)
        let mismatches = RunSupport.gradientMismatches(network, inputs: inputs, batch: 6, checkInputs: [0])
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    /// A model whose sigmoid output another layer also reads, and a second output: the total
    /// Σ wᵢ·lossᵢ against finite differences through the trainer's losses (Keras's logits path on
    /// the first output, dL/dy of its reader through f' on top).
    @Test func weightedOutputsPassFiniteDifferences() throws {
        let yaml = """
            inputs: {x: [4]}
            layers:
              - Dense 5 tanh inputs=x
              - Dense 1 sigmoid name=flag
              - Concatenate inputs=[flag, dense]
              - Dense 2 name=reg
            outputs: [flag, reg]
            compile: {optimizer: sgd, loss: {flag: binary_crossentropy, reg: mse}, loss_weights: {flag: 1.0, reg: 0.5}}
            """
        let model = try #require(TestSupport.model(yaml))
        let network = try Network(model: model, sampleShape: [4])
        Initializers.initialize(network, seed: 3)
        let trainer = Trainer(network: network, compile: try #require(model.compile), seed: 1, write: { _ in })
        let batch = 6
        trainer.reserve(batch: batch)
        var random = RandomSource(seed: 9)
        for i in 0..<(batch * 4) { trainer.inputBatches[0][i] = random.nextUnitFloat() * 2 - 1 }
        for i in 0..<batch { trainer.heads[0].targets[i] = Float(i % 2) }
        for i in 0..<(batch * 2) { trainer.heads[1].targets[i] = random.nextUnitFloat() }
        let pass = Pass(training: true, batch: batch, executor: network.executor)
        func total() -> Double {
            network.forward(inputs: trainer.inputBatches, pass)
            return trainer.applyLosses(batch: batch, gradient: false)
        }
        _ = total()
        network.beginBackward(pass)
        _ = trainer.applyLosses(batch: batch, gradient: true)
        network.backward(pass)
        #expect(trainer.heads[0].logitGradient != nil, "flag's logits loss goes beside its reader's gradient")
        for parameter in network.parameters {
            for index in 0..<parameter.count {
                let original = parameter.value[index]
                let h: Float = 1e-2
                parameter.value[index] = original + h
                let plus = total()
                parameter.value[index] = original - h
                let minus = total()
                parameter.value[index] = original
                let numeric = Float((plus - minus) / Double(2 * h))
                #expect(abs(numeric - parameter.gradient[index]) <= 2e-3 + 2e-2 * abs(numeric),
                        "\(parameter.name)[\(index)]: backprop \(parameter.gradient[index]), finite difference \(numeric)")
            }
        }
    }

    /// Training a graph gives bit-identical weights with 1, 2 and 4 threads.
    @Test func graphTrainingIsIdenticalForAnyThreadCount() throws {
        let yaml = """
            inputs: {tokens: [6], feats: [6, 3]}
            layers:
              - Embedding: {input_dim: 12, output_dim: 4, inputs: tokens}
              - LSTM: {units: 5, return_sequences: true}
              - Conv1D: {filters: 5, kernel_size: 2, padding: same, inputs: feats}
              - Add: {inputs: [lstm, conv1d]}
              - GlobalMaxPooling1D: {}
              - Dense: {units: 1, activation: sigmoid, name: out}
              - Dense: {units: 2, name: side, inputs: global_max_pooling1d}
            outputs: [out, side]
            compile: {optimizer: adam, loss: {out: binary_crossentropy, side: mse}, loss_weights: {side: 0.3}}
            """
        let model = try #require(TestSupport.model(yaml))
        var random = RandomSource(seed: 4)
        let rows = 23
        let data = Dataset(inputs: [(0..<(rows * 6)).map { _ in Float(random.next() % 12) },
                                    (0..<(rows * 18)).map { _ in random.nextUnitFloat() }],
                           inputShapes: [[6], [6, 3]],
                           targets: [(0..<rows).map { Float($0 % 2) }, (0..<(rows * 2)).map { _ in random.nextUnitFloat() }],
                           targetShapes: [[1], [2]], rows: rows)
        var results: [[Float]] = []
        for threads in [1, 2, 4] {
            let network = try Network(model: model, sampleShapes: [[6], [6, 3]], threads: threads)
            Initializers.initialize(network, seed: 2)
            let trainer = Trainer(network: network, compile: try #require(model.compile), seed: 5, write: { _ in })
            _ = trainer.fit(data, validation: nil, epochs: 2, batchSize: 8, shuffle: true, verbose: 0, dynamicProgress: false, callbacks: [])
            results.append(network.parameters.flatMap(\.value.array))
        }
        #expect(results[0] == results[1])
        #expect(results[0] == results[2])
    }

    /// The Embedding → recurrent token table engages where the Embedding feeds exactly one
    /// recurrent layer, in graphs too, and not where its output is read twice or is an output.
    @Test func tokenTablesEngageWhereOneRecurrentLayerReadsTheEmbedding() throws {
        func projected(_ yaml: String) throws -> Bool {
            let network = try RunSupport.network(yaml)
            let embedding = try #require(network.layers.first { $0 is EmbeddingLayer } as? EmbeddingLayer)
            return embedding.isProjected(Pass(training: true, batch: 8, executor: network.executor))
        }
        let base = "inputs: {tokens: [6], feats: [3]}\nlayers:\n  - Embedding: {input_dim: 10, output_dim: 4, inputs: tokens}\n"
        #expect(try projected(base + "  - LSTM 3\n  - Dense 3 inputs=feats\n  - Add inputs=[lstm, dense]\n"))
        #expect(try projected(base + "  - Bidirectional GRU 3\n  - Dense 6 inputs=feats\n  - Multiply inputs=[bidirectional, dense]\n"))
        #expect(try !projected(base + "  - LSTM 3\n  - GRU 3 inputs=embedding\n  - Add inputs=[lstm, gru]\n"))
        #expect(try !projected(base + "  - LSTM 3\n  - Dense 3 inputs=feats\n  - Add inputs=[lstm, dense]\noutputs: [add, embedding]\n"))
        // The tables give the direct path's results: the same model with the table disabled.
        let yaml = base + "  - LSTM 3\n  - Dense 3 inputs=feats\n  - Add inputs=[lstm, dense]\n"
        var results: [[Float]] = []
        for table in [true, false] {
            let network = try RunSupport.network(yaml)
            if !table {
                for case let embedding as EmbeddingLayer in network.layers {
                    for layer in embedding.projectingLayers { layer.tokenEmbedding = nil }
                    embedding.projectingLayers = []
                }
            }
            let inputs = RunSupport.graphInputs(network, batch: 8)
            let pass = Pass(training: true, batch: 8, executor: network.executor)
            network.forward(inputs: inputs, pass)
            network.backward(Buffer((0..<(8 * 3)).map { Float($0 % 5) / 5 - 0.4 }), pass)
            results.append(network.output(0).array(count: 24) + network.parameters.flatMap(\.gradient.array))
        }
        let largest = zip(results[0], results[1]).map { abs($0 - $1) }.max() ?? 0
        #expect(largest < 1e-5)
    }
}
