import Foundation
import ModelC

/// Keras's `CSVLogger` (tf_keras 2.x `callbacks.py`): after each epoch, a row `epoch,<logs...>` with
/// the epoch from 0, the log names sorted (fixed by the first epoch's logs), numbers as Python's
/// `str` of the float32 value, `NA` for a name an epoch did not log; rows end in `\r\n` (the csv
/// module's excel dialect) and fields holding the separator, a quote or a line break are quoted;
/// the header once, unless appending to a file that already has lines. The file is relative to the run directory and is
/// rewritten whole (temporary, then rename) at every epoch end, so a killed run leaves whole rows.
final class CSVLogger: Callback {
    let path: String
    let separator: String
    let append: Bool
    /// What the file held before this fit (when appending), kept in front of the new rows.
    var prefix = ""
    var rows: [String] = []
    var keys: [String]?
    var writeHeader = true

    init(_ arguments: ResolvedArguments, directory: RunDirectory) throws(DataError) {
        path = try directory.file(arguments.string("filename"))
        separator = arguments.string("separator")
        append = arguments.bool("append")
    }

    func trainBegin() {
        rows = []
        keys = nil
        prefix = ""
        writeHeader = true
        if append, let existing = try? String(contentsOfFile: path, encoding: .utf8) {
            prefix = existing
            writeHeader = existing.isEmpty
        }
    }

    /// A value as tf_keras writes it: the logged losses and metrics are Python floats (float32 values
    /// widened, `0.4531322121620178`), while `lr`, which ReduceLROnPlateau and LearningRateScheduler
    /// put into the logs after that conversion, stays a numpy float32 and prints its shortest float32
    /// digits (`0.01`), as a tf_keras 2.21 run writes them.
    static func cell(_ value: Double, key: String) -> String {
        guard key == "lr" else { return PythonFormat.repr(Double(Float(value))) }
        return PythonFormat.repr(Double(Float(value).description) ?? value)
    }

    func epochEnd(_ epoch: Int, logs: inout [String: Double], control: TrainingControl) throws(DataError) {
        if keys == nil { keys = logs.keys.sorted() }
        let keys = self.keys ?? []
        if rows.isEmpty, writeHeader { rows.append(line(["epoch"] + keys)) }
        let cells = keys.map { key in logs[key].map { Self.cell($0, key: key) } ?? "NA" }
        rows.append(line([String(epoch)] + cells))
        try AtomicFile.write(prefix + rows.map { $0 + "\r\n" }.joined(), to: path)
    }

    func trainEnd(control: TrainingControl) {}

    /// One row as Python's csv writer (QUOTE_MINIMAL) joins it.
    func line(_ fields: [String]) -> String { CSVRow.joined(fields, separator: separator) }

    /// The rows written so far travel with the resume state: a continued run rewrites the same file.
    func saveState() -> CallbackState {
        CallbackState(numbers: ["rows": Double(rows.count), "header": writeHeader ? 1 : 0])
    }

    func loadState(_ state: CallbackState) {
        let existing = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        var lines = existing.components(separatedBy: "\r\n")
        if lines.last == "" { lines.removeLast() }
        let count = min(state.int("rows"), lines.count)
        prefix = lines.dropLast(count).map { $0 + "\r\n" }.joined()
        rows = Array(lines.suffix(count))
        writeHeader = state.int("header") == 1
        if let header = rows.first, writeHeader {
            keys = Array(header.components(separatedBy: separator).dropFirst())
        } else if let first = (prefix.components(separatedBy: "\r\n").first), !first.isEmpty {
            keys = Array(first.components(separatedBy: separator).dropFirst())
        }
    }
}

/// Keras's `TerminateOnNaN`. modelc stops a fit at a NaN or infinite loss whether or not it is
/// given (the weights of the last finite step are kept); with it the trainer also prints Keras's
/// `Batch N: Invalid loss, terminating training`.
final class TerminateOnNaN: Callback {
    func trainBegin() {}
    func epochEnd(_ epoch: Int, logs: inout [String: Double], control: TrainingControl) throws(DataError) {}
    func trainEnd(control: TrainingControl) {}
    func saveState() -> CallbackState { CallbackState() }
    func loadState(_ state: CallbackState) {}
}
