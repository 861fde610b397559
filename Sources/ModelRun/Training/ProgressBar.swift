import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Keras's `Progbar` as `fit` shows it: `313/313 [======] - 1s 3ms/step - loss: 0.5343 - ...`.
/// Redrawn in place (`\r`) on a terminal; when output is not a terminal only the epoch's final line
/// is written. verbose 2 prints Keras's one-line-per-epoch form; verbose 0 prints nothing.
/// A redrawn line is cut to the terminal's width: a line that wrapped would leave `\r` on its last
/// row, and every redraw would start a new line (seen in a 70-column terminal).
public final class ProgressBar {
    public let steps: Int
    let verbose: Int
    let dynamic: Bool
    let write: (String) -> Void
    let start: Double
    var lastUpdate = 0.0
    var previousWidth = 0
    /// The terminal's width in columns when known, asked at each redraw (the window may change).
    let columns: () -> Int?

    public init(steps: Int, verbose: Int, dynamic: Bool, columns: @escaping () -> Int? = ProgressBar.terminalColumns,
                write: @escaping (String) -> Void) {
        self.columns = columns
        self.steps = max(steps, 1)
        self.verbose = verbose
        self.dynamic = dynamic
        self.write = write
        start = ProgressBar.now()
    }

    static func now() -> Double { Date().timeIntervalSince1970 }

    /// True when an intermediate `update` would draw now, so callers can skip building its values.
    public var wantsIntermediateUpdate: Bool {
        verbose == 1 && dynamic && Self.now() - lastUpdate >= 0.05
    }

    /// Draws step `current` (1-based) with the running values; `final` ends the epoch's line.
    public func update(_ current: Int, values: [(String, Double)], final: Bool = false) {
        guard verbose > 0 else { return }
        let now = Self.now()
        let elapsed = now - start
        let perStep = current > 0 ? elapsed / Double(current) : 0
        if verbose == 2 {
            guard final else { return }
            var line = "\(current)/\(steps) - \(String(format: "%.0f", elapsed))s" + Self.values(values)
            line += " -" + Self.formatTime(elapsed, unit: "epoch") + " -" + Self.formatTime(perStep, unit: "step")
            write(line + "\n")
            return
        }
        if !final && (!dynamic || now - lastUpdate < 0.05) { return }
        lastUpdate = now
        let bar = Self.bar(current, of: steps)
        var info: String
        if final {
            info = " - \(String(format: "%.0f", elapsed))s" + Self.formatTime(perStep, unit: "step")
        } else {
            let eta = perStep * Double(steps - current)
            info = " - ETA: " + Self.eta(eta)
        }
        info += Self.values(values)
        var line = bar + info
        // A redraw stays on one row: at most one column short of the width (a full row makes some
        // terminals wrap before the next \r). The final line ends with a newline and is written whole.
        if dynamic, !final, let columns = columns(), columns > 1, line.count > columns - 1 {
            line = String(line.prefix(columns - 1))
        }
        let width = line.count
        if dynamic, previousWidth > width {
            let limit = columns().map { $0 - 1 } ?? previousWidth
            line += String(repeating: " ", count: max(0, min(previousWidth, limit) - width))
        }
        previousWidth = width
        write((dynamic ? "\r" : "") + line + (final ? "\n" : ""))
    }

    /// Columns of the terminal on standard output (TIOCGWINSZ), else COLUMNS, else nil.
    public static func terminalColumns() -> Int? {
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
    }

    /// ` 313/313 [=====>....]` with Keras's widths: the count padded to the digits of the total, 30 cells.
    static func bar(_ current: Int, of target: Int) -> String {
        let digits = String(target).count
        var bar = String(repeating: " ", count: max(0, digits - String(current).count)) + "\(current)/\(target) ["
        let filled = Int(30 * Double(current) / Double(target))
        if filled > 0 {
            bar += String(repeating: "=", count: filled - 1) + (current < target ? ">" : "=")
        }
        bar += String(repeating: ".", count: max(0, 30 - filled)) + "]"
        return bar
    }

    /// ` - loss: 0.5343 - accuracy: 0.7711`; values at or below 1e-3 in Keras's exponent form.
    static func values(_ values: [(String, Double)]) -> String {
        values.map { name, value in
            " - \(name): " + (abs(value) > 1e-3 ? String(format: "%.4f", value) : String(format: "%.4e", value))
        }.joined()
    }

    /// Keras's `_format_time`: ` 3ms/step`, ` 2s/epoch`, ` 40us/step`.
    static func formatTime(_ seconds: Double, unit: String) -> String {
        if seconds >= 1 || seconds == 0 { return String(format: " %.0fs/%@", seconds, unit) }
        if seconds >= 1e-3 { return String(format: " %.0fms/%@", seconds * 1000, unit) }
        return String(format: " %.0fus/%@", seconds * 1_000_000, unit)
    }

    static func eta(_ seconds: Double) -> String {
        if seconds > 3600 {
            return String(format: "%d:%02d:%02d", Int(seconds) / 3600, (Int(seconds) % 3600) / 60, Int(seconds) % 60)
        }
        if seconds > 60 { return String(format: "%d:%02d", Int(seconds) / 60, Int(seconds) % 60) }
        return "\(Int(seconds))s"
    }
}
