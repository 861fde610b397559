import Foundation

/// The test report's plots as standalone SVG, drawn on the learning curves' ChartPanel and
/// ChartAxis: ROC, precision–recall and calibration curves here, the confusion matrix and the
/// regression plots in their own files. Legends stand right of the plot, outside it, so no curve
/// is ever hidden and no label overlaps one.
enum ReportPlots {
    static let colors = RunComparison.colors
    /// Plot area of a square panel, and the margins around it (y labels and name at the left, x
    /// labels and name below, the title above).
    static let side = 360.0, leftMargin = 76.0, topMargin = 58.0, bottomMargin = 50.0
    /// A 12px sans-serif character is at most this wide on average (for room around labels).
    static let characterWidth = 7.0

    /// One line of a curve plot: its points (already in plot units), the legend text, a step
    /// drawing (horizontal, then vertical: precision–recall) or straight segments, dots at points.
    struct Series {
        var label: String
        var points: [(x: Double, y: Double)]
        var steps = false
        var dots = false
        /// Per point, its dot's radius and tooltip (with `dots`; nil: 3 and none).
        var marks: [(radius: Double, note: String)]? = nil
    }

    static func header(width: Double, height: Double, title: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width.rounded(.up)))" height="\(Int(height.rounded(.up)))" viewBox="0 0 \(Int(width.rounded(.up))) \(Int(height.rounded(.up)))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(width / 2)" y="22" text-anchor="middle" font-size="15">\(LearningCurves.escape(title))</text>

        """
    }

    /// Room for a 15px title and a margin on each side.
    static func titleWidth(_ title: String) -> Double { Double(title.count) * 8.6 + 32 }

    static func color(_ index: Int) -> String { colors[index % colors.count] }

    /// Dashes for the second and later rounds of the colours, so more than ten series stay apart.
    static func dash(_ index: Int) -> String { index < colors.count ? "" : " stroke-dasharray=\"\(["6 3", "2 2", "8 3 2 3"][(index / colors.count - 1) % 3])\"" }

    /// A unit-square panel ([0, 1] on both axes) of `series` with a legend right of it; `reference`
    /// is a dashed grey line (from, to, legend text): the chance diagonal, a baseline.
    static func curves(title: String, panelTitle: String, xName: String, yName: String, series: [Series],
                       reference: ((Double, Double), (Double, Double), String)?, empty: String?) -> String {
        let unit = ChartAxis(low: 0, high: 1, count: 6)
        let legend = series.map(\.label) + (reference.map { [$0.2] } ?? [])
        let legendWidth = 44 + characterWidth * Double(legend.map(\.count).max() ?? 0)
        let width = max(leftMargin + side + 24 + legendWidth + 16, titleWidth(title))
        let height = max(topMargin + side + bottomMargin, topMargin + 16 * Double(legend.count) + 20)
        let panel = ChartPanel(left: leftMargin, top: topMargin, width: side, height: side, axis: unit, epochs: 1,
                               xAxis: unit, xName: xName, yName: yName)
        var svg = header(width: width, height: height, title: title) + panel.frame(title: panelTitle)
        if let (from, to, _) = reference {
            svg += "<line x1=\"\(panel.x(value: from.0))\" y1=\"\(panel.y(from.1))\" x2=\"\(panel.x(value: to.0))\" y2=\"\(panel.y(to.1))\" stroke=\"#999\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\"/>\n"
        }
        for (index, line) in series.enumerated() where !line.points.isEmpty {
            var points: [(x: Double, y: Double)] = []
            for (offset, point) in line.points.enumerated() {
                if line.steps, offset > 0 { points.append((line.points[offset - 1].x, point.y)) }
                points.append((point.x, point.y))
            }
            let text = drawn(points).map { "\(coordinate(panel.x(value: $0.x))),\(coordinate(panel.y($0.y)))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(color(index))\" stroke-width=\"2\"\(dash(index)) points=\"\(text)\"/>\n"
            if line.dots {
                for (offset, point) in line.points.enumerated() {
                    let mark = line.marks?[offset]
                    let tooltip = mark.map { "<title>\(LearningCurves.escape($0.note))</title>" } ?? ""
                    svg += "<circle cx=\"\(coordinate(panel.x(value: point.x)))\" cy=\"\(coordinate(panel.y(point.y)))\" r=\"\(String(format: "%.1f", mark?.radius ?? 3))\" fill=\"\(color(index))\" fill-opacity=\"0.8\">\(tooltip)</circle>\n"
                }
            }
        }
        if let empty {
            let boxWidth = characterWidth * Double(empty.count) + 16
            svg += "<rect x=\"\(leftMargin + (side - boxWidth) / 2)\" y=\"\(topMargin + side / 2 - 16)\" width=\"\(boxWidth)\" height=\"24\" fill=\"white\" stroke=\"#ddd\"/>\n"
            svg += "<text x=\"\(leftMargin + side / 2)\" y=\"\(topMargin + side / 2)\" text-anchor=\"middle\" fill=\"#b00\">\(LearningCurves.escape(empty))</text>\n"
        }
        let legendLeft = leftMargin + side + 24
        for (index, label) in legend.enumerated() {
            let ly = topMargin + 12 + 16 * Double(index)
            let isReference = index >= series.count
            let stroke = isReference ? "stroke=\"#999\" stroke-dasharray=\"5 4\"" : "stroke=\"\(color(index))\"\(dash(index))"
            svg += "<line x1=\"\(legendLeft)\" y1=\"\(ly - 4)\" x2=\"\(legendLeft + 26)\" y2=\"\(ly - 4)\" \(stroke) stroke-width=\"2\"/>\n"
            svg += "<text x=\"\(legendLeft + 32)\" y=\"\(ly)\">\(LearningCurves.escape(label))</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// The points of a line without those in the middle of a straight horizontal or vertical run
    /// (the same drawing; sklearn's `drop_intermediate`), so a curve of 25,000 samples stays small.
    static func drawn(_ points: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
        guard points.count > 2 else { return points }
        var kept = [points[0]]
        for index in 1..<(points.count - 1) {
            let before = kept[kept.count - 1], point = points[index], after = points[index + 1]
            let vertical = before.x == point.x && point.x == after.x, horizontal = before.y == point.y && point.y == after.y
            if !vertical && !horizontal { kept.append(point) }
        }
        kept.append(points[points.count - 1])
        return kept
    }

    /// An SVG coordinate to a hundredth of a pixel.
    static func coordinate(_ value: Double) -> String { String(format: "%.2f", value) }

    /// A class name as a legend shows it: cut to 32 characters (with "…").
    static func legendName(_ name: String) -> String { name.count > 32 ? String(name.prefix(31)) + "…" : name }

    /// "0.9375", or "undefined" for a statistic without a value.
    static func number(_ value: Result<Double, Undefined>) -> String { value.value.map { String(format: "%.4f", $0) } ?? "undefined" }

    /// Curves one plot shows at most: the classes with the most samples beyond (the JSON has them all).
    static let curveLimit = 20

    /// The classes a plot shows curves of: the positive class of a binary output, every class of a
    /// multi-class one (the `curveLimit` with the most samples when there are more), in class order.
    static func curveClasses(_ section: ClassificationSection) -> [(name: String, index: Int)] {
        if section.binary { return [("class " + legendName(section.classes[1]), 0)] }
        var indices = Array(section.classes.indices)
        if indices.count > curveLimit {
            let support = section.curves.map(\.positives)
            indices = Array(indices.sorted { support[$0] > support[$1] || (support[$0] == support[$1] && $0 < $1) }.prefix(curveLimit)).sorted()
        }
        return indices.map { (legendName(section.classes[$0]), $0) }
    }

    /// The panel title of one-vs-rest curves, saying when only some classes are drawn.
    static func oneVersusRest(_ section: ClassificationSection) -> String {
        let kind = section.kind == .multilabel ? "each class" : "one vs rest"
        return section.classes.count > curveLimit ? "\(kind): the \(curveLimit) of \(section.classes.count) classes with the most samples" : kind
    }

    /// ROC curves (one-vs-rest per class for multi-class) with the chance diagonal; AUC in the legend.
    static func roc(_ section: ClassificationSection) -> String {
        let series = curveClasses(section).map { name, index in
            Series(label: "\(name) (AUC \(number(section.curves[index].rocAUC)))", points: section.curves[index].roc)
        }
        let macro = section.binary ? "" : " (macro AUC \(number(section.macroROCAUC)))"
        let defined = series.contains { !$0.points.isEmpty }
        return curves(title: "ROC curve: \(section.output)\(macro)", panelTitle: section.binary ? "positive class \(legendName(section.classes[1]))" : oneVersusRest(section),
                      xName: "false positive rate", yName: "true positive rate", series: series,
                      reference: ((0, 0), (1, 1), "chance"), empty: defined ? nil : "undefined: the labels hold one class only")
    }

    /// Precision–recall curves as steps (their area is the average precision, given in the legend),
    /// with the positives' share as the chance baseline of a binary output.
    static func precisionRecall(_ section: ClassificationSection) -> String {
        let series = curveClasses(section).map { name, index in
            Series(label: "\(name) (AP \(number(section.curves[index].averagePrecision)))", points: section.curves[index].precisionRecall,
                   steps: true)
        }
        var reference: ((Double, Double), (Double, Double), String)?
        if section.binary, section.curves[0].positives > 0 {
            let curve = section.curves[0]
            let share = Double(curve.positives) / Double(curve.positives + curve.negatives)
            reference = ((0, share), (1, share), "chance (\(String(format: "%.2f", share)) positive)")
        }
        let macro = section.binary ? "" : " (macro AP \(number(section.macroAveragePrecision)))"
        let defined = series.contains { !$0.points.isEmpty }
        return curves(title: "Precision-recall: \(section.output)\(macro)", panelTitle: section.binary ? "positive class \(legendName(section.classes[1]))" : oneVersusRest(section),
                      xName: "recall", yName: "precision", series: series, reference: reference,
                      empty: defined ? nil : "undefined: no positive samples")
    }

    /// The reliability diagram: per bin of predicted probability (10 of [0, 1]), the mean predicted
    /// against the fraction positive, with the diagonal of perfect calibration; empty bins skipped.
    /// A dot's area grows with its bin's samples (a bin of a few samples says little).
    static func calibration(_ section: ClassificationSection) -> String {
        let largest = Double(section.calibration.flatMap { $0.bins.map(\.count) }.max() ?? 1)
        let series = curveClasses(section).map { name, index in
            let bins = section.calibration[index].bins.filter { $0.count > 0 }
            let marks = bins.map { bin in
                (radius: 2 + 5 * (Double(bin.count) / max(largest, 1)).squareRoot(),
                 note: "\(bin.count) samples in (\(String(format: "%.1f", bin.lower)), \(String(format: "%.1f", bin.upper))]")
            }
            return Series(label: name, points: bins.map { ($0.meanPredicted ?? 0, $0.fractionPositive ?? 0) }, dots: true, marks: marks)
        }
        let shown = section.classes.count > curveLimit ? ", \(curveLimit) of \(section.classes.count) classes" : ""
        return curves(title: "Calibration: \(section.output)", panelTitle: "10 bins of predicted probability (dot area: samples)\(shown)",
                      xName: "mean predicted probability", yName: "fraction positive", series: series,
                      reference: ((0, 0), (1, 1), "perfectly calibrated"), empty: nil)
    }
}
