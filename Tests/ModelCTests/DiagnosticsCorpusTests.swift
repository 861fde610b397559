import Foundation
import Testing
@testable import ModelC

/// Specs/invalid: each broken spec beside the exact `modelc check` output it must produce
/// (`NAME.expected`). The text format is compared byte for byte; the github and json formats must
/// carry the same diagnostics (severity, line, column, message); the exit code must be 1 exactly
/// when there is an error.
@Suite struct DiagnosticsCorpusTests {
    static let corpus = TestSupport.files(in: TestSupport.packageRoot + "/Specs/invalid", withExtension: "yaml")
        .map { URL(fileURLWithPath: $0).lastPathComponent }

    /// One diagnostic as the three formats all state it.
    struct Fact: Equatable, CustomStringConvertible {
        var severity: String
        var line: Int
        var column: Int
        var message: String
        var description: String { "\(line):\(column) \(severity): \(message)" }
    }

    static func relativePath(_ name: String) -> String { "Specs/invalid/" + name }

    static func expectedText(_ name: String) -> String {
        TestSupport.read(TestSupport.packageRoot + "/Specs/invalid/" + name.replacingOccurrences(of: ".yaml", with: ".expected"))
    }

    /// The `path:line:col: severity: message` lines of the text format.
    static func facts(fromText text: String, path: String) -> [Fact] {
        text.split(separator: "\n").compactMap { line -> Fact? in
            guard line.hasPrefix(path + ":") else { return nil }
            let rest = line.dropFirst(path.count + 1)
            let parts = rest.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
            guard parts.count == 4, let row = Int(parts[0]), let column = Int(parts[1]) else { return nil }
            let severity = parts[2].trimmingCharacters(in: .whitespaces)
            let message = String(parts[3].dropFirst())
            // `help:` lines are the fixes of the diagnostic above, not diagnostics (see helpTitles).
            guard severity != "help" else { return nil }
            return Fact(severity: severity, line: row, column: column, message: message)
        }
    }

    /// The fix titles the text format prints as `help:` lines, in order.
    static func helpTitles(fromText text: String, path: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix(path + ":"), let range = line.firstRange(of: ": help: ") else { return nil }
            return String(line[range.upperBound...])
        }
    }

    @Test func corpusCoversTheIssuesCategories() {
        // Unknown names, types, ranges, shapes, enums, duplicates, input, losses, warnings, YAML failures.
        for name in ["unknown_layer", "unknown_argument", "wrong_types", "out_of_range", "rnn_needs_sequences",
                     "conv_on_2d_input", "reshape_count", "kernel_longer_than_sequence", "pool_longer_than_sequence",
                     "embedding_not_first", "bad_choices", "duplicate_names", "missing_input", "loss_output_mismatch",
                     "suspicious", "yaml_syntax_error", "tab_indentation", "duplicate_keys", "not_utf8", "empty", "alias_bomb",
                     // Functional specs: names, order, merge shapes and arity, Dot axes, outputs, losses, unused parts.
                     "graph_unknown_input", "graph_defined_later", "graph_merge_shapes", "graph_merge_arity", "graph_dot_axes",
                     "graph_outputs", "graph_first_layer", "graph_duplicate_names", "graph_loss_per_output", "graph_unused",
                     // Indentation one column off, and every mistake of one line at once.
                     "indented_list_item", "indented_key", "text_settings_errors"] {
            #expect(Self.corpus.contains(name + ".yaml"), "missing \(name).yaml")
        }
        #expect(Self.corpus.count >= 30)
    }

    @Test(arguments: corpus)
    func textOutputIsExactlyTheExpectedFile(_ name: String) {
        let outcome = CheckCommand.run(paths: [Self.relativePath(name)], format: .text, in: TestSupport.packageRoot)
        let expected = Self.expectedText(name)
        #expect(!expected.isEmpty)
        #expect(outcome.standardOutput == expected)
        let hasError = expected.contains(": error: ")
        #expect(outcome.exitCode == (hasError ? 1 : 0))
        #expect(outcome.standardError.isEmpty)
    }

    @Test(arguments: corpus)
    func githubAnnotationsCarryTheSameDiagnostics(_ name: String) {
        let path = Self.relativePath(name)
        let expected = Self.facts(fromText: Self.expectedText(name), path: path)
        let outcome = CheckCommand.run(paths: [path], format: .github, in: TestSupport.packageRoot)
        var annotatedHelp: [String] = []
        let facts = outcome.standardOutput.split(separator: "\n").compactMap { line -> Fact? in
            // ::error file=PATH,line=L,col=C[,endColumn=E]::MESSAGE
            guard line.hasPrefix("::"), let split = line.dropFirst(2).firstRange(of: "::") else { return nil }
            let head = line.dropFirst(2)[..<split.lowerBound]
            var message = String(line.dropFirst(2)[split.upperBound...])
                .replacingOccurrences(of: "%0A", with: "\n").replacingOccurrences(of: "%0D", with: "\r")
                .replacingOccurrences(of: "%25", with: "%")
            // The fixes follow the message as ` (help: title)`.
            var helps: [String] = []
            while let help = message.range(of: " (help: ", options: .backwards), message.hasSuffix(")") {
                helps.insert(String(message[help.upperBound...].dropLast()), at: 0)
                message = String(message[..<help.lowerBound])
            }
            annotatedHelp += helps
            let command = head.split(separator: " ")[0]
            var properties: [String: String] = [:]
            for pair in head.dropFirst(command.count + 1).split(separator: ",") {
                let kv = pair.split(separator: "=", maxSplits: 1)
                if kv.count == 2 { properties[String(kv[0])] = String(kv[1]) }
            }
            #expect(properties["file"] == path)
            let severity = command == "notice" ? "note" : String(command)
            return Fact(severity: severity, line: Int(properties["line"] ?? "") ?? -1,
                        column: Int(properties["col"] ?? "") ?? -1, message: message)
        }
        #expect(facts == expected)
        #expect(annotatedHelp == Self.helpTitles(fromText: Self.expectedText(name), path: path))
        #expect(outcome.exitCode == (expected.contains { $0.severity == "error" } ? 1 : 0))
    }

    @Test(arguments: corpus)
    func jsonListCarriesTheSameDiagnostics(_ name: String) throws {
        let path = Self.relativePath(name)
        let expected = Self.facts(fromText: Self.expectedText(name), path: path)
        let outcome = CheckCommand.run(paths: [path], format: .json, in: TestSupport.packageRoot)
        let items = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [[String: Any]])
        func flatten(_ item: [String: Any]) -> [Fact] {
            let fact = Fact(severity: item["severity"] as? String ?? "", line: item["line"] as? Int ?? -1,
                            column: item["column"] as? Int ?? -1, message: item["message"] as? String ?? "")
            #expect(item["file"] as? String == path)
            return [fact] + ((item["notes"] as? [[String: Any]]) ?? []).flatMap(flatten)
        }
        #expect(items.flatMap(flatten) == expected)
        // Every diagnostic has its code and name; the fixes are the text format's help lines.
        for item in items {
            #expect((item["code"] as? String)?.hasPrefix("MC") == true)
            #expect(DiagnosticCode(lookup: item["code"] as? String ?? "")?.name == item["name"] as? String)
        }
        let titles = items.flatMap { ($0["fixes"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String } }
        #expect(titles == Self.helpTitles(fromText: Self.expectedText(name), path: path))
        #expect(outcome.exitCode == (expected.contains { $0.severity == "error" } ? 1 : 0))
    }

    @Test func warningsAsErrorsFailsASpecWithOnlyWarnings() {
        let path = Self.relativePath("suspicious.yaml")
        #expect(CheckCommand.run(paths: [path], format: .text, in: TestSupport.packageRoot).exitCode == 0)
        #expect(CheckCommand.run(paths: [path], format: .text, warningsAsErrors: true, in: TestSupport.packageRoot).exitCode == 1)
    }

    @Test func aDirectoryIsSearchedAndEveryFileReported() {
        let outcome = CheckCommand.run(paths: ["Specs/invalid"], format: .text, in: TestSupport.packageRoot)
        #expect(outcome.exitCode == 1)
        #expect(outcome.standardOutput.hasSuffix("checked \(Self.corpus.count) specs: \(outcome.standardOutput.components(separatedBy: ": error: ").count - 1) errors, \(outcome.standardOutput.components(separatedBy: ": warning: ").count - 1) warnings\n"))
        for name in Self.corpus {
            let expected = Self.expectedText(name)
            // Everything but the final "checked 1 spec" line.
            let body = expected.split(separator: "\n", omittingEmptySubsequences: false).dropLast(2).joined(separator: "\n")
            #expect(outcome.standardOutput.contains(body), "\(name) missing from the directory run")
        }
    }

    @Test func theValidSpecsHaveNoDiagnosticsAtAll() {
        let specs = TestSupport.files(in: TestSupport.packageRoot + "/Specs", withExtension: "yaml").map { "Specs/" + URL(fileURLWithPath: $0).lastPathComponent }
        let outcome = CheckCommand.run(paths: specs, format: .text, in: TestSupport.packageRoot)
        #expect(outcome.exitCode == 0)
        #expect(outcome.standardOutput == "checked \(specs.count) specs: 0 errors, 0 warnings\n")
    }

    @Test func missingPathsAndEmptyDirectoriesAreUsageErrors() throws {
        let missing = CheckCommand.run(paths: ["Specs/no-such-file.yaml"], format: .text, in: TestSupport.packageRoot)
        #expect(missing.exitCode == 2)
        #expect(missing.standardError == "error: no such file or directory: Specs/no-such-file.yaml\n")
        let empty = CheckCommand.run(paths: ["Sources/CYAML"], format: .text, in: TestSupport.packageRoot)
        #expect(empty.exitCode == 2)
        #expect(empty.standardError.contains("no .yaml or .yml spec files under Sources/CYAML"))
    }
}
