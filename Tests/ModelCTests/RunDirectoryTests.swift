import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// Runs that don't mix: numbered run folders, refused reuse, --overwrite, and run.json.
struct RunDirectoryTests {
    static func spec(epochs: Int = 2, seed: String = "", callbacks: String = "") -> String {
        """
        input: [2]
        layers: [Dense 1]
        compile: {optimizer: sgd, loss: mse}
        fit: {epochs: \(epochs), batch_size: 2, verbose: 0\(seed)\(callbacks)}
        data:
          train: {x: [[0, 1], [1, 0], [1, 1], [0, 0]], y: [1, 1, 2, 0]}

        """
    }

    static func record(_ folder: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/run.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Without --run-dir every training gets a new runs/<spec>/run_N, so nothing of one run sits beside the next.
    @Test func eachRunGetsItsOwnNumberedFolder() throws {
        let folder = try TestSupport.temporaryDirectory("numbered")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.spec().write(toFile: folder + "/demo.yaml", atomically: true, encoding: .utf8)
        let first = try TestSupport.run(["train", "demo.yaml"], in: folder)
        let second = try TestSupport.run(["train", "demo.yaml"], in: folder)
        #expect(first.code == 0 && second.code == 0, "\(first.stderr)\(second.stderr)")
        #expect(first.stdout.contains("wrote runs/demo/run_0/:"))
        #expect(second.stdout.contains("wrote runs/demo/run_1/:"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/runs/demo").sorted() == ["run_0", "run_1"])
        #expect(RunDirectoryChoice.runNumber("run_12") == 12)
        #expect(RunDirectoryChoice.runNumber("run_01") == nil && RunDirectoryChoice.runNumber("run_x") == nil)
    }

    @Test func aRunDirectoryWithARunIsRefusedUnlessOverwritten() throws {
        let folder = try TestSupport.temporaryDirectory("reuse")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let spec = folder + "/spec.yaml"
        try Self.spec(callbacks: ", callbacks: [ModelCheckpoint: {filepath: 'ckpt-{epoch:02d}.safetensors'}]").write(toFile: spec, atomically: true, encoding: .utf8)
        let run = folder + "/run"
        #expect(RunSupport.train(spec, TrainOptions(runDirectory: run)).code == 0)
        #expect(FileManager.default.fileExists(atPath: run + "/ckpt-02.safetensors"))
        let again = RunSupport.train(spec, TrainOptions(runDirectory: run))
        #expect(again.code == 1)
        #expect(again.error.contains("error: the run directory \(run) already holds files (best.safetensors, ckpt-01.safetensors, ckpt-02.safetensors, curves.svg, …); a new run there would mix its files with them. Give --overwrite to replace that run, --resume \(run) to continue it, or another --run-dir"), "\(again.error)")
        // --overwrite replaces the run: the old epoch-2 checkpoint does not survive a 1-epoch run.
        let replaced = RunSupport.train(spec, TrainOptions(runDirectory: run, epochs: 1, overwrite: true))
        #expect(replaced.code == 0, "\(replaced.error)")
        #expect(!FileManager.default.fileExists(atPath: run + "/ckpt-02.safetensors"))
        #expect(FileManager.default.fileExists(atPath: run + "/ckpt-01.safetensors"))
        // A folder no modelc run wrote is never cleared.
        try FileManager.default.createDirectory(atPath: folder + "/mine", withIntermediateDirectories: true)
        try "keep".write(toFile: folder + "/mine/notes.txt", atomically: true, encoding: .utf8)
        let foreign = RunSupport.train(spec, TrainOptions(runDirectory: folder + "/mine", overwrite: true))
        #expect(foreign.code == 1)
        #expect(foreign.error.contains("--overwrite clears only a folder a modelc run wrote"))
        #expect(TestSupport.read(folder + "/mine/notes.txt") == "keep")
    }

    @Test func runJSONRecordsWhatReproducesTheRun() throws {
        let folder = try TestSupport.temporaryDirectory("record")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let spec = folder + "/spec.yaml"
        let text = Self.spec()
        try text.write(toFile: spec, atomically: true, encoding: .utf8)
        let result = RunSupport.train(spec, TrainOptions(runDirectory: folder + "/run", threads: 1, commandLine: ["modelc", "train", "spec.yaml"]))
        #expect(result.code == 0)
        #expect(result.out.contains("run.json"))
        let record = try Self.record(folder + "/run")
        #expect(record["modelc_version"] as? String == modelcVersion)
        #expect((record["spec"] as? [String: Any])?["text"] as? String == text)
        #expect(record["command_line"] as? [String] == ["modelc", "train", "spec.yaml"])
        #expect(record["seed_source"] as? String == "chosen at random")
        let seed = try #require(record["seed"] as? Int)
        #expect(result.out.contains("seed \(seed)"), "the recorded seed is the one used")
        #expect(record["threads"] as? Int == 1 && record["batch_size"] as? Int == 2 && record["epochs"] as? Int == 2)
        #expect((record["started"] as? String)?.hasSuffix("Z") == true)
        #expect(record["ended"] as? String != nil)
        let stop = try #require(record["stop"] as? [String: Any])
        #expect(stop["reason"] as? String == "completed" && stop["epochs"] as? Int == 2)
        // Rerunning with that seed reproduces the weights bit for bit.
        let again = RunSupport.train(spec, TrainOptions(runDirectory: folder + "/again", seed: UInt64(seed)))
        #expect(again.code == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/run/weights.safetensors"))
                == Data(contentsOf: URL(fileURLWithPath: folder + "/again/weights.safetensors")))
        #expect(try Self.record(folder + "/again")["seed_source"] as? String == "--seed")
    }

    @Test func runJSONSaysWhyTheRunStopped() throws {
        let folder = try TestSupport.temporaryDirectory("stops")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let spec = folder + "/spec.yaml"
        // Early stopping on a loss that cannot improve (min_delta huge): stops after patience, restores epoch 1.
        try Self.spec(epochs: 10, seed: ", seed: 3", callbacks: ", callbacks: [EarlyStopping: {monitor: loss, patience: 2, min_delta: 100, restore_best_weights: true}]")
            .write(toFile: spec, atomically: true, encoding: .utf8)
        #expect(RunSupport.train(spec, TrainOptions(runDirectory: folder + "/early")).code == 0)
        let early = try #require(try Self.record(folder + "/early")["stop"] as? [String: Any])
        #expect(early["reason"] as? String == "early_stopping")
        #expect(early["restored_epoch"] as? Int == 1)
        #expect(early["epoch"] as? Int == 3, "Keras's 'Epoch 3: early stopping'")
        // Interrupted in its first epoch.
        try Self.spec(epochs: 3, seed: ", seed: 3").write(toFile: spec, atomically: true, encoding: .utf8)
        let cut = RunSupport.train(spec, TrainOptions(runDirectory: folder + "/cut"), shouldStop: { true })
        #expect(cut.code == 130)
        let interrupted = try #require(try Self.record(folder + "/cut")["stop"] as? [String: Any])
        #expect(interrupted["reason"] as? String == "interrupted")
        #expect(interrupted["epoch"] as? Int == 1)
        #expect(interrupted["completed_epochs"] as? Int == 0)
    }
}
