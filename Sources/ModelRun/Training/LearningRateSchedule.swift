import Foundation
import ModelC

/// One of Keras's learning-rate schedules, a function of the step (tf_keras 2.21
/// `learning_rate_schedule.py`). Keras converts a Python-number initial rate to a float32 tensor and
/// casts every other hyperparameter and the step to it, so each formula runs in float32 here too.
public struct LearningRateSchedule: Sendable {
    enum Rule: Sendable {
        case exponential(initial: Float, decaySteps: Float, decayRate: Float, staircase: Bool)
        /// `boundaries` are whole steps; `values` has one more entry.
        case piecewise(boundaries: [Int], values: [Float])
        case polynomial(initial: Float, decaySteps: Float, end: Float, power: Float, cycle: Bool)
        /// `alpha` and `1 − alpha`: Keras forms the complement from the Python number, then casts it.
        case cosine(initial: Float, decaySteps: Float, alpha: Float, complement: Float, warmupTarget: Float?, warmupSteps: Float)
    }

    let rule: Rule

    /// The schedule a checked `{ClassName: {arguments}}` names (see `scheduleCatalog`).
    public init(_ config: CompileConfig.Component) {
        let a = config.arguments
        func f(_ name: String) -> Float { Float(a.float(name)) }
        switch config.descriptor.className {
        case "ExponentialDecay":
            rule = .exponential(initial: f("initial_learning_rate"), decaySteps: f("decay_steps"), decayRate: f("decay_rate"),
                                staircase: a.bool("staircase"))
        case "PiecewiseConstantDecay":
            rule = .piecewise(boundaries: a.floats("boundaries").map { Int($0) }, values: a.floats("values").map { Float($0) })
        case "PolynomialDecay":
            rule = .polynomial(initial: f("initial_learning_rate"), decaySteps: f("decay_steps"), end: f("end_learning_rate"),
                               power: f("power"), cycle: a.bool("cycle"))
        case "CosineDecay":
            rule = .cosine(initial: f("initial_learning_rate"), decaySteps: f("decay_steps"), alpha: f("alpha"),
                           complement: Float(1 - a.float("alpha")),
                           warmupTarget: a.optionalFloat("warmup_target").map { Float($0) }, warmupSteps: f("warmup_steps"))
        default:
            preconditionFailure("no learning-rate schedule \(config.descriptor.className)")
        }
    }

    /// The rate at `step` (an optimizer's iterations before its update, or an epoch from 0).
    public func rate(at step: Int) -> Float {
        let x = Float(step)
        switch rule {
        case .exponential(let initial, let decaySteps, let decayRate, let staircase):
            var p = x / decaySteps
            if staircase { p = p.rounded(.down) }
            return initial * powf(decayRate, p)
        case .piecewise(let boundaries, let values):
            // values[i] for boundaries[i-1] < step ≤ boundaries[i].
            let index = boundaries.firstIndex(where: { step <= $0 }) ?? boundaries.count
            return values[index]
        case .polynomial(let initial, let decaySteps, let end, let power, let cycle):
            var steps = decaySteps, t = x
            if cycle {
                // The first multiple of decay_steps at or above the step (1 at step 0).
                steps *= x == 0 ? 1 : (x / decaySteps).rounded(.up)
            } else {
                t = min(x, decaySteps)
            }
            return (initial - end) * powf(1 - t / steps, power) + end
        case .cosine(let initial, let decaySteps, let alpha, let complement, let warmupTarget, let warmupSteps):
            func decay(_ t: Float, from peak: Float) -> Float {
                // tf.constant(math.pi, float32) rounds π to nearest; Swift's Float.pi rounds it down.
                let cosine = 0.5 * (1 + cosf(Float(Double.pi) * (t / decaySteps)))
                return peak * (complement * cosine + alpha)
            }
            guard let target = warmupTarget else { return decay(min(x, decaySteps), from: initial) }
            let t = min(x, decaySteps + warmupSteps)
            if t < warmupSteps { return (target - initial) * (t / warmupSteps) + initial }
            return decay(t - warmupSteps, from: target)
        }
    }
}
