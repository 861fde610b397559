/// Builds a `SpecDocument` from a YAML tree: finds the top-level sections and splits every layer
/// entry, shorthand or keyword form, into class name and arguments.
public enum SpecReader {
    /// Reads a spec file; the document is nil only when the file is not a usable YAML mapping.
    public static func read(_ file: SourceFile) -> (document: SpecDocument?, diagnostics: [Diagnostic]) {
        let (root, yamlDiagnostics) = YAMLReader.read(file)
        var diagnostics = yamlDiagnostics
        if yamlDiagnostics.contains(where: { $0.severity == .error }), root == nil {
            return (nil, diagnostics)
        }
        let start = SourceRange(at: SourceLocation(line: 1, column: 1))
        guard let root, !isNull(root) else {
            diagnostics.append(.error(.specStructure,
                "empty spec; a spec is a mapping with at least `input:` and `layers:` (see Grammar.md)", at: start))
            return (nil, diagnostics)
        }
        guard case .mapping(let pairs) = root.content else {
            diagnostics.append(.error(.specStructure,
                "a spec is a mapping of sections (\(SpecSection.allCases.map(\.rawValue).joined(separator: ", "))), not \(root.kindDescription)",
                at: root.range))
            return (nil, diagnostics)
        }
        var document = SpecDocument(range: root.range)
        for pair in pairs {
            guard let key = pair.key.scalarText else { continue }
            guard let section = SpecSection(rawValue: key) else {
                let fix = ["input_shape", "shape", "model", "sequential"].contains(key) ? nil
                    : Suggestion.fix(for: key, among: SpecSection.allCases.map(\.rawValue), at: pair.key.range)
                diagnostics.append(.error(.unknownSection, unknownSectionMessage(key), at: pair.key.range, fixes: fix.map { [$0] } ?? []))
                continue
            }
            switch section {
            case .name: document.name = value(pair.value, &diagnostics)
            case .input: document.input = value(pair.value, &diagnostics)
            case .inputs: document.inputs = value(pair.value, &diagnostics)
            case .outputs: document.outputs = value(pair.value, &diagnostics)
            case .compile: document.compile = value(pair.value, &diagnostics)
            case .fit: document.fit = value(pair.value, &diagnostics)
            case .data: document.data = value(pair.value, &diagnostics)
            case .layers:
                document.layersKey = pair.key.range
                document.layers = layers(pair.value, &diagnostics)
            }
        }
        return (document, diagnostics)
    }

    static func unknownSectionMessage(_ key: String) -> String {
        let known = SpecSection.allCases.map(\.rawValue)
        var message = "unknown top-level key '\(Excerpt.of(key, limit: 60))'; a spec has \(known.joined(separator: ", "))"
        switch key {
        case "input_shape", "shape": message += "; write the sample shape as `input: [...]`"
        case "model", "sequential": message += "; list the layers under `layers:`"
        default: message += Suggestion.phrase(for: key, among: known)
        }
        return message
    }

    // MARK: Values

    static func isNull(_ node: YAMLNode) -> Bool {
        if case .scalar(let text, .plain) = node.content, node.tag == nil {
            if case .null = SpecValue.resolvingPlainScalar(text) { return true }
        }
        return node.tag == "!!null"
    }

    /// Converts a YAML node to a typed value, honouring standard tags.
    static func value(_ node: YAMLNode, _ diagnostics: inout [Diagnostic]) -> Located<SpecValue> {
        switch node.content {
        case .scalar(let text, let style):
            return Located(scalar(text, style: style, tag: node.tag, range: node.range, &diagnostics), node.range)
        case .sequence(let items):
            return Located(.list(items.map { value($0, &diagnostics) }), node.range)
        case .mapping(let pairs):
            let entries = pairs.compactMap { pair -> SpecEntry? in
                guard let key = pair.key.scalarText else { return nil }
                return SpecEntry(key: Located(key, pair.key.range), value: value(pair.value, &diagnostics))
            }
            return Located(.mapping(entries), node.range)
        }
    }

    static func scalar(_ text: String, style: ScalarStyle, tag: String?, range: SourceRange, _ diagnostics: inout [Diagnostic]) -> SpecValue {
        switch tag {
        case "!!str": return .string(text)
        case nil:
            return style == .plain ? .resolvingPlainScalar(text) : .string(text)
        default:
            let resolved = SpecValue.resolvingPlainScalar(text)
            switch (tag, resolved) {
            case ("!!int", .int), ("!!float", .float), ("!!bool", .bool), ("!!null", .null): return resolved
            case ("!!float", .int(let value)): return .float(Double(value))
            default:
                diagnostics.append(.error(.unsupportedTag, "'\(Excerpt.of(text, limit: 60))' is not a valid \(tag ?? "") value", at: range))
                return .string(text)
            }
        }
    }

    // MARK: Layers

    static func layers(_ node: YAMLNode, _ diagnostics: inout [Diagnostic]) -> [LayerSpec] {
        guard case .sequence(let items) = node.content else {
            diagnostics.append(.error(.missingLayers,
                "`layers` is a list with one entry per layer, e.g. `- Dense 8 relu`; found \(node.kindDescription)",
                at: node.range))
            return []
        }
        if items.isEmpty {
            diagnostics.append(.error(.missingLayers, "`layers` is empty; a model needs at least one layer", at: node.range))
        }
        return items.compactMap { layer($0, &diagnostics) }
    }

    /// One layer entry: a shorthand string or a one-key mapping `{ClassName: {arguments}}`.
    static func layer(_ node: YAMLNode, _ diagnostics: inout [Diagnostic]) -> LayerSpec? {
        switch node.content {
        case .scalar(let text, let style):
            if isNull(node) {
                diagnostics.append(.error(.malformedLayerEntry, "empty layer entry; write a layer such as `- Dense 8 relu` or remove the '-'", at: node.range))
                return nil
            }
            let start = contentStart(of: node, text: text, style: style)
            return Shorthand.parse(text, range: node.range, contentStart: start, diagnostics: &diagnostics)
        case .sequence:
            diagnostics.append(.error(.malformedLayerEntry,
                "a layer is a string like `LSTM 8` or a mapping like `LSTM: {units: 8}`, not a list", at: node.range))
            return nil
        case .mapping(let pairs):
            guard let first = pairs.first, let className = first.key.scalarText else {
                diagnostics.append(.error(.malformedLayerEntry, "empty layer mapping; write `ClassName: {arguments}`", at: node.range))
                return nil
            }
            if pairs.count > 1 {
                let keys = pairs.compactMap(\.key.scalarText)
                diagnostics.append(.error(.malformedLayerEntry,
                    "a layer is a one-key mapping `\(className): {arguments}`, but this one has \(pairs.count) keys (\(keys.joined(separator: ", "))); move \(keys.dropFirst().joined(separator: ", ")) inside \(className)'s arguments",
                    at: pairs[1].key.range))
            }
            return keywordLayer(className: Located(className, first.key.range), arguments: first.value,
                                range: node.range, &diagnostics)
        }
    }

    static func keywordLayer(className: Located<String>, arguments node: YAMLNode, range: SourceRange,
                             _ diagnostics: inout [Diagnostic]) -> LayerSpec {
        var arguments: [LayerArgument] = []
        var wrapped: WrappedLayer?
        var inputs: (key: SourceRange, value: Located<SpecValue>)?
        switch node.content {
        case .mapping(let pairs):
            for pair in pairs {
                guard let name = pair.key.scalarText else { continue }
                if name == "layer" {
                    if let inner = layer(pair.value, &diagnostics) {
                        wrapped = WrappedLayer(layer: inner, keyRange: pair.key.range)
                    }
                } else if name == "inputs" {
                    inputs = (pair.key.range, value(pair.value, &diagnostics))
                } else {
                    arguments.append(.keyword(name: Located(name, pair.key.range), value: value(pair.value, &diagnostics)))
                }
            }
        case .scalar where isNull(node):
            break
        default:
            diagnostics.append(.error(.malformedLayerEntry,
                "the arguments of \(className.value) are a mapping such as `{units: 8}`; for the short form write `- \(className.value) ...` as one string",
                at: node.range))
        }
        return LayerSpec(className: className, form: .keyword, arguments: arguments, wrapped: wrapped, inputs: inputs, range: range)
    }

    /// Where a scalar's text begins in the file, when every character of the text sits on one line
    /// exactly as written (so offsets inside the text map to columns); nil otherwise.
    static func contentStart(of node: YAMLNode, text: String, style: ScalarStyle) -> SourceLocation? {
        let range = node.range
        guard range.start.line == range.end.line else { return nil }
        let width = range.end.column - range.start.column
        let count = text.unicodeScalars.count
        switch style {
        case .plain where width >= count:
            // Plain text has no escapes, so it ends its node; counting back from the end skips an
            // anchor or tag written before it.
            return SourceLocation(line: range.start.line, column: range.end.column - count)
        case .singleQuoted, .doubleQuoted:
            // Escapes make the written text longer than the value; only an exact fit maps.
            return width == count + 2 ? range.start.advanced(by: 1) : nil
        default:
            return nil
        }
    }
}
