import ModelC

/// How LSP counts characters in a line: UTF-16 code units by default (LSP 3.16 and Neovim 0.7),
/// Unicode scalars when the client offers `utf-32` (modelc's own columns), or UTF-8 bytes.
public enum PositionEncoding: String, Sendable {
    case utf16 = "utf-16"
    case utf32 = "utf-32"
    case utf8 = "utf-8"

    /// The client's preference among those it offers; utf-16 when it offers none.
    static func negotiate(_ offered: [String]?) -> PositionEncoding {
        guard let offered else { return .utf16 }
        if offered.contains("utf-32") { return .utf32 }
        if offered.contains("utf-16") || offered.isEmpty { return .utf16 }
        if offered.contains("utf-8") { return .utf8 }
        return .utf16
    }
}

/// Converts between modelc's locations (lines from 1, columns in Unicode scalars from 1) and LSP
/// positions (lines from 0, characters in the negotiated unit from 0), on the document's text.
/// Positions past a line's end or the document's end are clamped, never trapped on.
struct PositionMap {
    let lines: [[Unicode.Scalar]]
    let encoding: PositionEncoding

    /// Lines as modelc's SourceFile splits them, so locations match: libyaml's breaks (LF, CR LF,
    /// CR, NEL, LS, PS).
    init(text: String, encoding: PositionEncoding) {
        let file = SourceFile(path: "", text: text)
        var lines: [[Unicode.Scalar]] = []
        while let line = file.line(lines.count + 1) { lines.append(Array(line.unicodeScalars)) }
        self.lines = lines.isEmpty ? [[]] : lines
        self.encoding = encoding
    }

    func width(_ scalar: Unicode.Scalar) -> Int {
        switch encoding {
        case .utf16: scalar.value > 0xFFFF ? 2 : 1
        case .utf32: 1
        case .utf8: String(scalar).utf8.count
        }
    }

    /// LSP `{line, character}` of a modelc location.
    func position(_ location: SourceLocation) -> (line: Int, character: Int) {
        let line = max(0, min(location.line - 1, lines.count - 1))
        let scalars = lines[line]
        let count = max(0, min(location.column - 1, scalars.count))
        return (line, scalars[..<count].reduce(0) { $0 + width($1) })
    }

    /// The modelc location of an LSP position (a character inside a surrogate pair goes to its scalar).
    func location(line: Int, character: Int) -> SourceLocation {
        let row = max(0, min(line, lines.count - 1))
        var units = 0
        var column = 1
        for scalar in lines[row] {
            if units >= character { break }
            units += width(scalar)
            column += 1
        }
        return SourceLocation(line: row + 1, column: column)
    }

    func range(_ range: SourceRange) -> [String: Any] {
        let start = position(range.start), end = position(range.end)
        return ["start": ["line": start.line, "character": start.character],
                "end": ["line": end.line, "character": end.character]]
    }

    /// The text of line `number` (1-based) before `column`.
    func prefix(line number: Int, column: Int) -> String {
        guard number >= 1, number <= lines.count else { return "" }
        let scalars = lines[number - 1]
        return String(String.UnicodeScalarView(scalars.prefix(max(0, min(column - 1, scalars.count)))))
    }

    /// The whole text of line `number` (1-based).
    func line(_ number: Int) -> String {
        guard number >= 1, number <= lines.count else { return "" }
        return String(String.UnicodeScalarView(lines[number - 1]))
    }
}
