import Foundation
import ModelC

/// One model output's part of the test report: its statistics, computed once, which the JSON and
/// the plots then only read.
enum ReportSection {
    case classification(ClassificationSection)
    case regression(RegressionSection)
    /// An output the report has nothing to say about (no loss, so no labels), and why.
    case skipped(output: String, reason: String)

    var output: String {
        switch self {
        case .classification(let section): section.output
        case .regression(let section): section.output
        case .skipped(let output, _): output
        }
    }
}

/// A classifier's output: binary (one sigmoid unit per position), multi-class (a probability per
/// class, argmax decides) or multi-label (several sigmoid units under binary_crossentropy, each
/// class decided on its own). Positions of a sequence output each count as a sample.
struct ClassificationSection {
    enum Kind: String {
        case binary, multiclass, multilabel
    }

    let output: String
    /// Keras's loss name (`binary_crossentropy`).
    let loss: String
    let kind: Kind
    var binary: Bool { kind == .binary }
    /// Class names, in class order.
    let classes: [String]
    /// Decisions: binary at probability > 0.5 (Keras's binary_accuracy), multi-class by argmax;
    /// nil for multi-label, which has `labelStatistics`.
    let statistics: ClassificationStatistics?
    /// Multi-label: per class, its absent (0) / present (1) decisions at probability > 0.5; else empty.
    let labelStatistics: [ClassificationStatistics]
    /// Binary: one, for the positive class (index 1). Else one per class (one-vs-rest for multi-class).
    let curves: [RankingCurves]
    /// Parallel to `curves`: the probability of that class against being of it.
    let calibration: [CalibrationBins]
    /// Samples (positions): rows of labels.
    let samples: Int
    /// Multi-label: the share of samples whose every class is decided right (sklearn's
    /// `accuracy_score`), and the share of single decisions right (Keras's binary_accuracy; note
    /// that Keras's "accuracy" for several units is categorical_accuracy, an argmax match).
    let subsetAccuracy: Double?
    let labelAccuracy: Double?
    /// Macro (unweighted) means over every class of the one-vs-rest areas (multi-class only); undefined when any class's is.
    var macroROCAUC: Result<Double, Undefined> { Self.macro(curves.map(\.rocAUC), classes: classes, what: "ROC AUC") }
    var macroAveragePrecision: Result<Double, Undefined> {
        Self.macro(curves.map(\.averagePrecision), classes: classes, what: "average precision")
    }
    /// Remarks: zero-division cases, class names not applied.
    let notes: [String]

    static let threshold = 0.5

    static func macro(_ values: [Result<Double, Undefined>], classes: [String], what: String) -> Result<Double, Undefined> {
        let missing = zip(values, classes).filter { $0.0.value == nil }.map(\.1)
        guard missing.isEmpty else {
            return .failure(Undefined("\(what) is undefined for \(missing.joined(separator: ", ")), so its macro average is too (as sklearn)"))
        }
        return .success(values.compactMap(\.value).reduce(0, +) / Double(max(values.count, 1)))
    }

    /// `probabilities`: [samples, classes] flattened (binary: [samples], the positive class's);
    /// `truth`: one class index per sample.
    init(output: String, loss: String, probabilities: [Double], truth: [Int], classes: [String], notes: [String]) {
        self.output = output
        self.loss = loss
        self.classes = classes
        let count = classes.count
        let binary = count == 2 && probabilities.count == truth.count
        kind = binary ? .binary : .multiclass
        samples = truth.count
        labelStatistics = []
        subsetAccuracy = nil
        labelAccuracy = nil
        let predicted: [Int]
        if binary {
            predicted = probabilities.map { $0 > Self.threshold ? 1 : 0 }
            let positive = truth.map { $0 == 1 }
            curves = [RankingCurves(scores: probabilities, truth: positive)]
            calibration = [CalibrationBins(probabilities: probabilities, truth: positive)]
        } else {
            predicted = truth.indices.map { row in
                ClassificationStatistics.argmax(probabilities[(row * count)..<((row + 1) * count)])
            }
            var curves: [RankingCurves] = [], calibration: [CalibrationBins] = []
            for c in 0..<count {
                let scores = truth.indices.map { probabilities[$0 * count + c] }
                let positive = truth.map { $0 == c }
                curves.append(RankingCurves(scores: scores, truth: positive))
                calibration.append(CalibrationBins(probabilities: scores, truth: positive))
            }
            self.curves = curves
            self.calibration = calibration
        }
        let statistics = ClassificationStatistics(truth: truth, predicted: predicted, classes: classes)
        self.statistics = statistics
        self.notes = notes + statistics.notes
    }

    /// Multi-label: `probabilities` and `present` both [samples, classes] flattened.
    init(output: String, loss: String, multiLabel probabilities: [Double], present: [Bool], classes: [String], notes: [String]) {
        self.output = output
        self.loss = loss
        self.classes = classes
        kind = .multilabel
        statistics = nil
        let count = classes.count
        samples = present.count / max(count, 1)
        let decided = probabilities.map { $0 > Self.threshold }
        var labelStatistics: [ClassificationStatistics] = [], curves: [RankingCurves] = [], calibration: [CalibrationBins] = []
        var neverPredicted: [String] = [], absent: [String] = []
        for c in 0..<count {
            let column = (0..<samples).map { $0 * count + c }
            let truth = column.map { present[$0] }, scores = column.map { probabilities[$0] }
            let statistics = ClassificationStatistics(truth: truth.map { $0 ? 1 : 0 }, predicted: column.map { decided[$0] ? 1 : 0 },
                                                      classes: ["0", "1"])
            if statistics.confusion[0][1] + statistics.confusion[1][1] == 0 { neverPredicted.append(classes[c]) }
            if statistics.perClass[1].support == 0 { absent.append(classes[c]) }
            labelStatistics.append(statistics)
            curves.append(RankingCurves(scores: scores, truth: truth))
            calibration.append(CalibrationBins(probabilities: scores, truth: truth))
        }
        self.labelStatistics = labelStatistics
        self.curves = curves
        self.calibration = calibration
        let rightRows = (0..<samples).filter { row in (0..<count).allSatisfy { decided[row * count + $0] == present[row * count + $0] } }.count
        subsetAccuracy = samples == 0 ? 0 : Double(rightRows) / Double(samples)
        labelAccuracy = present.isEmpty ? 0 : Double(zip(decided, present).filter { $0 == $1 }.count) / Double(present.count)
        var remarks = notes
        if !neverPredicted.isEmpty {
            remarks.append("never predicted: \(neverPredicted.joined(separator: ", ")); precision taken as 0 (sklearn's zero_division=0)")
        }
        if !absent.isEmpty {
            remarks.append("not in the labels: \(absent.joined(separator: ", ")); recall taken as 0 (sklearn's zero_division=0)")
        }
        self.notes = remarks
    }

    /// Multi-label: per class the scores of its presence (index 1 of its statistics).
    var labelScores: [ClassificationStatistics.ClassScores] { labelStatistics.map { $0.perClass[1] } }

    /// Multi-label: precision, recall and F1 of every decision pooled (sklearn's `average="micro"`).
    var microAverages: ClassificationStatistics.Averages {
        let tp = labelStatistics.map { $0.confusion[1][1] }.reduce(0, +)
        let fp = labelStatistics.map { $0.confusion[0][1] }.reduce(0, +)
        let fn = labelStatistics.map { $0.confusion[1][0] }.reduce(0, +)
        return ClassificationStatistics.Averages(precision: tp + fp == 0 ? 0 : Double(tp) / Double(tp + fp),
                                                 recall: tp + fn == 0 ? 0 : Double(tp) / Double(tp + fn),
                                                 f1: 2 * tp + fp + fn == 0 ? 0 : Double(2 * tp) / Double(2 * tp + fp + fn), support: tp + fn)
    }

    /// Multi-label: the unweighted and the support-weighted means of the per-class scores.
    var labelAverages: (macro: ClassificationStatistics.Averages, weighted: ClassificationStatistics.Averages) {
        let scores = labelScores
        let count = Double(max(scores.count, 1)), support = scores.map(\.support).reduce(0, +)
        func mean(_ value: (ClassificationStatistics.ClassScores) -> Double) -> Double { scores.map(value).reduce(0, +) / count }
        func weighted(_ value: (ClassificationStatistics.ClassScores) -> Double) -> Double {
            support == 0 ? 0 : scores.map { value($0) * Double($0.support) }.reduce(0, +) / Double(support)
        }
        return (.init(precision: mean(\.precision), recall: mean(\.recall), f1: mean(\.f1), support: support),
                .init(precision: weighted(\.precision), recall: weighted(\.recall), f1: weighted(\.f1), support: support))
    }
}

/// A regression output: statistics per column of its last axis (positions of a sequence pooled),
/// with the values kept for the plots.
struct RegressionSection {
    let output: String
    let loss: String
    /// `value`, or `value_0`, `value_1`, ... (as predict names them).
    let columns: [String]
    let statistics: [RegressionStatistics]
    /// Per column: labels and predictions, one per sample.
    let truth: [[Double]]
    let predicted: [[Double]]
}

extension ReportSection {
    /// The section of output `name` from its model values and prepared targets.
    /// `values`: [rows, outputShape...] flattened; `targets`: the loss's target layout.
    /// `classNames`: the run's class names (classes.json), else the spec's; used when their count fits.
    /// `activation`: the output layer's; several sigmoid (not softmax) units under binary_crossentropy are multi-label.
    static func make(output name: String, loss: LossFunction?, activation: Activation? = nil, values: [Float], targets: [Float]?, rows: Int,
                     classNames: [String]?) throws(DataError) -> ReportSection {
        guard let loss, let targets else {
            return .skipped(output: name, reason: "no loss is compiled for this output, so it has no labels to score")
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw DataError("output '\(name)' is \(values[bad]) for sample \(bad / max(values.count / max(rows, 1), 1)) (counting from 0); the report needs finite outputs")
        }
        let width = loss.classes
        let positions = values.count / max(width, 1)
        switch loss.kind {
        case .meanSquaredError, .meanAbsoluteError, .huber:
            let columns = width == 1 ? ["value"] : (0..<width).map { "value_\($0)" }
            var truth: [[Double]] = [], predicted: [[Double]] = []
            for column in 0..<width {
                truth.append((0..<positions).map { Double(targets[$0 * width + column]) })
                predicted.append((0..<positions).map { Double(values[$0 * width + column]) })
            }
            guard positions > 0 else { throw DataError("output '\(name)': no samples to report on") }
            return .regression(RegressionSection(output: name, loss: loss.name, columns: columns,
                                                 statistics: zip(truth, predicted).map { RegressionStatistics(truth: $0, predicted: $1) },
                                                 truth: truth, predicted: predicted))
        case .binaryCrossentropy, .categoricalCrossentropy, .sparseCategoricalCrossentropy:
            guard positions > 0 else { throw DataError("output '\(name)': no samples to report on") }
            // Outputs that are logits (from_logits on a layer without the activation): the probabilities Keras would mean.
            let logits = loss.logitsFormula && !loss.usesLogits
            let count = width == 1 ? 2 : width
            var notes: [String] = []
            var classes = (0..<count).map(String.init)
            if let names = classNames {
                if names.count == count { classes = names } else {
                    notes.append("the run's \(names.count) class names do not fit the output's \(count) classes; classes are shown by index")
                }
            }
            func sampleText(_ position: Int) -> String {
                positions == rows ? "sample \(position)" : "sample \(position / max(positions / max(rows, 1), 1)), position \(position % max(positions / max(rows, 1), 1))"
            }
            if width == 1 {
                var truth: [Int] = []
                for (position, label) in targets.prefix(positions).enumerated() {
                    guard label == 0 || label == 1 else {
                        throw DataError("output '\(name)': the report's classification statistics need labels 0 or 1; found \(label) for \(sampleText(position)) (counting from 0)")
                    }
                    truth.append(Int(label))
                }
                let probabilities = values.map { logits ? 1 / (1 + exp(-Double($0))) : Double($0) }
                return .classification(ClassificationSection(output: name, loss: loss.name, probabilities: probabilities, truth: truth,
                                                             classes: classes, notes: notes))
            }
            var probabilities = values.map(Double.init)
            if logits {
                for position in 0..<positions {
                    let range = (position * width)..<((position + 1) * width)
                    if loss.kind == .binaryCrossentropy {
                        for index in range { probabilities[index] = 1 / (1 + exp(-probabilities[index])) }
                    } else {
                        let top = probabilities[range].max() ?? 0
                        let sum = probabilities[range].map { exp($0 - top) }.reduce(0, +)
                        for index in range { probabilities[index] = exp(probabilities[index] - top) / sum }
                    }
                }
            }
            if loss.kind == .binaryCrossentropy, activation != .softmax {
                var present: [Bool] = []
                for (index, label) in targets.prefix(positions * width).enumerated() {
                    guard label == 0 || label == 1 else {
                        throw DataError("output '\(name)': the report's classification statistics need labels 0 or 1; found \(label) for \(sampleText(index / width)) (counting from 0), class \(index % width)")
                    }
                    present.append(label == 1)
                }
                return .classification(ClassificationSection(output: name, loss: loss.name, multiLabel: probabilities, present: present,
                                                             classes: classes, notes: notes))
            }
            var truth: [Int] = []
            if loss.kind == .sparseCategoricalCrossentropy {
                truth = targets.prefix(positions).map { Int($0) }
            } else {
                for position in 0..<positions {
                    let row = targets[(position * width)..<((position + 1) * width)]
                    guard row.allSatisfy({ $0 == 0 || $0 == 1 }), row.reduce(0, +) == 1 else {
                        throw DataError("output '\(name)': the report's classification statistics need one-hot labels, one 1 per row; \(sampleText(position)) (counting from 0) has \(row.map { "\($0)" }.joined(separator: ", "))")
                    }
                    truth.append(ClassificationStatistics.argmax(row))
                }
            }
            return .classification(ClassificationSection(output: name, loss: loss.name, probabilities: probabilities, truth: truth,
                                                         classes: classes, notes: notes))
        }
    }
}
