import Foundation

/// Finds and reads spec files for the command-line tool.
public enum SpecFiles {
    /// Files named on the command line, and every `*.yaml`/`*.yml` under named directories
    /// (hidden entries skipped), sorted within each directory. Paths that do not exist are returned
    /// in `missing` so the caller can report a usage error.
    /// Relative paths resolve against `directory` when given (tests), else the working directory;
    /// they are returned as written, so diagnostics show the path the user typed.
    public static func collect(_ paths: [String], in directory: String? = nil) -> (files: [String], missing: [String], empty: [String]) {
        var files: [String] = []
        var missing: [String] = []
        var empty: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: resolve(path, in: directory), isDirectory: &isDirectory) else {
                missing.append(path)
                continue
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            var found: [String] = []
            let base = path.hasSuffix("/") ? String(path.dropLast()) : path
            if let enumerator = manager.enumerator(atPath: resolve(path, in: directory)) {
                while let relative = enumerator.nextObject() as? String {
                    let name = (relative as NSString).lastPathComponent
                    if name.hasPrefix(".") {
                        enumerator.skipDescendants()
                        continue
                    }
                    if relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") {
                        var nested: ObjCBool = false
                        let full = base + "/" + relative
                        if manager.fileExists(atPath: resolve(full, in: directory), isDirectory: &nested), !nested.boolValue {
                            found.append(full)
                        }
                    }
                }
            }
            if found.isEmpty { empty.append(path) }
            files += found.sorted()
        }
        return (files, missing, empty)
    }

    /// Reads a file's bytes; on failure, a diagnostic at 1:1 says why. The size and the kind of file
    /// are checked before anything is read: a FIFO or device is refused instead of blocking, and a
    /// 200 MB file instead of being read whole first.
    public static func load(_ path: String, in directory: String? = nil) -> Result<SourceFile, Diagnostic> {
        let start = SourceRange(at: SourceLocation(line: 1, column: 1))
        switch RegularFile.read(resolve(path, in: directory), limit: YAMLReader.maximumBytes) {
        case .success(let bytes):
            return .success(SourceFile(path: path, bytes: bytes))
        case .failure(.tooLarge(let size, let limit)):
            return .failure(.error(.specFileTooLarge, "spec file is \(size) bytes; modelc reads specs of at most \(limit) bytes", at: start))
        case .failure(.notRegular(let kind)):
            return .failure(.error(.specFileUnreadable, "\(Excerpt.escaped(path)) is \(kind), not a regular file; give the path of a spec file", at: start))
        case .failure(.missing):
            return .failure(.error(.specFileUnreadable, "cannot read \(Excerpt.escaped(path)): there is no file at that path", at: start))
        case .failure(.unreadable(let reason)):
            return .failure(.error(.specFileUnreadable, "cannot read \(Excerpt.escaped(path)): \(reason); check that it is a readable file", at: start))
        }
    }

    static func resolve(_ path: String, in directory: String?) -> String {
        guard let directory, !path.hasPrefix("/") else { return path }
        return directory + "/" + path
    }
}
