import Foundation

extension ReportPlots {
    /// Points drawn at most per scatter panel (every k-th sample beyond, said in the panel title):
    /// the SVG of a large test set stays small.
    static let scatterLimit = 4000

    /// Panels of a regression plot: one per column, two to a row.
    static func panels(_ count: Int, title: String, draw: (Int, Double, Double) -> String) -> String {
        let panelWidth = leftMargin + side + 30, panelHeight = topMargin - 28 + side + bottomMargin + 10
        let columns = min(max(count, 1), 2)
        let rows = (max(count, 1) + columns - 1) / columns
        let width = max(Double(columns) * panelWidth, titleWidth(title)), height = 30 + Double(rows) * panelHeight
        var svg = header(width: width, height: height, title: title)
        for index in 0..<count {
            let left = Double(index % columns) * panelWidth + leftMargin
            let top = 30 + Double(index / columns) * panelHeight + topMargin - 28
            svg += "<g>\n" + draw(index, left, top) + "</g>\n"
        }
        return svg + "</svg>\n"
    }

    /// Predicted against true values per column, on one scale for both axes, with the line y = x
    /// where every prediction would lie were it exact; R² in the panel title.
    static func predictedVersusTrue(_ section: RegressionSection) -> String {
        panels(section.columns.count, title: "Predicted vs true: \(section.output)") { index, left, top in
            let truth = section.truth[index], predicted = section.predicted[index]
            let all = (truth + predicted)
            let axis = ChartAxis(low: all.min() ?? 0, high: all.max() ?? 1, count: 6)
            let panel = ChartPanel(left: left, top: top, width: side, height: side, axis: axis, epochs: 1, xAxis: axis,
                                   xName: "true value", yName: "predicted value")
            let stride = max(1, (truth.count + scatterLimit - 1) / scatterLimit)
            let shown = stride > 1 ? ", 1 in \(stride) of \(truth.count) shown" : ""
            var svg = panel.frame(title: "\(section.columns[index]): R² \(number(section.statistics[index].r2))\(shown)")
            svg += "<line x1=\"\(panel.x(value: axis.low))\" y1=\"\(panel.y(axis.low))\" x2=\"\(panel.x(value: axis.high))\" y2=\"\(panel.y(axis.high))\" stroke=\"#999\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\"/>\n"
            for sample in Swift.stride(from: 0, to: truth.count, by: stride) {
                svg += "<circle cx=\"\(coordinate(panel.x(value: truth[sample])))\" cy=\"\(coordinate(panel.y(predicted[sample])))\" r=\"2.5\" fill=\"\(color(0))\" fill-opacity=\"0.6\"/>\n"
            }
            svg += "<text x=\"\(left + side - 6)\" y=\"\(top + side - 8)\" text-anchor=\"end\" fill=\"#777\">dashed: y = x</text>\n"
            return svg
        }
    }

    /// A histogram per column of the residuals (true − predicted), about √n equal bins (5 to 30)
    /// over their range, with 0 marked.
    static func residuals(_ section: RegressionSection) -> String {
        panels(section.columns.count, title: "Residuals: \(section.output)") { index, left, top in
            let residuals = zip(section.truth[index], section.predicted[index]).map { $0 - $1 }
            var low = residuals.min() ?? 0, high = residuals.max() ?? 0
            if high - low < 1e-12 {
                let pad = max(abs(high), 1) * 0.1
                (low, high) = (low - pad, high + pad)
            }
            let binCount = min(30, max(5, Int(Double(residuals.count).squareRoot().rounded())))
            let binWidth = (high - low) / Double(binCount)
            var counts = Array(repeating: 0, count: binCount)
            for residual in residuals { counts[min(binCount - 1, Int((residual - low) / binWidth))] += 1 }
            let xAxis = ChartAxis(low: min(low, 0), high: max(high, 0), count: 6)
            let yAxis = ChartAxis(low: 0, high: Double(max(counts.max() ?? 0, 4)), count: 5, floorAtZero: true)
            let panel = ChartPanel(left: left, top: top, width: side, height: side, axis: yAxis, epochs: 1, xAxis: xAxis,
                                   xName: "residual (true − predicted)", yName: "samples")
            let statistics = section.statistics[index]
            var svg = panel.frame(title: "\(section.columns[index]): MAE \(String(format: "%.4g", statistics.meanAbsoluteError)), RMSE \(String(format: "%.4g", statistics.rootMeanSquaredError))")
            for (bin, count) in counts.enumerated() where count > 0 {
                let x0 = panel.x(value: low + binWidth * Double(bin)), x1 = panel.x(value: low + binWidth * Double(bin + 1))
                svg += "<rect x=\"\(x0)\" y=\"\(panel.y(Double(count)))\" width=\"\(max(x1 - x0 - 1, 0.5))\" height=\"\(panel.y(0) - panel.y(Double(count)))\" fill=\"\(color(0))\" fill-opacity=\"0.8\"><title>\(count) in [\(String(format: "%.4g", low + binWidth * Double(bin))), \(String(format: "%.4g", low + binWidth * Double(bin + 1))))</title></rect>\n"
            }
            svg += "<line x1=\"\(panel.x(value: 0))\" y1=\"\(top)\" x2=\"\(panel.x(value: 0))\" y2=\"\(top + side)\" stroke=\"#d62728\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\"/>\n"
            return svg
        }
    }
}
