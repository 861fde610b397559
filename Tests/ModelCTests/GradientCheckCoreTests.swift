import Testing
@testable import ModelC
@testable import ModelRun

/// Finite-difference checks of the core layers' backward passes, weights and inputs both.
@Suite struct GradientCheckCoreTests {
    @Test(arguments: Activation.allCases)
    func denseWithEveryActivation(_ activation: Activation) throws {
        let network = try RunSupport.network("input: [5]\nlayers:\n  - Dense: {units: 4, activation: \(activation.rawValue)}\n")
        let input = RunSupport.inputs(network, batch: 3)
        #expect(RunSupport.gradientMismatches(network, input: input, batch: 3) == [])
    }

    @Test(arguments: [true, false])
    func denseOnThreeDimensionsWithAndWithoutBias(_ useBias: Bool) throws {
        let network = try RunSupport.network("input: [3, 4]\nlayers:\n  - Dense: {units: 2, use_bias: \(useBias)}\n  - Dense 3 tanh\n")
        #expect(network.parameters.count == (useBias ? 4 : 3))
        #expect(RunSupport.gradientMismatches(network, input: RunSupport.inputs(network, batch: 5), batch: 5) == [])
    }

    @Test func embeddingLooksUpAndAccumulatesRepeatedIds() throws {
        let network = try RunSupport.network("input: [6]\nlayers:\n  - Embedding 7x3\n  - Flatten\n  - Dense 2\n")
        let input = RunSupport.inputs(network, batch: 4, vocabulary: 7)
        #expect(RunSupport.gradientMismatches(network, input: input, batch: 4, checkInput: false) == [])
        // Forward is a lookup: row i of the output is embeddings[id].
        let y = network.layers[0].output
        let id = Int(input[0])
        for j in 0..<3 { #expect(y[j] == network.parameters[0].value[id * 3 + j]) }
    }

    @Test(arguments: ["Activation softmax", "Activation gelu", "RepeatVector 2", "Reshape (4, 3)", "Flatten", "Dropout 0.4", "SpatialDropout1D 0.5"])
    func shapeAndRegularizationLayers(_ layer: String) throws {
        let input = layer.hasPrefix("RepeatVector") ? "[12]" : "[6, 2]"
        let network = try RunSupport.network("input: \(input)\nlayers:\n  - Dense 2 tanh\n  - \(layer)\n  - Dense 3\n")
        #expect(RunSupport.gradientMismatches(network, input: RunSupport.inputs(network, batch: 4), batch: 4) == [])
    }

    @Test func dropoutDropsInTrainingOnlyAndScalesTheRest() throws {
        let network = try RunSupport.network("input: [1000]\nlayers:\n  - Dropout 0.3\n", capacity: 2)
        let input = Buffer(count: 2000)
        for i in 0..<2000 { input[i] = 1 }
        let inference = network.forward(input, Pass(training: false, batch: 2, executor: network.executor))
        #expect(inference.array(count: 2000).allSatisfy { $0 == 1 })
        let training = network.forward(input, Pass(training: true, batch: 2, executor: network.executor, seed: 9))
        let values = training.array(count: 2000)
        #expect(values.allSatisfy { $0 == 0 || abs($0 - 1 / 0.7) < 1e-6 })
        let dropped = values.filter { $0 == 0 }.count
        #expect((500...700).contains(dropped), "\(dropped) of 2000 dropped at rate 0.3")
    }

    @Test func spatialDropoutSharesTheMaskAcrossTimesteps() throws {
        let network = try RunSupport.network("input: [5, 64]\nlayers:\n  - SpatialDropout1D 0.5\n", capacity: 1)
        let input = Buffer(count: 320)
        for i in 0..<320 { input[i] = 1 }
        let y = network.forward(input, Pass(training: true, batch: 1, executor: network.executor, seed: 3))
        for step in 1..<5 {
            for channel in 0..<64 { #expect(y[step * 64 + channel] == y[channel]) }
        }
        #expect((1..<64).contains(y.array(count: 64).filter { $0 == 0 }.count))
    }
}
