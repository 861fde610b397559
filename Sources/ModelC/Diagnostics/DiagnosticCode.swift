/// The stable codes of modelc's diagnostics, grouped by the stage that finds them:
/// MC00xx files, MC01xx YAML, MC02xx spec structure, MC03xx layers and arguments,
/// MC04xx shapes and graph, MC05xx compile and fit, MC06xx data, MC07xx runs and files.
/// The table (`DiagnosticCodeTable.swift`) gives each its number, a one-paragraph explanation and
/// an example; `modelc explain`, docs/diagnostics.md, SARIF rules and the language server read it.
public enum DiagnosticCode: String, CaseIterable, Sendable, Hashable {
    case unknownLayer
    case unknownArgument

    /// `MC0301`.
    public var id: String {
        let digits = String(entry.number)
        return "MC" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// The short name, `unknown-layer`.
    public var name: String {
        var result = ""
        for character in rawValue {
            if character.isUppercase || (character.isNumber && !(result.last?.isNumber ?? true)) {
                result += "-"
            }
            result += character.lowercased()
        }
        return result
    }

    /// One line: what the code means.
    public var summary: String { entry.summary }
    /// A paragraph: why modelc reports it and how to fix it.
    public var explanation: String { entry.explanation }
    /// A spec that gets this diagnostic.
    public var example: String { entry.example }

    /// The code with id `MC0301` or short name `unknown-layer`.
    public init?(lookup text: String) {
        let wanted = text.uppercased()
        guard let found = Self.allCases.first(where: { $0.id == wanted || $0.name == text.lowercased() }) else { return nil }
        self = found
    }
}

/// One row of the code table.
struct DiagnosticCodeEntry {
    var number: Int
    var summary: String
    var explanation: String
    var example: String
}
