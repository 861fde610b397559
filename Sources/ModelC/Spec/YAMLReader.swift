import CYAML

/// Reads a spec file into a `YAMLNode` tree with libyaml's event API.
///
/// Everything that can go wrong becomes a located diagnostic: bytes that are not UTF-8, syntax
/// errors (tabs in indentation among them), duplicate keys, unknown aliases, unsupported tags,
/// more than one document, nesting or alias expansion past fixed limits. Nothing here recurses
/// on input depth and nothing expands aliases unboundedly, so no input can crash or hang it.
public enum YAMLReader {
    /// Specs are small; anything larger is a mistake (or an attack) and is refused before parsing.
    public static let maximumBytes = 4 << 20
    /// Nodes in the document after alias expansion; a "billion laughs" file stops here.
    public static let maximumNodes = 100_000
    /// Collections nested inside each other.
    public static let maximumDepth = 64

    /// The root node (nil when the file holds no document or parsing failed) and what went wrong.
    public static func read(_ file: SourceFile) -> (root: YAMLNode?, diagnostics: [Diagnostic]) {
        if file.bytes.count > maximumBytes {
            return (nil, [.error(.specFileTooLarge,
                "spec file is \(file.bytes.count) bytes; modelc reads specs of at most \(maximumBytes) bytes",
                at: SourceRange(at: SourceLocation(line: 1, column: 1)))])
        }
        if let offset = firstInvalidUTF8Offset(file.bytes) {
            let hex = String(file.bytes[offset], radix: 16, uppercase: true)
            return (nil, [.error(.notUTF8,
                "file is not valid UTF-8: byte 0x\(hex) cannot appear here; save the spec as UTF-8",
                at: SourceRange(at: file.location(ofByte: offset)))])
        }
        if file.bytes.isEmpty {
            return (nil, [])
        }
        var builder = TreeBuilder(file: file)
        return file.bytes.withUnsafeBufferPointer { buffer in
            builder.run(buffer)
        }
    }
}

/// Turns libyaml's event stream into a tree, keeping an explicit stack instead of recursing.
private struct TreeBuilder {
    /// A collection being read. Children are appended in place through `stack`'s last element:
    /// arrays held in enum payloads would be copied on every append, making wide lists quadratic.
    struct Frame {
        var isMapping: Bool
        var items: [YAMLNode] = []
        var pairs: [YAMLPair] = []
        var pendingKey: YAMLNode?
        /// Keys already in this mapping, with where they were first written.
        var seen: [String: SourceRange] = [:]
        var start: SourceLocation
        var anchor: String?
        var tag: String?
        /// Nodes inside this collection after alias expansion, itself included.
        var weight: Int = 1
    }

    let file: SourceFile
    var stack: [Frame] = []
    var anchors: [String: (node: YAMLNode, weight: Int)] = [:]
    var root: YAMLNode?
    var nodeCount = 0
    var documents = 0
    var diagnostics: [Diagnostic] = []
    /// Set by a problem after which the rest of the document is not worth reading.
    var stop = false

    /// Where the file ends, and how many characters libyaml's marks count to get there (a
    /// byte-order mark is not one of them).
    let end: SourceLocation
    let characters: Int

    init(file: SourceFile) {
        self.file = file
        end = file.location(ofByte: file.bytes.count)
        characters = file.bytes.reduce(0) { $0 + ($1 & 0xC0 != 0x80 ? 1 : 0) } - (file.bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 1 : 0)
    }

    /// Parses until the stream ends or a fatal problem stops it.
    mutating func run(_ buffer: UnsafeBufferPointer<UInt8>) -> (root: YAMLNode?, diagnostics: [Diagnostic]) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            return (nil, [.error(.yamlSyntax, "libyaml could not allocate a parser", at: SourceRange(at: SourceLocation(line: 1, column: 1)))])
        }
        defer { yaml_parser_delete(&parser) }
        guard let base = buffer.baseAddress else { return (nil, []) }
        yaml_parser_set_input_string(&parser, base, buffer.count)

        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                diagnostics.append(syntaxError(parser))
                return (nil, diagnostics)
            }
            let keepGoing = handle(&event) && !stop
            let finished = event.type == YAML_STREAM_END_EVENT
            yaml_event_delete(&event)
            if !keepGoing { return (nil, diagnostics) }
            if finished { break }
        }
        return (root, diagnostics)
    }

    // MARK: Events

    /// Handles one event; false stops parsing because the document cannot be trusted any further.
    mutating func handle(_ event: inout yaml_event_t) -> Bool {
        let start = location(event.start_mark)
        let range = SourceRange(start: start, end: location(event.end_mark))
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                diagnostics.append(.error(.multipleDocuments,
                    "a spec file holds one YAML document, but a second one starts here; remove the '---' or split the file",
                    at: SourceRange(at: start, length: 3)))
                return false
            }
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = string(scalar.value, length: scalar.length)
            let style: ScalarStyle = switch scalar.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: .literal
            case YAML_FOLDED_SCALAR_STYLE: .folded
            default: .plain
            }
            let tag = checkedTag(scalar.tag, at: range)
            var node = YAMLNode(.scalar(text, style), range: range, tag: tag)
            if style == .plain, let misaligned = Indentation(file: file).foldedItem(in: range, text: text) {
                // Keep the item's own first line, so the rest of the spec is still checked as written.
                diagnostics.append(misaligned)
                let firstLine = file.line(range.start.line).map { String($0.unicodeScalars.dropFirst(range.start.column - 1)) } ?? text
                let own = firstLine.trimmingWhitespace
                node = YAMLNode(.scalar(own, style), range: SourceRange(at: range.start, length: own.unicodeScalars.count), tag: tag)
            }
            return add(node, weight: 1, anchor: optionalString(scalar.anchor), newNodes: 1)
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            return push(Frame(isMapping: false, start: start, anchor: optionalString(data.anchor),
                              tag: checkedTag(data.tag, at: range)), at: range)
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            return push(Frame(isMapping: true, start: start,
                              anchor: optionalString(data.anchor), tag: checkedTag(data.tag, at: range)), at: range)
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { return false }
            let whole = SourceRange(start: frame.start, end: range.end)
            let node = YAMLNode(frame.isMapping ? .mapping(frame.pairs) : .sequence(frame.items), range: whole, tag: frame.tag)
            // The collection and its children were counted as they appeared; only hand the weight upwards.
            return add(node, weight: frame.weight, anchor: frame.anchor, newNodes: 0)
        case YAML_ALIAS_EVENT:
            let name = optionalString(event.data.alias.anchor) ?? ""
            guard let anchored = anchors[name] else {
                let shown = Excerpt.of(name, limit: 60)
                diagnostics.append(.error(.undefinedAlias, "alias '*\(shown)' refers to no anchor defined before it; define '&\(shown)' first", at: range))
                return false
            }
            var node = anchored.node
            node.range = range
            return add(node, weight: anchored.weight, anchor: nil, newNodes: anchored.weight)
        default:
            break
        }
        return true
    }

    mutating func push(_ frame: Frame, at range: SourceRange) -> Bool {
        if stack.count >= YAMLReader.maximumDepth {
            diagnostics.append(.error(.yamlLimits,
                "collections are nested more than \(YAMLReader.maximumDepth) levels deep; a spec never needs that",
                at: range))
            return false
        }
        nodeCount += 1
        stack.append(frame)
        return true
    }

    /// Attaches a finished node to its parent (or makes it the root). `weight` is the node's size after
    /// alias expansion; `newNodes` is how much of it has not been counted yet.
    mutating func add(_ node: YAMLNode, weight: Int, anchor: String?, newNodes: Int) -> Bool {
        nodeCount += newNodes
        if nodeCount > YAMLReader.maximumNodes {
            diagnostics.append(.error(.yamlLimits,
                "this document expands to more than \(YAMLReader.maximumNodes) nodes (aliases repeat their anchor's content); remove the aliases",
                at: node.range))
            return false
        }
        if let anchor {
            anchors[anchor] = (node, weight)
        }
        guard !stack.isEmpty else {
            root = node
            return true
        }
        let top = stack.count - 1
        stack[top].weight += weight
        guard stack[top].isMapping else {
            stack[top].items.append(node)
            return true
        }
        if let key = stack[top].pendingKey {
            // A duplicate key was reported when it was read; its value is dropped so that
            // nothing downstream reports the same mistake again.
            let isDuplicate = key.scalarText.map { stack[top].seen[$0] != key.range } ?? false
            if !isDuplicate {
                stack[top].pairs.append(YAMLPair(key: key, value: node))
            }
            stack[top].pendingKey = nil
            return true
        }
        if let text = node.scalarText {
            if let first = stack[top].seen[text] {
                let key = Excerpt.of(text, limit: 60)
                diagnostics.append(.error(.duplicateKey,
                    "duplicate key '\(key)' in this mapping; YAML keeps only one, so remove or rename one of them",
                    at: node.range,
                    notes: [.note("'\(key)' first appears here", at: first)]))
            } else {
                stack[top].seen[text] = node.range
            }
        } else {
            diagnostics.append(.error(.complexKey, "mapping keys must be plain names, not \(node.kindDescription)", at: node.range))
        }
        stack[top].pendingKey = node
        return true
    }

    // MARK: Helpers

    /// The whole character (all of its UTF-8 bytes) that starts at byte `index`.
    func character(at index: Int) -> String {
        var end = index + 1
        while end < file.bytes.count, end - index < 4, file.bytes[end] & 0xC0 == 0x80 { end += 1 }
        return String(decoding: file.bytes[index..<min(end, file.bytes.count)], as: UTF8.self)
    }

    func location(_ mark: yaml_mark_t) -> SourceLocation {
        // At the end of a file without a final line break, libyaml has already moved to a line
        // after the last one (it forces a break before the stream ends): point after the last character.
        if Int(mark.index) >= characters { return end }
        return SourceLocation(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, length: Int) -> String {
        guard let pointer, length > 0 else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    func optionalString(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    /// Standard tags in short form (`!!int`); anything else is reported and dropped.
    mutating func checkedTag(_ pointer: UnsafeMutablePointer<yaml_char_t>?, at range: SourceRange) -> String? {
        guard let tag = optionalString(pointer) else { return nil }
        let prefix = "tag:yaml.org,2002:"
        let known = ["str", "int", "float", "bool", "null", "seq", "map"]
        if tag.hasPrefix(prefix), known.contains(String(tag.dropFirst(prefix.count))) {
            return "!!" + tag.dropFirst(prefix.count)
        }
        if tag == "!" { return "!!str" }
        let shown = Excerpt.of(tag.hasPrefix(prefix) ? "!!" + tag.dropFirst(prefix.count) : tag, limit: 60)
        diagnostics.append(.error(.unsupportedTag,
            "YAML tag '\(shown)' is not supported; specs hold plain values (the standard tags !!str, !!int, !!float, !!bool, !!null are allowed)",
            at: range))
        stop = true
        return nil
    }

    /// A libyaml failure rewritten as a located diagnostic that says how to fix the file.
    func syntaxError(_ parser: yaml_parser_t) -> Diagnostic {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        let context = parser.context.map { String(cString: $0) }
        if parser.error == YAML_READER_ERROR {
            let at = file.location(ofByte: Int(parser.problem_offset))
            let message: String
            if problem.contains("control characters") {
                message = "control character (byte 0x\(String(parser.problem_value, radix: 16, uppercase: true))) in the file; YAML allows only printable characters, tabs and line breaks"
            } else {
                message = "the file cannot be read as YAML text: \(problem)"
            }
            return .error(.yamlSyntax, message, at: SourceRange(at: at))
        }
        if parser.error == YAML_MEMORY_ERROR {
            return .error(.yamlSyntax, "libyaml ran out of memory reading this file", at: SourceRange(at: SourceLocation(line: 1, column: 1)))
        }
        let at = location(parser.problem_mark)
        // A mark's index counts characters, not bytes; the line and column find the byte.
        let index = file.byteOffset(of: at) ?? file.bytes.count
        let contextLine = Int(parser.context_mark.line) + 1
        let offending: UInt8? = index < file.bytes.count ? file.bytes[index] : nil
        let blockProblems = ["mapping values are not allowed in this context", "did not find expected key",
                             "did not find expected '-' indicator", "block sequence entries are not allowed in this context"]
        if blockProblems.contains(problem), offending != UInt8(ascii: "\t") {
            // The line libyaml stopped at, or the one before it, may be a block entry one column off.
            let indentation = Indentation(file: file)
            for line in [at.line, at.line - 1] where line >= 1 {
                if let misaligned = indentation.diagnostic(line: line) { return misaligned }
            }
        }
        let message: String
        if offending == UInt8(ascii: "\t") || problem.contains("tab") {
            message = "tab character in indentation; YAML indents with spaces only, so replace the tab with spaces"
        } else if problem == "mapping values are not allowed in this context" {
            message = "unexpected ':' here; indent this key under its parent mapping, or quote the text if the ':' belongs to a value"
        } else if problem == "did not find expected key" {
            message = "this line does not continue the mapping that starts at line \(contextLine); align its key with that mapping's keys"
        } else if problem == "did not find expected '-' indicator" {
            message = "this line does not continue the list that starts at line \(contextLine); start list items with '- ' at the same indentation"
        } else if problem == "found unexpected end of stream", let context, context.contains("quoted scalar") {
            // libyaml notices at the end of the file; the mistake is the opening quote.
            return .error(.yamlSyntax, "quoted string starting at line \(contextLine) is never closed; add the closing quote",
                          at: SourceRange(at: location(parser.context_mark)))
        } else if problem.hasPrefix("did not find expected ','") {
            let closer = problem.hasSuffix("']'") ? "]" : "}"
            message = "expected ',' or '\(closer)' in the flow collection that starts at line \(contextLine); close it with '\(closer)'"
        } else if problem == "found character that cannot start any token", offending != nil {
            message = "'\(Excerpt.of(character(at: index), limit: 12))' cannot start a YAML value; quote the value"
        } else if let context {
            message = "YAML syntax error: \(problem) (\(context) at line \(contextLine))"
        } else {
            message = "YAML syntax error: \(problem)"
        }
        return .error(.yamlSyntax, message, at: SourceRange(at: at))
    }
}
