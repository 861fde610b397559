import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// `train --resume` and BackupAndRestore: an interrupted run continued from its last completed
/// epoch ends exactly where the uninterrupted run ends.
@Suite struct ResumeTests {
    /// A run with everything that carries state across epochs: shuffling, dropout, a validation
    /// split, Nadam (slots and its momentum product), a plateau schedule, early stopping with
    /// kept weights, and checkpoints.
    static func spec(epochs: Int = 8) -> String {
        var generator = SeededGenerator(seed: 11)
        let rows = (0..<24).map { _ in (0..<3).map { _ in Double(generator.next() % 1000) / 500 - 1 } }
        let x = rows.map { "[" + $0.map { String($0) }.joined(separator: ", ") + "]" }.joined(separator: ", ")
        let y = rows.map { String($0[0] * 2 - $0[1] + 0.5 * $0[2]) }.joined(separator: ", ")
        return """
            input: [3]
            layers:
              - Dense 8 relu
              - Dropout 0.3
              - Dense 1
            compile: {optimizer: {Nadam: {learning_rate: 0.02}}, loss: mse, metrics: [mae]}
            fit:
              epochs: \(epochs)
              batch_size: 5
              seed: 5
              verbose: 0
              validation: {split: 0.25}
              callbacks:
                - ReduceLROnPlateau: {monitor: val_loss, patience: 1, factor: 0.5}
                - EarlyStopping: {monitor: val_loss, patience: 50, restore_best_weights: true}
                - ModelCheckpoint: {filepath: 'ck-{epoch:02d}.safetensors'}

            data:
              train:
                x: [\(x)]
                y: [\(y)]

            """
    }

    /// The files of a finished run that must match byte for byte, and the history without its
    /// wall times.
    static func outcome(_ run: String) throws -> (files: [String: Data], history: [String]) {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: run) where name.hasSuffix(".safetensors") && name != ResumeState.fileName {
            files[name] = FileManager.default.contents(atPath: run + "/" + name)
        }
        let history = TestSupport.read(run + "/history.csv").split(separator: "\n").map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",")
        }
        return (files, history)
    }

    @Test func aRunInterruptedMidEpochResumesToTheSameBytes() throws {
        let folder = try TestSupport.temporaryDirectory("resume")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try AtomicFile.write(Self.spec(), to: folder + "/spec.yaml")
        let whole = RunSupport.train(folder + "/spec.yaml", TrainOptions(runDirectory: folder + "/whole"))
        try #require(whole.code == 0, "\(whole.error)")

        // Stop in the middle of epoch 4 (4 steps per epoch: 18 training rows, batch 5).
        var steps = 0
        let cut = RunSupport.train(folder + "/spec.yaml", TrainOptions(runDirectory: folder + "/cut"), shouldStop: {
            steps += 1
            return steps == 14
        })
        #expect(cut.code == 130)
        #expect(cut.out.contains("interrupted at epoch 4, step 2"))
        // The unfinished epoch's row is marked with the steps it ran, not left half-empty.
        let cutHistory = TestSupport.read(folder + "/cut/history.csv").split(separator: "\n")
        #expect(cutHistory.first?.hasSuffix(",seconds,unfinished") == true)
        #expect(cutHistory.count == 5 && cutHistory[4].hasPrefix("4,") && cutHistory[4].hasSuffix(",2/4 steps"))
        #expect(cutHistory[1].hasSuffix(","), "finished epochs leave the mark empty")
        #expect(TestSupport.read(folder + "/cut/history.json").contains("\"unfinished\":[null,null,null,\"2/4 steps\"]"))
        let state = try ResumeState.read(folder + "/cut/" + ResumeState.fileName)
        #expect(state.completedEpochs == 3)
        #expect(state.iterations == 12)
        // Results do not depend on the thread count, so the resume may use another.
        let again = RunSupport.train(folder + "/spec.yaml", TrainOptions(threads: 2, resume: folder + "/cut"))
        try #require(again.code == 0, "\(again.error)")
        #expect(again.out.contains("resuming from \(folder)/cut/\(ResumeState.fileName) after epoch 3 of 8"))
        let (expected, resumed) = (try Self.outcome(folder + "/whole"), try Self.outcome(folder + "/cut"))
        #expect(expected.files.count == 10)  // weights, best, 8 checkpoints
        #expect(resumed.files == expected.files)
        #expect(resumed.history == expected.history)
        // The plateau schedule lowered the rate, so the restored rate and wait counts mattered.
        let header = expected.history[0].split(separator: ",")
        let rates = Set(expected.history.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[header.firstIndex(of: "lr")!] })
        #expect(rates.count > 1, "\(rates)")
    }

    @Test func changedSpecsDataAndOptionsAreRefusedSayingWhat() throws {
        let folder = try TestSupport.temporaryDirectory("resume-changed")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try AtomicFile.write(NumpyArray(shape: [6, 2], values: (0..<12).map { Float($0) / 10 }).encoded(), to: folder + "/x.npy")
        try AtomicFile.write(NumpyArray(shape: [6], values: (0..<6).map { Float($0) }).encoded(), to: folder + "/y.npy")
        let spec = "input: [2]\nlayers: [Dense 1]\ncompile: {loss: mse}\nfit: {epochs: 3, batch_size: 2, verbose: 0}\ndata:\n  train: {x: x.npy, y: y.npy}\n"
        try AtomicFile.write(spec, to: folder + "/spec.yaml")
        var steps = 0
        let cut = RunSupport.train(folder + "/spec.yaml", TrainOptions(runDirectory: folder + "/run", seed: 4), shouldStop: {
            steps += 1
            return steps == 4
        })
        #expect(cut.code == 130)

        let seed = RunSupport.train(folder + "/spec.yaml", TrainOptions(seed: 9, resume: folder + "/run"))
        #expect(seed.code == 1)
        #expect(seed.error.contains("the run started with seed 4, not 9"))
        let batch = RunSupport.train(folder + "/spec.yaml", TrainOptions(batchSize: 3, resume: folder + "/run"))
        #expect(batch.error.contains("the run trained with batch size 2, not 3"))

        try AtomicFile.write(spec.replacingOccurrences(of: "epochs: 3", with: "epochs: 4"), to: folder + "/spec.yaml")
        let edited = RunSupport.train(folder + "/spec.yaml", TrainOptions(resume: folder + "/run"))
        #expect(edited.code == 1)
        #expect(edited.error.contains("the spec changed since the run started: line 4 was `fit: {epochs: 3, batch_size: 2, verbose: 0}`, now `fit: {epochs: 4, batch_size: 2, verbose: 0}`"))
        try AtomicFile.write(spec, to: folder + "/spec.yaml")

        try AtomicFile.write(NumpyArray(shape: [7], values: (0..<7).map { Float($0) }).encoded(), to: folder + "/y.npy")
        let grown = RunSupport.train(folder + "/spec.yaml", TrainOptions(resume: folder + "/run"))
        #expect(grown.code == 1)
        #expect(grown.error.contains("the data changed since the run started: y.npy had 152 bytes, now 156"))
        try AtomicFile.write(NumpyArray(shape: [6], values: (0..<6).map { Float($0) + 1 }).encoded(), to: folder + "/y.npy")
        let rewritten = RunSupport.train(folder + "/spec.yaml", TrainOptions(resume: folder + "/run"))
        #expect(rewritten.error.contains("y.npy has the same size but other contents"))
        // Nothing was trained or written by the refused resumes.
        #expect(try ResumeState.read(folder + "/run/" + ResumeState.fileName).completedEpochs == 1)
    }

    @Test func resumeNeedsAStateAndOwnWeights() throws {
        let folder = try TestSupport.temporaryDirectory("resume-none")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try AtomicFile.write(Self.spec(epochs: 2), to: folder + "/spec.yaml")
        let none = RunSupport.train(folder + "/spec.yaml", TrainOptions(resume: folder + "/empty"))
        #expect(none.code == 1)
        #expect(none.error.contains("--resume: no resume state at \(folder)/empty/\(ResumeState.fileName)"))
        let both = RunSupport.train(folder + "/spec.yaml", TrainOptions(initialWeights: folder + "/w.safetensors", resume: folder + "/empty"))
        #expect(both.error.contains("--resume continues a run with its own weights; drop --weights"))

        let done = RunSupport.train(folder + "/spec.yaml", TrainOptions(runDirectory: folder + "/run"))
        try #require(done.code == 0, "\(done.error)")
        let finished = RunSupport.train(folder + "/spec.yaml", TrainOptions(resume: folder + "/run"))
        #expect(finished.code == 0)
        #expect(finished.out.contains("already finished after 2 epochs; nothing to resume"))
        // Training longer continues from the state, as one run of 3 epochs would.
        let longer = RunSupport.train(folder + "/spec.yaml", TrainOptions(epochs: 3, resume: folder + "/run"))
        try #require(longer.code == 0, "\(longer.error)")
        let three = RunSupport.train(folder + "/spec.yaml", TrainOptions(runDirectory: folder + "/three", epochs: 3))
        try #require(three.code == 0)
        #expect(try Self.outcome(folder + "/run").files["weights.safetensors"] == Self.outcome(folder + "/three").files["weights.safetensors"])
    }

    @Test func backupAndRestoreResumesByItselfAndCleansUp() throws {
        let folder = try TestSupport.temporaryDirectory("backup")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let backup = "    - BackupAndRestore: {backup_dir: backup}"
        try AtomicFile.write(Self.spec(epochs: 5).replacingOccurrences(of: "\n\ndata:", with: "\n\(backup)\ndata:"), to: folder + "/spec.yaml")
        var steps = 0
        let cut = RunSupport.train(folder + "/spec.yaml", TrainOptions(runDirectory: folder + "/run"), shouldStop: {
            steps += 1
            return steps == 10
        })
        #expect(cut.code == 130)
        #expect(FileManager.default.fileExists(atPath: folder + "/run/backup/" + ResumeState.fileName))
        #expect(!FileManager.default.fileExists(atPath: folder + "/run/" + ResumeState.fileName))
        // The same command again picks the backup up.
        let again = RunSupport.train(folder + "/spec.yaml", TrainOptions(runDirectory: folder + "/run"))
        try #require(again.code == 0, "\(again.error)")
        #expect(again.out.contains("BackupAndRestore: found a backup at \(folder)/run/backup/\(ResumeState.fileName)"))
        #expect(again.out.contains("after epoch 2 of 5"))
        // delete_checkpoint (the default) removes the backup of a finished run.
        #expect(!FileManager.default.fileExists(atPath: folder + "/run/backup"))
        let whole = RunSupport.train(folder + "/spec.yaml", TrainOptions(runDirectory: folder + "/whole"))
        try #require(whole.code == 0)
        #expect(try Self.outcome(folder + "/run").files == Self.outcome(folder + "/whole").files)
    }

    @Test func backupAndRestoreIsChecked() {
        let base = "input: [2]\nlayers: [Dense 1]\ncompile: {loss: mse}\nfit: {callbacks: [%@]}\n"
        let outside = TestSupport.errors(base.replacingOccurrences(of: "%@", with: "BackupAndRestore: {backup_dir: ../elsewhere}"))
        #expect(outside == ["BackupAndRestore backup_dir '../elsewhere' must stay inside the run directory; give a relative folder without '..'"])
        let twice = TestSupport.errors(base.replacingOccurrences(of: "%@", with: "BackupAndRestore: {backup_dir: a}, BackupAndRestore: {backup_dir: b}"))
        #expect(twice == ["fit has more than one BackupAndRestore; a run keeps one resume state, so keep one"])
        let steps = TestSupport.errors(base.replacingOccurrences(of: "%@", with: "BackupAndRestore: {backup_dir: a, save_freq: 100}"))
        #expect(steps.count == 1 && steps[0].contains("save_freq"))
        #expect(TestSupport.errors(base.replacingOccurrences(of: "%@", with: "BackupAndRestore: {}")).first?.contains("backup_dir") == true)
    }

    @Test func aStateFileIsExactAndRefusedWhenBroken() throws {
        let folder = try TestSupport.temporaryDirectory("resume-state")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var history = History()
        history.append([("loss", 0.1 + 0.2), ("val_loss", .ulpOfOne)], seconds: 1.5)
        let state = ResumeState(specText: "input: [2]\n", dataFiles: [DataFingerprint(path: "x.npy", size: 3, hash: "ab")], seed: .max,
                                batchSize: 7, epochs: 9, completedEpochs: 1, finished: false, iterations: 4, learningRate: 0.1,
                                history: history, callbacks: [CallbackState(numbers: ["best": -.infinity], tensors: [[1, 2]])],
                                tensors: ["weights/dense/kernel": [0.5, -0]])
        try AtomicFile.write(state.encoded(shapes: ["weights/dense/kernel": [2, 1]]), to: folder + "/state.safetensors")
        let back = try ResumeState.read(folder + "/state.safetensors")
        #expect(back.seed == .max && back.batchSize == 7 && back.epochs == 9 && back.iterations == 4 && back.learningRate == 0.1)
        #expect(back.history.epochs[0]["loss"] == 0.1 + 0.2 && back.history.epochs[0]["val_loss"] == .ulpOfOne && back.history.seconds == [1.5])
        #expect(back.callbacks[0].numbers["best"] == -.infinity && back.callbacks[0].tensors == [[1, 2]])
        #expect(back.tensors["weights/dense/kernel"] == [0.5, -0] && back.dataFiles == state.dataFiles)

        try AtomicFile.write(SafeTensors.encode([("w", SafeTensors.Tensor(shape: [1], values: [1]))]), to: folder + "/weights.safetensors")
        #expect(throws: DataError.self) { try ResumeState.read(folder + "/weights.safetensors") }
        do {
            _ = try ResumeState.read(folder + "/weights.safetensors")
        } catch {
            #expect(error.description.contains("is not a modelc resume state"))
        }
    }
}
