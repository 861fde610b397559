import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// `predict` writes .csv or .jsonl rows (probabilities with class names, the predicted class) by the
/// output's extension, prints a table without --output, and warns about empty texts.
struct PredictionOutputTests {
    static func model(_ yaml: String) throws -> TypedModel {
        try #require(TestSupport.model(yaml))
    }

    @Test func softmaxRowsNameTheClassesAndTheArgmax() throws {
        let model = try Self.model("""
            input: [4]
            layers: [Embedding 9x2, GlobalAveragePooling1D, Dense 3 softmax]
            data:
              train: {csv: t.csv, text: review, labels: kind, classes: [bad, good, great]}

            """)
        let table = Predictions(model: model, values: [[0.1, 0.7, 0.2, 0.5, 0.25, 0.25]], sizes: [3], rows: 2)
        #expect(table.columns == ["bad", "good", "great", "predicted"])
        #expect(table.csv == "bad,good,great,predicted\n0.1,0.7,0.2,good\n0.5,0.25,0.25,bad\n")
        #expect(table.jsonLines == "{\"bad\":0.1,\"good\":0.7,\"great\":0.2,\"predicted\":\"good\"}\n{\"bad\":0.5,\"good\":0.25,\"great\":0.25,\"predicted\":\"bad\"}\n")
        #expect(table.table() == "bad  good  great  predicted\n0.1  0.7   0.2    good\n0.5  0.25  0.25   bad\n")
    }

    @Test func sigmoidRegressionAndSeveralOutputs() throws {
        let binary = Predictions(model: try Self.model("input: [2]\nlayers: [Dense 1 sigmoid]\n"), values: [[0.25, 0.5]], sizes: [1], rows: 2)
        #expect(binary.csv == "probability,predicted\n0.25,0\n0.5,1\n", "≥ 0.5 is class 1, as Keras's binary accuracy")
        let regression = Predictions(model: try Self.model("input: [2]\nlayers: [Dense 2]\n"), values: [[1.5, -2, 3, 4]], sizes: [2], rows: 2)
        #expect(regression.columns == ["value_0", "value_1"])
        let graph = try Self.model("inputs: {x: [2]}\nlayers:\n  - Dense: {units: 1, activation: sigmoid, name: flag, inputs: x}\n  - Dense: {units: 1, name: price, inputs: x}\noutputs: [flag, price]\n")
        let two = Predictions(model: graph, values: [[0.9], [12.5]], sizes: [1, 1], rows: 1, leading: [("text", ["a, \"quoted\" text"])])
        #expect(two.csv == "text,flag.probability,flag.predicted,price.value\n\"a, \"\"quoted\"\" text\",0.9,1,12.5\n")
        #expect(Predictions(model: try Self.model("input: [1]\nlayers: [Dense 1]\n"), values: [Array(repeating: 1, count: 60)], sizes: [1], rows: 60)
            .table().hasSuffix("... 10 more rows (give --output FILE.csv to keep them all)\n"))
    }

    @Test func theFormatFollowsTheExtension() throws {
        #expect(try PredictCommand.OutputFormat("p.CSV") == .csv)
        #expect(try PredictCommand.OutputFormat("p.jsonl") == .jsonLines)
        #expect(try PredictCommand.OutputFormat(nil) == .printed)
        #expect(throws: DataError("--output p.txt: write predictions to .npy, .npz, .csv or .jsonl (the format follows the extension)")) {
            try PredictCommand.OutputFormat("p.txt")
        }
    }

    /// End to end on a tiny text model: CSV rows with the text first, a printed table for arrays, and
    /// a warning for an empty text.
    @Test func predictWritesRowsAndWarnsAboutEmptyTexts() throws {
        let folder = try TestSupport.temporaryDirectory("predict-rows")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "review,label\ngood fine,1\nbad awful,0\nfine good,1\nawful bad,0\n".write(toFile: folder + "/t.csv", atomically: true, encoding: .utf8)
        let spec = """
            input: [4]
            layers: [Embedding 20x2, GlobalAveragePooling1D, Dense 1 sigmoid]
            compile: {optimizer: adam, loss: binary_crossentropy}
            fit: {epochs: 1, batch_size: 2, verbose: 0, seed: 1}
            data:
              train: {csv: t.csv, text: review, labels: label}
              text: {num_words: 20, maxlen: 4}

            """
        let trained = try RunSupport.train(spec, in: folder)
        #expect(trained.code == 0, "\(trained.error)")
        let (output, read) = RunSupport.capture()
        let code = PredictCommand.run(spec: folder + "/spec.yaml", weights: folder + "/run/weights.safetensors", texts: ["good fine", " "],
                                      vocabulary: nil, threads: 1, outputPath: folder + "/p.csv", output: output)
        #expect(code == 0, "\(read().error)")
        #expect(read().error.contains("warning: text 2 is empty; the model sees only padding for it"))
        let rows = TestSupport.read(folder + "/p.csv").split(separator: "\n")
        #expect(rows.first == "text,probability,predicted")
        #expect(rows.count == 3 && rows[1].hasPrefix("good fine,"))
        // Arrays without --output: the table is printed.
        try AtomicFile.write(NumpyArray(shape: [2, 4], values: [3, 4, 0, 0, 5, 6, 0, 0], kind: .int32).encoded(), to: folder + "/x.npy")
        let (printedOutput, printed) = RunSupport.capture()
        #expect(PredictCommand.run(spec: folder + "/spec.yaml", weights: folder + "/run/weights.safetensors", inputs: NamedFiles([folder + "/x.npy"]),
                                   outputPath: nil, threads: 1, output: printedOutput) == 0)
        #expect(printed().out.hasPrefix("probability  predicted\n"))
        #expect(printed().out.split(separator: "\n").count == 3)
    }
}
