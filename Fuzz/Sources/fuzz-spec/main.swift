import FuzzSupport
import ModelC

/// A spec file: read, check, render the diagnostics (all located), and when a model results, both summaries.
/// Its seeds are the spec files Scripts/fuzz.sh copies in.
func fuzzSpec(_ bytes: [UInt8]) {
    let file = SourceFile(path: "fuzz.yaml", bytes: bytes)
    let result = SpecChecker.check(file)
    requireLocated(result.diagnostics, in: file)
    _ = DiagnosticRenderer.render([FileDiagnostics(file: file, diagnostics: result.diagnostics)], format: .text, color: false)
    if let model = result.model {
        _ = KerasSummary.render(model)
        _ = SummaryJSON.render(model)
    }
}

runFuzzer { data, size in
    fuzzSpec(fuzzBytes(data, size))
    return 0
}
