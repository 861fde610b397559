/// A layer entry matched to its catalogue descriptor, arguments bound and checked.
/// `arguments` is nil when they had errors (already reported); shapes then stop at this layer.
final class ResolvedLayer {
    let spec: LayerSpec
    let descriptor: LayerDescriptor
    let arguments: ResolvedArguments?
    let inner: ResolvedLayer?
    /// Keras's name, assigned in construction order (wrapped layers first).
    var name = ""
    /// Where the name came from: the `name` value, or the class name for automatic names.
    var nameRange: SourceRange

    init(spec: LayerSpec, descriptor: LayerDescriptor, arguments: ResolvedArguments?, inner: ResolvedLayer?) {
        self.spec = spec
        self.descriptor = descriptor
        self.arguments = arguments
        self.inner = inner
        self.nameRange = spec.className.range
    }

    /// The explicit `name` as written, even if other arguments failed.
    var explicitName: Located<String>? {
        for argument in spec.arguments {
            if case .keyword(let key, let value) = argument, key.value == "name", case .string(let text) = value.value {
                return Located(text, value.range)
            }
        }
        return nil
    }

    /// True when every argument here and in the wrapped layer checked out.
    var isComplete: Bool { arguments != nil && (descriptor.has(.wrapper) ? inner?.isComplete ?? false : true) }

    var label: String { "\(name) (\(descriptor.className))" }

    /// Where `name` was written on this layer or the layers it wraps.
    func argumentRange(_ name: String) -> SourceRange? {
        arguments?.ranges[name] ?? inner?.argumentRange(name)
    }

    /// `trainable: false` here or on any layer it wraps freezes all the weights, as in Keras.
    var isFrozen: Bool { arguments?.bool("trainable") == false || inner?.isFrozen == true }
}

enum LayerResolution {
    /// Finds the descriptor, binds and converts the arguments, and resolves a wrapped layer.
    static func resolve(_ spec: LayerSpec, _ diagnostics: inout DiagnosticBag) -> ResolvedLayer? {
        guard let descriptor = LayerCatalog.descriptor(named: spec.className.value) else {
            let names = LayerCatalog.allNames
            var message = "unknown layer '\(Excerpt.of(spec.className.value, limit: 60))'"
            let suggestion = Suggestion.phrase(for: spec.className.value, among: names)
            message += suggestion.isEmpty
                ? "; modelc's layers are " + LayerCatalog.all.map(\.className).joined(separator: ", ")
                : suggestion
            diagnostics.error(.unknownLayer, message, at: spec.className.range,
                              fixes: Suggestion.fix(for: spec.className.value, among: names, at: spec.className.range).map { [$0] } ?? [])
            return nil
        }
        let binder = ArgumentBinder(owner: descriptor.className, declarations: descriptor.arguments)
        let (table, bound) = binder.bindLayer(spec, descriptor, &diagnostics)
        let resolvedArguments = binder.resolve(table, missingAt: spec.className.range,
                                               example: descriptor.examples.first, &diagnostics)
        let arguments = bound ? resolvedArguments : nil
        var inner: ResolvedLayer?
        if descriptor.has(.wrapper) {
            if let wrapped = spec.wrapped {
                inner = resolve(wrapped.layer, &diagnostics)
                if let inner, inner.arguments?.isExplicit("input_shape") == true {
                    diagnostics.error(.wrapperMisuse, "input_shape belongs on \(descriptor.className), not on the layer it wraps", at: inner.arguments?.ranges["input_shape"] ?? inner.spec.className.range)
                }
                if let inputs = wrapped.layer.inputs {
                    diagnostics.error(.wrapperMisuse, "inputs belongs on \(descriptor.className), not on the layer it wraps: the wrapper reads the tensor and hands it on; move `inputs` beside `layer:`",
                                      at: inputs.key)
                }
            } else {
                diagnostics.error(.wrapperMisuse,
                    "\(descriptor.className) needs the layer it wraps, e.g. `\(descriptor.examples.first ?? descriptor.className)` or `\(descriptor.className): {layer: {LSTM: {units: 16}}}`",
                    at: spec.className.range)
            }
        } else if let wrapped = spec.wrapped {
            let what = spec.form == .shorthand ? "'\(Excerpt.of(wrapped.layer.className.value, limit: 60))' starts a wrapped layer, but" : "`layer` wraps a layer, but"
            diagnostics.error(.wrapperMisuse, "\(what) \(descriptor.className) wraps nothing; only Bidirectional and TimeDistributed take a layer",
                              at: wrapped.keyRange)
        }
        return ResolvedLayer(spec: spec, descriptor: descriptor, arguments: arguments, inner: inner)
    }

    /// Keras's automatic names: the snake_case class name, then `_1`, `_2`, ... per class within the
    /// model. A wrapped layer is built first, so it takes its name before its wrapper (`gru` inside
    /// a Bidirectional makes the next GRU `gru_1`). Explicit names leave the counters alone.
    static func assignNames(_ layers: [ResolvedLayer]) {
        var counters: [String: Int] = [:]
        func visit(_ layer: ResolvedLayer) {
            if let inner = layer.inner { visit(inner) }
            if let explicit = layer.explicitName {
                layer.name = explicit.value
                layer.nameRange = explicit.range
            } else {
                let stem = layer.descriptor.autoName
                let count = counters[stem, default: 0]
                layer.name = count == 0 ? stem : "\(stem)_\(count)"
                counters[stem] = count + 1
            }
        }
        layers.forEach(visit)
    }

    /// Keras refuses two layers of one model with the same name; input layers count too.
    static func checkUniqueNames(_ layers: [ResolvedLayer], inputs: [Located<String>], _ diagnostics: inout DiagnosticBag) {
        var seen: [String: (what: String, range: SourceRange)] = [:]
        for input in inputs where seen[input.value] == nil {
            seen[input.value] = ("an input", input.range)
        }
        for layer in layers {
            if let first = seen[layer.name] {
                let how = layer.explicitName == nil ? "the automatic name of this \(layer.descriptor.className) is '\(layer.name)'" : "'\(layer.name)' is already taken"
                diagnostics.error(.duplicateLayerName, "duplicate layer name '\(layer.name)': \(how), and Keras needs unique names in a model; rename one of them",
                                  at: layer.nameRange, notes: [.note("'\(layer.name)' is the name of \(first.what) here", at: first.range)])
            } else {
                seen[layer.name] = (layer.descriptor.className, layer.nameRange)
            }
        }
    }
}
