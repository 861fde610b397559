import Foundation
import ModelC
import Synchronization
import SwiftProtobuf

#if canImport(Glibc)
import Glibc
#endif

/// An append-only TensorFlow event file (`events.out.tfevents.<time>.<host>.<pid>.<n>.v2`): TFRecord
/// framing of serialized `Event` messages, the first one `file_version: "brain.Event:2"`.
///
/// Events are buffered and written whole: a failed write is cut back to the last whole record
/// (ftruncate), so the file always ends on a record boundary, and `flush(sync: true)` fsyncs it.
/// TensorBoard reads a file while it grows; it is never rewritten, only appended to, and (for a
/// resumed run) cut back to the length it had at the end of the last completed epoch.
final class EventFileWriter {
    let path: String
    /// Bytes of whole records on disk.
    private(set) var length: Int
    private var pending: [UInt8] = []
    private let descriptor: Int32

    /// The `<n>` of the names: file writers made by this process, as TensorFlow counts them.
    static let counter = Mutex(0)

    /// The name TensorFlow's file writer gives an event file made now by this process.
    static func fileName(time: Double) -> String {
        var host = [CChar](repeating: 0, count: 256)
        let hostName = gethostname(&host, host.count) == 0 ? String(cString: host) : "localhost"
        let number = counter.withLock { value in
            defer { value += 1 }
            return value
        }
        return "events.out.tfevents.\(Int(time)).\(hostName).\(getpid()).\(number).v2"
    }

    /// Starts a new file at `path` (which must not exist) with the file_version event.
    init(creating path: String, wallTime: Double) throws(DataError) {
        self.path = path
        try AtomicFile.makeDirectory(URL(fileURLWithPath: path).deletingLastPathComponent().path)
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw DataError("cannot create \(path): \(String(cString: strerror(errno)))") }
        length = 0
        var first = Tensorflow_Event()
        // TensorFlow writes the first event's time as whole seconds.
        first.wallTime = wallTime.rounded(.down)
        first.fileVersion = "brain.Event:2"
        first.sourceMetadata.writer = "modelc"
        do {
            try add(first)
            try flush(sync: true)
        } catch {
            close(descriptor)
            unlink(path)
            throw error
        }
    }

    /// Continues the file at `path`, cut back to its first `length` bytes (what a resumed run's
    /// last completed epoch had written; later bytes are the unfinished epoch's).
    init(continuing path: String, length: Int) throws(DataError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { throw DataError("cannot continue \(path): \(String(cString: strerror(errno)))") }
        var status = stat()
        guard fstat(descriptor, &status) == 0, Int(status.st_size) >= length, ftruncate(descriptor, off_t(length)) == 0 else {
            close(descriptor)
            throw DataError("cannot continue \(path): it is shorter than the \(length) bytes the resume state recorded")
        }
        self.length = length
    }

    deinit { close(descriptor) }

    /// Buffers one event (written at the next flush).
    func add(_ event: Tensorflow_Event) throws(DataError) {
        let bytes: [UInt8]
        do {
            bytes = try event.serializedBytes()
        } catch {
            throw DataError("cannot encode an event for \(path): \(error)")
        }
        pending += TFRecord.frame(bytes)
    }

    /// Bytes buffered and not yet written.
    var pendingCount: Int { pending.count }

    /// Writes what is buffered; with `sync`, also fsyncs. A failed write leaves the file as it was.
    func flush(sync: Bool) throws(DataError) {
        if !pending.isEmpty {
            let code = write(pending)
            if code != 0 {
                _ = ftruncate(descriptor, off_t(length))
                pending = []
                throw DataError("cannot write \(path): \(String(cString: strerror(code)))")
            }
            length += pending.count
            pending = []
        }
        if sync, fsync(descriptor) != 0 {
            throw DataError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Writes `bytes` at the end of the whole records; 0, or the errno of the failure.
    private func write(_ bytes: [UInt8]) -> Int32 {
        // An injected failure (tests) on the file or its folder stands for a write that stops halfway.
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let injected = AtomicFile.injectedFailures.withLock { $0[path] ?? $0[folder] }
        return bytes.withUnsafeBytes { raw in
            let total = injected == nil ? raw.count : raw.count / 2
            var written = 0
            while written < total {
                let count = pwrite(descriptor, raw.baseAddress! + written, total - written, off_t(length + written))
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += count
            }
            return injected ?? 0
        }
    }
}

/// The events tf_keras's TensorBoard callback writes (tf.summary v2 scalars: a float32 tensor with
/// the "scalars" plugin's metadata, TensorBoard's current form).
enum TensorBoardEvents {
    static func scalar(_ tag: String, _ value: Double, step: Int, wallTime: Double) -> Tensorflow_Event {
        var tensor = Tensorflow_TensorProto()
        tensor.dtype = .dtFloat
        tensor.tensorShape = Tensorflow_TensorShapeProto()
        tensor.tensorContent = withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { Data($0) }
        var entry = Tensorflow_Summary.Value()
        entry.tag = tag
        entry.tensor = tensor
        entry.metadata.pluginData.pluginName = "scalars"
        return event(entry, step: step, wallTime: wallTime)
    }

    /// The model's Keras config (`model.to_json()`), as tf_keras's `keras_model_summary` writes it
    /// under the tag "keras" for TensorBoard's graph plugin.
    static func kerasModel(_ json: String, wallTime: Double) -> Tensorflow_Event {
        var tensor = Tensorflow_TensorProto()
        tensor.dtype = .dtString
        tensor.tensorShape = Tensorflow_TensorShapeProto()
        tensor.stringVal = [Data(json.utf8)]
        var entry = Tensorflow_Summary.Value()
        entry.tag = "keras"
        entry.tensor = tensor
        entry.metadata.pluginData.pluginName = "graph_keras_model"
        entry.metadata.pluginData.content = Data("1".utf8)
        return event(entry, step: 0, wallTime: wallTime)
    }

    static func event(_ value: Tensorflow_Summary.Value, step: Int, wallTime: Double) -> Tensorflow_Event {
        var event = Tensorflow_Event()
        event.wallTime = wallTime
        event.step = Int64(step)
        event.summary.value = [value]
        return event
    }
}
