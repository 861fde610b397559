/// Seeded edits of a spec file's bytes for SpecMutationPropertyTests: one to three per mutant,
/// each described (with its position) so that a failing mutant can be rebuilt by hand.
enum SpecMutator {
    enum Edit: CaseIterable {
        case flipBit, deleteSpan, duplicateLine, insertPunctuation, truncate, reindent, tabIndent,
             swapValues, replaceNumber, insertUnicode, insertLineBreak
    }

    /// Characters that open, close or start YAML and shorthand structure.
    static let punctuation = ["[", "]", "{", "}", "(", ")", "\"", "'", ",", ": ", "- ", "#", "&a ", "*a ", "!!str ",
                              "|", ">", "%", "@", "`", "=", "? "]
    /// Numbers that are too big, negative, zero, fractional, out of Double's range or not numbers.
    static let numbers = ["0", "-1", "-3", "0.5", "99999999999999999999", "4294967296", "9223372036854775808",
                          "1e309", "1e-400", "-0", ".nan", "1_000"]
    /// Two-byte, three-byte and four-byte scalars, a no-break space and a zero-width space.
    static let unicode = ["é", "日本", "😀", "\u{00A0}", "\u{200B}"]
    /// The line breaks libyaml knows besides LF: CR, CRLF, NEL, LS and PS.
    static let lineBreaks = ["\r", "\r\n", "\u{85}", "\u{2028}", "\u{2029}"]

    static func mutate(_ original: [UInt8], random: inout SeededGenerator) -> (bytes: [UInt8], edits: [String]) {
        var bytes = original
        var edits: [String] = []
        // Mostly one edit, so that some mutants stay valid models and reach the summaries.
        for _ in 0..<[1, 1, 1, 2, 3].randomElement(using: &random)! {
            let edit = Edit.allCases.randomElement(using: &random)!
            if let description = apply(edit, to: &bytes, random: &random) { edits.append(description) }
        }
        return (bytes, edits)
    }

    /// Applies one edit; nil when the text offers nothing to apply it to.
    static func apply(_ edit: Edit, to bytes: inout [UInt8], random: inout SeededGenerator) -> String? {
        switch edit {
        case .flipBit:
            guard !bytes.isEmpty else { return nil }
            let at = Int.random(in: bytes.indices, using: &random)
            let bit = UInt8(1) << UInt8.random(in: 0...7, using: &random)
            bytes[at] ^= bit
            return "flip bit \(bit) at byte \(at)"
        case .deleteSpan:
            guard !bytes.isEmpty else { return nil }
            let at = Int.random(in: bytes.indices, using: &random)
            let length = Int.random(in: 1...min(32, bytes.count - at), using: &random)
            bytes.removeSubrange(at..<(at + length))
            return "delete \(length) bytes at \(at)"
        case .duplicateLine:
            let lines = lineRanges(bytes)
            let line = lines.randomElement(using: &random)!
            bytes.insert(contentsOf: bytes[line] + [newline], at: line.lowerBound)
            return "duplicate the line at byte \(line.lowerBound)"
        case .insertPunctuation:
            return insert(punctuation.randomElement(using: &random)!, into: &bytes, random: &random)
        case .truncate:
            guard !bytes.isEmpty else { return nil }
            let at = Int.random(in: bytes.indices, using: &random)
            bytes.removeSubrange(at...)
            return "truncate at byte \(at)"
        case .reindent:
            let line = lineRanges(bytes).randomElement(using: &random)!
            let leading = bytes[line].prefix { $0 == space }.count
            if leading > 0, Bool.random(using: &random) {
                let removed = min(leading, Int.random(in: 1...2, using: &random))
                bytes.removeSubrange(line.lowerBound..<(line.lowerBound + removed))
                return "unindent the line at byte \(line.lowerBound) by \(removed)"
            }
            let added = Int.random(in: 1...3, using: &random)
            bytes.insert(contentsOf: repeatElement(space, count: added), at: line.lowerBound)
            return "indent the line at byte \(line.lowerBound) by \(added)"
        case .tabIndent:
            let indented = lineRanges(bytes).filter { bytes[$0].first == space }
            guard let line = indented.randomElement(using: &random) else { return nil }
            bytes[line.lowerBound] = UInt8(ascii: "\t")
            return "tab at byte \(line.lowerBound)"
        case .swapValues:
            return swapValues(&bytes, random: &random)
        case .replaceNumber:
            let runs = numberRuns(bytes)
            guard let run = runs.randomElement(using: &random) else { return nil }
            let number = numbers.randomElement(using: &random)!
            bytes.replaceSubrange(run, with: Array(number.utf8))
            return "number at byte \(run.lowerBound) becomes \(number)"
        case .insertUnicode:
            return insert(unicode.randomElement(using: &random)!, into: &bytes, random: &random)
        case .insertLineBreak:
            return insert(lineBreaks.randomElement(using: &random)!, into: &bytes, random: &random)
        }
    }

    static func insert(_ text: String, into bytes: inout [UInt8], random: inout SeededGenerator) -> String {
        let at = Int.random(in: 0...bytes.count, using: &random)
        bytes.insert(contentsOf: Array(text.utf8), at: at)
        return "insert \(text.debugDescription) at byte \(at)"
    }

    /// Two `key: value` lines exchange their values.
    static func swapValues(_ bytes: inout [UInt8], random: inout SeededGenerator) -> String? {
        var values: [Range<Int>] = []
        for line in lineRanges(bytes) {
            let text = bytes[line]
            guard let colon = text.indices.first(where: { text[$0] == UInt8(ascii: ":") && $0 + 1 < line.upperBound && text[$0 + 1] == space }),
                  colon + 2 < line.upperBound else { continue }
            values.append((colon + 2)..<line.upperBound)
        }
        guard values.count >= 2 else { return nil }
        let pair = values.shuffled(using: &random).prefix(2).sorted { $0.lowerBound < $1.lowerBound }
        let (first, second) = (pair[0], pair[1])
        let firstText = Array(bytes[first]), secondText = Array(bytes[second])
        // The later one first, so the earlier range stays valid.
        bytes.replaceSubrange(second, with: firstText)
        bytes.replaceSubrange(first, with: secondText)
        return "swap the values at bytes \(first.lowerBound) and \(second.lowerBound)"
    }

    /// Every line without its break; a file without breaks is one line.
    static func lineRanges(_ bytes: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == newline {
            ranges.append(start..<index)
            start = index + 1
        }
        ranges.append(start..<bytes.count)
        return ranges
    }

    /// Maximal runs of digits (with points inside), the numbers a spec writes.
    static func numberRuns(_ bytes: [UInt8]) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var index = 0
        while index < bytes.count {
            guard isDigit(bytes[index]) else { index += 1; continue }
            let start = index
            while index < bytes.count, isDigit(bytes[index]) || bytes[index] == UInt8(ascii: ".") { index += 1 }
            runs.append(start..<index)
        }
        return runs
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    static let newline = UInt8(ascii: "\n")
    static let space = UInt8(ascii: " ")
}
