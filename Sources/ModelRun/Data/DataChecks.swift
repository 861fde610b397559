/// Checks that run before the first step; each throws DataError with a clear message.
public enum DataChecks {
    /// x and y row counts equal and non-zero; x's sample shape equals `inputShape` (nil sizes accept any size);
    /// when the model's first layer looks up token ids (`tokenIDs`), x must hold integers (an integer dtype, or
    /// floats with integral values) in [0, vocabulary); otherwise x must be finite (integers are fine as features).
    /// y's sample shape must equal `targetShape` (nil skips that check) and y must be finite.
    ///
    /// As in Keras, whose models squeeze or expand one trailing axis of size 1 on their inputs, and whose losses do
    /// the same on targets, a sample shape may add a trailing axis of size 1 or lack one the spec has: x [N] passes
    /// for input [1], y [N] for target [1], y [N, 1] for target [] (sparse labels). The values are laid out the same
    /// either way, so the caller can reshape freely.
    /// `name` is "training data", "validation data" or "test data"; `xSource`/`ySource` say where x and y came from.
    public static func check(x: NumpyArray, y: NumpyArray?, inputShape: [Int?], tokenIDs: Bool, vocabulary: Int?,
                             targetShape: [Int]?, name: String, xSource: String, ySource: String?) throws(DataError) {
        try checkInput(x, inputShape: inputShape, tokenIDs: tokenIDs, vocabulary: vocabulary, name: name, source: xSource, inputName: nil)
        guard let y else { return }
        try checkTarget(y, rows: x.rows, targetShape: targetShape, name: name, xSource: xSource, source: ySource, outputName: nil)
    }

    /// One input's array: its rows, its sample shape against `inputShape`, and its values (token ids
    /// in [0, vocabulary), or finite features). `inputName` names the input of a model with several.
    public static func checkInput(_ x: NumpyArray, inputShape: [Int?], tokenIDs: Bool, vocabulary: Int?, name: String,
                                  source: String, inputName: String?) throws(DataError) {
        try checkInputShape(x, inputShape: inputShape, name: name, source: source, inputName: inputName)
        let xName = subject(name: name, inputName: inputName, source: source)
        if tokenIDs {
            try checkTokenIDs(x, vocabulary: vocabulary, what: xName)
        } else {
            try checkFinite(x, what: xName)
        }
    }

    /// One input's array has a first axis of samples, at least one of them, and samples of the
    /// input's shape; the message names the data (`name`, `source`) and, for a model with several
    /// inputs, the input.
    public static func checkInputShape(_ x: NumpyArray, inputShape: [Int?], name: String, source: String,
                                       inputName: String?) throws(DataError) {
        let xName = subject(name: name, inputName: inputName, source: source)
        guard !x.shape.isEmpty else {
            throw DataError("\(xName) is a single number (a 0-d array); it needs a first axis with one row per sample.")
        }
        guard x.rows > 0 else {
            throw DataError("\(xName) has no samples (its shape is \(describe(x.shape))); give at least one row.")
        }
        guard matches(x.sampleShape, inputShape) else {
            let what = inputName.map { "input '\($0)' has the shape" } ?? "the model's input shape is"
            throw DataError("\(xName) has samples of shape \(describe(x.sampleShape)) (array shape \(describe(x.shape))), but \(what) \(describe(inputShape)); reshape the data or change input_shape in the spec.")
        }
    }

    /// "The training data x for input 'a' (a.npy)": `name` is the data's noun without an article
    /// ("training data", "input data"), which every message puts after its own "The".
    static func subject(name: String, inputName: String?, source: String) -> String {
        "The \(name) x\(inputName.map { " for input '\($0)'" } ?? "") (\(source))"
    }

    /// One output's labels: one row per sample (`rows`, x's count), their shape against
    /// `targetShape` (nil skips that check), finite values. `outputName` names the output of a model with several.
    public static func checkTarget(_ y: NumpyArray, rows: Int, targetShape: [Int]?, name: String, xSource: String,
                                   source: String?, outputName: String?) throws(DataError) {
        let yName = "The \(name) y\(outputName.map { " for output '\($0)'" } ?? "") (\(source ?? "labels"))"
        guard !y.shape.isEmpty else {
            throw DataError("\(yName) is a single number (a 0-d array); it needs one row per sample, like x.")
        }
        guard y.rows == rows else {
            let which = outputName.map { " for output '\($0)'" } ?? ""
            throw DataError("The \(name) has \(rows) samples in x (\(xSource)) but \(y.rows) in y\(which) (\(source ?? "labels")); x and y need one row per sample each, in the same order.")
        }
        if let targetShape, !matches(y.sampleShape, targetShape.map { $0 }) {
            throw DataError("\(yName) has samples of shape \(describe(y.sampleShape)) (array shape \(describe(y.shape))), but the model's output and loss expect targets of shape \(describe(targetShape)); check the labels' encoding (one-hot or integer) against the loss and the last layer's units.")
        }
        try checkFinite(y, what: yName)
    }

    /// Equal (nil accepts any size), or equal once one trailing axis of size 1 is dropped from either side
    /// (tf_keras `_conform_to_reference_input` and `squeeze_or_expand_dimensions`; a None size is not 1).
    static func matches(_ actual: [Int], _ expected: [Int?]) -> Bool {
        func same(_ a: ArraySlice<Int>, _ e: ArraySlice<Int?>) -> Bool {
            a.count == e.count && zip(a, e).allSatisfy { size, wanted in wanted == nil || wanted == size }
        }
        if same(actual[...], expected[...]) { return true }
        if actual.count == expected.count + 1, actual.last == 1 { return same(actual.dropLast(), expected[...]) }
        if expected.count == actual.count + 1, expected.last == 1 { return same(actual[...], expected.dropLast()) }
        return false
    }

    private static func checkTokenIDs(_ x: NumpyArray, vocabulary: Int?, what: String) throws(DataError) {
        let limit = vocabulary.map(Float.init) ?? .infinity
        let values = x.values
        let sampleSize = max(1, values.count / max(1, x.rows))
        for index in values.indices {
            let value = values[index]
            if value >= 0, value < limit, value.rounded(.towardZero) == value { continue }
            let place = "sample \(index / sampleSize) (position \(index % sampleSize) in the sample)"
            if !value.isFinite || value.rounded(.towardZero) != value {
                throw DataError("\(what) holds \(value) at \(place), but the model's first layer looks up token ids, which must be whole numbers; encode the tokens as integer ids.")
            }
            guard let vocabulary, value >= 0 else {
                throw DataError("\(what) holds the negative token id \(describe(value)) at \(place); token ids start at 0, so re-encode the tokens.")
            }
            throw DataError("\(what) holds the token id \(describe(value)) at \(place), but the embedding's vocabulary has \(vocabulary) entries, so ids must be in [0, \(vocabulary)); re-encode the tokens or raise input_dim.")
        }
    }

    private static func checkFinite(_ array: NumpyArray, what: String) throws(DataError) {
        guard !array.isInteger else { return }
        let values = array.values
        guard let index = values.firstIndex(where: { !$0.isFinite }) else { return }
        let sampleSize = max(1, values.count / max(1, array.rows))
        let value = values[index]
        let shown = value.isNaN ? "NaN" : "\(value < 0 ? "-" : "")infinity"
        throw DataError("\(what) holds \(shown) at sample \(index / sampleSize) (position \(index % sampleSize) in the sample); training would turn every weight into NaN, so fill in or drop missing values first (float64 values beyond ±3.4e38 also overflow float32).")
    }

    private static func describe(_ value: Float) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }

    static func describe(_ shape: [Int]) -> String { describe(shape.map { Optional($0) }) }

    static func describe(_ shape: [Int?]) -> String {
        "[" + shape.map { $0.map(String.init) ?? "None" }.joined(separator: ", ") + "]"
    }
}
