import Foundation

/// How close one output column's predictions come to its labels, as sklearn's regression metrics:
/// mean squared and absolute error, their root, R² (`r2_score`) and explained variance
/// (`explained_variance_score`), all in Double over float32 values.
///
/// R² is 1 − Σ(y − ŷ)² / Σ(y − ȳ)² and explained variance 1 − Var(y − ŷ) / Var(y); both divide by
/// the labels' variance, so constant labels leave them undefined: nil with the reason, where
/// sklearn by default substitutes 1.0 (perfect predictions) or 0.0.
struct RegressionStatistics {
    let samples: Int
    /// In the labels' units squared.
    let meanSquaredError: Double
    /// In the labels' units.
    let meanAbsoluteError: Double
    var rootMeanSquaredError: Double { meanSquaredError.squareRoot() }
    let r2: Result<Double, Undefined>
    let explainedVariance: Result<Double, Undefined>

    /// `truth` and `predicted`: one value per sample (same count, at least one).
    init(truth: [Double], predicted: [Double]) {
        precondition(truth.count == predicted.count && !truth.isEmpty, "one prediction per label")
        let n = Double(truth.count)
        samples = truth.count
        let errors = zip(truth, predicted).map { $0 - $1 }
        meanSquaredError = errors.map { $0 * $0 }.reduce(0, +) / n
        meanAbsoluteError = errors.map(abs).reduce(0, +) / n
        let mean = truth.reduce(0, +) / n
        let total = truth.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
        let meanError = errors.reduce(0, +) / n
        let errorVariance = errors.map { ($0 - meanError) * ($0 - meanError) }.reduce(0, +)
        if total == 0 {
            let reason = Undefined("the labels are constant (variance 0); sklearn reports 1.0 for perfect predictions and 0.0 otherwise by convention")
            r2 = .failure(reason)
            explainedVariance = .failure(reason)
        } else {
            r2 = .success(1 - meanSquaredError * n / total)
            explainedVariance = .success(1 - errorVariance / total)
        }
    }
}
