/// The value one shorthand token spells (Grammar.md's `value`): a number, boolean, null, `AxB`
/// dimensions, a bracketed tuple of values (tuples nest: `((1, 1), (2, 2))`), a quoted string or a
/// word.
///
/// Works on indices into the token's scalars: every bracket's partner is found in one pass, and each
/// tuple splits at its own commas while stepping over nested tuples, so the time grows with the
/// token's length, not with length × nesting (the first version copied the rest of the text at every
/// level: 28 s for 16,000 levels).
struct ShorthandValue {
    private let text: String
    private let scalars: [Unicode.Scalar]
    /// For each opening bracket, the index of the bracket that closes it (-1 when none does); empty
    /// when the token has no brackets.
    private let partner: [Int32]

    init(_ text: String) {
        // Only a token that starts with a bracket can be a tuple; any other is read as a word,
        // whose text needs no scalar array.
        let opens = text.unicodeScalars.first.map { $0 == "(" || $0 == "[" } ?? false
        scalars = opens ? Array(text.unicodeScalars) : []
        self.text = text
        var partner: [Int32] = []
        if opens {
            partner = Array(repeating: -1, count: scalars.count)
            var open: [Int] = []
            for (index, scalar) in scalars.enumerated() {
                if scalar == "(" || scalar == "[" {
                    open.append(index)
                } else if scalar == ")" || scalar == "]", let opener = open.popLast() {
                    partner[opener] = Int32(index)
                }
            }
        }
        self.partner = partner
    }

    /// The whole token's value; every element of a tuple gets `range`.
    func value(range: SourceRange) -> SpecValue {
        guard !scalars.isEmpty else { return Self.word(text, range: range) }
        return value(scalars.startIndex..<scalars.endIndex, range: range, depth: 0)
    }

    private func value(_ bounds: Range<Int>, range: SourceRange, depth: Int) -> SpecValue {
        if let items = tupleItems(bounds), depth < Shorthand.maximumBracketNesting {
            return .list(items.map { Located(value($0, range: range, depth: depth + 1), range) })
        }
        return Self.word(String(String.UnicodeScalarView(scalars[bounds])), range: range)
    }

    /// A value that is not a tuple: a boolean, null, number, `AxB`, quoted string or word.
    private static func word(_ text: String, range: SourceRange) -> SpecValue {
        switch text {
        case "true", "True": return .bool(true)
        case "false", "False": return .bool(false)
        case "null", "None", "~": return .null
        default: break
        }
        if let number = SpecValue.parseNumber(text) { return number }
        if let dimensions = Shorthand.dimensions(text) {
            return .list(dimensions.map { Located(.int($0), range) })
        }
        let view = text.unicodeScalars
        if let first = view.first, first == "'" || first == "\"", view.last == first, view.index(after: view.startIndex) != view.endIndex {
            return .string(String(view.dropFirst().dropLast()))
        }
        return .string(text)
    }

    /// The element ranges (blanks trimmed) when `bounds` is one bracketed tuple: an opening bracket
    /// whose partner of the same kind is the last character. A trailing comma adds no element.
    private func tupleItems(_ bounds: Range<Int>) -> [Range<Int>]? {
        guard bounds.count >= 2, !partner.isEmpty else { return nil }
        let first = scalars[bounds.lowerBound], last = bounds.upperBound - 1
        guard (first == "(" && scalars[last] == ")") || (first == "[" && scalars[last] == "]"),
              partner[bounds.lowerBound] == Int32(last) else { return nil }
        var items: [Range<Int>] = []
        var start = bounds.lowerBound + 1
        var index = start
        while index < last {
            let scalar = scalars[index]
            if (scalar == "(" || scalar == "["), partner[index] >= 0 {
                // A nested tuple is split when its own turn comes.
                index = Int(partner[index]) + 1
                continue
            }
            if scalar == "," {
                items.append(trimmed(start..<index))
                start = index + 1
            }
            index += 1
        }
        let final = trimmed(start..<last)
        if !final.isEmpty { items.append(final) }
        return items
    }

    /// `bounds` without leading and trailing blanks.
    private func trimmed(_ bounds: Range<Int>) -> Range<Int> {
        var lower = bounds.lowerBound, upper = bounds.upperBound
        while lower < upper, scalars[lower] == " " || scalars[lower] == "\t" { lower += 1 }
        while upper > lower, scalars[upper - 1] == " " || scalars[upper - 1] == "\t" { upper -= 1 }
        return lower..<upper
    }
}
