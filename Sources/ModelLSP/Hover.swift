import ModelC

/// `textDocument/hover`: on an argument name, its type, default, range and doc from the catalogue;
/// on a layer entry, the class's doc with the output shape and parameter count in this model.
enum Hover {
    static func markdown(_ analysis: Analysis, at location: SourceLocation) -> String? {
        guard let spec = analysis.layer(at: location) else { return nil }
        guard let descriptor = LayerCatalog.descriptor(named: spec.className.value) else {
            return "**\(spec.className.value)** is no layer modelc knows; see `modelc explain MC0301`."
        }
        if let (name, _) = analysis.argument(at: location, in: spec),
           let declaration = descriptor.arguments.first(where: { $0.name == name }) {
            return argument(declaration, of: descriptor.className)
        }
        var text = "**\(descriptor.className)** — \(descriptor.doc)"
        if let typed = analysis.typed(spec) {
            text += "\n\n`\(typed.name)`: output `\(typed.output.kerasDescription)`, \(TypedLayer.grouped(typed.parameterCount)) parameters"
            if typed.trainableParameterCount != typed.parameterCount {
                text += " (\(TypedLayer.grouped(typed.trainableParameterCount)) trainable)"
            }
        } else {
            text += "\n\nNot typed: an error above or in this entry stops the shapes here."
        }
        return text
    }

    static func argument(_ declaration: ArgumentDecl, of className: String) -> String {
        var text = "**\(className).\(declaration.name)**: \(declaration.type.name)"
        if let value = declaration.defaultValue { text += ", default `\(value)`" } else { text += ", required" }
        text += " (\(declaration.type.allowed))\n\n\(declaration.doc)"
        return text
    }
}

/// `textDocument/inlayHint`: at the end of each typed layer's first line, its output shape and
/// parameter count — the summary table inside the file.
enum InlayHints {
    static func hints(_ analysis: Analysis, from first: Int, to last: Int) -> [[String: Any]] {
        var hints: [[String: Any]] = []
        var seenLines = Set<Int>()
        for spec in analysis.result.document?.layers ?? [] {
            let line = spec.className.range.start.line
            guard line >= first, line <= last, !seenLines.contains(line), let typed = analysis.typed(spec) else { continue }
            seenLines.insert(line)
            let end = analysis.map.position(SourceLocation(line: line, column: analysis.map.line(line).unicodeScalars.count + 1))
            hints.append([
                "position": ["line": end.line, "character": end.character],
                "label": " → " + typed.hint,
                "kind": 1,
                "paddingLeft": true,
                "tooltip": "\(typed.name) (\(typed.className))",
            ])
        }
        return hints
    }
}
