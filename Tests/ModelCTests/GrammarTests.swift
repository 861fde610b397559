import Testing
@testable import ModelC

/// Grammar.md must stay the truth: its reference part is what the catalogue generates, its YAML
/// examples check, and its shorthand table means what it says.
@Suite struct GrammarTests {
    static let grammar = TestSupport.read(TestSupport.packageRoot + "/Grammar.md")

    @Test func referenceIsWhatTheCatalogueGenerates() throws {
        let begin = try #require(Self.grammar.range(of: GrammarReference.beginMarker))
        let generated = String(Self.grammar[begin.lowerBound...])
        #expect(generated == GrammarReference.markdown(),
                "Grammar.md's reference is stale: regenerate it with `modelc reference`")
    }

    @Test func referenceListsEveryLayerArgumentAndComponent() {
        let reference = GrammarReference.markdown()
        for descriptor in LayerCatalog.all {
            #expect(reference.contains("### \(descriptor.className)\n"))
            for argument in descriptor.ownArguments {
                #expect(reference.contains("| `\(argument.name)` |"), "\(descriptor.className).\(argument.name)")
            }
        }
        for catalog in [optimizerCatalog, lossCatalog, metricCatalog, callbackCatalog] {
            for descriptor in catalog.all { #expect(reference.contains("#### \(descriptor.className)")) }
        }
        for activation in Activation.allCases { #expect(reference.contains("| `\(activation.rawValue)` |")) }
    }

    /// Every ```yaml block in Grammar.md and README.md is a valid spec.
    @Test func yamlExamplesCheck() {
        for document in ["Grammar.md", "README.md"] {
            let text = TestSupport.read(TestSupport.packageRoot + "/" + document)
            let blocks = text.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
            #expect(!blocks.isEmpty, "\(document) has no yaml examples")
            for block in blocks {
                let result = TestSupport.check(block)
                #expect(!result.hasErrors, "\(document): \(result.diagnostics.map(\.message))\n\(block)")
            }
        }
    }

    /// The shorthand table's two columns resolve to the same arguments.
    @Test func shorthandTableRowsAreEquivalent() throws {
        let rows = Self.grammar.split(separator: "\n").filter { $0.hasPrefix("| `") && $0.contains("` | `") && $0.contains(": {") }
        #expect(rows.count >= 9)
        for row in rows {
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: " `") }
            let shorthand = cells[0], keyword = cells[1]
            let input = shorthand.hasPrefix("Embedding") ? "[100]" : (shorthand.hasPrefix("Dense") || shorthand.hasPrefix("Dropout") ? "[8]" : "[10, 8]")
            let a = try #require(TestSupport.model("input: \(input)\nlayers:\n  - \(shorthand)\n"), "\(shorthand)")
            let b = try #require(TestSupport.model("input: \(input)\nlayers:\n  - \(keyword)\n"), "\(keyword)")
            #expect(a.layers[0].arguments.values == b.layers[0].arguments.values, "\(shorthand) vs \(keyword)")
            #expect(a.layers[0].inner?.arguments.values == b.layers[0].inner?.arguments.values)
        }
    }
}
