import ModelC

/// What `fit` logged per epoch, Keras's `History.history` plus wall time.
public struct History: Sendable {
    /// Logged names in first-seen order: loss, metrics, val_ of both, lr when it is changed by a callback.
    public private(set) var names: [String] = []
    /// Per epoch, the value of each name (absent when not logged that epoch).
    public private(set) var epochs: [[String: Double]] = []
    /// Wall time of each epoch in seconds, validation included.
    public private(set) var seconds: [Double] = []

    public init() {}

    /// A history as a resume state recorded it.
    public init(names: [String], epochs: [[String: Double]], seconds: [Double]) {
        self.names = names
        self.epochs = epochs
        self.seconds = seconds
    }

    public mutating func append(_ values: [(String, Double)], seconds: Double) {
        var row: [String: Double] = [:]
        for (name, value) in values {
            if !names.contains(name) { names.append(name) }
            row[name] = value
        }
        epochs.append(row)
        self.seconds.append(seconds)
    }

    public func values(_ name: String) -> [Double?] { epochs.map { $0[name] } }

    /// `epoch,loss,...,seconds` with epochs counted from 1, values printed round-trip exact.
    public var csv: String {
        var lines = [(["epoch"] + names + ["seconds"]).joined(separator: ",")]
        for (index, row) in epochs.enumerated() {
            let cells = [String(index + 1)] + names.map { row[$0].map { "\($0)" } ?? "" } + ["\(seconds[index])"]
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
        return JSONValue.object(pairs).rendered(indent: nil) + "\n"
    }
}
