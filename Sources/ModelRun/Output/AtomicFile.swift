import Foundation

/// Writes a file by writing a temporary file in the same folder and renaming it over the target,
/// so a crash or Ctrl-C never leaves a torn file behind.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws(DataError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw DataError("cannot create the folder \(directory.path): \(error.localizedDescription)")
        }
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(bytes)) else {
            throw DataError("cannot write \(temporary.path)")
        }
        if let handle = FileHandle(forUpdatingAtPath: temporary.path) {
            try? handle.synchronize()
            try? handle.close()
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw DataError("cannot move the new \(url.lastPathComponent) into place: \(reason)")
        }
    }

    public static func write(_ text: String, to path: String) throws(DataError) {
        try write(Array(text.utf8), to: path)
    }

    /// Reads a whole file, naming the path tried when it is missing.
    public static func read(_ path: String, what: String = "file") throws(DataError) -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw DataError("\(what) not found: \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError("cannot read \(what) \(path)")
        }
        return [UInt8](data)
    }
}
