/// Keras's model config for a checked model, as Keras 3 writes `config.json` in a `.keras` archive
/// and as tf_keras writes the `model_config` attribute of a legacy `.h5` file: every layer with all
/// the keys Keras itself writes (modelc's arguments, then the keys the catalogue fixes at Keras's
/// defaults), InputLayers, the functional graph's `inbound_nodes`, and the compile settings, so
/// that `keras.models.load_model` gives the same, compiled model.
public enum KerasConfigWriter {
    /// The whole model: `config.json` (Keras 3, compile config included) or `model_config` (tf_keras).
    public static func model(_ model: TypedModel, flavor: KerasFlavor) -> JSONValue {
        let order = kerasOrder(model)
        var layers: [JSONValue] = []
        for node in order {
            switch node {
            case .input(let index): layers.append(inputLayer(model, index, flavor: flavor))
            case .layer(let index): layers.append(layer(model, index, flavor: flavor))
            }
        }
        var config: [(String, JSONValue)] = [("name", .string(model.name))]
        // tf_keras's Sequential config has no `trainable`; its functional one and Keras 3's have.
        if flavor == .keras3 || model.isFunctional { config.append(("trainable", .bool(true))) }
        if flavor == .keras3, !model.isFunctional { config.append(("dtype", dtypePolicy)) }
        config.append(("layers", .array(layers)))
        if model.isFunctional {
            let endpoint = { (name: String) -> JSONValue in .array([.string(name), .int(0), .int(0)]) }
            config.append(("input_layers", .array(model.inputs.map { endpoint($0.name) })))
            config.append(("output_layers", .array(model.outputs.map { endpoint(model.layers[$0].name) })))
        } else if flavor == .keras3 {
            config.append(("build_input_shape", shape(model.input)))
        }
        switch flavor {
        case .keras3:
            var top: [(String, JSONValue)] = model.isFunctional
                ? [("module", .string("keras.src.models.functional")), ("class_name", .string("Functional")),
                   ("config", .object(config)), ("registered_name", .string("Functional")),
                   ("build_config", .object([("input_shape", .null)]))]
                : [("module", .string("keras")), ("class_name", .string("Sequential")), ("config", .object(config)),
                   ("registered_name", .null), ("build_config", .object([("input_shape", shape(model.input))]))]
            if let compile = model.compile { top.append(("compile_config", compileConfig(compile, model: model, flavor: .keras3))) }
            return .object(top)
        case .tfKeras:
            return .object([("class_name", .string(model.isFunctional ? "Functional" : "Sequential")), ("config", .object(config))])
        }
    }

    /// `model.layers` in Keras's order: the Sequential chain after its input, or the functional graph's
    /// order (KerasGraph), which Keras recomputes on load and numbers weight paths by.
    public static func kerasOrder(_ model: TypedModel) -> [TensorSource] {
        model.isFunctional ? KerasGraph(model).order : [.input(0)] + model.layers.indices.map { .layer($0) }
    }

    /// tf_keras's `training_config` attribute.
    public static func trainingConfig(_ model: TypedModel) -> JSONValue? {
        model.compile.map { compileConfig($0, model: model, flavor: .tfKeras) }
    }

    // MARK: Layers

    static let dtypePolicy: JSONValue = .object([
        ("module", .string("keras")), ("class_name", .string("DTypePolicy")),
        ("config", .object([("name", .string("float32"))])), ("registered_name", .null),
    ])

    /// `[null, 5, 16]`: a tensor's shape with the batch axis.
    static func shape(_ type: TensorType) -> JSONValue {
        .array([.null] + type.shape.map { $0.map { .int($0) } ?? .null })
    }

    static func dtype(_ type: TensorType) -> JSONValue { .string(type.element == .tokenIDs ? "int32" : "float32") }

    static func inputLayer(_ model: TypedModel, _ index: Int, flavor: KerasFlavor) -> JSONValue {
        let input = model.inputs[index]
        // Keras 3 names a Sequential model's input `input_layer` (tf_keras `<first layer>_input`, as modelc).
        let name = flavor == .keras3 && !model.isFunctional ? "input_layer" : input.name
        let config: JSONValue = .object([
            (flavor == .keras3 ? "batch_shape" : "batch_input_shape", shape(input.type)),
            ("dtype", dtype(input.type)), ("sparse", .bool(false)), ("ragged", .bool(false)),
            ("name", .string(name)), ("optional", .bool(false)),
        ])
        var object: [(String, JSONValue)] = flavor == .keras3
            ? [("module", .string("keras.layers")), ("class_name", .string("InputLayer")), ("config", config), ("registered_name", .null)]
            : [("class_name", .string("InputLayer")), ("config", config)]
        if model.isFunctional {
            object += [("name", .string(input.name)), ("inbound_nodes", .array([]))]
        }
        return .object(object)
    }

    static func layer(_ model: TypedModel, _ index: Int, flavor: KerasFlavor) -> JSONValue {
        let typed = model.layers[index]
        var object = layerObject(descriptor: typed.descriptor, arguments: typed.arguments, name: typed.name,
                                 inputs: typed.inputs, inner: typed.inner, flavor: flavor,
                                 hasWeights: !typed.weights.isEmpty)
        guard model.isFunctional else { return .object(object) }
        object.append(("name", .string(typed.name)))
        switch flavor {
        case .keras3:
            let tensors: [JSONValue] = typed.sources.map { source in
                .object([("class_name", .string("__keras_tensor__")), ("config", .object([
                    ("shape", shape(model.type(of: source))), ("dtype", dtype(model.type(of: source))),
                    ("keras_history", .array([.string(model.name(of: source)), .int(0), .int(0)])),
                ]))])
            }
            let args: JSONValue = typed.descriptor.rule.arity.takesList ? .array([.array(tensors)]) : .array(tensors)
            object.append(("inbound_nodes", .array([.object([("args", args), ("kwargs", .object(typed.descriptor.keras.callKeywords))])])))
        case .tfKeras:
            let calls: [JSONValue] = typed.sources.map { .array([.string(model.name(of: $0)), .int(0), .int(0), .object([])]) }
            object.append(("inbound_nodes", .array([.array(calls)])))
        }
        return .object(object)
    }

    /// One layer as `{module, class_name, config, registered_name, build_config}` (Keras 3) or
    /// `{class_name, config}` (tf_keras, whose nested layers carry `module` and `registered_name` too).
    static func layerObject(descriptor: LayerDescriptor, arguments: ResolvedArguments, name: String,
                            inputs: [TensorType], inner: TypedInnerLayer?, flavor: KerasFlavor,
                            hasWeights: Bool, nested: Bool = false, insideTwoDirections: Bool = false,
                            goBackwards: Bool? = nil) -> [(String, JSONValue)] {
        let config = layerConfig(descriptor: descriptor, arguments: arguments, name: name, inputs: inputs,
                                 inner: inner, flavor: flavor, insideTwoDirections: insideTwoDirections, goBackwards: goBackwards)
        switch flavor {
        case .keras3:
            var object: [(String, JSONValue)] = [("module", .string("keras.layers")), ("class_name", .string(descriptor.className)),
                                                 ("config", .object(config)), ("registered_name", .null)]
            // Keras 3 records the build shape of layers with a `build` of their own: those with
            // weights, the wrappers and the merges.
            if !inputs.isEmpty, hasWeights || descriptor.keras.keras3Builds || descriptor.has(.merge) || descriptor.has(.wrapper) {
                object.append(("build_config", .object([("input_shape", inputs.count == 1 && !descriptor.rule.arity.takesList
                    ? shape(inputs[0]) : .array(inputs.map(shape)))])))
            }
            return object
        case .tfKeras:
            guard nested else { return [("class_name", .string(descriptor.className)), ("config", .object(config))] }
            var object: [(String, JSONValue)] = [("module", .string("keras.layers")), ("class_name", .string(descriptor.className)),
                                                 ("config", .object(config)), ("registered_name", .null)]
            // tf_keras builds a TimeDistributed's layer itself (and records it), a Bidirectional's copies not.
            if !insideTwoDirections { object.append(("build_config", .object([("input_shape", shape(inputs[0]))]))) }
            return object
        }
    }

    static func layerConfig(descriptor: LayerDescriptor, arguments: ResolvedArguments, name: String,
                            inputs: [TensorType], inner: TypedInnerLayer?, flavor: KerasFlavor, insideTwoDirections: Bool,
                            goBackwards: Bool?) -> [(String, JSONValue)] {
        let form = descriptor.keras
        let minimal = flavor == .keras3 && form.keras3Minimal
        var config: [(String, JSONValue)] = minimal ? [] : [
            ("name", .string(name)), ("trainable", .bool(arguments.bool("trainable"))),
            ("dtype", flavor == .keras3 ? dtypePolicy : .string("float32")),
        ]
        for decl in descriptor.ownArguments {
            if form.absent[decl.name]?.contains(flavor) == true { continue }
            var value = arguments[decl.name] ?? .null
            if value == .null, let other = form.nullMeans[decl.name], let resolved = arguments[other] { value = resolved }
            if decl.name == "go_backwards", let goBackwards { value = .bool(goBackwards) }
            config.append((decl.name, json(value, decl.type, form: form, input: inputs.first, flavor: flavor)))
        }
        for fixed in form.fixed where fixed.flavors.contains(flavor) { config.append((fixed.name, fixed.value)) }
        for derived in form.derived where derived.flavors.contains(flavor) { config.append((derived.name, derived.value(arguments))) }
        // Keras 3's Bidirectional makes its copies return zeros at masked steps when they return sequences.
        if flavor == .keras3, insideTwoDirections, let index = config.firstIndex(where: { $0.0 == "zero_output_for_mask" }) {
            config[index].1 = .bool(arguments.bool("return_sequences"))
        }
        if let inner {
            let innerInputs = [inner.input]
            if form.twoDirections, flavor == .keras3 {
                let backwards = inner.arguments.bool("go_backwards")
                config.append(("layer", .object(layerObject(descriptor: inner.descriptor, arguments: inner.arguments, name: "forward_" + inner.name,
                                                            inputs: innerInputs, inner: inner.inner, flavor: flavor,
                                                            hasWeights: !inner.typing.weights.isEmpty, nested: true,
                                                            insideTwoDirections: true))))
                config.append(("backward_layer", .object(layerObject(descriptor: inner.descriptor, arguments: inner.arguments, name: "backward_" + inner.name,
                                                                     inputs: innerInputs, inner: inner.inner, flavor: flavor,
                                                                     hasWeights: !inner.typing.weights.isEmpty, nested: true,
                                                                     insideTwoDirections: true, goBackwards: !backwards))))
            } else {
                config.append(("layer", .object(layerObject(descriptor: inner.descriptor, arguments: inner.arguments, name: inner.name,
                                                            inputs: innerInputs, inner: inner.inner, flavor: flavor,
                                                            hasWeights: !inner.typing.weights.isEmpty, nested: true,
                                                            insideTwoDirections: form.twoDirections))))
            }
        }
        if minimal {
            config += [("name", .string(name)), ("dtype", .string("float32"))]
        }
        return config
    }

    /// An argument's value as Keras's config writes it.
    static func json(_ value: ArgumentValue, _ type: ArgumentType, form: KerasForm, input: TensorType?, flavor: KerasFlavor) -> JSONValue {
        if case .optional(let inner) = type { return value == .null ? .null : json(value, inner, form: form, input: input, flavor: flavor) }
        switch (type, value) {
        case (.initializer, .string(let name)):
            return KerasInitializers.object(name, flavor)
        case (.activation, .null):
            return .string("linear")
        case (.activation, .string(let name)):
            return .string(flavor == .keras3 && name == "swish" ? "silu" : name)
        case (.intOrSingleton, .int(let size)):
            return .array([.int(size)])
        case (.axisOrPair, .int(let axis)):
            return .int(axis)
        case (.axisOrPair, .ints(let pair)) where pair.count == 1:
            return pair[0].map { .int($0) } ?? .null
        case (.axes, _):
            let axes: [Int] = switch value {
            case .int(let axis): [axis]
            case .ints(let list): list.compactMap { $0 }
            default: []
            }
            if flavor == .tfKeras, let rank = input?.kerasRank {
                return .array(axes.map { .int($0 < 0 ? $0 + rank : $0) })
            }
            if form.axis == .keras3Int, axes.count == 1 { return .int(axes[0]) }
            return .array(axes.map { .int($0) })
        default:
            return plain(value)
        }
    }

    static func plain(_ value: ArgumentValue) -> JSONValue {
        switch value {
        case .null: .null
        case .int(let number): .int(number)
        case .float(let number): .double(number)
        case .bool(let flag): .bool(flag)
        case .string(let text): .string(text)
        case .ints(let list): .array(list.map { $0.map { .int($0) } ?? .null })
        case .floats(let list): .array(list.map { .double($0) })
        }
    }

    // MARK: Compile

    static func compileConfig(_ compile: CompileConfig, model: TypedModel, flavor: KerasFlavor) -> JSONValue {
        let several = compile.outputs.count > 1
        let losses = compile.outputs.compactMap { output in output.loss.map { (output.name, component($0, module: "keras.losses", flavor: flavor)) } }
        let loss: JSONValue = several ? .object(losses) : (losses.first?.1 ?? .null)
        let weights: JSONValue = compile.outputs.allSatisfy({ $0.weight == 1 }) ? .null
            : .object(compile.outputs.map { ($0.name, .double($0.weight)) })
        func lists(weighted: Bool) -> JSONValue {
            let lists = compile.outputs.filter { $0.metrics.contains { $0.weighted == weighted } }.map { output in
                (output.name, JSONValue.array(output.metrics.filter { $0.weighted == weighted }.map { metric($0, flavor: flavor) }))
            }
            return lists.isEmpty ? .null : (several ? .object(lists) : lists[0].1)
        }
        let metrics = lists(weighted: false), weightedMetrics = lists(weighted: true)
        let optimizer = optimizerConfig(compile.optimizer, flavor: flavor)
        switch flavor {
        case .keras3:
            return .object([("optimizer", optimizer), ("loss", loss), ("loss_weights", weights), ("metrics", metrics),
                            ("weighted_metrics", weightedMetrics), ("run_eagerly", .bool(false)), ("steps_per_execution", .int(1)),
                            ("jit_compile", .bool(false))])
        case .tfKeras:
            return .object([("loss", loss), ("metrics", metrics), ("weighted_metrics", weightedMetrics), ("loss_weights", weights),
                            ("optimizer_config", optimizer)])
        }
    }

    /// A loss or metric: its string name when written without arguments (as Keras keeps it), else the object.
    static func component(_ component: CompileConfig.Component, module: String, flavor: KerasFlavor) -> JSONValue {
        let explicit = component.descriptor.arguments.filter { component.arguments.isExplicit($0.name) }
        if explicit.isEmpty {
            if flavor == .tfKeras, !component.descriptor.kerasFileString { return .string(component.descriptor.className) }
            return .string(component.spelling ?? component.descriptor.names.first ?? snakeCase(component.descriptor.className))
        }
        var config: [(String, JSONValue)] = [("name", .string(component.descriptor.names.first ?? snakeCase(component.descriptor.className)))]
        for decl in explicit where decl.name != "name" { config.append((decl.name, plain(component.arguments[decl.name] ?? .null))) }
        return .object([("module", .string(module)), ("class_name", .string(component.descriptor.className)),
                        ("config", .object(config)), ("registered_name", .null)])
    }

    static func metric(_ metric: CompileConfig.Metric, flavor: KerasFlavor) -> JSONValue {
        component(CompileConfig.Component(descriptor: metric.descriptor, arguments: metric.arguments, range: metric.range, spelling: metric.spelling),
                  module: "keras.metrics", flavor: flavor)
    }

    static func optimizerConfig(_ optimizer: CompileConfig.Component, flavor: KerasFlavor) -> JSONValue {
        let descriptor = optimizer.descriptor
        var own: [(String, JSONValue)] = []
        var common: [String: JSONValue] = [:]
        for decl in descriptor.arguments {
            var value = plain(optimizer.arguments[decl.name] ?? .null)
            // The learning rate is a float32 variable in Keras; its config reads it back.
            if decl.name == "learning_rate", case .double(let rate) = value { value = .double(Double(Float(rate))) }
            if let schedule = optimizer.schedules[decl.name] { value = KerasSchedules.config(schedule, flavor: flavor) }
            if ["learning_rate", "weight_decay", "clipnorm", "clipvalue", "global_clipnorm"].contains(decl.name) {
                common[decl.name] = value
            } else {
                own.append((decl.name, value))
            }
        }
        let clipping: [(String, JSONValue)] = [
            ("weight_decay", common["weight_decay"] ?? .null), ("clipnorm", common["clipnorm"] ?? .null),
            ("global_clipnorm", common["global_clipnorm"] ?? .null), ("clipvalue", common["clipvalue"] ?? .null),
            ("use_ema", .bool(false)), ("ema_momentum", .double(0.99)), ("ema_overwrite_frequency", .null),
        ]
        let rate = common["learning_rate"] ?? .null
        switch flavor {
        case .keras3:
            let config = [("name", .string(snakeCase(descriptor.className))), ("learning_rate", rate)] + clipping
                + [("loss_scale_factor", .null), ("gradient_accumulation_steps", .null)] + own
            return .object([("module", .string("keras.optimizers")), ("class_name", .string(descriptor.className)),
                            ("config", .object(config)), ("registered_name", .null)])
        case .tfKeras:
            let config = [("name", .string(descriptor.className))] + clipping
                + [("jit_compile", .bool(false)), ("is_legacy_optimizer", .bool(false)), ("learning_rate", rate)] + own
            return .object([("class_name", .string(descriptor.className)), ("config", .object(config))])
        }
    }
}
