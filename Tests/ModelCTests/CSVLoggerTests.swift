import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// Keras's CSVLogger and TerminateOnNaN as modelc runs them.
struct CSVLoggerTests {
    static func spec(epochs: Int = 3, logger: String = "CSVLogger: {filename: log.csv}") -> String {
        """
        input: [2]
        layers: [Dense 1 sigmoid]
        compile: {optimizer: sgd, loss: binary_crossentropy, metrics: [accuracy]}
        fit:
          epochs: \(epochs)
          batch_size: 2
          verbose: 0
          seed: 1
          validation: {split: 0.5}
          callbacks:
            - ReduceLROnPlateau: {patience: 1, factor: 0.5}
            - \(logger)
        data:
          train: {x: [[0, 1], [1, 0], [1, 1], [0, 0]], y: [1, 1, 0, 0]}

        """
    }

    @Test func rowsAreKerasCSVLoggerRows() throws {
        let folder = try TestSupport.temporaryDirectory("csvlogger")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.spec().write(toFile: folder + "/spec.yaml", atomically: true, encoding: .utf8)
        #expect(RunSupport.train(folder + "/spec.yaml", TrainOptions(runDirectory: folder + "/run")).code == 0)
        let text = TestSupport.read(folder + "/run/log.csv")
        let rows = text.components(separatedBy: "\r\n")
        // Sorted names (lr from ReduceLROnPlateau, which runs first), epochs from 0, CRLF rows.
        #expect(rows.first == "epoch,accuracy,loss,lr,val_accuracy,val_loss")
        #expect(rows.count == 5 && rows.last == "")
        #expect(rows[1].hasPrefix("0,") && rows[3].hasPrefix("2,"))
        // The values are history.csv's, as Python prints their float32 value.
        let history = TestSupport.read(folder + "/run/history.csv").split(separator: "\n")
        let names = history[0].split(separator: ",").map(String.init)
        let first = history[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let loss = try #require(Double(first[names.firstIndex(of: "loss")!]))
        #expect(rows[1].split(separator: ",")[2] == Substring(PythonFormat.repr(Double(Float(loss)))))
        // A tf_keras 2.21 run of the same callbacks wrote "0,1.0,0.4531322121620178,0.01,0.0,1.077634334564209":
        // the metrics as Python floats of their float32 values, lr as a numpy float32.
        #expect(rows[1].split(separator: ",")[3] == "0.01", "lr as the numpy float32 Keras logs")
        #expect(CSVLogger.cell(Double(Float(0.005)), key: "lr") == "0.005" && CSVLogger.cell(Double(Float(1e-5)), key: "lr") == "1e-05")
    }

    @Test func appendKeepsTheFileAndItsHeader() throws {
        let folder = try TestSupport.temporaryDirectory("csvappend")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.spec(epochs: 1, logger: "CSVLogger: {filename: log.tsv, separator: \"\\t\", append: true}")
            .write(toFile: folder + "/spec.yaml", atomically: true, encoding: .utf8)
        let result = RunSupport.train(folder + "/spec.yaml", TrainOptions(runDirectory: folder + "/fresh"))
        #expect(result.code == 0, "\(result.error)")
        let fresh = TestSupport.read(folder + "/fresh/log.tsv").components(separatedBy: "\r\n")
        #expect(fresh.first == "epoch\taccuracy\tloss\tlr\tval_accuracy\tval_loss")
        // Appending to a file with lines adds rows and no second header.
        let logger = try CSVLogger(ResolvedArguments(values: ["filename": .string("log.tsv"), "separator": .string("\t"), "append": .bool(true)]),
                                   directory: try RunDirectory(folder + "/fresh"))
        logger.trainBegin()
        var logs: [String: Double] = ["loss": 0.5, "note,x": 1]
        final class Control: TrainingControl {
            var learningRate = 0.0
            var stopTraining = false
            func snapshot(into snapshot: inout [Buffer]) {}
            func restore(from snapshot: [Buffer]) {}
            func saveWeights(to path: String, weightsOnly: Bool) throws(DataError) {}
            func say(_ line: String) {}
        }
        try logger.epochEnd(0, logs: &logs, control: Control())
        let appended = TestSupport.read(folder + "/fresh/log.tsv").components(separatedBy: "\r\n")
        #expect(appended.count == fresh.count + 1)
        #expect(appended[appended.count - 2] == "0\t0.5\t1.0")
        #expect(logger.line(["a,b", "say \"hi\"", "c"]) == "a,b\t\"say \"\"hi\"\"\"\tc")
    }

    @Test func aResumedRunWritesTheSameLog() throws {
        let folder = try TestSupport.temporaryDirectory("csvresume")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.spec(epochs: 4).write(toFile: folder + "/spec.yaml", atomically: true, encoding: .utf8)
        #expect(RunSupport.train(folder + "/spec.yaml", TrainOptions(runDirectory: folder + "/whole")).code == 0)
        var steps = 0
        let cut = RunSupport.train(folder + "/spec.yaml", TrainOptions(runDirectory: folder + "/cut"), shouldStop: {
            steps += 1
            return steps == 3
        })
        #expect(cut.code == 130)
        #expect(RunSupport.train(folder + "/spec.yaml", TrainOptions(resume: folder + "/cut")).code == 0)
        #expect(TestSupport.read(folder + "/cut/log.csv") == TestSupport.read(folder + "/whole/log.csv"))
    }

    @Test func terminateOnNaNPrintsKerasLine() throws {
        let folder = try TestSupport.temporaryDirectory("nan")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let spec = "input: [1]\nlayers: [Dense 1]\ncompile: {optimizer: {SGD: {learning_rate: 1.0e+30}}, loss: mse}\nfit: {epochs: 3, batch_size: 1, seed: 1, verbose: 0, callbacks: [TerminateOnNaN]}\ndata:\n  train: {x: [[1], [2], [3]], y: [2, 4, 6]}\n"
        try spec.write(toFile: folder + "/spec.yaml", atomically: true, encoding: .utf8)
        let run = RunSupport.train(folder + "/spec.yaml", TrainOptions(runDirectory: folder + "/run"))
        #expect(run.out.contains("Batch 1: Invalid loss, terminating training\nloss became infinite at epoch 1, step 2"), "\(run.out)")
        try spec.replacingOccurrences(of: ", callbacks: [TerminateOnNaN]", with: "").write(toFile: folder + "/plain.yaml", atomically: true, encoding: .utf8)
        let plain = RunSupport.train(folder + "/plain.yaml", TrainOptions(runDirectory: folder + "/plain"))
        #expect(!plain.out.contains("Invalid loss") && plain.out.contains("loss became infinite"))
    }
}
