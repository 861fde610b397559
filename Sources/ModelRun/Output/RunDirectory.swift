import Foundation
import ModelC

#if canImport(Glibc)
import Glibc
#endif

/// The folder one training writes into, held for the length of the run.
///
/// Opening it does everything that can fail before the first step rather than after the last: it
/// makes the folder, proves it writable, takes an advisory lock (so a second training into the same
/// folder is refused at once, naming the first), and removes the temporaries a killed run left.
/// Paths inside it are checked so that no write goes through a symlink within the folder.
public final class RunDirectory {
    public let path: String
    private let lock: Int32

    static let lockName = RunFileNames.lock

    /// Leftover temporaries removed on opening.
    public private(set) var removedTemporaries = 0

    public init(_ path: String) throws(DataError) {
        self.path = path
        var status = stat()
        if lstat(path, &status) == 0, (status.st_mode & S_IFMT) != S_IFDIR, (status.st_mode & S_IFMT) != S_IFLNK {
            throw DataError("the run directory \(path) is a file, not a folder; choose another --run-dir")
        }
        do {
            try AtomicFile.makeDirectory(path)
        } catch {
            throw DataError("cannot use the run directory: \(error.description)")
        }
        let lockPath = path + "/" + Self.lockName
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw DataError("cannot write into the run directory \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = pread(descriptor, &buffer, buffer.count, 0)
            close(descriptor)
            let pid = count > 0 ? String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
            let who = Int(pid).map { "another modelc (pid \($0))" } ?? "another modelc"
            throw DataError("\(who) is training into \(path); wait for it to finish or choose another --run-dir")
        }
        lock = descriptor
        let pid = Array("\(getpid())\n".utf8)
        if ftruncate(descriptor, 0) != 0 || pwrite(descriptor, pid, pid.count, 0) != pid.count || fsync(descriptor) != 0 {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw DataError("cannot write into the run directory \(path): \(reason)")
        }
        removedTemporaries = Self.removeTemporaries(in: path, depth: 0)
    }

    deinit { close(lock) }

    /// The path of `relative` (a file name, or a relative path of folders and a file) inside the run
    /// directory, refused when it leaves the folder, takes one of the run's own names (when
    /// `checkpoint`), or passes through a folder that is a symlink inside the run directory.
    public func file(_ relative: String, checkpoint: Bool = false) throws(DataError) -> String {
        let parts = relative.split(separator: "/", omittingEmptySubsequences: true).map(String.init).filter { $0 != "." }
        guard !relative.hasPrefix("/"), !parts.isEmpty, !parts.contains("..") else {
            throw DataError("'\(relative)' must be a relative path inside the run directory \(path)")
        }
        if checkpoint, parts.count == 1, RunFileNames.own.contains(parts[0]) || parts[0].hasPrefix(AtomicFile.temporaryPrefix) {
            throw DataError("the checkpoint name '\(relative)' is one of the run's own files (\(RunFileNames.listed)); choose another filepath")
        }
        // Folders on the way must be real folders; the file itself may be a symlink, which the
        // rename of the write replaces (its target is never written).
        var current = path
        for part in parts.dropLast() {
            current += "/" + part
            var status = stat()
            if lstat(current, &status) == 0, (status.st_mode & S_IFMT) == S_IFLNK {
                throw DataError("\(current) is a symlink; modelc does not write through symlinks inside the run directory")
            }
        }
        return current + "/" + parts[parts.count - 1]
    }

    /// Unlinks `.modelc-tmp-*` files below `folder` (not following symlinks); returns how many.
    static func removeTemporaries(in folder: String, depth: Int) -> Int {
        guard depth < 8, let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return 0 }
        var removed = 0
        for name in names {
            let child = folder + "/" + name
            var status = stat()
            guard lstat(child, &status) == 0 else { continue }
            switch status.st_mode & S_IFMT {
            case S_IFREG where name.hasPrefix(AtomicFile.temporaryPrefix):
                if unlink(child) == 0 { removed += 1 }
            case S_IFDIR:
                removed += removeTemporaries(in: child, depth: depth + 1)
            default:
                break
            }
        }
        return removed
    }
}
