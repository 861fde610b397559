import Foundation

extension ReportPlots {
    /// Class names on the axes are cut to this many characters (with "…").
    static let nameLimit = 20
    /// Classes a heat map draws at most (14 px cells: 1,400 px square).
    static let heatMapLimit = 100

    /// The confusion matrix as a heat map: rows the true class, columns the predicted one (as
    /// sklearn), each cell shaded by its count (or, `normalized`, by its share of the row) with the
    /// number written in it while the cell is big enough, class names on both axes and a colour
    /// bar. Column names are written slanted when they are wider than a cell.
    static func confusionMatrix(_ section: ClassificationSection, _ statistics: ClassificationStatistics, normalized: Bool) -> String {
        let count = statistics.classes.count
        guard count <= heatMapLimit else {
            let title = "Confusion matrix: \(section.output)"
            return header(width: max(titleWidth(title), 560), height: 80, title: title)
                + "<text x=\"20\" y=\"56\" fill=\"#555\">\(count) classes are too many for a readable heat map; the matrix is in test_statistics.json</text>\n</svg>\n"
        }
        let names = statistics.classes.map { $0.count > nameLimit ? String($0.prefix(nameLimit - 1)) + "…" : $0 }
        let cell = min(80, max(14, 420 / Double(count)))
        let nameWidth = characterWidth * Double(names.map(\.count).max() ?? 1)
        let slanted = nameWidth > cell - 4
        let left = 40 + nameWidth + 10
        let top = topMargin + 8
        let grid = cell * Double(count)
        let columnLabels = slanted ? nameWidth * 0.72 + 16 : 20
        let height = top + grid + columnLabels + 34
        let values: [[Double]] = normalized ? statistics.rowNormalized : statistics.confusion.map { $0.map(Double.init) }
        let maximum = normalized ? 1 : max(values.flatMap { $0 }.max() ?? 1, 1)
        let texts: [[String]] = normalized ? values.map { $0.map { String(format: "%.2f", $0) } } : statistics.confusion.map { $0.map(String.init) }
        let widest = Double(texts.flatMap { $0 }.map(\.count).max() ?? 1)
        // The numbers' size: 12px while they fit in a cell, smaller down to 7px, else left out.
        let fontSize = min(12, (cell - 4) / (widest * 0.62), cell * 0.5)
        let title = normalized ? "Confusion matrix: \(section.output) (each row sums to 1)" : "Confusion matrix: \(section.output) (counts)"
        let width = max(left + grid + 110, titleWidth(title))
        var svg = header(width: width, height: height, title: title)
        svg += "<text x=\"\(left + grid / 2)\" y=\"\(top - 8)\" text-anchor=\"middle\" fill=\"#555\">accuracy \(String(format: "%.4f", statistics.accuracy)), \(statistics.macro.support) samples</text>\n"
        for row in 0..<count {
            for column in 0..<count {
                let share = values[row][column] / maximum
                let x = left + cell * Double(column), y = top + cell * Double(row)
                svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell)\" height=\"\(cell)\" fill=\"\(shade(share))\" stroke=\"#fff\"><title>true \(LearningCurves.escape(statistics.classes[row])), predicted \(LearningCurves.escape(statistics.classes[column])): \(texts[row][column])</title></rect>\n"
                if fontSize >= 7 {
                    svg += "<text x=\"\(x + cell / 2)\" y=\"\(y + cell / 2 + fontSize * 0.35)\" text-anchor=\"middle\" font-size=\"\(String(format: "%.1f", fontSize))\" fill=\"\(share > 0.55 ? "white" : "black")\">\(texts[row][column])</text>\n"
                }
            }
        }
        svg += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(grid)\" height=\"\(grid)\" fill=\"none\" stroke=\"#999\"/>\n"
        for (index, name) in names.enumerated() {
            let center = cell * (Double(index) + 0.5)
            svg += "<text x=\"\(left - 6)\" y=\"\(top + center + 4)\" text-anchor=\"end\">\(LearningCurves.escape(name))</text>\n"
            let cx = left + center, cy = top + grid + 14
            if slanted {
                svg += "<text x=\"\(cx)\" y=\"\(cy)\" text-anchor=\"end\" transform=\"rotate(-45 \(cx) \(cy))\">\(LearningCurves.escape(name))</text>\n"
            } else {
                svg += "<text x=\"\(cx)\" y=\"\(cy)\" text-anchor=\"middle\">\(LearningCurves.escape(name))</text>\n"
            }
        }
        svg += "<text x=\"\(left + grid / 2)\" y=\"\(top + grid + columnLabels + 16)\" text-anchor=\"middle\" fill=\"#555\">predicted class</text>\n"
        let yx = 20.0, yy = top + grid / 2
        svg += "<text x=\"\(yx)\" y=\"\(yy)\" transform=\"rotate(-90 \(yx) \(yy))\" text-anchor=\"middle\" fill=\"#555\">true class</text>\n"
        // The colour bar: the darkest blue at the largest value, white at 0.
        let barLeft = left + grid + 24, barHeight = min(grid, 240.0)
        svg += "<defs><linearGradient id=\"scale\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\"><stop offset=\"0\" stop-color=\"\(shade(0))\"/><stop offset=\"1\" stop-color=\"\(shade(1))\"/></linearGradient></defs>\n"
        svg += "<rect x=\"\(barLeft)\" y=\"\(top)\" width=\"14\" height=\"\(barHeight)\" fill=\"url(#scale)\" stroke=\"#999\"/>\n"
        let topLabel = normalized ? "1" : String(Int(maximum))
        svg += "<text x=\"\(barLeft + 20)\" y=\"\(top + 10)\" fill=\"#555\">\(topLabel)</text>\n"
        svg += "<text x=\"\(barLeft + 20)\" y=\"\(top + barHeight)\" fill=\"#555\">0</text>\n"
        return svg + "</svg>\n"
    }

    /// White (0) to dark blue (1), as matplotlib's Blues.
    static func shade(_ share: Double) -> String {
        let t = min(max(share, 0), 1)
        let from = (247.0, 251.0, 255.0), to = (8.0, 48.0, 107.0)
        func channel(_ a: Double, _ b: Double) -> Int { Int((a + (b - a) * t).rounded()) }
        return String(format: "#%02x%02x%02x", channel(from.0, to.0), channel(from.1, to.1), channel(from.2, to.2))
    }
}
