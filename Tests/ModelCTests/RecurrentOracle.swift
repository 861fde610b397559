import Foundation
@testable import ModelC
@testable import ModelRun

/// A naive double-precision reference of tf_keras 2's SimpleRNN, LSTM and GRU cells (straight loops
/// over the written equations, one gate block at a time as Keras's implementation 1 does), used to
/// check the runtime kernels independently of their layout and gemm calls.
enum RecurrentOracle {
    enum Kind: Sendable { case simple, lstm, gru, gru2014 }

    struct Cell: Sendable, CustomStringConvertible {
        var kind: Kind
        var units: Int
        var activation: Activation = .tanh
        var recurrentActivation: Activation = .sigmoid
        var goBackwards = false
        var returnSequences = false

        var gates: Int {
            switch kind {
            case .simple: 1
            case .lstm: 4
            case .gru, .gru2014: 3
            }
        }

        var description: String {
            "\(kind) \(units) \(activation)/\(recurrentActivation)\(goBackwards ? " backwards" : "")\(returnSequences ? " sequences" : "")"
        }
    }

    /// Per-sample dropout multipliers: input (sample, input timestep, gate, feature) and
    /// recurrent (sample, gate, unit); 1 when not dropping.
    struct Masks {
        var input: (Int, Int, Int, Int) -> Double = { _, _, _, _ in 1 }
        var recurrent: (Int, Int, Int) -> Double = { _, _, _ in 1 }
    }

    /// y: [B, T, u] in processing order, or [B, u]. kernel [F, g·u], recurrent [u, g·u],
    /// bias [g·u] or [2, g·u] (GRU reset_after) or nil.
    static func run(_ cell: Cell, kernel: [Float], recurrent: [Float], bias: [Float]?, x: [Float],
                    batch: Int, timesteps: Int, features: Int, masks: Masks = Masks()) -> [Double] {
        let u = cell.units, g = cell.gates, width = g * u
        let W = kernel.map(Double.init), U = recurrent.map(Double.init), b = bias?.map(Double.init)
        var y: [Double] = []
        for sample in 0..<batch {
            var h = [Double](repeating: 0, count: u), c = [Double](repeating: 0, count: u)
            var sequence: [[Double]] = []
            for step in 0..<timesteps {
                let t = cell.goBackwards ? timesteps - 1 - step : step
                // Input projection of gate k, with gate k's input mask.
                func inputPart(_ k: Int) -> [Double] {
                    (0..<u).map { j in
                        var total = b.map { $0[k * u + j] } ?? 0
                        for f in 0..<features {
                            let value = Double(x[(sample * timesteps + t) * features + f]) * masks.input(sample, t, k, f)
                            total += value * W[f * width + k * u + j]
                        }
                        return total
                    }
                }
                // (h ⊙ gate k's recurrent mask) · U_k, optionally with the reset gate applied to h first.
                func recurrentPart(_ k: Int, reset: [Double]? = nil) -> [Double] {
                    (0..<u).map { j in
                        var total = 0.0
                        for i in 0..<u {
                            total += h[i] * masks.recurrent(sample, k, i) * (reset?[i] ?? 1) * U[i * width + k * u + j]
                        }
                        return total
                    }
                }
                func add(_ a: [Double], _ b: [Double]) -> [Double] { zip(a, b).map { $0 + $1 } }
                switch cell.kind {
                case .simple:
                    h = apply(cell.activation, add(inputPart(0), recurrentPart(0)))
                case .lstm:
                    let i = apply(cell.recurrentActivation, add(inputPart(0), recurrentPart(0)))
                    let f = apply(cell.recurrentActivation, add(inputPart(1), recurrentPart(1)))
                    let candidate = apply(cell.activation, add(inputPart(2), recurrentPart(2)))
                    let o = apply(cell.recurrentActivation, add(inputPart(3), recurrentPart(3)))
                    c = (0..<u).map { f[$0] * c[$0] + i[$0] * candidate[$0] }
                    let activated = apply(cell.activation, c)
                    h = (0..<u).map { o[$0] * activated[$0] }
                case .gru:
                    let recurrentBias = { (k: Int) in (0..<u).map { j in b.map { $0[width + k * u + j] } ?? 0 } }
                    let z = apply(cell.recurrentActivation, add(inputPart(0), add(recurrentPart(0), recurrentBias(0))))
                    let r = apply(cell.recurrentActivation, add(inputPart(1), add(recurrentPart(1), recurrentBias(1))))
                    let inner = add(recurrentPart(2), recurrentBias(2))
                    let candidate = apply(cell.activation, add(inputPart(2), (0..<u).map { r[$0] * inner[$0] }))
                    h = (0..<u).map { z[$0] * h[$0] + (1 - z[$0]) * candidate[$0] }
                case .gru2014:
                    let z = apply(cell.recurrentActivation, add(inputPart(0), recurrentPart(0)))
                    let r = apply(cell.recurrentActivation, add(inputPart(1), recurrentPart(1)))
                    let candidate = apply(cell.activation, add(inputPart(2), recurrentPart(2, reset: r)))
                    h = (0..<u).map { z[$0] * h[$0] + (1 - z[$0]) * candidate[$0] }
                }
                sequence.append(h)
            }
            y += cell.returnSequences ? sequence.flatMap { $0 } : h
        }
        return y
    }

    /// Keras's merge of a forward output and the backward copy's output (reversed in time first
    /// when they are sequences). Both: [B, steps, u].
    static func merge(_ mode: String, forward: [Double], backward: [Double], batch: Int, steps: Int, units: Int) -> [Double] {
        var y: [Double] = []
        for sample in 0..<batch {
            for step in 0..<steps {
                let f = Array(forward[((sample * steps + step) * units)...].prefix(units))
                let b = Array(backward[((sample * steps + steps - 1 - step) * units)...].prefix(units))
                switch mode {
                case "concat": y += f + b
                case "sum": y += zip(f, b).map { $0 + $1 }
                case "mul": y += zip(f, b).map { $0 * $1 }
                default: y += zip(f, b).map { ($0 + $1) / 2 }
                }
            }
        }
        return y
    }

    /// Keras's activations in double precision; softmax normalizes the whole block.
    static func apply(_ activation: Activation, _ values: [Double]) -> [Double] {
        if activation == .softmax {
            let largest = values.max() ?? 0
            let exps = values.map { exp($0 - largest) }
            let total = exps.reduce(0, +)
            return exps.map { $0 / total }
        }
        return values.map { x in
            switch activation {
            case .linear, .softmax: x
            case .relu: max(x, 0)
            case .tanh: Foundation.tanh(x)
            case .sigmoid: 1 / (1 + exp(-x))
            case .hard_sigmoid: min(max(0.2 * x + 0.5, 0), 1)
            case .elu: x > 0 ? x : expm1(x)
            case .selu: x > 0 ? 1.0507009873554805 * x : 1.0507009873554805 * 1.6732632423543772 * expm1(x)
            case .softplus: log1p(exp(x))
            case .softsign: x / (abs(x) + 1)
            case .swish: x / (1 + exp(-x))
            case .gelu: 0.5 * x * (1 + erf(x / 2.0.squareRoot()))
            case .exponential: exp(x)
            }
        }
    }
}
