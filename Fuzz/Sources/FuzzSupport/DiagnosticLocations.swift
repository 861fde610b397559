import ModelC

/// Stops the process (a libFuzzer finding) unless every diagnostic and note points into the
/// source: line and column from 1, and a line `file` can quote under the message.
public func requireLocated(_ diagnostics: [Diagnostic], in file: SourceFile) {
    for diagnostic in diagnostics {
        for located in [diagnostic] + diagnostic.notes {
            let start = located.range.start
            guard start.line >= 1, start.column >= 1 else {
                fatalError("diagnostic at \(start) (before 1:1): \(located.message)")
            }
            guard file.line(start.line) != nil else {
                fatalError("diagnostic at \(start), past the file's last line: \(located.message)")
            }
        }
    }
}
