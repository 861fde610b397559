import Testing
@testable import ModelC
@testable import ModelRun

/// The checks run before the first training step: one test per rule, each with its message.
@Suite struct DataChecksTests {
    static let features = NumpyArray(shape: [3, 2], values: [0.5, 1, -2, 3, 4, 5])
    static let labels = NumpyArray(shape: [3], values: [0, 1, 0], kind: .int64)

    static func message(x: NumpyArray = features, y: NumpyArray? = labels, inputShape: [Int?] = [2], tokenIDs: Bool = false,
                        vocabulary: Int? = nil, targetShape: [Int]? = [], name: String = "training data") -> String {
        DataTesting.message {
            try DataChecks.check(x: x, y: y, inputShape: inputShape, tokenIDs: tokenIDs, vocabulary: vocabulary,
                                 targetShape: targetShape, name: name, xSource: "x.npy", ySource: y == nil ? nil : "y.npy")
        }
    }

    @Test func consistentDataPasses() {
        #expect(Self.message() == "no error")
        #expect(Self.message(y: nil, targetShape: nil) == "no error", "prediction data has no y")
        #expect(Self.message(targetShape: nil) == "no error", "a nil target shape skips that check")
        let images = NumpyArray(shape: [2, 4, 3], values: Array(repeating: 1, count: 24))
        #expect(Self.message(x: images, y: NumpyArray(shape: [2, 10], values: Array(repeating: 0, count: 20)),
                             inputShape: [nil, 3], targetShape: [10]) == "no error", "nil sizes accept any size")
    }

    @Test func rowCountsMustMatchAndBePositive() {
        #expect(Self.message(y: NumpyArray(shape: [2], values: [0, 1]), name: "validation data")
                == "The validation data has 3 samples in x (x.npy) but 2 in y (y.npy); x and y need one row per sample each, in the same order.")
        #expect(Self.message(x: NumpyArray(shape: [0, 2], values: []), y: nil)
                == "The training data x (x.npy) has no samples (its shape is [0, 2]); give at least one row.")
        #expect(Self.message(x: NumpyArray(shape: [], values: [1]))
                == "The training data x (x.npy) is a single number (a 0-d array); it needs a first axis with one row per sample.")
        #expect(Self.message(y: NumpyArray(shape: [], values: [1]), name: "test data")
                == "The test data y (y.npy) is a single number (a 0-d array); it needs one row per sample, like x.")
    }

    @Test func sampleShapeMustMatchTheInput() {
        #expect(Self.message(inputShape: [3])
                == "The training data x (x.npy) has samples of shape [2] (array shape [3, 2]), but the model's input shape is [3]; reshape the data or change input_shape in the spec.")
        #expect(Self.message(inputShape: [2, nil]).hasPrefix("The training data x (x.npy) has samples of shape [2] (array shape [3, 2]), but the model's input shape is [2, None];"))
        #expect(Self.message(x: NumpyArray(shape: [3, 2, 2], values: Array(repeating: 0, count: 12)), inputShape: [nil])
                .hasPrefix("The training data x (x.npy) has samples of shape [2, 2]"))
    }

    @Test func oneTrailingAxisOfSizeOneMayBeAddedOrDropped() {
        // As tf_keras models conform inputs, and its losses targets, by squeezing or expanding a trailing 1.
        let column = NumpyArray(shape: [3, 1], values: [1, 2, 3])
        let flat = NumpyArray(shape: [3], values: [1, 2, 3])
        #expect(Self.message(x: flat, inputShape: [1]) == "no error")
        #expect(Self.message(x: column, inputShape: []) == "no error")
        #expect(Self.message(x: NumpyArray(shape: [3, 2, 1], values: Array(repeating: 0, count: 6)), inputShape: [nil]) == "no error")
        #expect(Self.message(y: NumpyArray(shape: [3, 1], values: [0, 1, 0]), targetShape: []) == "no error")
        #expect(Self.message(y: flat, targetShape: [1]) == "no error")
        #expect(Self.message(y: NumpyArray(shape: [3, 4, 1], values: Array(repeating: 0, count: 12)), targetShape: [4]) == "no error")
        // A None size is not a 1, and only one axis of size 1 goes.
        #expect(Self.message(x: flat, inputShape: [nil]).hasPrefix("The training data x (x.npy) has samples of shape []"))
        #expect(Self.message(x: flat, inputShape: [1, 1]).hasPrefix("The training data x (x.npy) has samples of shape []"))
        #expect(Self.message(x: flat, inputShape: [2]).hasPrefix("The training data x (x.npy) has samples of shape []"))
        #expect(Self.message(y: NumpyArray(shape: [3, 2], values: Array(repeating: 0, count: 6)), targetShape: [])
                .hasPrefix("The training data y (y.npy) has samples of shape [2]"))
    }

    @Test func targetShapeMustMatch() {
        #expect(Self.message(targetShape: [10])
                == "The training data y (y.npy) has samples of shape [] (array shape [3]), but the model's output and loss expect targets of shape [10]; check the labels' encoding (one-hot or integer) against the loss and the last layer's units.")
    }

    @Test func tokenIDsMustBeWholeNumbersInsideTheVocabulary() {
        let ids = NumpyArray(shape: [2, 3], values: [0, 4, 9, 1, 2, 3], kind: .int32)
        #expect(Self.message(x: ids, y: nil, inputShape: [3], tokenIDs: true, vocabulary: 10) == "no error")
        #expect(Self.message(x: NumpyArray(shape: [2, 3], values: [0, 4, 9, 1, 2, 3]), y: nil, inputShape: [3], tokenIDs: true,
                             vocabulary: 10) == "no error", "floats holding whole numbers are token ids too")
        #expect(Self.message(x: ids, y: nil, inputShape: [3], tokenIDs: true, vocabulary: 9)
                == "The training data x (x.npy) holds the token id 9 at sample 0 (position 2 in the sample), but the embedding's vocabulary has 9 entries, so ids must be in [0, 9); re-encode the tokens or raise input_dim.")
        #expect(Self.message(x: NumpyArray(shape: [2, 3], values: [0, 4, 1, 1, -1, 3], kind: .int64), y: nil, inputShape: [3], tokenIDs: true, vocabulary: nil)
                == "The training data x (x.npy) holds the negative token id -1 at sample 1 (position 1 in the sample); token ids start at 0, so re-encode the tokens.")
        #expect(Self.message(x: NumpyArray(shape: [2, 3], values: [0, 4, 1, 1, 2.5, 3]), y: nil, inputShape: [3], tokenIDs: true, vocabulary: 10)
                == "The training data x (x.npy) holds 2.5 at sample 1 (position 1 in the sample), but the model's first layer looks up token ids, which must be whole numbers; encode the tokens as integer ids.")
        #expect(Self.message(x: NumpyArray(shape: [1, 3], values: [0, .nan, 1]), y: nil, inputShape: [3], tokenIDs: true, vocabulary: 10)
                .hasPrefix("The training data x (x.npy) holds nan at sample 0 (position 1 in the sample), but the model's first layer looks up token ids"))
    }

    @Test func featuresAndTargetsMustBeFinite() {
        var x = Self.features
        x.values[3] = .nan
        #expect(Self.message(x: x)
                == "The training data x (x.npy) holds NaN at sample 1 (position 1 in the sample); training would turn every weight into NaN, so fill in or drop missing values first (float64 values beyond ±3.4e38 also overflow float32).")
        x.values[3] = -.infinity
        #expect(Self.message(x: x).hasPrefix("The training data x (x.npy) holds -infinity at sample 1 (position 1 in the sample)"))
        #expect(Self.message(y: NumpyArray(shape: [3], values: [0, .infinity, 1]), name: "validation data")
                .hasPrefix("The validation data y (y.npy) holds infinity at sample 1 (position 0 in the sample)"))
        #expect(Self.message(x: NumpyArray(shape: [3, 2], values: [1, 2, 3, 4, 5, 6], kind: .int64)) == "no error",
                "integers are fine as float features")
    }
}
