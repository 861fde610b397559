import Foundation

/// Learning curves as a standalone SVG: one panel per logged quantity (loss first, then each
/// metric), the training line solid and the validation line dashed, epochs on the x axis.
public enum LearningCurves {
    public static func svg(_ history: History, title: String) -> String {
        let quantities = history.names.filter { !$0.hasPrefix("val_") && $0 != "lr" }
        let panelWidth = 420.0, panelHeight = 260.0, margin = 48.0
        let columns = min(max(quantities.count, 1), 2)
        let rows = (max(quantities.count, 1) + columns - 1) / columns
        let width = Double(columns) * panelWidth, height = Double(rows) * panelHeight + 36
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(width / 2)" y="22" text-anchor="middle" font-size="15">\(escape(title))</text>

            """
        for (index, name) in quantities.enumerated() {
            let left = Double(index % columns) * panelWidth + margin
            let top = Double(index / columns) * panelHeight + 36 + 20
            let plotWidth = panelWidth - margin - 16, plotHeight = panelHeight - margin - 36
            let train = history.values(name), validation = history.values("val_" + name)
            let all = (train + validation).compactMap { $0 }.filter(\.isFinite)
            guard let low = all.min(), let high = all.max() else { continue }
            let span = high - low > 1e-12 ? high - low : max(abs(high), 1) * 0.1
            // Losses and rates are never negative; keep their axis from dipping below zero.
            let (bottom, topValue) = (low >= 0 ? max(low - 0.05 * span, 0) : low - 0.05 * span, high + 0.05 * span)
            let count = max(train.count, 1)
            func x(_ epoch: Int) -> Double { left + (count == 1 ? plotWidth / 2 : plotWidth * Double(epoch) / Double(count - 1)) }
            func y(_ value: Double) -> Double { top + plotHeight * (1 - (value - bottom) / (topValue - bottom)) }
            // The legend takes the right-hand corner the late epochs leave free: accuracy curves
            // end high, loss curves low.
            let lateEpochs = Int((0.6 * Double(count - 1)).rounded(.up))
            let late = [train, validation].flatMap { $0.dropFirst(lateEpochs) }.compactMap { $0 }.filter(\.isFinite)
            let legendTop = late.contains { y($0) < top + 0.4 * plotHeight } ? top + plotHeight - 32 : top
            svg += "<g>\n<text x=\"\(left + plotWidth / 2)\" y=\"\(top - 6)\" text-anchor=\"middle\">\(escape(name))</text>\n"
            svg += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(plotWidth)\" height=\"\(plotHeight)\" fill=\"none\" stroke=\"#999\"/>\n"
            for tick in 0...4 {
                let value = bottom + (topValue - bottom) * Double(tick) / 4
                svg += "<text x=\"\(left - 4)\" y=\"\(y(value) + 4)\" text-anchor=\"end\" fill=\"#555\">\(String(format: "%.3g", value))</text>\n"
            }
            svg += "<text x=\"\(left)\" y=\"\(top + plotHeight + 16)\" fill=\"#555\">1</text>\n"
            svg += "<text x=\"\(left + plotWidth)\" y=\"\(top + plotHeight + 16)\" text-anchor=\"end\" fill=\"#555\">\(count)</text>\n"
            svg += "<text x=\"\(left + plotWidth / 2)\" y=\"\(top + plotHeight + 30)\" text-anchor=\"middle\" fill=\"#555\">epoch</text>\n"
            for (series, color, dash, label) in [(train, "#1f77b4", "", "train"), (validation, "#ff7f0e", " stroke-dasharray=\"6 4\"", "validation")] {
                let points = series.enumerated().compactMap { epoch, value in value.flatMap { $0.isFinite ? "\(x(epoch)),\(y($0))" : nil } }
                guard !points.isEmpty else { continue }
                svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dash) points=\"\(points.joined(separator: " "))\"/>\n"
                for point in points where points.count <= 60 {
                    let xy = point.split(separator: ",")
                    svg += "<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"2.5\" fill=\"\(color)\"/>\n"
                }
                let legendY = legendTop + 14 + (label == "train" ? 0 : 16)
                svg += "<line x1=\"\(left + plotWidth - 90)\" y1=\"\(legendY - 4)\" x2=\"\(left + plotWidth - 70)\" y2=\"\(legendY - 4)\" stroke=\"\(color)\" stroke-width=\"2\"\(dash)/>\n"
                svg += "<text x=\"\(left + plotWidth - 64)\" y=\"\(legendY)\">\(label)</text>\n"
            }
            svg += "</g>\n"
        }
        return svg + "</svg>\n"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
