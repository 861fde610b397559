import ModelC

/// `textDocument/documentSymbol` (the inputs and layers with their shapes) and
/// `textDocument/definition` (from a name in `inputs:`/`outputs:` to what it names).
enum Symbols {
    static func symbols(_ analysis: Analysis) -> [[String: Any]] {
        var symbols: [[String: Any]] = []
        let map = analysis.map
        if case .mapping(let entries)? = analysis.result.document?.inputs?.value {
            for entry in entries {
                symbols.append(["name": entry.key.value, "detail": "input", "kind": 13,
                                "range": map.range(entry.key.range.union(entry.value.range)), "selectionRange": map.range(entry.key.range)])
            }
        } else if let input = analysis.result.document?.input {
            symbols.append(["name": "input", "detail": input.value.display, "kind": 13,
                            "range": map.range(input.range), "selectionRange": map.range(input.range)])
        }
        for spec in analysis.result.document?.layers ?? [] {
            let typed = analysis.typed(spec)
            var symbol: [String: Any] = [
                "name": typed?.name ?? spec.className.value,
                "detail": typed.map { "\($0.className) → \($0.output.kerasDescription)" } ?? spec.className.value,
                "kind": 5,
                "range": map.range(spec.range.union(spec.className.range)),
                "selectionRange": map.range(spec.className.range),
            ]
            if let inner = spec.wrapped?.layer {
                symbol["children"] = [["name": inner.className.value, "detail": "wrapped", "kind": 5,
                                       "range": map.range(inner.range.union(inner.className.range)),
                                       "selectionRange": map.range(inner.className.range)]]
            }
            symbols.append(symbol)
        }
        return symbols
    }

    /// The name under `location` inside a layer's `inputs:` or the top-level `outputs:`.
    static func name(_ analysis: Analysis, at location: SourceLocation) -> String? {
        var values: [Located<SpecValue>] = []
        if let outputs = analysis.result.document?.outputs { values.append(outputs) }
        for spec in analysis.layers { if let inputs = spec.inputs { values.append(inputs.value) } }
        for value in values {
            let items: [Located<SpecValue>]
            switch value.value {
            case .list(let list): items = list
            default: items = [value]
            }
            for item in items {
                if case .string(let text) = item.value, analysis.contains(item.range, location) { return text }
            }
        }
        return nil
    }

    static func definition(_ analysis: Analysis, at location: SourceLocation) -> [String: Any]? {
        guard let name = name(analysis, at: location), let range = analysis.declaration(of: name) else { return nil }
        return ["uri": analysis.uri, "range": analysis.map.range(range)]
    }
}
