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
    /// Whether Keras would get each variable's gradient as IndexedSlices: Embedding tables (`…/embeddings`).
    let sparseGradients: [Bool]
    /// Slot buffers per variable, in the rule's slot order.
    let slotBuffers: [[Buffer]]
    let rule: OptimizerRule
    let clipping: GradientClipping
    let weightDecay: Float?
    /// The clipped gradient of the variable being updated.
    private let scratch: Buffer
    /// Keras keeps the learning rate in a float32 variable.
    private var rate: Float
    /// A `learning_rate` given as a schedule: the rate of each step is its value at `iterations`.
    let schedule: LearningRateSchedule?

    /// Current learning rate (ReduceLROnPlateau changes it; a schedule's is that of the last step);
    /// reads back as the float32 Keras stores.
    public var learningRate: Double {
        get { Double(rate) }
        set { rate = Float(newValue) }
    }

    /// Steps applied so far (Keras's `iterations`).
    public internal(set) var iterations = 0

    public init(_ config: CompileConfig.Component, parameters: [Parameter]) {
        let arguments = config.arguments
        rule = Optimizer.rule(config.descriptor.className, arguments)
        schedule = config.schedules["learning_rate"].map(LearningRateSchedule.init)
        rate = schedule?.rate(at: 0) ?? Float(arguments.float("learning_rate"))
        weightDecay = arguments.optionalFloat("weight_decay").map { Float($0) }
        clipping = GradientClipping(clipnorm: arguments.optionalFloat("clipnorm"),
                                    globalClipnorm: arguments.optionalFloat("global_clipnorm"),
                                    clipvalue: arguments.optionalFloat("clipvalue"))
        variables = parameters.filter(\.trainable)
        sparseGradients = variables.map { $0.name == "embeddings" || $0.name.hasSuffix("/embeddings") }
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
        // Keras evaluates a schedule at the iterations before this update (the first step is 0).
        if let schedule { rate = schedule.rate(at: iterations) }
        let lr = rate
        let globalScale = clipping.globalScale(variables)
        if let weightDecay {
            for variable in variables where variable.trainable {
                let x = variable.value.base
                for i in 0..<variable.count { x[i] -= x[i] * weightDecay * lr }
            }
        }
        for (index, variable) in variables.enumerated() where variable.trainable {
            let gradient = clipping.clip(variable.gradient, count: variable.count, globalScale: globalScale, into: scratch)
            rule.update(variable.value.base, gradient, count: variable.count, slots: slotBuffers[index],
                        OptimizerStep(learningRate: lr, iteration: iterations, variableIndex: index, variableCount: variables.count,
                                      sparseGradient: sparseGradients[index]))
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
