import Foundation

/// What `modelc check` prints and how it exits, computed without touching the process.
public struct CommandOutcome: Sendable, Equatable {
    public var standardOutput: String
    public var standardError: String
    /// 0: all valid; 1: an error (or, with warnings as errors, a warning); 2: usage error.
    public var exitCode: Int32

    public init(standardOutput: String = "", standardError: String = "", exitCode: Int32) {
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.exitCode = exitCode
    }
}

/// `modelc check PATH...`: every spec under the paths, every diagnostic, one exit code.
public enum CheckCommand {
    /// What checks a valid spec's data files: given the check's result and the spec's path (as
    /// opened), the diagnostics to add. The CLI passes ModelRun's DataFileCheck; nil checks no files.
    public typealias DataCheck = (SpecChecker.Result, String) -> [Diagnostic]

    /// `cost` adds, in the text format, each valid spec's memory estimate (MemoryReport).
    public static func run(paths: [String], format: DiagnosticFormat, warningsAsErrors: Bool = false,
                           color: Bool = false, cost: Bool = false, in directory: String? = nil,
                           dataCheck: DataCheck? = nil) -> CommandOutcome {
        let (files, missing, empty) = SpecFiles.collect(paths, in: directory)
        if !missing.isEmpty || !empty.isEmpty {
            let messages = missing.map { "error: no such file or directory: \($0)" }
                + empty.map { "error: no .yaml or .yml spec files under \($0)" }
            return CommandOutcome(standardError: messages.joined(separator: "\n") + "\n", exitCode: 2)
        }
        var results: [FileDiagnostics] = []
        var costs = ""
        for path in files {
            switch SpecFiles.load(path, in: directory) {
            case .success(let file):
                let checked = SpecChecker.check(file)
                var diagnostics = checked.diagnostics
                if let dataCheck, checked.model != nil {
                    let opened = directory.map { path.hasPrefix("/") ? path : $0 + "/" + path } ?? path
                    // In source order, the data's diagnostics among the spec's own.
                    diagnostics = (diagnostics + dataCheck(checked, opened)).enumerated()
                        .sorted { ($0.element.range.start, $0.offset) < ($1.element.range.start, $1.offset) }.map(\.element)
                }
                results.append(FileDiagnostics(file: file, diagnostics: diagnostics))
                if cost, let model = checked.model { costs += "\(path): " + MemoryReport.render(model) }
            case .failure(let diagnostic):
                results.append(FileDiagnostics(file: SourceFile(path: path, bytes: []), diagnostics: [diagnostic]))
            }
        }
        let root = directory ?? FileManager.default.currentDirectoryPath
        var output = DiagnosticRenderer.render(results, format: format, color: color, root: root)
        let errors = results.reduce(0) { $0 + $1.errorCount }
        let warnings = results.reduce(0) { $0 + $1.warningCount }
        if format == .text {
            output += costs
            output += "checked \(count(files.count, "spec")): \(count(errors, "error")), \(count(warnings, "warning"))\n"
        }
        let failed = errors > 0 || (warningsAsErrors && warnings > 0)
        return CommandOutcome(standardOutput: output, exitCode: failed ? 1 : 0)
    }

    static func count(_ value: Int, _ noun: String) -> String {
        "\(value) \(noun)\(value == 1 ? "" : "s")"
    }
}
