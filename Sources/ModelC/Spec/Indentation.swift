/// Finds the line whose indentation breaks a YAML block: a list item or key one or two columns off
/// its siblings. libyaml reports such a line as a syntax error somewhere near it, or (a list item
/// indented too far) not at all, folding it into the text of the item above; both read better as
/// "this line is indented one column too far", at the line, with the edit that aligns it.
struct Indentation {
    let file: SourceFile

    /// What a line of a block starts with.
    enum Kind: Equatable {
        case item
        case key
    }

    /// A line's indentation (spaces) and kind; nil for blank lines, comments and other content.
    func shape(of number: Int) -> (indent: Int, kind: Kind?)? {
        guard let text = file.line(number) else { return nil }
        let indent = text.prefix { $0 == " " }.count
        let content = text.dropFirst(indent)
        if content.isEmpty || content.hasPrefix("#") { return nil }
        if content == "-" || content.hasPrefix("- ") { return (indent, .item) }
        if let colon = content.firstIndex(of: ":"),
           content[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || "_-.".contains($0) }),
           !content[..<colon].isEmpty,
           content.index(after: colon) == content.endIndex || content[content.index(after: colon)] == " " {
            return (indent, .key)
        }
        return (indent, nil)
    }

    /// The nearest line above `number` of the same kind whose indentation differs by one or two
    /// columns, looking no further than the block's parent.
    func misalignedSibling(of number: Int) -> (line: Int, indent: Int, own: Int, kind: Kind)? {
        guard let own = shape(of: number), let kind = own.kind else { return nil }
        var candidate = number - 1
        while candidate >= 1 {
            if let other = shape(of: candidate) {
                if other.indent < own.indent - 2 { return nil }
                if other.kind == kind, other.indent != own.indent, abs(other.indent - own.indent) <= 2 {
                    return (candidate, other.indent, own.indent, kind)
                }
                if other.kind == kind, other.indent == own.indent { return nil }
            }
            candidate -= 1
        }
        return nil
    }

    /// The diagnostic for a misaligned line, with the edit that aligns it; `folded` names the text
    /// YAML folded it into, when it read the line as more of the item above.
    func diagnostic(line number: Int, folded: String? = nil) -> Diagnostic? {
        guard let sibling = misalignedSibling(of: number) else { return nil }
        let difference = sibling.own - sibling.indent
        let amount = "\(abs(difference)) column\(abs(difference) == 1 ? "" : "s") \(difference > 0 ? "more" : "less")"
        let what = sibling.kind == .item ? "list item" : "key"
        let marker = sibling.kind == .item ? "its '-'" : "it"
        var message = "this \(what) is indented \(amount) than the \(what) at line \(sibling.line)"
        if let folded {
            message += ", so YAML reads it as more text of that item ('\(Excerpt.of(folded, limit: 60))')"
        } else {
            message += ", so YAML cannot tell which block it belongs to"
        }
        message += "; align \(marker) with column \(sibling.indent + 1)"
        let at = SourceRange(at: SourceLocation(line: number, column: sibling.own + 1))
        let whitespace = SourceRange(start: SourceLocation(line: number, column: 1),
                                     end: SourceLocation(line: number, column: sibling.own + 1))
        let fix = Fix("indent this line by \(sibling.indent) space\(sibling.indent == 1 ? "" : "s"), as line \(sibling.line)",
                      edits: [TextEdit(whitespace, String(repeating: " ", count: sibling.indent))])
        return .error(.yamlIndentation, message, at: at,
                      notes: [.note("the \(what) it should align with", at: SourceRange(at: SourceLocation(line: sibling.line, column: sibling.indent + 1)))],
                      fixes: [fix])
    }

    /// For a plain scalar that spans lines: the first continuation line that is really a list item
    /// (indented too far to start one), with its diagnostic.
    func foldedItem(in range: SourceRange, text: String) -> Diagnostic? {
        guard range.end.line > range.start.line else { return nil }
        for number in (range.start.line + 1)...range.end.line {
            guard let shape = shape(of: number), shape.kind == .item else { continue }
            return diagnostic(line: number, folded: text)
        }
        return nil
    }
}
