import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// `modelc evaluate --report DIR` and the `report/` of a train run with test data, end to end on tiny models.
@Suite(.serialized) struct ReportCommandTests {
    static let binary = """
        input: [2]
        layers: [Dense 1 sigmoid]
        compile: {optimizer: {Adam: {learning_rate: 0.1}}, loss: binary_crossentropy, metrics: [accuracy]}
        fit: {epochs: 2, batch_size: 4, seed: 1}
        data:
          train: {x: [[0, 1], [1, 0], [1, 1], [0, 0], [2, 1], [1, 2], [0.5, 0.2], [0.1, 0.9]], y: [1, 0, 1, 0, 1, 1, 0, 1]}
          test: {x: [[0, 1], [1, 0], [1, 1], [0, 0], [0.2, 0.9], [0.9, 0.1]], y: [1, 0, 1, 0, 1, 0]}

        """

    static func json(_ path: String) throws -> [String: Any] {
        let data = try #require(FileManager.default.contents(atPath: path), "no \(path)")
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(path) is not a JSON object")
    }

    /// Every plot the JSON lists exists in `folder` and is an SVG document.
    static func checkPlots(_ statistics: [String: Any], in folder: String) throws {
        let plots = try #require(statistics["plots"] as? [String])
        #expect(!plots.isEmpty)
        for plot in plots {
            _ = try PlotTests.svgParsed(TestSupport.read(folder + "/" + plot))
        }
    }

    @Test func trainWritesTheReportAndEvaluateWritesTheSameOne() throws {
        let directory = try TestSupport.temporaryDirectory("report")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try RunSupport.train(Self.binary, in: directory)
        #expect(run.code == 0, "\(run.error)")
        #expect(run.out.contains(", report/\n"), "\(run.out)")
        let statistics = try Self.json(directory + "/run/report/test_statistics.json")
        #expect(statistics["samples"] as? Int == 6)
        let metrics = try #require(statistics["metrics"] as? [String: Double])
        #expect(Set(metrics.keys) == ["loss", "accuracy"])
        #expect(statistics["loss"] as? Double == metrics["loss"])
        let outputs = try #require(statistics["outputs"] as? [String: Any])
        let output = try #require(outputs["dense"] as? [String: Any], "\(outputs.keys)")
        #expect(output["kind"] as? String == "binary")
        #expect(output["classes"] as? [String] == ["0", "1"])
        #expect(output["threshold"] as? Double == 0.5)
        // Keras's accuracy (y_pred > 0.5) and the report's decisions agree.
        #expect(abs((output["accuracy"] as? Double ?? -1) - (metrics["accuracy"] ?? -2)) < 1e-6)
        let matrix = try #require(output["confusion_matrix"] as? [String: Any])
        let counts = try #require(matrix["counts"] as? [[Int]])
        #expect(counts.flatMap { $0 }.reduce(0, +) == 6 && counts.map { $0.reduce(0, +) } == [3, 3])
        let perClass = try #require(output["per_class"] as? [String: [String: Any]])
        #expect(perClass["1"]?["support"] as? Int == 3)
        #expect(output["roc_auc"] is Double && output["average_precision"] is Double)
        #expect((output["calibration"] as? [Any])?.count == 10)
        try Self.checkPlots(statistics, in: directory + "/run/report")
        #expect(statistics["plots"] as? [String] == ["confusion_matrix.svg", "confusion_matrix_normalized.svg", "roc.svg",
                                                     "precision_recall.svg", "calibration.svg"])

        let weights = directory + "/run/weights.safetensors"
        let evaluate = try TestSupport.run(["evaluate", directory + "/spec.yaml", "--weights", weights, "--report", directory + "/new/report"])
        #expect(evaluate.code == 0, "\(evaluate.stderr)")
        #expect(evaluate.stdout.contains("wrote \(directory)/new/report/: test_statistics.json, confusion_matrix.svg"))
        #expect(TestSupport.read(directory + "/new/report/test_statistics.json") == TestSupport.read(directory + "/run/report/test_statistics.json"))

        // The run's class names name the classes.
        try AtomicFile.write("[\"cat\", \"dog\"]\n", to: directory + "/run/classes.json")
        let named = try TestSupport.run(["evaluate", directory + "/spec.yaml", "--weights", weights, "--report", directory + "/named"])
        #expect(named.code == 0, "\(named.stderr)")
        let namedOutput = try #require((try Self.json(directory + "/named/test_statistics.json")["outputs"] as? [String: Any])?["dense"] as? [String: Any])
        #expect(namedOutput["classes"] as? [String] == ["cat", "dog"] && namedOutput["positive_class"] as? String == "dog")
        #expect(try PlotTests.svgTexts(TestSupport.read(directory + "/named/confusion_matrix.svg")).contains("dog"))
    }

    /// Two outputs: a section each, named after the output, with plot files prefixed by it.
    @Test func aSectionPerOutputOfAFunctionalModel() throws {
        let directory = try TestSupport.temporaryDirectory("report-graph")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try GraphCommandTests.writeArrays(directory)
        let run = try RunSupport.train(GraphCommandTests.twoInputs + "data:\n  train: {x: {a: a.npy, b: b.npy}, y: {sum: sum.npy, side: side.npy}}\n",
                                       in: directory, options: TrainOptions(epochs: 1))
        #expect(run.code == 0, "\(run.error)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/run/report"), "no test data, no report")
        let (output, read) = RunSupport.capture()
        let code = EvaluateCommand.run(spec: directory + "/spec.yaml", weights: directory + "/run/weights.safetensors",
                                       inputs: NamedFiles(["a=" + directory + "/a.npy", "b=" + directory + "/b.npy"]),
                                       labels: NamedFiles(["sum=" + directory + "/sum.npy", "side=" + directory + "/side.npy"]),
                                       batchSize: nil, dataRoot: nil, threads: 1, report: directory + "/report", output: output)
        #expect(code == 0, "\(read().error)")
        let statistics = try Self.json(directory + "/report/test_statistics.json")
        let metrics = try #require(statistics["metrics"] as? [String: Double])
        #expect(Set(metrics.keys) == ["loss", "sum_loss", "side_loss", "sum_mae", "side_accuracy"])
        let outputs = try #require(statistics["outputs"] as? [String: [String: Any]])
        #expect(Set(outputs.keys) == ["sum", "side"])
        let sum = try #require(outputs["sum"])
        #expect(sum["kind"] as? String == "regression")
        let column = try #require((sum["columns"] as? [String: [String: Any]])?["value"])
        let mse = try #require(column["mse"] as? Double)
        // The regression loss is the output's MSE.
        #expect(abs(mse - (metrics["sum_loss"] ?? 0)) < 1e-4 * max(1, mse))
        #expect(abs((column["mae"] as? Double ?? 0) - (metrics["sum_mae"] ?? 0)) < 1e-4)
        #expect(abs((column["rmse"] as? Double ?? 0) - mse.squareRoot()) < 1e-12)
        #expect(column["r2"] is Double && column["explained_variance"] is Double)
        let side = try #require(outputs["side"])
        #expect(side["kind"] as? String == "multiclass" && side["classes"] as? [String] == ["0", "1"])
        #expect(abs((side["accuracy"] as? Double ?? -1) - (metrics["side_accuracy"] ?? -2)) < 1e-6)
        #expect(side["roc_auc_macro"] is Double)
        #expect(statistics["plots"] as? [String] == ["sum_predicted_vs_true.svg", "sum_residuals.svg", "side_confusion_matrix.svg",
                                                     "side_confusion_matrix_normalized.svg", "side_roc.svg", "side_precision_recall.svg",
                                                     "side_calibration.svg"])
        try Self.checkPlots(statistics, in: directory + "/report")
    }

    /// A sequence output: every position of every sample is one decision (as Keras's losses and
    /// accuracy count them); 3 samples of 4 positions make 12.
    @Test func positionsOfASequenceOutputCountAsSamples() throws {
        let directory = try TestSupport.temporaryDirectory("report-sequence")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spec = """
            input: [4, 2]
            layers: [LSTM 4 return_sequences, Dense 3 softmax]
            compile: {optimizer: adam, loss: sparse_categorical_crossentropy, metrics: [accuracy]}
            fit: {epochs: 1, batch_size: 4, seed: 2}
            data:
              train: {x: {values: [0, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 0, 1, 1, 0, 0], shape: [3, 4, 2]}, y: [[0, 1, 2, 0], [1, 1, 2, 0], [2, 1, 0, 0]]}
              test: {x: {values: [0, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 0, 1, 1, 0, 0], shape: [3, 4, 2]}, y: [[0, 1, 2, 0], [1, 1, 2, 0], [2, 1, 0, 0]]}

            """
        let run = try RunSupport.train(spec, in: directory)
        #expect(run.code == 0, "\(run.error)")
        let statistics = try Self.json(directory + "/run/report/test_statistics.json")
        #expect(statistics["samples"] as? Int == 3)
        let output = try #require((statistics["outputs"] as? [String: Any])?["dense"] as? [String: Any])
        #expect(output["kind"] as? String == "multiclass" && output["samples"] as? Int == 12)
        let perClass = try #require(output["per_class"] as? [String: [String: Any]])
        #expect(perClass["0"]?["support"] as? Int == 5 && perClass["1"]?["support"] as? Int == 4 && perClass["2"]?["support"] as? Int == 3)
        let metrics = try #require(statistics["metrics"] as? [String: Double])
        #expect(abs((output["accuracy"] as? Double ?? -1) - (metrics["accuracy"] ?? -2)) < 1e-6)
    }

    @Test func badReportFoldersAndLabelsAreClearErrors() throws {
        let directory = try TestSupport.temporaryDirectory("report-errors")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try RunSupport.train(Self.binary.replacingOccurrences(of: "  test:", with: "  #test:"), in: directory)
        #expect(run.code == 0, "\(run.error)")
        let weights = directory + "/run/weights.safetensors"
        try AtomicFile.write("not a folder\n", to: directory + "/file")
        try RunCommandTests.write(NumpyArray(shape: [3, 2], values: [0, 1, 1, 0, 1, 1]), to: directory + "/x.npy")
        try RunCommandTests.write(NumpyArray(shape: [3], values: [1, 0, 1]), to: directory + "/y.npy")
        try RunCommandTests.write(NumpyArray(shape: [3], values: [1, 0.5, 1]), to: directory + "/soft.npy")
        let file = try TestSupport.run(["evaluate", directory + "/spec.yaml", "--weights", weights, "--input", directory + "/x.npy",
                                        "--labels", directory + "/y.npy", "--report", directory + "/file"])
        #expect(file.code == 1)
        #expect(file.stderr == "error: --report \(directory)/file is a file; give a folder for the report (it is made if missing)\n")
        let soft = try TestSupport.run(["evaluate", directory + "/spec.yaml", "--weights", weights, "--input", directory + "/x.npy",
                                        "--labels", directory + "/soft.npy", "--report", directory + "/soft"])
        #expect(soft.code == 1)
        #expect(soft.stderr == "error: output 'dense': the report's classification statistics need labels 0 or 1; found 0.5 for sample 1 (counting from 0)\n")
        #expect(!FileManager.default.fileExists(atPath: directory + "/soft"))
        // All one class: the areas are null with the reason, and the rest is reported.
        try RunCommandTests.write(NumpyArray(shape: [3], values: [1, 1, 1]), to: directory + "/ones.npy")
        let ones = try TestSupport.run(["evaluate", directory + "/spec.yaml", "--weights", weights, "--input", directory + "/x.npy",
                                        "--labels", directory + "/ones.npy", "--report", directory + "/ones"])
        #expect(ones.code == 0, "\(ones.stderr)")
        let output = try #require((try Self.json(directory + "/ones/test_statistics.json")["outputs"] as? [String: Any])?["dense"] as? [String: Any])
        #expect(output["roc_auc"] is NSNull)
        #expect((output["roc_auc_reason"] as? String)?.contains("only positive samples") == true)
        #expect(output["average_precision"] as? Double == 1)
        let empty = try TestSupport.run(["evaluate", directory + "/spec.yaml", "--weights", weights, "--report", ""])
        #expect(empty.code != 0 && empty.stderr.contains("--report needs a folder"))
    }
}
