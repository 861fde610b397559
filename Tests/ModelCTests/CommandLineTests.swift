import Foundation
import Testing
@testable import ModelC

/// The built `modelc` executable: subcommands, exit codes and where output goes.
@Suite struct CommandLineTests {
    @Test func versionPrintsTheLibraryVersion() throws {
        let result = try TestSupport.run(["--version"])
        #expect(result.code == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == modelcVersion)
    }

    @Test(arguments: [["--help"], ["check", "--help"], ["summary", "--help"], ["reference", "--help"], ["schema", "--help"]])
    func helpIsAvailableForEveryCommand(_ arguments: [String]) throws {
        let result = try TestSupport.run(arguments)
        #expect(result.code == 0)
        #expect(result.stdout.contains("USAGE: modelc"))
        if arguments.first == "check" { #expect(result.stdout.contains("--format") && result.stdout.contains("github")) }
        if arguments.first == "summary" { #expect(result.stdout.contains("--layout") && result.stdout.contains("--cost")) }
    }

    @Test(arguments: [["check"], ["check", "Specs/no-such.yaml"], ["frobnicate"], ["summary", "--format", "yaml", "Specs/imdb_lstm.yaml"], ["check", "--format", "xml", "Specs"]])
    func usageErrorsExitWithTwo(_ arguments: [String]) throws {
        let result = try TestSupport.run(arguments)
        #expect(result.code == 2)
        #expect(result.stdout.isEmpty)
        #expect(!result.stderr.isEmpty)
    }

    @Test func checkExitsZeroForValidAndOneForInvalidSpecs() throws {
        let valid = try TestSupport.run(["check", "--no-data", "Specs/imdb_lstm.yaml", "Specs/many_to_one.yaml"])
        #expect(valid.code == 0)
        #expect(valid.stdout == "checked 2 specs: 0 errors, 0 warnings\n")
        let invalid = try TestSupport.run(["check", "--color", "never", "Specs/invalid/rnn_needs_sequences.yaml"])
        #expect(invalid.code == 1)
        #expect(invalid.stdout == TestSupport.read(TestSupport.packageRoot + "/Specs/invalid/rnn_needs_sequences.expected"))
        let mixed = try TestSupport.run(["check", "--no-data", "Specs/imdb_lstm.yaml", "Specs/invalid/missing_input.yaml"])
        #expect(mixed.code == 1)
    }

    @Test func colorIsOptIn() throws {
        let colored = try TestSupport.run(["check", "--color", "always", "Specs/invalid/rnn_needs_sequences.yaml"])
        #expect(colored.stdout.contains("\u{1B}[1;31merror:"))
        let piped = try TestSupport.run(["check", "Specs/invalid/rnn_needs_sequences.yaml"])
        #expect(!piped.stdout.contains("\u{1B}"))
    }

    @Test func summaryPrintsKerasTableAndExtras() throws {
        let text = try TestSupport.run(["summary", "Specs/imdb_lstm.yaml"])
        #expect(text.code == 0)
        let model = try #require(TestSupport.model(TestSupport.read(TestSupport.packageRoot + "/Specs/imdb_lstm.yaml")))
        #expect(text.stdout == KerasSummary.render(model))
        let legacy = try TestSupport.run(["summary", "--layout", "legacy", "Specs/imdb_lstm.yaml"])
        #expect(legacy.stdout == KerasSummary.render(model, layout: .legacy))
        let cost = try TestSupport.run(["summary", "--cost", "Specs/imdb_lstm.yaml"])
        #expect(cost.stdout.hasPrefix(text.stdout))
        #expect(cost.stdout.contains("Mult-adds per sample: 76,808 (76.81 K)"))
        #expect(cost.stdout.contains("Weight bytes (float32): 35,236 (34.41 KiB)"))
        let json = try TestSupport.run(["summary", "--format", "json", "Specs/imdb_lstm.yaml"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["name"] as? String == "sequential")
        #expect(object["total_params"] as? Int == 8_809)
        let layers = try #require(object["layers"] as? [[String: Any]])
        #expect(layers.map { $0["name"] as? String } == ["embedding", "lstm", "dense"])
        #expect(layers[1]["multiply_adds"] as? Int == 76_800)
        #expect((layers[0]["output_shape"] as? [Any])?.count == 3)
    }

    @Test func summaryOfAnInvalidSpecPrintsDiagnosticsToStandardError() throws {
        let result = try TestSupport.run(["summary", "--color", "never", "Specs/invalid/rnn_needs_sequences.yaml"])
        #expect(result.code == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("Specs/invalid/rnn_needs_sequences.yaml:6:5: error: lstm_1 (LSTM) needs a 3-D input"))
    }

    @Test func referenceCommandPrintsTheGeneratedReference() throws {
        let result = try TestSupport.run(["reference"])
        #expect(result.code == 0)
        #expect(result.stdout == GrammarReference.markdown())
    }

    @Test func schemaCommandPrintsTheGeneratedSchema() throws {
        let result = try TestSupport.run(["schema"])
        #expect(result.code == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout == JSONSchema.rendered())
        #expect(result.stdout.hasPrefix("{\n  \"$schema\": \"http://json-schema.org/draft-07/schema#\""))
    }
}
