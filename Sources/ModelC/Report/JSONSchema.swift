/// `modelc schema`: a JSON Schema (draft-07, what yaml-language-server and the VS Code YAML extension
/// read) generated from the catalogues: every top-level key, every layer in both forms (the shorthand
/// string by the pattern of its class word, the keyword form with each argument's type, range, enum,
/// default and doc), wrappers, functional inputs/outputs, compile, fit and data. It accepts every spec
/// the checker accepts; what only the checker can judge (shapes, names across the graph) it leaves
/// to the checker.
public enum JSONSchema {
    public static let id = "https://modelc.dev/schema/modelc.schema.json"

    public static func document() -> JSONValue {
        var definitions: [(String, JSONValue)] = [
            ("layer", layer),
            ("shape", shape(inferred: false, unknown: true)),
            ("names", names),
            ("optimizer", component(optimizerCatalog)),
            ("loss", component(lossCatalog)),
            ("metric", component(metricCatalog)),
            ("callback", component(callbackCatalog)),
            ("arraySource", arraySource),
            ("dataSplit", dataSplit),
        ]
        for descriptor in LayerCatalog.all {
            definitions.append(("layer." + descriptor.className, layerArguments(descriptor)))
        }
        return .object([
            ("$schema", .string("http://json-schema.org/draft-07/schema#")),
            ("$id", .string(id)),
            ("title", .string("modelc spec")),
            ("description", .string("A Keras model declared in YAML, checked and trained by modelc (Grammar.md).")),
            ("type", .string("object")),
            ("properties", .object(SpecSection.allCases.map { ($0.rawValue, section($0)) })),
            ("additionalProperties", .bool(false)),
            ("definitions", .object(definitions)),
        ])
    }

    /// The schema as `modelc schema` prints it and docs/modelc.schema.json holds it.
    public static func rendered() -> String { document().rendered() + "\n" }

    // MARK: Sections

    static func section(_ section: SpecSection) -> JSONValue {
        let doc: (String, JSONValue) = ("description", .string(section.doc))
        switch section {
        case .name: return .object([("type", .string("string")), doc])
        case .input: return .object([ref("shape"), doc])
        case .inputs:
            let declared: JSONValue = .object([
                ("type", .string("object")),
                ("properties", .object([
                    ("shape", refObject("shape")),
                    ("dtype", .object([("enum", .array([.string("int32"), .string("float32")]))])),
                ])),
                ("required", .array([.string("shape")])),
                ("additionalProperties", .bool(false)),
            ])
            return .object([("type", .string("object")), ("minProperties", .int(1)),
                            ("additionalProperties", .object([("anyOf", .array([refObject("shape"), declared]))])), doc])
        case .outputs: return .object([ref("names"), doc])
        case .layers:
            return .object([("type", .string("array")), ("minItems", .int(1)), ("items", refObject("layer")), doc])
        case .compile:
            var properties = arguments(compileArguments.filter { !["optimizer", "loss", "metrics", "loss_weights"].contains($0.name) })
            properties += [
                ("optimizer", refObject("optimizer")),
                ("loss", .object([("anyOf", .array([refObject("loss"), mapping(of: refObject("loss"))]))])),
                ("metrics", .object([("anyOf", .array([list(of: refObject("metric")), mapping(of: list(of: refObject("metric")))]))])),
                ("loss_weights", .object([("anyOf", .array([list(of: number), mapping(of: number)]))])),
            ]
            return .object([("type", .string("object")), ("properties", .object(described(properties, compileArguments))),
                            ("additionalProperties", .bool(false)), doc])
        case .fit:
            var properties = arguments(fitArguments.filter { !["validation", "callbacks"].contains($0.name) })
            properties += [
                ("validation", .object([("type", .string("object")), ("properties", .object(arguments(validationArguments))),
                                        ("required", .array([.string("split")])), ("additionalProperties", .bool(false))])),
                ("callbacks", list(of: refObject("callback"))),
            ]
            return .object([("type", .string("object")), ("properties", .object(described(properties, fitArguments))),
                            ("additionalProperties", .bool(false)), doc])
        case .data:
            let text: JSONValue = .object([("type", .string("object")), ("properties", .object(arguments(textPreprocessingArguments))),
                                           ("additionalProperties", .bool(false))])
            return .object([("type", .string("object")),
                            ("properties", .object(dataSplitNames.map { ($0, refObject("dataSplit")) } + [("text", text)])),
                            ("additionalProperties", .bool(false)), doc])
        }
    }

    // MARK: Layers

    /// A layer entry: the shorthand string (its class word checked) or the one-key keyword form.
    static var layer: JSONValue {
        let classes = LayerCatalog.allNames.map(escaped).joined(separator: "|")
        let shorthand: JSONValue = .object([
            ("type", .string("string")),
            ("pattern", .string("^\\s*(" + classes + ")(\\s|\\(|$)")),
            ("description", .string("The short form: the class, then values and name=value pairs, e.g. `LSTM 8 return_sequences`.")),
        ])
        let keyword: JSONValue = .object([
            ("type", .string("object")),
            ("minProperties", .int(1)),
            ("maxProperties", .int(1)),
            ("properties", .object(LayerCatalog.all.flatMap { descriptor in
                ([descriptor.className] + descriptor.aliases).map { ($0, refObject("layer." + descriptor.className)) }
            })),
            ("additionalProperties", .bool(false)),
        ])
        return .object([("anyOf", .array([shorthand, keyword]))])
    }

    /// One class's keyword arguments (null for none); `inputs` for functional specs, `layer` for wrappers.
    static func layerArguments(_ descriptor: LayerDescriptor) -> JSONValue {
        var properties = arguments(descriptor.arguments)
        properties.append(("inputs", .object([ref("names"),
                                               ("description", .string("Functional specs: the input or layer names this layer reads."))])))
        if descriptor.has(.wrapper) {
            properties.append(("layer", .object([ref("layer"), ("description", .string("The layer \(descriptor.className) wraps."))])))
        }
        let object: JSONValue = .object([
            ("type", .string("object")),
            ("description", .string(descriptor.doc)),
            ("properties", .object(properties)),
            ("additionalProperties", .bool(false)),
        ])
        return .object([("description", .string(descriptor.doc)), ("anyOf", .array([object, .object([("type", .string("null"))])]))])
    }

    // MARK: Arguments

    static func arguments(_ declarations: [ArgumentDecl]) -> [(String, JSONValue)] {
        declarations.map { declaration in
            guard case .object(var fields) = type(declaration.type) else { return (declaration.name, type(declaration.type)) }
            fields.append(("description", .string(declaration.doc)))
            if let value = declaration.defaultValue, let json = json(value) { fields.append(("default", json)) }
            return (declaration.name, .object(fields))
        }
    }

    /// Docs of `declarations` on properties that a section builds by hand.
    static func described(_ properties: [(String, JSONValue)], _ declarations: [ArgumentDecl]) -> [(String, JSONValue)] {
        properties.map { name, schema in
            guard let doc = declarations.first(where: { $0.name == name })?.doc, case .object(var fields) = schema,
                  !fields.contains(where: { $0.0 == "description" }) else { return (name, schema) }
            fields.append(("description", .string(doc)))
            return (name, .object(fields))
        }
    }

    /// The JSON Schema of one argument type, as the checker converts it.
    static func type(_ type: ArgumentType) -> JSONValue {
        switch type {
        case .int(let min, let max):
            var fields: [(String, JSONValue)] = [("type", .string("integer")), ("minimum", .int(min))]
            if max < Int(Int32.max) { fields.append(("maximum", .int(max))) }
            return .object(fields)
        case .float(let interval):
            var fields: [(String, JSONValue)] = [("type", .string("number"))]
            if interval.lower.isFinite {
                fields.append((interval.lowerClosed ? "minimum" : "exclusiveMinimum", .double(interval.lower)))
            }
            if interval.upper.isFinite {
                fields.append((interval.upperClosed ? "maximum" : "exclusiveMaximum", .double(interval.upper)))
            }
            return .object(fields)
        case .bool: return .object([("type", .string("boolean"))])
        case .choice(let names): return .object([("enum", .array(names.map { .string($0) }))])
        case .activation:
            return .object([("enum", .array(Activation.allCases.map { .string($0.rawValue) } + [.null]))])
        case .initializer: return .object([("enum", .array(InitializerName.all.map { .string($0) }))])
        case .text(.nonEmpty): return .object([("type", .string("string")), ("minLength", .int(1))])
        case .text(.layerName):
            return .object([("type", .string("string")), ("pattern", .string("^[A-Za-z0-9.][A-Za-z0-9_.\\\\/>-]*$"))])
        case .intOrSingleton(let min):
            let one: JSONValue = .object([("type", .string("integer")), ("minimum", .int(min))])
            return .object([("anyOf", .array([one, .object([("type", .string("array")), ("items", one),
                                                            ("minItems", .int(1)), ("maxItems", .int(1))])]))])
        case .shape(let inferred, let unknown): return shape(inferred: inferred, unknown: unknown)
        case .axes:
            let axis: JSONValue = .object([("type", .string("integer"))])
            return .object([("anyOf", .array([axis, .object([("type", .string("array")), ("items", axis), ("minItems", .int(1))])]))])
        case .axisOrPair:
            let axis: JSONValue = .object([("type", .string("integer"))])
            return .object([("anyOf", .array([axis, .object([("type", .string("array")), ("items", axis),
                                                             ("minItems", .int(2)), ("maxItems", .int(2))])]))])
        case .optional(let inner):
            return .object([("anyOf", .array([self.type(inner), .object([("type", .string("null"))])]))])
        case .structured:
            return .object([] as [(String, JSONValue)])
        }
    }

    static func shape(inferred: Bool, unknown: Bool) -> JSONValue {
        var sizes: [JSONValue] = [.object([("type", .string("integer")), ("minimum", .int(1))])]
        if inferred { sizes.append(.object([("const", .int(-1))])) }
        if unknown { sizes.append(.object([("type", .string("null"))])) }
        return .object([("type", .string("array")), ("items", .object([("anyOf", .array(sizes))])),
                        ("description", .string("One sample's sizes, without the batch axis."))])
    }

    static func json(_ value: ArgumentValue) -> JSONValue? {
        switch value {
        case .null: .null
        case .int(let number): .int(number)
        case .float(let number): number.isFinite ? .double(number) : nil
        case .bool(let flag): .bool(flag)
        case .string(let text): .string(text)
        case .ints(let sizes): .array(sizes.map { $0.map { .int($0) } ?? .null })
        }
    }

    // MARK: Components and data

    /// An optimizer, loss, metric or callback: a name (case-insensitive where Keras lowercases it)
    /// or `{ClassName: {arguments}}`.
    static func component(_ catalog: ComponentCatalog) -> JSONValue {
        let names = catalog.allNames
        let byName: JSONValue = catalog.caseInsensitive
            ? .object([("type", .string("string")),
                       ("pattern", .string("^(" + names.map(caseInsensitivePattern).joined(separator: "|") + ")$"))])
            : .object([("enum", .array(names.map { .string($0) }))])
        let classes: JSONValue = .object([
            ("type", .string("object")), ("minProperties", .int(1)), ("maxProperties", .int(1)),
            ("properties", .object(catalog.all.map { descriptor in
                (descriptor.className, .object([
                    ("description", .string(descriptor.doc)),
                    ("anyOf", .array([
                        .object([("type", .string("object")), ("properties", .object(arguments(descriptor.arguments))),
                                 ("additionalProperties", .bool(false))]),
                        .object([("type", .string("null"))]),
                    ])),
                ]))
            })),
            ("additionalProperties", .bool(false)),
        ])
        return .object([("description", .string("A Keras \(catalog.kind): a name or `{ClassName: {arguments}}`.")),
                        ("anyOf", .array([byName, classes]))])
    }

    static var arraySource: JSONValue {
        .object([("anyOf", .array([
            .object([("type", .string("string")), ("minLength", .int(1))]),
            .object([("type", .string("array"))]),
            .object([("type", .string("object"))]),
        ]))])
    }

    static var dataSplit: JSONValue {
        var properties: [(String, JSONValue)] = []
        for declaration in dataSplitArguments {
            let schema: JSONValue
            switch declaration.name {
            case "x", "y": schema = refObject("arraySource")
            case "features", "labels": schema = .object([("anyOf", .array([refObject("names"), .object([("type", .string("object"))])]))])
            case "classes": schema = list(of: .object([("type", .string("string"))]))
            default: schema = type(declaration.type)
            }
            guard case .object(var fields) = schema else { continue }
            fields.append(("description", .string(declaration.doc)))
            properties.append((declaration.name, .object(fields)))
        }
        return .object([("type", .string("object")), ("properties", .object(properties)), ("additionalProperties", .bool(false))])
    }

    // MARK: Helpers

    static var names: JSONValue {
        let name: JSONValue = .object([("type", .string("string"))])
        return .object([("anyOf", .array([name, .object([("type", .string("array")), ("items", name)])]))])
    }

    static var number: JSONValue { .object([("type", .string("number"))]) }

    static func list(of items: JSONValue) -> JSONValue { .object([("type", .string("array")), ("items", items)]) }

    static func mapping(of values: JSONValue) -> JSONValue {
        .object([("type", .string("object")), ("additionalProperties", values)])
    }

    static func ref(_ name: String) -> (String, JSONValue) { ("$ref", .string("#/definitions/" + name)) }

    static func refObject(_ name: String) -> JSONValue { .object([ref(name)]) }

    /// A regular-expression literal for `text`.
    static func escaped(_ text: String) -> String {
        var output = ""
        for character in text {
            if "\\^$.|?*+()[]{}/".contains(character) { output += "\\" }
            output.append(character)
        }
        return output
    }

    /// `[Aa][Dd][Aa][Mm]`: ECMA-262 patterns have no case-insensitive flag in JSON Schema.
    static func caseInsensitivePattern(_ text: String) -> String {
        text.map { character in
            let lower = character.lowercased(), upper = character.uppercased()
            return lower == upper ? escaped(String(character)) : "[\(upper)\(lower)]"
        }.joined()
    }
}

