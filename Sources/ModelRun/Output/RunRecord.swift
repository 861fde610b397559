import Foundation
import ModelC

/// `run.json`: what reproduces a run and how it ended — the spec as written, the seed it used (also
/// when none was set), modelc's version, the command line, threads, batch size and epochs, every
/// data file with its size and hash, the start and end times (UTC, ISO 8601) and the stop reason.
/// Written when the run starts (reason `running`) and again when it ends.
struct RunRecord {
    var specPath: String
    var specText: String
    var seed: UInt64
    /// Where the seed came from: `--seed`, `fit.seed`, `resume state` or `chosen at random`.
    var seedSource: String
    var commandLine: [String]
    var threads: Int
    var batchSize: Int
    var epochs: Int
    var dataFiles: [DataFingerprint]
    var started: Date
    var resumedAfterEpoch: Int?
    var ended: Date?
    var stop: Stop = .running

    enum Stop {
        case running
        case completed(epochs: Int)
        case earlyStopping(epoch: Int, restoredEpoch: Int?)
        case interrupted(epoch: Int, completedEpochs: Int)
        case nonFiniteLoss(epoch: Int, step: Int)
        case writeFailed(epoch: Int, message: String)
    }

    /// The stop of a fit that ended with `outcome` after `completed` epochs (epochs count from 1, as
    /// Keras's log does); `callbacks` tell which epoch EarlyStopping restored.
    static func stop(_ outcome: FitOutcome, completed: Int, callbacks: [Callback]) -> Stop {
        switch outcome {
        case .completed: return .completed(epochs: completed)
        case .stoppedEarly(let epoch):
            return .earlyStopping(epoch: epoch, restoredEpoch: restoredEpoch(callbacks))
        // The interrupted epoch (1-based, as Keras counts in its log) did not finish.
        case .interrupted(let epoch, _): return .interrupted(epoch: epoch, completedEpochs: max(0, min(completed, epoch - 1)))
        case .nonFiniteLoss(let epoch, let step): return .nonFiniteLoss(epoch: epoch, step: step)
        case .writeFailed(let epoch, let message): return .writeFailed(epoch: epoch, message: message)
        }
    }

    /// The epoch (from 1) whose weights EarlyStopping's restore_best_weights put back, if any.
    static func restoredEpoch(_ callbacks: [Callback]) -> Int? {
        let early = callbacks.lazy.compactMap { $0 as? EarlyStopping }.first
        return early.flatMap { $0.restoreBestWeights && $0.haveBestWeights ? $0.bestEpoch + 1 : nil }
    }

    var json: JSONValue {
        var stopFields: [(String, JSONValue)]
        switch stop {
        case .running: stopFields = [("reason", .string("running"))]
        case .completed(let epochs): stopFields = [("reason", .string("completed")), ("epochs", .int(epochs))]
        case .earlyStopping(let epoch, let restored):
            stopFields = [("reason", .string("early_stopping")), ("epoch", .int(epoch)),
                          ("restored_epoch", restored.map { .int($0) } ?? .null)]
        case .interrupted(let epoch, let completed):
            stopFields = [("reason", .string("interrupted")), ("epoch", .int(epoch)), ("completed_epochs", .int(completed))]
        case .nonFiniteLoss(let epoch, let step):
            stopFields = [("reason", .string("non_finite_loss")), ("epoch", .int(epoch)), ("step", .int(step))]
        case .writeFailed(let epoch, let message):
            stopFields = [("reason", .string("write_failed")), ("epoch", .int(epoch)), ("message", .string(message))]
        }
        return .object([
            ("modelc_version", .string(modelcVersion)),
            ("spec", .object([("path", .string(specPath)), ("text", .string(specText))])),
            ("command_line", .array(commandLine.map { .string($0) })),
            ("seed", .int(Int(seed))),
            ("seed_source", .string(seedSource)),
            ("threads", .int(threads)),
            ("batch_size", .int(batchSize)),
            ("epochs", .int(epochs)),
            ("data_files", .array(dataFiles.map { file in
                .object([("path", .string(file.path)), ("bytes", .int(file.size)), ("fnv1a64", .string(file.hash))])
            })),
            ("started", .string(Self.timestamp(started))),
            ("resumed_after_epoch", resumedAfterEpoch.map { .int($0) } ?? .null),
            ("ended", ended.map { .string(Self.timestamp($0)) } ?? .null),
            ("stop", .object(stopFields)),
        ])
    }

    func write(to path: String) throws(DataError) {
        try AtomicFile.write(json.rendered() + "\n", to: path)
    }

    /// `2026-12-02T11:45:03.250Z`.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
