import Foundation

/// Reads a whole file, refusing anything that is not a regular file before it can block or flood
/// memory: the one reader behind specs, CSV, .npy, .npz, text, vocabulary and weights files.
///
/// A FIFO opened for reading blocks until some process opens its other end, a character device such
/// as /dev/zero never ends, and a 200 MB "spec" used to be read whole before its size was refused.
/// So the path is stat'ed first (type and size are refused from the metadata alone), then opened
/// with O_NONBLOCK, so that a file swapped for a FIFO after the stat still cannot block the open,
/// and checked again on the open descriptor. Reading stops one byte past the limit, so a file that
/// grows (or a /proc file that reports size 0) cannot exceed it either.
public enum RegularFile {
    /// Why a file was not read.
    public enum Failure: Error, Equatable, Sendable {
        /// Nothing at the path (ENOENT, ENOTDIR).
        case missing
        /// Something that is not a regular file: "a FIFO", "a directory", "a character device",
        /// "a block device", "a socket".
        case notRegular(String)
        /// The file holds more than `limit` bytes (`size` as stat reports it, or as far as it was read).
        case tooLarge(size: Int64, limit: Int)
        /// The system refused: permissions, I/O errors (strerror's text).
        case unreadable(String)
    }

    /// The bytes of the regular file at `path`, at most `limit` of them.
    public static func read(_ path: String, limit: Int) -> Result<[UInt8], Failure> {
        var status = stat()
        guard stat(path, &status) == 0 else { return .failure(failure(errno)) }
        if let problem = check(status, limit: limit) { return .failure(problem) }
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(failure(errno)) }
        defer { close(descriptor) }
        guard fstat(descriptor, &status) == 0 else { return .failure(.unreadable(String(cString: strerror(errno)))) }
        if let problem = check(status, limit: limit) { return .failure(problem) }
        return readAll(descriptor, expected: Int(status.st_size), limit: limit)
    }

    /// What a mode is when it is not a regular file, for messages ("a FIFO"); nil for a regular file.
    public static func kind(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "not a regular file"
        }
    }

    private static func check(_ status: stat, limit: Int) -> Failure? {
        if let kind = kind(status.st_mode) { return .notRegular(kind) }
        if status.st_size > Int64(limit) { return .tooLarge(size: Int64(status.st_size), limit: limit) }
        return nil
    }

    private static func failure(_ code: Int32) -> Failure {
        code == ENOENT || code == ENOTDIR ? .missing : .unreadable(String(cString: strerror(code)))
    }

    /// Reads to the end of the file; `expected` (the stat size) sizes the first buffer, so a regular
    /// file is read with one allocation, no zero-filling and no copy.
    private static func readAll(_ descriptor: Int32, expected: Int, limit: Int) -> Result<[UInt8], Failure> {
        var result: [UInt8] = []
        var capacity = min(max(expected, 0), limit) + 1
        while true {
            var failure: Int32 = 0
            var ended = false
            let chunk = [UInt8](unsafeUninitializedCapacity: capacity - result.count) { buffer, initialized in
                while initialized < buffer.count {
                    let count = Foundation.read(descriptor, buffer.baseAddress! + initialized, buffer.count - initialized)
                    if count < 0, errno == EINTR { continue }
                    if count < 0 { failure = errno; break }
                    if count == 0 { ended = true; break }
                    initialized += count
                }
            }
            if failure != 0 { return .failure(.unreadable(String(cString: strerror(failure)))) }
            if result.isEmpty { result = chunk } else { result += chunk }
            if result.count > limit { return .failure(.tooLarge(size: Int64(result.count), limit: limit)) }
            if ended { return .success(result) }
            // More than stat said (a growing file, or a /proc file that reports 0): grow, up to one past the limit.
            capacity = min(max(capacity * 2, 4096), limit + 1)
        }
    }
}

extension RegularFile.Failure {
    /// The reason as a clause after the path: "is a FIFO, not a regular file".
    public var reason: String {
        switch self {
        case .missing: "does not exist"
        case .notRegular(let kind): "is \(kind), not a regular file"
        case .tooLarge(let size, let limit): "is \(size) bytes; modelc reads at most \(limit) bytes here"
        case .unreadable(let why): "cannot be read: \(why)"
        }
    }
}
