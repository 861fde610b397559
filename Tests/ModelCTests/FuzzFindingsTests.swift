import Foundation
import Testing
@testable import ModelC

/// Inputs the libFuzzer targets (Fuzz/, Scripts/fuzz.sh) found, each kept as a regression test
/// beside the smallest input that shows the same defect. docs/fuzzing.md lists the runs.
@Suite struct FuzzFindingsTests {
    // MARK: fuzz-spec

    /// libyaml moves to a line after the last one before ending a file that has no final line
    /// break; a problem found there was reported on a line the file does not have (2:1 here), so no
    /// source line or caret could be shown.
    @Test func aProblemAtTheEndOfAFileWithoutAFinalBreakPointsAfterItsLastCharacter() throws {
        let file = SourceFile(path: "spec.yaml", text: "a: [1, 2")
        let errors = SpecChecker.check(file).diagnostics.filter { $0.severity == .error }
        let error = try #require(errors.first)
        #expect(error.range.start == SourceLocation(line: 1, column: 9))
        let rendered = DiagnosticRenderer.render([FileDiagnostics(file: file, diagnostics: errors)], format: .text, color: false)
        #expect(rendered.contains("spec.yaml:1:9: error: expected ',' or ']' in the flow collection that starts at line 1"))
        #expect(rendered.contains("a: [1, 2\n        ^"))
    }

    /// The input fuzz-spec found: the flow sequence on line 3 never closes; the file ends in a comment.
    @Test func theFuzzedFlowSequenceErrorIsOnTheFilesLastLine() throws {
        let text = "# Many-to-one reglession (shared/seeds/001): ,5,6 → *7;thatR would expand to billions of n\n"
            + "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a,  would expand s.\n# Th, *a, e`s"
        let file = SourceFile(path: "spec.yaml", text: text)
        let diagnostics = SpecChecker.check(file).diagnostics
        #expect(!diagnostics.isEmpty)
        for diagnostic in diagnostics {
            #expect(file.line(diagnostic.range.start.line) != nil, "\(diagnostic.range.start): \(diagnostic.message)")
        }
        #expect(diagnostics.first?.range.start == SourceLocation(line: 4, column: 14))
    }

    /// A file that does end with a line break keeps libyaml's location: the empty line after it.
    @Test func aProblemAfterAFinalBreakStaysOnTheEmptyLastLine() throws {
        let file = SourceFile(path: "spec.yaml", text: "a: [1, 2\n")
        let error = try #require(SpecChecker.check(file).diagnostics.first)
        #expect(error.range.start == SourceLocation(line: 2, column: 1))
        #expect(file.line(2) == "")
    }
}
