import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Writes a file by writing a temporary file in the same folder and renaming it over the target,
/// so a crash, kill -9 or Ctrl-C never leaves a torn file behind, and a failed write leaves the
/// previous version in place.
///
/// The temporary is modelc's own (`.modelc-tmp-<name>-<pid>-<random>`, opened exclusively, never
/// through a symlink), written, fsync'ed and renamed; then the folder is fsync'ed so the rename
/// survives a power cut. A later run recognises leftovers by the prefix and removes them.
public enum AtomicFile {
    /// The name prefix of modelc's temporaries.
    public static let temporaryPrefix = ".modelc-tmp-"

    /// For tests: target paths whose next writes fail with this errno as the OS would fail them
    /// (ENOSPC, EROFS, EIO, ...).
    public static let injectedFailures = Mutex<[String: Int32]>([:])

    public static func write(_ bytes: [UInt8], to path: String) throws(DataError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        try makeDirectory(directory)
        let temporary = directory + "/" + temporaryPrefix + url.lastPathComponent + "-\(getpid())-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure(path, errno: errno) }
        // An injected failure stands for write(2) failing, after the temporary exists.
        var code = injectedFailures.withLock { $0[path] } ?? writeAll(bytes, to: descriptor)
        // Delayed allocation can report a full disk only at fsync or close.
        if code == 0, fsync(descriptor) != 0 { code = errno }
        if close(descriptor) != 0, code == 0 { code = errno }
        if code != 0 {
            unlink(temporary)
            throw failure(path, errno: code)
        }
        guard rename(temporary, path) == 0 else {
            let reason = errno
            unlink(temporary)
            throw failure(path, errno: reason)
        }
        let folder = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }

    /// Writes every byte to `descriptor`; 0, or the errno of the write that failed.
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Int32 {
        bytes.withUnsafeBytes { raw in
            var written = 0
            while written < raw.count {
                let count = Glibc.write(descriptor, raw.baseAddress! + written, min(raw.count - written, 1 << 30))
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += count
            }
            return 0
        }
    }

    public static func write(_ text: String, to path: String) throws(DataError) {
        try write(Array(text.utf8), to: path)
    }

    /// `mkdir -p`, with the OS's reason when a part cannot be made (a file in the way, read-only).
    public static func makeDirectory(_ path: String) throws(DataError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw DataError("cannot use \(path) as a folder: it is a file") }
            return
        }
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if parent != path, !parent.isEmpty { try makeDirectory(parent) }
        if mkdir(path, 0o755) != 0, errno != EEXIST {
            throw DataError("cannot create the folder \(path): \(String(cString: strerror(errno)))")
        }
    }

    static func failure(_ path: String, errno code: Int32) -> DataError {
        DataError("cannot write \(path): \(String(cString: strerror(code)))")
    }
}
