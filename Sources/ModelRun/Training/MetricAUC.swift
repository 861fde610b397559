import Foundation

/// tf_keras's AUC (binary, `multi_label=False`, summation 'interpolation') with `num_thresholds` evenly
/// spaced thresholds: 0 − ε, 1/(T−1), …, (T−2)/(T−1), 1 + ε.
///
/// Keras's evenly-spaced fast path puts each prediction p (clipped to [0, 1]) in bucket
/// max(ceil(p·(T−1)) − 1, 0), computed in float32, and counts it as positive at every threshold up
/// to its bucket; labels count as positive when non-zero. Every prediction of the batch is one
/// example (outputs are flattened).
final class AUCMetric: MetricAccumulator {
    enum Curve { case roc, precisionRecall }

    let thresholds: Int
    let curve: Curve
    /// Positive / negative labels whose prediction falls in each bucket, over the epoch so far.
    private var positiveBuckets: [Double]
    private var negativeBuckets: [Double]

    init(thresholds: Int, curve: Curve) {
        self.thresholds = max(thresholds, 2)
        self.curve = curve
        positiveBuckets = Array(repeating: 0, count: self.thresholds)
        negativeBuckets = Array(repeating: 0, count: self.thresholds)
    }

    func reset() {
        for i in 0..<thresholds {
            positiveBuckets[i] = 0
            negativeBuckets[i] = 0
        }
    }

    func update(predictions: UnsafePointer<Float>, targets: UnsafePointer<Float>, _ layout: MetricLayout) {
        let steps = Float(thresholds - 1)
        for row in 0..<layout.rows {
            for j in 0..<layout.classes {
                let p = min(max(predictions[row * layout.classes + j], 0), 1)
                let scaled = (p * steps).rounded(.up) - 1
                let bucket = scaled.isNaN ? 0 : Int(max(scaled, 0))
                if layout.target(targets, row: row, j) != 0 {
                    positiveBuckets[bucket] += Double(layout.weight(row))
                } else {
                    negativeBuckets[bucket] += Double(layout.weight(row))
                }
            }
        }
    }

    /// Confusion counts at each threshold: tp[i] counts positives in buckets ≥ i.
    func confusion() -> (tp: [Double], fp: [Double], fn: [Double], tn: [Double]) {
        var tp = Array(repeating: 0.0, count: thresholds)
        var fp = Array(repeating: 0.0, count: thresholds)
        var positives = 0.0
        var negatives = 0.0
        for i in stride(from: thresholds - 1, through: 0, by: -1) {
            positives += positiveBuckets[i]
            negatives += negativeBuckets[i]
            tp[i] = positives
            fp[i] = negatives
        }
        return (tp, fp, tp.map { positives - $0 }, fp.map { negatives - $0 })
    }

    var result: Double {
        let (tp, fp, fn, tn) = confusion()
        switch curve {
        case .roc:
            // Trapezoids of recall over the false-positive rate.
            let recall = zip(tp, fn).map { divideNoNaN($0, $0 + $1) }
            let falsePositiveRate = zip(fp, tn).map { divideNoNaN($0, $0 + $1) }
            var area = 0.0
            for i in 0..<(thresholds - 1) {
                area += (falsePositiveRate[i] - falsePositiveRate[i + 1]) * (recall[i] + recall[i + 1]) / 2
            }
            return area
        case .precisionRecall:
            return interpolatedPrecisionRecall(tp: tp, fp: fp, fn: fn)
        }
    }

    /// Keras's `interpolate_pr_auc` (Davis & Goadrich): precision varies with TP and predicted
    /// positives P linearly between thresholds, so each interval contributes
    /// slope·(ΔTP + intercept·log(P_i / P_i+1)) / (TP + FN)_i+1.
    private func interpolatedPrecisionRecall(tp: [Double], fp: [Double], fn: [Double]) -> Double {
        var area = 0.0
        for i in 0..<(thresholds - 1) {
            let deltaTP = tp[i] - tp[i + 1]
            let predicted = tp[i] + fp[i]
            let nextPredicted = tp[i + 1] + fp[i + 1]
            let slope = divideNoNaN(deltaTP, max(predicted - nextPredicted, 0))
            let intercept = tp[i + 1] - slope * nextPredicted
            let ratio = predicted > 0 && nextPredicted > 0 ? divideNoNaN(predicted, max(nextPredicted, 0)) : 1
            area += divideNoNaN(slope * (deltaTP + intercept * log(ratio)), max(tp[i + 1] + fn[i + 1], 0))
        }
        return area
    }

    /// tf.math.divide_no_nan: 0 where the denominator is 0.
    private func divideNoNaN(_ a: Double, _ b: Double) -> Double { b == 0 ? 0 : a / b }
}
