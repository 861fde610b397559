import Foundation

/// The ROC and precision–recall curves of scores against binary truth, exactly: one point per
/// distinct score (the thresholds of sklearn's `roc_curve` / `precision_recall_curve`), so the
/// areas are sklearn's `roc_auc_score` and `average_precision_score` to rounding.
///
/// Samples are ranked by score, highest first; samples of equal score enter together, so a tie
/// between a positive and a negative is a diagonal ROC step (half credit in the trapezoid), as in
/// sklearn. Undefined areas are nil with the reason in words, never NaN: ROC AUC needs both classes
/// among the labels, average precision at least one positive.
struct RankingCurves {
    /// Cumulative counts after each distinct score, from the highest score down.
    struct Point {
        /// Samples scored at or above this are called positive.
        var threshold: Double
        var truePositives: Int
        var falsePositives: Int
    }

    let points: [Point]
    let positives: Int
    let negatives: Int

    /// `scores[i]` (finite) for sample i, `truth[i]` true when it is positive.
    init(scores: [Double], truth: [Bool]) {
        precondition(scores.count == truth.count, "one score per label")
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var points: [Point] = []
        var tp = 0, fp = 0
        for (rank, index) in order.enumerated() {
            if truth[index] { tp += 1 } else { fp += 1 }
            // A point after the last sample of each run of equal scores.
            if rank == order.count - 1 || scores[order[rank + 1]] != scores[index] {
                points.append(Point(threshold: scores[index], truePositives: tp, falsePositives: fp))
            }
        }
        self.points = points
        positives = tp
        negatives = fp
    }

    /// (false positive rate, true positive rate) from (0, 0) to (1, 1); empty when undefined.
    var roc: [(x: Double, y: Double)] {
        guard positives > 0, negatives > 0 else { return [] }
        return [(0, 0)] + points.map { (Double($0.falsePositives) / Double(negatives), Double($0.truePositives) / Double(positives)) }
    }

    /// Area under the ROC curve by the trapezoid rule over its points, or why it has none.
    var rocAUC: Result<Double, Undefined> {
        if positives == 0 || negatives == 0 {
            return .failure(Undefined("only \(positives == 0 ? "negative" : "positive") samples in the labels; ROC AUC needs both classes (sklearn raises here)"))
        }
        let curve = roc
        var area = 0.0
        for (a, b) in zip(curve, curve.dropFirst()) { area += (b.x - a.x) * (a.y + b.y) / 2 }
        return .success(area)
    }

    /// (recall, precision) at each threshold, from the highest score down, after a first point
    /// (0, 1) as sklearn ends its curve; empty without positives.
    var precisionRecall: [(x: Double, y: Double)] {
        guard positives > 0 else { return [] }
        return [(0, 1)] + points.map {
            (Double($0.truePositives) / Double(positives), Double($0.truePositives) / Double($0.truePositives + $0.falsePositives))
        }
    }

    /// Σ (Rₙ − Rₙ₋₁) · Pₙ over the thresholds (sklearn's step-wise average precision, no
    /// interpolation), or why it has none.
    var averagePrecision: Result<Double, Undefined> {
        guard positives > 0 else {
            return .failure(Undefined("no positive samples in the labels; average precision needs at least one"))
        }
        let curve = precisionRecall
        var area = 0.0
        for (a, b) in zip(curve, curve.dropFirst()) { area += (b.x - a.x) * b.y }
        return .success(area)
    }
}

/// Why a statistic has no value for these labels (one class only, no positives, constant labels).
struct Undefined: Error, Equatable {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

extension Result where Failure == Undefined {
    var value: Success? { try? get() }
    var reason: String? {
        if case .failure(let undefined) = self { return undefined.reason }
        return nil
    }
}
