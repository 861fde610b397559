/// The one-string layer form: `LSTM 8 return_sequences dropout=0.3`, `Embedding 500x16`,
/// `Bidirectional sum LSTM 16`. Grammar.md gives the EBNF; this is its parser.
///
/// Tokens are separated by blanks; `name=value` binds (blanks around `=` are allowed); brackets
/// group a tuple such as `(10, 4)`. A bare token that starts with a capital letter begins the
/// wrapped layer, which takes every token after it.
public enum Shorthand {
    /// Wrappers nested inside one string; deeper nesting is refused before it can exhaust the stack.
    public static let maximumNesting = 16
    /// Brackets nested inside one token, as deep as the YAML reader lets collections nest.
    public static let maximumBracketNesting = YAMLReader.maximumDepth

    struct Token {
        enum Kind { case word, equals }
        var kind: Kind
        var text: String
        /// Offset in Unicode scalars from the start of the string.
        var offset: Int
        var length: Int
    }

    /// Parses one shorthand string. `contentStart` is where its first character sits in the file,
    /// when known, so that every token gets its own column.
    public static func parse(_ text: String, range: SourceRange, contentStart: SourceLocation?,
                             diagnostics: inout [Diagnostic]) -> LayerSpec? {
        func tokenRange(_ offset: Int, _ length: Int) -> SourceRange {
            guard let contentStart else { return range }
            return SourceRange(at: contentStart.advanced(by: offset), length: length)
        }
        let tokens: [Token]
        switch lex(text) {
        case .success(let lexed): tokens = lexed
        case .failure(let problem):
            diagnostics.append(.error(.shorthandSyntax, problem.message, at: tokenRange(problem.offset, 1)))
            return nil
        }
        guard !tokens.isEmpty else {
            diagnostics.append(.error(.malformedLayerEntry, "empty layer entry; write a layer such as `Dense 8 relu`", at: range))
            return nil
        }
        return parseLayer(tokens[...], wholeRange: range, tokenRange: tokenRange, depth: 0, diagnostics: &diagnostics)
    }

    private static func parseLayer(_ tokens: ArraySlice<Token>, wholeRange: SourceRange,
                                   tokenRange: (Int, Int) -> SourceRange, depth: Int,
                                   diagnostics: inout [Diagnostic]) -> LayerSpec? {
        guard depth <= maximumNesting else {
            diagnostics.append(.error(.shorthandSyntax, "layers are nested more than \(maximumNesting) deep in one shorthand string", at: wholeRange))
            return nil
        }
        guard let head = tokens.first, head.kind == .word, isIdentifier(head.text) else {
            let at = tokens.first.map { tokenRange($0.offset, $0.length) } ?? wholeRange
            diagnostics.append(.error(.shorthandSyntax,
                "a layer starts with its class name, e.g. `Dense 8 relu`; found '\(Excerpt.of(tokens.first?.text ?? "", limit: 60))'", at: at))
            return nil
        }
        let className = Located(head.text, tokenRange(head.offset, head.length))
        var arguments: [LayerArgument] = []
        var wrapped: WrappedLayer?
        var inputs: (key: SourceRange, value: Located<SpecValue>)?
        var index = tokens.index(after: tokens.startIndex)
        while index < tokens.endIndex {
            let token = tokens[index]
            let next = tokens.index(after: index)
            if token.kind == .equals {
                diagnostics.append(.error(.shorthandSyntax, "'=' must stand between an argument name and its value, as in `units=8`",
                                          at: tokenRange(token.offset, token.length)))
                index = next
                continue
            }
            if next < tokens.endIndex, tokens[next].kind == .equals {
                let valueIndex = tokens.index(after: next)
                guard valueIndex < tokens.endIndex, tokens[valueIndex].kind == .word else {
                    let name = Excerpt.of(token.text, limit: 60)
                    diagnostics.append(.error(.shorthandSyntax, "'\(name)=' needs a value after the '=', as in `\(name)=8`",
                                              at: tokenRange(tokens[next].offset, 1)))
                    return nil
                }
                let valueToken = tokens[valueIndex]
                guard isIdentifier(token.text) else {
                    diagnostics.append(.error(.shorthandSyntax, "'\(Excerpt.of(token.text, limit: 60))' is not an argument name", at: tokenRange(token.offset, token.length)))
                    index = tokens.index(after: valueIndex)
                    continue
                }
                let valueRange = tokenRange(valueToken.offset, valueToken.length)
                let nameRange = tokenRange(token.offset, token.length)
                let written = Located(value(of: valueToken.text, range: valueRange), valueRange)
                if token.text == "inputs", inputs == nil {
                    inputs = (nameRange, written)
                } else {
                    arguments.append(.keyword(name: Located(token.text, nameRange), value: written))
                }
                index = tokens.index(after: valueIndex)
                continue
            }
            let isValueWord = ["True", "False", "None"].contains(token.text)
            if !isValueWord, let first = token.text.unicodeScalars.first, ("A"..."Z").contains(first), isIdentifier(token.text) {
                let innerTokens = tokens[index...]
                let innerRange = tokenRange(token.offset, (innerTokens.last.map { $0.offset + $0.length } ?? 0) - token.offset)
                // A wrapped layer that failed to parse was reported; its wrapper would only add noise.
                guard var inner = parseLayer(innerTokens, wholeRange: innerRange, tokenRange: tokenRange, depth: depth + 1,
                                             diagnostics: &diagnostics) else { return nil }
                // The wrapped layer takes the rest of the string, so `Bidirectional LSTM 8 inputs=x`
                // writes the wrapper's inputs last; a wrapped layer never reads tensors of its own.
                if inputs == nil, let lifted = inner.inputs {
                    inputs = lifted
                    inner.inputs = nil
                }
                wrapped = WrappedLayer(layer: inner, keyRange: inner.className.range)
                break
            }
            let range = tokenRange(token.offset, token.length)
            arguments.append(.bare(Located(value(of: token.text, range: range), range)))
            index = next
        }
        return LayerSpec(className: className, form: .shorthand, arguments: arguments, wrapped: wrapped, inputs: inputs,
                         range: wholeRange)
    }

    /// The value a token spells: a number, boolean, null, `AxB` dimensions, a bracketed tuple or a word.
    static func value(of text: String, range: SourceRange) -> SpecValue {
        ShorthandValue(text).value(range: range)
    }

    /// `500x16` → [500, 16].
    static func dimensions(_ text: String) -> [Int]? {
        guard let first = text.utf8.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else { return nil }
        let parts = text.split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return nil }
        var values: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(part) else { return nil }
            values.append(value)
        }
        return values
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || first.properties.isAlphabetic, first.isASCII else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }

    struct LexProblem: Error {
        var message: String
        var offset: Int
    }

    /// Splits the string into words and `=` signs, keeping bracketed groups whole.
    static func lex(_ text: String) -> Result<[Token], LexProblem> {
        var tokens: [Token] = []
        let scalars = text.unicodeScalars
        // The word being read: where it starts, as an index and as an offset. Its text is cut from
        // the string once it ends, not built a scalar at a time (slow for a 4 MiB token).
        var wordStart: String.UnicodeScalarView.Index?
        var currentStart = 0
        var depth = 0
        var openedAt = 0
        var offset = 0
        var index = scalars.startIndex
        func flush() {
            if let start = wordStart {
                tokens.append(Token(kind: .word, text: String(scalars[start..<index]), offset: currentStart, length: offset - currentStart))
                wordStart = nil
            }
        }
        while index != scalars.endIndex {
            let scalar = scalars[index]
            defer {
                offset += 1
                index = scalars.index(after: index)
            }
            if depth == 0, scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
                flush()
                continue
            }
            if depth == 0, scalar == "=" {
                flush()
                tokens.append(Token(kind: .equals, text: "=", offset: offset, length: 1))
                continue
            }
            if scalar == "(" || scalar == "[" {
                if depth == 0 { openedAt = offset }
                depth += 1
                if depth > maximumBracketNesting {
                    return .failure(LexProblem(
                        message: "brackets are nested more than \(maximumBracketNesting) deep; a tuple such as `(2, 3)` needs one pair", offset: offset))
                }
            } else if scalar == ")" || scalar == "]" {
                depth -= 1
                if depth < 0 {
                    return .failure(LexProblem(message: "'\(scalar)' closes nothing; remove it or add the opening bracket", offset: offset))
                }
            }
            if wordStart == nil {
                wordStart = index
                currentStart = offset
            }
        }
        if depth > 0 {
            return .failure(LexProblem(message: "bracket opened here is never closed", offset: openedAt))
        }
        flush()
        return .success(tokens)
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        let scalars = Set(set.unicodeScalars)
        var slice = Substring(self)
        while let first = slice.unicodeScalars.first, scalars.contains(first) { slice = Substring(slice.unicodeScalars.dropFirst()) }
        while let last = slice.unicodeScalars.last, scalars.contains(last) { slice = Substring(slice.unicodeScalars.dropLast()) }
        return String(slice)
    }
}
