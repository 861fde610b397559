import Foundation
import ModelC

/// `textDocument/completion`, judged from the text before the cursor (so it works on half-typed
/// YAML): layer classes at a new entry, the arguments of the class on the line (or of the block
/// mapping the line is in), values of choice arguments, optimizers, losses, metrics and callbacks in
/// compile and fit, input and layer names in `inputs:`/`outputs:`, a data split's keys and its window's,
/// and the sections at the top level.
enum Completion {
    struct Item {
        var label: String
        var kind: Int
        var detail: String
        var insertText: String? = nil

        var json: [String: Any] {
            var object: [String: Any] = ["label": label, "kind": kind, "detail": detail]
            if let insertText { object["insertText"] = insertText }
            return object
        }
    }

    // LSP CompletionItemKind values.
    static let classKind = 7, propertyKind = 10, valueKind = 12, moduleKind = 9, referenceKind = 18

    /// `names` are the inputs and layers known (from the last analysis that had them).
    static func items(_ analysis: Analysis, at location: SourceLocation, names: [String]) -> [Item] {
        let map = analysis.map
        let prefix = map.prefix(line: location.line, column: location.column)
        let section = self.section(map, line: location.line, prefix: prefix)
        if prefix.wholeMatch(of: /[A-Za-z_]*/) != nil {
            return SpecSection.allCases.map { Item(label: $0.rawValue, kind: moduleKind, detail: $0.doc, insertText: $0.rawValue + ": ") }
        }
        // A value after `key:` or `key=`.
        if let match = prefix.firstMatch(of: /([A-Za-z_]+)\s*[:=]\s*(?:\[\s*(?:[A-Za-z0-9_.-]+\s*,\s*)*)?([A-Za-z0-9_.-]*)$/) {
            let key = String(match.output.1)
            if key == "inputs" || key == "outputs" {
                return names.map { Item(label: $0, kind: referenceKind, detail: "input or layer") }
            }
            if section == "compile" {
                switch key {
                case "optimizer": return components(optimizerCatalog)
                case "loss": return components(lossCatalog)
                case "metrics": return components(metricCatalog)
                default: break
                }
            }
            if section == "fit", key == "callbacks" { return components(callbackCatalog) }
            if key == "learning_rate" || key == "schedule" { return components(scheduleCatalog) }
            if section == "layers", let descriptor = layerClass(map, line: location.line, prefix: prefix),
               let declaration = descriptor.arguments.first(where: { $0.name == key }) {
                return values(declaration)
            }
        }
        if section == "data", let declarations = dataKeys(map, line: location.line, prefix: prefix) {
            return declarations.map { declaration in
                Item(label: declaration.name, kind: propertyKind, detail: "\(declaration.type.name) — \(declaration.doc)",
                     insertText: declaration.name + ": ")
            }
        }
        if section == "fit", prefix.wholeMatch(of: /\s*-\s*[A-Za-z]*/) != nil { return components(callbackCatalog) }
        guard section == "layers" else { return [] }
        // A new layer entry: `- ` (block list) or after `[` / `,` in a flow list.
        if prefix.wholeMatch(of: /\s*-\s*[A-Za-z0-9]*/) != nil || prefix.wholeMatch(of: /.*(\[|,)\s*[A-Za-z0-9]*/) != nil
            && prefix.firstMatch(of: /[{]/) == nil && layerClass(map, line: location.line, prefix: prefix) == nil {
            return LayerCatalog.all.flatMap { descriptor in
                ([descriptor.className] + descriptor.aliases).map { Item(label: $0, kind: classKind, detail: descriptor.doc) }
            }
        }
        guard let descriptor = layerClass(map, line: location.line, prefix: prefix) else { return [] }
        // The keyword form (inside `{...}` or a block mapping) takes `name: `; the shorthand `name=` and bare words.
        let keyword = prefix.contains("{") || !prefix.contains(descriptor.className)
            || prefix.firstMatch(of: /-\s*[A-Za-z0-9]+\s*:/) != nil
        var items = descriptor.arguments.map { declaration in
            Item(label: declaration.name, kind: propertyKind, detail: "\(declaration.type.name) — \(declaration.doc)",
                 insertText: declaration.name + (keyword ? ": " : "="))
        }
        if !keyword {
            for word in descriptor.words {
                if let declaration = descriptor.arguments.first(where: { $0.name == word }) { items += values(declaration) }
            }
            items += descriptor.arguments.filter { if case .bool = $0.type { return true }; return false }
                .map { Item(label: $0.name, kind: valueKind, detail: "flag: \($0.doc)") }
        }
        if descriptor.has(.wrapper), keyword { items.append(Item(label: "layer", kind: propertyKind, detail: "the wrapped layer", insertText: "layer: ")) }
        return items
    }

    /// Values an argument takes by name.
    static func values(_ declaration: ArgumentDecl) -> [Item] {
        func names(_ type: ArgumentType) -> [String] {
            switch type {
            case .choice(let names), .intOrChoice(_, _, let names): names
            case .activation: Activation.allCases.map(\.rawValue)
            case .initializer: InitializerName.all
            case .bool: ["true", "false"]
            case .optional(let inner): names(inner) + ["null"]
            default: []
            }
        }
        return names(declaration.type).map { Item(label: $0, kind: valueKind, detail: declaration.name) }
    }

    static func components(_ catalog: ComponentCatalog) -> [Item] {
        catalog.all.flatMap { descriptor in
            (descriptor.names + [descriptor.className]).map { Item(label: $0, kind: classKind, detail: descriptor.doc) }
        }
    }

    /// In `data:`, the keys the cursor may write: a split's (dataSplitArguments) or its window's
    /// (timeseriesWindowArguments), in a flow mapping `{...` on the line or a block mapping below
    /// `train:` / `window:`.
    static func dataKeys(_ map: PositionMap, line: Int, prefix: String) -> [ArgumentDecl]? {
        if prefix.firstMatch(of: /window\s*:\s*\{[^}]*$/) != nil { return timeseriesWindowArguments }
        if prefix.firstMatch(of: /^\s+[A-Za-z_]+\s*:\s*\{[^}]*$/) != nil { return dataSplitArguments }
        guard prefix.wholeMatch(of: /\s+[A-Za-z_]*/) != nil else { return nil }
        let indent = prefix.prefix { $0 == " " }.count
        var number = line - 1
        while number >= 1 {
            let text = map.line(number)
            let own = text.prefix { $0 == " " }.count
            if own < indent, let match = text.firstMatch(of: /^\s*([A-Za-z_]+)\s*:\s*$/) {
                let key = String(match.output.1)
                if key == "window" { return timeseriesWindowArguments }
                return dataSplitNames.contains(key) ? dataSplitArguments : nil
            }
            if own < indent || text.firstMatch(of: /^[A-Za-z_]/) != nil { return nil }
            number -= 1
        }
        return nil
    }

    /// The top-level key whose block holds `line` (the line itself when it starts one).
    static func section(_ map: PositionMap, line: Int, prefix: String) -> String? {
        var number = line
        while number >= 1 {
            let text = number == line ? prefix : map.line(number)
            if let match = text.firstMatch(of: /^([A-Za-z_]+)\s*:/) { return String(match.output.1) }
            number -= 1
        }
        return nil
    }

    /// The class of the layer entry the cursor is in: named on this line after `- ` (or `[`, `,`),
    /// or on the nearest `- Class:` line above for a block mapping.
    static func layerClass(_ map: PositionMap, line: Int, prefix: String) -> LayerDescriptor? {
        let entries = prefix.matches(of: /(?:^\s*-\s*|[\[,]\s*)([A-Z][A-Za-z0-9]*)(?=[\s:({=]|$)/)
        for entry in entries.reversed() {
            if let descriptor = LayerCatalog.descriptor(named: String(entry.output.1)),
               prefix[entry.range.upperBound...].contains(" ") || prefix[entry.range.upperBound...].contains(":") {
                return descriptor
            }
        }
        guard prefix.firstMatch(of: /^\s+[A-Za-z_]*$/) != nil else { return nil }
        let indent = prefix.prefix { $0 == " " }.count
        var number = line - 1
        while number >= 1 {
            let text = map.line(number)
            let own = text.prefix { $0 == " " }.count
            if own < indent, let match = text.firstMatch(of: /^\s*-\s*([A-Z][A-Za-z0-9]*)\s*:\s*$/) {
                return LayerCatalog.descriptor(named: String(match.output.1))
            }
            if own < indent - 2 || text.firstMatch(of: /^[A-Za-z_]/) != nil { return nil }
            number -= 1
        }
        return nil
    }
}
