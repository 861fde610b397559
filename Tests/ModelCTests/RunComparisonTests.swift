import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// `modelc compare`: several runs' final values in a table and their curves in one SVG.
struct RunComparisonTests {
    @Test func twoRunsSideBySide() throws {
        let folder = try TestSupport.temporaryDirectory("compare")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for seed in [1, 2] {
            let spec = "input: [2]\nlayers: [Dense 1 sigmoid]\ncompile: {optimizer: sgd, loss: binary_crossentropy, metrics: [accuracy]}\nfit: {epochs: \(seed + 1), batch_size: 2, verbose: 0, seed: \(seed), validation: {split: 0.5}}\ndata:\n  train: {x: [[0, 1], [1, 0], [1, 1], [0, 0]], y: [1, 1, 0, 0]}\n"
            try spec.write(toFile: folder + "/s\(seed).yaml", atomically: true, encoding: .utf8)
            #expect(RunSupport.train(folder + "/s\(seed).yaml", TrainOptions(runDirectory: folder + "/run\(seed)")).code == 0)
        }
        let (output, read) = RunSupport.capture()
        let code = RunComparison.run([folder + "/run1", folder + "/run2"], output: folder + "/compare.svg", out: output)
        #expect(code == 0, "\(read().error)")
        let lines = read().out.split(separator: "\n")
        #expect(lines[0].split(separator: " ", omittingEmptySubsequences: true) == ["run", "epochs", "loss", "val_loss", "accuracy", "val_accuracy", "best", "val_loss"])
        #expect(lines[1].hasPrefix(folder + "/run1") && lines[1].split(separator: " ", omittingEmptySubsequences: true)[1] == "2")
        #expect(lines[2].split(separator: " ", omittingEmptySubsequences: true)[1] == "3")
        // The final loss in the table is the history's last loss.
        let history = try RunComparison.history(in: folder + "/run2")
        let last = try #require(history.epochs.last?["loss"])
        #expect(lines[2].contains(String(format: "%.4f", last)))
        let svg = TestSupport.read(folder + "/compare.svg")
        #expect(svg.contains(">loss</text>") && svg.contains(">accuracy</text>"))
        #expect(svg.contains("stroke=\"#1f77b4\"") && svg.contains("stroke=\"#ff7f0e\""), "a colour per run")
        #expect(svg.contains(">\(folder)/run2</text>"), "the legend names the runs")
        // A folder without a history is an error naming it.
        let (missingOutput, missing) = RunSupport.capture()
        #expect(RunComparison.run([folder], output: nil, out: missingOutput) == 1)
        #expect(missing().error.contains(folder + "/history.json"))
    }
}
