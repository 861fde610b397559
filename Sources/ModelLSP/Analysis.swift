import Foundation
import ModelC

/// One open document, checked: its text, the checker's result and the lookups every feature needs.
/// Built on each change; nothing in it can trap on half-typed text (the checker takes any bytes).
struct Analysis {
    let uri: String
    let version: Int
    let text: String
    let file: SourceFile
    let result: SpecChecker.Result
    let map: PositionMap

    init(uri: String, version: Int, text: String, encoding: PositionEncoding) {
        self.uri = uri
        self.version = version
        self.text = text
        file = SourceFile(path: Analysis.path(of: uri), text: text)
        result = SpecChecker.check(file)
        map = PositionMap(text: text, encoding: encoding)
    }

    /// `file:///a/b.yaml` → `/a/b.yaml` (percent-decoded); other URIs as they are.
    static func path(of uri: String) -> String {
        guard uri.hasPrefix("file://") else { return uri }
        return String(uri.dropFirst(7)).removingPercentEncoding ?? String(uri.dropFirst(7))
    }

    /// Every layer entry, wrapped layers after their wrapper.
    var layers: [LayerSpec] {
        func flatten(_ spec: LayerSpec) -> [LayerSpec] { [spec] + (spec.wrapped.map { flatten($0.layer) } ?? []) }
        return (result.document?.layers ?? []).flatMap(flatten)
    }

    /// The innermost layer entry at `location` (a wrapped layer before its wrapper).
    func layer(at location: SourceLocation) -> LayerSpec? {
        layers.last { contains($0.range, location) || $0.className.range.start.line == location.line && $0.range.start.line == location.line }
    }

    /// The typed layer an entry became, if it could be typed.
    func typed(_ spec: LayerSpec) -> TypedLayer? {
        result.typedLayers.first { $0.range == spec.range }
    }

    func contains(_ range: SourceRange, _ location: SourceLocation) -> Bool {
        range.start <= location && location <= range.end
    }

    /// The keyword argument whose name is at `location`.
    func argument(at location: SourceLocation, in spec: LayerSpec) -> (name: String, value: Located<SpecValue>)? {
        for argument in spec.arguments {
            if case .keyword(let name, let value) = argument, contains(name.range, location) { return (name.value, value) }
        }
        return nil
    }

    /// Names a layer's `inputs:` or the model's `outputs:` may use: the inputs, then the layers.
    var tensorNames: [String] {
        var names: [String] = []
        if case .mapping(let entries)? = result.document?.inputs?.value { names += entries.map(\.key.value) }
        names += result.typedLayers.map(\.name)
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    /// Where the input or layer called `name` is declared.
    func declaration(of name: String) -> SourceRange? {
        if case .mapping(let entries)? = result.document?.inputs?.value, let entry = entries.first(where: { $0.key.value == name }) {
            return entry.key.range
        }
        if let layer = result.typedLayers.first(where: { $0.name == name }),
           let spec = layers.first(where: { $0.range == layer.range }) {
            return spec.className.range
        }
        return nil
    }
}

extension TypedLayer {
    /// `(None, 100, 16) · 8,000 params`, what a summary row says of the layer.
    var hint: String {
        "\(output.kerasDescription) · \(Self.grouped(parameterCount)) param\(parameterCount == 1 ? "" : "s")"
    }

    static func grouped(_ value: Int) -> String {
        let digits = String(value)
        var output = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { output += "," }
            output.append(character)
        }
        return output
    }
}
