import Foundation

/// A chart axis: the data range widened to "nice" ticks (1, 2 or 5 × 10ⁿ), or, on a log scale,
/// to whole decades with ticks at 1, 2 and 5 × 10ⁿ while there are few decades. Labels carry as
/// many decimals as the step needs, so 0.00815 is written whole, not clipped.
struct ChartAxis {
    let low: Double
    let high: Double
    let ticks: [Double]
    let logarithmic: Bool

    /// About `count` ticks over [low, high]; `floorAtZero` keeps a non-negative quantity's axis ≥ 0.
    init(low: Double, high: Double, count: Int = 5, floorAtZero: Bool = false, logarithmic: Bool = false) {
        self.logarithmic = logarithmic && low > 0 && high > low
        if self.logarithmic {
            let first = floor(log10(low)), last = ceil(log10(high))
            self.low = pow(10, first)
            self.high = pow(10, max(last, first + 1))
            let decades = Int(max(last, first + 1) - first)
            var ticks: [Double] = []
            for exponent in Int(first)...Int(max(last, first + 1)) {
                for mantissa in decades <= 2 ? [1.0, 2, 5] : [1.0] {
                    let value = mantissa * pow(10, Double(exponent))
                    if value >= self.low * (1 - 1e-9), value <= self.high * (1 + 1e-9) { ticks.append(value) }
                }
            }
            self.ticks = ticks
            return
        }
        var low = low, high = high
        if high - low < 1e-12 {
            let pad = max(abs(high), 1) * 0.1
            low -= pad
            high += pad
        }
        let step = Self.niceStep((high - low) / Double(max(count - 1, 1)))
        var start = floor(low / step) * step
        if floorAtZero, start < 0, low >= 0 { start = 0 }
        let end = ceil(high / step) * step
        self.low = start
        self.high = end > start ? end : start + step
        var ticks: [Double] = []
        var value = start
        while value <= self.high + step * 1e-6 {
            ticks.append(abs(value) < step * 1e-9 ? 0 : value)
            value += step
        }
        self.ticks = ticks
    }

    /// 1, 2 or 5 × 10ⁿ, the smallest at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, floor(log10(raw)))
        for multiple in [1.0, 2, 5, 10] where multiple * magnitude >= raw * (1 - 1e-9) { return multiple * magnitude }
        return 10 * magnitude
    }

    /// Where `value` falls between 0 (low) and 1 (high).
    func fraction(_ value: Double) -> Double {
        if logarithmic { return (log10(max(value, low)) - log10(low)) / (log10(high) - log10(low)) }
        return (value - low) / (high - low)
    }

    /// The tick's label, with the decimals its step needs (exponent form on a log axis of small values).
    func label(_ value: Double) -> String {
        if logarithmic {
            if value >= 1e-3 && value < 1e5 {
                let decimals = max(0, Int(-floor(log10(value))))
                return String(format: "%.\(decimals)f", value)
            }
            return String(format: "%.0e", value)
        }
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
        let decimals = max(0, Int(-floor(log10(step) + 1e-9)))
        return String(format: "%.\(min(decimals, 8))f", value)
    }
}

/// One chart panel: its plot area, the value (y) axis, and on x either epochs (the learning curves
/// and `modelc compare`) or a value axis (the test report's curves, scatter and histogram), and the
/// SVG of its frame (title, gridlines, tick labels on both axes, border, axis names).
struct ChartPanel {
    let left: Double
    let top: Double
    let width: Double
    let height: Double
    let axis: ChartAxis
    /// Epochs on the x axis (from 1 to this), unless `xAxis` is given.
    let epochs: Int
    /// A value axis on x in place of the epochs.
    var xAxis: ChartAxis? = nil
    /// The x axis's name, under its labels.
    var xName = "epoch"
    /// The y axis's name, written upwards left of its labels (nil: none).
    var yName: String? = nil

    /// x of epoch `index` (from 0).
    func x(_ index: Int) -> Double { left + (epochs == 1 ? width / 2 : width * Double(index) / Double(epochs - 1)) }

    /// x of `value` on `xAxis`.
    func x(value: Double) -> Double { left + width * (xAxis?.fraction(value) ?? 0.5) }

    func y(_ value: Double) -> Double { top + height * (1 - axis.fraction(value)) }

    /// Title, gridlines with value labels, x ticks with labels, the border and the axis names.
    func frame(title: String) -> String {
        var svg = "<text x=\"\(left + width / 2)\" y=\"\(top - 6)\" text-anchor=\"middle\">\(LearningCurves.escape(title))\(axis.logarithmic ? " (log scale)" : "")</text>\n"
        for tick in axis.ticks {
            svg += "<line x1=\"\(left)\" y1=\"\(y(tick))\" x2=\"\(left + width)\" y2=\"\(y(tick))\" stroke=\"#e6e6e6\"/>\n"
            svg += "<text x=\"\(left - 5)\" y=\"\(y(tick) + 4)\" text-anchor=\"end\" fill=\"#555\">\(axis.label(tick))</text>\n"
        }
        let xTicks: [(Double, String)] = xAxis.map { axis in axis.ticks.map { (x(value: $0), axis.label($0)) } }
            ?? LearningCurves.epochTicks(epochs).map { (x($0 - 1), String($0)) }
        for (tx, label) in xTicks {
            svg += "<line x1=\"\(tx)\" y1=\"\(top)\" x2=\"\(tx)\" y2=\"\(top + height)\" stroke=\"#f0f0f0\"/>\n"
            svg += "<line x1=\"\(tx)\" y1=\"\(top + height)\" x2=\"\(tx)\" y2=\"\(top + height + 4)\" stroke=\"#999\"/>\n"
            svg += "<text x=\"\(tx)\" y=\"\(top + height + 16)\" text-anchor=\"middle\" fill=\"#555\">\(label)</text>\n"
        }
        svg += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(width)\" height=\"\(height)\" fill=\"none\" stroke=\"#999\"/>\n"
        svg += "<text x=\"\(left + width / 2)\" y=\"\(top + height + 32)\" text-anchor=\"middle\" fill=\"#555\">\(LearningCurves.escape(xName))</text>\n"
        if let yName {
            let labelWidth = Double(axis.ticks.map { axis.label($0).count }.max() ?? 1) * 7
            let yx = left - labelWidth - 14, yy = top + height / 2
            svg += "<text x=\"\(yx)\" y=\"\(yy)\" transform=\"rotate(-90 \(yx) \(yy))\" text-anchor=\"middle\" fill=\"#555\">\(LearningCurves.escape(yName))</text>\n"
        }
        return svg
    }

    /// A series as a polyline (finite values only; nil when none), with its points while they are few.
    func polyline(_ values: [Double?], color: String, dash: String, dots: Bool) -> String? {
        let points = values.enumerated().compactMap { index, value in value.flatMap { $0.isFinite ? (x(index), y($0)) : nil } }
        guard !points.isEmpty else { return nil }
        var svg = "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dash) points=\"\(points.map { "\($0.0),\($0.1)" }.joined(separator: " "))\"/>\n"
        if dots, points.count <= 60 {
            for (px, py) in points { svg += "<circle cx=\"\(px)\" cy=\"\(py)\" r=\"2.5\" fill=\"\(color)\"/>\n" }
        }
        return svg
    }
}
