import Foundation

/// What scikit-learn's `classification_report` and `confusion_matrix` say about class decisions:
/// the confusion matrix, per-class precision, recall, F1 and support, their macro and
/// support-weighted averages, and the accuracy.
///
/// Every class given is reported, present in the labels or not (as sklearn does when given
/// `labels=`). A ratio whose denominator is 0 is taken as 0, sklearn's `zero_division=0`, and a
/// note says which class it hit: a class never predicted has precision 0 (not undefined), a class
/// absent from the labels has recall 0. F1 is 2·TP / (2·TP + FP + FN), which is sklearn's, and
/// also 0 when nothing is predicted or present.
struct ClassificationStatistics {
    struct ClassScores {
        var precision: Double
        var recall: Double
        var f1: Double
        /// Samples whose true class this is.
        var support: Int
    }

    struct Averages {
        var precision: Double
        var recall: Double
        var f1: Double
        var support: Int
    }

    /// Class names, in class-index order.
    let classes: [String]
    /// `confusion[t][p]`: samples of true class t predicted as class p (rows true, columns
    /// predicted, as sklearn's `confusion_matrix`); [classes][classes].
    let confusion: [[Int]]
    /// One per class, in class order.
    let perClass: [ClassScores]
    /// Unweighted mean over every class.
    let macro: Averages
    /// Mean over classes weighted by support.
    let weighted: Averages
    /// Correct decisions / samples.
    let accuracy: Double
    /// Where `zero_division=0` stood in for an undefined ratio, in words.
    let notes: [String]

    /// `truth` and `predicted`: one class index in 0..<classes.count per sample (same count, at least one).
    init(truth: [Int], predicted: [Int], classes: [String]) {
        precondition(truth.count == predicted.count, "one prediction per label")
        let count = classes.count
        var confusion = Array(repeating: Array(repeating: 0, count: count), count: count)
        for (t, p) in zip(truth, predicted) { confusion[t][p] += 1 }
        var perClass: [ClassScores] = []
        var neverPredicted: [String] = [], absent: [String] = []
        for c in 0..<count {
            let tp = confusion[c][c]
            let support = confusion[c].reduce(0, +)
            let predictedCount = (0..<count).reduce(0) { $0 + confusion[$1][c] }
            if predictedCount == 0 { neverPredicted.append(classes[c]) }
            if support == 0 { absent.append(classes[c]) }
            let precision = predictedCount == 0 ? 0 : Double(tp) / Double(predictedCount)
            let recall = support == 0 ? 0 : Double(tp) / Double(support)
            let denominator = 2 * tp + (predictedCount - tp) + (support - tp)
            let f1 = denominator == 0 ? 0 : Double(2 * tp) / Double(denominator)
            perClass.append(ClassScores(precision: precision, recall: recall, f1: f1, support: support))
        }
        let total = truth.count
        let classCount = Double(max(count, 1))
        macro = Averages(precision: perClass.map(\.precision).reduce(0, +) / classCount,
                         recall: perClass.map(\.recall).reduce(0, +) / classCount,
                         f1: perClass.map(\.f1).reduce(0, +) / classCount, support: total)
        func weightedMean(_ value: (ClassScores) -> Double) -> Double {
            total == 0 ? 0 : perClass.map { value($0) * Double($0.support) }.reduce(0, +) / Double(total)
        }
        weighted = Averages(precision: weightedMean(\.precision), recall: weightedMean(\.recall), f1: weightedMean(\.f1), support: total)
        accuracy = total == 0 ? 0 : Double((0..<count).reduce(0) { $0 + confusion[$1][$1] }) / Double(total)
        var notes: [String] = []
        if !neverPredicted.isEmpty {
            notes.append("never predicted: \(neverPredicted.joined(separator: ", ")); precision taken as 0 (sklearn's zero_division=0)")
        }
        if !absent.isEmpty {
            notes.append("not in the labels: \(absent.joined(separator: ", ")); recall taken as 0 (sklearn's zero_division=0)")
        }
        self.classes = classes
        self.confusion = confusion
        self.perClass = perClass
        self.notes = notes
    }

    /// Each row divided by its sum (the fraction of a true class given each prediction, as sklearn's
    /// `normalize="true"`); a row of a class absent from the labels stays 0.
    var rowNormalized: [[Double]] {
        confusion.map { row in
            let sum = row.reduce(0, +)
            return row.map { sum == 0 ? 0 : Double($0) / Double(sum) }
        }
    }

    /// The index of the largest value of `row` (the first of equal ones, as numpy's argmax).
    static func argmax<C: Collection>(_ row: C) -> Int where C.Element: Comparable, C.Index == Int {
        var best = row.startIndex
        for index in row.indices where row[index] > row[best] { best = index }
        return best - row.startIndex
    }
}
