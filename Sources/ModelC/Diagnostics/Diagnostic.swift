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

/// One message about a spec, located like a compiler diagnostic.
public struct Diagnostic: Error, Sendable, Equatable {
    public var severity: Severity
    public var message: String
    public var range: SourceRange
    /// Follow-up notes, each with its own location (e.g. where a duplicate name was first used).
    public var notes: [Diagnostic]

    public init(_ severity: Severity, _ message: String, at range: SourceRange, notes: [Diagnostic] = []) {
        self.severity = severity
        self.message = message
        self.range = range
        self.notes = notes
    }

    public static func error(_ message: String, at range: SourceRange, notes: [Diagnostic] = []) -> Diagnostic {
        Diagnostic(.error, message, at: range, notes: notes)
    }

    public static func warning(_ message: String, at range: SourceRange, notes: [Diagnostic] = []) -> Diagnostic {
        Diagnostic(.warning, message, at: range, notes: notes)
    }

    public static func note(_ message: String, at range: SourceRange) -> Diagnostic {
        Diagnostic(.note, message, at: range)
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

    public mutating func error(_ message: String, at range: SourceRange, notes: [Diagnostic] = []) {
        diagnostics.append(.error(message, at: range, notes: notes))
    }

    public mutating func warning(_ message: String, at range: SourceRange) {
        diagnostics.append(.warning(message, at: range))
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
