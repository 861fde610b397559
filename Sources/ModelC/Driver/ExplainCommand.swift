/// `modelc explain [CODE]`: one code's entry, or the list of all.
public enum ExplainCommand {
    public static func run(code: String?, markdown: Bool = false) -> CommandOutcome {
        if markdown { return CommandOutcome(standardOutput: DiagnosticsReference.markdown(), exitCode: 0) }
        guard let code else { return CommandOutcome(standardOutput: DiagnosticsReference.list(), exitCode: 0) }
        guard let found = DiagnosticCode(lookup: code) else {
            let known = DiagnosticCode.allCases.flatMap { [$0.id, $0.name] }
            let hint = Suggestion.phrase(for: code, among: known)
            return CommandOutcome(standardError: "error: '\(Excerpt.of(code, limit: 40))' is no diagnostic code\(hint); `modelc explain` lists them\n",
                                  exitCode: 2)
        }
        return CommandOutcome(standardOutput: DiagnosticsReference.text(found), exitCode: 0)
    }
}
