import Foundation
import Testing
@testable import ModelC

/// No input crashes or hangs the checker: thousands of mutants of the valid corpus, then hand-made
/// adversarial specs (huge sizes, long lines, deep nesting, many layers).
@Suite struct RobustnessTests {
    // MARK: Corpus

    /// Every spec under Specs/ (recursively) and the shared Keras cases.
    static let corpus: [(path: String, text: String)] = {
        var paths: [String] = []
        let specs = TestSupport.packageRoot + "/Specs"
        if let walker = FileManager.default.enumerator(atPath: specs) {
            for case let relative as String in walker where relative.hasSuffix(".yaml") {
                paths.append(specs + "/" + relative)
            }
        }
        for directory in ["summary", "forward", "train"] {
            paths += TestSupport.files(in: TestSupport.sharedRoot + "/keras-cases/" + directory, withExtension: "yaml")
        }
        return paths.sorted().map { ($0, TestSupport.read($0)) }.filter { !$0.text.isEmpty }
    }()

    /// The checker's refusal of sizes it cannot count (per layer or in total).
    static func isSizeLimitMessage(_ message: String) -> Bool {
        ["64-bit", "too large", "can count", "2^56"].contains { message.contains($0) }
    }

    static let classNames: [String] = LayerCatalog.all.flatMap { [$0.className] + $0.aliases }

    // MARK: Mutations

    enum Mutation: CaseIterable {
        case deleteLine, duplicateLine, swapLines, swapTokens, replaceToken, insertCharacters, reindent
        case truncate, replaceByte
    }

    static let insertions = ["\t", ":", "-", "[", "]", "{", "}", "\"", "'", "&a", "*a", "!tag", "#", "%", "@", "`", "|", ">",
                             ",", "=", "(", ")", " ", "\n", ": ", "- ", "? ", "&a [1, 2]", "*a *a", "x=", "--- "]
    static let words = ["relu", "sigmoid", "same", "causal", "valid", "concat", "sum", "return_sequences", "units", "rate",
                        "adam", "mse", "accuracy", "epochs", "name", "layer", "input", "fit", "compile", "yes", "None",
                        "glorot_uniform", "-1", "0x10", "0o7", ".inf", ".nan", "1e-4", "x"]

    struct Mutator {
        var rng: SeededGenerator

        mutating func pick<T>(_ items: [T]) -> T { items.randomElement(using: &rng)! }
        mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }

        /// A value of another type for a scalar's place.
        mutating func replacement() -> String {
            switch int(0...17) {
            case 0: return String(int(1...100_000))
            case 1: return String(-int(1...1000))
            case 2: return "0"
            case 3: return "99999999999999999999"
            case 4: return "1e999"
            case 5: return "'\(pick(RobustnessTests.words))'"
            case 6: return "\"\(int(0...99))\""
            case 7: return "true"
            case 8: return "null"
            case 9: return "[]"
            case 10: return "{}"
            case 11: return "[1, [2, [3]]]"
            case 12: return pick(RobustnessTests.words)
            case 13: return pick(RobustnessTests.classNames)
            case 14: return String((0..<int(1...12)).map { _ in pick(Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")) })
            case 15: return "-.5"
            case 16: return "0.\(int(0...99))"
            default: return "\(int(1...64))x\(int(1...64))"
            }
        }

        /// Scalar-looking runs in a line: names, numbers, `500x16`.
        static func tokens(in line: [Character]) -> [Range<Int>] {
            func isTokenCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || "_.+-".contains(c) }
            var ranges: [Range<Int>] = []
            var index = 0
            while index < line.count {
                guard isTokenCharacter(line[index]) else { index += 1; continue }
                let start = index
                while index < line.count, isTokenCharacter(line[index]) { index += 1 }
                ranges.append(start..<index)
            }
            return ranges
        }

        mutating func apply(_ mutation: Mutation, to lines: inout [[Character]]) {
            guard !lines.isEmpty else { return }
            let index = int(0...(lines.count - 1))
            switch mutation {
            case .deleteLine:
                lines.remove(at: index)
            case .duplicateLine:
                lines.insert(lines[index], at: int(0...lines.count))
            case .swapLines:
                lines.swapAt(index, int(0...(lines.count - 1)))
            case .swapTokens:
                let other = int(0...(lines.count - 1))
                let a = Self.tokens(in: lines[index]), b = Self.tokens(in: lines[other])
                guard let first = a.randomElement(using: &rng), let second = b.randomElement(using: &rng) else { return }
                if index == other {
                    guard first != second else { return }
                    let (low, high) = first.lowerBound < second.lowerBound ? (first, second) : (second, first)
                    guard low.upperBound <= high.lowerBound else { return }
                    var line = lines[index]
                    let lowText = Array(line[low]), highText = Array(line[high])
                    line.replaceSubrange(high, with: lowText)
                    line.replaceSubrange(low, with: highText)
                    lines[index] = line
                } else {
                    let firstText = Array(lines[index][first]), secondText = Array(lines[other][second])
                    lines[index].replaceSubrange(first, with: secondText)
                    lines[other].replaceSubrange(second, with: firstText)
                }
            case .replaceToken:
                guard let token = Self.tokens(in: lines[index]).randomElement(using: &rng) else {
                    lines[index] += Array(" " + replacement())
                    return
                }
                lines[index].replaceSubrange(token, with: Array(replacement()))
            case .insertCharacters:
                for _ in 0..<int(1...3) {
                    let line = int(0...(lines.count - 1))
                    lines[line].insert(contentsOf: Array(pick(RobustnessTests.insertions)), at: int(0...lines[line].count))
                }
            case .reindent:
                let delta = int(1...3)
                if Bool.random(using: &rng) {
                    lines[index].insert(contentsOf: Array(repeating: " ", count: delta), at: 0)
                } else {
                    var removed = 0
                    while removed < delta, lines[index].first == " " {
                        lines[index].removeFirst()
                        removed += 1
                    }
                }
            case .truncate, .replaceByte:
                break
            }
        }

        /// One mutant: one to three text mutations, sometimes followed by a byte-level one.
        mutating func mutant(of text: String) -> [UInt8] {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(Array.init)
            let textMutations: [Mutation] = [.deleteLine, .duplicateLine, .swapLines, .swapTokens, .replaceToken,
                                             .replaceToken, .swapTokens, .insertCharacters, .reindent]
            let byteLevel = int(0...4) == 0
            let count = byteLevel ? int(0...1) : int(1...3)
            for _ in 0..<count { apply(pick(textMutations), to: &lines) }
            var bytes = Array(lines.map { String($0) }.joined(separator: "\n").utf8)
            if byteLevel, !bytes.isEmpty {
                if Bool.random(using: &rng) {
                    bytes = Array(bytes.prefix(int(0...bytes.count)))
                } else {
                    bytes[int(0...(bytes.count - 1))] = Bool.random(using: &rng) ? 0xFF : 0x00
                }
            }
            return bytes
        }
    }

    // MARK: Invariants

    /// What is wrong with the checker's answer for `bytes`, if anything; also counts what was exercised.
    static func problems(checking bytes: [UInt8], rendered: inout (models: Int, failures: Int)) -> [String] {
        let file = SourceFile(path: "mutant.yaml", bytes: bytes)
        let result = SpecChecker.check(file)
        var problems: [String] = []
        let errors = result.diagnostics.filter { $0.severity == .error }
        if result.model == nil, errors.isEmpty {
            problems.append("no model and no error; diagnostics: \(result.diagnostics.map(\.message))")
        }
        if result.model != nil, !errors.isEmpty {
            problems.append("a model despite errors \(errors.map(\.message))")
        }
        let lineCount = bytes.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        let all = result.diagnostics + result.diagnostics.flatMap(\.notes)
        for diagnostic in all {
            let start = diagnostic.range.start, end = diagnostic.range.end
            if start.line < 1 || start.column < 1 || start.line > lineCount + 1 || end.line > lineCount + 1 {
                problems.append("diagnostic at \(start)-\(end) outside the \(lineCount)-line file: \(diagnostic.message)")
            }
            if diagnostic.message.isEmpty { problems.append("empty message at \(start)") }
        }
        let files = [FileDiagnostics(file: file, diagnostics: result.diagnostics)]
        let noteCount = result.diagnostics.reduce(0) { $0 + $1.notes.count }
        let text = DiagnosticRenderer.render(files, format: .text)
        let github = DiagnosticRenderer.render(files, format: .github)
        let json = DiagnosticRenderer.render(files, format: .json)
        if !result.diagnostics.isEmpty {
            let first = result.diagnostics[0]
            if !text.contains("mutant.yaml:\(first.range.start.line):\(first.range.start.column): \(first.severity.rawValue): ") {
                problems.append("text rendering lacks the first diagnostic's header")
            }
            let commands = github.split(separator: "\n").filter { $0.hasPrefix("::") }.count
            if commands != result.diagnostics.count + noteCount {
                problems.append("github rendering has \(commands) commands for \(result.diagnostics.count + noteCount) diagnostics")
            }
        } else if !text.isEmpty || !github.isEmpty {
            problems.append("rendering without diagnostics is not empty")
        }
        let parsed = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [Any]
        if parsed?.count != result.diagnostics.count {
            problems.append("JSON rendering does not parse to \(result.diagnostics.count) items")
        }
        if let model = result.model {
            rendered.models += 1
            let summary = KerasSummary.render(model)
            if !summary.contains("Total params: \(thousands(model.parameterCount))") { problems.append("summary lacks its total") }
            if KerasSummary.render(model, layout: .legacy).isEmpty { problems.append("legacy summary is empty") }
            if (try? JSONSerialization.jsonObject(with: Data(SummaryJSON.render(model).utf8))) == nil {
                problems.append("summary JSON does not parse")
            }
            if !CostTable.render(model).contains("Weight bytes") { problems.append("cost table lacks weight bytes") }
            if model.layers.isEmpty { problems.append("a model without layers") }
        } else {
            rendered.failures += 1
        }
        return problems
    }

    @Test func corpusIsThere() {
        #expect(Self.corpus.count >= 50, "found \(Self.corpus.count) specs")
        #expect(Self.corpus.contains { $0.path.hasPrefix(TestSupport.packageRoot + "/Specs/") })
        #expect(Self.corpus.contains { $0.path.contains("/keras-cases/train/") })
    }

    @Test func corpusItselfKeepsTheInvariants() {
        var rendered = (models: 0, failures: 0)
        for spec in Self.corpus {
            let problems = Self.problems(checking: Array(spec.text.utf8), rendered: &rendered)
            #expect(problems.isEmpty, "\(spec.path): \(problems)")
        }
        #expect(rendered.models > 0)
    }

    /// 8 seeds × 700 mutants = 5,600 mutated specs.
    @Test(arguments: 0..<8)
    func mutatedSpecsNeverCrashHangOrMisplaceDiagnostics(seed: Int) throws {
        let corpus = Self.corpus
        try #require(!corpus.isEmpty)
        var mutator = Mutator(rng: SeededGenerator(seed: 0x5EED_0000 + UInt64(seed)))
        var rendered = (models: 0, failures: 0)
        var reported = 0
        for index in 0..<700 {
            let original = mutator.pick(corpus)
            let bytes = mutator.mutant(of: original.text)
            let problems = Self.problems(checking: bytes, rendered: &rendered)
            if !problems.isEmpty, reported < 5 {
                reported += 1
                let text = String(decoding: bytes, as: UTF8.self)
                Issue.record("seed \(seed) mutant \(index) of \(original.path): \(problems)\n--- mutant ---\n\(text.prefix(2000))")
            }
        }
        // Both outcomes were exercised: some mutants still check, most do not.
        #expect(rendered.models > 0)
        #expect(rendered.failures > 0)
        #expect(rendered.models + rendered.failures == 700)
    }

    @Test func mutatorIsDeterministicAndChangesTheText() throws {
        let text = try #require(Self.corpus.first).text
        var a = Mutator(rng: SeededGenerator(seed: 42)), b = Mutator(rng: SeededGenerator(seed: 42))
        var changed = 0
        for _ in 0..<50 {
            let x = a.mutant(of: text), y = b.mutant(of: text)
            #expect(x == y)
            if x != Array(text.utf8) { changed += 1 }
        }
        #expect(changed >= 40)
    }

    // MARK: Adversarial specs

    @Test func tenThousandLayers() throws {
        let yaml = "input: [4]\nlayers:\n" + String(repeating: "  - Dense 1\n", count: 10_000)
        let model = try #require(TestSupport.model(yaml))
        #expect(model.layers.count == 10_000)
        #expect(model.layers.first?.name == "dense")
        #expect(model.layers.last?.name == "dense_9999")
        #expect(Set(model.layers.map(\.name)).count == 10_000)
        // 4·1 + 1 for the first, then 1·1 + 1 for each of the 9,999 others.
        #expect(model.parameterCount == 5 + 9_999 * 2)
        #expect(KerasSummary.render(model).contains("Total params: 20,003"))
        #expect(CostTable.render(model).contains("Mult-adds per sample: 10,003"))
    }

    @Test func veryLongLines() throws {
        let long = String(repeating: "a", count: 100_000)
        let named = try #require(TestSupport.model("name: \(long)\ninput: [4]\nlayers: [Dense 1]\n"))
        #expect(named.name == long)
        #expect(KerasSummary.render(named).hasPrefix("Model: \"\(long)\"\n"))

        let comment = try #require(TestSupport.model("# " + long + "\ninput: [4]\nlayers: [Dense 1]\n"))
        #expect(comment.layers.count == 1)

        let errors = TestSupport.check("input: [4]\nlayers:\n  - Dense 1 " + String(repeating: "b", count: 100_000) + "\n")
            .diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.message.contains("means nothing to Dense") == true)
        #expect(errors.first?.range.start == ModelC.SourceLocation(line: 3, column: 13))
        #expect(errors.first?.range.end == ModelC.SourceLocation(line: 3, column: 100_013))

        let unknown = TestSupport.check("input: [4]\nlayers:\n  - " + String(repeating: "Q", count: 100_000) + "\n")
        #expect(unknown.model == nil)
        #expect(unknown.diagnostics.first?.message.hasPrefix("unknown layer") == true)

        let manyWords = TestSupport.check("input: [4]\nlayers:\n  - Dense 1" + String(repeating: " relu", count: 20_000) + "\n")
        #expect(manyWords.model == nil)
        #expect(manyWords.diagnostics.allSatisfy { $0.range.start.line == 3 })
    }

    /// Wide collections right up to the node limit are read whole (each append used to copy the
    /// collection, so these took minutes; the timing itself belongs to the benchmarks, not here).
    @Test func wideCollectionsAreReadWhole() throws {
        let list = "input: [4]\nlayers: [Dense 1]\nfit: {epochs: [" + Array(repeating: "1", count: 90_000).joined(separator: ", ") + "]}\n"
        let listRoot = try #require(YAMLReader.read(SourceFile(path: "wide.yaml", text: list)).root)
        guard case .mapping(let pairs) = listRoot.content, case .mapping(let fit) = pairs[2].value.content,
              case .sequence(let items) = fit[0].value.content else { Issue.record("unexpected tree"); return }
        #expect(items.count == 90_000)
        let keys = (0..<40_000).map { "k\($0): \($0)" }.joined(separator: "\n") + "\n"
        let keyRoot = try #require(YAMLReader.read(SourceFile(path: "wide.yaml", text: keys)).root)
        guard case .mapping(let keyPairs) = keyRoot.content else { Issue.record("unexpected tree"); return }
        #expect(keyPairs.count == 40_000)
        #expect(keyPairs.last?.key.scalarText == "k39999")
    }

    @Test func hugeSizesOverflowingSixtyFourBitsAreErrorsNotTraps() {
        // 2^31-1 squared fits in 64 bits, but three axes of it do not; either is refused as too large to count.
        let dense = TestSupport.errors("input: [2147483647, 2147483647, 2147483647]\nlayers:\n  - Dense 2147483647\n")
        #expect(dense.contains(where: Self.isSizeLimitMessage), "\(dense)")
        let reshape = TestSupport.errors("input: [4]\nlayers:\n  - Reshape 2147483647x2147483647x2147483647\n")
        #expect(reshape.contains(where: Self.isSizeLimitMessage), "\(reshape)")
        let flatten = TestSupport.errors("input: [2147483647, 2147483647, 2147483647]\nlayers:\n  - Flatten\n")
        #expect(flatten.contains(where: Self.isSizeLimitMessage), "\(flatten)")
        let lstm = TestSupport.errors("input: [2147483647, 2147483647]\nlayers:\n  - LSTM 2147483647\n")
        #expect(lstm.contains(where: Self.isSizeLimitMessage), "\(lstm)")
    }

    @Test func reshapeSizeAboveTheLimitSaysItIsTooLarge() throws {
        // Sizes must lie in 1...2147483647; a size past the top must not be told "sizes are at least 1".
        for yaml in ["input: [4]\nlayers:\n  - Reshape: {target_shape: [2147483648]}\n",
                     "input: [3000000000]\nlayers:\n  - Dense 1\n"] {
            let errors = TestSupport.errors(yaml)
            let error = try #require(errors.first)
            #expect(error.contains("2147483647") || error.contains("too large") || error.contains("at most"), "\(error)")
        }
        let huge = TestSupport.errors("input: [4]\nlayers:\n  - Reshape 99999999999999999999\n")
        #expect(!huge.isEmpty)
        let inferred = TestSupport.errors("input: [4]\nlayers:\n  - Reshape (-1, 2147483647)\n")
        #expect(inferred.contains { $0.contains("not a multiple of 2147483647") }, "\(inferred)")
    }

    // The next cases crash the process when they fail, so each runs in a child process.

    /// kernel (2^31-1)² ≈ 4.6e18 parameters fit in an Int, but their float32 bytes (×4) do not.
    @Test func hugeDenseLayerRendersWithoutTrapping() async {
        await #expect(processExitsWith: .success) {
            let result = TestSupport.check("input: [2147483647]\nlayers:\n  - Dense 2147483647\n")
            guard let model = result.model else {
                let errors = result.diagnostics.map(\.message)
                exit(errors.contains(where: RobustnessTests.isSizeLimitMessage) ? 0 : 3)
            }
            _ = KerasSummary.render(model)
            _ = SummaryJSON.render(model)
            _ = CostTable.render(model)
        }
    }

    /// Three such layers hold more parameters in total than an Int can count.
    @Test func stackedHugeDenseLayersRenderWithoutTrapping() async {
        await #expect(processExitsWith: .success) {
            let result = TestSupport.check("input: [2147483647]\nlayers:\n" + String(repeating: "  - Dense: {units: 2147483647}\n", count: 3))
            guard let model = result.model else {
                let errors = result.diagnostics.map(\.message)
                exit(errors.contains(where: RobustnessTests.isSizeLimitMessage) ? 0 : 3)
            }
            _ = KerasSummary.render(model)
            _ = SummaryJSON.render(model)
            _ = CostTable.render(model)
        }
    }

    /// With an unknown sequence length Conv1D computes no multiply-adds, so nothing checks its kernel
    /// size [kernel_size, channels, filters] for overflow before the summary multiplies it out.
    @Test func hugeConvolutionOnUnknownLengthRendersWithoutTrapping() async {
        await #expect(processExitsWith: .success) {
            let result = TestSupport.check("input: [null, 2147483647]\nlayers:\n  - Conv1D 2147483647 2147483647\n")
            guard let model = result.model else {
                let errors = result.diagnostics.map(\.message)
                exit(errors.contains(where: RobustnessTests.isSizeLimitMessage) ? 0 : 3)
            }
            _ = KerasSummary.render(model)
            _ = SummaryJSON.render(model)
            _ = CostTable.render(model)
        }
    }

    /// 300 layers of 2^48 weights each: every layer is countable, their total is not far from Int.max.
    @Test func manyLargeLayersRenderWithoutTrapping() async {
        await #expect(processExitsWith: .success) {
            let result = TestSupport.check("input: [16777216]\nlayers:\n" + String(repeating: "  - Dense 16777216\n", count: 300))
            guard let model = result.model else {
                let errors = result.diagnostics.map(\.message)
                exit(errors.contains(where: RobustnessTests.isSizeLimitMessage) ? 0 : 3)
            }
            _ = KerasSummary.render(model)
            _ = SummaryJSON.render(model)
            _ = CostTable.render(model)
        }
    }

    /// Capitalised words each start a wrapped layer; a 10 KB line of them must be an error, not a
    /// stack overflow.
    @Test func deeplyNestedShorthandWrappersDoNotOverflowTheStack() async {
        await #expect(processExitsWith: .success) {
            for word in ["TimeDistributed ", "A "] {
                let result = TestSupport.check("input: [4, 2]\nlayers:\n  - " + String(repeating: word, count: 5_000) + "Dense 1\n")
                if result.model != nil || !result.hasErrors { exit(3) }
            }
        }
    }

    @Test func nestedWrappersFiftyDeep() throws {
        var flow = "{LSTM: {units: 8}}"
        for _ in 0..<50 { flow = "{Bidirectional: {layer: \(flow)}}" }
        let deep = TestSupport.check("input: [5, 2]\nlayers:\n  - \(flow)\n")
        #expect(deep.model == nil)
        #expect(deep.diagnostics.contains { $0.message.contains("nested more than \(YAMLReader.maximumDepth) levels") })

        var block = "LSTM: {units: 8}"
        for level in 0..<20 {
            _ = level
            block = "Bidirectional:\n  layer:\n" + block.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
        }
        let yaml = "input: [5, 2]\nlayers:\n" + block.split(separator: "\n").enumerated()
            .map { ($0.offset == 0 ? "  - " : "    ") + $0.element }.joined(separator: "\n") + "\n"
        let twenty = TestSupport.check(yaml)
        #expect(twenty.model == nil)
        let wrapError = try #require(twenty.diagnostics.first { $0.message.contains("wraps a recurrent layer") })
        #expect(wrapError.message.hasSuffix("not Bidirectional"))
        #expect(wrapError.range.start == ModelC.SourceLocation(line: 5, column: 9))

        let shorthand = TestSupport.check("input: [5, 2]\nlayers:\n  - " + String(repeating: "Bidirectional ", count: 50) + "LSTM 8\n")
        #expect(shorthand.model == nil)
        let nestingError = try #require(shorthand.diagnostics.first { $0.severity == .error })
        #expect(nestingError.message.contains("wraps a recurrent layer") || nestingError.message.contains("nested"), "\(nestingError.message)")
        #expect(nestingError.range.start.line == 3)
    }
}
