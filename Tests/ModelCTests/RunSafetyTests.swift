import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// What a training does to its folder when things go wrong: failed writes, a folder in use or in
/// the way, leftovers of a killed run, symlinks, signals and kill -9.
@Suite struct RunSafetyTests {
    /// A quick spec with a checkpoint `filepath` of the caller's choice.
    static func spec(checkpoint: String) -> String {
        """
        input: [2]
        layers: [Dense 1]
        compile: {loss: mse}
        fit: {epochs: 2, batch_size: 2, verbose: 0, callbacks: [ModelCheckpoint: {filepath: '\(checkpoint)'}]}
        data:
          train: {x: [[0, 1], [1, 0], [1, 1], [0, 0]], y: [1, 1, 2, 0]}

        """
    }

    /// Starts `modelc` with `arguments` (through `sh -c` when `shell` is given, which must end in
    /// `exec "$@"`), waits until standard output shows `marker`, then sends `signals` in a row.
    static func signalled(_ arguments: [String], after marker: String, signals: [Int32], shell: String? = nil)
        throws -> (code: Int32, out: String, error: String) {
        let process = Process()
        if let shell {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", shell, "sh", TestSupport.executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: TestSupport.executable)
            process.arguments = arguments
        }
        process.currentDirectoryURL = URL(fileURLWithPath: TestSupport.packageRoot)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        var seen = Data()
        if !signals.isEmpty { TestSupport.read(out, until: marker, into: &seen) }
        for signal in signals { kill(process.processIdentifier, signal) }
        seen.append(out.fileHandleForReading.readDataToEndOfFile())
        let error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let code = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return (code, String(decoding: seen, as: UTF8.self), String(decoding: error, as: UTF8.self))
    }

    static func temporaries(in folder: String) -> [String] {
        (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).filter {
            URL(fileURLWithPath: $0).lastPathComponent.hasPrefix(AtomicFile.temporaryPrefix)
        }
    }

    @Test func aFailedWriteKeepsThePreviousFileAndSaysWhy() throws {
        let folder = try TestSupport.temporaryDirectory("atomic")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/weights.safetensors"
        try AtomicFile.write("old", to: path)
        AtomicFile.injectedFailures.withLock { $0[path] = ENOSPC }
        defer { AtomicFile.injectedFailures.withLock { $0[path] = nil } }
        #expect(throws: DataError("cannot write \(path): No space left on device")) { try AtomicFile.write("new", to: path) }
        #expect(TestSupport.read(path) == "old")
        #expect(Self.temporaries(in: folder).isEmpty)
        // A file where a folder must go: the reason, not a generic failure.
        #expect(throws: DataError("cannot use \(path) as a folder: it is a file")) { try AtomicFile.write("x", to: path + "/inner") }
    }

    @Test func aFullDiskStopsTrainingAtTheFirstFailedWriteKeepingTheLastGoodFiles() throws {
        let folder = try TestSupport.temporaryDirectory("full")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try AtomicFile.write(Self.spec(checkpoint: "ck-{epoch}.safetensors").replacingOccurrences(of: "epochs: 2", with: "epochs: 5"),
                             to: folder + "/spec.yaml")
        let run = folder + "/run"
        AtomicFile.injectedFailures.withLock { $0[run + "/ck-3.safetensors"] = ENOSPC }
        defer { AtomicFile.injectedFailures.withLock { $0[run + "/ck-3.safetensors"] = nil } }
        let result = RunSupport.train(folder + "/spec.yaml", TrainOptions(runDirectory: run))
        #expect(result.code == 1)
        #expect(result.error.contains("error: cannot write \(run)/ck-3.safetensors: No space left on device; training stopped in epoch 3"))
        // Epochs 1 and 2 are complete on disk, and the state resumes from there.
        #expect(FileManager.default.fileExists(atPath: run + "/ck-2.safetensors"))
        #expect(!FileManager.default.fileExists(atPath: run + "/ck-4.safetensors"))
        #expect(!FileManager.default.fileExists(atPath: run + "/weights.safetensors"))
        #expect(try ResumeState.read(run + "/" + ResumeState.fileName).completedEpochs == 2)
        #expect(Self.temporaries(in: run).isEmpty)
    }

    @Test func aFileSizeLimitIsAFailedWriteWithTheOSReason() throws {
        let folder = try TestSupport.temporaryDirectory("fsize")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The resume state (13 KB) is larger than the limit; the weights and history are not.
        let result = try Self.signalled(["train", "Specs/many_to_one.yaml", "--run-dir", folder + "/run"], after: "", signals: [],
                                        shell: "ulimit -f 8 && exec \"$@\"")
        #expect(result.code == 1)
        #expect(result.error.contains("cannot write \(folder)/run/resume.safetensors: File too large; training stopped in epoch 1"), "\(result.error)")
        #expect(TestSupport.read(folder + "/run/history.csv").split(separator: "\n").count == 2)
        #expect(Self.temporaries(in: folder + "/run").isEmpty)
    }

    @Test func theRunDirectoryIsCheckedBeforeTheFirstStep() throws {
        let folder = try TestSupport.temporaryDirectory("rundir")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try AtomicFile.write(Self.spec(checkpoint: "ck.safetensors"), to: folder + "/spec.yaml")
        try AtomicFile.write("not a folder", to: folder + "/file")
        let blocked = RunSupport.train(folder + "/spec.yaml", TrainOptions(runDirectory: folder + "/file"))
        #expect(blocked.code == 1)
        #expect(blocked.error.contains("the run directory \(folder)/file is a file, not a folder; choose another --run-dir"))
        #expect(!blocked.out.contains("training on"))
        let nested = RunSupport.train(folder + "/spec.yaml", TrainOptions(runDirectory: folder + "/file/run"))
        #expect(nested.error.contains("cannot use the run directory: cannot use \(folder)/file as a folder: it is a file"))

        // A second training into a folder in use is refused at once, naming the first.
        let held = try RunDirectory(folder + "/busy")
        let second = RunSupport.train(folder + "/spec.yaml", TrainOptions(runDirectory: held.path))
        #expect(second.code == 1)
        #expect(second.error.contains("another modelc (pid \(getpid())) is training into \(folder)/busy; wait for it to finish or choose another --run-dir"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/busy/weights.safetensors"))
    }

    @Test func leftoversOfAKilledRunAreRemoved() throws {
        let folder = try TestSupport.temporaryDirectory("leftovers")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try AtomicFile.write(Self.spec(checkpoint: "sub/ck.safetensors"), to: folder + "/spec.yaml")
        try AtomicFile.write("torn", to: folder + "/run/" + AtomicFile.temporaryPrefix + "weights.safetensors-12-ab")
        try AtomicFile.write("torn", to: folder + "/run/sub/" + AtomicFile.temporaryPrefix + "ck.safetensors-12-cd")
        // Temporaries are not a run's files: the folder counts as empty, and opening it removes them.
        let result = RunSupport.train(folder + "/spec.yaml", TrainOptions(runDirectory: folder + "/run"))
        #expect(result.code == 0, "\(result.error)")
        #expect(result.out.contains("removed 2 unfinished temporary files an interrupted run left in \(folder)/run"))
        #expect(Self.temporaries(in: folder + "/run").isEmpty)
    }

    @Test func checkpointsNeverTakeTheRunsOwnFilesNorFollowSymlinks() throws {
        let folder = try TestSupport.temporaryDirectory("names")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try AtomicFile.write(Self.spec(checkpoint: "vocabulary.json"), to: folder + "/spec.yaml")
        let collision = RunSupport.train(folder + "/spec.yaml", TrainOptions(runDirectory: folder + "/run"))
        #expect(collision.code == 1)
        #expect(collision.error.contains("spec.yaml:4:85: error: ModelCheckpoint filepath 'vocabulary.json' is one of the files the run writes itself (weights.safetensors, best.safetensors, history.csv, history.json, curves.svg, vocabulary.json, classes.json, run.json, report, resume.safetensors); choose another name"), "\(collision.error)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/run/vocabulary.json"))
        // The run checks each formatted name again before writing it.
        let directory = try RunDirectory(folder + "/run")
        #expect(throws: DataError("the checkpoint name 'history.csv' is one of the run's own files (weights.safetensors, best.safetensors, history.csv, history.json, curves.svg, vocabulary.json, classes.json, run.json, report, resume.safetensors); choose another filepath")) {
            try directory.file("history.csv", checkpoint: true)
        }
        #expect(throws: DataError.self) { try directory.file(AtomicFile.temporaryPrefix + "x", checkpoint: true) }
        #expect(throws: DataError.self) { try directory.file("../x.safetensors", checkpoint: true) }
        #expect(try directory.file("./a/b.safetensors") == folder + "/run/a/b.safetensors")

        // A folder inside the run directory that is a symlink to elsewhere is not written through.
        try FileManager.default.createDirectory(atPath: folder + "/elsewhere", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/linked", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder + "/linked/sub", withDestinationPath: folder + "/elsewhere")
        try AtomicFile.write("precious", to: folder + "/elsewhere/target")
        try FileManager.default.createSymbolicLink(atPath: folder + "/linked/weights.safetensors", withDestinationPath: folder + "/elsewhere/target")
        try AtomicFile.write(Self.spec(checkpoint: "sub/ck.safetensors"), to: folder + "/spec.yaml")
        let through = RunSupport.train(folder + "/spec.yaml", TrainOptions(runDirectory: folder + "/linked"))
        #expect(through.code == 1)
        #expect(through.error.contains("\(folder)/linked/sub is a symlink; modelc does not write through symlinks inside the run directory"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/elsewhere") == ["target"])
        // A file that is a symlink is replaced by the new file; its target stays as it was.
        try AtomicFile.write(Self.spec(checkpoint: "ck.safetensors"), to: folder + "/spec.yaml")
        let replaced = RunSupport.train(folder + "/spec.yaml", TrainOptions(runDirectory: folder + "/linked"))
        #expect(replaced.code == 0, "\(replaced.error)")
        #expect(TestSupport.read(folder + "/elsewhere/target") == "precious")
        let kind = try FileManager.default.attributesOfItem(atPath: folder + "/linked/weights.safetensors")[.type] as? FileAttributeType
        #expect(kind == .typeRegular)
    }

    @Test func sigtermStopsLikeTheFirstCtrlCAndExits143() throws {
        let folder = try TestSupport.temporaryDirectory("sigterm")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try Self.signalled(["train", "Specs/many_to_one.yaml", "--epochs", "1000000", "--run-dir", folder + "/run"],
                                        after: "Epoch 3/", signals: [SIGTERM])
        #expect(result.code == 143, "\(result.error)")
        #expect(result.error.contains("terminated: stopping after this step and writing the run's files"))
        #expect(result.out.contains("interrupted: the test data is not scored; continue with --resume \(folder)/run"))
        #expect(!result.out.contains("test: loss"))
        for file in ["weights.safetensors", "history.csv", "history.json", "curves.svg", ResumeState.fileName] {
            #expect(FileManager.default.fileExists(atPath: folder + "/run/" + file), "\(file) missing")
        }
    }

    @Test func aSecondSignalEndsTheRunAtOnce() throws {
        let folder = try TestSupport.temporaryDirectory("twice")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Steps long enough (a debug build, 400 time steps of LSTM 64) that the second signal comes
        // while the first one waits for the step to end.
        try AtomicFile.write(NumpyArray(shape: [64, 400, 8], values: (0..<(64 * 400 * 8)).map { Float($0 % 7) / 7 }).encoded(), to: folder + "/x.npy")
        try AtomicFile.write(NumpyArray(shape: [64], values: (0..<64).map { Float($0 % 2) }).encoded(), to: folder + "/y.npy")
        try AtomicFile.write("input: [400, 8]\nlayers: [LSTM 64, Dense 1 sigmoid]\ncompile: {loss: binary_crossentropy}\nfit: {epochs: 1000, batch_size: 32}\ndata:\n  train: {x: x.npy, y: y.npy}\n",
                             to: folder + "/spec.yaml")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestSupport.executable)
        process.arguments = ["train", folder + "/spec.yaml", "--run-dir", folder + "/run", "--threads", "1"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        var seen = Data()
        TestSupport.read(out, until: "training on", into: &seen)
        kill(process.processIdentifier, SIGINT)
        // The first is acknowledged at once, not after the step.
        var error = Data()
        TestSupport.read(err, until: "interrupt: stopping after this step", into: &error)
        kill(process.processIdentifier, SIGINT)
        _ = out.fileHandleForReading.readDataToEndOfFile()
        error.append(err.fileHandleForReading.readDataToEndOfFile())
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(String(decoding: error, as: UTF8.self).contains("second stop request: exiting without writing"), "\(String(decoding: error, as: UTF8.self))")
        #expect(!FileManager.default.fileExists(atPath: folder + "/run/weights.safetensors"))
    }

    @Test func aRunKilledWithSigkillResumesToTheSameWeights() throws {
        let folder = try TestSupport.temporaryDirectory("kill")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let whole = try TestSupport.run(["train", "Specs/many_to_one.yaml", "--epochs", "60", "--run-dir", folder + "/whole"])
        try #require(whole.code == 0)
        let killed = try Self.signalled(["train", "Specs/many_to_one.yaml", "--epochs", "60", "--run-dir", folder + "/killed"],
                                        after: "Epoch 30/", signals: [SIGKILL])
        #expect(killed.code == 128 + SIGKILL)
        // The history of the epochs completed before the kill is on disk.
        #expect(TestSupport.read(folder + "/killed/history.csv").split(separator: "\n").count >= 29)
        let resumed = try TestSupport.run(["train", "Specs/many_to_one.yaml", "--resume", folder + "/killed"])
        #expect(resumed.code == 0, "\(resumed.stderr)")
        for file in ["weights.safetensors", "best.safetensors"] {
            #expect(FileManager.default.contents(atPath: folder + "/killed/" + file) == FileManager.default.contents(atPath: folder + "/whole/" + file), "\(file)")
        }
    }
}
