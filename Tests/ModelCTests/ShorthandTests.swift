import Testing
@testable import ModelC

private typealias SpecLocation = ModelC.SourceLocation
private typealias SpecRange = ModelC.SourceRange

/// The one-string layer form: how it is lexed and located, and that every shorthand binds to
/// exactly the arguments its keyword form spells out.
@Suite struct ShorthandTests {
    // MARK: Helpers

    fileprivate static func at(_ line: Int, _ column: Int) -> SpecLocation {
        SpecLocation(line: line, column: column)
    }

    /// Parses `text` as if it started at line 3, column 5 (`  - ` before it).
    static func parse(_ text: String, located: Bool = true) -> (layer: LayerSpec?, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let start = SpecLocation(line: 3, column: 5)
        let range = SpecRange(start: start, end: start.advanced(by: text.unicodeScalars.count))
        let layer = Shorthand.parse(text, range: range, contentStart: located ? start : nil, diagnostics: &diagnostics)
        return (layer, diagnostics)
    }

    static func spec(input: String, layer: String) -> String {
        "input: \(input)\nlayers:\n  - \(layer)\n"
    }

    /// The error whose message contains `fragment`, recording a failure listing all of them if none does.
    static func error(containing fragment: String, in yaml: String,
                      sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Diagnostic? {
        let diagnostics = TestSupport.check(yaml).diagnostics
        let found = diagnostics.first { $0.severity == .error && $0.message.contains(fragment) }
        #expect(found != nil, "no error containing \"\(fragment)\" among \(diagnostics.map(\.message))", sourceLocation: sourceLocation)
        return found
    }

    static func describe(_ value: SpecValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): "bool(\(flag))"
        case .int(let number): "int(\(number))"
        case .float(let number): "float(\(number))"
        case .string(let text): "string(\(text))"
        case .list(let items): "list(" + items.map { describe($0.value) }.joined(separator: ", ") + ")"
        case .mapping: "mapping"
        }
    }

    static func describe(_ argument: LayerArgument) -> String {
        switch argument {
        case .bare(let value): "bare " + describe(value.value)
        case .keyword(let name, let value): "\(name.value)=" + describe(value.value)
        }
    }

    // MARK: Parsing

    @Test func everyTokenGetsItsOwnColumn() throws {
        let (parsed, diagnostics) = Self.parse("LSTM 8 return_sequences dropout=0.3")
        #expect(diagnostics.isEmpty)
        let layer = try #require(parsed)
        #expect(layer.form == .shorthand)
        #expect(layer.className.value == "LSTM")
        #expect(layer.className.range == SpecRange(start: Self.at(3, 5), end: Self.at(3, 9)))
        #expect(layer.arguments.map(Self.describe) == ["bare int(8)", "bare string(return_sequences)", "dropout=float(0.3)"])
        guard layer.arguments.count == 3,
              case .bare(let units) = layer.arguments[0],
              case .bare(let flag) = layer.arguments[1],
              case .keyword(let name, let value) = layer.arguments[2] else { return }
        #expect(units.range == SpecRange(start: Self.at(3, 10), end: Self.at(3, 11)))
        #expect(flag.range == SpecRange(start: Self.at(3, 12), end: Self.at(3, 28)))
        #expect(name.range == SpecRange(start: Self.at(3, 29), end: Self.at(3, 36)))
        #expect(value.range == SpecRange(start: Self.at(3, 37), end: Self.at(3, 40)))
        #expect(layer.arguments[2].range == SpecRange(start: Self.at(3, 29), end: Self.at(3, 40)))
    }

    @Test func withoutAKnownStartEveryTokenIsLocatedAtTheWholeEntry() throws {
        let (parsed, _) = Self.parse("Dense 8 relu", located: false)
        let layer = try #require(parsed)
        let whole = SpecRange(start: Self.at(3, 5), end: Self.at(3, 17))
        #expect(layer.className.range == whole)
        #expect(layer.arguments.allSatisfy { $0.range == whole })
    }

    @Test func blanksAroundEqualsAndTabsBetweenTokens() throws {
        let spaced = try #require(Self.parse("Dense  units = 8\tactivation =relu").layer)
        #expect(spaced.arguments.map(Self.describe) == ["units=int(8)", "activation=string(relu)"])
        guard case .keyword(let name, let value) = spaced.arguments.first else { return }
        #expect(name.range.start == Self.at(3, 12))
        #expect(value.range.start == Self.at(3, 20))
    }

    @Test func bracketsKeepATupleTogether() throws {
        let layer = try #require(Self.parse("Reshape (10, 4) name=r").layer)
        #expect(layer.arguments.map(Self.describe) == ["bare list(int(10), int(4))", "name=string(r)"])
        #expect(layer.arguments.first?.range == SpecRange(start: Self.at(3, 13), end: Self.at(3, 20)))
        let square = try #require(Self.parse("Reshape [-1, 2,]").layer)
        #expect(square.arguments.map(Self.describe) == ["bare list(int(-1), int(2))"])
    }

    @Test(arguments: [
        ("500x16", "list(int(500), int(16))"), ("2x3x4", "list(int(2), int(3), int(4))"),
        ("10x", "string(10x)"), ("x10", "string(x10)"), ("1x-2", "string(1x-2)"),
        ("8", "int(8)"), ("-1", "int(-1)"), ("0.3", "float(0.3)"), ("1e-4", "float(0.0001)"),
        ("true", "bool(true)"), ("False", "bool(false)"), ("null", "null"), ("None", "null"), ("~", "null"),
        ("relu", "string(relu)"), ("'relu'", "string(relu)"), ("\"same\"", "string(same)"), ("yes", "string(yes)"),
        ("(3,)", "list(int(3))"), ("(null, 4)", "list(null, int(4))"),
    ])
    func tokenValues(token: String, expected: String) {
        let range = SpecRange(at: Self.at(1, 1))
        #expect(Self.describe(Shorthand.value(of: token, range: range)) == expected)
    }

    @Test func wrapperWordsComeBeforeTheWrappedClassWhichTakesTheRest() throws {
        let layer = try #require(Self.parse("Bidirectional sum LSTM 16 return_sequences").layer)
        #expect(layer.className.value == "Bidirectional")
        #expect(layer.arguments.map(Self.describe) == ["bare string(sum)"])
        let wrapped = try #require(layer.wrapped)
        #expect(wrapped.layer.className.value == "LSTM")
        #expect(wrapped.layer.className.range == SpecRange(start: Self.at(3, 23), end: Self.at(3, 27)))
        #expect(wrapped.keyRange == wrapped.layer.className.range)
        #expect(wrapped.layer.arguments.map(Self.describe) == ["bare int(16)", "bare string(return_sequences)"])
        #expect(wrapped.layer.wrapped == nil)
    }

    // MARK: Shorthand against the keyword form

    struct Equivalence: Sendable, CustomTestStringConvertible {
        var shorthand: String
        var keyword: String
        var input: String
        /// Values the shorthand must resolve to (on the wrapped layer for wrappers' `inner.` names).
        var expected: [String: ArgumentValue]
        var testDescription: String { shorthand }
    }

    static let equivalences: [Equivalence] = [
        Equivalence(shorthand: "Embedding 500x16", keyword: "Embedding: {input_dim: 500, output_dim: 16}", input: "[10]",
                    expected: ["input_dim": .int(500), "output_dim": .int(16)]),
        Equivalence(shorthand: "Embedding 500 16", keyword: "Embedding: {input_dim: 500, output_dim: 16}", input: "[10]",
                    expected: ["input_dim": .int(500), "output_dim": .int(16)]),
        Equivalence(shorthand: "LSTM 8 return_sequences dropout=0.3",
                    keyword: "LSTM: {units: 8, return_sequences: true, dropout: 0.3}", input: "[5, 2]",
                    expected: ["units": .int(8), "return_sequences": .bool(true), "dropout": .float(0.3)]),
        Equivalence(shorthand: "GRU 8 reset_after=false", keyword: "GRU: {units: 8, reset_after: false}", input: "[5, 2]",
                    expected: ["units": .int(8), "reset_after": .bool(false)]),
        Equivalence(shorthand: "Dense 1 sigmoid", keyword: "Dense: {units: 1, activation: sigmoid}", input: "[4]",
                    expected: ["units": .int(1), "activation": .string("sigmoid")]),
        Equivalence(shorthand: "'Dense 1 sigmoid'", keyword: "Dense: {units: 1, activation: sigmoid}", input: "[4]",
                    expected: ["units": .int(1), "activation": .string("sigmoid")]),
        Equivalence(shorthand: "Dropout 0.3", keyword: "Dropout: {rate: 0.3}", input: "[4]", expected: ["rate": .float(0.3)]),
        Equivalence(shorthand: "Bidirectional LSTM 16", keyword: "Bidirectional: {layer: {LSTM: {units: 16}}}", input: "[5, 2]",
                    expected: ["merge_mode": .string("concat"), "inner.units": .int(16), "inner.return_sequences": .bool(false)]),
        Equivalence(shorthand: "Bidirectional sum LSTM 16 return_sequences",
                    keyword: "Bidirectional: {merge_mode: sum, layer: {LSTM: {units: 16, return_sequences: true}}}", input: "[5, 2]",
                    expected: ["merge_mode": .string("sum"), "inner.units": .int(16), "inner.return_sequences": .bool(true)]),
        Equivalence(shorthand: "\"Bidirectional ave GRU 8 return_sequences\"",
                    keyword: "Bidirectional: {merge_mode: ave, layer: {GRU: {units: 8, return_sequences: true}}}", input: "[5, 2]",
                    expected: ["merge_mode": .string("ave"), "inner.units": .int(8)]),
        Equivalence(shorthand: "TimeDistributed Dense 3", keyword: "TimeDistributed: {layer: {Dense: {units: 3}}}", input: "[5, 4]",
                    expected: ["inner.units": .int(3)]),
        Equivalence(shorthand: "Conv1D 32 5 relu", keyword: "Conv1D: {filters: 32, kernel_size: 5, activation: relu}", input: "[20, 3]",
                    expected: ["filters": .int(32), "kernel_size": .int(5), "activation": .string("relu")]),
        Equivalence(shorthand: "Conv1D 16 3 causal relu dilation_rate=2",
                    keyword: "Conv1D: {filters: 16, kernel_size: 3, padding: causal, activation: relu, dilation_rate: 2}", input: "[20, 3]",
                    expected: ["filters": .int(16), "kernel_size": .int(3), "padding": .string("causal"),
                               "activation": .string("relu"), "dilation_rate": .int(2)]),
        Equivalence(shorthand: "MaxPooling1D 3 2 same", keyword: "MaxPooling1D: {pool_size: 3, strides: 2, padding: same}", input: "[20, 3]",
                    expected: ["padding": .string("same")]),
        Equivalence(shorthand: "Reshape 10x4", keyword: "Reshape: {target_shape: [10, 4]}", input: "[40]",
                    expected: ["target_shape": .ints([10, 4])]),
        Equivalence(shorthand: "Reshape (-1, 2)", keyword: "Reshape: {target_shape: [-1, 2]}", input: "[40]",
                    expected: ["target_shape": .ints([-1, 2])]),
        Equivalence(shorthand: "Dense units = 8", keyword: "Dense: {units: 8}", input: "[4]", expected: ["units": .int(8)]),
        Equivalence(shorthand: "Dense 1 name=out", keyword: "Dense: {units: 1, name: out}", input: "[4]",
                    expected: ["units": .int(1), "name": .string("out")]),
        Equivalence(shorthand: "Activation tanh", keyword: "Activation: {activation: tanh}", input: "[4]",
                    expected: ["activation": .string("tanh")]),
    ]

    @Test(arguments: equivalences)
    func shorthandBindsLikeTheKeywordForm(_ case_: Equivalence) throws {
        let short = TestSupport.check(Self.spec(input: case_.input, layer: case_.shorthand))
        let long = TestSupport.check(Self.spec(input: case_.input, layer: case_.keyword))
        let shortModel = try #require(short.model, "\(short.diagnostics.map(\.message))")
        let longModel = try #require(long.model, "\(long.diagnostics.map(\.message))")
        try #require(shortModel.layers.count == 1 && longModel.layers.count == 1)
        let (a, b) = (shortModel.layers[0], longModel.layers[0])
        #expect(a.className == b.className)
        #expect(a.name == b.name)
        #expect(a.arguments.values == b.arguments.values)
        #expect((a.inner == nil) == (b.inner == nil))
        #expect(a.inner?.arguments.values == b.inner?.arguments.values)
        #expect(a.inner?.descriptor.className == b.inner?.descriptor.className)
        #expect(a.output == b.output)
        #expect(a.parameterCount == b.parameterCount)
        for (name, value) in case_.expected {
            if name.hasPrefix("inner.") {
                #expect(a.inner?.arguments[String(name.dropFirst(6))] == value, "\(name)")
            } else {
                #expect(a.arguments[name] == value, "\(name)")
            }
        }
        // The shorthand writes these explicitly, so their ranges are recorded.
        for name in case_.expected.keys where !name.hasPrefix("inner.") && name != "merge_mode" {
            #expect(a.arguments.isExplicit(name), "\(name) should be explicit")
        }
    }

    @Test func differentArgumentsAreNotEqual() throws {
        // The comparison above can tell forms apart: an activation left out changes the values.
        let short = try #require(TestSupport.model(Self.spec(input: "[4]", layer: "Dense 1 sigmoid")))
        let plain = try #require(TestSupport.model(Self.spec(input: "[4]", layer: "Dense: {units: 1}")))
        #expect(short.layers[0].arguments.values != plain.layers[0].arguments.values)
        #expect(short.layers[0].arguments["activation"] == .string("sigmoid"))
        #expect(plain.layers[0].arguments["activation"] == .string("linear"))
    }

    @Test func embeddingSizesFillConsecutivePositions() throws {
        let model = try #require(TestSupport.model("input: [120]\nlayers:\n  - Embedding 10000x16\n  - Flatten\n  - Dense 1 sigmoid\n"))
        #expect(model.layers[0].output == TensorType([120, 16]))
        #expect(model.layers[0].parameterCount == 160_000)
        #expect(model.layers[2].parameterCount == 120 * 16 + 1)
    }

    // MARK: Locations of errors inside shorthand strings

    @Test(arguments: [
        ("  - Dense 1 sigmod", 13),  // plain
        ("  - 'Dense 1 sigmod'", 14),  // single-quoted: one column for the quote
        ("  - \"Dense 1 sigmod\"", 14),  // double-quoted
        ("  - Dense  1   sigmod  # a comment", 16),  // extra blanks
    ])
    func unknownWordIsUnderlinedWhereItIs(line: String, column: Int) throws {
        let yaml = "input: [4]\nlayers:\n\(line)\n"
        let error = try #require(Self.error(containing: "'sigmod' means nothing to Dense", in: yaml))
        #expect(error.message.hasSuffix("did you mean 'sigmoid'?"))
        #expect(error.range == SpecRange(start: Self.at(3, column), end: Self.at(3, column + 6)))
    }

    @Test func unknownWordInAFlowListIsLocated() throws {
        let error = try #require(Self.error(containing: "'sigmod'", in: "input: [4]\nlayers: [Dense 4 relu, Dense 1 sigmod]\n"))
        #expect(error.range.start == Self.at(2, 32))
    }

    /// An anchor (or tag) before the shorthand string moves the scalar's start but not its text:
    /// the word is still at its own column.
    @Test(arguments: ["&out ", "!!str "])
    func unknownWordAfterAnAnchorOrTagIsStillUnderlined(prefix: String) throws {
        let yaml = "input: [4]\nlayers:\n  - \(prefix)Dense 1 sigmod\n"
        let error = try #require(Self.error(containing: "'sigmod'", in: yaml))
        let column = 5 + prefix.count + "Dense 1 ".count
        #expect(error.range == SpecRange(start: Self.at(3, column), end: Self.at(3, column + 6)))
    }

    // MARK: Errors

    @Test func unclosedBracket() throws {
        let error = try #require(Self.error(containing: "never closed", in: Self.spec(input: "[40]", layer: "Reshape (10, 4")))
        #expect(error.range.start == Self.at(3, 13))
        let nested = try #require(Self.error(containing: "never closed", in: Self.spec(input: "[40]", layer: "Reshape 10 a=[1, (2")))
        #expect(nested.range.start == Self.at(3, 18))
    }

    @Test func strayClosingBracket() throws {
        let error = try #require(Self.error(containing: "')' closes nothing", in: Self.spec(input: "[4]", layer: "Dense 8)")))
        #expect(error.range.start == Self.at(3, 12))
        let square = try #require(Self.error(containing: "']' closes nothing", in: Self.spec(input: "[4]", layer: "Dense 8 ]")))
        #expect(square.range.start == Self.at(3, 13))
    }

    @Test func equalsWithNothingBefore() throws {
        let error = try #require(Self.error(containing: "'=' must stand between an argument name and its value",
                                            in: Self.spec(input: "[4]", layer: "Dense =8")))
        #expect(error.range == SpecRange(start: Self.at(3, 11), end: Self.at(3, 12)))
        #expect(TestSupport.check(Self.spec(input: "[4]", layer: "Dense =8")).model == nil)
    }

    @Test func equalsWithNothingAfter() throws {
        let error = try #require(Self.error(containing: "'units=' needs a value after the '='",
                                            in: Self.spec(input: "[4]", layer: "Dense units=")))
        #expect(error.range.start == Self.at(3, 16))
        let spaced = try #require(Self.error(containing: "'units=' needs a value",
                                             in: Self.spec(input: "[4]", layer: "Dense units = ")))
        #expect(spaced.range.start == Self.at(3, 17))
    }

    @Test func valueGivenTwicePositionallyAndByName() throws {
        let error = try #require(Self.error(containing: "LSTM units is given twice", in: Self.spec(input: "[5, 2]", layer: "LSTM 8 units=9")))
        #expect(error.range == SpecRange(start: Self.at(3, 12), end: Self.at(3, 17)))
        #expect(error.notes.map(\.message) == ["first given here"])
        #expect(error.notes.first?.range == SpecRange(start: Self.at(3, 10), end: Self.at(3, 11)))
        // A flag given twice is caught the same way.
        #expect(Self.error(containing: "return_sequences is given twice",
                           in: Self.spec(input: "[5, 2]", layer: "LSTM 8 return_sequences return_sequences=false")) != nil)
    }

    @Test func tooManyBareValues() throws {
        let error = try #require(Self.error(containing: "Dropout takes 1 bare value (rate); write 0.4 as name=value",
                                            in: Self.spec(input: "[4]", layer: "Dropout 0.3 0.4")))
        #expect(error.range == SpecRange(start: Self.at(3, 17), end: Self.at(3, 20)))
        let flatten = try #require(Self.error(containing: "Flatten takes no bare values",
                                              in: Self.spec(input: "[4, 2]", layer: "Flatten 3")))
        #expect(flatten.range.start == Self.at(3, 13))
    }

    @Test func unknownBareWordSuggestsTheClosestWord() throws {
        #expect(Self.error(containing: "'sigmod' means nothing to Dense; did you mean 'sigmoid'?",
                           in: Self.spec(input: "[4]", layer: "Dense 1 sigmod")) != nil)
        #expect(Self.error(containing: "did you mean 'return_sequences'?",
                           in: Self.spec(input: "[5, 2]", layer: "LSTM 8 return_sequence")) != nil)
        #expect(Self.error(containing: "did you mean 'causal'?",
                           in: Self.spec(input: "[20, 3]", layer: "Conv1D 8 3 casual")) != nil)
        // Without a close candidate the message lists what bare words mean instead.
        let far = try #require(Self.error(containing: "'qqqqqq' means nothing to Dense", in: Self.spec(input: "[4]", layer: "Dense 1 qqqqqq")))
        #expect(!far.message.contains("did you mean"))
        #expect(far.message.contains("name=value"))
    }

    @Test func wrappedClassOnALayerThatWrapsNothing() throws {
        let error = try #require(Self.error(containing: "'LSTM' starts a wrapped layer, but Dense wraps nothing",
                                            in: Self.spec(input: "[4]", layer: "Dense LSTM 8")))
        #expect(error.range == SpecRange(start: Self.at(3, 11), end: Self.at(3, 15)))
        #expect(TestSupport.check(Self.spec(input: "[4]", layer: "Dense LSTM 8")).model == nil)
    }

    @Test func wrapperWithoutAWrappedLayer() throws {
        let error = try #require(Self.error(containing: "Bidirectional needs the layer it wraps",
                                            in: Self.spec(input: "[5, 2]", layer: "Bidirectional")))
        #expect(error.range == SpecRange(start: Self.at(3, 5), end: Self.at(3, 18)))
        let words = try #require(Self.error(containing: "TimeDistributed needs the layer it wraps",
                                            in: Self.spec(input: "[5, 2]", layer: "TimeDistributed")))
        #expect(words.range.start == Self.at(3, 5))
    }

    @Test(arguments: ["8 Dense", "0.5", "(3) Dense", "=Dense 3", "- Dense 3"])
    func layerStringMustStartWithAClassName(layer: String) throws {
        let error = try #require(Self.error(containing: "a layer starts with its class name",
                                            in: Self.spec(input: "[4]", layer: "'\(layer)'")))
        #expect(error.range.start == Self.at(3, 6))
        #expect(error.message.hasSuffix("found '\(layer.split(separator: " ").first.map { $0.hasPrefix("=") ? "=" : String($0) } ?? "")'"))
    }

    /// A list whose only entry is malformed is not empty: the one error should be about the entry.
    @Test(arguments: ["8 Dense", "Dense (8", "Dense 8)", "Dense units=", "{}", "''"])
    func malformedOnlyLayerIsNotReportedAsAnEmptyList(layer: String) {
        let errors = TestSupport.errors(Self.spec(input: "[4]", layer: layer))
        #expect(!errors.isEmpty)
        #expect(!errors.contains { $0.contains("`layers` is empty") }, "\(errors)")
    }

    @Test func emptyLayerListIsReported() {
        #expect(TestSupport.errors("input: [4]\nlayers: []\n").contains { $0.contains("`layers` is empty") })
    }

    /// Keras wraps a wrapper (`TimeDistributed(TimeDistributed(Dense(1)))` on a 4-D input gives
    /// (None, 4, 3, 1)); if modelc refuses it, the message must not claim the wrapper has no layer.
    @Test func wrapperInsideAWrapperIsNotReportedAsMissingItsLayer() {
        let result = TestSupport.check("input: [4, 3, 2]\nlayers:\n  - TimeDistributed TimeDistributed Dense 1\n")
        if let model = result.model {
            #expect(model.output == TensorType([4, 3, 1]))
        } else {
            let messages = result.diagnostics.map(\.message)
            #expect(!messages.contains { $0.contains("needs a layer to wrap") }, "\(messages)")
        }
    }

    /// `True`, `False` and `None` are values, not the start of a wrapped layer.
    @Test func capitalizedValueWordsAreValues() throws {
        let model = try #require(TestSupport.model("input: [10, 3]\nlayers:\n  - MaxPooling1D 2 None\n"))
        #expect(model.layers[0].arguments["strides"] == .null)
        #expect(model.layers[0].output.kerasDescription == "(None, 5, 3)")
        #expect(TestSupport.errors("input: [10, 3]\nlayers:\n  - LSTM 4 return_sequences=True go_backwards=False\n").isEmpty)
        #expect(TestSupport.errors("input: [8]\nlayers:\n  - Dense 8 None\n") == ["Dense takes 1 bare value (units); write null as name=value"])
    }
}
