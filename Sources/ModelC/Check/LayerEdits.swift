/// Text edits on a layer entry as written, for the fixes the checker offers: set a flag argument
/// in either form (`LSTM 8` → `LSTM 8 return_sequences`, `LSTM: {units: 8}` →
/// `LSTM: {units: 8, return_sequences: true}`, a block mapping gets a line). Nil when the entry is
/// written in a way no edit can safely change (a wrapped layer, an empty block mapping).
struct LayerEdits {
    let file: SourceFile

    /// The edit that makes `name` read `value` on the layer `spec` with `arguments`.
    func setFlag(_ name: String, to value: Bool, on spec: LayerSpec, arguments: ResolvedArguments) -> TextEdit? {
        if let written = arguments.ranges[name] {
            let text = self.text(written)
            if text == name {
                // A bare flag of the short form: true by being there, false by being removed (with its space).
                guard !value else { return nil }
                return TextEdit(SourceRange(start: written.start.advanced(by: -1), end: written.end), "")
            }
            return TextEdit(written, value ? "true" : "false")
        }
        guard value else { return nil }
        switch spec.form {
        case .shorthand:
            // Before a closing quote when the string is quoted, else at its end.
            var end = spec.range.end
            if let last = text(SourceRange(start: end.advanced(by: -1), end: end)), last == "\"" || last == "'" {
                end = end.advanced(by: -1)
            }
            return TextEdit(SourceRange(start: end, end: end), " \(name)")
        case .keyword:
            let after = spec.arguments.last.map(\.range.end) ?? spec.className.range.end
            guard let start = file.byteOffset(of: after) else { return nil }
            var index = start
            let bytes = file.bytes
            // In a flow mapping the next thing after the last argument is '}' (or, with none, '{}').
            while index < bytes.count, [UInt8(ascii: " "), UInt8(ascii: ","), UInt8(ascii: ":")].contains(bytes[index]) { index += 1 }
            if spec.arguments.isEmpty, index < bytes.count, bytes[index] == UInt8(ascii: "{") {
                index += 1
                while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                let at = file.location(ofByte: index)
                return TextEdit(SourceRange(start: at, end: at), (spec.arguments.isEmpty ? "" : ", ") + "\(name): \(value)")
            }
            // A block mapping: a new line under the last argument, at its indentation.
            guard case .keyword(let key, _)? = spec.arguments.last, key.range.start.line < after.line || key.range.start.line == after.line,
                  !spec.arguments.isEmpty else { return nil }
            let indent = String(repeating: " ", count: key.range.start.column - 1)
            return TextEdit(SourceRange(start: after, end: after), "\n\(indent)\(name): \(value)")
        }
    }

    /// The source text of a one-line range; nil when it spans lines or lies outside the file.
    func text(_ range: SourceRange) -> String? {
        guard range.start.line == range.end.line, let line = file.line(range.start.line) else { return nil }
        let scalars = Array(line.unicodeScalars)
        let from = range.start.column - 1
        let to = range.end.column - 1
        guard from >= 0, to <= scalars.count, from <= to else { return nil }
        return String(String.UnicodeScalarView(scalars[from..<to]))
    }
}
