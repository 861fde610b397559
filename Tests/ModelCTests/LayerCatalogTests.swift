import Testing
@testable import ModelC

/// The catalogue itself: names, examples, every declared argument, weight layouts and costs.
@Suite struct LayerCatalogTests {
    @Test func automaticNamesAreKerasSnakeCase() {
        let expected: [String: String] = [
            "Embedding": "embedding", "SimpleRNN": "simple_rnn", "LSTM": "lstm", "GRU": "gru", "Conv1D": "conv1d",
            "MaxPooling1D": "max_pooling1d", "AveragePooling1D": "average_pooling1d",
            "GlobalMaxPooling1D": "global_max_pooling1d", "GlobalAveragePooling1D": "global_average_pooling1d",
            "BatchNormalization": "batch_normalization", "LayerNormalization": "layer_normalization",
            "SpatialDropout1D": "spatial_dropout1d", "TimeDistributed": "time_distributed",
            "Bidirectional": "bidirectional", "RepeatVector": "repeat_vector", "Dense": "dense", "Dropout": "dropout",
            "Flatten": "flatten", "Activation": "activation", "Reshape": "reshape",
            "Concatenate": "concatenate", "Add": "add", "Subtract": "subtract", "Multiply": "multiply",
            "Average": "average", "Maximum": "maximum", "Minimum": "minimum", "Dot": "dot",
        ]
        #expect(LayerCatalog.all.count == expected.count)
        for descriptor in LayerCatalog.all {
            #expect(descriptor.autoName == expected[descriptor.className], "\(descriptor.className)")
        }
        #expect(snakeCase("AdamW") == "adam_w")
        #expect(snakeCase("AUC") == "auc")
    }

    @Test func everyKindHasExactlyOneDescriptorAndAliasesResolve() {
        for kind in LayerKind.allCases {
            #expect(LayerCatalog.all.filter { $0.kind == kind }.count == 1, "\(kind)")
        }
        #expect(LayerCatalog.descriptor(named: "MaxPool1D")?.className == "MaxPooling1D")
        #expect(LayerCatalog.descriptor(named: "GlobalAvgPool1D")?.className == "GlobalAveragePooling1D")
        #expect(LayerCatalog.descriptor(named: "Convolution1D")?.className == "Conv1D")
        #expect(LayerCatalog.descriptor(named: "lstm") == nil)
    }

    @Test func aliasesPrintTheRealClassName() throws {
        let model = try #require(TestSupport.model("input: [10, 3]\nlayers:\n  - MaxPool1D 2\n  - GlobalAvgPool1D\n"))
        #expect(model.layers.map(\.name) == ["max_pooling1d", "global_average_pooling1d"])
        #expect(model.layers.map(\.className) == ["MaxPooling1D", "GlobalAveragePooling1D"])
    }

    @Test(arguments: LayerCatalog.all.flatMap { descriptor in descriptor.examples.map { (descriptor.className, $0) } })
    func everyExampleIsAValidLayer(_ className: String, _ example: String) throws {
        let layer = try #require(LayerExamples.typed(example), "example `\(example)` does not type")
        #expect(layer.className == className)
    }

    /// A value each argument type accepts, and one it must refuse.
    static func sample(_ type: ArgumentType) -> (valid: String, invalid: String) {
        switch type {
        case .int(let min, _): (String(min), "\"x\"")
        case .float(let interval): (interval.lower.isFinite ? (interval.lowerClosed ? formatNumber(interval.lower) : formatNumber(min(interval.lower + 0.5, interval.upper.isFinite ? (interval.lower + interval.upper) / 2 : interval.lower + 0.5))) : "0", "[1]")
        case .bool: ("true", "yes")
        case .choice(let names): (names[0], "not_a_choice")
        case .activation: ("relu", "relux")
        case .initializer: ("he_normal", "xavier")
        case .text(.layerName): ("my_layer", "_bad")
        case .text(.nonEmpty): ("x", "\"\"")
        case .intOrSingleton: ("[1]", "[1, 2]")
        case .intOrChoice(let min, _, let names): (names.first ?? String(min), "not_a_choice")
        case .shape: ("[4]", "[0]")
        case .axes: ("-1", "x")
        case .axisOrPair: ("[1, 2]", "[1, 2, 3]")
        case .optional(let inner): (sample(inner).valid, sample(inner).invalid)
        case .structured: ("{}", "1")
        case .numbers: ("[1]", "[]")
        case .schedule: ("{ExponentialDecay: {initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5}}", "x")
        }
    }

    /// Every declared argument is accepted with a valid value (and stored as written), and a wrong
    /// value is refused with a message naming the argument.
    @Test(arguments: LayerCatalog.all.flatMap { descriptor in descriptor.arguments.map { (descriptor.className, $0.name) } })
    func everyArgumentIsCheckedByItsType(_ className: String, _ argument: String) throws {
        let descriptor = try #require(LayerCatalog.descriptor(named: className))
        let declaration = try #require(descriptor.arguments.first { $0.name == argument })
        let values = Self.sample(declaration.type)
        var arguments = ""
        for required in descriptor.arguments where required.isRequired && required.name != argument {
            arguments += "\(required.name): \(Self.sample(required.type).valid), "
        }
        let wrapped = descriptor.has(.wrapper) ? "layer: {LSTM: {units: 2}}, " : ""
        func spec(_ value: String) -> String {
            "layers:\n  - \(className): {\(wrapped)\(arguments)\(argument): \(value)}\n"
        }
        let bind = ArgumentBinder(owner: className, declarations: descriptor.arguments)
        var bag = DiagnosticBag()
        let good = try #require(SpecReader.read(SourceFile(path: "s.yaml", text: spec(values.valid))).document?.layers.first)
        let table = bind.bindLayer(good, descriptor, &bag)
        let resolved = bind.resolve(table.table, missingAt: good.range, example: nil, &bag)
        #expect(table.ok && !bag.hasErrors, "\(bag.diagnostics.map(\.message))")
        #expect(resolved?.isExplicit(argument) == true)

        var badBag = DiagnosticBag()
        let bad = try #require(SpecReader.read(SourceFile(path: "s.yaml", text: spec(values.invalid))).document?.layers.first)
        let badTable = bind.bindLayer(bad, descriptor, &badBag)
        #expect(bind.resolve(badTable.table, missingAt: bad.range, example: nil, &badBag) == nil)
        #expect(badBag.diagnostics.contains { $0.message.contains("\(className) \(argument)") }, "\(badBag.diagnostics.map(\.message))")
    }

    @Test func weightsUseKerasNamesLayoutsAndInitializers() throws {
        let model = try #require(TestSupport.model("""
            input: [10]
            layers:
              - Embedding 50x4
              - Conv1D 6 3 padding=same
              - BatchNormalization
              - LSTM 5 return_sequences
              - Bidirectional GRU 3 return_sequences
              - GRU 2 reset_after=false return_sequences
              - LayerNormalization
              - TimeDistributed Dense 7
              - SimpleRNN 3
            """))
        func weights(_ index: Int) -> [String] {
            model.layers[index].weights.map { "\($0.name) \($0.shape) \($0.trainable ? "T" : "N") \($0.initializer)" }
        }
        #expect(weights(0) == ["embeddings [50, 4] T uniform"])
        #expect(weights(1) == ["kernel [3, 4, 6] T glorot_uniform", "bias [6] T zeros"])
        #expect(weights(2) == ["gamma [6] T ones", "beta [6] T zeros", "moving_mean [6] N zeros", "moving_variance [6] N ones"])
        #expect(weights(3) == ["kernel [6, 20] T glorot_uniform", "recurrent_kernel [5, 20] T orthogonal", "bias [20] T zeros"])
        #expect(weights(4) == [
            "forward/kernel [5, 9] T glorot_uniform", "forward/recurrent_kernel [3, 9] T orthogonal", "forward/bias [2, 9] T zeros",
            "backward/kernel [5, 9] T glorot_uniform", "backward/recurrent_kernel [3, 9] T orthogonal", "backward/bias [2, 9] T zeros",
        ])
        #expect(weights(5) == ["kernel [6, 6] T glorot_uniform", "recurrent_kernel [2, 6] T orthogonal", "bias [6] T zeros"])
        #expect(weights(6) == ["gamma [2] T ones", "beta [2] T zeros"])
        #expect(weights(7) == ["kernel [2, 7] T glorot_uniform", "bias [7] T zeros"])
        #expect(weights(8) == ["kernel [7, 3] T glorot_uniform", "recurrent_kernel [3, 3] T orthogonal", "bias [3] T zeros"])
        #expect(model.layers[7].inner?.name == "dense")
        #expect(model.layers[4].inner?.name == "gru")
        #expect(model.layers[5].name == "gru_1")
    }

    @Test func initializerArgumentsReachTheWeights() throws {
        let model = try #require(TestSupport.model("""
            input: [4, 3]
            layers:
              - LSTM: {units: 2, kernel_initializer: he_normal, recurrent_initializer: glorot_normal, bias_initializer: ones}
            """))
        #expect(model.layers[0].weights.map(\.initializer) == ["he_normal", "glorot_normal", "ones"])
    }

    @Test func multiplyAddsPerSample() throws {
        let model = try #require(TestSupport.model("""
            input: [100]
            layers:
              - Embedding 500x16
              - Conv1D 8 5
              - LSTM 8 return_sequences
              - Bidirectional GRU 4 return_sequences
              - TimeDistributed Dense 3
              - SimpleRNN 2
              - Dense 1
            """))
        let macs = model.layers.map(\.multiplyAdds)
        #expect(macs[0] == 0)
        #expect(macs[1] == 96 * 5 * 16 * 8)
        #expect(macs[2] == 96 * 4 * (8 * 8 + 8 * 8))
        #expect(macs[3] == 2 * 96 * 3 * (8 * 4 + 4 * 4))
        #expect(macs[4] == 96 * 8 * 3)
        #expect(macs[5] == 96 * (3 * 2 + 2 * 2))
        #expect(macs[6] == 2)
        #expect(CostTable.totalMultiplyAdds(model) == macs.compactMap { $0 }.reduce(0, +))
        let unknown = try #require(TestSupport.model("input: [null, 4]\nlayers:\n  - LSTM 3\n  - Dense 1\n"))
        #expect(unknown.layers[0].multiplyAdds == nil)
        #expect(CostTable.totalMultiplyAdds(unknown) == nil)
        #expect(unknown.layers[1].multiplyAdds == 3)
    }
}
