/// Checks the model part of a spec: the name, the input shape, every layer's arguments, the
/// automatic names and the shapes from tensor to tensor. Reports everything it can: a chain stops at
/// the first layer that cannot be typed, since what follows would only repeat that error; in a graph
/// every layer that does not read a failed one is still typed.
struct ModelChecker {
    var diagnostics = DiagnosticBag()
    /// The spec declares `inputs:` (messages then name inputs instead of "the input").
    var functional = false
    /// Parameters of the layers typed so far.
    var modelParameters = 0
    /// Every layer that could be typed, even when others could not (the language server's hints).
    var typedLayers: [TypedLayer] = []
    /// The spec's text, for fixes that edit it; no fixes with edits without it.
    var source: SourceFile?
    /// Each layer entry by its range, to edit the entry a typed layer came from.
    var specs: [SourceRange: LayerSpec] = [:]
    /// 2^56 parameters: far beyond any model, and small enough that byte sizes (×4) and sums cannot overflow.
    static let maximumParameters = 1 << 56

    /// The model as a graph, or nil if any error was found.
    mutating func check(_ document: SpecDocument) -> CheckedModel? {
        functional = document.inputs != nil
        for layer in document.layers { specs[layer.range] = layer }
        let name = modelName(document, default: functional ? "model" : "sequential")
        let entries = document.layers.map { LayerResolution.resolve($0, &diagnostics) }
        let resolved = entries.compactMap { $0 }
        if document.layersKey == nil {
            diagnostics.error(.missingLayers, "the spec has no `layers:`; list the model's layers, e.g. `layers: [Dense 1 sigmoid]`",
                              at: SourceRange(at: document.range.start))
        }
        LayerResolution.assignNames(resolved)
        if functional {
            return checkGraph(document, name: name, entries: entries)
        }
        LayerResolution.checkUniqueNames(resolved, inputs: [], &diagnostics)
        refuseGraphKeys(document, entries: resolved)
        warnAboutInputShapeOutsideFirstLayer(resolved)

        guard let first = entries.first ?? nil, let input = inputType(document, first: first) else {
            return nil
        }
        var layers: [TypedLayer] = []
        for (index, entry) in entries.enumerated() {
            let source: TensorSource = index == 0 ? .input(0) : .layer(index - 1)
            guard let layer = entry, layer.isComplete,
                  let typed = type(layer, sources: [source], inputs: [layers.last?.output ?? input],
                                   producers: [layers.last], names: [layers.last.map { "from \($0.name)" } ?? "from the input"])
            else { break }
            layers.append(typed)
        }
        typedLayers = layers
        guard !diagnostics.hasErrors, layers.count == entries.count, !layers.isEmpty else { return nil }
        // Keras names a Sequential model's input after its first layer.
        let modelInput = ModelInput(name: "\(layers[0].name)_input", type: input,
                                    range: document.input?.range ?? layers[0].range)
        return CheckedModel(name: name, isFunctional: false, inputs: [modelInput], layers: layers, outputs: [layers.count - 1])
    }

    /// `inputs:` on layers and `outputs:` belong to the functional form.
    mutating func refuseGraphKeys(_ document: SpecDocument, entries: [ResolvedLayer]) {
        for layer in entries {
            if let inputs = layer.spec.inputs {
                diagnostics.error(.sequentialFunctionalMix, "\(layer.label) names its inputs, which only a functional spec does; declare the model's inputs as `inputs: {name: [shape]}` instead of `input:`",
                                  at: inputs.key)
            }
        }
        if let outputs = document.outputs {
            diagnostics.error(.sequentialFunctionalMix, "`outputs` names the outputs of a functional spec; a Sequential spec (with `input:`) outputs its last layer, so remove it or declare `inputs:`",
                              at: outputs.range)
        }
    }

    // MARK: Name and input

    mutating func modelName(_ document: SpecDocument, default defaultName: String) -> String {
        guard let written = document.name else { return defaultName }
        switch convert(written.value, to: .text(.nonEmpty), subject: "the model name") {
        case .success(.string(let name)): return name
        case .failure(let problem): diagnostics.error(.invalidArgumentValue, problem.message, at: written.range)
        default: break
        }
        return defaultName
    }

    /// The input from `input:`, the first layer's `input_shape`, or a first Embedding's `input_length`.
    mutating func inputType(_ document: SpecDocument, first: ResolvedLayer) -> TensorType? {
        var shape: [Int?]?
        if let written = document.input {
            switch convert(written.value, to: .shape(allowsInferred: false, allowsUnknown: true), subject: "input") {
            case .success(.ints(let sizes)): shape = sizes
            case .failure(let problem):
                diagnostics.error(.invalidArgumentValue, problem.message, at: written.range)
                return nil
            default: return nil
            }
        }
        guard let arguments = first.arguments else { return nil }
        if case .ints(let sizes) = arguments["input_shape"] ?? .null {
            if shape != nil, let range = arguments.ranges["input_shape"] {
                diagnostics.error(.inputGivenTwice, "the input shape is given twice, here and as the top-level `input`; keep one",
                                  at: range, notes: document.input.map { [.note("top-level input", at: $0.range)] } ?? [])
                return nil
            }
            shape = sizes
        }
        if shape == nil, first.descriptor.has(.tokenLookup) {
            // Keras builds a first Embedding on sequences of unknown length when nothing says otherwise.
            shape = [arguments.optionalInt("input_length")]
        }
        guard let shape else {
            let example: String
            if first.descriptor.has(.tokenLookup) {
                example = "`input: [100]` (the sequence length) or input_length=100 on the Embedding"
            } else if first.descriptor.has(.recurrent) || first.descriptor.kind == .conv1D {
                example = "`input: [timesteps, features]`, e.g. `input: [21, 1]`"
            } else {
                example = "`input: [features]`, e.g. `input: [8]`"
            }
            var fixes: [Fix] = []
            if let layers = document.layersKey, layers.start.column == 1, document.inputs == nil {
                let shape = first.descriptor.has(.tokenLookup) ? "[100]"
                    : first.descriptor.has(.recurrent) || first.descriptor.kind == .conv1D ? "[21, 1]" : "[8]"
                let at = SourceLocation(line: layers.start.line, column: 1)
                fixes.append(Fix("add `input: \(shape)` above `layers:` (one sample's shape; use your data's sizes)",
                                 edits: [TextEdit(SourceRange(start: at, end: at), "input: \(shape)\n")]))
            }
            diagnostics.error(.missingInput, "the model has no input shape; add \(example)", at: first.spec.className.range, fixes: fixes)
            return nil
        }
        return TensorType(shape, Self.looksUpTokens(first) ? .tokenIDs : .float)
    }

    mutating func warnAboutInputShapeOutsideFirstLayer(_ layers: [ResolvedLayer]) {
        for layer in layers.dropFirst() {
            if let range = layer.arguments?.ranges["input_shape"] {
                diagnostics.warning(.inputShapeIgnored, "input_shape is read only on the first layer (Keras ignores it here); remove it", at: range)
            }
        }
    }

    // MARK: Shapes

    /// Types one layer on the tensors it reads, or reports why it cannot take them. `producers`
    /// are the layers making each input (nil for a model input), `names` how messages name where
    /// each comes from (`from lstm`, `from the input`).
    mutating func type(_ layer: ResolvedLayer, sources: [TensorSource], inputs: [TensorType], producers: [TypedLayer?],
                       names: [String]) -> TypedLayer? {
        guard let arguments = layer.arguments else { return nil }
        let inner = layer.inner.flatMap(Self.innerLayer)
        let typing: LayerTyping
        do {
            typing = try layer.descriptor.rule.derive(LayerInputs(arguments: arguments, types: inputs, sources: names, inner: inner))
        } catch {
            report(error, layer: layer, input: inputs[0], previous: producers[0], source: names[0])
            return nil
        }
        var weights = typing.weights
        for weight in weights {
            if let problem = weight.initializerProblem {
                diagnostics.error(.initializerShape, "\(layer.label) \(weight.initializerArgument) \(problem); Keras refuses it",
                                  at: layer.argumentRange(weight.initializerArgument) ?? layer.spec.className.range)
                return nil
            }
        }
        // Counts and byte sizes are summed later without checks; keep every total far from Int.max.
        var parameters = 0
        do throws(ShapeError) {
            for weight in weights { parameters = try checkedSum(parameters, try checkedProduct(weight.shape)) }
            modelParameters = try checkedSum(modelParameters, parameters)
            if modelParameters > Self.maximumParameters { throw .overflow }
        } catch {
            report(error, layer: layer, input: inputs[0], previous: producers[0], source: names[0])
            return nil
        }
        if layer.isFrozen {
            for index in weights.indices { weights[index].trainable = false }
        }
        let typedInner = layer.inner.flatMap { inner in typing.inner.flatMap { Self.typedInner(inner, $0) } }
        let typed = TypedLayer(name: layer.name, descriptor: layer.descriptor, arguments: arguments, sources: sources,
                               inputs: inputs, output: typing.output, weights: weights, multiplyAdds: typing.multiplyAdds,
                               activation: typing.activation, inner: typedInner, range: layer.spec.range)
        warnAboutSuspiciousArguments(layer, typed)
        return typed
    }

    /// An Embedding first (or wrapped, as in TimeDistributed(Embedding)) makes the input token ids.
    static func looksUpTokens(_ layer: ResolvedLayer) -> Bool {
        layer.descriptor.has(.tokenLookup) || layer.inner.map(looksUpTokens) == true
    }

    /// The wrapped layer (and what it wraps) for a shape rule; nil if arguments failed somewhere.
    static func innerLayer(_ layer: ResolvedLayer) -> InnerLayer? {
        guard let arguments = layer.arguments else { return nil }
        var nested: InnerLayer?
        if let inner = layer.inner {
            guard let resolved = innerLayer(inner) else { return nil }
            nested = resolved
        }
        return InnerLayer(descriptor: layer.descriptor, arguments: arguments, name: layer.name, inner: nested)
    }

    /// The typed form of a wrapped layer, following nested wrappers down.
    static func typedInner(_ layer: ResolvedLayer, _ typing: InnerTyping) -> TypedInnerLayer? {
        guard let arguments = layer.arguments else { return nil }
        let nested = layer.inner.flatMap { inner in typing.typing.inner.flatMap { typedInner(inner, $0) } }
        return TypedInnerLayer(name: layer.name, descriptor: layer.descriptor, arguments: arguments,
                               input: typing.input, typing: typing.typing, inner: nested)
    }

    /// Legal but almost certainly unintended.
    mutating func warnAboutSuspiciousArguments(_ layer: ResolvedLayer, _ typed: TypedLayer) {
        let arguments = layer.inner?.arguments ?? typed.arguments
        if typed.activation == .softmax, typed.output.shape.last == 1 {
            let range = arguments.ranges["activation"] ?? layer.inner?.spec.className.range ?? layer.spec.className.range
            diagnostics.warning(.suspiciousArgument, "\(layer.label) applies softmax over one unit, which always outputs 1.0 and cannot learn; use sigmoid for a single probability", at: range)
        }
        for rate in ["rate", "dropout", "recurrent_dropout"] {
            if arguments[rate] == .float(1), let range = arguments.ranges[rate] {
                diagnostics.warning(.suspiciousArgument, "\(rate) 1 drops every value in training, so nothing reaches the next step; use a rate below 1", at: range)
            }
        }
    }

    /// Turns a shape rule's complaint into a message that names the layer, its input's source and a fix.
    mutating func report(_ error: ShapeError, layer: ResolvedLayer, input: TensorType, previous: TypedLayer?, source: String) {
        let at = layer.spec.className.range
        switch error {
        case .rank(let expected, let meaning):
            diagnostics.error(.inputRank,
                "\(layer.label) needs \(expected.phrase) \(meaning) but gets \(input.kerasDescription) \(source)"
                    + rankHint(expected, input: input, previous: previous, inputName: functional && previous == nil ? String(source.dropFirst(5)) : nil),
                at: at, fixes: rankFix(expected, input: input, previous: previous).map { [$0] } ?? [])
        case .needsTokenIDs:
            let fix = functional
                ? (previous == nil ? "; give that input `dtype: int32`, or leave its dtype out" : "; an Embedding reads an input of token ids")
                : "; Embedding must be the first layer"
            diagnostics.error(.needsTokenIDs,
                "\(layer.label) looks up integer token ids, but gets float features \(input.kerasDescription) \(source)\(fix)",
                at: at)
        case .cannotWrap(let what):
            let innerClass = layer.inner?.descriptor.className ?? "this layer"
            diagnostics.error(.wrapperMisuse, "\(layer.descriptor.className) wraps \(what), not \(innerClass)",
                              at: layer.inner?.spec.className.range ?? at)
        case .argument(let name, let message):
            let range = layer.argumentRange(name) ?? at
            diagnostics.error(.shapeMismatch, "\(layer.label) \(message)", at: range)
        case .message(let message):
            diagnostics.error(.shapeMismatch, "\(layer.label) \(message)", at: at)
        case .overflow:
            diagnostics.error(.sizeOverflow, "\(layer.label) has more weights or multiply-adds than modelc can count (2^56); use smaller sizes", at: at)
        }
    }

    /// The edit behind the `return_sequences` hints: set it on the recurrent layer before, when that
    /// layer is not wrapped (a wrapper's flag sits on the layer inside it).
    func rankFix(_ expected: RankRequirement, input: TensorType, previous: TypedLayer?) -> Fix? {
        guard let previous, previous.inner == nil, previous.descriptor.has(.recurrent),
              let source, let spec = specs[previous.range] else { return nil }
        let rank = input.kerasRank
        let wanted: Bool
        if expected.accepts(3), rank == 2, !previous.arguments.bool("return_sequences") {
            wanted = true
        } else if case .exactly(2) = expected, rank == 3, previous.arguments.bool("return_sequences") {
            wanted = false
        } else {
            return nil
        }
        guard let edit = LayerEdits(file: source).setFlag("return_sequences", to: wanted, on: spec, arguments: previous.arguments)
        else { return nil }
        return Fix("set return_sequences: \(wanted) on \(previous.name)", edits: [edit])
    }

    /// How to get the rank a layer needs, judged from the layer before it.
    func rankHint(_ expected: RankRequirement, input: TensorType, previous: TypedLayer?, inputName: String?) -> String {
        let rank = input.kerasRank
        let recurrent = previous.flatMap { layer -> (name: String, returnsSequences: Bool)? in
            let arguments = layer.inner?.arguments ?? layer.arguments
            let descriptor = layer.inner?.descriptor ?? layer.descriptor
            guard descriptor.has(.recurrent) else { return nil }
            return (layer.name, arguments.bool("return_sequences"))
        }
        if expected.accepts(3), rank == 2 {
            if let recurrent, !recurrent.returnsSequences {
                return "; set return_sequences: true on \(recurrent.name)"
            }
            guard let previous else {
                let length = input.shape.first.flatMap { $0 }.map(String.init) ?? "timesteps"
                if let inputName { return "; give input '\(inputName)' two sizes (timesteps, features), e.g. `\(inputName): [\(length), 1]`" }
                return "; give `input` two sizes (timesteps, features), e.g. `input: [\(length), 1]`"
            }
            if previous.descriptor.has(.collapsesTime) || previous.descriptor.kind == .globalMaxPooling1D
                || previous.descriptor.kind == .globalAveragePooling1D {
                return "; remove \(previous.name) (\(previous.className)) or move it after this layer"
            }
            return ""
        }
        if case .exactly(2) = expected, rank == 3 {
            if let recurrent, recurrent.returnsSequences {
                return "; set return_sequences: false on \(recurrent.name)"
            }
            return "; add Flatten or GlobalAveragePooling1D before it"
        }
        return ""
    }
}
