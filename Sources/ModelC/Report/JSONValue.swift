/// A JSON value with ordered keys, so that machine-readable output is stable byte for byte.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.rendered() == b.rendered() }

    /// Compact when `indent` is nil, else pretty-printed with that many spaces per level.
    public func rendered(indent: Int? = 2) -> String {
        var output = ""
        write(to: &output, indent: indent, level: 0)
        return output
    }

    private func write(to output: inout String, indent: Int?, level: Int) {
        func newline(_ depth: Int) {
            guard let indent else { return }
            output += "\n" + String(repeating: " ", count: indent * depth)
        }
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .int(let value): output += String(value)
        case .double(let value): output += value.isFinite ? String(value) : "null"
        case .string(let value): output += Self.quoted(value)
        case .array(let items):
            guard !items.isEmpty else { output += "[]"; return }
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += indent == nil ? "," : "," }
                newline(level + 1)
                item.write(to: &output, indent: indent, level: level + 1)
            }
            newline(level)
            output += "]"
        case .object(let pairs):
            guard !pairs.isEmpty else { output += "{}"; return }
            output += "{"
            for (index, pair) in pairs.enumerated() {
                if index > 0 { output += "," }
                newline(level + 1)
                output += Self.quoted(pair.0) + (indent == nil ? ":" : ": ")
                pair.1.write(to: &output, indent: indent, level: level + 1)
            }
            newline(level)
            output += "}"
        }
    }

    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
