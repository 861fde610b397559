import Foundation
import Testing
@testable import ModelC

/// Issue 11's front-end findings, each with its offending input: quadratic blow-ups, floods of
/// diagnostics, long source lines, line breaks libyaml counts, spec files that are not files.
@Suite struct HardeningFrontTests {
    /// The bound for specs that used to take tens of seconds or minutes; debug builds (tests) run
    /// the front end unoptimized, so this is far above the release target of one second.
    static let generousSeconds = 15.0

    static func seconds(_ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        let elapsed = clock.measure(body)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func text(_ yaml: String, path: String = "spec.yaml") -> String {
        let file = SourceFile(path: path, text: yaml)
        return DiagnosticRenderer.render([FileDiagnostics(file: file, diagnostics: SpecChecker.check(file).diagnostics)], format: .text)
    }

    // MARK: Shorthand brackets

    /// 16,000 nested brackets in a 32 KB file took 28 s (each level copied the rest of the text).
    @Test func deeplyNestedShorthandBracketsAreOneLocatedError() {
        let yaml = "input: [4]\nlayers:\n  - Dense " + String(repeating: "(", count: 16_000) + String(repeating: ")", count: 16_000) + "\n"
        var result: SpecChecker.Result?
        let elapsed = Self.seconds { result = TestSupport.check(yaml) }
        #expect(elapsed < Self.generousSeconds, "\(elapsed) s")
        let errors = result?.diagnostics.filter { $0.severity == .error } ?? []
        #expect(errors.map(\.message) == ["brackets are nested more than 64 deep; a tuple such as `(2, 3)` needs one pair"])
        // The 65th bracket: "  - Dense " is 10 columns, so the brackets start at column 11.
        #expect(errors.first?.range.start == ModelC.SourceLocation(line: 3, column: 11 + 64))
    }

    @Test func bracketsAsDeepAsTheLimitStillParse() {
        let depth = Shorthand.maximumBracketNesting
        let token = String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        let value = ShorthandTests.describe(Shorthand.value(of: token, range: SourceRange(at: ModelC.SourceLocation(line: 1, column: 1))))
        #expect(value == String(repeating: "list(", count: depth) + "int(1)" + String(repeating: ")", count: depth))
        let layer = TestSupport.check("input: [4]\nlayers:\n  - Dense " + token + "\n")
        #expect(!layer.diagnostics.contains { $0.message.contains("nested more than") })
    }

    /// Grammar.md's tuples hold values, tuples among them; commas inside an inner tuple used to split
    /// the outer one (`((1, 1), (2, 2))` became the words "(1", "1)", ...).
    @Test(arguments: [
        ("((1, 1), (2, 2))", "list(list(int(1), int(1)), list(int(2), int(2)))"),
        ("[(1, 2),]", "list(list(int(1), int(2)))"),
        ("((1, (2, 3)), 4x5)", "list(list(int(1), list(int(2), int(3))), list(int(4), int(5)))"),
        // Brackets that close before the end, or do not match, make a word.
        ("(1),(2)", "string((1),(2))"),
        ("(1, 2]", "string((1, 2])"),
    ])
    func tuplesNestAndSplitOnlyAtTheirOwnCommas(token: String, expected: String) {
        let range = SourceRange(at: ModelC.SourceLocation(line: 1, column: 1))
        #expect(ShorthandTests.describe(Shorthand.value(of: token, range: range)) == expected)
    }

    // MARK: Floods of diagnostics

    /// A flow mapping with 8,000 duplicate keys printed 482 MB (every diagnostic quoted the whole
    /// line) and peaked at 1.4 GB.
    @Test func eightThousandDuplicateKeysPrintOneScreenfulInEveryFormat() throws {
        let yaml = "input: [4]\nlayers: [Dense 1]\ncompile: {optimizer: adam, loss: mse}\nfit: {"
            + Array(repeating: "epochs: 1", count: 8_000).joined(separator: ", ") + "}\n"
        let file = SourceFile(path: "dup.yaml", text: yaml)
        let result = SpecChecker.check(file)
        let duplicates = result.diagnostics.filter { $0.message.hasPrefix("duplicate key 'epochs'") }
        #expect(duplicates.count == 7_999)
        let files = [FileDiagnostics(file: file, diagnostics: result.diagnostics)]
        let limit = DiagnosticRenderer.maximumPerFile

        let text = DiagnosticRenderer.render(files, format: .text)
        #expect(text.utf8.count < 100_000, "\(text.utf8.count) bytes")
        #expect(text.components(separatedBy: ": error: ").count - 1 == limit)
        let hidden = result.diagnostics.count - limit
        #expect(text.hasSuffix("note: \(hidden) more errors not shown (modelc prints the first \(limit) diagnostics of a file); fix these and check again\n"))
        // The closing note sits where the first diagnostic left out is.
        let first = result.diagnostics[limit].range.start
        #expect(text.contains("dup.yaml:\(first.line):\(first.column): note: \(hidden) more errors not shown"))

        let github = DiagnosticRenderer.render(files, format: .github)
        let commands = github.split(separator: "\n")
        let notes = result.diagnostics.prefix(limit).reduce(0) { $0 + $1.notes.count }
        #expect(commands.count == limit + notes + 1)
        #expect(commands.last?.hasPrefix("::notice file=dup.yaml,line=\(first.line),col=\(first.column)") == true)
        #expect(commands.last?.hasSuffix("::\(hidden) more errors not shown (modelc prints the first \(limit) diagnostics of a file); fix these and check again") == true)

        let json = DiagnosticRenderer.render(files, format: .json)
        let items = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(items.count == limit + 1)
        #expect(items.last?["severity"] as? String == "note")
        #expect(items.last?["omitted_errors"] as? Int == hidden)
        #expect(items.last?["omitted_warnings"] as? Int == 0)
        #expect(items.last?["line"] as? Int == first.line)

        // The summary line still counts every error.
        let directory = try TestSupport.temporaryDirectory("dup")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try yaml.write(toFile: directory + "/dup.yaml", atomically: true, encoding: .utf8)
        let outcome = CheckCommand.run(paths: [directory + "/dup.yaml"], format: .text)
        #expect(outcome.standardOutput.hasSuffix("checked 1 spec: \(result.diagnostics.count) errors, 0 warnings\n"))
        #expect(outcome.exitCode == 1)
    }

    @Test func theClosingNoteCountsErrorsAndWarningsApart() {
        let file = SourceFile(path: "s.yaml", text: "x\n")
        let at = SourceRange(at: ModelC.SourceLocation(line: 1, column: 1))
        let diagnostics = (0..<103).map { Diagnostic(.error, .yamlSyntax, "e\($0)", at: at) } + [.warning(.suspiciousArgument, "w", at: at)]
        let text = DiagnosticRenderer.render([FileDiagnostics(file: file, diagnostics: diagnostics)], format: .text)
        #expect(text.hasSuffix("s.yaml:1:1: note: 3 more errors and 1 more warning not shown (modelc prints the first 100 diagnostics of a file); fix these and check again\n"))
        let exactly = DiagnosticRenderer.render([FileDiagnostics(file: file, diagnostics: Array(diagnostics.prefix(100)))], format: .text)
        #expect(!exactly.contains("not shown"))
    }

    /// A 100 KB spec of 18,000 errors answers promptly and prints a bounded report.
    @Test func aHundredKilobytesOfErrorsAnswersPromptly() {
        let yaml = "input: [4]\nlayers:\n" + String(repeating: "  - Dense x\n", count: 9_000)
        #expect(yaml.utf8.count > 100_000)
        var text = ""
        let elapsed = Self.seconds { text = Self.text(yaml) }
        #expect(elapsed < Self.generousSeconds, "\(elapsed) s")
        #expect(text.utf8.count < 50_000)
        #expect(text.hasSuffix("note: 17900 more errors not shown (modelc prints the first 100 diagnostics of a file); fix these and check again\n"))
    }

    // MARK: Long lines

    /// A diagnostic on a 100,000-column line quotes about 120 columns around the caret.
    @Test func aLongLineIsQuotedAsAWindowAroundTheCaret() throws {
        let padding = String(repeating: "b", count: 50_000)
        let yaml = "input: [4]\nlayers:\n  - Dense 1 " + padding + " Q" + padding + "\n"
        let lines = Self.text(yaml).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The error at 'Q', 50,014 columns in.
        let header = try #require(lines.firstIndex { $0.hasPrefix("spec.yaml:3:50014: ") })
        let quoted = lines[header + 1], caret = lines[header + 2]
        #expect(quoted.count <= SourceQuote.width + 6)
        #expect(quoted.hasPrefix("...") && quoted.hasSuffix("..."))
        // The caret stands under the first character of the range it marks.
        let column = try #require(Int(lines[header].split(separator: ":")[2]))
        let source = Array(yaml.split(separator: "\n")[2])
        let caretAt = try #require(caret.firstIndex(of: "^")).utf16Offset(in: caret)
        #expect(Array(quoted)[caretAt] == source[column - 1])
        #expect(caret.count <= SourceQuote.width + 3)
    }

    @Test func shortLinesAreQuotedWholeAndEndsOfLongLinesWithOneMark() {
        let short = SourceQuote.render("  - Dense x", range: SourceRange(at: ModelC.SourceLocation(line: 1, column: 11)), color: false)
        #expect(short.source == "  - Dense x")
        #expect(short.caret == "          ^")
        let line = String(repeating: "a", count: 200) + "Z"
        let end = SourceQuote.render(line, range: SourceRange(at: ModelC.SourceLocation(line: 1, column: 201)), color: false)
        #expect(end.source == "..." + String(repeating: "a", count: 119) + "Z")
        #expect(end.caret == String(repeating: " ", count: 3 + 119) + "^")
        let start = SourceQuote.render(line, range: SourceRange(start: ModelC.SourceLocation(line: 1, column: 2), end: ModelC.SourceLocation(line: 1, column: 500)), color: false)
        #expect(start.source == String(repeating: "a", count: 120) + "...")
        #expect(start.caret == " ^" + String(repeating: "~", count: 118))
    }

    /// 200 diagnostics on one 4 MiB line decoded the line for each of them.
    @Test func manyDiagnosticsOnOneHugeLineDecodeItOnce() {
        let yaml = "input: [4]\nlayers: [Dense 1]\ncompile: {loss: mse}\nfit: {" + (0..<200).map { "x\($0): 1" }.joined(separator: ", ")
            + "}  # " + String(repeating: "a", count: 4_000_000) + "\n"
        var text = ""
        let elapsed = Self.seconds { text = Self.text(yaml) }
        #expect(elapsed < Self.generousSeconds, "\(elapsed) s")
        #expect(text.components(separatedBy: ": error: fit has no argument").count - 1 == 100)
        #expect(text.utf8.count < 60_000)
    }

    /// A 400,000-character layer name wraps into 16,000 summary lines; every line copied the rest of
    /// the name, so the summary took minutes.
    @Test func aHugeLayerNameWrapsInLinearTime() throws {
        let name = String(repeating: "n", count: 400_000)
        let model = try #require(TestSupport.model("input: [4]\nlayers:\n  - Dense 1 name=" + name + "\n"))
        var summary = ""
        let elapsed = Self.seconds { summary = KerasSummary.render(model) }
        #expect(elapsed < Self.generousSeconds, "\(elapsed) s")
        let lines = summary.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.allSatisfy { $0.unicodeScalars.count <= KerasSummary.lineLength })
        // The first column holds 26 characters of the field per line: the name, then " (Dense)";
        // 11 lines are the title, rules, header, totals and the final line break.
        let field = (name + " (Dense)").count
        #expect(lines.count == 11 + (field + 25) / 26, "\(lines.count) lines")
        #expect(lines[4].hasPrefix(" " + String(repeating: "n", count: 26) + "  (None, 1)"))
        #expect(lines[5] == " " + String(repeating: "n", count: 26) + String(repeating: " ", count: 38))
    }

    /// A huge token in a message is cut, so 100 diagnostics about it cannot print megabytes.
    @Test func aMillionCharacterTokenIsCutInMessages() throws {
        let token = String(repeating: "Q", count: 1_000_000)
        var result: SpecChecker.Result?
        let elapsed = Self.seconds { result = TestSupport.check("input: [4]\nlayers:\n  - " + token + "\n") }
        #expect(elapsed < Self.generousSeconds, "\(elapsed) s")
        let error = try #require(result?.diagnostics.first)
        #expect(error.message.hasPrefix("unknown layer 'QQQQ"))
        let rendered = Self.text("input: [4]\nlayers:\n  - " + token + "\n  - " + token + " = 1\n")
        #expect(rendered.utf8.count < 4_000, "\(rendered.utf8.count) bytes")
        #expect(DiagnosticRenderer.printable(String(repeating: "m", count: 5_000)).count == DiagnosticRenderer.maximumMessageLength)
    }

    // MARK: What a terminal would act on

    /// A key written with YAML's `\e` escape put a raw ESC into the message; a control character in
    /// the file put one into the quoted line.
    @Test func escapeSequencesNeverReachTheTerminal() {
        let fromKey = Self.text("input: [4]\nlayers: [Dense 1]\n\"\\e[2J\\e[31mboom\": 1\n")
        #expect(!fromKey.unicodeScalars.contains("\u{1B}"))
        #expect(fromKey.contains("unknown top-level key '\\x1B[2J\\x1B[31mboom'"))
        let inFile = Self.text("input: [4]\nlayers: [Dense 1]\nname: a\u{1B}[2Jb\n")
        #expect(!inFile.unicodeScalars.contains("\u{1B}"))
        #expect(inFile.contains("name: a\u{241B}[2Jb"))
        let bidi = Self.text("input: [4]\nlayers: [Dense 1]\n\"a\\u202Eb\": 1\n")
        #expect(!bidi.unicodeScalars.contains("\u{202E}"))
        #expect(bidi.contains("'a\\u{202E}b'"))
    }

    @Test func excerptsEscapeAndCut() {
        #expect(Excerpt.of("a\tb\u{0}c\u{7F}d\u{85}e\u{2028}f\u{FEFF}") == "a\\tb\\x00c\\x7Fd\\x85e\\u{2028}f\\u{FEFF}")
        #expect(Excerpt.of("résumé ✓") == "résumé ✓")
        #expect(Excerpt.of(String(repeating: "x", count: 100), limit: 10) == String(repeating: "x", count: 9) + "…")
        #expect(Excerpt.of(String(repeating: "x", count: 10), limit: 10) == String(repeating: "x", count: 10))
        // An escape is never cut in half.
        #expect(Excerpt.of("abcdefgh\u{0}", limit: 10) == "abcdefgh…")
    }

    // MARK: Line breaks as libyaml counts them

    /// libyaml (scanner.c IS_BREAK, SKIP_LINE) breaks lines at LF, CR LF, CR, NEL, LS and PS; the
    /// reported line and the quoted source line must follow it for every kind.
    @Test(arguments: [("LF", "\n"), ("CRLF", "\r\n"), ("CR", "\r"), ("NEL", "\u{85}"), ("LS", "\u{2028}"), ("PS", "\u{2029}")])
    func everyLineBreakLibyamlCountsLocatesTheError(kind: String, newline: String) throws {
        let yaml = ["name: é…", "input: [4]", "layers:", "  - Dense 1 x", ""].joined(separator: newline)
        let result = TestSupport.check(yaml)
        let error = try #require(result.diagnostics.first { $0.severity == .error }, "\(kind): \(result.diagnostics.map(\.message))")
        #expect(error.message.hasPrefix("'x' means nothing to Dense"), "\(kind)")
        #expect(error.range.start == ModelC.SourceLocation(line: 4, column: 13), "\(kind)")
        let lines = Self.text(yaml).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count >= 3 && lines[0].hasPrefix("spec.yaml:4:13: error: ") && lines[1] == "  - Dense 1 x" && lines[2] == "            ^",
                "\(kind): \(lines.prefix(3))")
        #expect(SourceFile(path: "s", text: yaml).line(1) == "name: é…", "\(kind)")
    }

    @Test func lineIndexCountsBreaksAndColumnsLikeLibyaml() {
        let file = SourceFile(path: "s", text: "a\r\nb\rc\u{85}dé\u{2028}e\u{2029}\n")
        #expect((1...7).map { file.line($0) } == ["a", "b", "c", "dé", "e", "", ""])
        #expect(file.line(8) == nil)
        #expect(file.location(ofByte: 3) == ModelC.SourceLocation(line: 2, column: 1))
        // "dé" then LS: the LS's first byte is column 3 (é is one column, two bytes).
        let ls = Array(file.bytes).firstIndex(of: 0xE2)!
        #expect(file.location(ofByte: ls) == ModelC.SourceLocation(line: 4, column: 3))
        #expect(file.byteOffset(of: ModelC.SourceLocation(line: 4, column: 3)) == ls)
        #expect(file.byteOffset(of: ModelC.SourceLocation(line: 9, column: 1)) == nil)
    }

    /// libyaml skips a byte-order mark without counting a column; the quoted line leaves it out.
    @Test func aByteOrderMarkTakesNoColumn() throws {
        let yaml = "\u{FEFF}inptu: [4]\nlayers: [Dense 1]\n"
        let error = try #require(TestSupport.check(yaml).diagnostics.first)
        #expect(error.range.start == ModelC.SourceLocation(line: 1, column: 1))
        let lines = Self.text(yaml).split(separator: "\n")
        #expect(lines[1] == "inptu: [4]")
        #expect(SourceFile(path: "s", text: yaml).location(ofByte: 3) == ModelC.SourceLocation(line: 1, column: 1))
    }

    /// libyaml's mark index counts characters; used as a byte index it named the wrong character
    /// after any non-ASCII text.
    @Test func theCharacterThatCannotStartATokenIsTheRightOne() throws {
        let result = TestSupport.check("name: ééééé\ninput: [4]\nlayers: [Dense 1]\nfit: `x`\n")
        let error = try #require(result.diagnostics.first)
        #expect(error.message == "'`' cannot start a YAML value; quote the value")
        #expect(error.range.start == ModelC.SourceLocation(line: 4, column: 6))
        let wide = try #require(TestSupport.check("name: ü\ninput: [4]\nlayers: [Dense 1]\nfit: @€\n").diagnostics.first)
        #expect(wide.message == "'@' cannot start a YAML value; quote the value")
    }

    // MARK: Quadratic paths

    /// 10,000 layers of a functional spec, each reading the one before by name: every name used to
    /// be searched for among all earlier layers.
    @Test func tenThousandNamedLayersOfAGraphCheckPromptly() throws {
        var yaml = "inputs: {x: [4]}\nlayers:\n  - Dense 1 name=l0 inputs=x\n"
        for index in 1..<10_000 { yaml += "  - Dense 1 name=l\(index) inputs=l\(index - 1)\n" }
        yaml += "outputs: [l9999]\n"
        var model: TypedModel?
        let elapsed = Self.seconds { model = TestSupport.model(yaml) }
        #expect(elapsed < Self.generousSeconds, "\(elapsed) s")
        #expect(model?.layers.count == 10_000)
        #expect(model?.layers.last?.sources == [.layer(9_998)])
    }

    /// 10,000 unknown names: each error's did-you-mean and list of readable names cost time and
    /// text in proportion to the model, so only the first are explained, and lists are cut.
    @Test func thousandsOfUnknownNamesStayBounded() throws {
        var yaml = "inputs: {x: [4]}\nlayers:\n  - Dense 1 name=l0 inputs=x\n"
        for index in 1..<10_000 { yaml += "  - Dense 1 name=l\(index) inputs=nope\(index)\n" }
        var result: SpecChecker.Result?
        let elapsed = Self.seconds { result = TestSupport.check(yaml) }
        #expect(elapsed < Self.generousSeconds, "\(elapsed) s")
        let unknown = result?.diagnostics.filter { $0.message.contains("which is no input or earlier layer") } ?? []
        #expect(unknown.count == 9_999)
        #expect(unknown.allSatisfy { $0.message.count < 300 }, "\(unknown.map(\.message.count).max() ?? 0)")
        #expect(unknown.first?.message == "l1 (Dense) reads 'nope1', which is no input or earlier layer; did you mean 'l0'?" ||
                unknown.first?.message.hasPrefix("l1 (Dense) reads 'nope1', which is no input or earlier layer; it can read x, l0") == true,
                "\(unknown.first?.message ?? "")")
        #expect(unknown[200].message == "l201 (Dense) reads 'nope201', which is no input or earlier layer")
        let listed = TestSupport.check("inputs: {x: [4]}\nlayers:\n" + (0..<20).map { "  - Dense 1 name=long_name_\($0)\n" }.joined()
                                       + "  - Dense 1 inputs=zzzzzzzzzz\n")
        let message = try #require(listed.diagnostics.first { $0.message.contains("zzzzzzzzzz") }?.message)
        #expect(message.hasSuffix("; it can read x, long_name_0, long_name_1, long_name_2, …, long_name_12, long_name_13, long_name_14, long_name_15, long_name_16, long_name_17, long_name_18, long_name_19 (21 in all)"))
    }

    /// Per-output losses and metrics named thousands of unknown outputs: each error searched the
    /// outputs, listed all of them and looked for a did-you-mean among them.
    @Test func thousandsOfUnknownOutputNamesStayBounded() throws {
        let count = 3_000
        var yaml = "inputs: {x: [2]}\nlayers:\n"
        for index in 0..<count { yaml += "  - Dense 1 name=o\(index) inputs=x\n" }
        yaml += "outputs: [" + (0..<count).map { "o\($0)" }.joined(separator: ", ") + "]\n"
        yaml += "compile:\n  loss: {" + (0..<count).map { "p\($0): mse" }.joined(separator: ", ") + "}\n"
        yaml += "  metrics: {" + (0..<count).map { "q\($0): [mae]" }.joined(separator: ", ") + "}\n"
        var result: SpecChecker.Result?
        let elapsed = Self.seconds { result = TestSupport.check(yaml) }
        #expect(elapsed < Self.generousSeconds, "\(elapsed) s")
        let errors = try #require(result).diagnostics.filter { $0.severity == .error }
        let losses = errors.filter { $0.message.contains("is not an output of the model") }
        let metrics = errors.filter { $0.message.hasPrefix("metrics names") }
        #expect(losses.count == count && metrics.count == count)
        #expect(errors.allSatisfy { $0.message.count < 400 }, "\(errors.map(\.message.count).max() ?? 0)")
        #expect(losses[0].message.hasPrefix("'p0' is not an output of the model; its outputs are o0, o1, o2, o3, …, o2992,"))
        #expect(losses[0].message.hasSuffix("o2999 (3000 in all); did you mean 'o0'?"))
        #expect(losses[count - 1].message == "'p2999' is not an output of the model; its outputs are o0, o1, o2, o3, …, o2992, o2993, o2994, o2995, o2996, o2997, o2998, o2999 (3000 in all)")
    }

    @Test func suggestionsSkipCandidatesTooFarInLength() {
        let word = String(repeating: "w", count: 200_000)
        var answer: String? = "unset"
        let elapsed = Self.seconds { answer = Suggestion.closest(to: word, among: LayerCatalog.allNames) }
        #expect(elapsed < Self.generousSeconds)
        #expect(answer == nil)
        #expect(Suggestion.closest(to: "Dnese", among: ["Dense", "Dropout"]) == "Dense")
        #expect(Suggestion.closest(to: "val_acc", among: ["val_accuracy", "loss"]) == "val_accuracy")
    }

    // MARK: Text data settings

    /// A bad num_words was reported, then its default (none) triggered "has no num_words".
    @Test(arguments: ["num_words: 0", "num_words: many", "num_words: 3, maxlen: 10"])
    func aBadNumWordsIsOnlyItsOwnError(settings: String) {
        let yaml = """
            input: [10]
            layers: [Embedding 100x4, LSTM 3, Dense 1 sigmoid]
            compile: {loss: binary_crossentropy}
            data:
              train: {csv: t.csv, text: text, labels: label}
              text: {\(settings)}
            """
        let diagnostics = TestSupport.check(yaml).diagnostics
        #expect(diagnostics.count == 1, "\(diagnostics.map(\.message))")
        #expect(diagnostics.first?.severity == .error)
        #expect(diagnostics.first?.message.contains("num_words") == true, "\(diagnostics.map(\.message))")
        #expect(!diagnostics.contains { $0.message.contains("has no num_words") || $0.message.contains("need a length") })
    }

    @Test func aMissingNumWordsStillWarns() {
        let yaml = """
            input: [10]
            layers: [Embedding 100x4, LSTM 3, Dense 1 sigmoid]
            compile: {loss: binary_crossentropy}
            data:
              train: {csv: t.csv, text: text, labels: label}
              text: {maxlen: 10}
            """
        #expect(TestSupport.warnings(yaml).contains { $0.hasPrefix("data.text has no num_words") })
    }
}
