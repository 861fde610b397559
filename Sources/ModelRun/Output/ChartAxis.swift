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
