import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// The memory estimate against what the runtime really allocates: every Buffer reachable from the
/// network's layers, its parameters, the optimizer and the trainer's batch buffers, counted by
/// reflection after `reserve`, compared part by part with the catalogue's rules.
@Suite struct MemoryEstimateTests {
    /// Float values in the buffers reachable from `root`, each buffer once; parameters are left to
    /// `parameterValues`.
    static func bufferValues(_ root: Any, seen: inout Set<ObjectIdentifier>) -> Int {
        if let buffer = root as? Buffer {
            return seen.insert(ObjectIdentifier(buffer)).inserted ? buffer.count : 0
        }
        if root is Parameter { return 0 }
        if Mirror(reflecting: root).displayStyle == .class {
            guard seen.insert(ObjectIdentifier(root as AnyObject)).inserted else { return 0 }
        }
        var total = 0
        var mirror: Mirror? = Mirror(reflecting: root)
        while let current = mirror {
            for child in current.children { total += bufferValues(child.value, seen: &seen) }
            mirror = current.superclassMirror
        }
        return total
    }

    static func parameterValues(_ network: Network) -> Int {
        network.parameters.reduce(0) { $0 + $1.value.count + $1.gradient.count + $1.chunkGradients.reduce(0) { $0 + $1.count } }
    }

    /// Builds `yaml`'s network for batches of `capacity` and returns the runtime's activation
    /// values (layers, output and input gradients) and the estimate's.
    static func activations(_ yaml: String, capacity: Int, sampleShape: [Int]? = nil) throws -> (runtime: Int, estimate: Double) {
        let model = try #require(TestSupport.model(yaml), "\(TestSupport.errors(yaml))")
        let network = try Network(model: model, sampleShape: sampleShape, threads: 1)
        network.reserve(capacity: capacity)
        var seen = Set<ObjectIdentifier>()
        var runtime = 0
        for layer in network.layers { runtime += bufferValues(layer, seen: &seen) }
        runtime += bufferValues(network.outputGradients, seen: &seen) + bufferValues(network.inputGradients, seen: &seen)
        let estimate = MemoryEstimator.estimate(model, purpose: .training, capacity: capacity,
                                                sampleShapes: sampleShape.map { [$0] })
        #expect(estimate.activationsKnown)
        return (runtime, estimate.bytes(of: "activations") / 4)
    }

    static let layerCases: [(String, String)] = [
        ("dense", "input: [5]\nlayers: [Dense 7 relu, Dropout 0.5, Activation tanh, BatchNormalization, LayerNormalization, Dense 3]\n"),
        ("dense on sequences", "input: [4, 6]\nlayers: [Dense 8, Flatten, Dense 2]\n"),
        ("conv", "input: [20, 3]\nlayers: [Conv1D 4 3 relu, MaxPooling1D 2, Conv1D 5 1, GlobalAveragePooling1D, Dense 1]\n"),
        ("strided conv", "input: [17, 2]\nlayers: [Conv1D 3 4 strides=2 padding=same, AveragePooling1D 2, Flatten, Dense 1]\n"),
        ("lstm", "input: [6, 3]\nlayers: [LSTM 8 return_sequences, LSTM 16, Dense 1]\n"),
        ("lstm dropout", "input: [6, 3]\nlayers: [LSTM 8 dropout=0.3, Dense 1]\n"),
        ("lstm recurrent dropout", "input: [6, 3]\nlayers: [LSTM 8 dropout=0.2 recurrent_dropout=0.3, Dense 1]\n"),
        ("gru", "input: [5, 2]\nlayers: [GRU 8 return_sequences dropout=0.1, GRU 8 reset_after=false recurrent_dropout=0.2, Dense 1]\n"),
        ("simple rnn", "input: [5, 2]\nlayers: [SimpleRNN 8 dropout=0.2 recurrent_dropout=0.2, Dense 1]\n"),
        ("odd units", "input: [5, 2]\nlayers: [LSTM 5 relu, Dense 1]\n"),
        ("bidirectional", "input: [5, 3]\nlayers: [Bidirectional LSTM 8 return_sequences, Bidirectional sum GRU 8, Dense 1]\n"),
        ("time distributed", "input: [4, 3]\nlayers: [TimeDistributed Dense 5, SpatialDropout1D 0.2, Flatten, RepeatVector 2, Reshape 4x10, Dense 1]\n"),
        ("embedding table", "input: [10]\nlayers: [Embedding 5 4, LSTM 8, Dense 1]\n"),
        ("embedding no table", "input: [10]\nlayers: [Embedding 500 4, Bidirectional LSTM 8, Dense 1]\n"),
        ("embedding dense", "input: [10]\nlayers: [Embedding 50 4, Flatten, Dense 1]\n"),
        ("graph", """
            inputs: {a: [4, 3], b: [4, 3]}
            layers:
              - Dot (2, 2) normalize inputs=[a, b]
              - Concatenate inputs=[a, b] name=joined
              - Add inputs=[joined, joined] name=sum
              - Flatten inputs=[sum] name=flat
              - Dense 1 inputs=[flat] name=out
            outputs: [out]

            """),
    ]

    /// Each layer's workspace rule in the catalogue names exactly the buffers its runtime layer
    /// reserves (for odd unit counts the fused recurrent steps' Uᵀ is assumed: an upper bound).
    @Test(arguments: layerCases)
    func activationsMatchTheReservedBuffers(_ name: String, _ yaml: String) throws {
        for capacity in [1, 7, 32] {
            let (runtime, estimate) = try Self.activations(yaml, capacity: capacity)
            if name == "odd units" {
                #expect(estimate >= Double(runtime) && estimate <= Double(runtime) * 1.5, "\(name) at \(capacity): runtime \(runtime), estimate \(estimate)")
            } else {
                #expect(estimate == Double(runtime), "\(name) at \(capacity): runtime \(runtime), estimate \(estimate)")
            }
        }
    }

    @Test func sequenceLengthsFromTheDataAreUsed() throws {
        let yaml = "input: [null, 3]\nlayers: [LSTM 8, Dense 1]\n"
        let model = try #require(TestSupport.model(yaml))
        #expect(!MemoryEstimator.estimate(model, purpose: .training, capacity: 4).activationsKnown)
        let (runtime, estimate) = try Self.activations(yaml, capacity: 4, sampleShape: [9, 3])
        #expect(estimate == Double(runtime))
    }

    /// Weights, their gradient copies, the optimizer's slots and the trainer's batch buffers.
    @Test(arguments: ["adam", "{Adam: {amsgrad: true}}", "sgd", "{SGD: {momentum: 0.9}}", "rmsprop",
                      "{RMSprop: {momentum: 0.5, centered: true}}", "adagrad", "nadam", "adamw"])
    func weightsSlotsAndBatchBuffersMatch(_ optimizer: String) throws {
        let yaml = "input: [6]\nlayers: [Dense 5 relu, BatchNormalization, Dense 2]\ncompile: {optimizer: \(optimizer), loss: mse}\n"
        let model = try #require(TestSupport.model(yaml), "\(TestSupport.errors(yaml))")
        let network = try Network(model: model, sampleShape: nil, threads: 1)
        let trainer = Trainer(network: network, compile: try #require(model.compile), seed: 1, write: { _ in })
        trainer.reserve(batch: 9)
        let estimate = MemoryEstimator.estimate(model, purpose: .training, capacity: 9)
        #expect(estimate.bytes(of: "weights") + estimate.bytes(of: "gradients") == Double(Self.parameterValues(network) * 4))
        var seen = Set<ObjectIdentifier>()
        let slots = Self.bufferValues(trainer.optimizer, seen: &seen)
        let className = try #require(model.compile).optimizer.descriptor.className
        // Nadam keeps one more value, its running product.
        #expect(abs(estimate.bytes(of: "\(className) slots") - Double(slots * 4)) <= 4, "\(optimizer)")
        seen = []
        let batch = Self.bufferValues(trainer.inputBatches, seen: &seen) + trainer.heads.reduce(0) { $0 + $1.targets.count }
        #expect(estimate.bytes(of: "batch buffers") == Double(batch * 4))
        // One copy to roll back a broken step.
        #expect(estimate.bytes(of: "weight copies") == estimate.bytes(of: "weights"))
    }

    /// The runtime's constant, repeated in ModelC for the estimate.
    @Test func batchChunksAgree() {
        #expect(Workspace.batchChunks == BatchChunks.maximumCount)
    }
}
