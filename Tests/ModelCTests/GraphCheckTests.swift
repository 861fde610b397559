import Foundation
import Testing
@testable import ModelC

/// The functional form of a spec as the checker reads it: inputs, edges, names, outputs, the
/// unused parts Keras leaves out, and compile, fit and data by output and input name.
@Suite struct GraphCheckTests {
    static let twoInputs = """
        name: two_inputs
        inputs:
          tokens: [20]
          feats: {shape: [4, 8], dtype: float32}
        layers:
          - Embedding: {input_dim: 500, output_dim: 16, name: emb, inputs: tokens}
          - LSTM: {units: 8}
          - LSTM: {units: 3, name: side, inputs: feats}
          - Concatenate: {inputs: [lstm, side]}
          - Dense: {units: 1, activation: sigmoid, name: out}
        outputs: [out]

        """

    @Test func theIssuesSpecChecksAsAGraph() throws {
        let model = try #require(TestSupport.model(Self.twoInputs))
        #expect(model.isFunctional)
        #expect(model.name == "two_inputs")
        #expect(model.inputs.map(\.name) == ["tokens", "feats"])
        #expect(model.inputs.map(\.type.element) == [.tokenIDs, .float])
        #expect(model.layers.map(\.name) == ["emb", "lstm", "side", "concatenate", "out"])
        #expect(model.layers.map(\.sources) == [[.input(0)], [.layer(0)], [.input(1)], [.layer(1), .layer(2)], [.layer(3)]])
        #expect(model.layers[3].output == TensorType([11]))
        #expect(model.outputs == [4])
        #expect(KerasGraph(model).order == [.input(0), .layer(0), .input(1), .layer(1), .layer(2), .layer(3), .layer(4)])
    }

    @Test func defaultsFollowKeras() throws {
        // Default name "model", the last layer as output, the only input read by the first layer,
        // each layer without `inputs` reading the entry before it.
        let model = try #require(TestSupport.model("inputs: {x: [3]}\nlayers:\n  - Dense 4\n  - Dense 2\n"))
        #expect(model.name == "model")
        #expect(model.layers.map(\.sources) == [[.input(0)], [.layer(0)]])
        #expect(model.outputs == [1])
        // One output may be one name; dtype int32 makes ids without an Embedding; null sizes stay unknown.
        let other = try #require(TestSupport.model("inputs: {ids: {shape: [null, 3], dtype: int32}}\nlayers:\n  - Dense 2 name=a\n  - Dense 1 name=b inputs=ids\noutputs: a\n"))
        #expect(other.outputs == [0])
        #expect(other.inputs[0].type == TensorType([nil, 3], .tokenIDs))
        #expect(other.layers.count == 1, "b feeds no output and is left out")
    }

    @Test func automaticNamesCountInSpecOrderWithWrappedLayersFirst() throws {
        let model = try #require(TestSupport.model("""
            inputs: {a: [5, 4], b: [5, 4]}
            layers:
              - Add inputs=[a, b]
              - Bidirectional LSTM 3 return_sequences
              - LSTM 6 return_sequences inputs=add
              - Add inputs=[bidirectional, lstm_1]
              - Flatten
            """))
        #expect(model.layers.map(\.name) == ["add", "bidirectional", "lstm_1", "add_1", "flatten"])
        #expect(model.layers[1].inner?.name == "lstm")
    }

    @Test func shorthandTakesNameAndInputsAsKeywordItems() throws {
        let model = try #require(TestSupport.model("""
            inputs: {tokens: [10], feats: [10, 2]}
            layers:
              - Embedding 50x4 name=emb inputs=tokens
              - Bidirectional GRU 3 return_sequences inputs=feats
              - Concatenate inputs=[emb, bidirectional] name=joined
              - LSTM 2
            """))
        #expect(model.layers.map(\.name) == ["emb", "bidirectional", "joined", "lstm"])
        // `inputs=` written after the wrapped layer belongs to the wrapper.
        #expect(model.layers[1].sources == [.input(1)])
        #expect(model.layers[2].output == TensorType([10, 10]))
    }

    @Test func misplacedGraphKeysAreRefused() {
        #expect(TestSupport.errors("inputs: {x: [4]}\nlayers:\n  - Bidirectional: {layer: {LSTM: {units: 2, inputs: x}}}\n")
            .contains { $0.hasPrefix("inputs belongs on Bidirectional, not on the layer it wraps") })
        #expect(TestSupport.errors("input: [4]\nlayers:\n  - Dense 2 inputs=x\n")
            == ["dense (Dense) names its inputs, which only a functional spec does; declare the model's inputs as `inputs: {name: [shape]}` instead of `input:`"])
        #expect(TestSupport.errors("input: [4]\nlayers:\n  - Dense 2\noutputs: [dense]\n")
            == ["`outputs` names the outputs of a functional spec; a Sequential spec (with `input:`) outputs its last layer, so remove it or declare `inputs:`"])
        #expect(TestSupport.errors("input: [4]\ninputs: {x: [4]}\nlayers:\n  - Dense 2\n")
            == ["the spec has both `input` (Sequential) and `inputs` (functional); keep `inputs` and give every input its name there"])
        #expect(TestSupport.errors("inputs: {x: [4]}\nlayers:\n  - Dense: {units: 2, input_shape: [4]}\n")
            == ["input_shape has no place in a functional spec: shapes come from `inputs:`; remove it"])
        #expect(TestSupport.errors("inputs: [4]\nlayers:\n  - Dense 2\n")
            == ["`inputs` maps each input's name to its shape, e.g. `inputs: {tokens: [20], feats: [4, 8]}`; for one unnamed input write `input: [...]`"])
        #expect(TestSupport.errors("inputs: {x: {shape: [4], dtype: float64}}\nlayers:\n  - Dense 2\n")
            == ["input 'x' dtype is int32 (token ids) or float32 (features), got 'float64'"])
        #expect(TestSupport.errors("inputs: {x: {dtype: float32}}\nlayers:\n  - Dense 2\n")
            == ["input 'x' needs a shape, e.g. `x: {shape: [20], dtype: int32}`"])
        #expect(TestSupport.errors("inputs: {x: {shape: [4], dtyp: float32}}\nlayers:\n  - Dense 2\n")
            == ["input 'x' has no key 'dtyp'; an input is `{shape: [...], dtype: int32|float32}`; did you mean 'dtype'?"])
        #expect(TestSupport.errors("inputs: {_x: [4]}\nlayers:\n  - Dense 2\n")
            == ["the input name '_x' must start with a letter, a digit or '.' (TensorFlow's rule for layer names)"])
    }

    @Test func anEmbeddingOnAFloatInputSaysWhatToDeclare() {
        #expect(TestSupport.errors("inputs: {ids: {shape: [5], dtype: float32}}\nlayers:\n  - Embedding 10x2\n")
            == ["embedding (Embedding) looks up integer token ids, but gets float features (None, 5) from ids; give that input `dtype: int32`, or leave its dtype out"])
        #expect(TestSupport.errors("inputs: {x: [5]}\nlayers:\n  - Dense 4\n  - Embedding 10x2\n")
            == ["embedding (Embedding) looks up integer token ids, but gets float features (None, 4) from dense; an Embedding reads an input of token ids"])
    }

    @Test func recurrentHintsNameTheInput() {
        #expect(TestSupport.errors("inputs: {series: [21]}\nlayers:\n  - LSTM 4\n")
            == ["lstm (LSTM) needs a 3-D input (batch, timesteps, features) but gets (None, 21) from series; give input 'series' two sizes (timesteps, features), e.g. `series: [21, 1]`"])
    }

    /// A failed branch silences only what reads it: other branches are still checked.
    @Test func everyIndependentBranchIsChecked() {
        let errors = TestSupport.errors("""
            inputs: {a: [4], b: [4, 2]}
            layers:
              - LSTM 3 inputs=a
              - Dense 2 name=x
              - Dense 0 name=y inputs=b
              - Conv1D 2 9 name=z inputs=b
              - Concatenate inputs=[x, z]
            """)
        #expect(errors.count == 3, "\(errors)")
        #expect(errors.contains { $0.hasPrefix("lstm (LSTM) needs a 3-D input") })
        #expect(errors.contains { $0.hasPrefix("Dense units must be at least 1") })
        #expect(errors.contains { $0.hasPrefix("z (Conv1D)") })
    }

    @Test func unusedLayersAreLeftOutAndUnusedInputsKept() throws {
        let result = TestSupport.check("inputs: {x: [4], spare: [2]}\nlayers:\n  - Dense 8 inputs=x\n  - Dense 3 name=probe\n  - Dense 1 name=out inputs=dense\noutputs: [out]\n")
        let model = try #require(result.model)
        #expect(model.layers.map(\.name) == ["dense", "out"])
        #expect(model.parameterCount == 40 + 9)
        #expect(model.inputs.map(\.name) == ["x", "spare"])
        #expect(KerasGraph(model).order.first == .input(0))
        #expect(KerasGraph(model).order.contains(.input(1)))
        #expect(!KerasGraph(model).isSequentialLike, "an unused input is a second node of depth 0")
        #expect(result.diagnostics.filter { $0.severity == .warning }.count == 2)
    }

    /// Keras's layer order: by depth from the outputs, equal depths in walk order, not spec order.
    @Test func summaryOrderIsKerasGraphOrder() throws {
        let model = try #require(TestSupport.model("""
            inputs: {a: [3], b: [3]}
            layers:
              - Dense 2 name=late inputs=b
              - Dense 2 name=deep1 inputs=a
              - Dense 2 name=deep2
              - Add inputs=[deep2, late]
            """))
        // add is 0 deep; deep2 and late 1; deep1 and b 2; a 3. Equal depths go in walk order
        // (add, deep2, deep1, a, late, b), so deep2 comes before late although the spec lists late first.
        #expect(KerasGraph(model).order == [.input(0), .layer(1), .input(1), .layer(2), .layer(0), .layer(3)])
        #expect(model.summaryOrder.map { model.layers[$0].name } == ["deep1", "deep2", "late", "add"])
        #expect(KerasGraph(model).depths[.input(1)] == 2)
    }

    // MARK: Summary renderings

    @Test func summaryJSONCarriesInputsOutputsAndInboundNames() throws {
        let model = try #require(TestSupport.model(Self.twoInputs))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(SummaryJSON.render(model).utf8)) as? [String: Any])
        #expect(json["functional"] as? Bool == true)
        #expect((json["outputs"] as? [String]) == ["out"])
        let inputs = try #require(json["inputs"] as? [[String: Any]])
        #expect(inputs.map { $0["name"] as? String } == ["tokens", "feats"])
        #expect(inputs.map { $0["dtype"] as? String } == ["int32", "float32"])
        let layers = try #require(json["layers"] as? [[String: Any]])
        #expect(layers.map { $0["name"] as? String } == ["emb", "lstm", "side", "concatenate", "out"])
        #expect((layers[3]["inbound"] as? [String]) == ["lstm", "side"])
        #expect((layers[0]["inbound"] as? [String]) == ["tokens"])
    }

    @Test func legacyLayoutListsEachConnectionOnItsOwnRow() throws {
        let model = try #require(TestSupport.model(Self.twoInputs))
        let lines = KerasSummary.render(model, layout: .legacy).split(separator: "\n").map(String.init)
        #expect(lines[2] == "Layer (type)                    Output Shape         Param #     Connected to                     ")
        let row = try #require(lines.firstIndex { $0.hasPrefix("concatenate (Concatenate)") })
        #expect(lines[row] == "concatenate (Concatenate)       (None, 11)           0           lstm[0][0]                       ")
        #expect(lines[row + 1] == String(repeating: " ", count: 65) + "side[0][0]                       ")
        #expect(lines.allSatisfy { $0.count == 98 || $0.hasPrefix("Model:") || $0.hasPrefix("Total") || $0.hasPrefix("Trainable") || $0.hasPrefix("Non-trainable") })
    }

    @Test func costTableCoversMergeLayers() throws {
        let model = try #require(TestSupport.model("inputs: {q: [5, 8], k: [7, 8]}\nlayers:\n  - Dot: {axes: 2, inputs: [q, k]}\n  - Add inputs=[dot, dot]\n"))
        let table = CostTable.render(model)
        #expect(table.contains(" dot                         280 "))
        #expect(table.contains(" add                         0 "))
        #expect(CostTable.totalMultiplyAdds(model) == 5 * 7 * 8)
    }

    // MARK: compile and fit by output

    static let twoHeads = """
        inputs: {x: [4]}
        layers:
          - Dense 8 relu inputs=x
          - Dense 1 sigmoid name=flag
          - Dense 3 softmax name=kind inputs=dense
        outputs: [flag, kind]

        """

    @Test func oneLossAndOneMetricListServeEveryOutput() throws {
        let model = try #require(TestSupport.model(Self.twoHeads + "compile: {loss: mse, metrics: [accuracy, mae]}\n"))
        let compile = try #require(model.compile)
        #expect(compile.outputs.map(\.name) == ["flag", "kind"])
        #expect(compile.outputs.map { $0.loss?.descriptor.className } == ["MeanSquaredError", "MeanSquaredError"])
        #expect(compile.loggedNames == ["loss", "flag_loss", "kind_loss", "flag_accuracy", "flag_mae", "kind_accuracy", "kind_mae"])
    }

    @Test func lossesWeightsAndMetricsByOutputName() throws {
        let model = try #require(TestSupport.model(Self.twoHeads + """
            compile:
              loss: {flag: {BinaryCrossentropy: {label_smoothing: 0.1}}, kind: categorical_crossentropy}
              loss_weights: [1.0, 0.25]
              metrics: {kind: accuracy}
            """))
        let compile = try #require(model.compile)
        #expect(compile.outputs.map(\.weight) == [1, 0.25])
        #expect(compile.outputs[0].loss?.arguments.optionalFloat("label_smoothing") == 0.1)
        #expect(compile.loggedNames == ["loss", "flag_loss", "kind_loss", "kind_accuracy"])
        // A one-key mapping naming a loss class is that loss for every output.
        let shared = try #require(TestSupport.model(Self.twoHeads + "compile: {loss: {MeanSquaredError: null}}\n"))
        #expect(shared.compile?.outputs.compactMap(\.loss).count == 2)
    }

    @Test func aSingleOutputKeepsKerasPlainNames() throws {
        let model = try #require(TestSupport.model("inputs: {x: [4]}\nlayers:\n  - Dense 1 sigmoid name=out\ncompile: {loss: {out: binary_crossentropy}, metrics: {out: [accuracy]}}\n"))
        #expect(model.compile?.loggedNames == ["loss", "accuracy"])
    }

    @Test func perOutputMistakesAreLocated() {
        #expect(TestSupport.errors(Self.twoHeads + "compile: {loss: {flag: binary_crossentropy, kinds: mse}}\n")
            == ["'kinds' is not an output of the model; its outputs are flag, kind; did you mean 'kind'?"])
        #expect(TestSupport.errors(Self.twoHeads + "compile: {loss: mse, loss_weights: [1.0]}\n")
            == ["loss_weights lists 1 weight but the model has 2 outputs (flag, kind); give one per output, or a mapping"])
        #expect(TestSupport.errors(Self.twoHeads + "compile: {loss: mse, loss_weights: {flag: -1}}\n")
            == ["loss_weights flag must be at least 0, got -1"])
        #expect(TestSupport.errors(Self.twoHeads + "compile: {loss: {flag: binary_crossentropy, kind: binary_crossentropy}}\n")
            == ["binary_crossentropy treats each output as an independent probability, but kind ends in a softmax over 3 units; use categorical_crossentropy (one-hot labels) or sparse_categorical_crossentropy (integer labels), or sigmoid for multi-label outputs"])
        let result = TestSupport.check(Self.twoHeads + "compile: {loss: {flag: binary_crossentropy}}\n")
        #expect(result.model != nil)
        #expect(result.diagnostics.map(\.message) == ["output 'kind' has no loss, so training leaves it alone (as Keras does); add `kind: ...` to loss if it should learn"])
    }

    @Test func callbacksMonitorPerOutputNames() {
        let base = Self.twoHeads + "compile: {loss: mse, metrics: [mae]}\nfit: {validation: {split: 0.2}, callbacks: [EarlyStopping: {monitor: "
        #expect(TestSupport.errors(base + "val_kind_mae}]}\n").isEmpty)
        #expect(TestSupport.errors(base + "val_flag_loss}]}\n").isEmpty)
        #expect(TestSupport.errors(base + "val_mae}]}\n")
            == ["EarlyStopping monitor 'val_mae' is not logged; this model logs loss, flag_loss, kind_loss, flag_mae, kind_mae, val_loss, val_flag_loss, val_kind_loss, val_flag_mae, val_kind_mae"])
    }

    // MARK: data by input and output name

    static let namedData = """
        inputs: {a: [2], b: [3]}
        layers:
          - Concatenate inputs=[a, b]
          - Dense 1 name=out
          - Dense 2 name=aux inputs=concatenate
        outputs: [out, aux]
        compile: {loss: mse}

        """

    @Test func namedSplitsMapSourcesByName() throws {
        let model = try #require(TestSupport.model(Self.namedData + """
            data:
              train:
                x: {b: {file: d.npz, key: b}, a: x_a.npy}
                y: {out: {csv: t.csv, column: o}, aux: {csv: t.csv, columns: [p, q]}}
              test: {csv: t.csv, features: {a: [a1, a2], b: [b1, b2, b3]}, labels: {out: o, aux: [p, q]}}
            """))
        guard case .named(let x, let y)? = model.data?.train else { Issue.record("train is not named"); return }
        #expect(x == [.array(.npy(path: "x_a.npy")), .array(.npz(path: "d.npz", member: "b"))])
        #expect(y == [.columns(path: "t.csv", columns: ["o"]), .columns(path: "t.csv", columns: ["p", "q"])])
        guard case .named(let tx, let ty)? = model.data?.test else { Issue.record("test is not named"); return }
        #expect(tx == [.columns(path: "t.csv", columns: ["a1", "a2"]), .columns(path: "t.csv", columns: ["b1", "b2", "b3"])])
        #expect(ty == [.columns(path: "t.csv", columns: ["o"]), .columns(path: "t.csv", columns: ["p", "q"])])
    }

    @Test func namedSplitMistakesAreLocated() {
        #expect(TestSupport.errors(Self.namedData + "data: {train: {x: x.npy, y: y.npy}}\n")
            == ["this model has 2 inputs (a, b), so data train x maps each name to its data: `{a: x_a.npy, b: x_b.npy}`"])
        #expect(TestSupport.errors(Self.namedData + "data: {train: {x: {a: a.npy, bb: b.npy}}}\n")
            == ["data train x names 'bb', which is no input of the model; its inputs are a, b; did you mean 'b'?"])
        #expect(TestSupport.errors(Self.namedData + "data: {train: {x: {a: a.npy}}}\n")
            == ["data train gives no data for input 'b'; every input needs a source"])
        #expect(TestSupport.errors(Self.namedData + "data: {train: {x: {a: [[1, 2, 3]], b: [[1, 2, 3]]}}}\n")
            == ["data train (input 'a') x holds samples shaped (3,) but the model's input is (2,)"])
        #expect(TestSupport.errors(Self.namedData + "data: {train: {x: {a: [[1, 2]], b: [[1, 2, 3], [4, 5, 6]]}}}\n")
            == ["data train has 1 samples in x for 'a' but 2 in x for 'b'; every input and output needs one row per sample"])
        #expect(TestSupport.errors(Self.namedData + "data: {train: {x: {a: {csv: t.csv}, b: b.npy}}}\n")
            == ["data train x a names no column; add `column: name` (numbers) or `text: name` (raw text)"])
        #expect(TestSupport.errors(Self.namedData + "data: {train: {csv: t.csv, text: review}}\n")
            == ["data train text feeds one input, but this model has 2 (a, b); give x per input, e.g. `x: {a: {csv: t.csv, text: review}}`"])
    }

    @Test func aTextInputWithLabelsPerOutput() throws {
        func spec(numWords: Int) -> String {
            """
            inputs: {review: [20]}
            layers:
              - Embedding 100x4 inputs=review
              - LSTM 3
              - Dense 1 sigmoid name=sentiment
              - Dense 1 name=rating inputs=lstm
            outputs: [sentiment, rating]
            compile: {loss: {sentiment: binary_crossentropy, rating: mse}}
            data:
              train: {csv: r.csv, text: text, labels: {sentiment: label, rating: stars}}
              text: {num_words: \(numWords)}
            """
        }
        let model = try #require(TestSupport.model(spec(numWords: 100)))
        guard case .named(let x, let y)? = model.data?.train else { Issue.record("train is not named"); return }
        #expect(x == [.text(path: "r.csv", column: "text")])
        #expect(y == [.columns(path: "r.csv", columns: ["label"]), .columns(path: "r.csv", columns: ["stars"])])
        #expect(model.data?.hasText == true)
        #expect(TestSupport.errors(spec(numWords: 200)) == ["data.text num_words 200 is larger than the Embedding's input_dim 100: ids up to 199 would fall outside its table"])
    }
}
