import Foundation
import Testing
@testable import ModelRun

/// The test report's numbers against values worked out by hand (and, for the same cases, by
/// scikit-learn: Scripts/check-report-sklearn.py).
@Suite struct ReportStatisticsTests {
    static func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tolerance
    }

    /// 7 samples of a, b, c; c is never predicted. By hand:
    /// confusion a [1 1 0], b [0 3 0], c [2 0 0];
    /// a: P 1/3, R 1/2, F1 2/(2+2+1) = 0.4; b: P 3/4, R 1, F1 6/7; c: P 0 (zero_division), R 0, F1 0.
    @Test func perClassScoresAveragesAndConfusionMatrix() {
        let statistics = ClassificationStatistics(truth: [0, 0, 1, 1, 1, 2, 2], predicted: [0, 1, 1, 1, 1, 0, 0], classes: ["a", "b", "c"])
        #expect(statistics.confusion == [[1, 1, 0], [0, 3, 0], [2, 0, 0]])
        #expect(statistics.rowNormalized == [[0.5, 0.5, 0], [0, 1, 0], [1, 0, 0]])
        let a = statistics.perClass[0], b = statistics.perClass[1], c = statistics.perClass[2]
        #expect(Self.close(a.precision, 1.0 / 3) && Self.close(a.recall, 0.5) && Self.close(a.f1, 0.4) && a.support == 2)
        #expect(Self.close(b.precision, 0.75) && Self.close(b.recall, 1) && Self.close(b.f1, 6.0 / 7) && b.support == 3)
        #expect(c.precision == 0 && c.recall == 0 && c.f1 == 0 && c.support == 2)
        #expect(Self.close(statistics.accuracy, 4.0 / 7))
        #expect(Self.close(statistics.macro.precision, 13.0 / 36) && Self.close(statistics.macro.recall, 0.5))
        #expect(Self.close(statistics.macro.f1, 8.8 / 21))
        // Weighted by support 2, 3, 2 of 7.
        #expect(Self.close(statistics.weighted.precision, 5.0 / 12) && Self.close(statistics.weighted.recall, 4.0 / 7))
        #expect(Self.close(statistics.weighted.f1, 23.6 / 49))
        #expect(statistics.notes == ["never predicted: c; precision taken as 0 (sklearn's zero_division=0)"])
    }

    @Test func aClassMissingFromTheLabelsHasRecallZeroWithANote() {
        let statistics = ClassificationStatistics(truth: [0, 0, 1], predicted: [0, 2, 1], classes: ["x", "y", "z"])
        #expect(statistics.perClass[2].support == 0 && statistics.perClass[2].recall == 0 && statistics.perClass[2].precision == 0)
        #expect(statistics.rowNormalized[2] == [0, 0, 0])
        #expect(statistics.notes == ["not in the labels: z; recall taken as 0 (sklearn's zero_division=0)"])
    }

    /// Scores 0.9 0.8 0.8 0.4 0.4 0.1 for labels 1 1 0 1 0 0: two ties, each between a positive and
    /// a negative. ROC points (0,0) (0,1/3) (1/3,2/3) (2/3,1) (1,1), AUC 1/6 + 5/18 + 1/3 = 7/9
    /// (the 9 positive-negative pairs: 3 + 2.5 + 1.5 won); average precision 1/3·1 + 1/3·2/3 +
    /// 1/3·3/5 = 34/45.
    @Test func rocAndPrecisionRecallWithTiedScores() {
        let curves = RankingCurves(scores: [0.9, 0.8, 0.8, 0.4, 0.4, 0.1], truth: [true, true, false, true, false, false])
        #expect(curves.points.map(\.threshold) == [0.9, 0.8, 0.4, 0.1])
        let roc = curves.roc
        let third: Double = 1.0 / 3, twoThirds: Double = 2.0 / 3
        let rocX: [Double] = [0, 0, third, twoThirds, 1], rocY: [Double] = [0, third, twoThirds, 1, 1]
        #expect(roc.map(\.x) == rocX)
        #expect(roc.map(\.y) == rocY)
        #expect(Self.close(curves.rocAUC.value, 7.0 / 9))
        let precisions: [Double] = [1, 1, twoThirds, 0.6, 0.5]
        #expect(curves.precisionRecall.map(\.y) == precisions)
        #expect(Self.close(curves.averagePrecision.value, 34.0 / 45))
    }

    /// A perfect ranking has AUC 1 and AP 1; a reversed one AUC 0; all tied AUC 0.5 (one diagonal step).
    @Test func extremeRankings() {
        let truth = [false, false, true, true]
        #expect(RankingCurves(scores: [0.1, 0.2, 0.7, 0.8], truth: truth).rocAUC.value == 1)
        #expect(RankingCurves(scores: [0.1, 0.2, 0.7, 0.8], truth: truth).averagePrecision.value == 1)
        #expect(RankingCurves(scores: [0.8, 0.7, 0.2, 0.1], truth: truth).rocAUC.value == 0)
        let tied = RankingCurves(scores: [0.5, 0.5, 0.5, 0.5], truth: truth)
        #expect(tied.rocAUC.value == 0.5 && tied.averagePrecision.value == 0.5)
    }

    /// One class only: ROC AUC has no value (sklearn raises), said in words; AP needs a positive.
    @Test func oneClassOnlyLeavesTheAreasUndefinedWithAReason() {
        let positives = RankingCurves(scores: [0.2, 0.9], truth: [true, true])
        #expect(positives.rocAUC.value == nil)
        #expect(positives.rocAUC.reason?.contains("only positive samples in the labels") == true)
        #expect(positives.roc.isEmpty)
        #expect(positives.averagePrecision.value == 1)
        let negatives = RankingCurves(scores: [0.2, 0.9], truth: [false, false])
        #expect(negatives.rocAUC.reason?.contains("only negative samples") == true)
        #expect(negatives.averagePrecision.value == nil)
        #expect(negatives.averagePrecision.reason?.contains("no positive samples") == true)
    }

    /// 0.1 lies on the first inner edge and goes to the bin below it (numpy's searchsorted, as
    /// sklearn's calibration_curve), 1.0 to the last bin; empty bins stay with count 0.
    @Test func calibrationBinsAsSklearnCutsThem() {
        let calibration = CalibrationBins(probabilities: [0.05, 0.1, 0.15, 0.95, 1.0, 0.3], truth: [false, true, false, true, true, false])
        let bins = calibration.bins
        #expect(bins.count == 10)
        #expect(bins.map(\.count) == [2, 1, 1, 0, 0, 0, 0, 0, 0, 2])
        #expect(Self.close(bins[0].meanPredicted, 0.075) && bins[0].fractionPositive == 0.5)
        #expect(bins[1].meanPredicted == 0.15 && bins[1].fractionPositive == 0)
        #expect(bins[2].meanPredicted == 0.3 && bins[9].fractionPositive == 1 && Self.close(bins[9].meanPredicted, 0.975))
        #expect(bins[3].meanPredicted == nil && bins[3].fractionPositive == nil)
        #expect(bins[3].lower == 0.30000000000000004 && bins[9].upper == 1)
    }

    /// Labels 1 2 3 4, predictions 1 2 3 5: errors 0 0 0 −1, so MSE = MAE = 0.25, RMSE 0.5;
    /// Σ(y − ȳ)² = 5, R² = 1 − 1/5 = 0.8; the errors' variance (sum) 0.75, explained variance 0.85.
    @Test func regressionErrorsAndRSquared() {
        let statistics = RegressionStatistics(truth: [1, 2, 3, 4], predicted: [1, 2, 3, 5])
        #expect(statistics.meanSquaredError == 0.25 && statistics.meanAbsoluteError == 0.25 && statistics.rootMeanSquaredError == 0.5)
        #expect(Self.close(statistics.r2.value, 0.8) && Self.close(statistics.explainedVariance.value, 0.85))
        let constant = RegressionStatistics(truth: [2, 2, 2], predicted: [1, 2, 3])
        #expect(constant.r2.value == nil && constant.explainedVariance.value == nil)
        #expect(constant.r2.reason?.contains("the labels are constant") == true)
        #expect(Self.close(constant.meanSquaredError, 2.0 / 3))
    }

    /// A multi-class section: one-vs-rest areas per class and their macro mean, argmax decisions.
    /// Class c is never the label, so its ROC AUC (and so the macro) is undefined.
    @Test func multiClassSectionOneVersusRest() throws {
        let probabilities: [Double] = [0.7, 0.2, 0.1,
                                       0.3, 0.6, 0.1,
                                       0.5, 0.4, 0.1,
                                       0.2, 0.3, 0.5]
        let section = ClassificationSection(output: "out", loss: "categorical_crossentropy", probabilities: probabilities,
                                            truth: [0, 1, 1, 0], classes: ["a", "b", "c"], notes: [])
        #expect(!section.binary)
        // Decisions a, b, a, c.
        #expect(section.statistics?.confusion == [[1, 0, 1], [1, 1, 0], [0, 0, 0]])
        // a: scores 0.7 0.3 0.5 0.2 for labels 1 0 0 1: pairs (0.7 beats 0.3, 0.5), (0.2 beats none) = 2/4.
        #expect(section.curves[0].rocAUC.value == 0.5)
        // b: scores 0.2 0.6 0.4 0.3 for 0 1 1 0: both positives above both negatives.
        #expect(section.curves[1].rocAUC.value == 1)
        #expect(section.curves[2].rocAUC.value == nil)
        #expect(section.macroROCAUC.value == nil)
        #expect(section.macroROCAUC.reason?.contains("undefined for c") == true)
        #expect(section.notes.contains { $0.hasPrefix("not in the labels: c") })
    }

    /// Multi-label, 4 samples of classes x and y, each decided at > 0.5 on its own. By hand:
    /// x: labels 1 0 1 0, decisions 1 1 0 0: TP 1, FP 1, FN 1, so P = R = F1 = 0.5; y: all right.
    /// Rows all right: the first and last (subset accuracy 0.5); single decisions right 6 of 8.
    /// Micro: TP 3, FP 1, FN 1, so 0.75 each. ROC AUC x: 2 of 4 pairs; y: 1.
    @Test func multiLabelSectionDecidesEachClassOnItsOwn() {
        let section = ClassificationSection(output: "tags", loss: "binary_crossentropy", multiLabel: [0.9, 0.2, 0.6, 0.7, 0.3, 0.8, 0.4, 0.1],
                                            present: [true, false, false, true, true, true, false, false], classes: ["x", "y"], notes: [])
        #expect(section.kind == .multilabel && section.statistics == nil && section.samples == 4)
        #expect(section.labelStatistics.map(\.confusion) == [[[1, 1], [1, 1]], [[2, 0], [0, 2]]])
        let x = section.labelScores[0], y = section.labelScores[1]
        #expect(x.precision == 0.5 && x.recall == 0.5 && x.f1 == 0.5 && x.support == 2)
        #expect(y.precision == 1 && y.recall == 1 && y.f1 == 1 && y.support == 2)
        #expect(section.subsetAccuracy == 0.5 && section.labelAccuracy == 0.75)
        let micro = section.microAverages
        #expect(micro.precision == 0.75 && micro.recall == 0.75 && micro.f1 == 0.75 && micro.support == 4)
        #expect(section.labelAverages.macro.precision == 0.75 && section.labelAverages.weighted.recall == 0.75)
        #expect(section.curves[0].rocAUC.value == 0.5 && section.curves[1].rocAUC.value == 1)
        #expect(section.macroROCAUC.value == 0.75)
        let json = TestReport.json(ReportSection.classification(section)).rendered(indent: nil)
        #expect(json.contains("\"kind\":\"multilabel\"") && json.contains("\"micro_avg\":{\"precision\":0.75"))
        #expect(json.contains("\"x\":{\"precision\":0.5,\"recall\":0.5,\"f1\":0.5,\"support\":2,\"roc_auc\":0.5,"))
        // No single confusion matrix to draw: the curves only (each class's 2×2 is in the JSON).
        let report = TestReport(samples: 4, metrics: [("loss", 0.5)], sections: [.classification(section)])
        #expect(report.files.map(\.name) == ["test_statistics.json", "roc.svg", "precision_recall.svg", "calibration.svg"])
    }

    /// Binary decisions at probability > 0.5 exactly (0.5 itself is negative, as Keras's binary_accuracy).
    @Test func binarySectionThresholdsAboveOneHalf() {
        let section = ClassificationSection(output: "out", loss: "binary_crossentropy", probabilities: [0.5, 0.51, 0.2, 0.9],
                                            truth: [1, 1, 0, 0], classes: ["no", "yes"], notes: [])
        #expect(section.binary)
        #expect(section.statistics?.confusion == [[1, 1], [1, 1]])
        #expect(section.curves.count == 1 && section.curves[0].positives == 2)
    }
}
