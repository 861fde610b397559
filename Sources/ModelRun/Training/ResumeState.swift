import Foundation
import ModelC

/// Everything a training needs to continue from the end of an epoch exactly as if it had never
/// stopped: weights, every optimizer slot and the iteration count, the learning rate, each
/// callback's state (best values, wait counts, kept weights), the history, and what the run was
/// started with, so that a resume with another spec, data, seed or batch size is refused.
///
/// Shuffling and dropout need no state: their streams are functions of (seed, epoch, step), and
/// the shuffle order is replayed. One safetensors file (tensors plus a JSON record in its
/// metadata), written atomically at every epoch end.
public struct ResumeState {
    public static let fileName = RunFileNames.resumeState
    static let metadataKey = "modelc_resume"
    static let formatVersion = 1

    // What the run was started with.
    public var specText: String
    public var dataFiles: [DataFingerprint]
    public var seed: UInt64
    public var batchSize: Int
    public var epochs: Int

    // Where it got to.
    public var completedEpochs: Int
    /// True once training ended by itself: all epochs run, or stopped early.
    public var finished: Bool
    public var iterations: Int
    /// The optimizer's float32 learning rate.
    public var learningRate: Float
    public var history: History
    public var callbacks: [CallbackState]
    /// "weights/<parameter>", "optimizer/<slot>", "last_good/<parameter>" (the weights before the
    /// last update, which a broken first step of the next epoch rolls back to).
    public var tensors: [String: [Float]]

    /// Reads a state file; `file` names it in messages.
    public static func read(_ path: String) throws(DataError) -> ResumeState {
        let bytes = try DataFile.read(path, what: "the resume state", origin: .commandLine)
        let decoded: (tensors: [String: SafeTensors.Tensor], metadata: [String: String])
        do {
            decoded = try SafeTensors.decodeWithMetadata(bytes, file: path)
        } catch {
            throw DataError(error.description)
        }
        guard let text = decoded.metadata[metadataKey],
              let record = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw DataError("\(path) is not a modelc resume state (no \(metadataKey) record)")
        }
        func field<T>(_ name: String, _ type: T.Type) throws(DataError) -> T {
            guard let value = record[name] as? T else { throw DataError("\(path): the resume record lacks \(name) or it is malformed") }
            return value
        }
        guard (record["version"] as? Int) == formatVersion else {
            throw DataError("\(path) is a resume state of another modelc version; start the run again")
        }
        let historyRecord = try field("history", [String: Any].self)
        guard let names = historyRecord["names"] as? [String], let rows = historyRecord["rows"] as? [[String: String]],
              let seconds = historyRecord["seconds"] as? [String], rows.count == seconds.count else {
            throw DataError("\(path): the resume record's history is malformed")
        }
        var epochs: [[String: Double]] = []
        for row in rows {
            var values: [String: Double] = [:]
            for (name, bits) in row { values[name] = try double(bits, path) }
            epochs.append(values)
        }
        var secondsValues: [Double] = []
        for value in seconds { secondsValues.append(try double(value, path)) }
        var callbacks: [CallbackState] = []
        for entry in try field("callbacks", [[String: Any]].self) {
            guard let numbers = entry["numbers"] as? [String: String], let count = entry["tensors"] as? Int else {
                throw DataError("\(path): the resume record's callbacks are malformed")
            }
            var state = CallbackState()
            for (name, bits) in numbers { state.numbers[name] = try double(bits, path) }
            for index in 0..<max(count, 0) {
                guard let tensor = decoded.tensors["callback/\(callbacks.count)/\(index)"] else {
                    throw DataError("\(path) lacks the tensor callback/\(callbacks.count)/\(index)")
                }
                state.tensors.append(tensor.values)
            }
            callbacks.append(state)
        }
        var files: [DataFingerprint] = []
        for entry in try field("data", [[String: Any]].self) {
            guard let file = entry["path"] as? String, let size = entry["size"] as? Int, let hash = entry["hash"] as? String else {
                throw DataError("\(path): the resume record's data files are malformed")
            }
            files.append(DataFingerprint(path: file, size: size, hash: hash))
        }
        guard let seed = UInt64(try field("seed", String.self)), let rate = UInt32(try field("learning_rate", String.self), radix: 16) else {
            throw DataError("\(path): the resume record's seed or learning rate is malformed")
        }
        return ResumeState(
            specText: try field("spec", String.self), dataFiles: files, seed: seed,
            batchSize: try field("batch_size", Int.self), epochs: try field("epochs", Int.self),
            completedEpochs: try field("completed_epochs", Int.self), finished: try field("finished", Bool.self),
            iterations: try field("iterations", Int.self), learningRate: Float(bitPattern: rate),
            history: History(names: names, epochs: epochs, seconds: secondsValues), callbacks: callbacks,
            tensors: decoded.tensors.filter { !$0.key.hasPrefix("callback/") }.mapValues(\.values))
    }

    /// The file's bytes: tensors in name order, the record in the metadata.
    public func encoded(shapes: [String: [Int]]) -> [UInt8] {
        func bits(_ value: Double) -> JSONValue { .string(String(value.bitPattern, radix: 16)) }
        let history: JSONValue = .object([
            ("names", .array(self.history.names.map { .string($0) })),
            ("rows", .array(self.history.epochs.map { row in .object(row.sorted { $0.key < $1.key }.map { ($0.key, bits($0.value)) }) })),
            ("seconds", .array(self.history.seconds.map(bits))),
        ])
        let record: JSONValue = .object([
            ("version", .int(Self.formatVersion)),
            ("spec", .string(specText)),
            ("data", .array(dataFiles.map { .object([("path", .string($0.path)), ("size", .int($0.size)), ("hash", .string($0.hash))]) })),
            ("seed", .string(String(seed))),
            ("batch_size", .int(batchSize)),
            ("epochs", .int(epochs)),
            ("completed_epochs", .int(completedEpochs)),
            ("finished", .bool(finished)),
            ("iterations", .int(iterations)),
            ("learning_rate", .string(String(learningRate.bitPattern, radix: 16))),
            ("history", history),
            ("callbacks", .array(callbacks.map { state in
                .object([("numbers", .object(state.numbers.sorted { $0.key < $1.key }.map { ($0.key, bits($0.value)) })),
                         ("tensors", .int(state.tensors.count))])
            })),
        ])
        var all: [(name: String, tensor: SafeTensors.Tensor)] = tensors.sorted { $0.key < $1.key }.map { name, values in
            (name, SafeTensors.Tensor(shape: shapes[name] ?? [values.count], values: values))
        }
        for (index, state) in callbacks.enumerated() {
            for (slot, values) in state.tensors.enumerated() {
                all.append(("callback/\(index)/\(slot)", SafeTensors.Tensor(shape: [values.count], values: values)))
            }
        }
        return SafeTensors.encode(all, metadata: ["producer": "modelc", Self.metadataKey: record.rendered(indent: nil)])
    }

    static func double(_ bits: String, _ path: String) throws(DataError) -> Double {
        guard let pattern = UInt64(bits, radix: 16) else { throw DataError("\(path): the resume record holds a malformed number '\(bits.prefix(20))'") }
        return Double(bitPattern: pattern)
    }

    /// Why this state cannot continue a run of `spec` on `data` with these options, or nil.
    public func mismatch(specText other: String, dataFiles current: [DataFingerprint], seed: UInt64?, batchSize: Int) -> String? {
        if other != specText {
            let old = specText.split(separator: "\n", omittingEmptySubsequences: false)
            let new = other.split(separator: "\n", omittingEmptySubsequences: false)
            let line = (0..<min(old.count, new.count)).first { old[$0] != new[$0] } ?? min(old.count, new.count)
            let was = line < old.count ? "`\(old[line].trimmingCharacters(in: .whitespaces))`" : "the end of the file"
            let now = line < new.count ? "`\(new[line].trimmingCharacters(in: .whitespaces))`" : "the end of the file"
            return "the spec changed since the run started: line \(line + 1) was \(was), now \(now); resume with the spec as it was, or start a new run"
        }
        for file in current {
            guard let saved = dataFiles.first(where: { $0.path == file.path }) else {
                return "the data changed since the run started: \(file.path) was not read then"
            }
            if saved.size != file.size {
                return "the data changed since the run started: \(file.path) had \(saved.size) bytes, now \(file.size)"
            }
            if saved.hash != file.hash {
                return "the data changed since the run started: \(file.path) has the same size but other contents"
            }
        }
        if let missing = dataFiles.first(where: { saved in !current.contains { $0.path == saved.path } }) {
            return "the data changed since the run started: \(missing.path) is no longer read"
        }
        if let seed, seed != self.seed { return "the run started with seed \(self.seed), not \(seed); drop --seed or give --seed \(self.seed)" }
        if batchSize != self.batchSize { return "the run trained with batch size \(self.batchSize), not \(batchSize); drop --batch-size or give --batch-size \(self.batchSize)" }
        return nil
    }
}

/// A data file as a run read it: its path (as resolved), size in bytes and a content hash.
public struct DataFingerprint: Sendable, Equatable {
    public var path: String
    public var size: Int
    /// FNV-1a 64 of the contents, hex.
    public var hash: String

    /// Fingerprints of the file or folder `written` (as the spec gives it, resolved against `root`);
    /// a folder gives one per regular file below it, in name order.
    public static func of(_ written: String, root: String) throws(DataError) -> [DataFingerprint] {
        let path = DataLoader.resolve(written, root: root)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
        if isDirectory.boolValue {
            let names = (FileManager.default.subpaths(atPath: path) ?? []).sorted()
            var all: [DataFingerprint] = []
            for name in names {
                var inner: ObjCBool = false
                if FileManager.default.fileExists(atPath: path + "/" + name, isDirectory: &inner), !inner.boolValue {
                    all += try of(written + "/" + name, root: root)
                }
            }
            return all
        }
        let bytes = try DataFile.read(path, what: "the data file")
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return [DataFingerprint(path: written, size: bytes.count, hash: String(hash, radix: 16))]
    }
}

extension DataConfig {
    /// The files the splits read, as given (relative to the data root).
    public var filePaths: [String] {
        var paths: [String] = []
        func add(_ path: String) { if !paths.contains(path) { paths.append(path) } }
        func add(_ source: ArraySource) {
            switch source {
            case .npy(let path), .npz(let path, _): add(path)
            case .inline: break
            }
        }
        for split in [train, validation, test].compactMap({ $0?.series }) {
            switch split {
            case .windowed: break
            case .arrays(let x, let y):
                add(x)
                if let y { add(y) }
            case .csv(let path, _, _, _): add(path)
            case .text(let source): add(source.label)
            case .named(let x, let y):
                for tensor in x + y.compactMap({ $0 }) {
                    switch tensor {
                    case .array(let source): add(source)
                    case .columns(let path, _), .text(let path, _): add(path)
                    }
                }
            }
        }
        return paths
    }
}
