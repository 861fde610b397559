/// SARIF 2.1.0 (OASIS), the format GitHub code scanning uploads: one run of the tool `modelc`, the
/// code table as its rules, one result per diagnostic with a repository-relative location, notes as
/// related locations, fixes as replacements, and fingerprints that stay the same when lines move.
enum SARIFRenderer {
    static let schema = "https://json.schemastore.org/sarif-2.1.0.json"

    /// `root` is the folder relative paths are relative to (the working directory): an absolute path
    /// under it is made relative, so that GitHub matches it to the repository's file.
    static func render(_ files: [FileDiagnostics], root: String?) -> String {
        let codes = DiagnosticCode.allCases
        let ruleIndex = Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($0.element, $0.offset) })
        var results: [JSONValue] = []
        for file in files {
            let uri = self.uri(file.file.path, root: root)
            var seen: [String: Int] = [:]
            for diagnostic in file.diagnostics {
                results.append(result(diagnostic, file: file.file, uri: uri, ruleIndex: ruleIndex, seen: &seen))
            }
        }
        let driver: JSONValue = .object([
            ("name", .string("modelc")),
            ("version", .string(modelcVersion)),
            ("semanticVersion", .string(modelcVersion)),
            ("rules", .array(codes.map(rule))),
        ])
        let run: JSONValue = .object([
            ("tool", .object([("driver", driver)])),
            ("columnKind", .string("unicodeCodePoints")),
            ("results", .array(results)),
        ])
        return JSONValue.object([
            ("$schema", .string(schema)),
            ("version", .string("2.1.0")),
            ("runs", .array([run])),
        ]).rendered() + "\n"
    }

    static func rule(_ code: DiagnosticCode) -> JSONValue {
        var help = code.explanation
        var markdown = code.explanation
        if let example = code.example {
            help += "\n\nExample:\n\n" + example
            markdown += "\n\nExample:\n\n```yaml\n" + example + "```\n"
        }
        help += "\n\nmodelc explain \(code.id) prints this."
        markdown += "\n\n`modelc explain \(code.id)` prints this."
        return .object([
            ("id", .string(code.id)),
            ("name", .string(code.name)),
            ("shortDescription", .object([("text", .string(code.summary))])),
            ("fullDescription", .object([("text", .string(code.explanation))])),
            ("help", .object([("text", .string(help)), ("markdown", .string(markdown))])),
            ("defaultConfiguration", .object([("level", .string(level(code.defaultSeverity)))])),
        ])
    }

    static func result(_ diagnostic: Diagnostic, file: SourceFile, uri: String,
                       ruleIndex: [DiagnosticCode: Int], seen: inout [String: Int]) -> JSONValue {
        let message = DiagnosticRenderer.printable(diagnostic.message)
        var fields: [(String, JSONValue)] = []
        if let code = diagnostic.code {
            fields += [("ruleId", .string(code.id)), ("ruleIndex", .int(ruleIndex[code] ?? 0))]
        }
        fields += [
            ("level", .string(level(diagnostic.severity))),
            ("message", .object([("text", .string(message))])),
            ("locations", .array([location(diagnostic.range, uri: uri)])),
        ]
        if !diagnostic.notes.isEmpty {
            fields.append(("relatedLocations", .array(diagnostic.notes.enumerated().map { index, note in
                guard case .object(let parts) = location(note.range, uri: uri) else { return .null }
                return .object([("id", .int(index + 1))] + parts
                    + [("message", .object([("text", .string(DiagnosticRenderer.printable(note.message)))]))])
            })))
        }
        // Stable across runs and across edits elsewhere in the file: the rule, the file, the text of
        // the line (not its number) and the message, counted when the same key repeats.
        let lineText = file.line(diagnostic.range.start.line)?.trimmingWhitespace ?? ""
        let key = [diagnostic.code?.id ?? "", uri, lineText, message].joined(separator: "\u{1F}")
        let occurrence = seen[key, default: 0]
        seen[key] = occurrence + 1
        fields.append(("partialFingerprints", .object([
            ("modelcDiagnostic/v1", .string(fnv1a(key) + ":" + String(occurrence))),
        ])))
        let withEdits = diagnostic.fixes.filter { !$0.edits.isEmpty }
        if !withEdits.isEmpty {
            fields.append(("fixes", .array(withEdits.map { fix in
                .object([
                    ("description", .object([("text", .string(fix.title))])),
                    ("artifactChanges", .array([.object([
                        ("artifactLocation", .object([("uri", .string(uri))])),
                        ("replacements", .array(fix.edits.map { edit in
                            .object([("deletedRegion", region(edit.range)),
                                     ("insertedContent", .object([("text", .string(edit.newText))]))])
                        })),
                    ])])),
                ])
            })))
        }
        return .object(fields)
    }

    static func location(_ range: SourceRange, uri: String) -> JSONValue {
        .object([("physicalLocation", .object([
            ("artifactLocation", .object([("uri", .string(uri))])),
            ("region", region(range)),
        ]))])
    }

    /// Lines and columns from 1, columns in code points, the end column just past the region.
    static func region(_ range: SourceRange) -> JSONValue {
        .object([
            ("startLine", .int(range.start.line)), ("startColumn", .int(range.start.column)),
            ("endLine", .int(range.end.line)), ("endColumn", .int(range.end.column)),
        ])
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "note"
        }
    }

    /// The path as a URI reference: relative paths stay relative (without `./`), absolute paths under
    /// `root` become relative, other absolute paths `file://` URIs; every byte outside RFC 3986's
    /// unreserved set and `/` is percent-encoded.
    static func uri(_ path: String, root: String?) -> String {
        var path = path
        if path.hasPrefix("/"), let root {
            let base = root.hasSuffix("/") ? root : root + "/"
            if path.hasPrefix(base) { path = String(path.dropFirst(base.count)) }
        }
        while path.hasPrefix("./") { path = String(path.dropFirst(2)) }
        let encoded = percentEncoded(path)
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }

    static func percentEncoded(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                output += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return output
    }

    /// 64-bit FNV-1a, as 16 hex digits: a fingerprint, not a security measure.
    static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })!
        return String(scalars[first...last])
    }
}
