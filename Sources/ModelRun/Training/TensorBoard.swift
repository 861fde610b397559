import Foundation
import ModelC

/// Keras's `TensorBoard` callback (tf_keras 2.x `callbacks.py`), the scalars and the model graph:
///
/// - `log_dir/train/events.out.tfevents.<time>.<host>.<pid>.<n>.v2`: at each epoch end
///   `epoch_<name>` for every logged value that is not a validation one (loss, `<output>_loss`,
///   metrics, and `lr` when ReduceLROnPlateau runs before it), step = the epoch from 0; with
///   `update_freq` `batch` or N, `batch_<name>` for the epoch's running values after every Nth
///   step, at the global step (optimizer iterations, from 1); with `write_graph`, the model's
///   Keras config under the tag `keras` (step 0) for TensorBoard's graph plugin.
/// - `log_dir/validation/...` (with validation data): at each epoch end
///   `evaluation_<name>_vs_iterations` at the global step, then `epoch_<name>` at the epoch, the
///   names without `val_`.
///
/// With a learning-rate schedule as the optimizer's learning_rate, `epoch_learning_rate` is its
/// value at the iterations after the epoch (tf_keras's `_collect_learning_rate`); tf_keras 2.21 writes the batch scalars only when another callback has
/// batch hooks (its progress bar, verbose 1) where modelc writes them at any verbosity.
///
/// Scalars are tf.summary v2 events: a float32 scalar tensor with the "scalars" plugin's metadata,
/// one value per event. A file is appended to and fsynced at every epoch end; a failed write is cut
/// back to the last whole record. A resumed run continues the same files, cut back to the end of the
/// last completed epoch (so an unfinished epoch's batch scalars are not repeated).
final class TensorBoard: BatchCallback {
    let logDir: String
    let directory: RunDirectory
    /// Write batch scalars every this many global steps; nil for `update_freq: epoch`.
    let updateFreq: Int?
    /// The model's Keras config for write_graph (nil: no graph).
    let graph: String?
    /// The logged names in the order Keras logs them (compile's order).
    let order: [String]
    var train: EventFileWriter?
    var validation: EventFileWriter?

    init(_ arguments: ResolvedArguments, directory: RunDirectory, loggedNames: [String], modelConfig: String?) throws(DataError) {
        logDir = arguments.string("log_dir")
        self.directory = directory
        switch arguments["update_freq"] {
        case .int(let steps): updateFreq = steps
        case .string("batch"): updateFreq = 1
        default: updateFreq = nil
        }
        graph = arguments.bool("write_graph") ? modelConfig : nil
        order = loggedNames
        // The folders must lie inside the run directory (checked again when a file is made).
        _ = try folder("train")
        _ = try folder("validation")
    }

    /// `log_dir/<run>` inside the run directory.
    func folder(_ run: String) throws(DataError) -> String {
        do {
            return try directory.file(logDir + "/" + run)
        } catch {
            throw DataError("TensorBoard log_dir '\(logDir)': \(error.description)")
        }
    }

    func trainBegin() {
        train = nil
        validation = nil
    }

    func trainWriter() throws(DataError) -> EventFileWriter {
        if let train { return train }
        let now = Date().timeIntervalSince1970
        let writer = try EventFileWriter(creating: try folder("train") + "/" + EventFileWriter.fileName(time: now), wallTime: now)
        if let graph { try writer.add(TensorBoardEvents.kerasModel(graph, wallTime: now)) }
        train = writer
        return writer
    }

    func validationWriter() throws(DataError) -> EventFileWriter {
        if let validation { return validation }
        let now = Date().timeIntervalSince1970
        let writer = try EventFileWriter(creating: try folder("validation") + "/" + EventFileWriter.fileName(time: now), wallTime: now)
        validation = writer
        return writer
    }

    /// The names of `logs` in Keras's order: compile's logged names, then any others (lr) sorted.
    func ordered(_ names: some Sequence<String>) -> [String] {
        let present = Set(names)
        let known = order.filter { present.contains($0) }
        return known + present.subtracting(known).sorted()
    }

    func wantsBatch(_ step: Int) -> Bool {
        guard let updateFreq else { return false }
        return step % updateFreq == 0
    }

    func batchEnd(_ step: Int, logs: [(String, Double)]) throws(DataError) {
        let writer = try trainWriter()
        let now = Date().timeIntervalSince1970
        for (name, value) in logs { try writer.add(TensorBoardEvents.scalar("batch_" + name, value, step: step, wallTime: now)) }
        // Written at the epoch's end unless an epoch logs more than a MiB of batches.
        if writer.pendingCount > 1 << 20 { try writer.flush(sync: false) }
    }

    func epochEnd(_ epoch: Int, logs: inout [String: Double], control: TrainingControl) throws(DataError) {
        let names = ordered(logs.keys)
        let trainNames = names.filter { !$0.hasPrefix("val_") }
        let validationNames = names.filter { $0.hasPrefix("val_") }
        let now = Date().timeIntervalSince1970
        if !validationNames.isEmpty {
            let writer = try validationWriter()
            for name in validationNames {
                try writer.add(TensorBoardEvents.scalar("evaluation_\(name.dropFirst(4))_vs_iterations", logs[name]!,
                                                        step: control.iterations, wallTime: now))
            }
            for name in validationNames {
                try writer.add(TensorBoardEvents.scalar("epoch_\(name.dropFirst(4))", logs[name]!, step: epoch, wallTime: now))
            }
            try writer.flush(sync: true)
        }
        let writer = try trainWriter()
        for name in trainNames { try writer.add(TensorBoardEvents.scalar("epoch_" + name, logs[name]!, step: epoch, wallTime: now)) }
        if let rate = control.scheduledLearningRate {
            try writer.add(TensorBoardEvents.scalar("epoch_learning_rate", rate, step: epoch, wallTime: now))
        }
        try writer.flush(sync: true)
    }

    /// An interrupted epoch's batch scalars are written too (a resume cuts them off again).
    func trainEnd(control: TrainingControl) {
        try? train?.flush(sync: true)
        try? validation?.flush(sync: true)
        train = nil
        validation = nil
    }

    /// Each file's name and length at the end of the epoch: a resumed run continues them from there.
    func saveState() -> CallbackState {
        var state = CallbackState()
        for (key, writer) in [("train", train), ("validation", validation)] {
            guard let writer else { continue }
            state.numbers[key + "_bytes"] = Double(writer.length)
            state.numbers[key + "_slot"] = Double(state.tensors.count)
            state.tensors.append(Array(URL(fileURLWithPath: writer.path).lastPathComponent.utf8).map(Float.init))
        }
        return state
    }

    /// A file that is gone or shorter than recorded is not continued: the rest goes to a new file.
    func loadState(_ state: CallbackState) {
        func writer(_ key: String) -> EventFileWriter? {
            guard let length = state.numbers[key + "_bytes"], let slot = state.numbers[key + "_slot"].map(Int.init),
                  slot >= 0, slot < state.tensors.count else { return nil }
            let name = String(decoding: state.tensors[slot].map { UInt8(clamping: Int($0)) }, as: UTF8.self)
            guard name.hasPrefix("events.out.tfevents."), !name.contains("/"), let folder = try? folder(key) else { return nil }
            return try? EventFileWriter(continuing: folder + "/" + name, length: Int(length))
        }
        train = writer("train")
        validation = writer("validation")
    }
}

extension TensorBoard {
    /// tf_keras's `model.to_json()`: the model config with the Keras version and backend.
    static func modelConfig(_ model: TypedModel) -> String {
        guard case .object(var pairs) = KerasConfigWriter.model(model, flavor: .tfKeras) else { return "{}" }
        pairs += [("keras_version", .string(KerasWriter.tfKerasVersion)), ("backend", .string("tensorflow"))]
        return JSONValue.object(pairs).rendered(indent: nil)
    }
}
