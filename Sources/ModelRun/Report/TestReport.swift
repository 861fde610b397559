import Foundation
import ModelC

/// `modelc evaluate --report DIR` (and the `report/` of a train run with test data), as Ludwig's
/// `visualize`: `test_statistics.json` with the loss and metrics evaluate prints and, per output,
/// classification or regression statistics, beside SVG plots of them.
///
/// Everything is computed once, when the report is made (ReportSection); the JSON and the plots
/// only read it. Files are written atomically into DIR, made if missing, under fixed names (output
/// names are reduced to safe file-name characters), so nothing is written outside DIR.
struct TestReport {
    /// Samples of the test data (rows, not sequence positions).
    let samples: Int
    /// What evaluate prints, in its order: loss, each output's loss, the metrics.
    let metrics: [(String, Double)]
    let sections: [ReportSection]

    static let statisticsName = "test_statistics.json"

    /// The report of `network` (its weights loaded) on `data`, whose losses and metrics evaluate gave as `results`.
    static func make(network: Network, losses: [LossFunction?], data: Dataset, results: [(String, Double)], batchSize: Int,
                     classNames: [String]?) throws(DataError) -> TestReport {
        let values = Inference.predictAll(network, data, batchSize: batchSize)
        var sections: [ReportSection] = []
        for (index, name) in network.outputNames.enumerated() {
            let layer = network.model.layers[network.model.outputs[index]]
            sections.append(try ReportSection.make(output: name, loss: index < losses.count ? losses[index] : nil, activation: layer.activation,
                                                   values: values[index],
                                                   targets: index < data.targets.count ? data.targets[index] : nil,
                                                   rows: data.rows, classNames: classNames))
        }
        return TestReport(samples: data.rows, metrics: results, sections: sections)
    }

    /// The file name of plot `kind` of `section`: `kind.svg` for a model with one output, else
    /// `<output>_kind.svg` with the output name in safe characters.
    func fileName(_ kind: String, of section: ReportSection) -> String {
        sections.count == 1 ? kind + ".svg" : Self.safe(section.output) + "_" + kind + ".svg"
    }

    /// Letters, digits, `_`, `-` and `.` kept (a leading dot too is replaced), everything else `_`.
    static func safe(_ name: String) -> String {
        var safe = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) ? $0 : "_" })
        if safe.hasPrefix(".") { safe = "_" + safe.dropFirst() }
        return safe.isEmpty ? "_" : safe
    }

    /// Every file of the report: name (inside DIR) and contents, the statistics first.
    var files: [(name: String, contents: String)] {
        var files: [(String, String)] = []
        for section in sections {
            switch section {
            case .classification(let classification):
                if let statistics = classification.statistics {
                    files.append((fileName("confusion_matrix", of: section), ReportPlots.confusionMatrix(classification, statistics, normalized: false)))
                    files.append((fileName("confusion_matrix_normalized", of: section),
                                  ReportPlots.confusionMatrix(classification, statistics, normalized: true)))
                }
                files.append((fileName("roc", of: section), ReportPlots.roc(classification)))
                files.append((fileName("precision_recall", of: section), ReportPlots.precisionRecall(classification)))
                files.append((fileName("calibration", of: section), ReportPlots.calibration(classification)))
            case .regression(let regression):
                files.append((fileName("predicted_vs_true", of: section), ReportPlots.predictedVersusTrue(regression)))
                files.append((fileName("residuals", of: section), ReportPlots.residuals(regression)))
            case .skipped:
                break
            }
        }
        return [(Self.statisticsName, json(plots: files.map(\.0)).rendered() + "\n")] + files
    }

    /// Writes every file into `directory` (made if missing); returns the names written.
    @discardableResult
    func write(to directory: String) throws(DataError) -> [String] {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw DataError("--report \(directory) is a file; give a folder for the report (it is made if missing)")
        }
        try AtomicFile.makeDirectory(directory)
        let files = files
        for (name, contents) in files {
            // Fixed names and safe output names: never a separator or "..", so every file stays in `directory`.
            precondition(!name.contains("/") && name != ".." && name != ".", "report file names stay inside the folder")
            try AtomicFile.write(contents, to: directory + "/" + name)
        }
        return files.map(\.name)
    }

    // MARK: JSON

    func json(plots: [String]) -> JSONValue {
        .object([
            ("samples", .int(samples)),
            ("loss", metrics.first { $0.0 == "loss" }.map { .double($0.1) } ?? .null),
            ("metrics", .object(metrics.map { ($0.0, .double($0.1)) })),
            ("outputs", .object(sections.map { ($0.output, Self.json($0)) })),
            ("plots", .array(plots.map { .string($0) })),
        ])
    }

    static func json(_ section: ReportSection) -> JSONValue {
        switch section {
        case .skipped(_, let reason):
            return .object([("kind", .string("none")), ("reason", .string(reason))])
        case .regression(let regression):
            var fields: [(String, JSONValue)] = [("kind", .string("regression")), ("loss", .string(regression.loss)),
                                                 ("samples", .int(regression.statistics.first?.samples ?? 0))]
            fields.append(("columns", .object(zip(regression.columns, regression.statistics).map { ($0, json($1)) })))
            if regression.statistics.count > 1 {
                // sklearn's multioutput="uniform_average": the plain mean over the columns.
                let count = Double(regression.statistics.count)
                func mean(_ value: (RegressionStatistics) -> Double) -> JSONValue { .double(regression.statistics.map(value).reduce(0, +) / count) }
                var average: [(String, JSONValue)] = [("mse", mean(\.meanSquaredError)), ("mae", mean(\.meanAbsoluteError)),
                                                      ("rmse", mean(\.rootMeanSquaredError))]
                put(&average, "r2", macro(regression.statistics.map(\.r2)))
                put(&average, "explained_variance", macro(regression.statistics.map(\.explainedVariance)))
                fields.append(("uniform_average", .object(average)))
            }
            return .object(fields)
        case .classification(let classification):
            return json(classification)
        }
    }

    static func macro(_ values: [Result<Double, Undefined>]) -> Result<Double, Undefined> {
        if let reason = values.compactMap(\.reason).first { return .failure(Undefined(reason)) }
        return .success(values.compactMap(\.value).reduce(0, +) / Double(max(values.count, 1)))
    }

    static func json(_ statistics: RegressionStatistics) -> JSONValue {
        var fields: [(String, JSONValue)] = [("mse", .double(statistics.meanSquaredError)), ("mae", .double(statistics.meanAbsoluteError)),
                                             ("rmse", .double(statistics.rootMeanSquaredError))]
        put(&fields, "r2", statistics.r2)
        put(&fields, "explained_variance", statistics.explainedVariance)
        return .object(fields)
    }

    /// `key`: the value, or null and `key_reason` saying why it is undefined.
    static func put(_ fields: inout [(String, JSONValue)], _ key: String, _ value: Result<Double, Undefined>) {
        switch value {
        case .success(let number): fields.append((key, .double(number)))
        case .failure(let undefined):
            fields.append((key, .null))
            fields.append((key + "_reason", .string(undefined.reason)))
        }
    }

    static func json(_ section: ClassificationSection) -> JSONValue {
        guard let statistics = section.statistics else { return multiLabelJSON(section) }
        var fields: [(String, JSONValue)] = [
            ("kind", .string(section.binary ? "binary" : "multiclass")), ("loss", .string(section.loss)),
            ("samples", .int(statistics.macro.support)), ("classes", .array(section.classes.map { .string($0) })),
        ]
        if section.binary {
            fields.append(("threshold", .double(ClassificationSection.threshold)))
            fields.append(("decision", .string("\(section.classes[1]) when its probability is above 0.5 (as Keras's binary_accuracy)")))
        } else {
            fields.append(("decision", .string("the class of the highest probability (argmax; the first of equal ones)")))
        }
        fields.append(("accuracy", .double(statistics.accuracy)))
        var perClass: [(String, JSONValue)] = []
        for (index, scores) in statistics.perClass.enumerated() {
            var entry: [(String, JSONValue)] = [("precision", .double(scores.precision)), ("recall", .double(scores.recall)),
                                                ("f1", .double(scores.f1)), ("support", .int(scores.support))]
            if !section.binary {
                put(&entry, "roc_auc", section.curves[index].rocAUC)
                put(&entry, "average_precision", section.curves[index].averagePrecision)
            }
            perClass.append((section.classes[index], .object(entry)))
        }
        fields.append(("per_class", .object(perClass)))
        fields.append(("macro_avg", averages(statistics.macro)))
        fields.append(("weighted_avg", averages(statistics.weighted)))
        if section.binary {
            fields.append(("positive_class", .string(section.classes[1])))
            put(&fields, "roc_auc", section.curves[0].rocAUC)
            put(&fields, "average_precision", section.curves[0].averagePrecision)
        } else {
            // One-vs-rest per class (in per_class), and their unweighted means, as sklearn's multi_class="ovr", average="macro".
            put(&fields, "roc_auc_macro", section.macroROCAUC)
            put(&fields, "average_precision_macro", section.macroAveragePrecision)
        }
        fields.append(("confusion_matrix", .object([
            ("rows", .string("true class")), ("columns", .string("predicted class")),
            ("labels", .array(section.classes.map { .string($0) })),
            ("counts", .array(statistics.confusion.map { .array($0.map { .int($0) }) })),
            ("normalized", .array(statistics.rowNormalized.map { .array($0.map { .double($0) }) })),
        ])))
        fields.append(("calibration", section.binary ? bins(section.calibration[0])
                        : .object(zip(section.classes, section.calibration).map { ($0, bins($1)) })))
        fields.append(("notes", .array(section.notes.map { .string($0) })))
        return .object(fields)
    }

    static func averages(_ average: ClassificationStatistics.Averages) -> JSONValue {
        .object([("precision", .double(average.precision)), ("recall", .double(average.recall)), ("f1", .double(average.f1)),
                 ("support", .int(average.support))])
    }

    /// Calibration bins as a list of {lower, upper, count, mean_predicted, fraction_positive}.
    static func bins(_ calibration: CalibrationBins) -> JSONValue {
            .array(calibration.bins.map { bin in
                .object([("lower", .double(bin.lower)), ("upper", .double(bin.upper)), ("count", .int(bin.count)),
                         ("mean_predicted", bin.meanPredicted.map { .double($0) } ?? .null),
                         ("fraction_positive", bin.fractionPositive.map { .double($0) } ?? .null)])
            })
    }

    /// A multi-label output: per class its presence's precision, recall, F1, support, 2×2
    /// confusion matrix (rows true absent/present, columns predicted), ROC AUC and average
    /// precision; macro, weighted and micro averages (sklearn's multilabel classification_report).
    static func multiLabelJSON(_ section: ClassificationSection) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("kind", .string("multilabel")), ("loss", .string(section.loss)), ("samples", .int(section.samples)),
            ("classes", .array(section.classes.map { .string($0) })), ("threshold", .double(ClassificationSection.threshold)),
            ("decision", .string("each class on its own: present when its probability is above 0.5 (as Keras's binary_accuracy)")),
            ("subset_accuracy", .double(section.subsetAccuracy ?? 0)), ("label_accuracy", .double(section.labelAccuracy ?? 0)),
        ]
        var perClass: [(String, JSONValue)] = []
        for (index, scores) in section.labelScores.enumerated() {
            var entry: [(String, JSONValue)] = [("precision", .double(scores.precision)), ("recall", .double(scores.recall)),
                                                ("f1", .double(scores.f1)), ("support", .int(scores.support))]
            put(&entry, "roc_auc", section.curves[index].rocAUC)
            put(&entry, "average_precision", section.curves[index].averagePrecision)
            entry.append(("confusion_matrix", .array(section.labelStatistics[index].confusion.map { .array($0.map { .int($0) }) })))
            perClass.append((section.classes[index], .object(entry)))
        }
        fields.append(("per_class", .object(perClass)))
        let (macro, weighted) = section.labelAverages
        fields.append(("macro_avg", averages(macro)))
        fields.append(("weighted_avg", averages(weighted)))
        fields.append(("micro_avg", averages(section.microAverages)))
        put(&fields, "roc_auc_macro", section.macroROCAUC)
        put(&fields, "average_precision_macro", section.macroAveragePrecision)
        fields.append(("calibration", .object(zip(section.classes, section.calibration).map { ($0, bins($1)) })))
        fields.append(("notes", .array(section.notes.map { .string($0) })))
        return .object(fields)
    }
}
