import ModelC

/// What `fit` logged per epoch, Keras's `History.history` plus wall time.
public struct History: Sendable {
    /// Logged names in first-seen order: loss, metrics, val_ of both, lr when it is changed by a callback.
    public private(set) var names: [String] = []
    /// Per epoch, the value of each name (absent when not logged that epoch).
    public private(set) var epochs: [[String: Double]] = []
    /// Wall time of each epoch in seconds, validation included.
    public private(set) var seconds: [Double] = []
    /// For an epoch that did not finish (interrupted), `157/313`: the steps it ran; nil for the others.
    public private(set) var unfinished: [String?] = []

    public init() {}

    /// A history as a resume state recorded it.
    public init(names: [String], epochs: [[String: Double]], seconds: [Double]) {
        self.names = names
        self.epochs = epochs
        self.seconds = seconds
        unfinished = Array(repeating: nil, count: epochs.count)
    }

    /// `unfinished` is `step/steps` for an epoch that stopped before its end (its row then has
    /// the running training values and no validation).
    public mutating func append(_ values: [(String, Double)], seconds: Double, unfinished: String? = nil) {
        self.unfinished.append(unfinished)
        var row: [String: Double] = [:]
        for (name, value) in values {
            if !names.contains(name) { names.append(name) }
            row[name] = value
        }
        epochs.append(row)
        self.seconds.append(seconds)
    }

    public func values(_ name: String) -> [Double?] { epochs.map { $0[name] } }

    /// True when an epoch stopped before its end.
    var hasUnfinished: Bool { unfinished.contains { $0 != nil } }

    /// `epoch,loss,...,seconds` with epochs counted from 1, values printed round-trip exact; when an
    /// epoch was interrupted, a last column `unfinished` marks its row with the steps it ran.
    public var csv: String {
        let marked = hasUnfinished
        var lines = [(["epoch"] + names + ["seconds"] + (marked ? ["unfinished"] : [])).joined(separator: ",")]
        for (index, row) in epochs.enumerated() {
            var cells = [String(index + 1)] + names.map { row[$0].map { "\($0)" } ?? "" } + ["\(seconds[index])"]
            if marked { cells.append(unfinished[index].map { "\($0) steps" } ?? "") }
            lines.append(cells.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `{"epoch": [1, 2], "loss": [...], ..., "seconds": [...]}`, Keras's history dict shape.
    public var json: String {
        var pairs: [(String, JSONValue)] = [("epoch", .array(epochs.indices.map { .int($0 + 1) }))]
        for name in names {
            pairs.append((name, .array(epochs.map { row in row[name].map { .double($0) } ?? .null })))
        }
        pairs.append(("seconds", .array(seconds.map { .double($0) })))
        if hasUnfinished {
            pairs.append(("unfinished", .array(unfinished.map { $0.map { .string($0 + " steps") } ?? .null })))
        }
        return JSONValue.object(pairs).rendered(indent: nil) + "\n"
    }
}
