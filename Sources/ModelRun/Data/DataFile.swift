import Foundation

/// Reads a data file whole, with messages that name the path as given and say what to do.
enum DataFile {
    /// The bytes of `path`; `what` names the kind of file in messages ("the .npy file", "the CSV file").
    static func read(_ path: String, what: String) throws(DataError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR {
                throw DataError("Cannot find \(what) \(path): there is no file at that path. Check the path (relative paths are resolved against the spec's folder).")
            }
            throw DataError("Cannot open \(what) \(path): \(String(cString: strerror(code))). Check the file's permissions.")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw DataError("Cannot read \(what) \(path): \(String(cString: strerror(errno))).")
        }
        guard status.st_mode & S_IFMT != S_IFDIR else {
            throw DataError("\(path) is a folder, not \(what); give the path of the file itself.")
        }
        guard status.st_size <= Int64(maximumSize) else {
            throw DataError("\(what.prefix(1).uppercased() + what.dropFirst()) \(path) is \(status.st_size >> 30) GiB; modelc reads data files of at most \(maximumSize >> 30) GiB. Use a smaller sample of the data.")
        }
        let size = Int(status.st_size)
        var failure: Int32 = 0
        // One read into the final array: no intermediate Data copy of a possibly large file.
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            while initialized < size {
                let count = Foundation.read(descriptor, buffer.baseAddress! + initialized, size - initialized)
                if count < 0, errno == EINTR { continue }
                if count < 0 { failure = errno; break }
                if count == 0 { break }
                initialized += count
            }
        }
        guard failure == 0 else {
            throw DataError("Cannot read \(what) \(path): \(String(cString: strerror(failure))).")
        }
        return bytes
    }

    /// Larger files would not fit comfortably in memory next to the model on the target machines.
    static let maximumSize = 4 << 30
}
