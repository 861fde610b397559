import FuzzSupport

/// Layer strings of the kinds Grammar.md describes: bare and named arguments, tuples, wrappers, nesting.
let shorthandSeeds = [
    "Dense 8 relu", "LSTM 8 return_sequences dropout=0.3", "Embedding 500x16", "Bidirectional sum LSTM 16",
    "Conv1D 16 3 relu padding=same", "Reshape (10, 4)", "Reshape target_shape=(2, (3, 4))", "Dropout 0.5",
    "TimeDistributed Dense 4 softmax", "Bidirectional concat GRU 8 return_sequences", "Dense units = 8 activation = tanh",
    "SimpleRNN 4 inputs=[a, b]", "MaxPooling1D 2 strides=1", "Dense 8 name=\"out put\"", "Dense 8 name='x'",
    "Bidirectional Bidirectional LSTM 2", "Dense 1e3 use_bias=false",
    // Long ones, for the fuzzer to grow: deep brackets, many wrappers, many arguments, one long token.
    "Reshape " + String(repeating: "(", count: 200) + "4" + String(repeating: ")", count: 200),
    String(repeating: "Bidirectional ", count: 16) + "LSTM 2",
    "Dense 8 " + (0..<300).map { "a\($0)=\($0)" }.joined(separator: " "),
    "Dense " + String(repeating: "9", count: 5_000),
].enumerated().map { seed("shorthand\($0.offset).txt", $0.element) }
