import Testing
@testable import ModelC

/// Every summary table printed in the seed documents, reproduced from the matching spec in Specs/.
/// The tables are read from ../shared/seeds itself, so the expectation is the seed, not a copy.
@Suite struct SeedGoldenTests {
    enum Comparison {
        /// Byte for byte, trailing blanks aside.
        case exact
        /// The seed's blog lost its runs of blanks and blank rows; compare words per line.
        case collapsedWhitespace
    }

    struct Table: CustomTestStringConvertible, Sendable {
        var seed: String
        var model: String
        /// Which table with that model name (a seed may print "sequential" twice).
        var occurrence: Int
        var spec: String
        var layout: SummaryLayout
        var comparison: Comparison

        var testDescription: String { "\(spec) vs \(seed) \"\(model)\" #\(occurrence)" }
    }

    static let tables: [Table] = [
        Table(seed: "000_236d4b68f9d21419.txt", model: "sequential", occurrence: 0, spec: "imdb_lstm.yaml", layout: .legacy, comparison: .exact),
        Table(seed: "000_236d4b68f9d21419.txt", model: "sequential_2", occurrence: 0, spec: "imdb_lstm_stacked.yaml", layout: .legacy, comparison: .exact),
        Table(seed: "000_236d4b68f9d21419.txt", model: "sequential_3", occurrence: 0, spec: "imdb_gru.yaml", layout: .legacy, comparison: .exact),
        Table(seed: "001_2d28c90334467d5f.txt", model: "sequential", occurrence: 0, spec: "lstm_3_units.yaml", layout: .keras, comparison: .exact),
        Table(seed: "001_2d28c90334467d5f.txt", model: "sequential", occurrence: 1, spec: "many_to_one.yaml", layout: .keras, comparison: .exact),
        Table(seed: "001_2d28c90334467d5f.txt", model: "model", occurrence: 0, spec: "model_2_functional_lstm.yaml", layout: .keras, comparison: .exact),
        Table(seed: "002_e69d9d60989b9ccf.txt", model: "sequential", occurrence: 0, spec: "simple_rnn_flatten.yaml", layout: .keras, comparison: .collapsedWhitespace),
        Table(seed: "002_e69d9d60989b9ccf.txt", model: "sequential", occurrence: 1, spec: "lstm_flatten_named.yaml", layout: .keras, comparison: .collapsedWhitespace),
        Table(seed: "004_7c7df19d77609a91.txt", model: "sequential", occurrence: 0, spec: "imdb_lstm.yaml", layout: .keras, comparison: .exact),
    ]

    /// The seed's table: from its `Model: "name"` line to the totals and, when the seed kept it, the
    /// closing rule; the document's own indentation removed.
    static func seedTable(_ table: Table) -> [String]? {
        let lines = TestSupport.read(TestSupport.sharedRoot + "/seeds/" + table.seed)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = "Model: \"\(table.model)\""
        let starts = lines.indices.filter { lines[$0].trimmingCharacters(in: " ") == header }
        guard table.occurrence < starts.count else { return nil }
        let start = starts[table.occurrence]
        let indent = lines[start].prefix { $0 == " " }.count
        var result: [String] = []
        for line in lines[start...] {
            let unindented = String(line.dropFirst(min(indent, line.prefix { $0 == " " }.count)))
            if let last = result.last, last.hasPrefix("Non-trainable params:") {
                let rule = unindented.trimmingCharacters(in: " ")
                if rule.count >= 65, rule.allSatisfy({ $0 == "_" }) { result.append(unindented) }
                break
            }
            result.append(unindented)
        }
        return result
    }

    static func normalized(_ lines: [String], _ comparison: Comparison) -> [String] {
        switch comparison {
        case .exact:
            return lines.map { String($0.reversed().drop { $0 == " " }.reversed()) }
        case .collapsedWhitespace:
            return lines.map { $0.split(separator: " ").joined(separator: " ") }.filter { !$0.isEmpty }
        }
    }

    @Test(arguments: tables)
    func seedTableIsReproduced(_ table: Table) throws {
        let expected = try #require(Self.seedTable(table), "table not found in the seed")
        let file = SourceFile(path: table.spec, text: TestSupport.read(TestSupport.packageRoot + "/Specs/" + table.spec))
        let result = SpecChecker.check(file)
        let model = try #require(result.model, "\(result.diagnostics.map(\.message))")
        let rendered = KerasSummary.render(model, layout: table.layout)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let ours = Self.normalized(rendered, table.comparison)
        let theirs = Self.normalized(expected, table.comparison)
        // A seed that stopped before the closing rule is compared over what it printed.
        #expect(Array(ours.prefix(theirs.count)) == theirs)
        #expect(theirs.count >= 10)
    }

    /// The seed models without a printed table still have the seed's parameter counts.
    @Test(arguments: [
        ("imdb_lstm_dropout.yaml", 8_809), ("sarcasm_bilstm.yaml", 165_041), ("sarcasm_bilstm_stacked.yaml", 171_313),
    ])
    func seedModelsWithoutTablesHaveKerasCounts(_ spec: String, _ total: Int) throws {
        let model = try #require(TestSupport.model(TestSupport.read(TestSupport.packageRoot + "/Specs/" + spec)))
        #expect(model.parameterCount == total)
        #expect(model.nonTrainableParameterCount == 0)
    }

    /// The wrapping example: Keras breaks a long "name (Class)" after 26 characters.
    @Test func sarcasmSummaryWrapsLikeKeras() throws {
        let model = try #require(TestSupport.model(TestSupport.read(TestSupport.packageRoot + "/Specs/sarcasm_bilstm_stacked.yaml")))
        let text = KerasSummary.render(model)
        #expect(text.contains(" bidirectional (Bidirection  (None, 120, 32)           4224      \n al)                                                             \n"))
    }
}
