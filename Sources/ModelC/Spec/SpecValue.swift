/// A value written in a spec, typed as YAML 1.2's core schema types it (or as the shorthand
/// writes it), with source ranges all the way down.
public indirect enum SpecValue: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case list([Located<SpecValue>])
    case mapping([SpecEntry])

    /// How the value reads in a message: `8`, `0.3`, `true`, `'relu'`, `[100, 8]`, `a mapping`.
    public var display: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .int(let value): String(value)
        case .float(let value): formatNumber(value)
        // Messages quote values, so a long string or list is shown cut (a list of 90,000 numbers).
        case .string(let value): "'\(Excerpt.of(value, limit: 60))'"
        case .list(let items) where items.count > 8:
            "[" + items.prefix(8).map(\.value.display).joined(separator: ", ") + ", … (\(items.count) items)]"
        case .list(let items): "[" + items.map(\.value.display).joined(separator: ", ") + "]"
        case .mapping: "a mapping"
        }
    }

    /// The kind of value, for "expected X, got Y" messages.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int: "an integer"
        case .float: "a number"
        case .string: "a string"
        case .list: "a list"
        case .mapping: "a mapping"
        }
    }
}

/// One `key: value` of a mapping.
public struct SpecEntry: Sendable {
    public var key: Located<String>
    public var value: Located<SpecValue>

    public init(key: Located<String>, value: Located<SpecValue>) {
        self.key = key
        self.value = value
    }
}

/// Formats a number the way a user would write it: `0.3`, `1e-07`, `2`.
func formatNumber(_ value: Double) -> String {
    if value.isNaN { return ".nan" }
    if value.isInfinite { return value < 0 ? "-.inf" : ".inf" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
    return String(value)
}

extension SpecValue {
    /// Resolves a plain YAML scalar with the YAML 1.2 core schema: `yes`/`on` stay strings
    /// (a YAML 1.1 surprise we refuse to repeat), `1e-4` is a number.
    static func resolvingPlainScalar(_ text: String) -> SpecValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
        case ".nan", ".NaN", ".NAN": return .float(.nan)
        default: break
        }
        if let number = parseNumber(text) { return number }
        return .string(text)
    }

    /// An integer or decimal number in YAML 1.2 core syntax (`0x`/`0o` integers included);
    /// integers too large for 64 bits become floats so range checks can reject them by size.
    static func parseNumber(_ text: String) -> SpecValue? {
        // Most text is not a number; its first byte says so without a pass over a long word.
        guard let first = text.utf8.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
            || first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".") else { return nil }
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty else { return nil }
        for (prefix, radix) in [("0x", 16), ("0o", 8)] where text.hasPrefix(prefix) {
            // Unsigned digits only, as the core schema writes them; too many digits make a float.
            let digits = text.dropFirst(2)
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isHexDigit && Int(String($0), radix: radix) != nil }) else {
                return nil
            }
            if let value = Int(digits, radix: radix) { return .int(value) }
            return .float(digits.reduce(0.0) { $0 * Double(radix) + Double(Int(String($1), radix: radix)!) })
        }
        var index = 0
        if scalars[0] == "-" || scalars[0] == "+" { index = 1 }
        let digitsStart = index
        while index < scalars.count, ("0"..."9").contains(scalars[index]) { index += 1 }
        let integerDigits = index - digitsStart
        if index == scalars.count {
            guard integerDigits > 0 else { return nil }
            if let value = Int(text) { return .int(value) }
            return Double(text).map { .float($0) }
        }
        var fractionDigits = 0
        if scalars[index] == "." {
            index += 1
            let fractionStart = index
            while index < scalars.count, ("0"..."9").contains(scalars[index]) { index += 1 }
            fractionDigits = index - fractionStart
        }
        guard integerDigits + fractionDigits > 0 else { return nil }
        if index < scalars.count, scalars[index] == "e" || scalars[index] == "E" {
            index += 1
            if index < scalars.count, scalars[index] == "-" || scalars[index] == "+" { index += 1 }
            let exponentStart = index
            while index < scalars.count, ("0"..."9").contains(scalars[index]) { index += 1 }
            guard index > exponentStart else { return nil }
        }
        guard index == scalars.count, let value = Double(text) else { return nil }
        return .float(value)
    }
}

extension Located where Value == SpecValue {
    /// Entries of a mapping value, nil for anything else.
    public var entries: [SpecEntry]? {
        if case .mapping(let entries) = value { return entries }
        return nil
    }
}
