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

/// A classifier's output: binary (one sigmoid unit per position) or multi-class (a probability per
/// class, argmax decides). Positions of a sequence output each count as a sample.
struct ClassificationSection {
    let output: String
    /// Keras's loss name (`binary_crossentropy`).
    let loss: String
    let binary: Bool
    /// Decisions: binary at probability > 0.5 (Keras's binary_accuracy), multi-class by argmax.
    let statistics: ClassificationStatistics
    /// Binary: one, for the positive class (index 1). Multi-class: one-vs-rest per class.
    let curves: [RankingCurves]
    /// Parallel to `curves`: the probability of that class against being of it.
    let calibration: [CalibrationBins]
    /// Macro (unweighted) means over every class of the one-vs-rest areas (multi-class only); undefined when any class's is.
    var macroROCAUC: Result<Double, Undefined> { Self.macro(curves.map(\.rocAUC), classes: statistics.classes, what: "ROC AUC") }
    var macroAveragePrecision: Result<Double, Undefined> {
        Self.macro(curves.map(\.averagePrecision), classes: statistics.classes, what: "average precision")
    }
    /// Class names, in class order.
    var classes: [String] { statistics.classes }
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
        let count = classes.count
        binary = count == 2 && probabilities.count == truth.count
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
        statistics = ClassificationStatistics(truth: truth, predicted: predicted, classes: classes)
        self.notes = notes + statistics.notes
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
    static func make(output name: String, loss: LossFunction?, values: [Float], targets: [Float]?, rows: Int,
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
            var truth: [Int] = []
            if loss.kind == .sparseCategoricalCrossentropy {
                truth = targets.prefix(positions).map { Int($0) }
            } else {
                for position in 0..<positions {
                    let row = targets[(position * width)..<((position + 1) * width)]
                    guard row.allSatisfy({ $0 == 0 || $0 == 1 }), row.reduce(0, +) == 1 else {
                        let kind = loss.kind == .binaryCrossentropy ? " (several 1s is multi-label, which the report does not cover)" : ""
                        throw DataError("output '\(name)': the report's classification statistics need one-hot labels, one 1 per row; \(sampleText(position)) (counting from 0) has \(row.map { "\($0)" }.joined(separator: ", "))\(kind)")
                    }
                    truth.append(ClassificationStatistics.argmax(row))
                }
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
            return .classification(ClassificationSection(output: name, loss: loss.name, probabilities: probabilities, truth: truth,
                                                         classes: classes, notes: notes))
        }
    }
}
