import Testing
@testable import ModelC

/// Checker rules beyond single arguments: shapes between layers, hints, input, names, warnings.
@Suite struct ModelCheckTests {
    static func only(_ yaml: String) -> String? {
        let errors = TestSupport.errors(yaml)
        #expect(errors.count == 1, "\(errors)")
        return errors.first
    }

    @Test func rankErrorsNameTheSourceAndAFix() {
        #expect(Self.only("input: [100]\nlayers:\n  - Embedding 50x4\n  - Flatten\n  - LSTM 3\n")
                == "lstm (LSTM) needs a 3-D input (batch, timesteps, features) but gets (None, 400) from flatten; remove flatten (Flatten) or move it after this layer")
        #expect(Self.only("input: [8]\nlayers:\n  - LSTM 3\n")
                == "lstm (LSTM) needs a 3-D input (batch, timesteps, features) but gets (None, 8) from the input; give `input` two sizes (timesteps, features), e.g. `input: [8, 1]`")
        #expect(Self.only("input: [8, 2]\nlayers:\n  - Bidirectional LSTM 3\n  - GRU 2\n")
                == "gru (GRU) needs a 3-D input (batch, timesteps, features) but gets (None, 6) from bidirectional; set return_sequences: true on bidirectional")
        #expect(Self.only("input: [8, 2]\nlayers:\n  - Conv1D 4 3\n  - RepeatVector 2\n")
                == "repeat_vector (RepeatVector) needs a 2-D input (batch, features) but gets (None, 6, 4) from conv1d; add Flatten or GlobalAveragePooling1D before it")
        #expect(Self.only("input: [8]\nlayers:\n  - SpatialDropout1D 0.2\n")
                == "spatial_dropout1d (SpatialDropout1D) needs a 3-D input (batch, timesteps, channels) but gets (None, 8) from the input; give `input` two sizes (timesteps, features), e.g. `input: [8, 1]`")
        #expect(Self.only("input: [8]\nlayers:\n  - GlobalMaxPooling1D\n")?.hasPrefix("global_max_pooling1d (GlobalMaxPooling1D) needs a 3-D input (batch, steps, channels)") == true)
        #expect(Self.only("input: [8, 2, 2]\nlayers:\n  - MaxPooling1D\n")?.hasPrefix("max_pooling1d (MaxPooling1D) needs a 3-D input") == true)
    }

    @Test func argumentErrorsFromShapeRules() {
        #expect(Self.only("input: [10, 3]\nlayers:\n  - BatchNormalization axis=3\n")
                == "batch_normalization (BatchNormalization) has axis 3, out of range for the 3-D input (None, 10, 3); use -1 for the last axis")
        #expect(Self.only("input: [10, 3]\nlayers:\n  - LayerNormalization axis=0\n")
                == "layer_normalization (LayerNormalization) has axis 0, the batch axis; use a feature axis such as -1")
        #expect(Self.only("input: [10, 3]\nlayers:\n  - BatchNormalization: {axis: [2, -1]}\n")
                == "batch_normalization (BatchNormalization) lists axis -1 twice")
        #expect(Self.only("input: [null, 3]\nlayers:\n  - LayerNormalization axis=1\n")
                == "layer_normalization (LayerNormalization) needs the size of axis 1 to be known to build its weights, but gets (None, None, 3)")
        #expect(Self.only("input: [50]\nlayers:\n  - Embedding 10x4 input_length=100\n")
                == "embedding (Embedding) has input_length 100, but its input has 50 steps; remove one of them")
        #expect(Self.only("input: [5, 2]\nlayers:\n  - Bidirectional: {layer: {LSTM: {units: 2}}, merge_mode: null}\n")
                == "bidirectional (Bidirectional) needs a merge_mode: null returns the two directions as separate tensors, which a Sequential model cannot pass on; use concat, sum, mul or ave")
        #expect(Self.only("input: [5, 2]\nlayers:\n  - GRU 2 stateful\n")?.hasPrefix("gru (GRU) cannot be stateful") == true)
        #expect(Self.only("input: [6, 2]\nlayers:\n  - Conv1D 4 3 dilation_rate=3\n")
                == "conv1d (Conv1D) has a dilated kernel of 7 steps, longer than the sequence (6 steps) with padding valid; use a shorter kernel or padding: same")
        #expect(Self.only("input: [9]\nlayers:\n  - Reshape (-1, 2)\n")
                == "reshape (Reshape) cannot reshape 9 values per sample (input (None, 9)) into (-1, 2): 9 is not a multiple of 2")
        #expect(Self.only("input: [4, null]\nlayers:\n  - Dense 2\n")
                == "dense (Dense) needs the last input size to be known to build its weights, but gets (None, 4, None); give it in `input`")
    }

    @Test func argumentErrorsPointAtTheArgument() throws {
        let result = TestSupport.check("input: [10, 3]\nlayers:\n  - Conv1D: {filters: 4, kernel_size: 3, strides: 2, dilation_rate: 2}\n")
        let error = try #require(result.diagnostics.first)
        #expect(error.range.start == SourceLocation(line: 3, column: 51))
    }

    @Test func wrapperErrors() {
        #expect(Self.only("input: [4, 10]\nlayers:\n  - TimeDistributed LSTM 3\n")
                == "time_distributed (TimeDistributed) applies LSTM to each timestep, shaped (None, 10) with the batch axis, but LSTM needs a 3-D input (batch, timesteps, features)")
        #expect(TestSupport.model("input: [4, 10, 8]\nlayers:\n  - TimeDistributed LSTM 3\n")?.output.shape == [4, 3])
        let lookups = TestSupport.model("input: [4, 10]\nlayers:\n  - TimeDistributed Embedding 5x2\n")
        #expect(lookups?.input.element == .tokenIDs)
        #expect(lookups?.output.kerasDescription == "(None, 4, 10, 2)")
        #expect(Self.only("input: [4, 10]\nlayers:\n  - Dense 3\n  - TimeDistributed Embedding 5x2\n")?
                    .hasPrefix("time_distributed (TimeDistributed) looks up integer token ids, but gets float features") == true)
        #expect(Self.only("input: [4, 10]\nlayers:\n  - Bidirectional: {layer: {LSTM: {units: 2, input_shape: [4, 10]}}}\n")
                == "input_shape belongs on Bidirectional, not on the layer it wraps")
        #expect(Self.only("input: [8]\nlayers:\n  - TimeDistributed Dense 2\n")?.hasPrefix("time_distributed (TimeDistributed) needs an input of at least 3 dimensions (batch, timesteps, ...)") == true)
    }

    @Test func sizesThatOverflowAreErrorsNotCrashes() {
        let error = Self.only("input: [2147483647]\nlayers:\n  - Dense 2147483647\n  - Dense 2147483647\n  - Reshape (2147483647, 2147483647, 2147483647)\n")
        #expect(error?.contains("2^56") == true, "\(error ?? "")")
    }

    @Test func inputComesFromInputShapeOrInputLength() throws {
        let fromShape = try #require(TestSupport.model("layers:\n  - LSTM: {units: 2, input_shape: [3, 1]}\n"))
        #expect(fromShape.input.shape == [3, 1])
        let fromLength = try #require(TestSupport.model("layers:\n  - Embedding: {input_dim: 10, output_dim: 2, input_length: 7}\n"))
        #expect(fromLength.input == TensorType([7], .tokenIDs))
        #expect(fromLength.layers[0].output.kerasDescription == "(None, 7, 2)")
        let floats = try #require(TestSupport.model("input: [3]\nlayers:\n  - Dense 1\n"))
        #expect(floats.input.element == .float)
        // As Keras, a first Embedding without any length takes sequences of unknown length.
        #expect(TestSupport.model("layers:\n  - Embedding 10x2\n")?.layers[0].output.kerasDescription == "(None, None, 2)")
        #expect(Self.only("layers:\n  - Dense 2\n") == "the model has no input shape; add `input: [features]`, e.g. `input: [8]`")
        #expect(Self.only("input: []\nlayers:\n  - Dense 2\n") == "input needs at least one size")
        #expect(Self.only("input: 8\nlayers:\n  - Dense 2\n") == "input is a list of sizes; write [8]")
        #expect(Self.only("input: [0]\nlayers:\n  - Dense 2\n") == "input has the size 0; sizes are at least 1")
    }

    @Test func layersSectionMustExistAndHoldLayers() {
        #expect(Self.only("input: [3]\n") == "the spec has no `layers:`; list the model's layers, e.g. `layers: [Dense 1 sigmoid]`")
        #expect(Self.only("input: [3]\nlayers: []\n") == "`layers` is empty; a model needs at least one layer")
        #expect(Self.only("input: [3]\nlayers: Dense 1\n") == "`layers` is a list with one entry per layer, e.g. `- Dense 8 relu`; found a scalar")
        #expect(Self.only("- Dense 1\n") == "a spec is a mapping of sections (name, input, inputs, layers, outputs, compile, fit, data), not a list")
    }

    @Test func namesFollowKerasAndAreValidated() throws {
        let model = try #require(TestSupport.model("""
            name: my_model
            input: [4, 3, 2]
            layers:
              - TimeDistributed: {layer: {TimeDistributed: {layer: {Dense: {units: 2}}}}}
              - TimeDistributed Dense 2
              - Dense 2 name=out.put-1
              - Dense 2
            """))
        #expect(model.name == "my_model")
        #expect(model.layers.map(\.name) == ["time_distributed_1", "time_distributed_2", "out.put-1", "dense_2"])
        #expect(Self.only("input: [3]\nlayers:\n  - Dense 1 name=_x\n")
                == "Dense name '_x' must start with a letter, a digit or '.' (TensorFlow's rule for layer names)")
        #expect(Self.only("input: [3]\nlayers:\n  - Dense: {units: 1, name: \"my dense\"}\n")
                == "Dense name 'my dense' cannot contain ' '; TensorFlow allows letters, digits and . _ - / > in layer names")
        // Keras does not restrict model names (they are not TensorFlow scopes), only non-empty here.
        #expect(TestSupport.model("name: \"my model\"\ninput: [3]\nlayers:\n  - Dense 1\n")?.name == "my model")
        #expect(Self.only("name: \"\"\ninput: [3]\nlayers:\n  - Dense 1\n") == "the model name '' must not be empty")
        #expect(TestSupport.model("input: [3]\nlayers:\n  - Dense 1\n")?.name == "sequential")
    }

    @Test func suspiciousSpecsGetWarningsAndStillCheck() throws {
        let yaml = """
            input: [8, 2]
            layers:
              - LSTM: {units: 4, dropout: 1, return_sequences: true}
              - Dense 3 input_shape=(8, 2)
              - Dense 1
              - Activation softmax
            """
        #expect(TestSupport.model(yaml) != nil)
        let warnings = TestSupport.warnings(yaml)
        #expect(warnings == [
            "dropout 1 drops every value in training, so nothing reaches the next step; use a rate below 1",
            "input_shape is read only on the first layer (Keras ignores it here); remove it",
            "activation (Activation) applies softmax over one unit, which always outputs 1.0 and cannot learn; use sigmoid for a single probability",
        ])
    }

    @Test func diagnosticsAreSortedBySourcePosition() {
        let result = TestSupport.check("input: [3]\nlayers:\n  - Dense 0\n  - Dropout 2\ncompile: {loss: nope}\n")
        let lines = result.diagnostics.map(\.range.start.line)
        #expect(lines == lines.sorted())
        #expect(lines.count == 3)
    }
}

@Suite struct NestedWrapperTests {
    /// A wrapper inside a wrapper keeps its own wrapped layer, and freezing anywhere freezes all.
    @Test func nestedTimeDistributedTypesAndFreezes() throws {
        let model = try #require(TestSupport.model(
            "input: [4, 3, 2]\nlayers:\n  - TimeDistributed: {layer: {TimeDistributed: {layer: {Dense: {units: 2, trainable: false}}}}}\n"))
        #expect(model.layers[0].output.kerasDescription == "(None, 4, 3, 2)")
        #expect(model.layers[0].inner?.inner?.name == "dense")
        #expect(model.trainableParameterCount == 0)
        #expect(model.nonTrainableParameterCount == 6)
    }
}

@Suite struct KerasRefusalTests {
    /// Keras refuses identity on anything but 2-D weights and orthogonal below 2-D; so does modelc.
    @Test func initializersMustSuitTheWeightRank() throws {
        #expect(TestSupport.errors("input: [4]\nlayers:\n  - Dense: {units: 2, bias_initializer: identity}\n")
                == ["dense (Dense) bias_initializer identity initializes only 2-D weights, but bias is [2]; Keras refuses it"])
        #expect(TestSupport.errors("input: [5, 3]\nlayers:\n  - Conv1D: {filters: 2, kernel_size: 2, kernel_initializer: identity}\n")
                == ["conv1d (Conv1D) kernel_initializer identity initializes only 2-D weights, but kernel is [2, 3, 2]; Keras refuses it"])
        #expect(TestSupport.errors("input: [4, 3]\nlayers:\n  - LayerNormalization: {gamma_initializer: orthogonal}\n")
                == ["layer_normalization (LayerNormalization) gamma_initializer orthogonal initializes only weights of 2 or more dimensions, but gamma is [3]; Keras refuses it"])
        let result = TestSupport.check("input: [4, 3]\nlayers:\n  - Bidirectional: {layer: {GRU: {units: 2, bias_initializer: orthogonal, reset_after: false}}}\n")
        #expect(result.diagnostics.first?.message.contains("but forward/bias is [6]") == true)
        #expect(result.diagnostics.first?.range.start == ModelC.SourceLocation(line: 3, column: 63))
        // Fine on 2-D weights, including GRU's two bias rows.
        #expect(TestSupport.model("input: [4, 3]\nlayers:\n  - GRU: {units: 2, bias_initializer: orthogonal, recurrent_initializer: identity}\n") != nil)
    }

    @Test func unrollNeedsAKnownLength() {
        #expect(TestSupport.errors("input: [null, 3]\nlayers:\n  - LSTM: {units: 2, unroll: true}\n")
                == ["lstm (LSTM) cannot unroll a sequence of unknown length; give the length in `input` or remove unroll"])
        #expect(TestSupport.model("input: [5, 3]\nlayers:\n  - LSTM: {units: 2, unroll: true}\n") != nil)
    }

    @Test func layerNormalizationWithoutWeightsAcceptsUnknownSizes() {
        #expect(TestSupport.model("input: [null, 4]\nlayers:\n  - LayerNormalization: {axis: 1, center: false, scale: false}\n")?.parameterCount == 0)
        #expect(TestSupport.errors("input: [null, 4]\nlayers:\n  - LayerNormalization: {axis: 1, scale: false}\n").count == 1)
    }
}
