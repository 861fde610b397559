/// The one kind of table Keras 3's `model.summary()` draws with the `rich` library, rendered as rich
/// renders it to a file that is not a terminal (no colours, no bold, UTF-8 box characters):
/// `rich.table.Table(*columns, width=line_length, show_lines=True)` with the default HEAVY_HEAD box,
/// one cell of padding left and right, every column of a fixed width, text wrapped at spaces and
/// words too long for their column cut with "…" (rich's default overflow, "ellipsis").
/// Counts one cell per Unicode scalar, as rich does for text without wide (East Asian) characters.
struct RichTable {
    enum Justify { case left, right }

    struct Column {
        var header: String
        var width: Int
        var justify: Justify
    }

    var columns: [Column]
    /// The table's total width, borders included (Keras's `line_length`).
    var width: Int

    /// Each column's width with its padding, as rich's `_calculate_column_widths` settles it: the
    /// fixed widths plus padding overflow `width` less the borders, so rich takes the excess off
    /// evenly with `ratio_reduce` (each column in turn loses round(excess left / columns left)).
    var cellWidths: [Int] {
        var widths = columns.map { $0.width + 2 }
        let available = width - (columns.count + 1)
        var excess = widths.reduce(0, +) - available
        guard excess > 0 else { return widths }
        var remaining = widths.count
        for index in widths.indices {
            let cut = min(widths[index], Self.roundHalfEven(excess, remaining))
            widths[index] -= cut
            excess -= cut
            remaining -= 1
        }
        return widths
    }

    /// Python's `round(a / b)` for non-negative integers: halves go to the even neighbour.
    static func roundHalfEven(_ numerator: Int, _ denominator: Int) -> Int {
        let quotient = numerator / denominator
        let twice = 2 * (numerator % denominator)
        if twice > denominator || (twice == denominator && quotient % 2 == 1) { return quotient + 1 }
        return quotient
    }

    /// The table's lines: top border, header, heavy rule, then the rows with a light rule between
    /// each two, and the bottom border.
    func render(_ rows: [[String]]) -> [String] {
        let widths = cellWidths
        func rule(_ left: String, _ fill: String, _ join: String, _ right: String) -> String {
            left + widths.map { String(repeating: fill, count: $0) }.joined(separator: join) + right
        }
        var lines = [rule("┏", "━", "┳", "┓")]
        lines += renderRow(columns.map(\.header), widths: widths, vertical: "┃")
        lines.append(rule("┡", "━", "╇", "┩"))
        for (index, row) in rows.enumerated() {
            if index > 0 { lines.append(rule("├", "─", "┼", "┤")) }
            lines += renderRow(row, widths: widths, vertical: "│")
        }
        lines.append(rule("└", "─", "┴", "┘"))
        return lines
    }

    /// One row: every cell wrapped to its width, shorter cells filled with blank lines below.
    func renderRow(_ cells: [String], widths: [Int], vertical: String) -> [String] {
        let wrapped = cells.indices.map { Self.wrap(cells[$0], width: widths[$0] - 2, justify: columns[$0].justify) }
        let height = wrapped.map(\.count).max() ?? 1
        return (0..<height).map { line in
            vertical + wrapped.indices.map { column in
                let text = line < wrapped[column].count ? wrapped[column][line] : String(repeating: " ", count: widths[column] - 2)
                return " " + text + " "
            }.joined(separator: vertical) + vertical
        }
    }

    /// rich's `Text.wrap` with overflow "ellipsis": `divide_line` breaks before each word (a run of
    /// non-spaces with the spaces after it) that does not fit what is left of the line; a word wider
    /// than the whole line stands alone and is cut to `width - 1` cells and "…". Each line is then
    /// justified to exactly `width` cells.
    static func wrap(_ text: String, width: Int, justify: Justify) -> [String] {
        let scalars = Array(text.unicodeScalars)
        return lines(scalars, breaks: divideLine(scalars, width: width, fold: false), width: width).map { line in
            var line = line
            if justify == .right {
                while let last = line.last, last.properties.isWhitespace { line.removeLast() }
            }
            if line.count > width { line = Array(line.prefix(max(width - 1, 0))) + ["…"] }
            let pad = String(repeating: " ", count: width - line.count)
            let body = String(String.UnicodeScalarView(line))
            return justify == .left ? body + pad : pad + body
        }
    }

    /// What rich's `Console.print` makes of text on a console `width` cells wide (80 off a
    /// terminal): each of its lines with tabs expanded (`expand_tabs`, stops every 8 cells), then
    /// wrapped as `wrap` does but with overflow "fold" (a word wider than the console is cut into
    /// pieces of `width` cells), and neither padded nor stripped.
    static func consoleLines(_ text: String, width: Int) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { line in
            var scalars: [Unicode.Scalar] = []
            for scalar in line.unicodeScalars {
                if scalar == "\t" {
                    scalars += Array(repeating: " ", count: 8 - scalars.count % 8)
                } else {
                    scalars.append(scalar)
                }
            }
            return lines(scalars, breaks: divideLine(scalars, width: width, fold: true), width: width).map {
                String(String.UnicodeScalarView($0))
            }
        }
    }

    /// The text cut at `breaks`, each line without the spaces that reach past `width`
    /// (`rstrip_end`).
    static func lines(_ scalars: [Unicode.Scalar], breaks: [Int], width: Int) -> [[Unicode.Scalar]] {
        let bounds = [0] + breaks + [scalars.count]
        return (0..<(bounds.count - 1)).map { index in
            var line = Array(scalars[bounds[index]..<bounds[index + 1]])
            if line.count > width {
                var spaces = 0
                while spaces < line.count, line[line.count - 1 - spaces].properties.isWhitespace { spaces += 1 }
                line.removeLast(min(spaces, line.count - width))
            }
            return line
        }
    }

    /// rich's `divide_line`: the offsets to break the text at so each line fits `width` cells.
    static func divideLine(_ scalars: [Unicode.Scalar], width: Int, fold: Bool) -> [Int] {
        var breaks: [Int] = []
        var offset = 0
        for (wordStart, end) in words(scalars) {
            var start = wordStart
            var trimmed = end
            while trimmed > start, scalars[trimmed - 1].properties.isWhitespace { trimmed -= 1 }
            let length = trimmed - start
            if width - offset >= length {
                offset += end - start
            } else if length > width {
                if fold {
                    // chop_cells: pieces of `width` cells, a break before each.
                    while true {
                        if start > 0 { breaks.append(start) }
                        let piece = min(width, end - start)
                        if start + piece >= end {
                            offset = piece
                            break
                        }
                        start += piece
                    }
                } else {
                    if start > 0 { breaks.append(start) }
                    offset = end - start
                }
            } else if offset > 0, start > 0 {
                breaks.append(start)
                offset = end - start
            }
        }
        return breaks
    }

    /// The spans of rich's `re_word` (`\s*\S+\s*`) matched one after another from the start.
    static func words(_ scalars: [Unicode.Scalar]) -> [(start: Int, end: Int)] {
        var spans: [(Int, Int)] = []
        var index = 0
        while index < scalars.count {
            let start = index
            while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
            guard index < scalars.count else { break }
            while index < scalars.count, !scalars[index].properties.isWhitespace { index += 1 }
            while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
            spans.append((start, index))
        }
        return spans
    }
}
