import Testing
@testable import ModelC
@testable import ModelRun

/// Keras 2 metrics: which accuracy `accuracy` means, per-batch values, epoch means and AUC.
@Suite struct MetricTests {
    /// A MetricSet for `metrics` (spec text such as `[accuracy, {AUC: {num_thresholds: 5}}]`).
    static func metricSet(_ metrics: String, loss: String, lastLayer: String, outputShape: [Int]) throws -> MetricSet {
        let config = try TrainingFixtures.compile("{optimizer: sgd, loss: \(loss), metrics: \(metrics)}", lastLayer: lastLayer)
        return MetricSet(config.metrics, loss: config.loss, outputShape: outputShape)
    }

    static func update(_ set: MetricSet, predictions: [Float], targets: [Float], batch: Int) {
        set.update(predictions: Buffer(predictions), targets: Buffer(targets), batch: batch)
    }

    static func value(_ set: MetricSet, _ name: String) -> Double? {
        set.results.first { $0.name == name }?.value
    }

    @Test func accuracyIsChosenFromTheOutputAndTheLabels() throws {
        let cases: [(String, String, [Int], MeanMetric.Kind)] = [
            ("binary_crossentropy", "Dense 1 sigmoid", [1], .binaryAccuracy(threshold: 0.5)),
            ("mse", "Dense 1", [1], .binaryAccuracy(threshold: 0.5)),
            ("categorical_crossentropy", "Dense 3 softmax", [3], .categoricalAccuracy),
            ("mse", "Dense 4", [4], .categoricalAccuracy),
            ("sparse_categorical_crossentropy", "Dense 3 softmax", [3], .sparseCategoricalAccuracy),
            ("sparse_categorical_crossentropy", "Dense 3 softmax", [5, 3], .sparseCategoricalAccuracy),
        ]
        for (loss, layer, shape, expected) in cases {
            let config = try TrainingFixtures.compile("{optimizer: sgd, loss: \(loss), metrics: [acc]}", lastLayer: layer)
            let kind = MetricSet.accuracy(config.metrics[0], classes: shape.last!,
                                          sparseLabels: config.loss.descriptor.className == "SparseCategoricalCrossentropy")
            #expect(kind == expected, "\(loss) with output \(shape)")
        }
        // The same predictions scored three ways.
        let predictions: [Float] = [0.2, 0.7, 0.1, 0.5, 0.3, 0.2]
        let sparse = try Self.metricSet("[accuracy]", loss: "sparse_categorical_crossentropy", lastLayer: "Dense 3 softmax", outputShape: [3])
        Self.update(sparse, predictions: predictions, targets: [1, 2], batch: 2)
        #expect(Self.value(sparse, "accuracy") == 0.5)
        let categorical = try Self.metricSet("[accuracy]", loss: "categorical_crossentropy", lastLayer: "Dense 3 softmax", outputShape: [3])
        Self.update(categorical, predictions: predictions, targets: [0, 1, 0, 1, 0, 0], batch: 2)
        #expect(Self.value(categorical, "accuracy") == 1)
        let binary = try Self.metricSet("[accuracy]", loss: "binary_crossentropy", lastLayer: "Dense 1 sigmoid", outputShape: [1])
        // Keras compares p > 0.5: exactly 0.5 is class 0.
        Self.update(binary, predictions: [0.5, 0.51, 0.2, 0.9], targets: [0, 1, 1, 1], batch: 4)
        #expect(Self.value(binary, "accuracy") == 0.75)
    }

    @Test func epochValuesAreMeansWeightedBySamples() throws {
        let set = try Self.metricSet("[acc, mse]", loss: "binary_crossentropy", lastLayer: "Dense 1 sigmoid", outputShape: [1])
        Self.update(set, predictions: [0.9, 0.9, 0.9], targets: [1, 0, 0], batch: 3)
        Self.update(set, predictions: [0.8], targets: [1], batch: 1)
        // 2 right of 4 samples, not the mean of the batch means (2/3).
        #expect(set.results.map(\.name) == ["acc", "mse"])
        #expect(Self.value(set, "acc") == 0.5)
        let mse = (0.01 + 0.81 + 0.81 + 0.04) / 4
        #expect(abs(Self.value(set, "mse")! - mse) < 1e-7)
        set.reset()
        #expect(set.results.map(\.value) == [0, 0])
        Self.update(set, predictions: [0.2], targets: [0], batch: 1)
        #expect(Self.value(set, "acc") == 1)
    }

    @Test func sequenceOutputsCountEveryPosition() throws {
        // Output [2, 3] per sample, sparse labels [2]: 4 positions over 2 samples.
        let set = try Self.metricSet("[accuracy, sparse_categorical_accuracy]", loss: "sparse_categorical_crossentropy",
                                     lastLayer: "Dense 3 softmax", outputShape: [2, 3])
        Self.update(set, predictions: [0.1, 0.8, 0.1, 0.5, 0.2, 0.3, 0.3, 0.3, 0.4, 0.2, 0.2, 0.6], targets: [1, 0, 2, 1], batch: 2)
        #expect(set.results.map(\.value) == [0.75, 0.75])
    }

    // MARK: values recorded from tf_keras 2.21 (/work/probe/helperC/record_losses_metrics.py)

    static let binaryBatches: [(predictions: [Float], labels: [Float])] = [
        ([0.1, 0.5, 0.25, 0.75, 0.9, 0.5000001], [0, 1, 1, 0, 1, 1]),
        ([0.3, 0.8, 0, 1], [1, 1, 0, 0]),
    ]

    @Test(arguments: [
        ("{AUC: {}}", 0.5833333730697632), ("{AUC: {curve: PR}}", 0.585848867893219),
        ("{AUC: {num_thresholds: 5}}", 0.6041666865348816), ("{AUC: {num_thresholds: 5, curve: PR}}", 0.6564121842384338),
        ("{AUC: {num_thresholds: 3}}", 0.5), ("{AUC: {num_thresholds: 3, curve: PR}}", 0.6000000238418579),
        ("binary_accuracy", 0.5), ("{BinaryAccuracy: {threshold: 0.25}}", 0.699999988079071),
        ("mse", 0.31749996542930603), ("mae", 0.4599999785423279),
    ])
    func binaryMetricsMatchKeras(_ metric: String, _ keras: Double) throws {
        let set = try Self.metricSet("[\(metric)]", loss: "binary_crossentropy", lastLayer: "Dense 1 sigmoid", outputShape: [1])
        for batch in Self.binaryBatches {
            Self.update(set, predictions: batch.predictions, targets: batch.labels, batch: batch.labels.count)
        }
        let value = try #require(set.results.first?.value)
        #expect(abs(value - keras) <= 1e-6, "\(metric): \(value) vs Keras \(keras)")
    }

    @Test func categoricalAndRegressionMetricsMatchKeras() throws {
        let predictions: [Float] = [0.2, 0.5, 0.3, 0.6, 0.3, 0.3, 0, 0.1, 0.9]
        let categorical = try Self.metricSet("[categorical_accuracy]", loss: "categorical_crossentropy", lastLayer: "Dense 3 softmax",
                                             outputShape: [3])
        Self.update(categorical, predictions: predictions, targets: [0, 1, 0, 1, 0, 0, 0, 0, 1], batch: 3)
        // A tie goes to the first maximum (class 0), so this one-hot class 1 row is wrong.
        Self.update(categorical, predictions: [0.4, 0.4, 0.2], targets: [0, 1, 0], batch: 1)
        #expect(Self.value(categorical, "categorical_accuracy") == 0.75)
        let sparse = try Self.metricSet("[sparse_categorical_accuracy]", loss: "sparse_categorical_crossentropy",
                                        lastLayer: "Dense 3 softmax", outputShape: [3])
        Self.update(sparse, predictions: predictions, targets: [1, 0, 2], batch: 3)
        Self.update(sparse, predictions: [0.4, 0.4, 0.2], targets: [1], batch: 1)
        #expect(Self.value(sparse, "sparse_categorical_accuracy") == 0.75)
        let regression = try Self.metricSet("[mse, mae]", loss: "mse", lastLayer: "Dense 2", outputShape: [2])
        Self.update(regression, predictions: [0.7, -1, 0.5, 1.25, -0.3, 1], targets: [0.5, -1, 2, 0.25, 0, 3], batch: 3)
        Self.update(regression, predictions: [0, 3], targets: [1, 1], batch: 1)
        #expect(abs(Self.value(regression, "mse")! - 1.5475000143051147) < 1e-6)
        #expect(abs(Self.value(regression, "mae")! - 1.0) < 1e-6)
    }

    @Test func aucOfSeparableScoresIsOneAndOfReversedScoresZero() throws {
        let set = try Self.metricSet("[auc, {AUC: {name: pr, curve: PR}}]", loss: "binary_crossentropy", lastLayer: "Dense 1 sigmoid",
                                     outputShape: [1])
        Self.update(set, predictions: [0.1, 0.2, 0.3, 0.7, 0.8, 0.95], targets: [0, 0, 0, 1, 1, 1], batch: 6)
        #expect(set.results.map(\.name) == ["auc", "pr"])
        #expect(abs(Self.value(set, "auc")! - 1) < 1e-12)
        #expect(abs(Self.value(set, "pr")! - 1) < 1e-12)
        set.reset()
        Self.update(set, predictions: [0.9, 0.8, 0.7, 0.3, 0.2, 0.1], targets: [0, 0, 0, 1, 1, 1], batch: 6)
        #expect(abs(Self.value(set, "auc")!) < 1e-12)
    }

    @Test func aucBucketsFollowKerasThresholdPlacement() {
        // T = 5: thresholds −ε, 0.25, 0.5, 0.75, 1 + ε. A prediction counts as positive at threshold i
        // when p > threshold, so 0.5 exactly is below 0.5 and 0 is above −ε.
        let auc = AUCMetric(thresholds: 5, curve: .roc)
        let layout = MetricLayout(rows: 5, classes: 1, targetWidth: 1)
        let predictions: [Float] = [0, 0.25, 0.5, 0.5000001, 1]
        let labels: [Float] = [1, 1, 1, 1, 1]
        predictions.withUnsafeBufferPointer { p in
            labels.withUnsafeBufferPointer { t in auc.update(predictions: p.baseAddress!, targets: t.baseAddress!, layout) }
        }
        #expect(auc.confusion().tp == [5, 3, 2, 1, 0])
        #expect(auc.confusion().fn == [0, 2, 3, 4, 5])
    }
}
