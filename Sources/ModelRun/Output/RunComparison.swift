import Foundation
import ModelC

/// `modelc compare RUN_DIR...`, as Ludwig's compare_performance: the final (and best) values of
/// several runs in one table, and their learning curves in one SVG (a panel per quantity, a colour
/// per run, validation dashed).
public enum RunComparison {
    struct Run {
        var name: String
        var history: History
    }

    static let colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    /// Reads each run's history.json; prints the table, writes the SVG to `output` when given.
    public static func run(_ directories: [String], output path: String?, out: CommandOutput) -> Int32 {
        do throws(DataError) {
            let runs = try directories.map { directory throws(DataError) in Run(name: directory, history: try history(in: directory)) }
            out.out(table(runs))
            if let path {
                try AtomicFile.write(svg(runs), to: path)
                out.out("wrote \(path)\n")
            }
            return 0
        } catch {
            out.error("error: \(error.description)\n")
            return 1
        }
    }

    /// A run's history as train wrote it (history.json: a list per logged name).
    static func history(in directory: String) throws(DataError) -> History {
        let path = directory + "/history.json"
        let bytes = try DataFile.read(path, what: "the run's history", origin: .commandLine)
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let epochs = object["epoch"] as? [Any] else {
            throw DataError("\(path) is not a history modelc train wrote (a JSON object with an \"epoch\" list)")
        }
        let names = object.keys.filter { !["epoch", "seconds", "unfinished"].contains($0) }
            .sorted { order($0) < order($1) }
        var history = History()
        for index in epochs.indices {
            let row = names.compactMap { name -> (String, Double)? in
                guard let values = object[name] as? [Any], index < values.count, let value = values[index] as? Double else { return nil }
                return (name, value)
            }
            history.append(row, seconds: ((object["seconds"] as? [Any])?[safe: index] as? Double) ?? 0)
        }
        return history
    }

    /// loss first, then metrics, then their val_ forms, then lr (as train logs them).
    static func order(_ name: String) -> (Int, String) {
        let base = name.hasPrefix("val_") ? String(name.dropFirst(4)) : name
        let rank = name == "lr" ? 3 : base == "loss" ? 0 : 1
        return (rank * 2 + (name.hasPrefix("val_") ? 1 : 0), base)
    }

    /// One row per run: epochs, each quantity's final value, and the best val_loss (or loss) with its epoch.
    static func table(_ runs: [Run]) -> String {
        var names: [String] = []
        for run in runs { for name in run.history.names where !names.contains(name) { names.append(name) } }
        names.sort { order($0) < order($1) }
        let watched = names.contains("val_loss") ? "val_loss" : "loss"
        let header = ["run", "epochs"] + names + ["best \(watched)"]
        let rows = runs.map { run -> [String] in
            let last = run.history.epochs.last ?? [:]
            let values = run.history.values(watched)
            let best = values.enumerated().compactMap { index, value in value.map { (index, $0) } }.min { $0.1 < $1.1 }
            return [run.name, String(run.history.epochs.count)]
                + names.map { last[$0].map { String(format: "%.4f", $0) } ?? "-" }
                + [best.map { String(format: "%.4f (epoch %d)", $0.1, $0.0 + 1) } ?? "-"]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).enumerated().map { index, pair in
                index == 0 ? pair.0 + String(repeating: " ", count: pair.1 - pair.0.count)
                    : String(repeating: " ", count: pair.1 - pair.0.count) + pair.0
            }.joined(separator: "  ") + "\n"
        }
        return ([header] + rows).map(line).joined()
    }

    /// The runs' curves, a panel per quantity (loss first), a colour per run.
    static func svg(_ runs: [Run]) -> String {
        var quantities: [String] = []
        for run in runs {
            for name in run.history.names where !name.hasPrefix("val_") && name != "lr" && !quantities.contains(name) { quantities.append(name) }
        }
        let panelWidth = LearningCurves.panelWidth, panelHeight = LearningCurves.panelHeight
        let columns = min(max(quantities.count, 1), 2)
        let rows = (max(quantities.count, 1) + columns - 1) / columns
        let legendHeight = Double(16 * runs.count + 8)
        let width = Double(columns) * panelWidth, height = Double(rows) * panelHeight + 36 + legendHeight
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(width / 2)" y="22" text-anchor="middle" font-size="15">\(runs.count) runs (validation dashed)</text>

            """
        let epochs = max(runs.map(\.history.epochs.count).max() ?? 1, 1)
        for (index, name) in quantities.enumerated() {
            let left = Double(index % columns) * panelWidth + LearningCurves.leftMargin
            let top = Double(index / columns) * panelHeight + 56
            let plotWidth = panelWidth - LearningCurves.leftMargin - LearningCurves.rightMargin, plotHeight = panelHeight - LearningCurves.bottomMargin - 36
            let all = runs.flatMap { $0.history.values(name) + $0.history.values("val_" + name) }.compactMap { $0 }.filter(\.isFinite)
            guard let low = all.min(), let high = all.max() else { continue }
            let axis = ChartAxis(low: low, high: high, floorAtZero: low >= 0,
                                 logarithmic: name.hasSuffix("loss") && low > 0 && high / low >= 100)
            let panel = ChartPanel(left: left, top: top, width: plotWidth, height: plotHeight, axis: axis, epochs: epochs)
            svg += "<g>\n" + panel.frame(title: name)
            for (number, run) in runs.enumerated() {
                let color = colors[number % colors.count]
                svg += panel.polyline(run.history.values(name), color: color, dash: "", dots: false) ?? ""
                svg += panel.polyline(run.history.values("val_" + name), color: color, dash: " stroke-dasharray=\"6 4\"", dots: false) ?? ""
            }
            svg += "</g>\n"
        }
        let legendTop = Double(rows) * panelHeight + 36
        for (number, run) in runs.enumerated() {
            let ly = legendTop + Double(16 * number) + 12
            svg += "<line x1=\"20\" y1=\"\(ly - 4)\" x2=\"44\" y2=\"\(ly - 4)\" stroke=\"\(colors[number % colors.count])\" stroke-width=\"2\"/>\n"
            svg += "<text x=\"50\" y=\"\(ly)\">\(LearningCurves.escape(run.name))</text>\n"
        }
        return svg + "</svg>\n"
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
