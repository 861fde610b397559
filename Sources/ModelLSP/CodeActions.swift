import ModelC

/// `textDocument/codeAction`: the diagnostics' fixes with edits as quick fixes (WorkspaceEdits).
enum CodeActions {
    static func actions(_ analysis: Analysis, in range: SourceRange) -> [[String: Any]] {
        var actions: [[String: Any]] = []
        for diagnostic in analysis.result.diagnostics where overlaps(diagnostic.range, range) {
            for fix in diagnostic.fixes where !fix.edits.isEmpty {
                let edits = fix.edits.map { ["range": analysis.map.range($0.range), "newText": $0.newText] as [String: Any] }
                actions.append([
                    "title": fix.title,
                    "kind": "quickfix",
                    "diagnostics": [Diagnostics.json(diagnostic, map: analysis.map, uri: analysis.uri)],
                    "isPreferred": diagnostic.fixes.first == fix,
                    "edit": ["changes": [analysis.uri: edits]],
                ])
            }
        }
        return actions
    }

    /// Ranges that share a character, or touch when one is empty (a cursor).
    static func overlaps(_ a: SourceRange, _ b: SourceRange) -> Bool {
        a.start <= b.end && b.start <= a.end
    }
}

/// Diagnostics as LSP sends them: range, severity, code with its description, source, message and
/// the notes as related information.
enum Diagnostics {
    static func json(_ diagnostic: Diagnostic, map: PositionMap, uri: String) -> [String: Any] {
        var object: [String: Any] = [
            "range": map.range(diagnostic.range),
            "severity": diagnostic.severity == .error ? 1 : diagnostic.severity == .warning ? 2 : 3,
            "source": "modelc",
            "message": diagnostic.message,
        ]
        // The code; `modelc explain CODE` (and docs/diagnostics.md) explains it.
        if let code = diagnostic.code { object["code"] = code.id }
        if !diagnostic.notes.isEmpty {
            object["relatedInformation"] = diagnostic.notes.map { note in
                ["location": ["uri": uri, "range": map.range(note.range)], "message": note.message] as [String: Any]
            }
        }
        return object
    }
}
