/// How serious a diagnostic is. Errors make `check` fail; warnings flag legal but suspicious specs.
public enum Severity: String, Sendable, Comparable {
    case error
    case warning
    case note

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .note: 2
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// One message about a spec, located like a compiler diagnostic: what `check`, the language server
/// and SARIF all render from.
public struct Diagnostic: Error, Sendable, Equatable {
    public var severity: Severity
    /// The stable code (`MC0301`) and short name from `DiagnosticCode`'s table; nil only for notes.
    public var code: DiagnosticCode?
    public var message: String
    public var range: SourceRange
    /// Follow-up notes, each with its own location (e.g. where a duplicate name was first used).
    public var notes: [Diagnostic]
    /// Ways to fix it, as data: a title, and the text edits when the fix is mechanical.
    public var fixes: [Fix]

    public init(_ severity: Severity, _ code: DiagnosticCode?, _ message: String, at range: SourceRange,
                notes: [Diagnostic] = [], fixes: [Fix] = []) {
        self.severity = severity
        self.code = code
        self.message = message
        self.range = range
        self.notes = notes
        self.fixes = fixes
    }

    public static func error(_ code: DiagnosticCode, _ message: String, at range: SourceRange,
                             notes: [Diagnostic] = [], fixes: [Fix] = []) -> Diagnostic {
        Diagnostic(.error, code, message, at: range, notes: notes, fixes: fixes)
    }

    public static func warning(_ code: DiagnosticCode, _ message: String, at range: SourceRange,
                               notes: [Diagnostic] = [], fixes: [Fix] = []) -> Diagnostic {
        Diagnostic(.warning, code, message, at: range, notes: notes, fixes: fixes)
    }

    /// A note under another diagnostic, located where it points.
    public static func note(_ message: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.note, nil, message, at: range)
    }

    /// The same diagnostic with one more fix.
    public func fixed(by fix: Fix?) -> Diagnostic {
        guard let fix else { return self }
        var copy = self
        copy.fixes.append(fix)
        return copy
    }
}

/// Replaces the text of `range` with `newText`; an empty range inserts.
public struct TextEdit: Sendable, Equatable {
    public var range: SourceRange
    public var newText: String

    public init(_ range: SourceRange, _ newText: String) {
        self.range = range
        self.newText = newText
    }
}

/// One way to fix a diagnostic: what to do, and the edits that do it when they are mechanical
/// (empty when the fix needs a decision only the user can make).
public struct Fix: Sendable, Equatable {
    public var title: String
    public var edits: [TextEdit]

    public init(_ title: String, edits: [TextEdit] = []) {
        self.title = title
        self.edits = edits
    }

    /// `replace 'x' with 'y'`, as a did-you-mean offers.
    public static func replace(_ range: SourceRange, _ old: String, with new: String) -> Fix {
        Fix("replace '\(Excerpt.of(old, limit: 40))' with '\(new)'", edits: [TextEdit(range, new)])
    }
}

/// Collects the diagnostics of one file as the pipeline finds them.
public struct DiagnosticBag: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public mutating func append(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }

    public mutating func append(contentsOf more: [Diagnostic]) {
        diagnostics.append(contentsOf: more)
    }

    public mutating func error(_ code: DiagnosticCode, _ message: String, at range: SourceRange,
                               notes: [Diagnostic] = [], fixes: [Fix] = []) {
        diagnostics.append(.error(code, message, at: range, notes: notes, fixes: fixes))
    }

    public mutating func warning(_ code: DiagnosticCode, _ message: String, at range: SourceRange,
                                 notes: [Diagnostic] = [], fixes: [Fix] = []) {
        diagnostics.append(.warning(code, message, at: range, notes: notes, fixes: fixes))
    }

    /// Diagnostics in source order; ties keep the order they were found in.
    public var sorted: [Diagnostic] {
        diagnostics.enumerated()
            .sorted { ($0.element.range.start, $0.offset) < ($1.element.range.start, $1.offset) }
            .map(\.element)
    }
}

/// The diagnostics of one spec file, ready for rendering.
public struct FileDiagnostics: Sendable {
    public var file: SourceFile
    public var diagnostics: [Diagnostic]

    public init(file: SourceFile, diagnostics: [Diagnostic]) {
        self.file = file
        self.diagnostics = diagnostics
    }

    public var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
    public var warningCount: Int { diagnostics.filter { $0.severity == .warning }.count }
}
