/// The source line under a text diagnostic and the caret line that marks its range.
///
/// A long line is quoted as a window of `width` columns around the caret, with "..." where text was
/// left out, so a diagnostic on a 4 MiB line prints a few hundred bytes, not the line. Characters a
/// terminal would act on (escape sequences, bidi overrides) are shown as one-column stand-ins, so
/// the quote cannot rewrite the screen and the caret stays under its character.
enum SourceQuote {
    /// Columns of a long line shown around the caret.
    static let width = 120
    /// Of those, how many stand before the caret when the line is cut on both sides.
    static let lead = 40

    /// The quoted line and the caret line (without line breaks) for `range` on `line`.
    static func render(_ line: String, range: SourceRange, color: Bool) -> (source: String, caret: String) {
        render(Array(line.unicodeScalars), range: range, color: color)
    }

    /// The same from the line's scalars; only the window is visited, so quoting a 4 MiB line costs
    /// about as much as quoting a short one once the line is decoded (see `Lines`).
    static func render(_ scalars: [Unicode.Scalar], range: SourceRange, color: Bool) -> (source: String, caret: String) {
        let count = scalars.count
        let column = max(range.start.column - 1, 0)
        var length: Int
        if range.end.line == range.start.line {
            length = max(1, min(range.end.column - range.start.column, max(count - column, 1)))
        } else {
            length = max(1, count - column)
        }
        var first = 0
        var last = count
        if count > width {
            first = max(0, min(column - lead, count - width))
            last = first + width
        }
        var source = first > 0 ? "..." : ""
        var prefix = first > 0 ? "   " : ""
        for index in first..<last {
            let scalar = scalars[index]
            source.unicodeScalars.append(shown(scalar))
            if index < column { prefix += scalar == "\t" ? "\t" : " " }
        }
        if last < count { source += "..." }
        if column > last { prefix += String(repeating: " ", count: column - max(last, first)) }
        if column < last { length = min(length, last - column) }
        let marker = "^" + String(repeating: "~", count: max(length, 1) - 1)
        return (source, prefix + (color ? "\u{1B}[1;32m\(marker)\u{1B}[0m" : marker))
    }

    /// The lines of one file, each decoded once however many diagnostics quote it (100 diagnostics
    /// on one 4 MiB line decoded it 100 times).
    final class Lines {
        let file: SourceFile
        private var decoded: [Int: [Unicode.Scalar]] = [:]

        init(_ file: SourceFile) { self.file = file }

        func scalars(_ number: Int) -> [Unicode.Scalar]? {
            if let known = decoded[number] { return known }
            guard let line = file.line(number) else { return nil }
            let scalars = Array(line.unicodeScalars)
            decoded[number] = scalars
            return scalars
        }
    }

    /// A tab as itself (the caret line copies it), a visible character as itself, anything else as
    /// U+FFFD or a control picture (␛ for ESC), each one column wide.
    static func shown(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        if scalar == "\t" || Excerpt.isVisible(scalar) { return scalar }
        if scalar.value < 0x20 { return Unicode.Scalar(0x2400 + scalar.value)! }
        if scalar.value == 0x7F { return "\u{2421}" }
        return "\u{FFFD}"
    }
}
