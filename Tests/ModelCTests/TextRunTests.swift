import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// Training, evaluating and predicting on raw text through the command line.
@Suite(.serialized) struct TextRunTests {
    static let positive = ["good", "great", "wonderful", "fine", "superb", "lovely"]
    static let negative = ["bad", "awful", "boring", "poor", "dull", "terrible"]
    static let neutral = ["the", "film", "movie", "was", "plot", "actors", "and", "a"]

    /// A corpus whose label follows its sentiment words, sorted by label like the IMDB files.
    static func reviews(_ count: Int, seed: UInt64) -> [(String, Int)] {
        var random = RandomSource(seed: seed)
        return (0..<count).map { index in
            let label = index < count / 2 ? 1 : 0
            let words = (0..<12).map { _ -> String in
                let pool = random.nextUnitFloat() < 0.3 ? (label == 1 ? positive : negative) : neutral
                return pool[Int(random.next() % UInt64(pool.count))]
            }
            return (words.joined(separator: " ").capitalized + "!", label)
        }
    }

    static func csv(_ rows: [(String, Int)]) -> String {
        "text,label\n" + rows.map { "\"\($0.0.replacingOccurrences(of: "\"", with: "\"\""))\",\($0.1)" }.joined(separator: "\n") + "\n"
    }

    static let model = """
        input: [16]
        layers:
          - Embedding 30x8
          - GlobalAveragePooling1D
          - Dense 1 sigmoid
        compile: {optimizer: {Adam: {learning_rate: 0.05}}, loss: binary_crossentropy, metrics: [accuracy]}
        fit: {epochs: 8, batch_size: 16, seed: 3, validation: {split: 0.25, seed: 1, stratify: true}}

        """

    @Test func trainEvaluateAndPredictOnRawText() throws {
        let folder = try TextTableTests.directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try AtomicFile.write(Self.csv(Self.reviews(240, seed: 1)), to: folder + "/train.csv")
        try AtomicFile.write(Self.csv(Self.reviews(60, seed: 2)), to: folder + "/test.csv")
        let spec = Self.model + """
            data:
              train: {csv: train.csv, text: text, labels: label}
              test: {csv: test.csv, text: text, labels: label}
              text: {num_words: 30}
            """
        try AtomicFile.write(spec, to: folder + "/spec.yaml")
        let run = try TestSupport.run(["train", folder + "/spec.yaml", "--run-dir", folder + "/run"])
        #expect(run.code == 0, "\(run.stderr)")
        #expect(run.stdout.contains("vocabulary: 20 words kept of 20 in the training texts"))
        #expect(run.stdout.contains("training on 180 samples, validating on 60"))
        let vocabulary = try Vocabulary.read(folder + "/run/vocabulary.json")
        #expect(vocabulary.length == 16 && vocabulary.preprocessing.numWords == 30)
        let testLine = run.stdout.split(separator: "\n").last { $0.hasPrefix("test: ") }
        let accuracy = try #require(testLine?.split(separator: " ").last.flatMap { Double($0) })
        #expect(accuracy >= 0.9, "\(run.stdout)")

        let evaluate = try TestSupport.run(["evaluate", folder + "/spec.yaml", "--weights", folder + "/run/weights.safetensors"])
        #expect(evaluate.code == 0, "\(evaluate.stderr)")
        #expect(evaluate.stdout.hasPrefix("60 samples - loss: "))

        let predict = try TestSupport.run(["predict", folder + "/spec.yaml", "--weights", folder + "/run/weights.safetensors",
                                           "--text", "A wonderful, superb film", "--text", "Boring and awful"])
        #expect(predict.code == 0, "\(predict.stderr)")
        let lines = predict.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        let probabilities = lines.compactMap { Double($0.split(separator: "\t")[0]) }
        #expect(probabilities.count == 2 && probabilities[0] > 0.5 && probabilities[1] < 0.5, "\(predict.stdout)")
        #expect(lines[0].hasSuffix("\tA wonderful, superb film"))
        try AtomicFile.write("Superb and lovely\n\nDull, poor plot\n", to: folder + "/texts.txt")
        let fromFile = try TestSupport.run(["predict", folder + "/spec.yaml", "--weights", folder + "/run/weights.safetensors",
                                            "--text-file", folder + "/texts.txt"])
        #expect(fromFile.stdout.split(separator: "\n").count == 2)

        try FileManager.default.removeItem(atPath: folder + "/run/vocabulary.json")
        let lost = try TestSupport.run(["predict", folder + "/spec.yaml", "--weights", folder + "/run/weights.safetensors", "--text", "good"])
        #expect(lost.code == 1)
        #expect(lost.stderr.contains("no vocabulary.json beside"))
    }

    /// --text-file lines: \n, \r\n, \r and Unicode line separators end a text; blank lines are skipped.
    @Test func textFilesSplitAtEveryLineBreak() {
        let lines = PredictCommand.lines("first\r\nsecond\rthird\n\n  \ncafé\u{2028}naïve\nlast")
        #expect(lines.filter { !$0.allSatisfy(\.isWhitespace) } == ["first", "second", "third", "café", "naïve", "last"])
        #expect(PredictCommand.preview("short\ntext") == "short text")
        let long = String(repeating: "é", count: 80)
        #expect(PredictCommand.preview(long) == String(repeating: "é", count: 67) + "...")
        #expect(PredictCommand.preview(String(repeating: "a", count: 70)) == String(repeating: "a", count: 70))
    }

    @Test func prepareWritesTheArraysATrainingRunSees() throws {
        let folder = try TextTableTests.directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try AtomicFile.write(Self.csv(Self.reviews(40, seed: 1)), to: folder + "/train.csv")
        try AtomicFile.write(Self.model + "data:\n  train: {csv: train.csv, text: text, labels: label}\n  text: {num_words: 12}\n", to: folder + "/spec.yaml")
        let run = try TestSupport.run(["prepare", folder + "/spec.yaml", "--output", folder + "/arrays"])
        #expect(run.code == 0, "\(run.stderr)")
        #expect(run.stdout.contains("x_train.npy (30, 16), y_train.npy (30,), x_validation.npy (10, 16), y_validation.npy (10,), vocabulary.json (9 words)"))
        let x = try RunSupport.load(folder + "/arrays/x_train.npy")
        #expect(x.kind == .int32 && x.values.allSatisfy { $0 >= 0 && $0 < 12 })
        // Every sequence starts with 1 after its padding, as imdb.load_data's sequences do.
        #expect((0..<30).allSatisfy { row in x.values[(row * 16)..<((row + 1) * 16)].first { $0 != 0 } == 1 })
        let y = try RunSupport.load(folder + "/arrays/y_validation.npy")
        // The stratified split holds out 5 of each label.
        #expect(y.values.filter { $0 == 1 }.count == 5)
        let numeric = try TestSupport.run(["prepare", "Specs/many_to_one.yaml", "--output", folder + "/numeric"])
        #expect(numeric.stdout.contains("x_train.npy (4, 3, 1), y_train.npy (4,), x_test.npy (1, 3, 1), y_test.npy (1,)"))
    }

    @Test func classFoldersTrainToo() throws {
        let folder = try TextTableTests.directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (index, review) in Self.reviews(160, seed: 5).enumerated() {
            let path = "\(folder)/reviews/\(review.1 == 1 ? "pos" : "neg")/\(index).txt"
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try AtomicFile.write(review.0, to: path)
        }
        try AtomicFile.write(Self.model + "data:\n  train: {directory: reviews}\n  text: {num_words: 30}\n", to: folder + "/spec.yaml")
        let run = try TestSupport.run(["train", folder + "/spec.yaml", "--run-dir", folder + "/run"])
        #expect(run.code == 0, "\(run.stderr)")
        // neg is class 0 and pos class 1 (sorted folder names); accuracy rises well above chance.
        let finalLine = run.stdout.split(separator: "\n").last { $0.hasPrefix("final: ") }
        let accuracy = try #require(finalLine?.split(separator: " ").last.flatMap { Double($0) })
        #expect(accuracy >= 0.85, "\(run.stdout)")
    }

    @Test func badTextDataFailsBeforeTraining() throws {
        let folder = try TextTableTests.directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try AtomicFile.write("text,label\ngood,1\nbad,2\n", to: folder + "/train.csv")
        try AtomicFile.write(Self.model + "data:\n  train: {csv: train.csv, text: text, labels: label}\n", to: folder + "/spec.yaml")
        let run = try TestSupport.run(["train", folder + "/spec.yaml", "--run-dir", folder + "/run"])
        #expect(run.code == 1)
        #expect(run.stderr.contains("binary_crossentropy"), "\(run.stderr)")
        #expect(!run.stdout.contains("Epoch 1/"))
        let missing = try TestSupport.run(["train", folder + "/spec.yaml", "--data", folder + "/elsewhere", "--run-dir", folder + "/run"])
        #expect(missing.code == 1)
        #expect(missing.stderr.contains(folder + "/elsewhere/train.csv"), "\(missing.stderr)")
    }

    /// The CI version of the IMDB experiment: 3,000 real reviews (balanced), a few epochs of the seed's
    /// LSTM with a larger learning rate; validation accuracy must end clearly above chance.
    @Test func imdbSubsetLearns() throws {
        let source = TestSupport.sharedRoot + "/datasets/imdb/train.csv"
        let table = try TextTable.readCSV(source, textColumn: "text", labelColumn: "label", classes: nil)
        let positives = table.labels!.indices.filter { table.labels![$0] == 1 }.prefix(1500)
        let negatives = table.labels!.indices.filter { table.labels![$0] == 0 }.prefix(1500)
        let subset = table.rows(Array(positives) + Array(negatives))
        let folder = try TextTableTests.directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try AtomicFile.write(Self.csv(zip(subset.texts, subset.labels!.map { Int($0) }).map { ($0, $1) }), to: folder + "/imdb.csv")
        try AtomicFile.write("""
            input: [100]
            layers: [Embedding 500x16, LSTM 8, Dense 1 sigmoid]
            compile: {optimizer: {RMSprop: {learning_rate: 0.005}}, loss: binary_crossentropy, metrics: [accuracy]}
            fit: {epochs: 3, batch_size: 32, seed: 42, validation: {split: 0.2, seed: 42, stratify: true}}
            data:
              train: {csv: imdb.csv, text: text, labels: label}
              text: {num_words: 500, maxlen: 100}
            """, to: folder + "/spec.yaml")
        let run = try TestSupport.run(["train", folder + "/spec.yaml", "--run-dir", folder + "/run"])
        #expect(run.code == 0, "\(run.stderr)")
        let bytes = try #require(FileManager.default.contents(atPath: folder + "/run/history.json"))
        let history = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        let accuracy = try #require((history["val_accuracy"] as? [Double])?.last)
        #expect(accuracy >= 0.62, "validation accuracy \(accuracy) after 3 epochs; chance is 0.5\n\(run.stdout)")
    }
}
