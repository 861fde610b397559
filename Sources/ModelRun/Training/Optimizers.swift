import Foundation
import ModelC

/// A Keras 2.11+ optimizer (tf_keras 2.21 `optimizers/optimizer.py`, not the legacy ones) over the
/// model's trainable parameters.
///
/// Each step does what `apply_gradients` does, in its order: clip the gradients (clipnorm per
/// variable, else global_clipnorm, else clipvalue — the first one set wins, as in Keras), apply
/// decoupled weight decay to every trainable variable (x −= x·wd·lr), then update each variable in
/// parameter order, then count the iteration. Slots and arithmetic are float32 like Keras's.
public final class Optimizer {
    /// The parameters Keras would build slots for: the trainable ones at construction.
    let variables: [Parameter]
    /// Slot buffers per variable, in the rule's slot order.
    let slotBuffers: [[Buffer]]
    let rule: OptimizerRule
    let clipping: GradientClipping
    let weightDecay: Float?
    /// The clipped gradient of the variable being updated.
    private let scratch: Buffer
    /// Keras keeps the learning rate in a float32 variable.
    private var rate: Float

    /// Current learning rate (ReduceLROnPlateau changes it); reads back as the float32 Keras stores.
    public var learningRate: Double {
        get { Double(rate) }
        set { rate = Float(newValue) }
    }

    /// Steps applied so far (Keras's `iterations`).
    public private(set) var iterations = 0

    public init(_ config: CompileConfig.Component, parameters: [Parameter]) {
        let arguments = config.arguments
        rule = Optimizer.rule(config.descriptor.className, arguments)
        rate = Float(arguments.float("learning_rate"))
        weightDecay = arguments.optionalFloat("weight_decay").map { Float($0) }
        clipping = GradientClipping(clipnorm: arguments.optionalFloat("clipnorm"),
                                    globalClipnorm: arguments.optionalFloat("global_clipnorm"),
                                    clipvalue: arguments.optionalFloat("clipvalue"))
        variables = parameters.filter(\.trainable)
        let slots = rule.slots
        slotBuffers = variables.map { variable in
            slots.map { slot in
                let buffer = Buffer(count: variable.count)
                if slot.initial != 0 { buffer.base.update(repeating: slot.initial, count: variable.count) }
                return buffer
            }
        }
        scratch = Buffer(count: variables.map(\.count).max() ?? 0)
    }

    static func rule(_ className: String, _ arguments: ResolvedArguments) -> OptimizerRule {
        switch className {
        case "SGD":
            SGDRule(momentum: arguments.float("momentum"), nesterov: arguments.bool("nesterov"))
        case "RMSprop":
            RMSpropRule(rho: arguments.float("rho"), momentum: arguments.float("momentum"),
                        epsilon: arguments.float("epsilon"), centered: arguments.bool("centered"))
        case "Adam", "AdamW":
            AdamRule(beta1: arguments.float("beta_1"), beta2: arguments.float("beta_2"),
                     epsilon: arguments.float("epsilon"), amsgrad: arguments.bool("amsgrad"))
        case "Adagrad":
            AdagradRule(initialAccumulator: arguments.float("initial_accumulator_value"), epsilon: arguments.float("epsilon"))
        case "Nadam":
            NadamRule(beta1: arguments.float("beta_1"), beta2: arguments.float("beta_2"), epsilon: arguments.float("epsilon"))
        default:
            preconditionFailure("no optimizer \(className)")
        }
    }

    /// Applies one update to every trainable parameter from its `gradient` buffer, in parameter order.
    /// Parameters made non-trainable since construction are left alone.
    public func step() {
        let lr = rate
        let globalScale = clipping.globalScale(variables.filter(\.trainable).map(\.gradient))
        if let weightDecay {
            for variable in variables where variable.trainable {
                let x = variable.value.base
                for i in 0..<variable.count { x[i] -= x[i] * weightDecay * lr }
            }
        }
        for (index, variable) in variables.enumerated() where variable.trainable {
            let gradient = clipping.clip(variable.gradient, count: variable.count, globalScale: globalScale, into: scratch)
            rule.update(variable.value.base, gradient, count: variable.count, slots: slotBuffers[index],
                        OptimizerStep(learningRate: lr, iteration: iterations, variableIndex: index, variableCount: variables.count))
        }
        iterations += 1
    }

    /// Slot variables by name for tests and checkpoints, e.g. "lstm/kernel/m", grouped by slot as Keras
    /// lists them (every variable's `m`, then every `v`); Nadam adds its momentum product "u_product".
    public var slots: [(name: String, buffer: Buffer)] {
        var all: [(name: String, buffer: Buffer)] = []
        for (slot, description) in rule.slots.enumerated() {
            for (index, variable) in variables.enumerated() {
                all.append(("\(variable.name)/\(description.name)", slotBuffers[index][slot]))
            }
        }
        if let nadam = rule as? NadamRule { all.append(("u_product", nadam.product)) }
        return all
    }
}

/// Keras's `_clip_gradients`, float32 as TensorFlow computes it.
struct GradientClipping {
    enum Mode {
        case none
        /// tf.clip_by_norm per variable: g·c / max(‖g‖, c).
        case norm(Float)
        /// tf.clip_by_global_norm: g·(c·min(1/‖G‖, 1/c)), ‖G‖ over every trainable gradient.
        case global(Float)
        /// tf.clip_by_value to [−c, c].
        case value(Float)
    }

    let mode: Mode

    init(clipnorm: Double?, globalClipnorm: Double?, clipvalue: Double?) {
        if let clipnorm, clipnorm > 0 {
            mode = .norm(Float(clipnorm))
        } else if let globalClipnorm, globalClipnorm > 0 {
            mode = .global(Float(globalClipnorm))
        } else if let clipvalue, clipvalue > 0 {
            mode = .value(Float(clipvalue))
        } else {
            mode = .none
        }
    }

    /// Σ g² of one gradient, rounded to float32 as TensorFlow's float32 reduction returns it.
    static func sumOfSquares(_ gradient: Buffer) -> Float {
        var sum = 0.0
        let g = gradient.base
        for i in 0..<gradient.count { sum += Double(g[i] * g[i]) }
        return Float(sum)
    }

    /// The global-norm scale (nil unless clipping by global norm): the norm is √(2·Σ l2_loss(g)),
    /// l2_loss being Σg²/2, and the scale c·min(1/‖G‖, 1/c), NaN when the norm is not finite.
    func globalScale(_ gradients: [Buffer]) -> Float? {
        guard case .global(let limit) = mode else { return nil }
        var halfSquares = 0.0
        for gradient in gradients { halfSquares += Double(Self.sumOfSquares(gradient) * 0.5) }
        let norm = (Float(halfSquares) * 2).squareRoot()
        return limit * min(1 / norm, 1 / limit) + (norm - norm)
    }

    /// The gradient to apply: the buffer itself when nothing clips, else its clipped copy in `scratch`.
    func clip(_ gradient: Buffer, count: Int, globalScale: Float?, into scratch: Buffer) -> UnsafePointer<Float> {
        let g = gradient.base
        let out = scratch.base
        switch mode {
        case .none:
            return UnsafePointer(g)
        case .norm(let limit):
            let squares = Self.sumOfSquares(gradient)
            let norm = squares > 0 ? squares.squareRoot() : squares
            let divisor = max(norm, limit)
            for i in 0..<count { out[i] = g[i] * limit / divisor }
        case .global:
            let scale = globalScale ?? 1
            for i in 0..<count { out[i] = g[i] * scale }
        case .value(let limit):
            for i in 0..<count { out[i] = max(min(g[i], limit), -limit) }
        }
        return UnsafePointer(out)
    }
}
