import Foundation
import Testing
@testable import ModelC

/// Every spec in Specs/, Specs/invalid/ and ../shared/keras-cases, mutated with seeded edits of the
/// kinds people and tools make (flipped bits, cut text, duplicated lines, stray brackets and quotes,
/// broken indentation, swapped values, absurd numbers, CR/NEL/LS/PS line breaks), must check without
/// crashing, within 5 s (a generous bound; each takes milliseconds), with every diagnostic on a line
/// of the file and the JSON diagnostics valid JSON; a model that results must render its summaries
/// (every layout, the cost table, JSON that parses).
@Suite struct SpecMutationPropertyTests {
    static let mutantsPerSpec = 4

    static let corpus: [String] = {
        let root = TestSupport.packageRoot
        var files = TestSupport.files(in: root + "/Specs", withExtension: "yaml")
            + TestSupport.files(in: root + "/Specs/invalid", withExtension: "yaml")
        let cases = TestSupport.sharedRoot + "/keras-cases"
        for folder in ((try? FileManager.default.contentsOfDirectory(atPath: cases)) ?? []).sorted() {
            files += TestSupport.files(in: cases + "/" + folder, withExtension: "yaml")
        }
        return files
    }()

    @Test func mutatedSpecsCheckQuicklyWithLocatedDiagnostics() throws {
        // An empty or unreadable corpus must fail, not pass vacuously.
        #expect(Self.corpus.count >= 150, "found only \(Self.corpus.count) specs")
        var mutants = 0
        var withErrors = 0
        var models = 0
        for path in Self.corpus {
            let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            let name = String(path.dropFirst(path.hasPrefix(TestSupport.packageRoot) ? TestSupport.packageRoot.count + 1 : 0))
            for index in 0..<Self.mutantsPerSpec {
                var random = SeededGenerator(seed: SeededGenerator.hash(name) &+ UInt64(index))
                let (bytes, edits) = SpecMutator.mutate(original, random: &random)
                let label = "\(name) mutant \(index) (\(edits.joined(separator: ", ")))"
                let outcome = Self.checkEverything(SourceFile(path: "mutant.yaml", bytes: bytes), label: label)
                mutants += 1
                if outcome.hasErrors { withErrors += 1 }
                if outcome.hasModel { models += 1 }
            }
        }
        // The mutations really break specs: most mutants must produce errors (measured: 95 %), and
        // some must still be valid models so that the summaries are exercised (measured: 5 %).
        #expect(mutants >= 300)
        #expect(withErrors * 2 >= mutants, "only \(withErrors) of \(mutants) mutants had errors")
        #expect(models * 50 >= mutants, "only \(models) of \(mutants) mutants were valid models")
    }

    /// Checks one mutant and the properties; returns whether it had errors and a model.
    static func checkEverything(_ file: SourceFile, label: String) -> (hasErrors: Bool, hasModel: Bool) {
        let clock = ContinuousClock()
        let start = clock.now
        let result = SpecChecker.check(file)
        let diagnostics = [FileDiagnostics(file: file, diagnostics: result.diagnostics)]
        let rendered = DiagnosticRenderer.render(diagnostics, format: .text, color: false)
        let renderedJSON = DiagnosticRenderer.render(diagnostics, format: .json, color: false)
        _ = DiagnosticRenderer.render(diagnostics, format: .github, color: false)
        var summaries = ("", "")
        if let model = result.model {
            summaries = (SummaryLayout.allCases.map { KerasSummary.render(model, layout: $0) }.joined() + CostTable.render(model),
                         SummaryJSON.render(model))
        }
        let elapsed = clock.now - start
        #expect(elapsed < .seconds(5), "\(label) took \(elapsed)")
        for diagnostic in result.diagnostics {
            for located in [diagnostic] + diagnostic.notes {
                let at = located.range.start
                #expect(at.line >= 1 && at.column >= 1 && file.line(at.line) != nil,
                        "\(label): \(located.severity) at \(at) is outside the file: \(located.message)\n\(excerpt(file))")
            }
        }
        if result.hasErrors {
            #expect(rendered.contains("mutant.yaml:") && rendered.contains(": error: "), "\(label): errors render as\n\(rendered)")
        }
        #expect((try? JSONSerialization.jsonObject(with: Data(renderedJSON.utf8))) != nil,
                "\(label): the JSON diagnostics do not parse:\n\(renderedJSON)")
        if result.model != nil {
            #expect(!summaries.0.isEmpty, "\(label): empty text summary")
            #expect((try? JSONSerialization.jsonObject(with: Data(summaries.1.utf8))) != nil,
                    "\(label): the JSON summary does not parse:\n\(summaries.1)")
        }
        return (result.hasErrors, result.model != nil)
    }

    /// The mutant's start, for failure messages.
    static func excerpt(_ file: SourceFile) -> String {
        String(decoding: file.bytes.prefix(600), as: UTF8.self)
    }

    @Test func theMutatorIsDeterministicAndChangesTheText() {
        let spec = Array("input: [8]\nlayers:\n  - Dense 4 relu\n  - Dense: {units: 2, activation: softmax}\n".utf8)
        var first = SeededGenerator(seed: 7), second = SeededGenerator(seed: 7)
        var changed = 0
        for _ in 0..<50 {
            let a = SpecMutator.mutate(spec, random: &first), b = SpecMutator.mutate(spec, random: &second)
            #expect(a.bytes == b.bytes && a.edits == b.edits)
            if a.bytes != spec { changed += 1 }
        }
        #expect(changed >= 45)
    }
}

extension SeededGenerator {
    /// FNV-1a of the text: a seed that, unlike `hashValue`, is the same in every process.
    static func hash(_ text: String) -> UInt64 {
        text.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }
}
