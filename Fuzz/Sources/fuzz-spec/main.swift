import FuzzSupport
import ModelC

/// A spec file: read, check, render the diagnostics (all located) in every format, and when a model
/// results, its summaries (every layout, the cost table, JSON).
func fuzzSpec(_ bytes: [UInt8]) {
    let file = SourceFile(path: "fuzz.yaml", bytes: bytes)
    let result = SpecChecker.check(file)
    requireLocated(result.diagnostics, in: file)
    for format in DiagnosticFormat.allCases {
        _ = DiagnosticRenderer.render([FileDiagnostics(file: file, diagnostics: result.diagnostics)], format: format, color: false)
    }
    if let model = result.model {
        for layout in SummaryLayout.allCases { _ = KerasSummary.render(model, layout: layout) }
        _ = CostTable.render(model)
        _ = SummaryJSON.render(model)
    }
}

runFuzzer(seeds: specSeeds) { data, size in
    fuzzSpec(fuzzBytes(data, size))
    return 0
}
