import ModelC

/// Reads a data file whole, with messages that name the path as given and say what to do. Every
/// file modelc runs on (CSV, .npy, .npz, text, vocabulary, weights) goes through here and so through
/// `RegularFile.read`: a FIFO, device, socket or folder is refused without blocking, and a file's
/// size is checked before it is read.
enum DataFile {
    /// Where a path came from, for the hint in a "cannot find" message.
    enum Origin {
        /// Written in the spec: relative paths start at the spec's folder (or --data).
        case spec
        /// Given on the command line: relative paths start at the current folder.
        case commandLine
    }

    /// The bytes of `path`; `what` names the kind of file in messages ("the .npy file", "the CSV file").
    static func read(_ path: String, what: String, origin: Origin = .spec) throws(DataError) -> [UInt8] {
        switch RegularFile.read(path, limit: maximumSize) {
        case .success(let bytes):
            return bytes
        case .failure(.missing):
            let hint = origin == .spec ? " (relative paths are resolved against the spec's folder)" : ""
            throw DataError("Cannot find \(what) \(shown(path)): there is no file at that path. Check the path\(hint).")
        case .failure(.notRegular("a directory")):
            throw DataError("\(shown(path)) is a folder, not \(what); give the path of the file itself.")
        case .failure(.notRegular(let kind)):
            throw DataError("\(shown(path)) is \(kind), not a regular file; modelc reads \(what) only from a regular file, so save the data to one first.")
        case .failure(.tooLarge(let size, _)):
            throw DataError("\(what.prefix(1).uppercased() + what.dropFirst()) \(shown(path)) is \(size >> 30) GiB; modelc reads data files of at most \(maximumSize >> 30) GiB. Use a smaller sample of the data.")
        case .failure(.unreadable(let reason)):
            throw DataError("Cannot read \(what) \(shown(path)): \(reason). Check the file's permissions.")
        }
    }

    /// A path for a message: as given, with invisible characters escaped.
    static func shown(_ path: String) -> String { Excerpt.escaped(path) }

    /// Larger files would not fit comfortably in memory next to the model on the target machines.
    static let maximumSize = 4 << 30
}
