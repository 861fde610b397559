/// What the model checker hands on: the graph before compile, fit and data are attached.
struct CheckedModel {
    var name: String
    var isFunctional: Bool
    var inputs: [ModelInput]
    var layers: [TypedLayer]
    var outputs: [Int]
}

/// One declared input of a functional spec, as written.
struct InputDeclaration {
    var name: Located<String>
    var shape: [Int?]
    /// `dtype` when written: int32 makes token ids, float32 features.
    var dtype: Located<String>?
    var range: SourceRange
}

/// The functional form: named inputs, layers that read any earlier tensor, several outputs.
extension ModelChecker {
    mutating func checkGraph(_ document: SpecDocument, name: String, entries: [ResolvedLayer?]) -> CheckedModel? {
        let declared = inputDeclarations(document)
        let layers = entries.compactMap { $0 }
        LayerResolution.checkUniqueNames(layers, inputs: declared.map(\.name), &diagnostics)
        if let input = document.input {
            diagnostics.error(.sequentialFunctionalMix, "the spec has both `input` (Sequential) and `inputs` (functional); keep `inputs` and give every input its name there",
                              at: input.range)
        }
        for layer in layers {
            if let range = layer.arguments?.ranges["input_shape"] {
                diagnostics.error(.sequentialFunctionalMix, "input_shape has no place in a functional spec: shapes come from `inputs:`; remove it", at: range)
            }
        }
        // What each entry reads; nil where that could not be resolved (already reported).
        var names = GraphNames(inputs: declared, entries: entries)
        var sources: [[TensorSource]?] = []
        for (index, entry) in entries.enumerated() {
            guard let entry else {
                sources.append(nil)
                continue
            }
            sources.append(resolveSources(of: entry, at: index, entries: entries, inputs: declared, names: &names))
        }
        let outputs = outputLayers(document, entries: entries, inputs: declared, names: &names)
        guard !declared.isEmpty else { return nil }

        // Input types: ids when declared int32, or when undeclared and an Embedding reads them.
        var readByEmbedding = Set<Int>()
        for (position, entry) in entries.enumerated() {
            guard let entry, let read = sources[position], Self.looksUpTokens(entry) else { continue }
            for case .input(let input) in read { readByEmbedding.insert(input) }
        }
        var modelInputs: [ModelInput] = []
        for (index, input) in declared.enumerated() {
            let ids = input.dtype.map { $0.value == "int32" } ?? readByEmbedding.contains(index)
            modelInputs.append(ModelInput(name: input.name.value, type: TensorType(input.shape, ids ? .tokenIDs : .float),
                                          range: input.range))
        }

        // Type every layer whose inputs are typed; a failed layer silences only what reads it.
        var typed: [TypedLayer?] = []
        for (index, entry) in entries.enumerated() {
            guard let entry, entry.isComplete, let read = sources[index] else {
                typed.append(nil)
                continue
            }
            var types: [TensorType] = []
            var producers: [TypedLayer?] = []
            var names: [String] = []
            for source in read {
                switch source {
                case .input(let input):
                    types.append(modelInputs[input].type)
                    producers.append(nil)
                    names.append("from \(modelInputs[input].name)")
                case .layer(let layer):
                    if let producer = typed[layer] {
                        types.append(producer.output)
                        producers.append(producer)
                        names.append("from \(producer.name)")
                    }
                }
            }
            guard types.count == read.count else {
                typed.append(nil)
                continue
            }
            typed.append(type(entry, sources: read, inputs: types, producers: producers, names: names))
        }
        typedLayers = typed.compactMap { $0 }
        guard let outputs, !diagnostics.hasErrors, typed.allSatisfy({ $0 != nil }) else { return nil }
        return pruned(CheckedModel(name: name, isFunctional: true, inputs: modelInputs, layers: typed.map { $0! },
                                   outputs: outputs), entries: layers)
    }

    // MARK: Inputs

    /// `inputs: {tokens: [20], feats: {shape: [4, 8], dtype: float32}}`.
    mutating func inputDeclarations(_ document: SpecDocument) -> [InputDeclaration] {
        guard let written = document.inputs else { return [] }
        guard case .mapping(let entries) = written.value, !entries.isEmpty else {
            let example = "`inputs: {tokens: [20], feats: [4, 8]}`"
            if case .list = written.value {
                diagnostics.error(.invalidInputsDeclaration, "`inputs` maps each input's name to its shape, e.g. \(example); for one unnamed input write `input: [...]`",
                                  at: written.range)
            } else {
                diagnostics.error(.invalidInputsDeclaration, "`inputs` maps each input's name to its shape, e.g. \(example)", at: written.range)
            }
            return []
        }
        var declared: [InputDeclaration] = []
        for entry in entries {
            if case .failure(let problem) = convert(.string(entry.key.value), to: .text(.layerName), subject: "the input name") {
                diagnostics.error(.invalidInputsDeclaration, problem.message, at: entry.key.range)
                continue
            }
            var shapeValue = entry.value
            var dtype: Located<String>?
            if case .mapping(let fields) = entry.value.value {
                var shapeField: Located<SpecValue>?
                for field in fields {
                    switch field.key.value {
                    case "shape": shapeField = field.value
                    case "dtype":
                        guard case .string(let text) = field.value.value, ["int32", "float32"].contains(text) else {
                            diagnostics.error(.invalidInputsDeclaration, "input '\(entry.key.value)' dtype is int32 (token ids) or float32 (features), got \(field.value.value.display)",
                                              at: field.value.range)
                            continue
                        }
                        dtype = Located(text, field.value.range)
                    default:
                        diagnostics.error(.invalidInputsDeclaration, "input '\(entry.key.value)' has no key '\(field.key.value)'; an input is `{shape: [...], dtype: int32|float32}`"
                                          + Suggestion.phrase(for: field.key.value, among: ["shape", "dtype"]), at: field.key.range)
                    }
                }
                guard let shapeField else {
                    diagnostics.error(.invalidInputsDeclaration, "input '\(entry.key.value)' needs a shape, e.g. `\(entry.key.value): {shape: [20], dtype: int32}`", at: entry.value.range)
                    continue
                }
                shapeValue = shapeField
            }
            switch convert(shapeValue.value, to: .shape(allowsInferred: false, allowsUnknown: true), subject: "input '\(entry.key.value)'") {
            case .success(.ints(let sizes)):
                declared.append(InputDeclaration(name: entry.key, shape: sizes, dtype: dtype, range: entry.key.range.union(entry.value.range)))
            case .failure(let problem):
                diagnostics.error(.invalidArgumentValue, problem.message, at: shapeValue.range)
            default:
                break
            }
        }
        return declared
    }

    // MARK: Edges

    /// The tensors entry `index` reads: its `inputs` names (inputs or earlier layers), else the entry
    /// before it (the only input, for the first entry).
    mutating func resolveSources(of layer: ResolvedLayer, at index: Int, entries: [ResolvedLayer?],
                                 inputs: [InputDeclaration], names graph: inout GraphNames) -> [TensorSource]? {
        let arity = layer.descriptor.rule.arity
        guard let written = layer.spec.inputs else {
            if arity.takesList {
                diagnostics.error(.mergeArity, "\(layer.label) merges a list of tensors; name them with `inputs: [a, b]`", at: layer.spec.className.range)
                return nil
            }
            if index > 0 {
                return entries[index - 1] == nil ? nil : [.layer(index - 1)]
            }
            if inputs.count == 1 { return [.input(0)] }
            if !inputs.isEmpty {
                diagnostics.error(.ambiguousInput, "\(layer.label) is the first layer of a model with \(inputs.count) inputs, so it cannot tell which it reads; add `inputs: \(inputs[0].name.value)` (one of \(inputs.map(\.name.value).joined(separator: ", ")))",
                                  at: layer.spec.className.range)
            }
            return nil
        }
        if case .string(let name) = written.value.value, arity.takesList {
            diagnostics.error(.mergeArity, "\(layer.label) merges a list of tensors, like Keras's merge layers called on a list; write `inputs: [\(name), ...]`",
                              at: written.value.range)
            return nil
        }
        guard let names = nameList(written.value, item: "\(layer.label) inputs lists input or layer names",
                                   whole: "\(layer.label) inputs is an input or layer name, or a list of them such as `[lstm, side]`")
        else { return nil }
        if !arity.accepts(names.count) {
            switch arity {
            case .one:
                diagnostics.error(.mergeArity, "\(layer.label) reads one tensor but `inputs` lists \(names.count); merge them first, e.g. with `Concatenate: {inputs: [\(names.map(\.value).joined(separator: ", "))]}`",
                                  at: written.value.range)
            case .exactly(let count):
                diagnostics.error(.mergeArity, "\(layer.label) takes exactly \(count) inputs, as Keras's \(layer.descriptor.className) does, but `inputs` lists \(names.count)",
                                  at: written.value.range)
            case .atLeast(let count):
                diagnostics.error(.mergeArity, "\(layer.label) takes at least \(count) input\(count == 1 ? "" : "s")", at: written.value.range)
            }
            return nil
        }
        var sources: [TensorSource] = []
        var ok = true
        for name in names {
            if let input = graph.input(named: name.value) {
                sources.append(.input(input))
            } else if let earlier = graph.layer(named: name.value, before: index) {
                sources.append(.layer(earlier))
            } else if let later = graph.layer(named: name.value, after: index), let layerLater = entries[later] {
                diagnostics.error(.definedLater, "\(layer.label) reads '\(name.value)', which is defined later (line \(layerLater.spec.range.start.line)); a layer may only read inputs and layers listed before it, so move \(name.value) above this layer",
                                  at: name.range, notes: [.note("'\(name.value)' is defined here", at: layerLater.nameRange)])
                ok = false
            } else if entries[index]?.name == name.value {
                diagnostics.error(.definedLater, "\(layer.label) reads itself; name an input or an earlier layer", at: name.range)
                ok = false
            } else {
                var message = "\(layer.label) reads '\(Excerpt.of(name.value, limit: 60))', which is no input or earlier layer"
                var fixes: [Fix] = []
                if graph.explain() {
                    let known = graph.readable(before: index)
                    let suggestion = Suggestion.phrase(for: name.value, among: known)
                    message += suggestion.isEmpty ? "; it can read " + Suggestion.list(known) : suggestion
                    fixes = Suggestion.fix(for: name.value, among: known, at: name.range).map { [$0] } ?? []
                }
                diagnostics.error(.unknownTensorName, message, at: name.range, fixes: fixes)
                ok = false
            }
        }
        return ok ? sources : nil
    }

    /// One name or a non-empty list of names, each with its range; `item` and `whole` start the
    /// messages for a list item that is not a name and for anything else.
    mutating func nameList(_ written: Located<SpecValue>, item: String, whole: String) -> [Located<String>]? {
        switch written.value {
        case .string(let name): return [Located(name, written.range)]
        case .list(let items) where !items.isEmpty:
            var names: [Located<String>] = []
            for entry in items {
                guard case .string(let name) = entry.value else {
                    diagnostics.error(.invalidTensorList, "\(item); \(entry.value.display) is not one", at: entry.range)
                    return nil
                }
                names.append(Located(name, entry.range))
            }
            return names
        default:
            diagnostics.error(.invalidTensorList, whole, at: written.range)
            return nil
        }
    }

    // MARK: Outputs

    /// `outputs: [a, b]` (or one name): layer indices in order; default the last layer.
    mutating func outputLayers(_ document: SpecDocument, entries: [ResolvedLayer?], inputs: [InputDeclaration],
                               names graph: inout GraphNames) -> [Int]? {
        guard let written = document.outputs else {
            guard let last = entries.indices.last else { return nil }
            return entries[last] == nil ? nil : [last]
        }
        guard let names = nameList(written, item: "outputs lists layer names",
                                   whole: "outputs is a layer name or a list of layer names, e.g. `outputs: [out]`")
        else { return nil }
        var outputs: [Int] = []
        var seen: [String: SourceRange] = [:]
        var ok = true
        for name in names {
            if let first = seen[name.value] {
                diagnostics.error(.invalidOutputs, "output '\(Excerpt.of(name.value, limit: 60))' is listed twice; keep one", at: name.range, notes: [.note("first listed here", at: first)])
                ok = false
                continue
            }
            seen[name.value] = name.range
            if let index = graph.lastLayer(named: name.value) {
                outputs.append(index)
            } else if graph.input(named: name.value) != nil {
                diagnostics.error(.invalidOutputs, "output '\(name.value)' is an input, not a layer; outputs name layers", at: name.range)
                ok = false
            } else {
                let explained = graph.explain()
                let suggestion = explained ? Suggestion.phrase(for: name.value, among: graph.layerNames.map(\.name)) : ""
                let fix = explained ? Suggestion.fix(for: name.value, among: graph.layerNames.map(\.name), at: name.range) : nil
                diagnostics.error(.invalidOutputs, "output '\(Excerpt.of(name.value, limit: 60))' is not a layer of this model" + suggestion,
                                  at: name.range, fixes: fix.map { [$0] } ?? [])
                ok = false
            }
        }
        return ok && outputs.count == names.count ? outputs : nil
    }

    // MARK: Unused parts

    /// Keras's model holds only what its outputs depend on: warn about the rest and leave it out.
    mutating func pruned(_ model: CheckedModel, entries: [ResolvedLayer]) -> CheckedModel {
        var used = Set<Int>()
        var usedInputs = Set<Int>()
        var stack = model.outputs
        while let index = stack.popLast() {
            guard used.insert(index).inserted else { continue }
            for source in model.layers[index].sources {
                switch source {
                case .input(let input): usedInputs.insert(input)
                case .layer(let layer): stack.append(layer)
                }
            }
        }
        for (index, layer) in model.layers.enumerated() where !used.contains(index) {
            diagnostics.warning(.unusedLayer, "\(layer.name) (\(layer.className)) feeds no output, so Keras leaves it out of the model (its weights are not counted or trained); list it in `outputs` or remove it",
                                at: entries[index].spec.className.range)
        }
        for (index, input) in model.inputs.enumerated() where !usedInputs.contains(index) {
            diagnostics.warning(.unusedLayer, "input '\(input.name)' is read by no layer an output depends on; Keras keeps it as an input (data must still be given) but nothing uses it",
                                at: input.range)
        }
        guard used.count < model.layers.count else { return model }
        var newIndex: [Int: Int] = [:]
        for index in model.layers.indices where used.contains(index) { newIndex[index] = newIndex.count }
        var result = model
        result.layers = model.layers.indices.filter(used.contains).map { index in
            var layer = model.layers[index]
            layer.sources = layer.sources.map { source in
                if case .layer(let producer) = source { return .layer(newIndex[producer]!) }
                return source
            }
            return layer
        }
        result.outputs = model.outputs.map { newIndex[$0]! }
        return result
    }
}
