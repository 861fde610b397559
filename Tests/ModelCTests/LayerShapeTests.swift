import Testing
@testable import ModelC

/// Each layer and each argument that changes a shape or a parameter count, against the numbers
/// tf_keras 2.21 gives for the same model (recorded from `keras.Sequential([...]).layers`).
@Suite struct LayerShapeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var spec: String
        /// Per layer: Keras's name, class, printed output shape and parameter count.
        var rows: [(String, String, String, Int)]
        var trainable: Int
        var nonTrainable: Int
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "embedding", spec: "input: [100]\nlayers:\n  - Embedding: {input_dim: 500, output_dim: 16}",
             rows: [("embedding", "Embedding", "(None, 100, 16)", 8000)], trainable: 8000, nonTrainable: 0),
        Case(name: "embedding_2d_ids", spec: "input: [4, 3]\nlayers:\n  - Embedding: {input_dim: 10, output_dim: 4}",
             rows: [("embedding", "Embedding", "(None, 4, 3, 4)", 40)], trainable: 40, nonTrainable: 0),
        Case(name: "dense_2d", spec: "input: [8]\nlayers:\n  - Dense: {units: 3}",
             rows: [("dense", "Dense", "(None, 3)", 27)], trainable: 27, nonTrainable: 0),
        Case(name: "dense_3d", spec: "input: [4, 8]\nlayers:\n  - Dense: {units: 3}",
             rows: [("dense", "Dense", "(None, 4, 3)", 27)], trainable: 27, nonTrainable: 0),
        Case(name: "dense_4d", spec: "input: [2, 3, 4]\nlayers:\n  - Dense: {units: 5}",
             rows: [("dense", "Dense", "(None, 2, 3, 5)", 25)], trainable: 25, nonTrainable: 0),
        Case(name: "dense_no_bias", spec: "input: [8]\nlayers:\n  - Dense: {units: 3, use_bias: false}",
             rows: [("dense", "Dense", "(None, 3)", 24)], trainable: 24, nonTrainable: 0),
        Case(name: "simple_rnn", spec: "input: [20, 6]\nlayers:\n  - SimpleRNN: {units: 16}",
             rows: [("simple_rnn", "SimpleRNN", "(None, 16)", 368)], trainable: 368, nonTrainable: 0),
        Case(name: "simple_rnn_sequences", spec: "input: [20, 6]\nlayers:\n  - SimpleRNN: {units: 16, return_sequences: true}",
             rows: [("simple_rnn", "SimpleRNN", "(None, 20, 16)", 368)], trainable: 368, nonTrainable: 0),
        Case(name: "simple_rnn_no_bias", spec: "input: [20, 6]\nlayers:\n  - SimpleRNN: {units: 16, use_bias: false}",
             rows: [("simple_rnn", "SimpleRNN", "(None, 16)", 352)], trainable: 352, nonTrainable: 0),
        Case(name: "lstm", spec: "input: [100, 16]\nlayers:\n  - LSTM: {units: 8}",
             rows: [("lstm", "LSTM", "(None, 8)", 800)], trainable: 800, nonTrainable: 0),
        Case(name: "lstm_sequences_backwards", spec: "input: [100, 16]\nlayers:\n  - LSTM: {units: 8, return_sequences: true, go_backwards: true}",
             rows: [("lstm", "LSTM", "(None, 100, 8)", 800)], trainable: 800, nonTrainable: 0),
        Case(name: "lstm_no_bias", spec: "input: [100, 16]\nlayers:\n  - LSTM: {units: 8, use_bias: false}",
             rows: [("lstm", "LSTM", "(None, 8)", 768)], trainable: 768, nonTrainable: 0),
        Case(name: "lstm_unknown_length", spec: "input: [null, 8]\nlayers:\n  - LSTM: {units: 4, return_sequences: true}",
             rows: [("lstm", "LSTM", "(None, None, 4)", 208)], trainable: 208, nonTrainable: 0),
        Case(name: "gru_reset_after", spec: "input: [100, 16]\nlayers:\n  - GRU: {units: 8}",
             rows: [("gru", "GRU", "(None, 8)", 624)], trainable: 624, nonTrainable: 0),
        Case(name: "gru_reset_before", spec: "input: [100, 16]\nlayers:\n  - GRU: {units: 8, reset_after: false}",
             rows: [("gru", "GRU", "(None, 8)", 600)], trainable: 600, nonTrainable: 0),
        Case(name: "gru_no_bias", spec: "input: [100, 16]\nlayers:\n  - GRU: {units: 8, use_bias: false}",
             rows: [("gru", "GRU", "(None, 8)", 576)], trainable: 576, nonTrainable: 0),
        Case(name: "bidirectional_concat", spec: "input: [10, 4]\nlayers:\n  - Bidirectional: {layer: {LSTM: {units: 6}}}",
             rows: [("bidirectional", "Bidirectional", "(None, 12)", 528)], trainable: 528, nonTrainable: 0),
        Case(name: "bidirectional_sum", spec: "input: [10, 4]\nlayers:\n  - Bidirectional: {layer: {LSTM: {units: 6}}, merge_mode: sum}",
             rows: [("bidirectional", "Bidirectional", "(None, 6)", 528)], trainable: 528, nonTrainable: 0),
        Case(name: "bidirectional_mul_sequences", spec: "input: [10, 4]\nlayers:\n  - Bidirectional: {layer: {GRU: {units: 6, return_sequences: true}}, merge_mode: mul}",
             rows: [("bidirectional", "Bidirectional", "(None, 10, 6)", 432)], trainable: 432, nonTrainable: 0),
        Case(name: "bidirectional_ave_simple", spec: "input: [10, 4]\nlayers:\n  - Bidirectional: {layer: {SimpleRNN: {units: 6}}, merge_mode: ave}",
             rows: [("bidirectional", "Bidirectional", "(None, 6)", 132)], trainable: 132, nonTrainable: 0),
        Case(name: "bidirectional_frozen_inner", spec: "input: [10, 4]\nlayers:\n  - Bidirectional: {layer: {LSTM: {units: 6, trainable: false}}}",
             rows: [("bidirectional", "Bidirectional", "(None, 12)", 528)], trainable: 0, nonTrainable: 528),
        Case(name: "time_distributed_dense", spec: "input: [10, 8]\nlayers:\n  - TimeDistributed: {layer: {Dense: {units: 3}}}",
             rows: [("time_distributed", "TimeDistributed", "(None, 10, 3)", 27)], trainable: 27, nonTrainable: 0),
        Case(name: "time_distributed_conv", spec: "input: [4, 10, 8]\nlayers:\n  - TimeDistributed: {layer: {Conv1D: {filters: 5, kernel_size: 3}}}",
             rows: [("time_distributed", "TimeDistributed", "(None, 4, 8, 5)", 125)], trainable: 125, nonTrainable: 0),
        Case(name: "conv_valid", spec: "input: [10, 3]\nlayers:\n  - Conv1D: {filters: 4, kernel_size: 3}",
             rows: [("conv1d", "Conv1D", "(None, 8, 4)", 40)], trainable: 40, nonTrainable: 0),
        Case(name: "conv_same_strides", spec: "input: [10, 3]\nlayers:\n  - Conv1D: {filters: 4, kernel_size: 3, padding: same, strides: 3}",
             rows: [("conv1d", "Conv1D", "(None, 4, 4)", 40)], trainable: 40, nonTrainable: 0),
        Case(name: "conv_causal_dilated", spec: "input: [10, 3]\nlayers:\n  - Conv1D: {filters: 4, kernel_size: 3, padding: causal, dilation_rate: 2}",
             rows: [("conv1d", "Conv1D", "(None, 10, 4)", 40)], trainable: 40, nonTrainable: 0),
        Case(name: "conv_valid_dilated", spec: "input: [10, 3]\nlayers:\n  - Conv1D: {filters: 4, kernel_size: 3, dilation_rate: 2}",
             rows: [("conv1d", "Conv1D", "(None, 6, 4)", 40)], trainable: 40, nonTrainable: 0),
        Case(name: "conv_valid_strides", spec: "input: [10, 3]\nlayers:\n  - Conv1D: {filters: 4, kernel_size: 3, strides: 2, use_bias: false}",
             rows: [("conv1d", "Conv1D", "(None, 4, 4)", 36)], trainable: 36, nonTrainable: 0),
        Case(name: "conv_4d", spec: "input: [4, 10, 8]\nlayers:\n  - Conv1D: {filters: 5, kernel_size: 3}",
             rows: [("conv1d", "Conv1D", "(None, 4, 8, 5)", 125)], trainable: 125, nonTrainable: 0),
        Case(name: "max_pool", spec: "input: [10, 3]\nlayers:\n  - MaxPooling1D: {}",
             rows: [("max_pooling1d", "MaxPooling1D", "(None, 5, 3)", 0)], trainable: 0, nonTrainable: 0),
        Case(name: "max_pool_strides_same", spec: "input: [10, 3]\nlayers:\n  - MaxPooling1D: {pool_size: 3, strides: 2, padding: same}",
             rows: [("max_pooling1d", "MaxPooling1D", "(None, 5, 3)", 0)], trainable: 0, nonTrainable: 0),
        Case(name: "average_pool_strides", spec: "input: [10, 3]\nlayers:\n  - AveragePooling1D: {pool_size: 3, strides: 1}",
             rows: [("average_pooling1d", "AveragePooling1D", "(None, 8, 3)", 0)], trainable: 0, nonTrainable: 0),
        Case(name: "average_pool_same", spec: "input: [5, 3]\nlayers:\n  - AveragePooling1D: {pool_size: 2, padding: same}",
             rows: [("average_pooling1d", "AveragePooling1D", "(None, 3, 3)", 0)], trainable: 0, nonTrainable: 0),
        Case(name: "global_max", spec: "input: [10, 3]\nlayers:\n  - GlobalMaxPooling1D: {}",
             rows: [("global_max_pooling1d", "GlobalMaxPooling1D", "(None, 3)", 0)], trainable: 0, nonTrainable: 0),
        Case(name: "global_average_keepdims", spec: "input: [10, 3]\nlayers:\n  - GlobalAveragePooling1D: {keepdims: true}",
             rows: [("global_average_pooling1d", "GlobalAveragePooling1D", "(None, 1, 3)", 0)], trainable: 0, nonTrainable: 0),
        Case(name: "batch_norm", spec: "input: [10, 3]\nlayers:\n  - BatchNormalization: {}",
             rows: [("batch_normalization", "BatchNormalization", "(None, 10, 3)", 12)], trainable: 6, nonTrainable: 6),
        Case(name: "batch_norm_no_center", spec: "input: [10, 3]\nlayers:\n  - BatchNormalization: {center: false}",
             rows: [("batch_normalization", "BatchNormalization", "(None, 10, 3)", 9)], trainable: 3, nonTrainable: 6),
        Case(name: "batch_norm_no_scale_axis1", spec: "input: [10, 3]\nlayers:\n  - BatchNormalization: {scale: false, axis: 1}",
             rows: [("batch_normalization", "BatchNormalization", "(None, 10, 3)", 30)], trainable: 10, nonTrainable: 20),
        Case(name: "batch_norm_two_axes", spec: "input: [10, 3]\nlayers:\n  - BatchNormalization: {axis: [1, 2]}",
             rows: [("batch_normalization", "BatchNormalization", "(None, 10, 3)", 120)], trainable: 60, nonTrainable: 60),
        Case(name: "batch_norm_frozen", spec: "input: [10, 3]\nlayers:\n  - BatchNormalization: {trainable: false}",
             rows: [("batch_normalization", "BatchNormalization", "(None, 10, 3)", 12)], trainable: 0, nonTrainable: 12),
        Case(name: "layer_norm", spec: "input: [10, 3]\nlayers:\n  - LayerNormalization: {}",
             rows: [("layer_normalization", "LayerNormalization", "(None, 10, 3)", 6)], trainable: 6, nonTrainable: 0),
        Case(name: "layer_norm_two_axes", spec: "input: [10, 3]\nlayers:\n  - LayerNormalization: {axis: [1, 2], center: false}",
             rows: [("layer_normalization", "LayerNormalization", "(None, 10, 3)", 30)], trainable: 30, nonTrainable: 0),
        Case(name: "dropout_flatten", spec: "input: [10, 3]\nlayers:\n  - Dropout: {rate: 0.5}\n  - Flatten: {}",
             rows: [("dropout", "Dropout", "(None, 10, 3)", 0), ("flatten", "Flatten", "(None, 30)", 0)], trainable: 0, nonTrainable: 0),
        Case(name: "spatial_dropout", spec: "input: [10, 3]\nlayers:\n  - SpatialDropout1D: {rate: 0.25}",
             rows: [("spatial_dropout1d", "SpatialDropout1D", "(None, 10, 3)", 0)], trainable: 0, nonTrainable: 0),
        Case(name: "flatten_unknown", spec: "input: [null, 3]\nlayers:\n  - Flatten: {}",
             rows: [("flatten", "Flatten", "(None, None)", 0)], trainable: 0, nonTrainable: 0),
        Case(name: "activation", spec: "input: [10, 3]\nlayers:\n  - Activation: {activation: softmax}",
             rows: [("activation", "Activation", "(None, 10, 3)", 0)], trainable: 0, nonTrainable: 0),
        Case(name: "reshape", spec: "input: [40]\nlayers:\n  - Reshape: {target_shape: [10, 4]}",
             rows: [("reshape", "Reshape", "(None, 10, 4)", 0)], trainable: 0, nonTrainable: 0),
        Case(name: "reshape_inferred", spec: "input: [12]\nlayers:\n  - Reshape: {target_shape: [-1, 2]}",
             rows: [("reshape", "Reshape", "(None, 6, 2)", 0)], trainable: 0, nonTrainable: 0),
        Case(name: "repeat_vector", spec: "input: [7]\nlayers:\n  - RepeatVector: {n: 3}",
             rows: [("repeat_vector", "RepeatVector", "(None, 3, 7)", 0)], trainable: 0, nonTrainable: 0),
        Case(name: "dense_frozen", spec: "input: [8]\nlayers:\n  - Dense: {units: 3, trainable: false}\n  - Dense: {units: 1}",
             rows: [("dense", "Dense", "(None, 3)", 27), ("dense_1", "Dense", "(None, 1)", 4)], trainable: 4, nonTrainable: 27),
    ]

    @Test(arguments: cases)
    func matchesKeras(_ testCase: Case) throws {
        let result = TestSupport.check(testCase.spec)
        let model = try #require(result.model, "\(result.diagnostics.map(\.message))")
        try #require(model.layers.count == testCase.rows.count)
        for (layer, row) in zip(model.layers, testCase.rows) {
            #expect(layer.name == row.0)
            #expect(layer.className == row.1)
            #expect(layer.output.kerasDescription == row.2)
            #expect(layer.parameterCount == row.3)
        }
        #expect(model.trainableParameterCount == testCase.trainable)
        #expect(model.nonTrainableParameterCount == testCase.nonTrainable)
    }
}
