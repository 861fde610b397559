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

    /// Reads a file's bytes; on failure, a diagnostic at 1:1 says why.
    public static func load(_ path: String, in directory: String? = nil) -> Result<SourceFile, Diagnostic> {
        guard let data = FileManager.default.contents(atPath: resolve(path, in: directory)) else {
            return .failure(.error("cannot read \(path); check that it is a readable file",
                                   at: SourceRange(at: SourceLocation(line: 1, column: 1))))
        }
        return .success(SourceFile(path: path, bytes: [UInt8](data)))
    }

    static func resolve(_ path: String, in directory: String?) -> String {
        guard let directory, !path.hasPrefix("/") else { return path }
        return directory + "/" + path
    }
}
