import Foundation

/// Learning curves as a standalone SVG: one panel per logged quantity (loss first, then each metric,
/// then the learning rate when a callback changed it), the training line solid and the validation
/// line dashed. Both axes have ticks at nice values with light gridlines; every epoch is on the x
/// axis (a tick per epoch while they fit, else at nice steps); a loss that falls over two orders of
/// magnitude gets a log scale; the epoch EarlyStopping restored is marked.
public enum LearningCurves {
    static let panelWidth = 440.0, panelHeight = 270.0
    /// Room for the y labels at the left (widest: "0.00815"), the epoch labels below.
    static let leftMargin = 64.0, rightMargin = 18.0, bottomMargin = 40.0, titleHeight = 36.0

    /// `restoredEpoch` (from 1) is drawn as a marked vertical line.
    public static func svg(_ history: History, title: String, restoredEpoch: Int? = nil) -> String {
        var quantities = history.names.filter { !$0.hasPrefix("val_") && $0 != "lr" }
        let rates = history.values("lr").compactMap { $0 }
        if Set(rates).count > 1 { quantities.append("lr") }
        let columns = min(max(quantities.count, 1), 2)
        let rows = (max(quantities.count, 1) + columns - 1) / columns
        let width = Double(columns) * panelWidth, height = Double(rows) * panelHeight + titleHeight
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(width / 2)" y="22" text-anchor="middle" font-size="15">\(escape(title))</text>

            """
        let count = max(history.epochs.count, 1)
        for (index, name) in quantities.enumerated() {
            let left = Double(index % columns) * panelWidth + leftMargin
            let top = Double(index / columns) * panelHeight + titleHeight + 20
            let plotWidth = panelWidth - leftMargin - rightMargin, plotHeight = panelHeight - bottomMargin - 36
            let train = history.values(name), validation = name == "lr" ? [] : history.values("val_" + name)
            let all = (train + validation).compactMap { $0 }.filter(\.isFinite)
            guard let low = all.min(), let high = all.max() else { continue }
            let isLoss = name.hasSuffix("loss")
            let axis = ChartAxis(low: low, high: high, floorAtZero: low >= 0, logarithmic: isLoss && low > 0 && high / low >= 100)
            let panel = ChartPanel(left: left, top: top, width: plotWidth, height: plotHeight, axis: axis, epochs: count)
            func x(_ epoch: Int) -> Double { panel.x(epoch) }
            func y(_ value: Double) -> Double { panel.y(value) }
            svg += "<g>\n" + panel.frame(title: name == "lr" ? "learning rate" : name)
            if let restored = restoredEpoch, restored >= 1, restored <= count {
                let rx = x(restored - 1)
                svg += "<line x1=\"\(rx)\" y1=\"\(top)\" x2=\"\(rx)\" y2=\"\(top + plotHeight)\" stroke=\"#2ca02c\" stroke-width=\"1.5\" stroke-dasharray=\"3 3\"/>\n"
                let anchor = rx > left + plotWidth - 70 ? "end" : "start"
                svg += "<text x=\"\(rx + (anchor == "end" ? -4 : 4))\" y=\"\(top + 12)\" text-anchor=\"\(anchor)\" fill=\"#2ca02c\">restored (epoch \(restored))</text>\n"
            }
            // The legend takes the right-hand corner the late epochs leave free: accuracy curves end
            // high, loss curves low.
            let lateEpochs = Int((0.6 * Double(count - 1)).rounded(.up))
            let late = [train, validation].flatMap { $0.dropFirst(lateEpochs) }.compactMap { $0 }.filter(\.isFinite)
            let legendTop = late.contains { y($0) < top + 0.4 * plotHeight } ? top + plotHeight - 32 : top
            let series = [(train, "#1f77b4", "", name == "lr" ? "lr" : "train"),
                          (validation, "#ff7f0e", " stroke-dasharray=\"6 4\"", "validation")]
                .filter { $0.0.contains { $0?.isFinite == true } }
            for (values, color, dash, _) in series {
                svg += panel.polyline(values, color: color, dash: dash, dots: true) ?? ""
            }
            // The legend over the curves, on a light box that keeps it readable where a curve passes.
            svg += "<rect x=\"\(left + plotWidth - 96)\" y=\"\(legendTop + 2)\" width=\"94\" height=\"\(16 * series.count + 4)\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#ddd\"/>\n"
            for (row, (_, color, dash, label)) in series.enumerated() {
                let legendY = legendTop + 14 + Double(16 * row)
                svg += "<line x1=\"\(left + plotWidth - 90)\" y1=\"\(legendY - 4)\" x2=\"\(left + plotWidth - 70)\" y2=\"\(legendY - 4)\" stroke=\"\(color)\" stroke-width=\"2\"\(dash)/>\n"
                svg += "<text x=\"\(left + plotWidth - 64)\" y=\"\(legendY)\">\(label)</text>\n"
            }
            svg += "</g>\n"
        }
        return svg + "</svg>\n"
    }

    /// Epochs (from 1) labelled on the x axis: every one while at most 15, else nice steps, always
    /// with the first and the last.
    static func epochTicks(_ count: Int) -> [Int] {
        guard count > 15 else { return Array(1...max(count, 1)) }
        let step = Int(ChartAxis.niceStep(Double(count) / 10))
        var ticks = [1] + stride(from: step, through: count, by: step).map { $0 }
        if ticks.last != count {
            // Keep the last epoch, dropping a nice tick too close to it to have room.
            if let last = ticks.last, Double(count - last) < Double(step) * 0.5 { ticks.removeLast() }
            ticks.append(count)
        }
        return ticks
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
