import Foundation

/// tf_keras's Precision and Recall with one threshold (`metrics_utils.update_confusion_matrix_variables`):
/// every output value of the batch is one example (outputs flattened; with `class_id` only that
/// column), predicted positive when above the threshold, actually positive when its label is
/// non-zero. With `top_k` only the k largest values of each row keep their value, the others
/// become −1e10 (Keras's NEG_INF), and the default threshold is −1e10 too. The counts are float32
/// variables, so the result is float32's tp / (tp + fp) (or tp / (tp + fn)), 0 when empty.
final class ConfusionMetric: MetricAccumulator {
    enum Kind { case precision, recall }

    static let negativeInfinity: Float = -1e10

    let kind: Kind
    let threshold: Float
    let topK: Int?
    let classID: Int?
    private var truePositives: Float = 0
    /// False positives (precision) or false negatives (recall).
    private var misses: Float = 0
    /// The row's values after the top-k filter.
    private var row: [Float] = []

    init(_ kind: Kind, threshold: Double?, topK: Int?, classID: Int?) {
        self.kind = kind
        self.topK = topK
        self.classID = classID
        self.threshold = threshold.map { Float($0) } ?? (topK == nil ? 0.5 : Self.negativeInfinity)
    }

    func reset() {
        truePositives = 0
        misses = 0
    }

    func update(predictions: UnsafePointer<Float>, targets: UnsafePointer<Float>, _ layout: MetricLayout) {
        let width = layout.classes
        if row.count != width { row = Array(repeating: 0, count: width) }
        var tp = 0.0, missed = 0.0
        for r in 0..<layout.rows {
            let p = predictions + r * width
            for j in 0..<width { row[j] = p[j] }
            if let topK { Self.keepTopK(&row, topK) }
            let weight = Double(layout.weight(r))
            let columns = classID.map { $0..<($0 + 1) } ?? 0..<width
            for j in columns {
                let predicted = row[j] > threshold
                let actual = layout.target(targets, row: r, j) != 0
                if predicted && actual { tp += weight }
                switch kind {
                case .precision: if predicted && !actual { missed += weight }
                case .recall: if !predicted && actual { missed += weight }
                }
            }
        }
        // Each batch's sums are float32 tensors added to float32 variables.
        truePositives += Float(tp)
        misses += Float(missed)
    }

    var result: Double {
        let denominator = truePositives + misses
        return denominator == 0 ? 0 : Double(truePositives / denominator)
    }

    /// Keras's `_filter_top_k`: the k largest values stay (ties to the lower index, as tf.math.top_k),
    /// the others become −1e10.
    static func keepTopK(_ values: inout [Float], _ k: Int) {
        guard k < values.count else { return }
        let kept = values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }.prefix(k)
        var mask = Array(repeating: false, count: values.count)
        for index in kept { mask[index] = true }
        for index in values.indices where !mask[index] { values[index] = negativeInfinity }
    }
}

/// tf_keras's F1Score (FBetaScore with β = 1): per class, a prediction is 1 when above `threshold`
/// (or, with none, when it is the row's largest value and |p| > 1e-9), and tp, fp, fn and the label
/// sums are float32 variables; the score per class is 2·P·R / (P + R) with divide_no_nan, then
/// averaged: micro over the pooled counts, macro as the mean, weighted by the label sums.
final class F1ScoreMetric: MetricAccumulator {
    enum Average: String { case micro, macro, weighted }

    let average: Average?
    let threshold: Float?
    private var tp: [Float] = []
    private var fp: [Float] = []
    private var fn: [Float] = []
    private var support: [Float] = []

    init(average: String?, threshold: Double?) {
        self.average = average.flatMap(Average.init(rawValue:))
        self.threshold = threshold.map { Float($0) }
    }

    func reset() {
        for i in tp.indices {
            tp[i] = 0
            fp[i] = 0
            fn[i] = 0
            support[i] = 0
        }
    }

    func update(predictions: UnsafePointer<Float>, targets: UnsafePointer<Float>, _ layout: MetricLayout) {
        let width = layout.classes
        // Micro pools every class into one set of counts, as Keras's axis=None sum.
        let slots = average == .micro ? 1 : width
        if tp.count != slots {
            tp = Array(repeating: 0, count: slots)
            fp = tp
            fn = tp
            support = tp
        }
        var batchTP = Array(repeating: 0.0, count: slots), batchFP = batchTP, batchFN = batchTP, batchSupport = batchTP
        for r in 0..<layout.rows {
            let p = predictions + r * width
            var rowMax = -Float.infinity
            for j in 0..<width { rowMax = max(rowMax, p[j]) }
            let weight = Double(layout.weight(r))
            for j in 0..<width {
                let predicted: Double = if let threshold { p[j] > threshold ? 1 : 0 } else { p[j] >= rowMax && abs(p[j]) > 1e-9 ? 1 : 0 }
                let label = Double(layout.target(targets, row: r, j))
                let slot = slots == 1 ? 0 : j
                batchTP[slot] += predicted * label * weight
                batchFP[slot] += predicted * (1 - label) * weight
                batchFN[slot] += (1 - predicted) * label * weight
                batchSupport[slot] += label * weight
            }
        }
        for slot in 0..<slots {
            tp[slot] += Float(batchTP[slot])
            fp[slot] += Float(batchFP[slot])
            fn[slot] += Float(batchFN[slot])
            support[slot] += Float(batchSupport[slot])
        }
    }

    /// The score of each class (one for micro), in float32 as Keras computes them.
    var scores: [Float] {
        tp.indices.map { i in
            let precision = tp[i] + fp[i] == 0 ? 0 : tp[i] / (tp[i] + fp[i])
            let recall = tp[i] + fn[i] == 0 ? 0 : tp[i] / (tp[i] + fn[i])
            let sum = precision + recall
            return (sum == 0 ? 0 : precision * recall / sum) * 2
        }
    }

    var result: Double {
        let scores = scores
        guard !scores.isEmpty else { return 0 }
        switch average {
        case .weighted:
            let total = support.reduce(0, +)
            guard total != 0 else { return 0 }
            return Double(zip(scores, support).reduce(Float(0)) { $0 + $1.0 * ($1.1 / total) })
        case .micro, .macro, nil:
            // Without an average Keras keeps the per-class vector; the checker lets that through only
            // for one class, whose vector is this mean.
            return Double(scores.reduce(0, +) / Float(scores.count))
        }
    }
}
