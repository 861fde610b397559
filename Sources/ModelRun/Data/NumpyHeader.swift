/// The header of a `.npy` file: a Python dict literal such as
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`.
/// Parsed as literals only (strings, True/False, tuples of integers); nothing is ever evaluated.
struct NumpyHeader: Equatable {
    /// The dtype string, e.g. `<f4`; nil when the dtype is a list (a structured array).
    var descr: String?
    var fortranOrder: Bool
    var shape: [Int]

    /// Why a header could not be parsed, without the file name (the caller adds it).
    struct Malformed: Error { let reason: String }

    static func parse(_ text: String) throws(Malformed) -> NumpyHeader {
        var parser = LiteralParser(Array(text.utf8))
        let entries = try parser.dictionary()
        var descr: String??
        var fortranOrder: Bool?
        var shape: [Int]?
        for (key, value) in entries {
            switch (key, value) {
            case ("descr", .string(let text)): descr = .some(text)
            case ("descr", .list): descr = .some(nil)
            case ("fortran_order", .bool(let flag)): fortranOrder = flag
            case ("shape", .integers(let sizes)): shape = sizes
            case ("descr", _), ("fortran_order", _), ("shape", _):
                throw Malformed(reason: "its header gives '\(key)' a value of the wrong kind")
            default:
                continue
            }
        }
        guard let descr, let fortranOrder, let shape else {
            throw Malformed(reason: "its header lacks one of 'descr', 'fortran_order' and 'shape'")
        }
        return NumpyHeader(descr: descr, fortranOrder: fortranOrder, shape: shape)
    }
}

/// A recursive-descent reader of the few Python literal forms numpy writes in headers.
private struct LiteralParser {
    enum Value { case string(String), bool(Bool), integers([Int]), list, other }

    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func dictionary() throws(NumpyHeader.Malformed) -> [(String, Value)] {
        try expect(UInt8(ascii: "{"))
        var entries: [(String, Value)] = []
        while true {
            skipSpace()
            if peek() == UInt8(ascii: "}") { index += 1; break }
            guard case .string(let key) = try value() else { throw malformed("a dict key is not a string") }
            try expect(UInt8(ascii: ":"))
            entries.append((key, try value()))
            skipSpace()
            if peek() == UInt8(ascii: ",") { index += 1; continue }
            try expect(UInt8(ascii: "}"))
            break
        }
        skipSpace()
        guard index == bytes.count else { throw malformed("text follows the closing brace of its header") }
        return entries
    }

    private mutating func value() throws(NumpyHeader.Malformed) -> Value {
        skipSpace()
        guard let first = peek() else { throw malformed("its header ends too early") }
        switch first {
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "("):
            return try tuple()
        case UInt8(ascii: "["):
            try skipBalanced(open: UInt8(ascii: "["), close: UInt8(ascii: "]"))
            return .list
        default:
            let word = self.word()
            switch word {
            case "True": return .bool(true)
            case "False": return .bool(false)
            case "": throw malformed("its header has an unexpected character")
            default: return .other
            }
        }
    }

    private mutating func string() throws(NumpyHeader.Malformed) -> String {
        let quote = bytes[index]
        index += 1
        let start = index
        while index < bytes.count, bytes[index] != quote {
            if bytes[index] == UInt8(ascii: "\\") { index += 1 }
            index += 1
        }
        guard index < bytes.count else { throw malformed("a string in its header is not closed") }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        index += 1
        return text
    }

    /// `(2, 3)`, `(5,)` or `()`; Python 2 files may write `2L`.
    private mutating func tuple() throws(NumpyHeader.Malformed) -> Value {
        index += 1
        var sizes: [Int] = []
        while true {
            skipSpace()
            if peek() == UInt8(ascii: ")") { index += 1; return .integers(sizes) }
            var word = self.word()
            if word.hasSuffix("L") { word.removeLast() }
            guard let size = Int(word), size >= 0 else { throw malformed("its shape holds \(word.isEmpty ? "something" : FileExcerpts.name(word, limit: 24)), not a size") }
            sizes.append(size)
            skipSpace()
            if peek() == UInt8(ascii: ",") { index += 1; continue }
            try expect(UInt8(ascii: ")"))
            return .integers(sizes)
        }
    }

    private mutating func skipBalanced(open: UInt8, close: UInt8) throws(NumpyHeader.Malformed) {
        var depth = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") { _ = try string(); continue }
            index += 1
            if byte == open { depth += 1 }
            if byte == close { depth -= 1; if depth == 0 { return } }
        }
        throw malformed("a list in its header is not closed")
    }

    private mutating func word() -> String {
        let start = index
        while let byte = peek(), byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) {
            index += 1
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func expect(_ byte: UInt8) throws(NumpyHeader.Malformed) {
        skipSpace()
        guard peek() == byte else {
            throw malformed("its header lacks a '\(Character(Unicode.Scalar(byte)))' where one belongs")
        }
        index += 1
    }

    private mutating func skipSpace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private func malformed(_ reason: String) -> NumpyHeader.Malformed { NumpyHeader.Malformed(reason: reason) }
}
