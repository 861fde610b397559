import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// Helpers shared by the recurrent-layer suites.
enum RecurrentTestSupport {
    /// Overwrites every weight with uniform values in [-scale, scale], so biases (zero at
    /// initialization) take part too.
    static func randomize(_ network: Network, seed: UInt64, scale: Float = 0.7) {
        var random = RandomSource(seed: seed)
        for parameter in network.parameters {
            for i in 0..<parameter.count { parameter.value[i] = (random.nextUnitFloat() * 2 - 1) * scale }
        }
    }

    /// The oracle's output for a plain recurrent layer whose weights are `parameters`
    /// (kernel, recurrent_kernel, then bias when present).
    static func oracle(_ cell: RecurrentOracle.Cell, _ parameters: ArraySlice<Parameter>, input: Buffer, batch: Int,
                       timesteps: Int, features: Int, masks: RecurrentOracle.Masks = .init()) -> [Double] {
        let weights = Array(parameters)
        return RecurrentOracle.run(cell, kernel: weights[0].value.array, recurrent: weights[1].value.array,
                                   bias: weights.count > 2 ? weights[2].value.array : nil,
                                   x: input.array(count: batch * timesteps * features),
                                   batch: batch, timesteps: timesteps, features: features, masks: masks)
    }

    /// The oracle's output for Bidirectional(cell) with `merge`: the forward copy, the copy with
    /// go_backwards flipped, merged.
    static func bidirectionalOracle(_ cell: RecurrentOracle.Cell, merge: String, _ parameters: [Parameter], input: Buffer,
                                    batch: Int, timesteps: Int, features: Int) -> [Double] {
        let half = parameters.count / 2
        var reversed = cell
        reversed.goBackwards.toggle()
        let forward = oracle(cell, parameters[..<half], input: input, batch: batch, timesteps: timesteps, features: features)
        let backward = oracle(reversed, parameters[half...], input: input, batch: batch, timesteps: timesteps, features: features)
        return RecurrentOracle.merge(merge, forward: forward, backward: backward, batch: batch,
                                     steps: cell.returnSequences ? timesteps : 1, units: cell.units)
    }

    /// The dropout multipliers the layer drew in its last training pass, as oracle masks.
    static func masks(of layer: RecurrentLayer) -> RecurrentOracle.Masks {
        let plan = layer.dropout
        let features = layer.features, units = layer.units, gates = layer.gates, timesteps = layer.timesteps
        let inputs = layer.inputMasks.array, recurrents = layer.recurrentMasks.array
        return RecurrentOracle.Masks(
            input: { sample, t, gate, f in
                switch plan.input {
                case .none: 1
                case .perSequence: Double(inputs[sample * features + f])
                case .perTimestep: Double(inputs[(sample * timesteps + t) * features + f])
                case .perGate: Double(inputs[(sample * gates + gate) * features + f])
                }
            },
            recurrent: { sample, gate, j in
                switch plan.recurrent {
                case .none: 1
                case .shared: Double(recurrents[sample * units + j])
                case .perGate: Double(recurrents[(sample * gates + gate) * units + j])
                }
            })
    }

    /// The largest |a - b| over `b`'s length.
    static func largestDifference(_ a: Buffer, _ b: [Double]) -> Double {
        var worst = 0.0
        for (index, expected) in b.enumerated() { worst = max(worst, abs(Double(a[index]) - expected)) }
        return worst
    }
}
