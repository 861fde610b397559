/// Output formats for diagnostics.
public enum DiagnosticFormat: String, CaseIterable, Sendable {
    /// `path:line:col: error: message`, the source line and a caret, as the Swift compiler prints.
    case text
    /// GitHub Actions workflow commands: `::error file=…,line=…,col=…::message`.
    case github
    /// A JSON list of objects.
    case json
}

public enum DiagnosticRenderer {
    /// Renders every file's diagnostics, in order, in the chosen format.
    public static func render(_ files: [FileDiagnostics], format: DiagnosticFormat, color: Bool = false) -> String {
        switch format {
        case .text:
            return files.map { file in
                file.diagnostics.map { text($0, in: file.file, color: color) }.joined()
            }.joined()
        case .github:
            return files.map { file in
                file.diagnostics.map { github($0, path: file.file.path) }.joined()
            }.joined()
        case .json:
            let items = files.flatMap { file in file.diagnostics.map { json($0, path: file.file.path) } }
            return JSONValue.array(items).rendered() + "\n"
        }
    }

    /// One diagnostic and its notes, Swift-compiler style.
    public static func text(_ diagnostic: Diagnostic, in file: SourceFile, color: Bool = false) -> String {
        let start = diagnostic.range.start
        let severity = diagnostic.severity.rawValue
        let styled: String
        if color {
            let code = switch diagnostic.severity {
            case .error: "\u{1B}[1;31m"
            case .warning: "\u{1B}[1;35m"
            case .note: "\u{1B}[1;30m"
            }
            styled = "\u{1B}[1m\(file.path):\(start.line):\(start.column): \(code)\(severity):\u{1B}[0m\u{1B}[1m \(diagnostic.message)\u{1B}[0m"
        } else {
            styled = "\(file.path):\(start.line):\(start.column): \(severity): \(diagnostic.message)"
        }
        var output = styled + "\n"
        if let line = file.line(start.line) {
            output += line + "\n" + caretLine(for: diagnostic.range, under: line, color: color) + "\n"
        }
        for note in diagnostic.notes {
            output += text(note, in: file, color: color)
        }
        return output
    }

    /// Blanks (tabs kept, so the caret lines up) up to the column, then `^~~~` under the range.
    static func caretLine(for range: SourceRange, under line: String, color: Bool) -> String {
        let scalars = Array(line.unicodeScalars)
        let column = max(range.start.column - 1, 0)
        var prefix = ""
        for index in 0..<min(column, scalars.count) {
            prefix += scalars[index] == "\t" ? "\t" : " "
        }
        if column > scalars.count { prefix += String(repeating: " ", count: column - scalars.count) }
        var length = 1
        if range.end.line == range.start.line {
            length = max(1, min(range.end.column - range.start.column, max(scalars.count - column, 1)))
        } else {
            length = max(1, scalars.count - column)
        }
        let marker = "^" + String(repeating: "~", count: length - 1)
        return prefix + (color ? "\u{1B}[1;32m\(marker)\u{1B}[0m" : marker)
    }

    static func github(_ diagnostic: Diagnostic, path: String) -> String {
        let command = switch diagnostic.severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "notice"
        }
        let range = diagnostic.range
        var properties = "file=\(escapeProperty(path)),line=\(range.start.line),col=\(range.start.column)"
        if range.end.line == range.start.line, range.end.column > range.start.column + 1 {
            properties += ",endColumn=\(range.end.column)"
        }
        var output = "::\(command) \(properties)::\(escapeData(diagnostic.message))\n"
        for note in diagnostic.notes { output += github(note, path: path) }
        return output
    }

    static func json(_ diagnostic: Diagnostic, path: String) -> JSONValue {
        .object([
            ("file", .string(path)),
            ("line", .int(diagnostic.range.start.line)),
            ("column", .int(diagnostic.range.start.column)),
            ("end_line", .int(diagnostic.range.end.line)),
            ("end_column", .int(diagnostic.range.end.column)),
            ("severity", .string(diagnostic.severity.rawValue)),
            ("message", .string(diagnostic.message)),
            ("notes", .array(diagnostic.notes.map { json($0, path: path) })),
        ])
    }

    /// GitHub's escaping for a command's message.
    static func escapeData(_ text: String) -> String {
        text.replacingAll("%", with: "%25").replacingAll("\r", with: "%0D").replacingAll("\n", with: "%0A")
    }

    /// GitHub's escaping for a command's properties.
    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingAll(":", with: "%3A").replacingAll(",", with: "%2C")
    }
}

extension String {
    /// Replaces every occurrence of `target`, without Foundation.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
