import Testing
@testable import ModelC
@testable import ModelRun

/// Precision, Recall, F1Score and the top-k accuracies. The expected numbers are worked out by
/// hand in the comments and agree with tf_keras 2.21's metrics on the same arrays (recorded with
/// `update_state` / `result` in a venv outside the project).
struct MetricConfusionTests {
    /// Four rows of three classes; the label of row 1 (class 2) scores only 0.2, and row 3 ties
    /// classes 0 and 1 at 0.4.
    static let predictions: [Float] = [0.2, 0.7, 0.1, 0.5, 0.3, 0.2, 0.1, 0.1, 0.8, 0.4, 0.4, 0.2]
    static let oneHot: [Float] = [0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0]
    static let sparse: [Float] = [1, 2, 2, 0]

    static func value(_ metric: String, loss: String = "categorical_crossentropy", targets: [Float] = oneHot,
                      predictions: [Float] = predictions, units: Int = 3, batches: Int = 1) throws -> Double? {
        let set = try MetricTests.metricSet("[\(metric)]", loss: loss, lastLayer: "Dense \(units) \(units == 1 ? "sigmoid" : "softmax")",
                                            outputShape: [units])
        let rows = predictions.count / units, width = targets.count / rows
        let step = (rows + batches - 1) / batches
        for start in stride(from: 0, to: rows, by: step) {
            let end = min(start + step, rows)
            MetricTests.update(set, predictions: Array(predictions[(start * units)..<(end * units)]),
                               targets: Array(targets[(start * width)..<(end * width)]), batch: end - start)
        }
        return set.results.first?.value
    }

    static let confusionCases: [(String, Double)] = [
        // Above 0.5: 0.7 and 0.8, both labelled → 2 / 2; of the 4 labels 2 are found.
        ("precision", 1.0), ("recall", 0.5),
        // Above 0.3: 0.7 ✓, 0.5 ✗, 0.8 ✓, 0.4 ✗ (class 0 of row 3), 0.4 ✓ → 3 / 5.
        ("{Precision: {thresholds: 0.3}}", 0.6),
        // The largest of each row, the tie of row 3 going to class 0 (the lower index): 2 / 4.
        ("{Precision: {top_k: 1}}", 0.5),
        // The two largest hold the label in every row but row 1: 3 / 4.
        ("{Recall: {top_k: 2}}", 0.75),
        // Class 2 only: predicted (> 0.5) once, rightly.
        ("{Precision: {class_id: 2}}", 1.0),
        // Class 1 with top_k 1: row 0 finds it, row 3 loses the tie to class 0: 1 / 2.
        ("{Recall: {class_id: 1, top_k: 1}}", 0.5),
    ]

    @Test(arguments: Self.confusionCases)
    func precisionAndRecallCountAsKeras(_ metric: String, _ expected: Double) throws {
        // float32 counts and division, as Keras's variables.
        #expect(try Self.value(metric).map { Float($0) } == Float(expected), "\(metric)")
    }

    /// Predicted classes (the row maximum, ties all in): row 0 → 1, row 1 → 0, row 2 → 2, row 3 → 0 and 1.
    /// Per class: 0 has tp 0, fp 2 → F1 0; 1 has tp 2, fp 0, fn 0 → 1; 2 has tp 1, fn 1 → P 1, R ½, F1 ⅔.
    static let f1Cases: [(String, Double)] = [
        // Pooled: tp 3, fp 2, fn 1 → P 0.6, R 0.75 → 2/3.
        ("{F1Score: {average: micro}}", 2.0 / 3),
        ("{F1Score: {average: macro}}", (0 + 1 + 2.0 / 3) / 3),
        // Support 0, 2, 2: (1·2 + ⅔·2) / 4.
        ("{F1Score: {average: weighted}}", (2 + 4.0 / 3) / 4),
        ("{F1Score: {average: weighted, threshold: 0.3}}", (2 + 4.0 / 3) / 4),
    ]

    @Test(arguments: Self.f1Cases)
    func f1ScoreAveragesPerClassScores(_ metric: String, _ expected: Double) throws {
        // Two batches: the counts add up over the epoch.
        let value = try #require(try Self.value(metric, batches: 2))
        #expect(abs(value - expected) < 1e-6, "\(metric): \(value)")
    }

    /// A one-unit output's single score is logged without an average: predictions > 0.5 are rows
    /// 0, 2, 4 (right, wrong, right) and label 3 is missed → P ⅔, R ⅔, F1 ⅔.
    @Test func f1ScoreOfABinaryOutput() throws {
        let value = try #require(try Self.value("{F1Score: {threshold: 0.5}}", loss: "binary_crossentropy", targets: [1, 0, 0, 1, 1],
                                                predictions: [0.9, 0.2, 0.6, 0.4, 0.7], units: 1))
        #expect(abs(value - 2.0 / 3) < 1e-6)
        #expect(try Self.value("precision", loss: "binary_crossentropy", targets: [1, 0, 0, 1, 1],
                               predictions: [0.9, 0.2, 0.6, 0.4, 0.7], units: 1, batches: 2).map { Float($0) } == Float(2.0 / 3))
    }

    static let topKCases: [(String, String, [Float], Double)] = [
        // Row 3's label (class 1) ties the largest value: in, as tf.math.in_top_k counts ties.
        ("{TopKCategoricalAccuracy: {k: 1}}", "categorical_crossentropy", oneHot, 0.75),
        ("{TopKCategoricalAccuracy: {k: 2}}", "categorical_crossentropy", oneHot, 0.75),
        ("{TopKCategoricalAccuracy: {k: 3}}", "categorical_crossentropy", oneHot, 1.0),
        ("{SparseTopKCategoricalAccuracy: {k: 1}}", "sparse_categorical_crossentropy", sparse, 0.75),
        ("sparse_top_k_categorical_accuracy", "sparse_categorical_crossentropy", sparse, 1.0),
    ]

    @Test(arguments: Self.topKCases)
    func topKAccuracies(_ metric: String, _ loss: String, _ targets: [Float], _ expected: Double) throws {
        #expect(try Self.value(metric, loss: loss, targets: targets) == expected, "\(metric)")
    }

    /// A label outside the classes, or a non-finite output, is never in the top k.
    @Test func topKIsOutForBadLabelsAndOutputs() throws {
        #expect(try Self.value("{SparseTopKCategoricalAccuracy: {k: 3}}", loss: "sparse_categorical_crossentropy", targets: [1, 7, 2, 0]) == 0.75)
        var broken = Self.predictions
        broken[4] = .nan
        #expect(try Self.value("{TopKCategoricalAccuracy: {k: 3}}", targets: Self.oneHot, predictions: broken) == 0.75)
    }

    @Test func loggedNamesAreKerasInstanceNames() throws {
        let config = try TrainingFixtures.compile("{optimizer: sgd, loss: categorical_crossentropy, metrics: [precision, Recall, {F1Score: {average: macro}}, top_k_categorical_accuracy, {Precision: {name: p2}}]}")
        #expect(config.metrics.map(\.loggedName) == ["precision", "recall", "f1_score", "top_k_categorical_accuracy", "p2"])
    }

    @Test(arguments: [
        ("sparse_categorical_crossentropy", "Dense 3 softmax", "precision",
         "Precision compares one-hot labels with the outputs, but sparse_categorical_crossentropy trains with integer labels; use categorical_crossentropy with one-hot labels"),
        ("sparse_categorical_crossentropy", "Dense 3 softmax", "top_k_categorical_accuracy",
         "TopKCategoricalAccuracy compares one-hot labels with the outputs, but sparse_categorical_crossentropy trains with integer labels (use SparseTopKCategoricalAccuracy for integer labels)"),
        ("categorical_crossentropy", "Dense 3 softmax", "sparse_top_k_categorical_accuracy",
         "SparseTopKCategoricalAccuracy reads integer labels, but this loss trains with one-hot labels; use TopKCategoricalAccuracy"),
        ("binary_crossentropy", "Dense 1 sigmoid", "top_k_categorical_accuracy",
         "TopKCategoricalAccuracy ranks classes, but dense has one unit; use accuracy"),
        ("categorical_crossentropy", "Dense 3 softmax", "{Recall: {class_id: 3}}",
         "Recall class_id 3 is not a class of dense, which has 3 units (class ids 0 to 2)"),
        ("categorical_crossentropy", "Dense 3 softmax", "f1_score",
         "F1Score without average gives one score per class (3 here), but a logged metric is one number; set average to macro, micro or weighted"),
        ("categorical_crossentropy", "Dense 3 softmax", "{F1Score: {average: mean}}", "F1Score average 'mean' is not one of micro, macro, weighted"),
        ("categorical_crossentropy", "Dense 3 softmax", "{TopKCategoricalAccuracy: {k: 0}}", "TopKCategoricalAccuracy k must be at least 1, got 0"),
    ])
    func metricsThatCannotMeasureTheOutputAreRefused(_ loss: String, _ layer: String, _ metric: String, _ expected: String) {
        let errors = TestSupport.errors("input: [4]\nlayers:\n  - \(layer)\ncompile: {optimizer: sgd, loss: \(loss), metrics: [\(metric)]}\n")
        #expect(errors.contains { $0.hasPrefix(expected) }, "\(errors)")
    }

    /// tf_keras cannot read `precision` back (a Keras 3 alias): its files name the class.
    @Test func kerasFilesNameMetricsBothKerasesRead() throws {
        let model = try #require(TestSupport.model("input: [4]\nlayers: [Dense 1 sigmoid]\ncompile: {optimizer: sgd, loss: binary_crossentropy, metrics: [precision, auc]}\n"))
        let compile = try #require(model.compile)
        #expect(KerasConfigWriter.compileConfig(compile, model: model, flavor: .tfKeras)["metrics"] == .array([.string("Precision"), .string("auc")]))
        #expect(KerasConfigWriter.compileConfig(compile, model: model, flavor: .keras3)["metrics"] == .array([.string("precision"), .string("auc")]))
    }
}
