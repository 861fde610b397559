import Foundation

/// What one update of one variable needs to know about the step.
struct OptimizerStep {
    /// The learning rate as the float32 variable Keras keeps it in.
    let learningRate: Float
    /// Keras's `iterations` before this step (0 on the first).
    let iteration: Int
    /// Position of the variable among the trainable variables, and how many there are.
    let variableIndex: Int
    let variableCount: Int
    /// Keras gets this variable's gradient as IndexedSlices (an Embedding table) and takes the sparse
    /// branch of `update_step`: the same update, with some sums in another order. The dense gradient here
    /// has zero rows where Keras has no slice, which those orders leave unchanged.
    let sparseGradient: Bool
}

/// One optimizer's per-variable update, written as tf_keras 2.21's `update_step` computes it (its dense
/// branch, or its sparse one for Embedding tables where the two round differently).
///
/// Float32 throughout, op by op: hyperparameters that Keras combines in Python (`1 - self.beta_1`) are
/// combined in Double and then rounded, those it casts to a tensor first (`tf.cast(self.beta_1)`) are
/// rounded first; that decides the last bits of every update.
protocol OptimizerRule: AnyObject {
    /// Slot variables per parameter, in Keras's creation order, with their initial values.
    var slots: [(name: String, initial: Float)] { get }
    /// x: the variable, g: its (clipped) gradient, slots: this variable's slot buffers. All [count].
    func update(_ x: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, count: Int, slots: [Buffer], _ step: OptimizerStep)
}

/// SGD: m = −g·lr + m·momentum; x += m, or with Nesterov x += −g·lr + m·momentum
/// (sparse: x = (x − g·lr) + m·momentum). Keras creates and updates `m` even when momentum is 0.
final class SGDRule: OptimizerRule {
    let momentum: Float
    let nesterov: Bool

    init(momentum: Double, nesterov: Bool) {
        self.momentum = Float(momentum)
        self.nesterov = nesterov
    }

    var slots: [(name: String, initial: Float)] { [("m", 0)] }

    func update(_ x: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, count: Int, slots: [Buffer], _ step: OptimizerStep) {
        let lr = step.learningRate
        let m = slots[0].base
        for i in 0..<count {
            m[i] = -g[i] * lr + m[i] * momentum
            if !nesterov {
                x[i] += m[i]
            } else if step.sparseGradient {
                x[i] = (x[i] + -g[i] * lr) + m[i] * momentum
            } else {
                x[i] += -g[i] * lr + m[i] * momentum
            }
        }
    }
}

/// RMSprop: v = ρv + (1−ρ)g²; centered: a = ρa + (1−ρ)g and the denominator is v − a² + ε, else v + ε;
/// Δ = lr·g·rsqrt(denominator); with momentum μ: s = μs + Δ, x −= s; else x −= Δ.
final class RMSpropRule: OptimizerRule {
    let rho: Float
    let oneMinusRho: Float
    let momentum: Float
    let epsilon: Float
    let centered: Bool

    init(rho: Double, momentum: Double, epsilon: Double, centered: Bool) {
        self.rho = Float(rho)
        oneMinusRho = Float(1 - rho)
        self.momentum = Float(momentum)
        self.epsilon = Float(epsilon)
        self.centered = centered
    }

    var slots: [(name: String, initial: Float)] {
        [("velocity", 0)] + (momentum > 0 ? [("momentum", 0)] : []) + (centered ? [("average_gradient", 0)] : [])
    }

    func update(_ x: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, count: Int, slots: [Buffer], _ step: OptimizerStep) {
        let lr = step.learningRate
        let velocity = slots[0].base
        let moving = momentum > 0 ? slots[1].base : nil
        let average = centered ? slots[slots.count - 1].base : nil
        if moving == nil && average == nil {
            // The plain rule (Keras's default), the same arithmetic without branches so it vectorizes.
            for i in 0..<count {
                let v = rho * velocity[i] + oneMinusRho * (g[i] * g[i])
                velocity[i] = v
                x[i] -= lr * g[i] * (1 / (v + epsilon).squareRoot())
            }
            return
        }
        for i in 0..<count {
            velocity[i] = rho * velocity[i] + oneMinusRho * (g[i] * g[i])
            var denominator: Float
            if let average {
                average[i] = rho * average[i] + oneMinusRho * g[i]
                denominator = velocity[i] - average[i] * average[i] + epsilon
            } else {
                denominator = velocity[i] + epsilon
            }
            let increment = lr * g[i] * (1 / denominator.squareRoot())
            if let moving {
                moving[i] = momentum * moving[i] + increment
                x[i] -= moving[i]
            } else {
                x[i] -= increment
            }
        }
    }
}

/// Adam and AdamW (whose decay is the optimizer's decoupled weight decay): with t = iterations + 1,
/// α = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ); m += (g − m)(1 − β₁); v += (g² − v)(1 − β₂); AMSGrad: v̂ = max(v̂, v);
/// x −= m·α / (√v + ε) — ε added to the uncorrected √v, as Keras does. Sparse: m = (m − m(1 − β₁)) + g(1 − β₁),
/// likewise v.
final class AdamRule: OptimizerRule {
    let beta1: Float
    let beta2: Float
    let oneMinusBeta1: Float
    let oneMinusBeta2: Float
    let epsilon: Float
    let amsgrad: Bool

    init(beta1: Double, beta2: Double, epsilon: Double, amsgrad: Bool) {
        self.beta1 = Float(beta1)
        self.beta2 = Float(beta2)
        oneMinusBeta1 = Float(1 - beta1)
        oneMinusBeta2 = Float(1 - beta2)
        self.epsilon = Float(epsilon)
        self.amsgrad = amsgrad
    }

    var slots: [(name: String, initial: Float)] { [("m", 0), ("v", 0)] + (amsgrad ? [("vhat", 0)] : []) }

    func update(_ x: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, count: Int, slots: [Buffer], _ step: OptimizerStep) {
        let t = Float(step.iteration + 1)
        let beta1Power = pow(beta1, t)
        let beta2Power = pow(beta2, t)
        let alpha = step.learningRate * (1 - beta2Power).squareRoot() / (1 - beta1Power)
        let m = slots[0].base
        let v = slots[1].base
        let vHat = amsgrad ? slots[2].base : nil
        for i in 0..<count {
            if step.sparseGradient {
                m[i] = (m[i] + -m[i] * oneMinusBeta1) + g[i] * oneMinusBeta1
                v[i] = (v[i] + -v[i] * oneMinusBeta2) + g[i] * g[i] * oneMinusBeta2
            } else {
                m[i] += (g[i] - m[i]) * oneMinusBeta1
                v[i] += (g[i] * g[i] - v[i]) * oneMinusBeta2
            }
            var second = v[i]
            if let vHat {
                vHat[i] = max(vHat[i], v[i])
                second = vHat[i]
            }
            x[i] -= m[i] * alpha / (second.squareRoot() + epsilon)
        }
    }
}

/// Adagrad: a += g²; x −= lr·g / √(a + ε), a starting at initial_accumulator_value. TensorFlow's graph
/// optimizer rewrites that division by a square root as a product with its reciprocal, which rounds
/// differently; the product is what runs, so it is what is computed here.
final class AdagradRule: OptimizerRule {
    let initialAccumulator: Float
    let epsilon: Float

    init(initialAccumulator: Double, epsilon: Double) {
        self.initialAccumulator = Float(initialAccumulator)
        self.epsilon = Float(epsilon)
    }

    var slots: [(name: String, initial: Float)] { [("accumulator", initialAccumulator)] }

    func update(_ x: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, count: Int, slots: [Buffer], _ step: OptimizerStep) {
        let lr = step.learningRate
        let accumulator = slots[0].base
        for i in 0..<count {
            accumulator[i] += g[i] * g[i]
            x[i] -= lr * g[i] * (1 / (accumulator[i] + epsilon).squareRoot())
        }
    }
}

/// Nadam: with t = iterations + 1 and the momentum schedule u_t = β₁(1 − ½·0.96ᵗ),
/// m̂ = u_{t+1}·m / (1 − Πu·u_{t+1}) + (1 − u_t)·g / (1 − Πu); v̂ = v / (1 − β₂ᵗ); x −= m̂·lr / (√v̂ + ε),
/// Πu being the running product of the u_t kept in a float32 variable. Sparse gradients update m and v
/// as Adam's sparse branch does.
///
/// Keras means to multiply Πu by u_t once per step, but under `model.fit`'s tf.function it decides
/// "already multiplied this step" with a Python counter read at trace time, and the train step is
/// traced twice (once to create the slots). The graph that runs therefore multiplies Πu again for
/// every variable, except that variable k (0-based, in trainable order, of n) reuses the product
/// at iterations == n + k − 1. That is what Keras's fitted weights follow, so it is reproduced here —
/// including its outcome for a model with a single trainable variable, whose first step reuses Πu = 1
/// and divides by 1 − Πu = 0, giving Keras (and here) non-finite weights.
final class NadamRule: OptimizerRule {
    let beta1: Float
    let beta2: Float
    let epsilon: Float
    static let decay: Float = 0.96
    /// Πu, float32.
    let product = Buffer([1])

    init(beta1: Double, beta2: Double, epsilon: Double) {
        self.beta1 = Float(beta1)
        self.beta2 = Float(beta2)
        self.epsilon = Float(epsilon)
    }

    var slots: [(name: String, initial: Float)] { [("m", 0), ("v", 0)] }

    /// Whether variable `index` of `count` reuses Πu at `iteration` rather than multiplying it again.
    static func reusesProduct(iteration: Int, variableIndex: Int, variableCount: Int) -> Bool {
        iteration == variableCount + variableIndex - 1
    }

    func update(_ x: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, count: Int, slots: [Buffer], _ step: OptimizerStep) {
        let lr = step.learningRate
        let t = Float(step.iteration + 1)
        let next = Float(step.iteration + 2)
        let u = beta1 * (1 - 0.5 * pow(Self.decay, t))
        let uNext = beta1 * (1 - 0.5 * pow(Self.decay, next))
        if !Self.reusesProduct(iteration: step.iteration, variableIndex: step.variableIndex, variableCount: step.variableCount) {
            product[0] = product[0] * u
        }
        let productNow = product[0]
        let productNext = productNow * uNext
        let beta2Power = pow(beta2, t)
        let m = slots[0].base
        let v = slots[1].base
        let oneMinusBeta1 = 1 - beta1
        let oneMinusBeta2 = 1 - beta2
        for i in 0..<count {
            if step.sparseGradient {
                m[i] = (m[i] + -m[i] * oneMinusBeta1) + g[i] * oneMinusBeta1
                v[i] = (v[i] + -v[i] * oneMinusBeta2) + g[i] * g[i] * oneMinusBeta2
            } else {
                m[i] += (g[i] - m[i]) * oneMinusBeta1
                v[i] += (g[i] * g[i] - v[i]) * oneMinusBeta2
            }
            let mHat = uNext * m[i] / (1 - productNext) + (1 - u) * g[i] / (1 - productNow)
            let vHat = v[i] / (1 - beta2Power)
            x[i] -= mHat * lr / (vHat.squareRoot() + epsilon)
        }
    }
}
