/// Splits text into words the way Keras's `text_to_word_sequence` does, with the IMDB cleanup the
/// seeds relied on:
/// - the HTML line break `<br />` (also `<br/>`, `<br>`, any case) is a blank;
/// - letters are lowercased (any script), when `lowercase` is set;
/// - Keras's filter characters ``!"#$%&()*+,-./:;<=>?@[\]^_`{|}~``, tabs, line breaks and any other
///   Unicode punctuation or symbol separate words;
/// - apostrophes (`'` and `’`) stay inside words (`don't`) but are stripped from a word's ends
///   (`'great'` → `great`), so quoting does not make new words.
/// Letters, digits and marks of every script are kept, so `café` and `naïve` are single words.
public struct Tokenizer: Sendable {
    public let lowercase: Bool

    public init(lowercase: Bool = true) {
        self.lowercase = lowercase
    }

    /// The words of `text`, in order.
    public func words(_ text: String) -> [String] {
        var result: [String] = []
        forEachWord(text) { result.append(String(decoding: $0, as: UTF8.self)) }
        return result
    }

    /// Calls `body` with each word's UTF-8 bytes (a reused buffer: copy what you keep).
    public func forEachWord(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            var word: [UInt8] = []
            word.reserveCapacity(32)
            func flush() {
                // Apostrophes at a word's ends are quotation, not part of the word.
                var start = 0, end = word.count
                while start < end, word[start] == apostrophe { start += 1 }
                while end > start, word[end - 1] == apostrophe { end -= 1 }
                if start < end { word[start..<end].withUnsafeBufferPointer(body) }
                word.removeAll(keepingCapacity: true)
            }
            var index = 0
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                if byte < 0x80 {
                    if byte == lessThan, isLineBreakTag(bytes, index) {
                        flush()
                        index = bytes.index(of: greaterThan, from: index) + 1
                        continue
                    }
                    if isWordByte[Int(byte)] {
                        word.append(lowercase && byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
                    } else {
                        flush()
                    }
                    index += 1
                    continue
                }
                // A multi-byte scalar: decode it, keep letters/digits/marks, map ’ to '.
                let (scalar, length) = decode(bytes, index)
                index += length
                if scalar == "\u{2019}" || scalar == "\u{02BC}" {
                    word.append(apostrophe)
                    continue
                }
                let properties = scalar.properties
                if properties.isAlphabetic || properties.numericType != nil || properties.generalCategory.isMark {
                    if lowercase, properties.changesWhenLowercased {
                        for lowered in properties.lowercaseMapping.unicodeScalars { appendUTF8(lowered, to: &word) }
                    } else {
                        appendUTF8(scalar, to: &word)
                    }
                } else {
                    flush()
                }
            }
            flush()
        }
    }
}

private let apostrophe = UInt8(ascii: "'")
private let lessThan = UInt8(ascii: "<")
private let greaterThan = UInt8(ascii: ">")

/// ASCII bytes that belong to words: letters, digits and the apostrophe (Keras's filters are the rest).
private let isWordByte: [Bool] = (0..<128).map { byte in
    let scalar = Unicode.Scalar(UInt8(byte))
    return ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "'"
}

/// `<br>`, `<br/>`, `<br />` (any case, any blanks before the `>`) starting at `index`.
private func isLineBreakTag(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> Bool {
    guard index + 3 < bytes.count, bytes[index + 1] | 0x20 == UInt8(ascii: "b"), bytes[index + 2] | 0x20 == UInt8(ascii: "r") else {
        return false
    }
    var cursor = index + 3
    while cursor < bytes.count, bytes[cursor] == UInt8(ascii: " ") || bytes[cursor] == UInt8(ascii: "/") { cursor += 1 }
    return cursor < bytes.count && bytes[cursor] == greaterThan
}

private extension UnsafeBufferPointer<UInt8> {
    func index(of byte: UInt8, from start: Int) -> Int {
        var cursor = start
        while cursor < count, self[cursor] != byte { cursor += 1 }
        return cursor
    }
}

private extension Unicode.GeneralCategory {
    var isMark: Bool { self == .nonspacingMark || self == .spacingMark || self == .enclosingMark }
}

/// Decodes the scalar at `index` of valid UTF-8.
@inline(__always)
private func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> (Unicode.Scalar, Int) {
    let lead = bytes[index]
    let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
    var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
    for offset in 1..<length where index + offset < bytes.count {
        value = value << 6 | UInt32(bytes[index + offset] & 0x3F)
    }
    return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
}

@inline(__always)
private func appendUTF8(_ scalar: Unicode.Scalar, to word: inout [UInt8]) {
    for unit in UTF8.encode(scalar)! { word.append(unit) }
}
