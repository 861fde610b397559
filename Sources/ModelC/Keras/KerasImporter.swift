/// A Keras model config read as data into a modelc spec: never evaluated, no code run, no custom
/// object resolved. Each layer or argument modelc cannot represent is one problem, naming the
/// layer and where in the config it is; all of them are reported together.
public enum KerasImporter {
    public struct Result: Sendable {
        /// The spec text (nil when there are problems).
        public let spec: String?
        public let problems: [String]
        /// Notes on what was dropped (dtype policies, initializer seeds), also written as comments.
        public let notes: [String]
    }

    /// `config` is `config.json` (Keras 3) or `model_config` (tf_keras); `training` the compile
    /// settings (Keras 3's `compile_config` is inside `config`; tf_keras's `training_config`).
    public static func spec(config: JSONValue, training: JSONValue?, flavor: KerasFlavor, source: String, kerasVersion: String?) -> Result {
        var importer = Importer(flavor: flavor)
        importer.model(config)
        let compile = flavor == .keras3 ? config["compile_config"] : training
        if let compile, compile != .null { importer.compile(compile) }
        guard importer.problems.isEmpty else { return Result(spec: nil, problems: importer.problems, notes: importer.notes) }
        func text(keywordOnly: Bool, allNamed: Bool = false) -> String {
            var lines = ["# Imported by modelc \(modelcVersion) from \(source)\(kerasVersion.map { " (Keras \($0))" } ?? ""); weights in the file written beside it."]
            lines += importer.render(keywordOnly: keywordOnly, allNamed: allNamed)
            lines.append("# Keras files hold no data or fit settings: add `data:` and `fit:` to train this spec.")
            return lines.joined(separator: "\n") + "\n"
        }
        // The shorthand where it reads back to exactly the keyword form's model, else the keyword form.
        var keyword = text(keywordOnly: true)
        var short = text(keywordOnly: false)
        // Names are written only where modelc's automatic name would differ; should the two
        // counters disagree anyway, every layer is named.
        if let model = SpecChecker.check(SourceFile(path: source, text: keyword)).model,
           model.layers.map(\.name) != importer.layers.map(\.name) {
            keyword = text(keywordOnly: true, allNamed: true)
            short = text(keywordOnly: false, allNamed: true)
        }
        guard let exact = SpecChecker.check(SourceFile(path: source, text: keyword)).model else {
            let errors = SpecChecker.check(SourceFile(path: source, text: keyword)).diagnostics.filter { $0.severity == .error }.map(\.message)
            return Result(spec: nil, problems: errors.map { "the imported spec does not check: \($0)" }, notes: importer.notes)
        }
        if let shorthand = SpecChecker.check(SourceFile(path: source, text: short)).model, sameModel(shorthand, exact) {
            return Result(spec: short, problems: [], notes: importer.notes)
        }
        return Result(spec: keyword, problems: [], notes: importer.notes)
    }

    /// Same layers, names, arguments, graph and compile settings.
    static func sameModel(_ a: TypedModel, _ b: TypedModel) -> Bool {
        guard a.name == b.name, a.layers.count == b.layers.count, a.outputs == b.outputs,
              a.inputs.map(\.name) == b.inputs.map(\.name), a.inputs.map(\.type) == b.inputs.map(\.type) else { return false }
        for (x, y) in zip(a.layers, b.layers) {
            guard x.name == y.name, x.className == y.className, x.sources == y.sources, x.arguments.values == y.arguments.values,
                  x.inner?.name == y.inner?.name, x.inner?.arguments.values == y.inner?.arguments.values else { return false }
        }
        return true
    }
}

private struct ImportedLayer {
    var descriptor: LayerDescriptor
    var name: String
    /// Non-default arguments in catalogue order, as spec text.
    var arguments: [(String, String)]
    var inner: [ImportedLayer]
    /// The tensors it reads (functional models).
    var inputs: [String]
    var comments: [String]
}

private struct Importer {
    let flavor: KerasFlavor
    var problems: [String] = []
    var notes: [String] = []
    var name = "model"
    var functional = false
    var inputShape: [Int?]?
    var inputs: [(name: String, shape: [Int?], dtype: String)] = []
    var layers: [ImportedLayer] = []
    var outputs: [String] = []
    var compileLines: [String] = []

    init(flavor: KerasFlavor) { self.flavor = flavor }

    mutating func problem(_ text: String) { problems.append(text) }

    mutating func model(_ top: JSONValue) {
        guard let className = top["class_name"]?.stringValue, let config = top["config"], config.objectValue != nil else {
            problem("the config has no `class_name` and `config`: it is not a Keras model config")
            return
        }
        switch className {
        case "Sequential": functional = false
        case "Functional", "Model": functional = true
        default:
            problem("the model is a \(className) (registered as \(top["registered_name"]?.stringValue ?? "nothing")): a subclassed or custom model keeps its structure in Python code, which modelc never runs; save a Sequential or functional model")
            return
        }
        name = config["name"]?.stringValue ?? "model"
        guard let entries = config["layers"]?.arrayValue else {
            problem("the model config has no `layers` list")
            return
        }
        for (index, entry) in entries.enumerated() { layer(entry, at: "layers[\(index)]") }
        if functional {
            outputs = endpoints(config["output_layers"], what: "output_layers")
            let inputOrder = endpoints(config["input_layers"], what: "input_layers")
            if inputOrder.count == inputs.count {
                inputs.sort { (inputOrder.firstIndex(of: $0.name) ?? 0) < (inputOrder.firstIndex(of: $1.name) ?? 0) }
            }
        } else if inputShape == nil {
            problem("the Sequential model has no input shape (no InputLayer and no batch_input_shape): it was never built; build it on an input before saving")
        }
    }

    mutating func endpoints(_ json: JSONValue?, what: String) -> [String] {
        guard var items = json?.arrayValue else { problem("the functional config has no `\(what)`"); return [] }
        if items.count == 3, items[0].stringValue != nil, items[1].intValue != nil { items = [.array(items)] }
        return items.compactMap { item in
            guard let parts = item.arrayValue, let name = parts.first?.stringValue else { problem("`\(what)` has \(KerasImportValues.short(item)), not [name, 0, 0]"); return nil }
            if parts.count >= 3, parts[1].intValue != 0 || parts[2].intValue != 0 {
                problem("`\(what)` names output \(parts[2].rendered(indent: nil)) of node \(parts[1].rendered(indent: nil)) of '\(name)': a layer called several times or with several outputs, which modelc does not build")
            }
            return name
        }
    }

    mutating func layer(_ entry: JSONValue, at path: String) {
        guard let className = entry["class_name"]?.stringValue, let config = entry["config"] else {
            problem("\(path) is not a layer object (no class_name/config)")
            return
        }
        let layerName = config["name"]?.stringValue ?? entry["name"]?.stringValue ?? "?"
        if className == "InputLayer" {
            let shape = (config["batch_shape"] ?? config["batch_input_shape"])?.arrayValue?.dropFirst().map(\.intValue) ?? []
            if functional {
                inputs.append((layerName, Array(shape), config["dtype"]?.stringValue ?? "float32"))
            } else {
                inputShape = Array(shape)
            }
            return
        }
        guard let imported = convert(entry, at: path) else { return }
        var layer = imported
        if functional {
            layer.inputs = inboundNames(entry["inbound_nodes"], layer: layerName, at: path)
        } else if inputShape == nil, let shape = (config["batch_input_shape"] ?? config["batch_shape"])?.arrayValue {
            inputShape = shape.dropFirst().map(\.intValue)
        }
        layers.append(layer)
    }

    mutating func inboundNames(_ json: JSONValue?, layer: String, at path: String) -> [String] {
        guard let nodes = json?.arrayValue, !nodes.isEmpty else {
            problem("\(path) '\(layer)' has no inbound_nodes: a layer of a functional model must be called on a tensor")
            return []
        }
        if nodes.count > 1 {
            problem("\(path) '\(layer)' is called \(nodes.count) times (a shared layer); modelc calls each layer once: give each call its own layer")
        }
        var names: [String] = []
        func collect(_ value: JSONValue) {
            if value["class_name"]?.stringValue == "__keras_tensor__", let history = value["config"]?["keras_history"]?.arrayValue {
                if let name = history.first?.stringValue { names.append(name) }
                if history.count >= 3, history[1].intValue != 0 || history[2].intValue != 0 {
                    problem("\(path) '\(layer)' reads output \(history[2].rendered(indent: nil)) of call \(history[1].rendered(indent: nil)) of '\(history.first?.stringValue ?? "?")'; modelc layers have one call and one output")
                }
                return
            }
            if let items = value.arrayValue {
                // tf_keras: ["name", node, tensor, {kwargs}].
                if items.count == 4, let name = items[0].stringValue, items[1].intValue != nil {
                    names.append(name)
                    if items[1].intValue != 0 || items[2].intValue != 0 {
                        problem("\(path) '\(layer)' reads output \(items[2].rendered(indent: nil)) of call \(items[1].rendered(indent: nil)) of '\(name)'; modelc layers have one call and one output")
                    }
                    return
                }
                items.forEach(collect)
            }
        }
        // Keras 3 writes `{args, kwargs}` nodes, in .keras files and in the .h5 files it saves too;
        // tf_keras writes lists of [name, node, tensor, kwargs].
        if let args = nodes[0]["args"] { collect(args) } else { collect(nodes[0]) }
        if let kwargs = nodes[0]["kwargs"]?.objectValue {
            for (key, value) in kwargs where !(key == "mask" && value == .null) && !(key == "training" && value == .bool(false)) {
                problem("\(path) '\(layer)' is called with \(key)=\(KerasImportValues.short(value)), which modelc does not pass to layers")
            }
        }
        return names
    }

    /// One layer object into modelc's terms; nil (with problems recorded) when it cannot be.
    mutating func convert(_ entry: JSONValue, at path: String, insideTwoDirections: Bool = false) -> ImportedLayer? {
        let className = entry["class_name"]?.stringValue ?? "?"
        let config = entry["config"] ?? .null
        let layerName = config["name"]?.stringValue ?? "?"
        let label = "\(flavor == .keras3 ? "config.json" : "model_config") \(path) '\(layerName)' (\(className))"
        if className == "Lambda" || className == "TFOpLambda" || className.hasPrefix("__") {
            problem("\(label) is a Lambda: its config carries Python code (marshalled bytecode or a function name), which modelc never runs; replace it by built-in layers")
            return nil
        }
        if let registered = entry["registered_name"]?.stringValue, registered != className, !registered.isEmpty {
            problem("\(label) is the custom class '\(registered)': modelc reads only Keras's built-in layers and never imports code; write it with built-in layers")
            return nil
        }
        if let module = entry["module"]?.stringValue, !(module == "keras.layers" || module.hasPrefix("keras.src.layers") || module == "keras") {
            problem("\(label) comes from the module '\(module)', not from Keras's layers: modelc reads only Keras's built-in layers and never imports code")
            return nil
        }
        guard let descriptor = LayerCatalog.descriptor(named: className) else {
            let suggestion = Suggestion.phrase(for: className, among: LayerCatalog.allNames)
            problem("\(label) is a layer modelc does not have" + (suggestion.isEmpty ? "; see `modelc reference` for the layers it has" : suggestion))
            return nil
        }
        guard let pairs = config.objectValue else { problem("\(label) has no config mapping"); return nil }
        let form = descriptor.keras
        var arguments: [(String, String)] = []
        var inner: [ImportedLayer] = []
        var comments: [String] = []
        var known: Set<String> = ["name", "trainable", "dtype", "batch_input_shape", "batch_shape", "input_shape"]
        for decl in descriptor.ownArguments {
            known.insert(decl.name)
            guard let json = config[decl.name] else { continue }
            var noted: [String] = []
            do throws(KerasImportValues.Refusal) {
                let value = try KerasImportValues.value(json, decl.type, notes: &noted)
                var isDefault = KerasImportValues.same(value, decl.defaultValue)
                if let other = form.nullMeans[decl.name], decl.defaultValue == .null,
                   let otherJSON = config[other], let otherDecl = descriptor.ownArguments.first(where: { $0.name == other }),
                   let otherValue = try? KerasImportValues.value(otherJSON, otherDecl.type, notes: &noted),
                   KerasImportValues.same(value, otherValue) {
                    isDefault = true
                }
                if !isDefault { arguments.append((decl.name, KerasImportValues.text(value))) }
                comments += noted.map { "\(layerName): \($0)" }
            } catch {
                problem("\(label): \(decl.name) \(error.reason)")
            }
        }
        for fixed in form.fixed {
            known.insert(fixed.name)
            // Keras 3's Bidirectional sets its copies' zero_output_for_mask to return_sequences itself.
            if insideTwoDirections, fixed.name == "zero_output_for_mask" { continue }
            guard let value = config[fixed.name] else { continue }
            let matches = fixed.value.doubleValue != nil ? fixed.value.doubleValue == value.doubleValue : fixed.value == value
            if !matches {
                let fix = fixed.value == .null ? "remove it in Keras and save the model again" : "set it to \(fixed.value.rendered(indent: nil)) in Keras and save the model again"
                problem("\(label): \(fixed.name)=\(KerasImportValues.short(value)) is not supported: modelc supports only Keras's default \(fixed.name)=\(fixed.value.rendered(indent: nil)); \(fix)")
            }
        }
        for derived in form.derived { known.insert(derived.name) }
        if descriptor.has(.wrapper) {
            known.formUnion(["layer", "backward_layer"])
            guard let wrapped = config["layer"] else { problem("\(label) has no `layer` to wrap"); return nil }
            guard var converted = convert(wrapped, at: "\(path).layer", insideTwoDirections: form.twoDirections) else { return nil }
            if form.twoDirections, converted.name.hasPrefix("forward_") { converted.name = String(converted.name.dropFirst("forward_".count)) }
            inner = [converted]
            if let backward = config["backward_layer"] {
                let forwardConfig = wrapped["config"]?.objectValue ?? []
                let backwardConfig = backward["config"]?.objectValue ?? []
                let differing = Set(forwardConfig.map(\.0)).union(backwardConfig.map(\.0)).filter { key in
                    !["name", "go_backwards"].contains(key)
                        && wrapped["config"]?[key].map(withoutSharedIDs) != backward["config"]?[key].map(withoutSharedIDs)
                }.sorted()
                if !differing.isEmpty || backward["class_name"] != wrapped["class_name"] {
                    problem("\(label) has a backward_layer that differs from its layer (\(differing.joined(separator: ", "))); modelc's Bidirectional runs a copy of the same layer backwards")
                }
            }
        }
        for (key, value) in pairs where !known.contains(key) {
            problem("\(label): the argument \(key)=\(KerasImportValues.short(value)) is not one modelc has for \(className)")
        }
        if let dtype = config["dtype"] {
            let policy = dtype.stringValue ?? dtype["config"]?["name"]?.stringValue ?? "float32"
            if policy != "float32" { comments.append("\(layerName): dtype policy \(policy) (modelc computes in float32)") }
        }
        if case .bool(false)? = config["trainable"] { arguments.append(("trainable", "false")) }
        notes += comments
        return ImportedLayer(descriptor: descriptor, name: layerName, arguments: arguments, inner: inner, inputs: [], comments: comments)
    }

    mutating func compile(_ json: JSONValue) {
        var lines: [String] = []
        if let optimizer = json["optimizer"] ?? json["optimizer_config"], optimizer != .null {
            if let text = KerasImportCompile.optimizer(optimizer, problems: &problems) { lines.append("  optimizer: \(text)") }
        }
        if let loss = json["loss"], loss != .null {
            if let text = KerasImportCompile.losses(loss, problems: &problems) { lines.append("  loss: \(text)") }
        }
        if let weights = json["loss_weights"], weights != .null {
            if let pairs = weights.objectValue {
                lines.append("  loss_weights: " + SpecText.mapping(pairs.map { ($0.0, formatNumber($0.1.doubleValue ?? 1)) }))
            } else {
                problem("compile: loss_weights as a list (\(KerasImportValues.short(weights))) — modelc takes a mapping from output name to weight")
            }
        }
        if let metrics = json["metrics"], metrics != .null {
            if let text = KerasImportCompile.metrics(metrics, outputs: outputs, problems: &problems) { lines.append("  metrics: \(text)") }
        }
        if let weighted = json["weighted_metrics"], weighted != .null, weighted != .array([]) {
            if let text = KerasImportCompile.metrics(weighted, outputs: outputs, problems: &problems) { lines.append("  weighted_metrics: \(text)") }
        }
        if !lines.isEmpty { compileLines = ["compile:"] + lines }
    }

    // MARK: Writing

    func render(keywordOnly: Bool, allNamed: Bool) -> [String] {
        var lines = ["name: \(SpecText.scalar(name))"]
        if functional {
            lines.append("inputs:")
            let readByEmbedding = Set(layers.filter { $0.descriptor.has(.tokenLookup) }.flatMap(\.inputs))
            for input in inputs {
                let shape = "[" + input.shape.map { $0.map(String.init) ?? "null" }.joined(separator: ", ") + "]"
                if input.dtype == "int32" || input.dtype == "int64", !readByEmbedding.contains(input.name) {
                    lines.append("  \(SpecText.scalar(input.name)): {shape: \(shape), dtype: int32}")
                } else {
                    lines.append("  \(SpecText.scalar(input.name)): \(shape)")
                }
            }
        } else {
            lines.append("input: [" + (inputShape ?? []).map { $0.map(String.init) ?? "null" }.joined(separator: ", ") + "]")
        }
        lines.append("layers:")
        var counters: [String: Int] = [:]
        for layer in layers {
            lines += layer.comments.map { "  # \($0)" }
            lines.append("  - " + text(of: layer, counters: &counters, keywordOnly: keywordOnly, allNamed: allNamed))
        }
        if functional {
            lines.append("outputs: " + (outputs.count == 1 ? SpecText.scalar(outputs[0]) : "[" + outputs.map(SpecText.scalar).joined(separator: ", ") + "]"))
        }
        return lines + compileLines
    }

    /// The auto name modelc would give the next layer of this class (Keras's counters in spec order).
    func predicted(_ descriptor: LayerDescriptor, _ counters: [String: Int]) -> String {
        let stem = descriptor.autoName
        guard let count = counters[stem] else { return stem }
        return "\(stem)_\(count + 1)"
    }

    func advance(_ descriptor: LayerDescriptor, _ counters: inout [String: Int]) {
        let stem = descriptor.autoName
        counters[stem] = counters[stem].map { $0 + 1 } ?? 0
    }

    /// Shorthand when the layer is plain (no wrapper), the keyword form otherwise.
    func text(of layer: ImportedLayer, counters: inout [String: Int], keywordOnly: Bool, allNamed: Bool) -> String {
        let named = allNamed || layer.name != predicted(layer.descriptor, counters)
        if !named { advance(layer.descriptor, &counters) }
        var nameArgument: [(String, String)] = named ? [("name", SpecText.scalar(layer.name))] : []
        let inputsArgument: [(String, String)] = functional
            ? [("inputs", layer.inputs.count == 1 && !layer.descriptor.rule.arity.takesList ? SpecText.scalar(layer.inputs[0])
                        : "[" + layer.inputs.map(SpecText.scalar).joined(separator: ", ") + "]")]
            : []
        if let inner = layer.inner.first {
            let innerNamed = allNamed || inner.name != predicted(inner.descriptor, counters)
            if !innerNamed { advance(inner.descriptor, &counters) }
            let innerArguments = inner.arguments + (innerNamed ? [("name", SpecText.scalar(inner.name))] : [])
            let innerText = SpecText.mapping([(inner.descriptor.className, SpecText.mapping(innerArguments))])
            return SpecText.mapping([(layer.descriptor.className, SpecText.mapping([("layer", innerText)] + layer.arguments + nameArgument + inputsArgument))])
        }
        if keywordOnly {
            return SpecText.mapping([(layer.descriptor.className, SpecText.mapping(layer.arguments + nameArgument + inputsArgument))])
        }
        var items = [layer.descriptor.className]
        var rest = layer.arguments
        // Positional sizes first, as the shorthand reads them; then key=value.
        for positional in layer.descriptor.positional {
            guard let index = rest.firstIndex(where: { $0.0 == positional }) else { break }
            let value = rest[index].1
            guard !value.contains(" ") else { break }
            items.append(value)
            rest.remove(at: index)
        }
        nameArgument += inputsArgument
        for (key, value) in rest + nameArgument {
            items.append(value == "true" && !["trainable"].contains(key) ? "\(key)=true" : "\(key)=\(value.replacingOccurrences(of: ", ", with: ","))")
        }
        return items.joined(separator: " ")
    }
}

/// Keras 3 marks objects it serialized once and refers to again with `shared_object_id` (a Python
/// object address); the value means nothing to a reader of the config.
func withoutSharedIDs(_ json: JSONValue) -> JSONValue {
    switch json {
    case .object(let pairs): .object(pairs.filter { $0.0 != "shared_object_id" }.map { ($0.0, withoutSharedIDs($0.1)) })
    case .array(let items): .array(items.map(withoutSharedIDs))
    default: json
    }
}
