import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// fit.class_weight, data sample_weight and compile.weighted_metrics, weighted as Keras weighs them:
/// each sample's loss times its weight over the number of samples (SUM_OVER_BATCH_SIZE), metrics
/// unweighted, weighted_metrics as Σ w·value / Σ w, class weights for the training data only.
struct SampleWeightTests {
    /// mse of two samples with weights 1 and 3: (1·ℓ₀ + 3·ℓ₁) / 2, and each sample's gradient times its weight.
    @Test func lossesWeighEachSampleOverTheBatchSize() throws {
        let loss = try TrainingFixtures.loss("mse", outputShape: [2], finalActivation: nil)
        let predictions = Buffer([0.5, 1.0, 2.0, 0.0]), targets = Buffer([0.0, 1.0, 1.0, 1.0])
        let weights: [Float] = [1, 3]
        let plain = Buffer(count: 4), weighted = Buffer(count: 4)
        let unweightedValue = loss.evaluate(predictions: predictions, logits: nil, targets: targets, batch: 2, gradient: plain)
        let value = weights.withUnsafeBufferPointer {
            loss.evaluate(predictions: predictions, logits: nil, targets: targets, batch: 2, gradient: weighted, sampleWeights: $0.baseAddress)
        }
        // ℓ₀ = (0.25 + 0) / 2, ℓ₁ = (1 + 1) / 2.
        #expect(abs(unweightedValue - (0.125 + 1) / 2) < 1e-12)
        #expect(abs(value - (0.125 + 3 * 1) / 2) < 1e-12)
        #expect(weighted.array == [plain[0], plain[1], 3 * plain[2], 3 * plain[3]])
        // Weights of 1 are no weights, bit for bit.
        let ones: [Float] = [1, 1]
        let again = Buffer(count: 4)
        let same = ones.withUnsafeBufferPointer {
            loss.evaluate(predictions: predictions, logits: nil, targets: targets, batch: 2, gradient: again, sampleWeights: $0.baseAddress)
        }
        #expect(same == unweightedValue && again.array == plain.array)
    }

    /// `metrics` count every sample once, `weighted_metrics` by weight; the same name gets `weighted_`.
    @Test func weightedMetricsAreLoggedBesideTheUnweightedOnes() throws {
        let config = try TrainingFixtures.compile("{optimizer: sgd, loss: binary_crossentropy, metrics: [accuracy], weighted_metrics: [accuracy, mae]}",
                                                  lastLayer: "Dense 1 sigmoid")
        #expect(config.loggedNames == ["loss", "accuracy", "weighted_accuracy", "mae"])
        let set = MetricSet(config.metrics, loss: config.loss, outputShape: [1])
        let weights: [Float] = [1, 1, 2, 4]
        weights.withUnsafeBufferPointer { pointer in
            // Right, right, wrong, wrong.
            set.update(predictions: Buffer([0.9, 0.1, 0.8, 0.3]), targets: Buffer([1, 0, 0, 1]), batch: 4, weights: pointer.baseAddress)
        }
        let values = Dictionary(uniqueKeysWithValues: set.results.map { ($0.name, $0.value) })
        #expect(values["accuracy"] == 0.5)
        #expect(values["weighted_accuracy"].map { Float($0) } == Float(2.0 / 8))
        // |0.1|·1 + |0.1|·1 + |0.8|·2 + |0.7|·4 over 8.
        #expect(abs(values["mae"]! - (0.1 + 0.1 + 1.6 + 2.8) / 8) < 1e-6)
    }

    @Test func classWeightsFollowTheLabels() throws {
        // One value per sample: the label rounded half to even (0.5 → 0, 1.5 → 2).
        var binary = Dataset(x: [0, 0, 0, 0], y: [0, 1, 0.5, 1], rows: 4, sampleShape: [1], targetShape: [1])
        binary.weights = [1, 1, 1, 2]
        try ClassWeights.apply([1, 4], to: &binary, source: "y.npy")
        #expect(binary.weights == [1, 4, 1, 8])
        // One-hot rows: the argmax, the first largest on ties.
        var oneHot = Dataset(x: [0, 0, 0], y: [0, 1, 0, 0, 0, 1, 0.5, 0.5, 0], rows: 3, sampleShape: [1], targetShape: [3])
        try ClassWeights.apply([1, 2, 3], to: &oneHot, source: "y.npy")
        #expect(oneHot.weights == [2, 3, 1])
        var outside = Dataset(x: [0, 0], y: [0, 2], rows: 2, sampleShape: [1], targetShape: [1])
        #expect(throws: DataError.self) { try ClassWeights.apply([1, 4], to: &outside, source: "y.npy") }
        do {
            try ClassWeights.apply([1, 4], to: &outside, source: "y.npy")
        } catch {
            #expect(error.description == "class_weight gives weights for classes 0 to 1, but the training labels (y.npy) put sample 1 in class 2; give a weight for every class")
        }
    }

    static func spec(_ fit: String = "", compile: String = "{optimizer: {SGD: {learning_rate: 0.1}}, loss: mse}", train: String) -> String {
        """
        input: [2]
        layers: [Dense 1]
        compile: \(compile)
        fit: {epochs: 2, batch_size: 2, verbose: 0, seed: 3, shuffle: false\(fit)}
        data:
          train: \(train)

        """
    }

    /// Doubling every sample's weight doubles plain SGD's gradient: the same weights as the
    /// unweighted run at twice the learning rate (and a logged loss twice that run's) — through a CSV
    /// weight column (which is no feature) and through class_weight.
    @Test func weightsReachTheGradientFromEveryForm() throws {
        let folder = try TestSupport.temporaryDirectory("sample-weights")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "a,b,w,y\n0,1,2,1\n1,0,2,0\n1,1,2,1\n0,0,2,0\n".write(toFile: folder + "/d.csv", atomically: true, encoding: .utf8)
        let csv = "{csv: d.csv, labels: y, sample_weight: w}"
        let plainCSV = "{csv: d.csv, features: [a, b], labels: y}"
        let runs = [
            ("weighted", Self.spec(train: csv)),
            ("classes", Self.spec(", class_weight: {0: 2, 1: 2}", train: plainCSV)),
            ("faster", Self.spec(compile: "{optimizer: {SGD: {learning_rate: 0.2}}, loss: mse}", train: plainCSV)),
            ("plain", Self.spec(train: plainCSV)),
        ]
        var weights: [String: [String: SafeTensors.Tensor]] = [:]
        var losses: [String: Double] = [:]
        for (name, spec) in runs {
            try spec.write(toFile: "\(folder)/\(name).yaml", atomically: true, encoding: .utf8)
            let result = RunSupport.train("\(folder)/\(name).yaml", TrainOptions(runDirectory: "\(folder)/\(name)"))
            #expect(result.code == 0, "\(name): \(result.error)")
            let path = "\(folder)/\(name)/weights.safetensors"
            weights[name] = try RunSupport.safetensors(path)
            let history = TestSupport.read("\(folder)/\(name)/history.csv").split(separator: "\n")
            losses[name] = Double(history[1].split(separator: ",")[history[0].split(separator: ",").firstIndex(of: "loss")!])
        }
        #expect(weights["weighted"] == weights["faster"] && weights["classes"] == weights["faster"])
        #expect(weights["plain"] != weights["faster"])
        // The weighted and the faster run go through the same weights: the logged loss is twice the faster run's.
        let first = try #require(losses["weighted"]), faster = try #require(losses["faster"])
        #expect(abs(first - 2 * faster) < 1e-5 * faster, "the weighted loss doubles: \(first) vs \(faster)")
        #expect(losses["classes"] == first)
    }

    /// A text CSV's weight column follows its texts through the validation split: weights of 2
    /// train as the unweighted texts at twice the learning rate.
    @Test func textSplitsTakeAWeightColumn() throws {
        let folder = try TestSupport.temporaryDirectory("text-weights")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "review,label,w\ngood film,1,2\nbad film,0,2\ngreat,1,2\nawful,0,2\ngood,1,2\nbad,0,2\n".write(toFile: folder + "/r.csv", atomically: true, encoding: .utf8)
        func spec(_ rate: Double, weights: Bool) -> String {
            """
            input: [4]
            layers: [Embedding 20x3, GlobalAveragePooling1D, Dense 1 sigmoid]
            compile: {optimizer: {SGD: {learning_rate: \(rate)}}, loss: binary_crossentropy}
            fit: {epochs: 2, batch_size: 2, verbose: 0, seed: 5, validation: {split: 0.34}}
            data:
              train: {csv: r.csv, text: review, labels: label\(weights ? ", sample_weight: w" : "")}

            """
        }
        var results: [[String: SafeTensors.Tensor]] = []
        for (name, text) in [("weighted", spec(0.5, weights: true)), ("faster", spec(1.0, weights: false))] {
            try text.write(toFile: "\(folder)/\(name).yaml", atomically: true, encoding: .utf8)
            let result = RunSupport.train("\(folder)/\(name).yaml", TrainOptions(runDirectory: "\(folder)/\(name)"))
            #expect(result.code == 0, "\(result.error)")
            let path = "\(folder)/\(name)/weights.safetensors"
            results.append(try RunSupport.safetensors(path))
        }
        #expect(results[0] == results[1])
    }

    @Test(arguments: [
        (", class_weight: {0: 1, 2: 3}", "class_weight has no weight for class 1; Keras needs one for every class from 0 to 2"),
        (", class_weight: {0: -1}", "class_weight of class 0 must be a number ≥ 0, got -1"),
        (", class_weight: {a: 1}", "class_weight keys are class ids 0, 1, ...; 'a' is not one"),
        (", class_weight: [1, 2]", "class_weight maps class ids to weights, such as `{0: 1.0, 1: 4.0}`"),
    ])
    func badClassWeightsAreRefused(_ fit: String, _ expected: String) {
        let errors = TestSupport.errors(Self.spec(fit, train: "{x: x.npy, y: y.npy}"))
        #expect(errors.contains(expected), "\(errors)")
    }

    /// A regression loss with class weights is allowed, with a warning saying how classes are read.
    @Test func classWeightUnderARegressionLossWarns() {
        let result = TestSupport.check(Self.spec(", class_weight: {0: 1, 1: 2}", train: "{x: x.npy, y: y.npy}"))
        let warning = result.diagnostics.first { $0.severity == .warning && $0.code == .suspiciousArgument }
        #expect(warning?.message == "class_weight with MeanSquaredError takes each label's rounded value (one unit) or its argmax as its class, as Keras does",
                "\(result.diagnostics.map(\.message))")
        #expect(result.model != nil)
    }

    @Test func classWeightNeedsOneOutput() {
        let errors = TestSupport.errors("""
            inputs: {a: [2]}
            layers:
              - Dense: {units: 1, name: p, inputs: a}
              - Dense: {units: 1, name: q, inputs: a}
            outputs: [p, q]
            compile: {optimizer: sgd, loss: mse}
            fit: {class_weight: {0: 1, 1: 2}}

            """)
        #expect(errors.contains { $0.hasPrefix("class_weight is for a model with one output (as in Keras); this one has 2") }, "\(errors)")
    }

    @Test(arguments: [
        ("{csv: d.csv, labels: y, sample_weight: y}", "data train sample_weight 'y' is also a label column; a weight column is neither"),
        ("{csv: d.csv, features: [a, w], labels: y, sample_weight: w}", "data train sample_weight 'w' is also a feature column; a weight column is neither"),
        ("{csv: d.csv, text: review, labels: y, sample_weight: review}", "data train sample_weight 'review' is the split's text column; a weight column is neither"),
        ("{directory: texts, sample_weight: w}", "data train sample_weight names a column, but a directory split has no columns"),
        ("{x: x.npy, y: y.npy, sample_weight: w.csv}", "data train sample_weight reads numpy files (.npy, or .npz with a key); for a CSV file use `csv:` on the split"),
    ])
    func badSampleWeightsAreRefused(_ train: String, _ expected: String) {
        let errors = TestSupport.errors(Self.spec(train: train))
        #expect(errors.contains { $0.hasPrefix(expected) }, "\(errors)")
    }

    /// The weights file is read and checked with the data: one finite weight ≥ 0 per sample.
    @Test func sampleWeightFilesAreChecked() throws {
        let folder = try TestSupport.temporaryDirectory("sample-weight-files")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "a,b,y\n0,1,1\n1,0,0\n".write(toFile: folder + "/d.csv", atomically: true, encoding: .utf8)
        try Data(NumpyArray(shape: [3], values: [1, 1, 1], kind: .float32).encoded()).write(to: URL(fileURLWithPath: folder + "/three.npy"))
        try Data(NumpyArray(shape: [2], values: [1, -1], kind: .float32).encoded()).write(to: URL(fileURLWithPath: folder + "/negative.npy"))
        for (file, expected) in [("three.npy", "The training data's sample_weight (three.npy) has shape (3,), but it needs one weight per sample: (2,)"),
                                 ("negative.npy", "The training data's sample_weight (negative.npy) holds -1.0 at sample 1; weights are finite numbers ≥ 0")] {
            let spec = Self.spec(train: "{csv: d.csv, labels: y, sample_weight: \(file)}")
            try spec.write(toFile: folder + "/spec.yaml", atomically: true, encoding: .utf8)
            let result = RunSupport.train(folder + "/spec.yaml", TrainOptions(runDirectory: folder + "/run-\(file)"))
            #expect(result.code != 0 && result.error.contains(expected), "\(result.error)")
        }
    }
}
