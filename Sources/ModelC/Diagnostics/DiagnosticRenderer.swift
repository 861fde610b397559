/// Output formats for diagnostics.
public enum DiagnosticFormat: String, CaseIterable, Sendable {
    /// `path:line:col: error: message`, the source line and a caret, as the Swift compiler prints.
    case text
    /// GitHub Actions workflow commands: `::error file=…,line=…,col=…::message`.
    case github
    /// A JSON list of objects: code, range, severity, message, notes and fixes with their edits.
    case json
    /// SARIF 2.1.0, as GitHub code scanning reads it.
    case sarif
}

public enum DiagnosticRenderer {
    /// Diagnostics printed per file; the rest are counted in one closing note, so a file with
    /// thousands of mistakes (8,000 duplicate keys) prints a screenful, not hundreds of megabytes.
    public static let maximumPerFile = 100
    /// Characters of one message printed; only a message quoting a huge token comes near it.
    public static let maximumMessageLength = 1_000

    /// Renders every file's diagnostics, in order, in the chosen format.
    /// `root` is the folder relative paths are relative to, for SARIF's repository-relative URIs.
    public static func render(_ files: [FileDiagnostics], format: DiagnosticFormat, color: Bool = false,
                              root: String? = nil) -> String {
        switch format {
        case .text:
            return files.map { file in
                let (shown, omitted) = capped(file)
                let lines = SourceQuote.Lines(file.file)
                return shown.map { text($0, lines: lines, color: color) }.joined()
                    + (omitted.map { text($0, lines: lines, color: color, quote: false) } ?? "")
            }.joined()
        case .github:
            return files.map { file in
                let (shown, omitted) = capped(file)
                return (shown + (omitted.map { [$0] } ?? [])).map { github($0, path: file.file.path) }.joined()
            }.joined()
        case .json:
            let items = files.flatMap { file in
                let (shown, omitted) = capped(file)
                var items = shown.map { json($0, path: file.file.path) }
                if let omitted {
                    let hidden = file.diagnostics.dropFirst(maximumPerFile)
                    items.append(json(omitted, path: file.file.path, extra: [
                        ("omitted_errors", .int(hidden.filter { $0.severity == .error }.count)),
                        ("omitted_warnings", .int(hidden.filter { $0.severity == .warning }.count)),
                    ]))
                }
                return items
            }
            return JSONValue.array(items).rendered() + "\n"
        case .sarif:
            return SARIFRenderer.render(files.map { file in
                let (shown, omitted) = capped(file)
                return FileDiagnostics(file: file.file, diagnostics: Array(shown) + (omitted.map { [$0] } ?? []))
            }, root: root)
        }
    }

    /// The first `maximumPerFile` diagnostics, and a note at the first one left out that counts them.
    static func capped(_ file: FileDiagnostics) -> (shown: ArraySlice<Diagnostic>, omitted: Diagnostic?) {
        let all = file.diagnostics
        guard all.count > maximumPerFile else { return (all[...], nil) }
        let hidden = all[maximumPerFile...]
        let errors = hidden.filter { $0.severity == .error }.count
        let warnings = hidden.filter { $0.severity == .warning }.count
        let notes = hidden.count - errors - warnings
        let counts = [(errors, "error"), (warnings, "warning"), (notes, "note")].filter { $0.0 > 0 }
            .map { "\($0.0) more \($0.1)\($0.0 == 1 ? "" : "s")" }
        let message = counts.joined(separator: " and ")
            + " not shown (modelc prints the first \(maximumPerFile) diagnostics of a file); fix these and check again"
        return (all.prefix(maximumPerFile), Diagnostic(.note, .tooManyDiagnostics, message, at: hidden.first!.range))
    }

    /// A message as printed: invisible characters escaped, and at most `maximumMessageLength` long.
    static func printable(_ message: String) -> String {
        Excerpt.of(message, limit: maximumMessageLength)
    }

    /// One diagnostic and its notes, Swift-compiler style, with the source line and caret.
    public static func text(_ diagnostic: Diagnostic, in file: SourceFile, color: Bool = false) -> String {
        text(diagnostic, lines: SourceQuote.Lines(file), color: color)
    }

    /// The same, quoting lines from `lines`; `quote` false leaves the source line and caret out.
    static func text(_ diagnostic: Diagnostic, lines: SourceQuote.Lines, color: Bool, quote: Bool = true) -> String {
        let file = lines.file
        let start = diagnostic.range.start
        let severity = diagnostic.severity.rawValue
        let path = Excerpt.escaped(file.path)
        let message = printable(diagnostic.message)
        let styled: String
        if color {
            let code = switch diagnostic.severity {
            case .error: "\u{1B}[1;31m"
            case .warning: "\u{1B}[1;35m"
            case .note: "\u{1B}[1;30m"
            }
            styled = "\u{1B}[1m\(path):\(start.line):\(start.column): \(code)\(severity):\u{1B}[0m\u{1B}[1m \(message)\u{1B}[0m"
        } else {
            styled = "\(path):\(start.line):\(start.column): \(severity): \(message)"
        }
        var output = styled + "\n"
        if quote, let line = lines.scalars(start.line) {
            let quoted = SourceQuote.render(line, range: diagnostic.range, color: color)
            output += quoted.source + "\n" + quoted.caret + "\n"
        }
        for note in diagnostic.notes {
            output += text(note, lines: lines, color: color)
        }
        for fix in diagnostic.fixes {
            output += help(fix, at: start, path: path, color: color)
        }
        return output
    }

    /// `path:line:col: help: title`, at the fix's first edit (or the diagnostic when it has none).
    static func help(_ fix: Fix, at location: SourceLocation, path: String, color: Bool) -> String {
        let at = fix.edits.first?.range.start ?? location
        let title = printable(fix.title)
        if color {
            return "\u{1B}[1m\(path):\(at.line):\(at.column): \u{1B}[1;36mhelp:\u{1B}[0m\u{1B}[1m \(title)\u{1B}[0m\n"
        }
        return "\(path):\(at.line):\(at.column): help: \(title)\n"
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
        if let code = diagnostic.code { properties += ",title=\(escapeProperty("\(code.id) \(code.name)"))" }
        let help = diagnostic.fixes.map { " (help: \($0.title))" }.joined()
        var output = "::\(command) \(properties)::\(escapeData(printable(diagnostic.message + help)))\n"
        for note in diagnostic.notes { output += github(note, path: path) }
        return output
    }

    static func json(_ diagnostic: Diagnostic, path: String, extra: [(String, JSONValue)] = []) -> JSONValue {
        var fields: [(String, JSONValue)] = [("file", .string(path))]
        fields += rangeFields(diagnostic.range)
        fields.append(("severity", .string(diagnostic.severity.rawValue)))
        if let code = diagnostic.code {
            fields += [("code", .string(code.id)), ("name", .string(code.name))]
        }
        fields += [
            ("message", .string(printable(diagnostic.message))),
            ("notes", .array(diagnostic.notes.map { json($0, path: path) })),
        ]
        if diagnostic.severity != .note || !diagnostic.fixes.isEmpty {
            fields.append(("fixes", .array(diagnostic.fixes.map { fix in
                .object([
                    ("title", .string(fix.title)),
                    ("edits", .array(fix.edits.map { edit in
                        .object(rangeFields(edit.range) + [("new_text", .string(edit.newText))])
                    })),
                ])
            })))
        }
        return .object(fields + extra)
    }

    /// `line`, `column`, `end_line`, `end_column`: 1-based, columns in Unicode scalars, end exclusive.
    static func rangeFields(_ range: SourceRange) -> [(String, JSONValue)] {
        [("line", .int(range.start.line)), ("column", .int(range.start.column)),
         ("end_line", .int(range.end.line)), ("end_column", .int(range.end.column))]
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
