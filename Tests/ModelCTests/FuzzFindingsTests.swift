import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

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

    // MARK: fuzz-vocabulary

    static func vocabularyFile(maxlen: Int) -> [UInt8] {
        Array(("{\"format\":\"modelc vocabulary\",\"version\":1,\"num_words\":null,\"maxlen\":\(maxlen),\"padding\":\"post\","
            + "\"truncating\":\"post\",\"value\":5,\"lowercase\":false,\"start_id\":1,\"out_of_vocabulary_id\":2,"
            + "\"first_word_id\":3,\"words\":[\"a\",\"b\"]}").utf8)
    }

    /// fuzz-vocabulary's input: maxlen 3,822,222,222,222 was accepted, and reading any text with it
    /// then asked for a row of that many floats (an allocation far beyond the address space).
    @Test func aVocabularyFileWithAHugeMaxlenIsDamaged() {
        #expect(throws: DataError.self) { try Vocabulary.decode(Self.vocabularyFile(maxlen: 3_822_222_222_222), path: "v.json") }
        #expect(throws: DataError.self) { try Vocabulary.decode(Self.vocabularyFile(maxlen: Vocabulary.maximumLength + 1), path: "v.json") }
        do {
            _ = try Vocabulary.decode(Self.vocabularyFile(maxlen: 3_822_222_222_222), path: "v.json")
        } catch {
            #expect(error.description == "v.json is a damaged vocabulary file: words, maxlen, padding, truncating, value or lowercase is missing or invalid")
        }
    }

    /// The largest maxlen a spec accepts still reads.
    @Test func aVocabularyFileWithTheLargestSpecMaxlenReads() throws {
        let vocabulary = try Vocabulary.decode(Self.vocabularyFile(maxlen: Vocabulary.maximumLength), path: "v.json")
        #expect(vocabulary.length == 1 << 20)
        #expect(vocabulary.sequences(["a b c"]).prefix(4) == [1, 3, 4, 2])
    }
}
