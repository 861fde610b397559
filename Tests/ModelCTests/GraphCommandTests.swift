import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// Functional models through the command line: train on named data (arrays, CSV columns, a text
/// column with a label per output), predict with `--input NAME=FILE` into `.npz`, evaluate with
/// `--labels NAME=FILE`.
@Suite(.serialized) struct GraphCommandTests {
    static let twoInputs = """
        inputs: {a: [2], b: [3]}
        layers:
          - Concatenate inputs=[a, b]
          - Dense 8 tanh
          - Dense 1 name=sum
          - Dense 2 softmax name=side inputs=dense
        outputs: [sum, side]
        compile: {optimizer: {Adam: {learning_rate: 0.05}}, loss: {sum: mse, side: categorical_crossentropy}, loss_weights: {side: 0.5}, metrics: {sum: [mae], side: [accuracy]}}
        fit: {epochs: 30, batch_size: 8, seed: 1, verbose: 2}

        """

    /// 64 rows of a, b; sum = Σa + Σb; side one-hot of whether b's first value is positive.
    static func writeArrays(_ folder: String) throws {
        var random = RandomSource(seed: 2)
        let rows = 64
        let a = (0..<(rows * 2)).map { _ in random.nextUnitFloat() * 2 - 1 }
        let b = (0..<(rows * 3)).map { _ in random.nextUnitFloat() * 2 - 1 }
        let sum = (0..<rows).map { (row: Int) -> Float in
            let fromA = a[row * 2] + a[row * 2 + 1]
            return fromA + b[row * 3] + b[row * 3 + 1] + b[row * 3 + 2]
        }
        let side = (0..<rows).flatMap { b[$0 * 3] > 0 ? [Float(1), 0] : [0, 1] }
        try AtomicFile.write(NumpyArray(shape: [rows, 2], values: a).encoded(), to: folder + "/a.npy")
        try AtomicFile.write(NumpyArray(shape: [rows, 3], values: b).encoded(), to: folder + "/b.npy")
        try AtomicFile.write(NumpyArray(shape: [rows], values: sum).encoded(), to: folder + "/sum.npy")
        try AtomicFile.write(NumpyArray(shape: [rows, 2], values: side).encoded(), to: folder + "/side.npy")
    }

    @Test func trainPredictAndEvaluateByName() throws {
        let folder = try TestSupport.temporaryDirectory("graph-run")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.writeArrays(folder)
        try AtomicFile.write(Self.twoInputs + "data:\n  train: {x: {a: a.npy, b: b.npy}, y: {sum: sum.npy, side: side.npy}}\n",
                             to: folder + "/spec.yaml")
        let run = try TestSupport.run(["train", folder + "/spec.yaml", "--run-dir", folder + "/run"])
        #expect(run.code == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Connected to"))
        #expect(run.stdout.contains(" - loss: ") && run.stdout.contains(" - sum_loss: ") && run.stdout.contains(" - side_loss: ")
                && run.stdout.contains(" - sum_mae: ") && run.stdout.contains(" - side_accuracy: "))
        let header = TestSupport.read(folder + "/run/history.csv").split(separator: "\n").first
        #expect(header == "epoch,loss,sum_loss,side_loss,sum_mae,side_accuracy,seconds")

        let weights = folder + "/run/weights.safetensors"
        let predict = try TestSupport.run(["predict", folder + "/spec.yaml", "--weights", weights,
                                           "--input", "b=" + folder + "/b.npy", "--input", "a=" + folder + "/a.npy",
                                           "--output", folder + "/out.npz"])
        #expect(predict.code == 0, "\(predict.stderr)")
        #expect(predict.stdout == "wrote 64 predictions of 2 outputs to \(folder)/out.npz: sum (64, 1), side (64, 2)\n")
        let outputs = try NumpyArchive.read(folder + "/out.npz")
        #expect(outputs["sum"]?.shape == [64, 1] && outputs["side"]?.shape == [64, 2])
        let sum = try RunSupport.load(folder + "/sum.npy")
        let error = zip(try #require(outputs["sum"]).values, sum.values).map { abs($0 - $1) }.reduce(0, +) / 64
        #expect(error < 0.3, "the sum head learned Σ: mean error \(error)")

        let evaluate = try TestSupport.run(["evaluate", folder + "/spec.yaml", "--weights", weights,
                                            "--input", "a=" + folder + "/a.npy", "--input", "b=" + folder + "/b.npy",
                                            "--labels", "sum=" + folder + "/sum.npy", "--labels", "side=" + folder + "/side.npy"])
        #expect(evaluate.code == 0, "\(evaluate.stderr)")
        #expect(evaluate.stdout.hasPrefix("64 samples - loss: ") && evaluate.stdout.contains(" - side_accuracy: "))

        // What the user gets wrong, said in terms of the model's names.
        let npy = try TestSupport.run(["predict", folder + "/spec.yaml", "--weights", weights, "--input", "a=" + folder + "/a.npy",
                                       "--input", "b=" + folder + "/b.npy", "--output", folder + "/out.npy"])
        #expect(npy.code == 1)
        #expect(npy.stderr == "error: the model has 2 outputs (sum, side); write them to an .npz file (--output out.npz), one array per output\n")
        let missing = try TestSupport.run(["predict", folder + "/spec.yaml", "--weights", weights, "--input", "a=" + folder + "/a.npy",
                                           "--output", folder + "/out.npz"])
        #expect(missing.stderr == "error: no --input for input 'b'; give --input b=FILE.npy for each of a, b\n")
        let unknown = try TestSupport.run(["predict", folder + "/spec.yaml", "--weights", weights, "--input", "a=" + folder + "/a.npy",
                                           "--input", "bb=" + folder + "/b.npy", "--output", folder + "/out.npz"])
        #expect(unknown.stderr == "error: --input bb=...: the model has no input 'bb'; its inputs are a, b; did you mean 'b'?\n")
        let plain = try TestSupport.run(["predict", folder + "/spec.yaml", "--weights", weights, "--input", folder + "/a.npy",
                                         "--input", folder + "/b.npy", "--output", folder + "/out.npz"])
        #expect(plain.stderr == "error: this model has 2 inputs (a, b); name each file: --input a=FILE.npy\n")
        #expect(FileManager.default.fileExists(atPath: folder + "/out.npy") == false)
    }

    /// The same data as CSV columns, per input and output name, read in one pass of the file.
    @Test func csvColumnsByName() throws {
        let folder = try TestSupport.temporaryDirectory("graph-csv")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var lines = ["a1,a2,b1,b2,b3,sum,left,right"]
        var random = RandomSource(seed: 4)
        for _ in 0..<40 {
            let values = (0..<5).map { _ in random.nextUnitFloat() * 2 - 1 }
            let sum = values.reduce(0, +)
            lines.append((values + [sum]).map { String($0) }.joined(separator: ",") + (values[2] > 0 ? ",1,0" : ",0,1"))
        }
        try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: folder + "/data.csv")
        try AtomicFile.write(Self.twoInputs + """
            data:
              train: {csv: data.csv, features: {a: [a1, a2], b: [b1, b2, b3]}, labels: {sum: sum, side: [left, right]}}
              test: {x: {a: {csv: data.csv, columns: [a1, a2]}, b: {csv: data.csv, columns: [b1, b2, b3]}}, y: {sum: {csv: data.csv, column: sum}, side: {csv: data.csv, columns: [left, right]}}}
            """, to: folder + "/spec.yaml")
        let run = try TestSupport.run(["train", folder + "/spec.yaml", "--run-dir", folder + "/run", "--epochs", "3"])
        #expect(run.code == 0, "\(run.stderr)")
        #expect(run.stdout.contains("training on 40 samples"))
        #expect(run.stdout.contains("test: loss: "))
        let prepare = try TestSupport.run(["prepare", folder + "/spec.yaml", "--output", folder + "/arrays"])
        #expect(prepare.code == 0, "\(prepare.stderr)")
        #expect(prepare.stdout.contains("x_train_a.npy (40, 2), x_train_b.npy (40, 3), y_train_sum.npy (40,), y_train_side.npy (40, 2)"))
    }

    /// One review, two heads: the text column through the vocabulary, a label per output.
    @Test func aTextInputWithTwoHeads() throws {
        let folder = try TestSupport.temporaryDirectory("graph-text")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let reviews = TextRunTests.reviews(160, seed: 5)
        let rows = reviews.enumerated().map { index, review in
            "\"\(review.0)\",\(review.1),\(review.1 == 1 ? 7 + index % 4 : 1 + index % 4)"
        }
        try AtomicFile.write("text,label,rating\n" + rows.joined(separator: "\n") + "\n", to: folder + "/reviews.csv")
        try AtomicFile.write("""
            inputs: {review: [16]}
            layers:
              - Embedding 30x8 inputs=review
              - GlobalAveragePooling1D
              - Dense 1 sigmoid name=sentiment
              - Dense 1 name=rating inputs=global_average_pooling1d
            outputs: [sentiment, rating]
            compile: {optimizer: {Adam: {learning_rate: 0.05}}, loss: {sentiment: binary_crossentropy, rating: mse}, loss_weights: {rating: 0.1}, metrics: {sentiment: [accuracy]}}
            fit: {epochs: 10, batch_size: 16, seed: 3, verbose: 2, validation: {split: 0.25, seed: 1}}
            data:
              train: {csv: reviews.csv, text: text, labels: {sentiment: label, rating: rating}}
              text: {num_words: 30}
            """, to: folder + "/spec.yaml")
        let run = try TestSupport.run(["train", folder + "/spec.yaml", "--run-dir", folder + "/run"])
        #expect(run.code == 0, "\(run.stderr)")
        #expect(run.stdout.contains("training on 120 samples, validating on 40"))
        let last = try #require(run.stdout.split(separator: "\n").last { $0.hasPrefix("final: ") })
        let accuracy = try #require(last.split(separator: " ").firstIndex(of: "val_sentiment_accuracy:").map { last.split(separator: " ")[$0 + 1] })
        #expect((Double(accuracy) ?? 0) >= 0.8, "\(last)")
        let predict = try TestSupport.run(["predict", folder + "/spec.yaml", "--weights", folder + "/run/weights.safetensors",
                                           "--text", "great wonderful", "--text", "awful boring"])
        #expect(predict.code == 0, "\(predict.stderr)")
        let lines = predict.stdout.split(separator: "\n")
        #expect(lines.count == 2 && lines.allSatisfy { $0.hasPrefix("sentiment 0.") && $0.contains("\trating ") })
    }
}
