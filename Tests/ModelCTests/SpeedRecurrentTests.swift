import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// The fused recurrent steps (`RecurrentFusedSteps`) against the per-gate steps they replace, and
/// their vector exp/sigmoid/tanh against the scalar forms. The lane width is 4 or 8 depending on
/// the build (`Lanes`); every spec here uses units divisible by 8, so both widths fuse them.
@Suite struct SpeedRecurrentTests {
    @Test func laneMathIsBitIdenticalToTheScalarForms() {
        let grid = RecurrentMathTests.grid + [.nan, .infinity, -.infinity, 1000, -1000]
        var mismatches: [String] = []
        var start = 0
        while start < grid.count {
            var lanes = Lanes()
            for lane in 0..<Lanes.scalarCount { lanes[lane] = grid[(start + lane) % grid.count] }
            let exp = RecurrentMath.exp(lanes), sigmoid = RecurrentMath.sigmoid(lanes), tanh = RecurrentMath.tanh(lanes)
            for lane in 0..<Lanes.scalarCount {
                let x = lanes[lane]
                for (name, vector, scalar) in [("exp", exp[lane], RecurrentMath.exp(x)), ("sigmoid", sigmoid[lane], RecurrentMath.sigmoid(x)),
                                               ("tanh", tanh[lane], RecurrentMath.tanh(x))]
                where vector.bitPattern != scalar.bitPattern && !(vector.isNaN && scalar.isNaN) {
                    mismatches.append("\(name)(\(x)): \(vector) vs \(scalar)")
                }
            }
            start += Lanes.scalarCount
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    static let layers = [
        "LSTM 8",
        "LSTM: {units: 16, return_sequences: true, go_backwards: true}",
        "LSTM: {units: 8, use_bias: false, activation: relu, recurrent_activation: hard_sigmoid}",
        "LSTM: {units: 8, dropout: 0.3, return_sequences: true}",
        "GRU 8",
        "GRU: {units: 16, return_sequences: true, go_backwards: true}",
        "GRU: {units: 8, use_bias: false, activation: elu, recurrent_activation: sigmoid}",
        "SimpleRNN 8",
        "SimpleRNN: {units: 8, return_sequences: true, go_backwards: true, activation: relu}",
        "Bidirectional: {layer: {LSTM: {units: 8, return_sequences: true}}, merge_mode: concat}",
    ]

    /// Forward (training and inference) and every gradient of the fused steps agree with the
    /// per-gate steps up to the rounding of the reordered h₋·U sums.
    @Test(arguments: layers)
    func fusedStepsMatchPerGateSteps(_ layer: String) throws {
        let spec = "input: [7, 5]\nlayers:\n  - \(layer)\n  - Dense 3\n"
        let fused = try RunSupport.network(spec, capacity: 6)
        let stepwise = try RunSupport.network(spec, capacity: 6)
        RecurrentTestSupport.randomize(fused, seed: 9, scale: 0.6)
        RecurrentTestSupport.randomize(stepwise, seed: 9, scale: 0.6)
        let recurrent = Self.recurrentLayers(fused)
        #expect(!recurrent.isEmpty && recurrent.allSatisfy { $0.fused }, "\(layer) should run the fused steps")
        for layer in Self.recurrentLayers(stepwise) { layer.fused = false }
        let input = RunSupport.inputs(fused, batch: 6)

        for training in [false, true] {
            let a = fused.forward(input, Pass(training: training, batch: 6, executor: fused.executor, seed: 4))
            let b = stepwise.forward(input, Pass(training: training, batch: 6, executor: stepwise.executor, seed: 4))
            #expect(Self.largestDifference(a, b, count: 6 * fused.outputSize) < 2e-6, "training: \(training)")
        }
        let dy = RunSupport.inputs(fused, batch: 6, seed: 8)
        let pass = Pass(training: true, batch: 6, executor: fused.executor, seed: 4)
        fused.backward(dy, pass, inputGradient: true)
        stepwise.backward(dy, Pass(training: true, batch: 6, executor: stepwise.executor, seed: 4), inputGradient: true)
        for (p, q) in zip(fused.parameters, stepwise.parameters) {
            #expect(Self.largestDifference(p.gradient, q.gradient, count: p.count) < 1e-5, "\(p.name)")
        }
        #expect(Self.largestDifference(fused.inputGradients[0], stepwise.inputGradients[0], count: 6 * fused.inputSize) < 1e-5)
    }

    /// The fused backward passes finite-difference checks on its own too, at both lane widths' sizes.
    @Test(arguments: ["LSTM: {units: 8, return_sequences: true}", "GRU: {units: 16, go_backwards: true}",
                      "SimpleRNN: {units: 8, activation: softsign}"])
    func fusedGradientsPassFiniteDifferences(_ layer: String) throws {
        let network = try RunSupport.network("input: [4, 3]\nlayers:\n  - \(layer)\n  - Dense 2\n", capacity: 5)
        RecurrentTestSupport.randomize(network, seed: 4, scale: 0.6)
        #expect(Self.recurrentLayers(network).allSatisfy { $0.fused })
        #expect(RunSupport.gradientMismatches(network, input: RunSupport.inputs(network, batch: 5), batch: 5) == [])
    }

    /// Layers the fused kernels cannot run keep the per-gate steps.
    @Test func unsupportedLayersKeepThePerGateSteps() throws {
        for layer in ["LSTM 3", "GRU: {units: 8, reset_after: false}", "LSTM: {units: 8, recurrent_dropout: 0.2}",
                      "SimpleRNN: {units: 8, activation: softmax}"] {
            let network = try RunSupport.network("input: [4, 3]\nlayers:\n  - \(layer)\n", capacity: 2)
            #expect(Self.recurrentLayers(network).allSatisfy { !$0.fused }, "\(layer)")
        }
    }

    static func recurrentLayers(_ network: Network) -> [RecurrentLayer] {
        network.layers.flatMap { layer -> [RecurrentLayer] in
            if let recurrent = layer as? RecurrentLayer { return [recurrent] }
            if let bidirectional = layer as? BidirectionalLayer { return [bidirectional.forwardLayer, bidirectional.backwardLayer] }
            return []
        }
    }

    static func largestDifference(_ a: Buffer, _ b: Buffer, count: Int) -> Float {
        var worst: Float = 0
        for index in 0..<count { worst = max(worst, abs(a[index] - b[index]) / max(1, abs(b[index]))) }
        return worst
    }
}
