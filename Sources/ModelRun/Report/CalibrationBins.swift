import Foundation

/// A reliability diagram's numbers: predicted probabilities cut into 10 equal bins of [0, 1], and
/// per bin the mean probability predicted and the fraction of samples that were positive; a
/// calibrated model's points lie on the diagonal.
///
/// Binned as sklearn's `calibration_curve(strategy="uniform", n_bins=10)`: edges `i · 0.1`
/// (numpy's linspace), and a probability on an inner edge falls in the bin below it
/// (`searchsorted`, side left), so bin 0 is [0, 0.1] and bin k is (0.1k, 0.1(k+1)]. sklearn drops
/// empty bins; here they stay, with count 0 and no means.
struct CalibrationBins {
    struct Bin {
        var lower: Double
        var upper: Double
        var count: Int
        /// Mean predicted probability in the bin (nil when empty).
        var meanPredicted: Double?
        /// Fraction of the bin's samples that are positive (nil when empty).
        var fractionPositive: Double?
    }

    static let binCount = 10
    let bins: [Bin]

    /// `probabilities[i]` in [0, 1] (values outside are put in the end bins), `truth[i]` true when positive.
    init(probabilities: [Double], truth: [Bool]) {
        let step = 1.0 / Double(Self.binCount)
        let edges = (0...Self.binCount).map { Double($0) * step }
        var counts = Array(repeating: 0, count: Self.binCount)
        var sums = Array(repeating: 0.0, count: Self.binCount)
        var positives = Array(repeating: 0, count: Self.binCount)
        for (p, positive) in zip(probabilities, truth) {
            // The number of inner edges strictly below p.
            let bin = edges[1..<Self.binCount].filter { $0 < p }.count
            counts[bin] += 1
            sums[bin] += p
            if positive { positives[bin] += 1 }
        }
        bins = (0..<Self.binCount).map { index in
            let count = counts[index]
            return Bin(lower: edges[index], upper: edges[index + 1], count: count,
                       meanPredicted: count == 0 ? nil : sums[index] / Double(count),
                       fractionPositive: count == 0 ? nil : Double(positives[index]) / Double(count))
        }
    }
}
