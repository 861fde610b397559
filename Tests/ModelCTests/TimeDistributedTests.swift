import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// TimeDistributed: the wrapped layer on B·T rows, weights under the wrapper's name.
@Suite struct TimeDistributedTests {
    typealias Support = KernelTestSupport

    @Test(arguments: [
        ("[4, 3]", "Dense: {units: 2, activation: tanh}"),
        ("[3, 6, 2]", "Conv1D: {filters: 2, kernel_size: 3, padding: same, activation: relu}"),
        ("[3, 6, 2]", "MaxPooling1D: {pool_size: 2}"),
        ("[3, 6, 2]", "AveragePooling1D: {pool_size: 3, strides: 2, padding: same}"),
        ("[3, 6, 2]", "GlobalAveragePooling1D"),
        ("[4, 3]", "BatchNormalization: {momentum: 0.5}"),
        ("[4, 3]", "LayerNormalization"),
        ("[3, 4, 2]", "TimeDistributed: {layer: {Dense: {units: 2}}}"),
    ])
    func gradientsMatchFiniteDifferences(_ shape: String, _ inner: String) throws {
        let network = try RunSupport.network("input: \(shape)\nlayers:\n  - TimeDistributed: {layer: {\(inner)}}\n  - Dense 2 tanh\n")
        #expect(network.parameters.allSatisfy { $0.name.hasPrefix("time_distributed") || $0.name.hasPrefix("dense") })
        #expect(RunSupport.gradientMismatches(network, input: RunSupport.inputs(network, batch: 5), batch: 5) == [])
    }

    /// TimeDistributed(layer) on [B, T, ...] must equal the layer itself where Keras's layer already
    /// treats the leading axes alike: Dense and Conv1D on extra axes, BatchNormalization over B·T.
    @Test(arguments: [
        ("[3, 5, 2]", "Conv1D: {filters: 3, kernel_size: 2, padding: causal}"),
        ("[4, 3]", "Dense: {units: 3, activation: sigmoid}"),
        ("[4, 3]", "BatchNormalization: {momentum: 0.8}"),
    ])
    func matchesTheUnwrappedLayer(_ shape: String, _ layer: String) throws {
        let wrapped = try RunSupport.network("input: \(shape)\nlayers:\n  - TimeDistributed: {layer: {\(layer)}}\n")
        let plain = try RunSupport.network("input: \(shape)\nlayers:\n  - \(layer)\n")
        #expect(wrapped.outputShape == plain.outputShape)
        for (a, b) in zip(wrapped.parameters, plain.parameters) {
            #expect(a.shape == b.shape)
            b.value.copy(from: a.value)
        }
        let input = RunSupport.inputs(wrapped, batch: 6)
        let dy = Buffer(Support.wave(wrapped.capacity * wrapped.outputSize, 0.7, 0.2))
        var results: [[Float]] = []
        for network in [wrapped, plain] {
            let pass = Pass(training: true, batch: 6, executor: network.executor)
            let y = network.forward(input, pass).array(count: 6 * network.outputSize)
            network.backward(dy, pass, inputGradient: true)
            results.append(y + network.parameters.flatMap { $0.trainable ? $0.gradient.array : $0.value.array }
                + network.inputGradients[0].array(count: 6 * network.inputSize))
        }
        #expect(Support.largestDifference(results[0], results[1]) < 1e-5)
    }

    @Test func frozenWrapperFreezesTheWrappedBatchNormalization() throws {
        let network = try RunSupport.network("input: [4, 3]\nlayers:\n  - TimeDistributed: {layer: {BatchNormalization: {center: false, scale: false}}, trainable: false}\n")
        let x = Support.wave(5 * 12, 0.53, 0.2, scale: 2)
        let before = network.parameters.flatMap(\.value.array)
        #expect(Support.forward(network, x, batch: 5, training: true) == Support.forward(network, x, batch: 5))
        #expect(network.parameters.flatMap(\.value.array) == before)
    }

    @Test func embeddingFirstLooksUpEveryTimestep() throws {
        let network = try RunSupport.network("input: [3, 2]\nlayers:\n  - TimeDistributed: {layer: {Embedding: {input_dim: 5, output_dim: 2}}}\n  - Flatten\n  - Dense 2\n")
        #expect(network.layers[0].outputShape == [3, 2, 2])
        let input = RunSupport.inputs(network, batch: 4, vocabulary: 5)
        #expect(RunSupport.gradientMismatches(network, input: input, batch: 4, checkInput: false) == [])
    }
}
