import Foundation
import ModelC

/// Which folder a training writes into, so that two runs never mix their files (as Ludwig keeps
/// `results/experiment_run_0`, `_1`, ...): without `--run-dir`, a new numbered folder
/// `runs/<spec>/run_N` for each run (a spec with BackupAndRestore continues the newest one that
/// holds a backup); with `--run-dir` that already holds files, a refusal unless `--overwrite`
/// (which clears a folder only if it is a modelc run) or a BackupAndRestore backup in it.
enum RunDirectoryChoice {
    /// The folder of this run. `stateName` is the file a BackupAndRestore backup lives in (nil
    /// without one).
    static func choose(spec name: String, explicit: String?, resume: String?, overwrite: Bool,
                       backupState: String?) throws(DataError) -> String {
        if let resume { return resume }
        if let explicit { return try reuse(explicit, overwrite: overwrite, backupState: backupState) }
        return try numbered(in: "runs/\(name)", backupState: backupState)
    }

    /// `--run-dir DIR`: new or empty, continued by BackupAndRestore, cleared by `--overwrite`, else refused.
    static func reuse(_ path: String, overwrite: Bool, backupState: String?) throws(DataError) -> String {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        let held = files(in: path)
        if held.isEmpty { return path }
        if let backupState, FileManager.default.fileExists(atPath: path + "/" + backupState), !overwrite { return path }
        guard overwrite else {
            let listed = (held.prefix(4) + (held.count > 4 ? ["…"] : [])).joined(separator: ", ")
            throw DataError("the run directory \(path) already holds files (\(listed)); a new run there would mix its files with them. Give --overwrite to replace that run, --resume \(path) to continue it, or another --run-dir")
        }
        guard isRun(entries) else {
            throw DataError("--overwrite clears only a folder a modelc run wrote, and \(path) holds none of run.json, history.csv or \(RunFileNames.lock); choose another --run-dir")
        }
        for entry in entries {
            do {
                try FileManager.default.removeItem(atPath: path + "/" + entry)
            } catch {
                throw DataError("--overwrite could not remove \(path)/\(entry): \(error.localizedDescription)")
            }
        }
        return path
    }

    /// The next `run_N` under `base` (made here, so two trainings started at once get two folders),
    /// or the newest one holding a BackupAndRestore backup.
    static func numbered(in base: String, backupState: String?) throws(DataError) -> String {
        do {
            try AtomicFile.makeDirectory(base)
        } catch {
            throw DataError("cannot make the runs folder: \(error.description)")
        }
        let numbers = ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).compactMap(runNumber).sorted()
        if let backupState, let newest = numbers.last, FileManager.default.fileExists(atPath: "\(base)/run_\(newest)/\(backupState)") {
            return "\(base)/run_\(newest)"
        }
        var next = (numbers.last ?? -1) + 1
        while true {
            let path = "\(base)/run_\(next)"
            if mkdir(path, 0o755) == 0 { return path }
            guard errno == EEXIST else {
                throw DataError("cannot make the run directory \(path): \(String(cString: strerror(errno)))")
            }
            next += 1
        }
    }

    /// The regular files below `path` (relative, sorted, at most `limit`): what a new run would mix
    /// with. The lock, the temporaries a killed run left (removed when the run opens the folder),
    /// empty folders and symlinks (never written through) do not count.
    static func files(in path: String, limit: Int = 5) -> [String] {
        var found: [String] = []
        func walk(_ folder: String, _ prefix: String, depth: Int) {
            guard depth < 8, found.count < limit,
                  let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
            for name in names.sorted() where found.count < limit {
                if name == RunFileNames.lock || name.hasPrefix(AtomicFile.temporaryPrefix) { continue }
                var status = stat()
                guard lstat(folder + "/" + name, &status) == 0 else { continue }
                switch status.st_mode & S_IFMT {
                case S_IFDIR: walk(folder + "/" + name, prefix + name + "/", depth: depth + 1)
                case S_IFLNK: continue
                default: found.append(prefix + name)
                }
            }
        }
        walk(path, "", depth: 0)
        return found
    }

    /// N of `run_N`.
    static func runNumber(_ name: String) -> Int? {
        guard name.hasPrefix("run_"), let number = Int(name.dropFirst(4)), number >= 0, "run_\(number)" == name else { return nil }
        return number
    }

    /// A folder a modelc run wrote: its record, its history or its lock.
    static func isRun(_ entries: [String]) -> Bool {
        entries.contains { [RunFileNames.record, "history.csv", RunFileNames.lock].contains($0) }
    }
}
