import Foundation
import Testing
@testable import ModelC

/// Fixes with edits, applied to the spec they came from: the diagnostic must go away, and where the
/// fix is the whole story, the spec becomes valid.
struct DiagnosticFixTests {
    /// `text` with the edits applied (lines and columns from 1, columns in Unicode scalars).
    static func apply(_ edits: [TextEdit], to text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        for edit in edits.sorted(by: { $0.range.start > $1.range.start }) {
            let start = edit.range.start
            let end = edit.range.end
            let head = lines[start.line - 1].prefix(start.column - 1)
            let tail = lines[end.line - 1].dropFirst(end.column - 1)
            let replaced = (String(String.UnicodeScalarView(head)) + edit.newText + String(String.UnicodeScalarView(tail)))
                .split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
            lines.replaceSubrange((start.line - 1)...(end.line - 1), with: replaced)
        }
        return lines.map { String(String.UnicodeScalarView($0)) }.joined(separator: "\n")
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var spec: String
        var code: DiagnosticCode
        /// The spec after the fix, exactly.
        var fixed: String
        var testDescription: String { "\(code.id) \(fixed.prefix(40))" }
    }

    static let cases: [Case] = [
        Case(spec: "input: [4]\nlayers:\n  - Dens 1\n", code: .unknownLayer, fixed: "input: [4]\nlayers:\n  - Dense 1\n"),
        Case(spec: "input: [4]\nlayers:\n  - Dense: {units: 1, activaton: sigmoid}\n", code: .unknownArgument,
             fixed: "input: [4]\nlayers:\n  - Dense: {units: 1, activation: sigmoid}\n"),
        Case(spec: "input: [4]\nlayers:\n  - Dense 1 sigmod\n", code: .unknownArgument, fixed: "input: [4]\nlayers:\n  - Dense 1 sigmoid\n"),
        Case(spec: "input: [4]\nlayers:\n  - Dense: {units: 1, activation: sigmod}\n", code: .invalidArgumentValue,
             fixed: "input: [4]\nlayers:\n  - Dense: {units: 1, activation: sigmoid}\n"),
        Case(spec: "input: [10, 2]\nlayers:\n  - Conv1D: {filters: 2, kernel_size: 3, padding: sme}\n", code: .invalidArgumentValue,
             fixed: "input: [10, 2]\nlayers:\n  - Conv1D: {filters: 2, kernel_size: 3, padding: same}\n"),
        Case(spec: "input: [4]\nlayer: [Dense 1]\n", code: .unknownSection, fixed: "input: [4]\nlayers: [Dense 1]\n"),
        Case(spec: "input: [4]\nlayers: [Dense 1]\ncompile: {optimizer: adamm, loss: mse}\n", code: .unknownComponent,
             fixed: "input: [4]\nlayers: [Dense 1]\ncompile: {optimizer: adam, loss: mse}\n"),
        Case(spec: "input: [4]\nlayers: [Dense 1 sigmoid]\ncompile: {optimizer: adam, loss: binary_crossentropy, metrics: [accuracy]}\nfit:\n  epochs: 2\n  validation: {split: 0.2}\n  callbacks: [EarlyStopping: {monitor: val_acuracy}]\n",
             code: .monitorUnavailable,
             fixed: "input: [4]\nlayers: [Dense 1 sigmoid]\ncompile: {optimizer: adam, loss: binary_crossentropy, metrics: [accuracy]}\nfit:\n  epochs: 2\n  validation: {split: 0.2}\n  callbacks: [EarlyStopping: {monitor: val_accuracy}]\n"),
        Case(spec: "inputs: {feats: [4]}\nlayers:\n  - Dense: {units: 1, inputs: feets}\noutputs: [dense]\n", code: .unknownTensorName,
             fixed: "inputs: {feats: [4]}\nlayers:\n  - Dense: {units: 1, inputs: feats}\noutputs: [dense]\n"),
        Case(spec: "inputs: {x: [4]}\nlayers:\n  - Dense: {units: 1, inputs: x}\noutputs: [dens]\n", code: .invalidOutputs,
             fixed: "inputs: {x: [4]}\nlayers:\n  - Dense: {units: 1, inputs: x}\noutputs: [dense]\n"),
        // return_sequences in every form the previous layer can be written in.
        Case(spec: "input: [10]\nlayers:\n  - Embedding 100x8\n  - LSTM 8\n  - LSTM 4\n", code: .inputRank,
             fixed: "input: [10]\nlayers:\n  - Embedding 100x8\n  - LSTM 8 return_sequences\n  - LSTM 4\n"),
        Case(spec: "input: [10]\nlayers:\n  - Embedding 100x8\n  - \"GRU 8\"\n  - GRU 4\n", code: .inputRank,
             fixed: "input: [10]\nlayers:\n  - Embedding 100x8\n  - \"GRU 8 return_sequences\"\n  - GRU 4\n"),
        Case(spec: "input: [10]\nlayers:\n  - Embedding 100x8\n  - LSTM: {units: 8}\n  - LSTM 4\n", code: .inputRank,
             fixed: "input: [10]\nlayers:\n  - Embedding 100x8\n  - LSTM: {units: 8, return_sequences: true}\n  - LSTM 4\n"),
        Case(spec: "input: [10]\nlayers:\n  - Embedding 100x8\n  - LSTM: {units: 8, return_sequences: false}\n  - LSTM 4\n", code: .inputRank,
             fixed: "input: [10]\nlayers:\n  - Embedding 100x8\n  - LSTM: {units: 8, return_sequences: true}\n  - LSTM 4\n"),
        Case(spec: "input: [10]\nlayers:\n  - Embedding 100x8\n  - SimpleRNN:\n      units: 8\n      activation: tanh\n  - LSTM 4\n", code: .inputRank,
             fixed: "input: [10]\nlayers:\n  - Embedding 100x8\n  - SimpleRNN:\n      units: 8\n      activation: tanh\n      return_sequences: true\n  - LSTM 4\n"),
        Case(spec: "input: [10]\nlayers:\n  - Embedding 100x8\n  - LSTM 8 return_sequences\n  - RepeatVector 3\n", code: .inputRank,
             fixed: "input: [10]\nlayers:\n  - Embedding 100x8\n  - LSTM 8\n  - RepeatVector 3\n"),
        Case(spec: "layers:\n  - Dense 8\n  - Dense 1\n", code: .missingInput, fixed: "input: [8]\nlayers:\n  - Dense 8\n  - Dense 1\n"),
        // Indentation one column off, in both directions, for list items and keys.
        Case(spec: "input: [4]\nlayers:\n  - Dense 8 relu\n   - Dense 1 sigmoid\n", code: .yamlIndentation,
             fixed: "input: [4]\nlayers:\n  - Dense 8 relu\n  - Dense 1 sigmoid\n"),
        Case(spec: "input: [4]\nlayers:\n  - Dense 8 relu\n - Dense 1 sigmoid\n", code: .yamlIndentation,
             fixed: "input: [4]\nlayers:\n  - Dense 8 relu\n  - Dense 1 sigmoid\n"),
        Case(spec: "input: [4]\nlayers:\n  - Dense:\n      units: 8\n       activation: relu\n  - Dense 1\n", code: .yamlIndentation,
             fixed: "input: [4]\nlayers:\n  - Dense:\n      units: 8\n      activation: relu\n  - Dense 1\n"),
        Case(spec: "input: [4]\nlayers:\n  - Dense 8\ncompile:\n  optimizer: adam\n   loss: mse\n", code: .yamlIndentation,
             fixed: "input: [4]\nlayers:\n  - Dense 8\ncompile:\n  optimizer: adam\n  loss: mse\n"),
        Case(spec: "input: [100]\nlayers:\n  - Embedding 500x16\n  - LSTM 8\n  - Dense 1 sigmoid\ndata:\n  train: {csv: t.csv, text: text, labels: label}\n  text: {num_words: 1000}\n",
             code: .dataTextSettings,
             fixed: "input: [100]\nlayers:\n  - Embedding 500x16\n  - LSTM 8\n  - Dense 1 sigmoid\ndata:\n  train: {csv: t.csv, text: text, labels: label}\n  text: {num_words: 500}\n"),
    ]

    @Test(arguments: cases)
    func fixRemovesItsDiagnostic(_ example: Case) throws {
        let before = TestSupport.check(example.spec).diagnostics
        let diagnostic = try #require(before.first { $0.code == example.code }, "\(before.map(\.message))")
        let fix = try #require(diagnostic.fixes.first { !$0.edits.isEmpty }, "no fix with edits: \(diagnostic.message)")
        let fixed = Self.apply(fix.edits, to: example.spec)
        #expect(fixed == example.fixed)
        let after = TestSupport.check(fixed).diagnostics
        #expect(!after.contains { $0.code == example.code }, "\(after.map(\.message))")
    }

    /// The short form's flags can be removed too, and a wrapped layer gets the advice without an edit
    /// (its flag belongs to the layer inside, which the fix does not guess at).
    @Test func wrappedRecurrentLayerGetsNoEdit() throws {
        let spec = "input: [10]\nlayers:\n  - Embedding 100x8\n  - Bidirectional: {layer: {LSTM: {units: 4}}}\n  - LSTM 4\n"
        let diagnostic = try #require(TestSupport.check(spec).diagnostics.first { $0.code == .inputRank })
        #expect(diagnostic.message.contains("return_sequences: true"))
        #expect(diagnostic.fixes.allSatisfy { $0.edits.isEmpty })
    }

    @Test func textFormatPrintsFixesAsHelpLines() {
        let file = SourceFile(path: "s.yaml", text: "input: [4]\nlayers:\n  - Dens 1\n")
        let text = DiagnosticRenderer.render([FileDiagnostics(file: file, diagnostics: SpecChecker.check(file).diagnostics)], format: .text)
        #expect(text == """
            s.yaml:3:5: error: unknown layer 'Dens'; did you mean 'Dense'?
              - Dens 1
                ^~~~
            s.yaml:3:5: help: replace 'Dens' with 'Dense'

            """)
    }

    @Test func jsonCarriesFixEdits() throws {
        let file = SourceFile(path: "s.yaml", text: "input: [4]\nlayers:\n  - Dens 1\n")
        let json = DiagnosticRenderer.render([FileDiagnostics(file: file, diagnostics: SpecChecker.check(file).diagnostics)], format: .json)
        let items = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        let item = try #require(items.first)
        #expect(item["code"] as? String == "MC0301")
        #expect(item["name"] as? String == "unknown-layer")
        #expect(item["end_column"] as? Int == 9)
        let fix = try #require((item["fixes"] as? [[String: Any]])?.first)
        #expect(fix["title"] as? String == "replace 'Dens' with 'Dense'")
        let edit = try #require((fix["edits"] as? [[String: Any]])?.first)
        #expect(edit["line"] as? Int == 3 && edit["column"] as? Int == 5 && edit["end_column"] as? Int == 9)
        #expect(edit["new_text"] as? String == "Dense")
    }
}
