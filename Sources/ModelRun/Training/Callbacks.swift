import Foundation
import ModelC

/// What callbacks may do to a running fit.
public protocol TrainingControl: AnyObject {
    var learningRate: Double { get set }
    var stopTraining: Bool { get set }
    /// Copies every weight into `snapshot` (allocated on first use, then reused).
    func snapshot(into snapshot: inout [Buffer])
    func restore(from snapshot: [Buffer])
    /// Saves the weights to `path` (a Keras file for `.keras`/`.h5` names; `weightsOnly` as Keras's save_weights).
    func saveWeights(to path: String, weightsOnly: Bool) throws(DataError)
    /// A line for the user (callbacks with verbose: 1).
    func say(_ line: String)
    /// Optimizer steps applied so far (Keras's `optimizer.iterations`).
    var iterations: Int { get }
    /// The optimizer's learning-rate schedule at `iterations` (the rate of the next step), nil
    /// when its learning_rate is a number.
    var scheduledLearningRate: Double? { get }
}

extension TrainingControl {
    public var iterations: Int { 0 }
    public var scheduledLearningRate: Double? { nil }
}

/// One Keras callback, called at epoch boundaries. Epochs count from 0 as in Keras.
public protocol Callback: AnyObject {
    func trainBegin()
    /// Before the epoch's first step (Keras's on_epoch_begin); most callbacks do nothing here.
    func epochBegin(_ epoch: Int, control: TrainingControl)
    func epochEnd(_ epoch: Int, logs: inout [String: Double], control: TrainingControl) throws(DataError)
    func trainEnd(control: TrainingControl)
    /// What carries over from one epoch to the next, for resuming a run (after `trainBegin`).
    func saveState() -> CallbackState
    func loadState(_ state: CallbackState)
}

extension Callback {
    public func epochBegin(_ epoch: Int, control: TrainingControl) {}
}

/// A callback's state between epochs: numbers by name, and weight snapshots in parameter order.
public struct CallbackState: Sendable {
    public var numbers: [String: Double]
    public var tensors: [[Float]]

    public init(numbers: [String: Double] = [:], tensors: [[Float]] = []) {
        self.numbers = numbers
        self.tensors = tensors
    }

    /// `numbers[name]` as an Int (states store counters as exact doubles).
    func int(_ name: String) -> Int { Int(numbers[name] ?? 0) }
}

/// A callback that also runs after training steps (Keras's `on_train_batch_end`), only at the
/// global steps it asks for, so a fit without one computes no per-step logs.
public protocol BatchCallback: Callback {
    /// Whether `batchEnd` runs after global step `step` (optimizer iterations, from 1).
    func wantsBatch(_ step: Int) -> Bool
    /// `logs`: the epoch's running values so far (loss, output losses, metrics), as Keras's batch logs.
    func batchEnd(_ step: Int, logs: [(String, Double)]) throws(DataError)
}

public enum Callbacks {
    /// The callbacks `fit` asked for, in its order; checkpoint paths resolve in `runDirectory`.
    /// BackupAndRestore is the run's own resume state (see ResumeState), not a callback here.
    /// `modelConfig` is the model's Keras config (tf_keras's `model.to_json()`), TensorBoard's graph.
    public static func make(_ configs: [CompileConfig.Component], runDirectory: RunDirectory, loggedNames: [String],
                            modelConfig: String? = nil) throws(DataError) -> [Callback] {
        var callbacks: [Callback] = []
        let classes = configs.map(\.descriptor.className)
        for (position, config) in configs.enumerated() {
            let arguments = config.arguments
            switch config.descriptor.className {
            case "EarlyStopping": callbacks.append(EarlyStopping(arguments))
            case "ReduceLROnPlateau": callbacks.append(ReduceLROnPlateau(arguments))
            case "ModelCheckpoint":
                let template = arguments.string("filepath")
                try CheckpointPath.validate(template, loggedNames: CheckpointTemplate.availableNames(logged: loggedNames, callbacks: classes,
                                                                                                   position: position))
                // The names and folders known before the first epoch are checked before it.
                _ = try runDirectory.file(template, checkpoint: true)
                callbacks.append(ModelCheckpoint(arguments, directory: runDirectory))
            case "CSVLogger": callbacks.append(try CSVLogger(arguments, directory: runDirectory))
            case "TerminateOnNaN": callbacks.append(TerminateOnNaN())
            case "LearningRateScheduler": callbacks.append(LearningRateScheduler(config))
            case "TensorBoard":
                callbacks.append(try TensorBoard(arguments, directory: runDirectory, loggedNames: loggedNames, modelConfig: modelConfig))
            case "BackupAndRestore":
                continue
            default:
                throw DataError("callback \(config.descriptor.className) is not in the catalogue")
            }
        }
        return callbacks
    }
}

/// Stops when the monitored value stops improving (tf_keras 2.21: best weights, when kept, are
/// restored at the end of training whether or not it stopped early).
final class EarlyStopping: Callback {
    let monitor: String
    let minDelta: Double
    let patience: Int
    let verbose: Bool
    let baseline: Double?
    let restoreBestWeights: Bool
    let startFromEpoch: Int
    let greaterIsBetter: Bool
    var wait = 0
    var stoppedEpoch = 0
    var best = 0.0
    var bestEpoch = 0
    var bestWeights: [Buffer] = []
    var haveBestWeights = false

    init(_ arguments: ResolvedArguments) {
        monitor = arguments.string("monitor")
        patience = arguments.int("patience")
        verbose = arguments.int("verbose") > 0
        baseline = arguments.optionalFloat("baseline")
        restoreBestWeights = arguments.bool("restore_best_weights")
        startFromEpoch = arguments.int("start_from_epoch")
        switch arguments.string("mode") {
        case "min": greaterIsBetter = false
        case "max": greaterIsBetter = true
        default: greaterIsBetter = monitor.hasSuffix("acc") || monitor.hasSuffix("accuracy") || monitor.hasSuffix("auc")
        }
        // Keras signs min_delta by direction: improvement means beating the reference by it.
        minDelta = abs(arguments.float("min_delta")) * (greaterIsBetter ? 1 : -1)
    }

    func isImprovement(_ value: Double, over reference: Double) -> Bool {
        greaterIsBetter ? value - minDelta > reference : value - minDelta < reference
    }

    func trainBegin() {
        wait = 0
        stoppedEpoch = 0
        best = greaterIsBetter ? -.infinity : .infinity
        bestEpoch = 0
        haveBestWeights = false
    }

    func epochEnd(_ epoch: Int, logs: inout [String: Double], control: TrainingControl) throws(DataError) {
        guard let current = logs[monitor], epoch >= startFromEpoch else { return }
        if restoreBestWeights, !haveBestWeights {
            control.snapshot(into: &bestWeights)
            haveBestWeights = true
            bestEpoch = epoch
        }
        wait += 1
        if isImprovement(current, over: best) {
            best = current
            bestEpoch = epoch
            if restoreBestWeights { control.snapshot(into: &bestWeights) }
            if baseline.map({ isImprovement(current, over: $0) }) ?? true { wait = 0 }
            return
        }
        if wait >= patience, epoch > 0 {
            stoppedEpoch = epoch
            control.stopTraining = true
        }
    }

    func saveState() -> CallbackState {
        CallbackState(numbers: ["wait": Double(wait), "stopped_epoch": Double(stoppedEpoch), "best": best,
                                "best_epoch": Double(bestEpoch), "have_best_weights": haveBestWeights ? 1 : 0],
                      tensors: haveBestWeights ? bestWeights.map(\.array) : [])
    }

    func loadState(_ state: CallbackState) {
        wait = state.int("wait")
        stoppedEpoch = state.int("stopped_epoch")
        best = state.numbers["best"] ?? best
        bestEpoch = state.int("best_epoch")
        haveBestWeights = state.int("have_best_weights") == 1 && !state.tensors.isEmpty
        bestWeights = haveBestWeights ? state.tensors.map { Buffer($0) } : []
    }

    func trainEnd(control: TrainingControl) {
        if stoppedEpoch > 0, verbose { control.say("Epoch \(stoppedEpoch + 1): early stopping") }
        if restoreBestWeights, haveBestWeights {
            if verbose { control.say("Restoring model weights from the end of the best epoch: \(bestEpoch + 1).") }
            control.restore(from: bestWeights)
        }
    }
}

/// Multiplies the learning rate by `factor` after `patience` epochs without improvement.
final class ReduceLROnPlateau: Callback {
    let monitor: String
    let factor: Double
    let patience: Int
    let verbose: Bool
    let minDelta: Double
    let cooldown: Int
    let minimumRate: Double
    let lowerIsBetter: Bool
    var cooldownCounter = 0
    var wait = 0
    var best = 0.0

    init(_ arguments: ResolvedArguments) {
        monitor = arguments.string("monitor")
        factor = arguments.float("factor")
        patience = arguments.int("patience")
        verbose = arguments.int("verbose") > 0
        minDelta = arguments.float("min_delta")
        cooldown = arguments.int("cooldown")
        minimumRate = arguments.float("min_lr")
        let mode = arguments.string("mode")
        lowerIsBetter = mode == "min" || (mode == "auto" && !monitor.contains("acc"))
    }

    func improves(_ value: Double) -> Bool {
        lowerIsBetter ? value < best - minDelta : value > best + minDelta
    }

    func trainBegin() {
        best = lowerIsBetter ? .infinity : -.infinity
        cooldownCounter = 0
        wait = 0
    }

    func epochEnd(_ epoch: Int, logs: inout [String: Double], control: TrainingControl) throws(DataError) {
        logs["lr"] = Double(Float(control.learningRate))
        guard let current = logs[monitor] else { return }
        if cooldownCounter > 0 {
            cooldownCounter -= 1
            wait = 0
        }
        if improves(current) {
            best = current
            wait = 0
        } else if cooldownCounter == 0 {
            wait += 1
            if wait >= patience {
                let old = control.learningRate
                if Float(old) > Float(minimumRate) {
                    let new = max(old * factor, minimumRate)
                    control.learningRate = new
                    if verbose { control.say("Epoch \(epoch + 1): ReduceLROnPlateau reducing learning rate to \(Float(new)).") }
                    cooldownCounter = cooldown
                    wait = 0
                }
            }
        }
    }

    func saveState() -> CallbackState {
        CallbackState(numbers: ["cooldown_counter": Double(cooldownCounter), "wait": Double(wait), "best": best])
    }

    func loadState(_ state: CallbackState) {
        cooldownCounter = state.int("cooldown_counter")
        wait = state.int("wait")
        best = state.numbers["best"] ?? best
    }

    func trainEnd(control: TrainingControl) {}
}

/// Saves the weights after each epoch, or only when the monitored value improves.
final class ModelCheckpoint: Callback {
    let template: String
    let directory: RunDirectory
    /// True for the run's own best.safetensors, which may take one of the run's names.
    let ownFile: Bool
    let monitor: String
    let verbose: Bool
    let saveBestOnly: Bool
    /// Keras's save_weights_only: for a `.h5` name the file holds the weights without the model.
    let weightsOnly: Bool
    let greaterIsBetter: Bool
    var best: Double

    init(_ arguments: ResolvedArguments, directory: RunDirectory, ownFile: Bool = false) {
        template = arguments.string("filepath")
        self.directory = directory
        self.ownFile = ownFile
        monitor = arguments.string("monitor")
        verbose = arguments.int("verbose") > 0
        saveBestOnly = arguments.bool("save_best_only")
        weightsOnly = arguments["save_weights_only"] == .bool(true)
        switch arguments.string("mode") {
        case "min": greaterIsBetter = false
        case "max": greaterIsBetter = true
        default: greaterIsBetter = monitor.contains("acc") || monitor.hasPrefix("fmeasure")
        }
        best = greaterIsBetter ? -.infinity : .infinity
    }

    func trainBegin() {}

    func epochEnd(_ epoch: Int, logs: inout [String: Double], control: TrainingControl) throws(DataError) {
        let path = try directory.file(try CheckpointPath.format(template, epoch: epoch + 1, logs: logs), checkpoint: !ownFile)
        guard saveBestOnly else {
            if verbose { control.say("Epoch \(epoch + 1): saving model to \(path)") }
            try control.saveWeights(to: path, weightsOnly: weightsOnly)
            return
        }
        guard let current = logs[monitor] else { return }
        if greaterIsBetter ? current > best : current < best {
            if verbose {
                control.say("Epoch \(epoch + 1): \(monitor) improved from \(String(format: "%.5f", best)) to \(String(format: "%.5f", current)), saving model to \(path)")
            }
            best = current
            try control.saveWeights(to: path, weightsOnly: weightsOnly)
        } else if verbose {
            control.say("Epoch \(epoch + 1): \(monitor) did not improve from \(String(format: "%.5f", best))")
        }
    }

    func saveState() -> CallbackState { CallbackState(numbers: ["best": best]) }

    func loadState(_ state: CallbackState) { best = state.numbers["best"] ?? best }

    func trainEnd(control: TrainingControl) {}
}

/// Keras's checkpoint file names, `filepath.format(epoch=epoch + 1, **logs)`: `{epoch}`,
/// `{epoch:02d}`, `{val_loss:.2f}`, ... read and formatted by `CheckpointTemplate` (Python's rules,
/// no C format strings), the same code `check` validates them with.
public enum CheckpointPath {
    /// Refuses a template that does not parse, names a value that is not logged, formats a value
    /// with a spec Python (or modelc's bounds) refuses, or leaves the run directory.
    public static func validate(_ template: String, loggedNames: [String]) throws(DataError) {
        let parsed: CheckpointTemplate
        do {
            parsed = try CheckpointTemplate.parse(template)
        } catch {
            throw DataError("ModelCheckpoint filepath '\(template)': \(error.message)")
        }
        if let problem = parsed.problems(available: loggedNames).first {
            throw DataError("ModelCheckpoint filepath '\(template)': \(problem)")
        }
        if let problem = CheckpointTemplate.pathProblem(template) {
            throw DataError("ModelCheckpoint filepath '\(template)' \(problem)")
        }
    }

    /// The file name for `epoch` (from 1) and the epoch's logs, relative to the run directory.
    public static func format(_ template: String, epoch: Int, logs: [String: Double]) throws(DataError) -> String {
        let name: String
        do {
            name = try CheckpointTemplate.parse(template).render(epoch: epoch, logs: logs)
        } catch {
            throw DataError("ModelCheckpoint filepath '\(template)' cannot name the checkpoint of epoch \(epoch): \(error.message)")
        }
        if let problem = CheckpointTemplate.pathProblem(name) {
            throw DataError("ModelCheckpoint filepath '\(template)' gives '\(name)' at epoch \(epoch), which \(problem)")
        }
        return name
    }
}

/// Sets the learning rate at every epoch's start to the schedule's value at the epoch (from 0),
/// and logs it as `lr` at the epoch's end, as tf_keras's LearningRateScheduler.
final class LearningRateScheduler: Callback {
    let schedule: LearningRateSchedule
    let verbose: Bool

    init(_ config: CompileConfig.Component) {
        guard let schedule = config.schedules["schedule"] else { preconditionFailure("LearningRateScheduler without a checked schedule") }
        self.schedule = LearningRateSchedule(schedule)
        verbose = config.arguments.int("verbose") > 0
    }

    func trainBegin() {}

    func epochBegin(_ epoch: Int, control: TrainingControl) {
        let rate = schedule.rate(at: epoch)
        control.learningRate = Double(rate)
        // Keras prints a blank line first (the progress bar's line is still open in a notebook).
        if verbose { control.say("\nEpoch \(epoch + 1): LearningRateScheduler setting learning rate to \(rate).") }
    }

    func epochEnd(_ epoch: Int, logs: inout [String: Double], control: TrainingControl) throws(DataError) {
        logs["lr"] = Double(Float(control.learningRate))
    }

    func trainEnd(control: TrainingControl) {}
    func saveState() -> CallbackState { CallbackState() }
    func loadState(_ state: CallbackState) {}
}
