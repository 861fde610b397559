import Foundation
import ModelC

/// Where a training keeps its resume state and when it picks it up: always with `--resume DIR`,
/// and by itself when the spec has Keras's BackupAndRestore callback and its backup exists.
enum RunResume {
    /// The spec's BackupAndRestore callback, if any (the checker allows one).
    static func backup(_ fit: FitConfig) -> CompileConfig.Component? {
        fit.callbacks.first { $0.descriptor.className == "BackupAndRestore" }
    }

    /// The state file's path inside the run directory: `resume.safetensors`, or under backup_dir.
    static func stateName(backup: CompileConfig.Component?) -> String {
        guard let backup else { return ResumeState.fileName }
        return backup.arguments.string("backup_dir") + "/" + ResumeState.fileName
    }

    static func statePath(runDirectory: String, backup: CompileConfig.Component?) -> String {
        runDirectory + "/" + stateName(backup: backup)
    }

    /// The state to continue from: required with `--resume` (`explicit`), taken when present with
    /// a BackupAndRestore callback (`automatic`), else none.
    static func existing(_ path: String, explicit: Bool, automatic: Bool, output: CommandOutput) throws(DataError) -> ResumeState? {
        let present = FileManager.default.fileExists(atPath: path)
        if explicit, !present {
            throw DataError("--resume: no resume state at \(path); a run writes it at the end of each epoch, so this run never finished one (train it anew)")
        }
        guard present, explicit || automatic else { return nil }
        if !explicit { output.out("BackupAndRestore: found a backup at \(path)\n") }
        return try ResumeState.read(path)
    }

    /// Fingerprints of every data file the spec names (train, validation and test).
    static func fingerprints(_ model: TypedModel, root: String) throws(DataError) -> [DataFingerprint] {
        var all: [DataFingerprint] = []
        for path in model.data?.filePaths ?? [] { all += try DataFingerprint.of(path, root: root) }
        return all
    }

    /// Removes a finished run's backup (BackupAndRestore's delete_checkpoint), and its folder if
    /// that is left empty.
    static func deleteBackup(_ path: String) {
        unlink(path)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if (try? FileManager.default.contentsOfDirectory(atPath: folder))?.isEmpty == true { rmdir(folder) }
    }
}

/// The files of a run that follow its history: CSV, JSON and the learning curves.
struct RunFiles {
    let directory: RunDirectory
    let title: String

    /// Writes history.csv, history.json and curves.svg (each atomically).
    /// `restoredEpoch` (from 1): the epoch EarlyStopping restored, marked on the curves.
    func writeHistory(_ history: History, restoredEpoch: Int? = nil) throws(DataError) {
        try AtomicFile.write(history.csv, to: try directory.file("history.csv"))
        try AtomicFile.write(history.json, to: try directory.file("history.json"))
        try AtomicFile.write(LearningCurves.svg(history, title: title, restoredEpoch: restoredEpoch), to: try directory.file("curves.svg"))
    }

    /// Those of `names` that exist in the run directory, in order.
    func existing(_ names: [String]) -> [String] {
        names.filter { FileManager.default.fileExists(atPath: directory.path + "/" + $0) }
    }
}
