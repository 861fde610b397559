extension DiagnosticCode {
    /// The table: one entry per code.
    var entry: DiagnosticCodeEntry {
        switch self {
        case .unknownLayer:
            DiagnosticCodeEntry(number: 301, summary: "unknown layer class", explanation: "", example: "")
        case .unknownArgument:
            DiagnosticCodeEntry(number: 302, summary: "unknown argument", explanation: "", example: "")
        }
    }
}
