/// A named training component (optimizer, loss, metric, callback) with its Keras arguments.
public struct ComponentDescriptor: Sendable {
    /// Keras's class name, the key of the `{ClassName: {arguments}}` form.
    public let className: String
    /// String identifiers Keras accepts for it (`rmsprop`, `mse`).
    public let names: [String]
    public let doc: String
    public let arguments: [ArgumentDecl]
    /// For metrics: the name logged when written in the class form (Keras's default `name`).
    public let defaultLoggedName: String
    /// For optimizers: the slot variables kept per trainable weight (Adam's m and v), as the
    /// runtime's rule allocates them; the memory estimate reads it.
    public let slots: @Sendable (ResolvedArguments) -> Int
    /// Whether tf_keras reads the string name back (`precision` is a Keras 3 alias only; a Keras
    /// file for tf_keras then names the class).
    public let kerasFileString: Bool

    public init(_ className: String, names: [String], doc: String, arguments: [ArgumentDecl], loggedName: String? = nil,
                slots: @escaping @Sendable (ResolvedArguments) -> Int = { _ in 0 }, kerasFileString: Bool = true) {
        self.className = className
        self.names = names
        self.doc = doc
        self.arguments = arguments
        self.defaultLoggedName = loggedName ?? snakeCase(className)
        self.slots = slots
        self.kerasFileString = kerasFileString
    }
}

/// Finds a component by class name or string identifier.
public struct ComponentCatalog: Sendable {
    public let kind: String
    public let all: [ComponentDescriptor]
    /// Whether string identifiers match regardless of case (Keras lowercases optimizer names).
    public let caseInsensitive: Bool

    public func descriptor(named name: String) -> ComponentDescriptor? {
        if let exact = all.first(where: { $0.className == name || $0.names.contains(name) }) { return exact }
        guard caseInsensitive else { return nil }
        let lowered = name.lowercased()
        return all.first { $0.className.lowercased() == lowered || $0.names.contains(lowered) }
    }

    public var allNames: [String] { all.flatMap { $0.names + [$0.className] } }

    /// "an optimizer", "a loss".
    public var withArticle: String { ("aeiou".contains(kind.first ?? "x") ? "an " : "a ") + kind }
}

private let learningRateDoc = "Step size: a number, or a learning-rate schedule `{ExponentialDecay: {...}}` evaluated at every step (the optimizer's iterations, from 0)."
private let epsilonDoc = "Added to denominators for numerical stability."

private func optimizerArguments(learningRate: Double, _ own: [ArgumentDecl], weightDecay: Double? = nil) -> [ArgumentDecl] {
    [ArgumentDecl("learning_rate", .schedule(number: .above(0, closed: false)), default: .float(learningRate), learningRateDoc)]
        + own
        + [
            ArgumentDecl("weight_decay", .optional(.float(.above(0, closed: true))), default: weightDecay.map { .float($0) } ?? .null,
                         "Decoupled weight decay applied each step (AdamW's is 0.004)."),
            ArgumentDecl("clipnorm", .optional(.float(.above(0, closed: false))), default: .null, "Clip each gradient to this L2 norm."),
            ArgumentDecl("clipvalue", .optional(.float(.above(0, closed: false))), default: .null, "Clip each gradient element to [-clipvalue, clipvalue]."),
            ArgumentDecl("global_clipnorm", .optional(.float(.above(0, closed: false))), default: .null, "Clip all gradients together to this global L2 norm."),
        ]
}

private let betas = [
    ArgumentDecl("beta_1", .float(FloatInterval(0, 1, upperClosed: false)), default: .float(0.9), "Decay of the first-moment estimate."),
    ArgumentDecl("beta_2", .float(FloatInterval(0, 1, upperClosed: false)), default: .float(0.999), "Decay of the second-moment estimate."),
    ArgumentDecl("epsilon", .float(.above(0, closed: true)), default: .float(1e-7), epsilonDoc),
]

private let amsgrad = ArgumentDecl("amsgrad", .bool, default: .bool(false), "Use the maximum of past second moments (AMSGrad).")

/// Keras 2.11+ optimizers with their defaults.
public let optimizerCatalog = ComponentCatalog(kind: "optimizer", all: [
    ComponentDescriptor("SGD", names: ["sgd"], doc: "Gradient descent with optional momentum and Nesterov momentum.",
                        arguments: optimizerArguments(learningRate: 0.01, [
                            ArgumentDecl("momentum", .float(FloatInterval(0, 1)), default: .float(0), "Velocity decay; 0 is plain gradient descent."),
                            ArgumentDecl("nesterov", .bool, default: .bool(false), "Use Nesterov momentum."),
                        ]),
                        // Keras keeps the momentum slot even at momentum 0.
                        slots: { _ in 1 }),
    ComponentDescriptor("RMSprop", names: ["rmsprop"], doc: "Divides the gradient by a moving root mean square.",
                        arguments: optimizerArguments(learningRate: 0.001, [
                            ArgumentDecl("rho", .float(FloatInterval(0, 1)), default: .float(0.9), "Decay of the moving average of squared gradients."),
                            ArgumentDecl("momentum", .float(.above(0, closed: true)), default: .float(0), "Momentum on the scaled update."),
                            ArgumentDecl("epsilon", .float(.above(0, closed: true)), default: .float(1e-7), epsilonDoc),
                            ArgumentDecl("centered", .bool, default: .bool(false), "Normalize by the centered second moment (variance)."),
                        ]),
                        slots: { 1 + ($0.float("momentum") > 0 ? 1 : 0) + ($0.bool("centered") ? 1 : 0) }),
    ComponentDescriptor("Adam", names: ["adam"], doc: "Adaptive moment estimation.",
                        arguments: optimizerArguments(learningRate: 0.001, betas + [amsgrad]),
                        slots: { $0.bool("amsgrad") ? 3 : 2 }),
    ComponentDescriptor("AdamW", names: ["adamw"], doc: "Adam with decoupled weight decay.",
                        arguments: optimizerArguments(learningRate: 0.001, betas + [amsgrad], weightDecay: 0.004),
                        slots: { $0.bool("amsgrad") ? 3 : 2 }),
    ComponentDescriptor("Adagrad", names: ["adagrad"], doc: "Per-parameter rates from accumulated squared gradients.",
                        arguments: optimizerArguments(learningRate: 0.001, [
                            ArgumentDecl("initial_accumulator_value", .float(.above(0, closed: true)), default: .float(0.1), "Starting value of the accumulators."),
                            ArgumentDecl("epsilon", .float(.above(0, closed: true)), default: .float(1e-7), epsilonDoc),
                        ]),
                        slots: { _ in 1 }),
    ComponentDescriptor("Nadam", names: ["nadam"], doc: "Adam with Nesterov momentum.",
                        arguments: optimizerArguments(learningRate: 0.001, betas),
                        slots: { _ in 2 }),
], caseInsensitive: true)

private let initialRate = ArgumentDecl("initial_learning_rate", .float(.above(0, closed: true)), default: nil, "The rate at step 0.")
private let decaySteps = ArgumentDecl("decay_steps", .float(.above(0, closed: false)), default: nil, "Steps over which the rate decays (optimizer steps; epochs under LearningRateScheduler).")
private let scheduleName = ArgumentDecl("name", .optional(.text(.nonEmpty)), default: .null, "Keras's name scope of the schedule; kept in Keras files.")

/// Keras's learning-rate schedules (tf_keras 2.21 `optimizers/schedules/learning_rate_schedule.py`),
/// computed in float32 as Keras does for a Python-number initial rate. As an optimizer's
/// `learning_rate` the step is the optimizer's iterations before the update; under
/// LearningRateScheduler it is the epoch (from 0).
public let scheduleCatalog = ComponentCatalog(kind: "learning-rate schedule", all: [
    ComponentDescriptor("ExponentialDecay", names: [], doc: "initial_learning_rate · decay_rate^(step / decay_steps); the exponent floored with staircase.",
                        arguments: [
                            initialRate, decaySteps,
                            ArgumentDecl("decay_rate", .float(.above(0, closed: false)), default: nil, "Factor per decay_steps steps."),
                            ArgumentDecl("staircase", .bool, default: .bool(false), "Decay in whole steps of decay_steps (an integer exponent)."),
                            scheduleName,
                        ]),
    ComponentDescriptor("PiecewiseConstantDecay", names: [], doc: "values[0] while step ≤ boundaries[0], values[i] while boundaries[i-1] < step ≤ boundaries[i], values[-1] after the last boundary.",
                        arguments: [
                            ArgumentDecl("boundaries", .numbers(FloatInterval(0, Double(Int32.max))), default: nil, "Strictly increasing whole steps."),
                            ArgumentDecl("values", .numbers(.above(0, closed: true)), default: nil, "One more rate than boundaries."),
                            scheduleName,
                        ]),
    ComponentDescriptor("PolynomialDecay", names: [], doc: "(initial − end) · (1 − min(step, decay_steps) / decay_steps)^power + end; with cycle, decay_steps grows to the first multiple above the step.",
                        arguments: [
                            initialRate, decaySteps,
                            ArgumentDecl("end_learning_rate", .float(.above(0, closed: true)), default: .float(0.0001), "The rate at decay_steps."),
                            ArgumentDecl("power", .float(.above(0, closed: false)), default: .float(1), "Exponent of the polynomial (1 is linear)."),
                            ArgumentDecl("cycle", .bool, default: .bool(false), "Restart the decay after each multiple of decay_steps."),
                            scheduleName,
                        ]),
    ComponentDescriptor("CosineDecay", names: [], doc: "Optional linear warmup from initial_learning_rate to warmup_target over warmup_steps, then a half cosine from the peak down to alpha · peak over decay_steps.",
                        arguments: [
                            initialRate, decaySteps,
                            ArgumentDecl("alpha", .float(FloatInterval(0, 1)), default: .float(0), "The final rate as a fraction of the peak."),
                            scheduleName,
                            ArgumentDecl("warmup_target", .optional(.float(.above(0, closed: false))), default: .null, "The rate warmup climbs to; null: no warmup."),
                            ArgumentDecl("warmup_steps", .float(.above(0, closed: true)), default: .float(0), "Steps of the warmup."),
                        ]),
], caseInsensitive: false)

private let fromLogits = ArgumentDecl("from_logits", .bool, default: .bool(false), "The outputs are logits (no sigmoid/softmax applied yet).")
private let labelSmoothing = ArgumentDecl("label_smoothing", .float(FloatInterval(0, 1)), default: .float(0), "Move labels towards uniform by this fraction.")

/// Keras losses modelc trains with.
public let lossCatalog = ComponentCatalog(kind: "loss", all: [
    ComponentDescriptor("BinaryCrossentropy", names: ["binary_crossentropy", "bce", "BCE"],
                        doc: "Cross-entropy of independent 0/1 labels; outputs clipped to [1e-7, 1 - 1e-7] as Keras does.",
                        arguments: [fromLogits, labelSmoothing]),
    ComponentDescriptor("CategoricalCrossentropy", names: ["categorical_crossentropy"],
                        doc: "Cross-entropy of one-hot labels over the classes of the last axis.",
                        arguments: [fromLogits, labelSmoothing]),
    ComponentDescriptor("SparseCategoricalCrossentropy", names: ["sparse_categorical_crossentropy"],
                        doc: "Cross-entropy of integer class labels over the classes of the last axis.",
                        arguments: [fromLogits]),
    ComponentDescriptor("MeanSquaredError", names: ["mean_squared_error", "mse", "MSE"],
                        doc: "Mean of squared differences.", arguments: []),
    ComponentDescriptor("MeanAbsoluteError", names: ["mean_absolute_error", "mae", "MAE"],
                        doc: "Mean of absolute differences.", arguments: []),
    ComponentDescriptor("Huber", names: ["huber", "huber_loss"],
                        doc: "Squared error below delta, linear above.",
                        arguments: [ArgumentDecl("delta", .float(.above(0, closed: false)), default: .float(1), "Where the loss turns linear.")]),
], caseInsensitive: false)

private let topK = ArgumentDecl("k", .int(min: 1, max: Int(Int32.max)), default: .int(5), "How many of the largest outputs count.")

private let confusionArguments = [
    ArgumentDecl("thresholds", .optional(.float(FloatInterval(0, 1))), default: .null,
                 "Outputs above it count as predicted positives; null: 0.5, or with top_k every one of the k largest."),
    ArgumentDecl("top_k", .optional(.int(min: 1, max: Int(Int32.max))), default: .null, "Count only the k largest outputs of each row as predicted."),
    ArgumentDecl("class_id", .optional(.int(min: 0, max: Int(Int32.max))), default: .null, "Count only this class (a column of the output)."),
    ArgumentDecl("name", .optional(.text(.nonEmpty)), default: .null, "The name the metric is logged under."),
]

private let metricName = ArgumentDecl("name", .optional(.text(.nonEmpty)), default: .null, "The name the metric is logged under.")

/// Keras metrics modelc computes.
public let metricCatalog = ComponentCatalog(kind: "metric", all: [
    ComponentDescriptor("Accuracy", names: ["accuracy", "acc"],
                        doc: "Accuracy as Keras picks it for the string: binary, categorical or sparse categorical, from the loss and output.",
                        arguments: [], loggedName: "accuracy"),
    ComponentDescriptor("BinaryAccuracy", names: ["binary_accuracy"], doc: "Share of outputs on the right side of threshold.",
                        arguments: [ArgumentDecl("threshold", .float(FloatInterval(0, 1)), default: .float(0.5), "Decision threshold."), metricName]),
    ComponentDescriptor("CategoricalAccuracy", names: ["categorical_accuracy"], doc: "Share of argmax matches with one-hot labels.",
                        arguments: [metricName]),
    ComponentDescriptor("SparseCategoricalAccuracy", names: ["sparse_categorical_accuracy"], doc: "Share of argmax matches with integer labels.",
                        arguments: [metricName]),
    ComponentDescriptor("MeanSquaredError", names: ["mse", "mean_squared_error", "MSE"], doc: "Mean squared error.", arguments: [metricName]),
    ComponentDescriptor("MeanAbsoluteError", names: ["mae", "mean_absolute_error", "MAE"], doc: "Mean absolute error.", arguments: [metricName]),
    ComponentDescriptor("AUC", names: ["auc", "AUC"], doc: "Area under the ROC (or PR) curve, for binary outputs.",
                        arguments: [
                            ArgumentDecl("num_thresholds", .int(min: 2, max: 100_000), default: .int(200), "Thresholds of the Riemann sum."),
                            ArgumentDecl("curve", .choice(["ROC", "PR"]), default: .string("ROC"), "Which curve."),
                            metricName,
                        ]),
    ComponentDescriptor("Precision", names: ["precision"], doc: "True positives / predicted positives, counted over every output value (or one class) as Keras's confusion counts.",
                        arguments: confusionArguments, kerasFileString: false),
    ComponentDescriptor("Recall", names: ["recall"], doc: "True positives / actual positives, counted over every output value (or one class) as Keras's confusion counts.",
                        arguments: confusionArguments, kerasFileString: false),
    ComponentDescriptor("F1Score", names: ["f1_score"], doc: "Harmonic mean of precision and recall per class, averaged (micro, macro or weighted by support), for one-hot or 0/1 labels.",
                        arguments: [
                            ArgumentDecl("average", .optional(.choice(["micro", "macro", "weighted"])), default: .null,
                                         "How the per-class scores become one number; null (Keras's default) keeps one score per class, which modelc logs only for a one-unit output."),
                            ArgumentDecl("threshold", .optional(.float(FloatInterval(0, 1, lowerClosed: false))), default: .null,
                                         "Outputs above it count as predicted; null: the largest output of each row."),
                            metricName,
                        ], kerasFileString: false),
    ComponentDescriptor("TopKCategoricalAccuracy", names: ["top_k_categorical_accuracy"], doc: "Share of rows whose one-hot label is among the k largest outputs (ties at the k-th value count as in).",
                        arguments: [topK, metricName], loggedName: "top_k_categorical_accuracy"),
    ComponentDescriptor("SparseTopKCategoricalAccuracy", names: ["sparse_top_k_categorical_accuracy"], doc: "Share of rows whose integer label is among the k largest outputs (ties at the k-th value count as in).",
                        arguments: [topK, metricName], loggedName: "sparse_top_k_categorical_accuracy"),
], caseInsensitive: false)

private let monitor = ArgumentDecl("monitor", .text(.nonEmpty), default: .string("val_loss"), "The logged value watched (loss, a metric, or val_ of either).")
private let mode = ArgumentDecl("mode", .choice(["auto", "min", "max"]), default: .string("auto"),
                                "Whether smaller or larger is better; auto: larger for accuracy and auc, else smaller.")
private let verbose = ArgumentDecl("verbose", .int(min: 0, max: 1), default: .int(0), "1 prints a line when the callback acts.")

/// Keras callbacks modelc runs.
public let callbackCatalog = ComponentCatalog(kind: "callback", all: [
    ComponentDescriptor("BackupAndRestore", names: [], doc: "Keeps the run's resume state in backup_dir at every epoch end; a later train of the same spec into the same run directory resumes from it (as `--resume` does).",
                        arguments: [
                            ArgumentDecl("backup_dir", .text(.nonEmpty), default: nil, "Folder of the backup, relative to the run directory."),
                            ArgumentDecl("save_freq", .choice(["epoch"]), default: .string("epoch"), "When to back up: at every epoch end (the state a resume restores exactly)."),
                            ArgumentDecl("delete_checkpoint", .bool, default: .bool(true), "Delete the backup when training ends (completed or stopped early); an interrupted run keeps it."),
                            ArgumentDecl("save_before_preemption", .bool, default: .bool(false), "Accepted for compatibility: SIGTERM always stops after the current step and keeps the last epoch's backup."),
                        ]),
    ComponentDescriptor("CSVLogger", names: [], doc: "Streams each epoch's logs to a CSV file, as Keras writes it (epoch from 0, names sorted, NA for a missing value).",
                        arguments: [
                            ArgumentDecl("filename", .text(.nonEmpty), default: nil, "The CSV file, relative to the run directory."),
                            ArgumentDecl("separator", .text(.nonEmpty), default: .string(","), "Between the fields of a row."),
                            ArgumentDecl("append", .bool, default: .bool(false), "Add to the file if it exists (its header kept) instead of replacing it."),
                        ]),
    ComponentDescriptor("EarlyStopping", names: [], doc: "Stops when the monitored value stops improving.",
                        arguments: [
                            monitor,
                            ArgumentDecl("min_delta", .float(.above(0, closed: true)), default: .float(0), "Smallest change that counts as improvement."),
                            ArgumentDecl("patience", .int(min: 0, max: Int(Int32.max)), default: .int(0), "Epochs without improvement before stopping."),
                            verbose, mode,
                            ArgumentDecl("baseline", .optional(.float(FloatInterval(-.greatestFiniteMagnitude, .greatestFiniteMagnitude))), default: .null,
                                         "Stop if the value does not beat this baseline."),
                            ArgumentDecl("restore_best_weights", .bool, default: .bool(false), "Go back to the best epoch's weights when stopping."),
                            ArgumentDecl("start_from_epoch", .int(min: 0, max: Int(Int32.max)), default: .int(0), "Epochs to wait before watching."),
                        ]),
    ComponentDescriptor("LearningRateScheduler", names: [], doc: "Sets the optimizer's learning rate at the start of every epoch to the schedule's value at that epoch (from 0) and logs it as `lr`.",
                        arguments: [
                            ArgumentDecl("schedule", .schedule(number: nil), default: nil, "A learning-rate schedule, evaluated at the epoch number: `{ExponentialDecay: {initial_learning_rate: 0.01, decay_steps: 1, decay_rate: 0.9}}`."),
                            verbose,
                        ]),
    ComponentDescriptor("ModelCheckpoint", names: [], doc: "Saves the weights after epochs (only improvements with save_best_only).",
                        arguments: [
                            ArgumentDecl("filepath", .text(.nonEmpty), default: nil, "Where to write, relative to the run directory: a Keras file for a name ending in .keras or .h5 (the model, compiled; .keras with the optimizer state), safetensors weights otherwise."),
                            monitor, verbose,
                            ArgumentDecl("save_best_only", .bool, default: .bool(false), "Save only when the monitored value improves."),
                            ArgumentDecl("save_weights_only", .bool, default: .bool(false), "With a .h5 filepath, save only the weights (Keras's save_weights: `.weights.h5` as Keras 3, other .h5 names as tf_keras); .keras and .safetensors files are written as always."),
                            mode,
                            ArgumentDecl("save_freq", .choice(["epoch"]), default: .string("epoch"), "When to save: after every epoch."),
                        ]),
    ComponentDescriptor("ReduceLROnPlateau", names: [], doc: "Multiplies the learning rate by factor when the monitored value plateaus.",
                        arguments: [
                            monitor,
                            ArgumentDecl("factor", .float(FloatInterval(0, 1, lowerClosed: false, upperClosed: false)), default: .float(0.1), "New rate = rate · factor."),
                            ArgumentDecl("patience", .int(min: 0, max: Int(Int32.max)), default: .int(10), "Epochs without improvement before reducing."),
                            verbose, mode,
                            ArgumentDecl("min_delta", .float(.above(0, closed: true)), default: .float(1e-4), "Smallest change that counts as improvement."),
                            ArgumentDecl("cooldown", .int(min: 0, max: Int(Int32.max)), default: .int(0), "Epochs to wait after a reduction."),
                            ArgumentDecl("min_lr", .float(.above(0, closed: true)), default: .float(0), "Lower bound of the learning rate."),
                        ]),
    ComponentDescriptor("TensorBoard", names: [], doc: "Writes the logs as TensorBoard event files, as tf_keras does: `log_dir/train` and `log_dir/validation`, `epoch_<name>` scalars at each epoch (validation ones without `val_`, and `evaluation_<name>_vs_iterations`), `batch_<name>` with update_freq, the model's graph with write_graph.",
                        arguments: [
                            ArgumentDecl("log_dir", .text(.nonEmpty), default: .string("logs"), "Folder of the event files (`train/` and `validation/` inside it), relative to the run directory."),
                            ArgumentDecl("update_freq", .intOrChoice(min: 1, max: Int(Int32.max), ["epoch", "batch"]), default: .string("epoch"),
                                         "epoch: scalars at each epoch's end; batch, or N: also `batch_<name>`, the epoch's running values, after every (Nth) step at the global step."),
                            ArgumentDecl("write_graph", .bool, default: .bool(true), "Write the model's Keras config (tag `keras`) for TensorBoard's graph tab."),
                            ArgumentDecl("histogram_freq", .int(min: 0, max: 0), default: .int(0), "Weight histograms are not written: only 0 (off) is accepted."),
                        ]),
    ComponentDescriptor("TerminateOnNaN", names: [], doc: "Stops at a NaN or infinite loss with Keras's message (modelc stops there in any case, keeping the weights of the last finite step).",
                        arguments: []),
], caseInsensitive: false)

/// The keys of `compile`.
public let compileArguments: [ArgumentDecl] = [
    ArgumentDecl("optimizer", .structured("optimizer"), default: .string("rmsprop"), "A name (`adam`) or `{ClassName: {arguments}}`; Keras's default is rmsprop."),
    ArgumentDecl("loss", .structured("loss"), default: nil,
                 "A name (`binary_crossentropy`) or `{ClassName: {arguments}}`, for every output; or a mapping from output names to losses."),
    ArgumentDecl("loss_weights", .structured("mapping of output names to numbers"), default: .null,
                 "Weights of the outputs' losses in the total Keras minimises, e.g. `{out: 1.0, reg: 0.5}`; default 1 each."),
    ArgumentDecl("metrics", .structured("list of metrics"), default: .null,
                 "A list of names or `{ClassName: {arguments}}` mappings, for every output; or a mapping from output names to such lists."),
    ArgumentDecl("weighted_metrics", .structured("list of metrics"), default: .null,
                 "Metrics weighted by sample_weight / class_weight (those of `metrics` count every sample once), in the same forms; logged after them, as `weighted_<name>` when `metrics` has the same name."),
]

/// The keys of `fit`.
public let fitArguments: [ArgumentDecl] = [
    ArgumentDecl("epochs", .int(min: 1, max: 1_000_000), default: .int(1), "Passes over the training data."),
    ArgumentDecl("batch_size", .int(min: 1, max: 1 << 24), default: .int(32), "Samples per gradient step."),
    ArgumentDecl("shuffle", .bool, default: .bool(true), "Shuffle the training data before each epoch."),
    ArgumentDecl("seed", .optional(.int(min: 0, max: Int(UInt32.max))), default: .null, "Seed for initial weights, shuffling, splits and dropout; null picks one and prints it."),
    ArgumentDecl("verbose", .int(min: 0, max: 2), default: .int(1), "0 silent, 1 progress bar, 2 one line per epoch."),
    ArgumentDecl("validation", .structured("mapping"), default: .null, "`{split: 0.2}`: hold out that fraction of the training data."),
    ArgumentDecl("callbacks", .structured("list of callbacks"), default: .null, "A list of `{ClassName: {arguments}}` callbacks."),
    ArgumentDecl("class_weight", .structured("mapping of class ids to weights"), default: .null,
                 "`{0: 1.0, 1: 4.0}`: each training sample's loss (and weighted_metrics) weighted by its class's weight — the label's value for one unit, its argmax or integer for several; keys 0 … n−1 as Keras requires."),
]

/// The keys of `fit.validation`.
public let validationArguments: [ArgumentDecl] = [
    ArgumentDecl("split", .float(FloatInterval(0, 1, lowerClosed: false, upperClosed: false)), default: nil,
                 "Fraction of the training samples held out: the last rows, as Keras's validation_split, unless a seed is given."),
    ArgumentDecl("seed", .optional(.int(min: 0, max: Int(UInt32.max))), default: .null,
                 "Shuffle the rows with this seed before holding out the fraction (as train_test_split's random_state)."),
    ArgumentDecl("stratify", .bool, default: .bool(false), "With a seed: hold out the same fraction of every label, keeping class proportions."),
]
