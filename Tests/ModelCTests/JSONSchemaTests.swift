import Foundation
import Testing
@testable import ModelC

/// docs/modelc.schema.json is what `modelc schema` generates, and what it generates follows the
/// catalogues: every layer, argument, component and section, with the checker's types and ranges.
/// (Scripts/integration-editors.sh validates the specs themselves against it with check-jsonschema.)
@Suite struct JSONSchemaTests {
    static let schema = JSONSchema.document()
    static let definitions = schema["definitions"]

    @Test func committedFileIsWhatTheCatalogueGenerates() {
        let committed = TestSupport.read(TestSupport.packageRoot + "/docs/modelc.schema.json")
        #expect(!committed.isEmpty, "docs/modelc.schema.json is missing")
        #expect(committed == JSONSchema.rendered(),
                "docs/modelc.schema.json is stale: regenerate it with Scripts/update-reference.sh (`modelc schema`)")
    }

    @Test func isADraft07SchemaThatParsesAsJSON() throws {
        let data = Data(JSONSchema.rendered().utf8)
        let parsed = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(parsed["$schema"] as? String == "http://json-schema.org/draft-07/schema#")
        #expect((parsed["$id"] as? String).map { !$0.isEmpty } == true)
        #expect(parsed["title"] as? String == "modelc spec")
        #expect(parsed["additionalProperties"] as? Bool == false)
        // Every $ref points at a definition that exists.
        let text = JSONSchema.rendered()
        let refs = text.components(separatedBy: "\"$ref\": \"#/definitions/").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(refs.count > 50)
        let names = Set((parsed["definitions"] as? [String: Any] ?? [:]).keys)
        for name in Set(refs) { #expect(names.contains(String(name)), "dangling $ref \(name)") }
    }

    @Test func topLevelKeysAreTheSpecSections() {
        let keys = Self.schema["properties"].keys
        #expect(keys == SpecSection.allCases.map(\.rawValue))
        #expect(Self.schema["required"] == .array([.string("layers")]))
        for section in SpecSection.allCases {
            #expect(Self.schema["properties"][section.rawValue]["description"] == .string(section.doc))
        }
    }

    // MARK: Layers

    @Test func everyClassAndAliasHasTheKeywordForm() {
        let keyword = Self.definitions["keywordLayer"]
        #expect(keyword["minProperties"] == .int(1) && keyword["maxProperties"] == .int(1))
        #expect(keyword["propertyNames"]["enum"] == .array(LayerCatalog.allNames.map { .string($0) }))
        for descriptor in LayerCatalog.all {
            for name in [descriptor.className] + descriptor.aliases {
                #expect(keyword["properties"][name] == .object([("$ref", .string("#/definitions/layerArguments.\(descriptor.className)"))]),
                        "\(name)")
            }
        }
        #expect(LayerCatalog.allNames.contains("Convolution1D") && LayerCatalog.allNames.contains("MaxPool1D"))
    }

    /// Each argument of each class, checked against its declaration by rules written here, not by the generator.
    @Test func everyLayerArgumentHasItsTypeRangeChoicesAndDefault() {
        for descriptor in LayerCatalog.all {
            let arguments = Self.definitions["layerArguments.\(descriptor.className)"]
            #expect(arguments["additionalProperties"] == .bool(false), "\(descriptor.className)")
            #expect(arguments["description"] == .string(descriptor.doc))
            var expectedKeys = descriptor.arguments.map(\.name) + ["inputs"]
            if descriptor.has(.wrapper) { expectedKeys.append("layer") }
            #expect(arguments["properties"].keys == expectedKeys, "\(descriptor.className)")
            var required = descriptor.arguments.filter(\.isRequired).map(\.name)
            if descriptor.has(.wrapper) { required.append("layer") }
            #expect(arguments["required"] == .array(required.map { .string($0) }), "\(descriptor.className)")
            for declaration in descriptor.arguments {
                Self.expectMatches(arguments["properties"][declaration.name], declaration, "\(descriptor.className).\(declaration.name)")
            }
        }
    }

    @Test func specificFacts() {
        let dense = Self.definitions["layerArguments.Dense"]
        #expect(dense["properties"]["units"]["type"] == .string("integer"))
        #expect(dense["properties"]["units"]["minimum"] == .int(1))
        #expect(dense["required"] == .array([.string("units")]))
        #expect(dense["type"] == .string("object"), "Dense: null lacks units")
        #expect(dense["additionalProperties"] == .bool(false))
        #expect(dense["properties"]["activation"]["default"] == .string("linear"))

        let rate = Self.definitions["layerArguments.Dropout"]["properties"]["rate"]
        #expect(rate["type"] == .string("number") && rate["minimum"] == .int(0) && rate["maximum"] == .int(1))
        #expect(rate["exclusiveMinimum"] == nil)

        let factor = Self.definitions["callbackArguments.ReduceLROnPlateau"]["properties"]["factor"]
        #expect(factor["exclusiveMinimum"] == .int(0) && factor["exclusiveMaximum"] == .int(1) && factor["minimum"] == nil)
        let beta = Self.definitions["optimizerArguments.Adam"]["properties"]["beta_1"]
        #expect(beta["minimum"] == .int(0) && beta["exclusiveMaximum"] == .int(1))
        // A number above 0, or a schedule.
        let learningRate = Self.definitions["optimizerArguments.Adam"]["properties"]["learning_rate"]["anyOf"].items
        #expect(learningRate.first?["exclusiveMinimum"] == .int(0))
        #expect(learningRate.last == .object([("$ref", .string("#/definitions/schedule"))]))
        #expect(Self.definitions["scheduleArguments.PiecewiseConstantDecay"]["required"] == .array([.string("boundaries"), .string("values")]))

        let lstm = Self.definitions["layerArguments.LSTM"]["properties"]
        #expect(lstm["activation"]["default"] == .string("tanh"))
        #expect(lstm["recurrent_activation"]["default"] == .string("sigmoid"))
        #expect(lstm["recurrent_initializer"]["default"] == .string("orthogonal"))
        #expect(lstm["activation"]["enum"].items.contains(.string("relu")) && lstm["activation"]["enum"].items.contains(.null))

        let conv = Self.definitions["layerArguments.Conv1D"]["properties"]
        #expect(conv["padding"]["enum"] == .array([.string("valid"), .string("same"), .string("causal")]))
        #expect(conv["kernel_size"]["anyOf"].items.count == 2, "an int or a list of one")

        let bidirectional = Self.definitions["layerArguments.Bidirectional"]
        #expect(bidirectional["required"] == .array([.string("layer")]))
        #expect(bidirectional["properties"]["layer"]["allOf"] == .array([.object([("$ref", .string("#/definitions/wrappedLayer"))])]))
        #expect(bidirectional["properties"]["merge_mode"]["enum"] == .array(["concat", "sum", "mul", "ave"].map { .string($0) } + [.null]))

        let flatten = Self.definitions["layerArguments.Flatten"]
        #expect(flatten["type"] == .array([.string("object"), .string("null")]), "Flatten: null takes all defaults")

        #expect(Self.definitions["layerArguments.Subtract"]["properties"]["inputs"]["minItems"] == .int(2))
        #expect(Self.definitions["layerArguments.Subtract"]["properties"]["inputs"]["maxItems"] == .int(2))
        #expect(Self.definitions["layerArguments.Concatenate"]["properties"]["inputs"]["type"] == .string("array"))
        #expect(Self.definitions["layerArguments.Dense"]["properties"]["inputs"]["anyOf"].items.count == 2)

        let reshape = Self.definitions["layerArguments.Reshape"]["properties"]["target_shape"]
        #expect(reshape["items"]["anyOf"].items.contains(.object([("const", .int(-1))])))
        let inputShape = Self.definitions["layerArguments.Dense"]["properties"]["input_shape"]
        #expect(inputShape["type"] == .array([.string("array"), .string("null")]))
        #expect(inputShape["items"]["anyOf"].items.contains(.object([("type", .string("null"))])))
    }

    // MARK: Components and sections

    @Test func everyComponentAppears() throws {
        for (name, catalog) in [("optimizer", optimizerCatalog), ("loss", lossCatalog), ("metric", metricCatalog), ("callback", callbackCatalog)] {
            let component = Self.definitions[name]
            let mapping = try #require(component["anyOf"].items.last)
            #expect(mapping["additionalProperties"] == .bool(false))
            for descriptor in catalog.all {
                let arguments = Self.definitions["\(name)Arguments.\(descriptor.className)"]
                #expect(arguments["properties"].keys == descriptor.arguments.map(\.name), "\(descriptor.className)")
                #expect(arguments["additionalProperties"] == .bool(false))
                for declaration in descriptor.arguments {
                    Self.expectMatches(arguments["properties"][declaration.name], declaration, "\(descriptor.className).\(declaration.name)")
                }
                for spelling in [descriptor.className] + descriptor.names {
                    #expect(mapping["properties"][spelling] != nil, "\(name) \(spelling)")
                    let byName = component["anyOf"].items.first { $0["type"] == .string("string") }
                    let takesName = !descriptor.arguments.contains(where: \.isRequired)
                    if let pattern = byName?["pattern"].string {
                        #expect(try Self.matches(pattern, spelling) == takesName, "\(spelling)")
                        #expect(try Self.matches(pattern, spelling.uppercased()) == takesName, "\(spelling) in capitals")
                    } else {
                        #expect((byName?["enum"].items.contains(.string(spelling)) ?? false) == takesName, "\(spelling)")
                    }
                }
            }
        }
        // The optimizer is looked up regardless of case, as a name and as the class key.
        let optimizer = Self.definitions["optimizer"]
        let pattern = try #require(optimizer["anyOf"].items.first?["pattern"].string)
        #expect(try Self.matches(pattern, "ADAM") && Self.matches(pattern, "rmsprop") && !Self.matches(pattern, "adamm"))
        #expect(optimizer["anyOf"].items.last?["patternProperties"].keys.count == optimizerCatalog.all.count)
        // Callbacks that need an argument cannot be written by name.
        let callback = Self.definitions["callback"]["anyOf"].items.first { $0["type"] == .string("string") }
        let byName = callback?["enum"].items ?? []
        #expect(byName.contains(.string("EarlyStopping")) && byName.contains(.string("TerminateOnNaN")))
        #expect(!byName.contains(.string("ModelCheckpoint")) && !byName.contains(.string("BackupAndRestore")) && !byName.contains(.string("CSVLogger")))
        #expect(Self.definitions["callbackArguments.ModelCheckpoint"]["required"] == .array([.string("filepath")]))
        #expect(Self.definitions["callbackArguments.ModelCheckpoint"]["type"] == .string("object"))
        #expect(Self.definitions["optimizerArguments.SGD"]["not"] != nil, "one clipping mode")
    }

    @Test func compileFitAndDataFollowTheirDeclarations() {
        let compile = Self.schema["properties"]["compile"]
        #expect(compile["properties"].keys == compileArguments.map(\.name))
        #expect(compile["required"] == .array([.string("loss")]))
        #expect(compile["properties"]["optimizer"]["default"] == .string("rmsprop"))
        let fit = Self.schema["properties"]["fit"]
        #expect(fit["properties"].keys == fitArguments.map(\.name))
        #expect(fit["additionalProperties"] == .bool(false))
        for declaration in fitArguments {
            if case .structured = declaration.type { continue }
            Self.expectMatches(fit["properties"][declaration.name], declaration, "fit.\(declaration.name)")
        }
        let validation = fit["properties"]["validation"]
        #expect(validation["properties"].keys == validationArguments.map(\.name))
        #expect(validation["required"] == .array([.string("split")]))
        #expect(validation["properties"]["split"]["exclusiveMinimum"] == .int(0))
        let data = Self.schema["properties"]["data"]
        #expect(data["properties"].keys == dataSplitNames + dataSettingNames)
        #expect(data["additionalProperties"] == .bool(false))
        let text = data["properties"]["text"]
        for declaration in textPreprocessingArguments {
            Self.expectMatches(text["properties"][declaration.name], declaration, "data.text.\(declaration.name)")
        }
        #expect(Self.definitions["dataSplit"]["properties"].keys == dataSplitArguments.map(\.name))
        let window = Self.definitions["dataSplit"]["properties"]["window"]
        #expect(window["properties"].keys == timeseriesWindowArguments.map(\.name))
        for declaration in timeseriesWindowArguments {
            Self.expectMatches(window["properties"][declaration.name], declaration, "data split window.\(declaration.name)")
        }
    }

    // MARK: Shorthand patterns

    /// Every shorthand example of the catalogue and every shorthand string of the valid specs matches.
    @Test func shorthandPatternsAcceptWhatTheCheckerAccepts() throws {
        var strings: [String] = LayerCatalog.all.flatMap(\.examples)
        let specs = TestSupport.files(in: TestSupport.packageRoot + "/Specs", withExtension: "yaml")
        #expect(specs.count >= 10)
        for path in specs { strings += Self.shorthandStrings(in: path) }
        strings += ["  Dense 8", "Dense\t8\nrelu", "Dense 8 'relu'", "LSTM 8 \"return_sequences\"", "Dense units = 8",
                    "MaxPool1D 2", "Convolution1D 8 3 padding='same'", "Activation None", "Dropout .5",
                    "TimeDistributed Bidirectional sum LSTM 4 return_sequences", "Bidirectional name=Bi LSTM 8",
                    "Embedding 0x1F 8", "Reshape (-1, 2)", "Conv1D 8 (3,) strides=[1]", "Dense 8 trainable=False name=a/b>c"]
        #expect(strings.count > 40)
        for text in strings {
            #expect(try Self.shorthandAccepts(text), "\(text)")
            #expect(Self.bindingErrors(text).isEmpty, "the checker refuses \(text): \(Self.bindingErrors(text))")
        }
    }

    /// Mistakes the checker reports while binding shorthand items fail the patterns too.
    @Test func shorthandPatternsRefuseBindingMistakes() throws {
        let mistakes = [
            "Dense 8 sigmod", "Dropout 0.3 0.4", "Dense = 1", "LSTM 8 foo=1", "Dense 8 LSTM 4", "Densee 8",
            "Conv1D 16 3 padding=full", "Bidirectional sum", "Dense units=abc", "Dense 8 activation=relux",
            "LSTM 8 return_sequences=yes", "Embedding 500 16 3", "Flatten 3", "dense 8", "Bidirectional LSTM 8 foo=2",
            "Dense 8 name=_x", "Concatenate inputs=a",
        ]
        for text in mistakes {
            #expect(try !Self.shorthandAccepts(text), "\(text)")
            let inGraph = TestSupport.errors("inputs: {a: [4, 8]}\nlayers:\n  - " + Self.yamlQuoted(text) + "\n")
            #expect(!Self.bindingErrors(text).isEmpty || !inGraph.isEmpty, "the checker accepts \(text)")
        }
    }

    // MARK: Helpers

    /// What the shorthand parser and the argument binder report for one layer string (shapes aside).
    static func bindingErrors(_ text: String) -> [String] {
        var read: [Diagnostic] = []
        let range = SourceRange(at: ModelC.SourceLocation(line: 1, column: 1))
        guard let spec = Shorthand.parse(text, range: range, contentStart: nil, diagnostics: &read) else {
            return read.map(\.message) + ["not parsed"]
        }
        var bag = DiagnosticBag()
        let resolved = LayerResolution.resolve(spec, &bag)
        return read.map(\.message) + bag.diagnostics.filter { $0.severity == .error }.map(\.message)
            + (resolved?.isComplete == true ? [] : ["incomplete"])
    }

    /// The shorthand schema's class word and, for the class it names, the whole-string pattern.
    static func shorthandAccepts(_ text: String) throws -> Bool {
        let shorthand = definitions["shorthandLayer"]
        guard try matches(try #require(shorthand["pattern"].string), text) else { return false }
        for rule in shorthand["allOf"].items {
            let condition = try #require(rule["if"]["pattern"].string)
            if try matches(condition, text) {
                return try matches(try #require(rule["then"]["pattern"].string), text)
            }
        }
        return false
    }

    static func matches(_ pattern: String, _ text: String) throws -> Bool {
        let regex = try NSRegularExpression(pattern: pattern)
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    static func yamlQuoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t") + "\""
    }

    /// The layer entries written as strings in a spec file, nested `layer:` strings included.
    static func shorthandStrings(in path: String) -> [String] {
        let (root, _) = YAMLReader.read(SourceFile(path: path, text: TestSupport.read(path)))
        guard case .mapping(let pairs)? = root?.content,
              let layers = pairs.first(where: { $0.key.scalarText == "layers" }), case .sequence(let items) = layers.value.content
        else { return [] }
        var strings: [String] = []
        func visit(_ node: YAMLNode) {
            switch node.content {
            case .scalar(let text, _): strings.append(text)
            case .mapping(let pairs):
                for pair in pairs {
                    if case .mapping(let arguments) = pair.value.content, let wrapped = arguments.first(where: { $0.key.scalarText == "layer" }) {
                        visit(wrapped.value)
                    }
                }
            case .sequence: break
            }
        }
        items.forEach(visit)
        return strings
    }

    /// The schema of one declared argument says what the declaration says.
    static func expectMatches(_ schema: JSONValue?, _ declaration: ArgumentDecl, _ label: String,
                              sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(schema["description"] == .string(declaration.doc), "\(label) description", sourceLocation: sourceLocation)
        switch declaration.defaultValue {
        case nil, .null?:
            if case .optional = declaration.type {
                #expect(schema["default"] == .null, "\(label) default null", sourceLocation: sourceLocation)
            } else if declaration.defaultValue == nil {
                #expect(schema["default"] == nil, "\(label) is required: no default", sourceLocation: sourceLocation)
            }
        case .int(let value)?: #expect(schema["default"] == .int(value), "\(label) default", sourceLocation: sourceLocation)
        case .float(let value)?: #expect(schema["default"]?.number == value, "\(label) default", sourceLocation: sourceLocation)
        case .bool(let value)?: #expect(schema["default"] == .bool(value), "\(label) default", sourceLocation: sourceLocation)
        case .string(let value)?: #expect(schema["default"] == .string(value), "\(label) default", sourceLocation: sourceLocation)
        case .ints(let values)?:
            #expect(schema["default"] == .array(values.map { $0.map { .int($0) } ?? .null }), "\(label) default", sourceLocation: sourceLocation)
        case .floats(let values)?:
            #expect(schema["default"] == .array(values.map { .double($0) }), "\(label) default", sourceLocation: sourceLocation)
        }
        expectType(schema, declaration.type, label, sourceLocation: sourceLocation)
    }

    static func expectType(_ schema: JSONValue?, _ type: ArgumentType, _ label: String, nullable: Bool = false,
                           sourceLocation: Testing.SourceLocation) {
        func expectTypeName(_ name: String) {
            let expected: JSONValue = nullable ? .array([.string(name), .string("null")]) : .string(name)
            #expect(schema["type"] == expected, "\(label) type", sourceLocation: sourceLocation)
        }
        switch type {
        case .int(let min, let max):
            expectTypeName("integer")
            #expect(schema["minimum"] == .int(min) && schema["maximum"] == .int(max), "\(label) range", sourceLocation: sourceLocation)
        case .float(let interval):
            expectTypeName("number")
            let lowerKey = interval.lowerClosed ? "minimum" : "exclusiveMinimum"
            let upperKey = interval.upperClosed ? "maximum" : "exclusiveMaximum"
            #expect(schema[lowerKey]?.number == interval.lower, "\(label) \(lowerKey)", sourceLocation: sourceLocation)
            if interval.upper.isFinite {
                #expect(schema[upperKey]?.number == interval.upper, "\(label) \(upperKey)", sourceLocation: sourceLocation)
            } else {
                #expect(schema["maximum"] == nil && schema["exclusiveMaximum"] == nil, "\(label) unbounded", sourceLocation: sourceLocation)
            }
        case .bool:
            expectTypeName("boolean")
        case .choice(let names):
            expectTypeName("string")
            #expect(schema["enum"] == .array(names.map { .string($0) } + (nullable ? [.null] : [])), "\(label) enum", sourceLocation: sourceLocation)
        case .activation:
            #expect(schema["enum"] == .array(Activation.allCases.map { .string($0.rawValue) } + [.null]), "\(label) activations", sourceLocation: sourceLocation)
        case .initializer:
            expectTypeName("string")
            #expect(schema["enum"] == .array(InitializerName.all.map { .string($0) }), "\(label) initializers", sourceLocation: sourceLocation)
        case .text(.nonEmpty):
            expectTypeName("string")
            #expect(schema["minLength"] == .int(1), "\(label) non-empty", sourceLocation: sourceLocation)
        case .text(.layerName):
            expectTypeName("string")
            #expect(schema["pattern"] == .string("^[A-Za-z0-9.][A-Za-z0-9_.\\\\/>-]*$"), "\(label) layer name", sourceLocation: sourceLocation)
        case .intOrSingleton(let min):
            let alternatives = schema["anyOf"].items
            #expect(alternatives.first?["minimum"] == .int(min), "\(label) minimum", sourceLocation: sourceLocation)
            #expect(alternatives.dropFirst().first?["maxItems"] == .int(1), "\(label) list of one", sourceLocation: sourceLocation)
            #expect(alternatives.contains(.object([("type", .string("null"))])) == nullable, "\(label) null", sourceLocation: sourceLocation)
        case .intOrChoice(let min, let max, let names):
            let alternatives = schema["anyOf"].items
            #expect(alternatives.first?["minimum"] == .int(min) && alternatives.first?["maximum"] == .int(max), "\(label) range", sourceLocation: sourceLocation)
            #expect(alternatives.dropFirst().first?["enum"] == .array(names.map { .string($0) }), "\(label) names", sourceLocation: sourceLocation)
            #expect(alternatives.contains(.object([("type", .string("null"))])) == nullable, "\(label) null", sourceLocation: sourceLocation)
        case .shape(let inferred, let unknown):
            expectTypeName("array")
            #expect(schema["minItems"] == .int(1), sourceLocation: sourceLocation)
            let sizes = schema["items"]["anyOf"].items
            #expect(sizes.contains(.object([("const", .int(-1))])) == inferred, "\(label) -1", sourceLocation: sourceLocation)
            #expect(sizes.contains(.object([("type", .string("null"))])) == unknown, "\(label) null sizes", sourceLocation: sourceLocation)
        case .axes, .axisOrPair:
            let alternatives = schema["anyOf"].items
            #expect(alternatives.first == .object([("type", .string("integer"))]), "\(label) one axis", sourceLocation: sourceLocation)
            if case .axisOrPair = type {
                #expect(alternatives.dropFirst().first?["minItems"] == .int(2), "\(label) a pair", sourceLocation: sourceLocation)
            }
        case .optional(let inner):
            expectType(schema, inner, label, nullable: true, sourceLocation: sourceLocation)
        case .structured:
            break
        case .numbers(let interval):
            expectTypeName("array")
            #expect(schema["minItems"] == .int(1), "\(label) non-empty", sourceLocation: sourceLocation)
            expectType(schema["items"], .float(interval), label + " item", sourceLocation: sourceLocation)
        case .schedule(let number):
            let scheduleRef: JSONValue = .object([("$ref", .string("#/definitions/schedule"))])
            if let number {
                let alternatives = schema["anyOf"].items
                #expect(alternatives.last == scheduleRef, "\(label) a schedule", sourceLocation: sourceLocation)
                expectType(alternatives.first, .float(number), label + " number", sourceLocation: sourceLocation)
            } else {
                #expect(schema["allOf"].items.first == scheduleRef || schema["$ref"] == scheduleRef["$ref"], "\(label) a schedule", sourceLocation: sourceLocation)
            }
        }
    }
}

extension JSONValue {
    var keys: [String] {
        if case .object(let pairs) = self { return pairs.map(\.0) }
        return []
    }

    var items: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }

    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var number: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }
}

/// Walking the schema through members that may be missing.
extension Optional where Wrapped == JSONValue {
    subscript(key: String) -> JSONValue? { self?[key] }
    var keys: [String] { self?.keys ?? [] }
    var items: [JSONValue] { self?.items ?? [] }
    var string: String? { self?.string }
}
