/// Formats of `modelc summary`.
public enum SummaryFormat: String, CaseIterable, Sendable {
    case text
    case json
}

/// `modelc summary SPEC`: Keras's summary of a valid spec, or its diagnostics.
public enum SummaryCommand {
    public static func run(path: String, format: SummaryFormat, layout: SummaryLayout = .keras,
                           cost: Bool = false, color: Bool = false, in directory: String? = nil) -> CommandOutcome {
        let file: SourceFile
        switch SpecFiles.load(path, in: directory) {
        case .success(let loaded): file = loaded
        case .failure(let diagnostic):
            return CommandOutcome(standardError: "error: \(diagnostic.message)\n", exitCode: 2)
        }
        let result = SpecChecker.check(file)
        let diagnostics = DiagnosticRenderer.render([FileDiagnostics(file: file, diagnostics: result.diagnostics)],
                                                    format: .text, color: color)
        guard let model = result.model else {
            return CommandOutcome(standardError: diagnostics, exitCode: 1)
        }
        var output: String
        switch format {
        case .text:
            output = KerasSummary.render(model, layout: layout)
            if cost { output += "\n" + CostTable.render(model) + "\n" + MemoryReport.render(model) }
        case .json:
            output = SummaryJSON.render(model)
        }
        return CommandOutcome(standardOutput: output, standardError: diagnostics, exitCode: 0)
    }
}

/// The version `modelc --version` prints.
public let modelcVersion = "0.1.0"
