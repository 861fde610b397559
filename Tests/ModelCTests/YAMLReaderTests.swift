import Foundation
import Testing
@testable import ModelC

private typealias SpecLocation = ModelC.SourceLocation
private typealias SpecRange = ModelC.SourceRange

/// The YAML layer: libyaml events to a located node tree, YAML 1.2 core scalar resolution, and
/// every way a file can be refused, each with a location a user can act on.
@Suite struct YAMLReaderTests {
    // MARK: Helpers

    static func read(_ text: String) -> (root: YAMLNode?, diagnostics: [Diagnostic]) {
        YAMLReader.read(SourceFile(path: "t.yaml", text: text))
    }

    static func read(bytes: [UInt8]) -> (root: YAMLNode?, diagnostics: [Diagnostic]) {
        YAMLReader.read(SourceFile(path: "t.yaml", bytes: bytes))
    }

    fileprivate static func at(_ line: Int, _ column: Int) -> SpecLocation {
        SpecLocation(line: line, column: column)
    }

    static func pairs(_ node: YAMLNode?) -> [YAMLPair] {
        if case .mapping(let pairs)? = node?.content { return pairs }
        Issue.record("expected a mapping, got \(String(describing: node?.content))")
        return []
    }

    static func items(_ node: YAMLNode?) -> [YAMLNode] {
        if case .sequence(let items)? = node?.content { return items }
        Issue.record("expected a sequence, got \(String(describing: node?.content))")
        return []
    }

    /// A compact, comparable spelling of a resolved value.
    static func describe(_ value: SpecValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): "bool(\(flag))"
        case .int(let number): "int(\(number))"
        case .float(let number): "float(\(number))"
        case .string(let text): "string(\(text))"
        case .list(let items): "list(" + items.map { describe($0.value) }.joined(separator: ", ") + ")"
        case .mapping(let entries): "mapping(" + entries.map { $0.key.value + ": " + describe($0.value.value) }.joined(separator: ", ") + ")"
        }
    }

    /// The single error of a failed read, with its location.
    static func onlyError(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Diagnostic? {
        onlyError(read(text), sourceLocation: sourceLocation)
    }

    static func onlyError(_ result: (root: YAMLNode?, diagnostics: [Diagnostic]),
                          sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Diagnostic? {
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1, "expected one error, got \(errors.map(\.message))", sourceLocation: sourceLocation)
        return errors.first
    }

    // MARK: Tree and ranges

    @Test func blockMappingKeysAndScalarValuesHaveOneBasedRanges() throws {
        let (root, diagnostics) = Self.read("name: demo\ninput: [21, 1]\n")
        #expect(diagnostics.isEmpty)
        let pairs = Self.pairs(root)
        try #require(pairs.count == 2)
        #expect(pairs[0].key.scalarText == "name")
        #expect(pairs[0].key.range == SpecRange(start: Self.at(1, 1), end: Self.at(1, 5)))
        #expect(pairs[0].value.scalarText == "demo")
        #expect(pairs[0].value.range == SpecRange(start: Self.at(1, 7), end: Self.at(1, 11)))
        #expect(pairs[1].key.range == SpecRange(start: Self.at(2, 1), end: Self.at(2, 6)))
        // The flow list covers its brackets; its items sit inside.
        #expect(pairs[1].value.range == SpecRange(start: Self.at(2, 8), end: Self.at(2, 15)))
        let items = Self.items(pairs[1].value)
        #expect(items.map(\.scalarText) == ["21", "1"])
        #expect(items.map(\.range.start) == [Self.at(2, 9), Self.at(2, 13)])
        #expect(items.map(\.range.end) == [Self.at(2, 11), Self.at(2, 14)])
    }

    @Test func blockSequenceItemsStartAtTheirText() throws {
        let (root, diagnostics) = Self.read("layers:\n  - Dense 1\n  - Flatten\n")
        #expect(diagnostics.isEmpty)
        let layers = try #require(Self.pairs(root).first).value
        #expect(layers.range.start == Self.at(2, 3))  // the first '-'
        let items = Self.items(layers)
        #expect(items.map(\.scalarText) == ["Dense 1", "Flatten"])
        #expect(items.map(\.range) == [
            SpecRange(start: Self.at(2, 5), end: Self.at(2, 12)),
            SpecRange(start: Self.at(3, 5), end: Self.at(3, 12)),
        ])
    }

    @Test func flowAndBlockMappingsNest() throws {
        let text = "fit: {epochs: 3, batch_size: 4}\ncompile:\n  loss: mse\n"
        let (root, diagnostics) = Self.read(text)
        #expect(diagnostics.isEmpty)
        let top = Self.pairs(root)
        try #require(top.count == 2)
        #expect(top[0].value.range == SpecRange(start: Self.at(1, 6), end: Self.at(1, 32)))
        let fit = Self.pairs(top[0].value)
        #expect(fit.map(\.key.scalarText) == ["epochs", "batch_size"])
        #expect(fit.map(\.key.range.start) == [Self.at(1, 7), Self.at(1, 18)])
        #expect(fit.map(\.value.range.start) == [Self.at(1, 15), Self.at(1, 30)])
        let compile = Self.pairs(top[1].value)
        #expect(compile.first?.key.range.start == Self.at(3, 3))
        #expect(compile.first?.value.range == SpecRange(start: Self.at(3, 9), end: Self.at(3, 12)))
    }

    @Test func quotedScalarsKeepTheirStyleAndQuotesInTheRange() throws {
        let (root, _) = Self.read("a: ['8', \"x y\", 8]\n")
        let items = Self.items(try #require(Self.pairs(root).first).value)
        try #require(items.count == 3)
        guard case .scalar("8", .singleQuoted) = items[0].content,
              case .scalar("x y", .doubleQuoted) = items[1].content,
              case .scalar("8", .plain) = items[2].content else {
            Issue.record("unexpected contents \(items.map(\.content))")
            return
        }
        #expect(items[0].range == SpecRange(start: Self.at(1, 5), end: Self.at(1, 8)))
        #expect(items[1].range == SpecRange(start: Self.at(1, 10), end: Self.at(1, 15)))
    }

    @Test func columnsCountUnicodeScalarsNotBytes() throws {
        // 한국어 and 모델 are three bytes per character; columns must count characters.
        let text = "a: [한국어, 모델, 8]\n이름: 값\n"
        let (root, diagnostics) = Self.read(text)
        #expect(diagnostics.isEmpty)
        let pairs = Self.pairs(root)
        try #require(pairs.count == 2)
        let items = Self.items(pairs[0].value)
        #expect(items.map(\.scalarText) == ["한국어", "모델", "8"])
        #expect(items.map(\.range.start) == [Self.at(1, 5), Self.at(1, 10), Self.at(1, 14)])
        #expect(items[2].range.end == Self.at(1, 15))
        #expect(pairs[1].key.range == SpecRange(start: Self.at(2, 1), end: Self.at(2, 3)))
        #expect(pairs[1].value.range == SpecRange(start: Self.at(2, 5), end: Self.at(2, 6)))
        // SourceFile agrees: the byte offset of "8" maps to the same column.
        let file = SourceFile(path: "t.yaml", text: text)
        let offset = try #require(Array(text.utf8).firstIndex(of: UInt8(ascii: "8")))
        #expect(file.location(ofByte: offset) == Self.at(1, 14))
        #expect(file.line(2) == "이름: 값")
    }

    @Test func crlfLineEndingsKeepLinesAndColumns() throws {
        let (root, diagnostics) = Self.read("a: 1\r\nb: [x, y]\r\n")
        #expect(diagnostics.isEmpty)
        let pairs = Self.pairs(root)
        try #require(pairs.count == 2)
        #expect(pairs[1].key.range.start == Self.at(2, 1))
        #expect(Self.items(pairs[1].value).map(\.range.start) == [Self.at(2, 5), Self.at(2, 8)])
        #expect(SourceFile(path: "t", text: "a: 1\r\nb: 2\r\n").line(1) == "a: 1")
    }

    // MARK: Scalar resolution (YAML 1.2 core schema)

    static let resolutions: [(String, String)] = [
        ("", "null"), ("~", "null"), ("null", "null"), ("Null", "null"), ("NULL", "null"),
        ("true", "bool(true)"), ("True", "bool(true)"), ("TRUE", "bool(true)"),
        ("false", "bool(false)"), ("False", "bool(false)"), ("FALSE", "bool(false)"),
        ("0", "int(0)"), ("8", "int(8)"), ("+12", "int(12)"), ("-7", "int(-7)"), ("08", "int(8)"),
        ("0x1F", "int(31)"), ("0xff", "int(255)"), ("0o17", "int(15)"),
        ("9223372036854775807", "int(9223372036854775807)"), ("-9223372036854775808", "int(-9223372036854775808)"),
        ("1e-4", "float(0.0001)"), ("1.0e-4", "float(0.0001)"), ("1E+2", "float(100.0)"), (".5", "float(0.5)"),
        ("-.5", "float(-0.5)"), ("0.3", "float(0.3)"), ("1.", "float(1.0)"), ("-2.5e3", "float(-2500.0)"),
        (".inf", "float(inf)"), (".Inf", "float(inf)"), ("+.inf", "float(inf)"), ("-.inf", "float(-inf)"), ("-.INF", "float(-inf)"),
        // Integers past 64 bits become numbers too large for any integer argument, not text.
        ("9223372036854775808", "float(9.223372036854776e+18)"), ("99999999999999999999", "float(1e+20)"),
        // YAML 1.1 booleans are text in YAML 1.2.
        ("yes", "string(yes)"), ("no", "string(no)"), ("on", "string(on)"), ("off", "string(off)"),
        ("Yes", "string(Yes)"), ("y", "string(y)"), ("n", "string(n)"),
        // Not numbers in the core schema.
        ("1_000", "string(1_000)"), ("0b101", "string(0b101)"), ("e5", "string(e5)"), ("1e", "string(1e)"),
        (".", "string(.)"), ("-", "string(-)"), ("0x", "string(0x)"), ("0xG", "string(0xG)"), ("relu", "string(relu)"),
        ("1.2.3", "string(1.2.3)"), ("12abc", "string(12abc)"), ("inf", "string(inf)"), ("nan", "string(nan)"),
    ]

    @Test(arguments: resolutions)
    func plainScalarResolution(text: String, expected: String) {
        #expect(Self.describe(SpecValue.resolvingPlainScalar(text)) == expected, "resolving '\(text)'")
    }

    @Test(arguments: [".nan", ".NaN", ".NAN"])
    func notANumber(text: String) {
        guard case .float(let value) = SpecValue.resolvingPlainScalar(text) else {
            Issue.record("'\(text)' should be a float")
            return
        }
        #expect(value.isNaN)
    }

    /// The core schema's hexadecimal and octal forms are unsigned: `0x[0-9a-fA-F]+`, `0o[0-7]+`.
    /// A sign after the prefix is not part of them, so these stay text.
    @Test(arguments: ["0x-1", "0x+1", "0o-7", "0o+7"])
    func signAfterRadixPrefixIsNotANumber(text: String) {
        #expect(Self.describe(SpecValue.resolvingPlainScalar(text)) == "string(\(text))")
    }

    /// `parseNumber` promises that integers too large for 64 bits become floats "so range checks can
    /// reject them by size"; a hexadecimal one is still an integer in the core schema.
    @Test func hexIntegerTooLargeForInt64IsANumberNotText() {
        let value = SpecValue.resolvingPlainScalar("0x10000000000000000")
        guard case .float(let number) = value else {
            Issue.record("0x10000000000000000 resolved to \(Self.describe(value)), expected a float")
            return
        }
        #expect(number == 18446744073709551616.0)
    }

    @Test func onlyPlainScalarsAreResolvedAndStandardTagsApply() throws {
        let text = """
            input: [8, '8', "8", !!str 8, !!int '8', !!float 1, !!bool true, !!null ~, yes, ~, 1e-4, !, ! 3]
            layers: [Dense 1]

            """
        let (document, diagnostics) = SpecReader.read(SourceFile(path: "t.yaml", text: text))
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
        let input = try #require(document?.input)
        #expect(Self.describe(input.value) == "list(int(8), string(8), string(8), string(8), int(8), float(1.0), bool(true), null, string(yes), null, float(0.0001), string(), string(3))")
    }

    @Test func standardTagThatDoesNotFitItsValueIsAnError() throws {
        let (_, diagnostics) = SpecReader.read(SourceFile(path: "t.yaml", text: "input: [!!int abc]\nlayers: [Dense 1]\n"))
        let error = try #require(diagnostics.first { $0.severity == .error })
        #expect(error.message == "'abc' is not a valid !!int value")
        #expect(error.range.start == Self.at(1, 9))
        let (_, yes) = SpecReader.read(SourceFile(path: "t.yaml", text: "name: !!bool yes\n"))
        #expect(yes.contains { $0.message == "'yes' is not a valid !!bool value" })
    }

    // MARK: Errors

    @Test func duplicateKeyIsAnErrorWithANoteAtTheFirstOccurrence() throws {
        let error = try #require(Self.onlyError("fit:\n  epochs: 1\n  batch_size: 2\n  epochs: 3\n"))
        #expect(error.message.contains("duplicate key 'epochs'"))
        #expect(error.range == SpecRange(start: Self.at(4, 3), end: Self.at(4, 9)))
        #expect(error.notes.count == 1)
        #expect(error.notes.first?.severity == .note)
        #expect(error.notes.first?.message == "'epochs' first appears here")
        #expect(error.notes.first?.range.start == Self.at(2, 3))

        // The same key in two different mappings is fine.
        #expect(Self.read("a: {x: 1}\nb: {x: 2}\n").diagnostics.isEmpty)
    }

    @Test func duplicateTopLevelKeyReachesTheChecker() {
        let result = TestSupport.check("input: [4]\nlayers: [Dense 1]\ninput: [5]\n")
        #expect(result.model == nil)
        let duplicate = result.diagnostics.first { $0.message.contains("duplicate key 'input'") }
        #expect(duplicate?.range.start == Self.at(3, 1))
        #expect(duplicate?.notes.first?.range.start == Self.at(1, 1))
    }

    @Test func tabIndentationIsNamed() throws {
        for text in ["input: [4]\nlayers:\n\t- Dense 1\n", "fit:\n\tepochs: 1\n"] {
            let error = try #require(Self.onlyError(text))
            #expect(error.message.contains("tab"), "\(error.message)")
            #expect(error.range.start.column == 1)
            #expect(error.range.start.line == text.split(separator: "\n").firstIndex { $0.hasPrefix("\t") }! + 1)
        }
    }

    @Test func invalidUTF8ByteIsLocatedOnItsLineAndColumn() throws {
        var bytes = Array("input: [4]\nlayers:\n  - Dense".utf8)
        bytes.append(0xFF)
        bytes += Array(" 1\n".utf8)
        let error = try #require(Self.onlyError(Self.read(bytes: bytes)))
        #expect(error.message.contains("not valid UTF-8"))
        #expect(error.message.contains("0xFF"))
        #expect(error.range.start == Self.at(3, 10))
    }

    @Test func invalidUTF8AfterNonASCIITextCountsScalars() throws {
        // "# 한국어 " is six scalars (and twelve bytes), so the bad byte is in column 7.
        var bytes = Array("a: 1\n# 한국어 ".utf8)
        bytes.append(0xC0)  // an overlong lead byte never appears in UTF-8
        bytes.append(0x80)
        bytes += Array("\n".utf8)
        let error = try #require(Self.onlyError(Self.read(bytes: bytes)))
        #expect(error.message.contains("0xC0"))
        #expect(error.range.start == Self.at(2, 7))
    }

    @Test(arguments: [
        [0xED, 0xA0, 0x80] as [UInt8],  // a UTF-16 surrogate
        [0xF4, 0x90, 0x80, 0x80],  // past U+10FFFF
        [0xE2, 0x82],  // cut short by the end of the file
        [0x80],  // a lone continuation byte
    ])
    func malformedSequencesAreRefused(sequence: [UInt8]) throws {
        let bytes = Array("a: ".utf8) + sequence
        let error = try #require(Self.onlyError(Self.read(bytes: bytes)))
        #expect(error.message.contains("not valid UTF-8"))
        #expect(error.range.start == Self.at(1, 4))
    }

    @Test func controlCharacterIsRefusedWhereItIs() throws {
        let error = try #require(Self.onlyError("name: a\u{1}b\n"))
        #expect(error.message.contains("control character"))
        #expect(error.message.contains("0x1"))
        #expect(error.range.start == Self.at(1, 8))
        let nul = try #require(Self.onlyError("a: 1\nname: x\u{0}\n"))
        #expect(nul.message.contains("control character"))
        #expect(nul.range.start == Self.at(2, 8))
    }

    /// libyaml notices the missing quote at the end of the file, but the message is about the
    /// opening quote; the caret must go there too, not under an empty line past the text.
    @Test func unterminatedQuotedStringPointsAtItsOpeningQuote() throws {
        let error = try #require(Self.onlyError("name: 'abc\ninput: [4]\n"))
        #expect(error.message.contains("never closed"))
        #expect(error.message.contains("line 1"))
        #expect(error.range.start == Self.at(1, 7))
    }

    @Test func flowListWithoutClosingBracket() throws {
        let error = try #require(Self.onlyError("input: [4, 2\nlayers: [Dense 1]\n"))
        #expect(error.message.contains("']'"))
        #expect(error.message.contains("line 1"))
        #expect(error.range.start.line == 2)
    }

    @Test func secondColonOnALine() throws {
        let error = try #require(Self.onlyError("name: value: x\n"))
        #expect(error.message.contains("unexpected ':'"))
        #expect(error.range.start == Self.at(1, 12))
    }

    @Test func secondDocumentIsRefused() throws {
        let error = try #require(Self.onlyError("input: [4]\n---\nlayers: [Dense 1]\n"))
        #expect(error.message.contains("second"))
        #expect(error.message.contains("'---'"))
        #expect(error.range == SpecRange(start: Self.at(2, 1), end: Self.at(2, 4)))
        // One explicit document, with or without its end marker, is fine.
        #expect(Self.read("---\ninput: [4]\n...\n").diagnostics.isEmpty)
    }

    @Test func unknownAliasNamesTheAnchor() throws {
        let error = try #require(Self.onlyError("input: *shape\n"))
        #expect(error.message.contains("'*shape'"))
        #expect(error.message.contains("'&shape'"))
        #expect(error.range == SpecRange(start: Self.at(1, 8), end: Self.at(1, 14)))
    }

    @Test func unsupportedTagIsAnErrorStandardTagsAreNot() throws {
        let error = try #require(Self.onlyError("input: !python/object [4]\n"))
        #expect(error.message.contains("'!python/object'"))
        #expect(error.message.contains("not supported"))
        #expect(error.range.start == Self.at(1, 8))

        let (root, diagnostics) = Self.read("a: !!str 8\nb: !!seq [1]\nc: !!map {x: 1}\n")
        #expect(diagnostics.isEmpty)
        #expect(Self.pairs(root).map(\.value.tag) == ["!!str", "!!seq", "!!map"])

        let (document, _) = SpecReader.read(SourceFile(path: "t.yaml", text: "name: !!str 8\n"))
        #expect(document.map { Self.describe($0.name!.value) } == "string(8)")
    }

    @Test(arguments: ["", "\n\n", "# only a comment\n# and another\n", "---\n", "~\n", "null"])
    func emptySpec(text: String) throws {
        #expect(Self.read(text).diagnostics.isEmpty, "an empty YAML stream is not a YAML error")
        let (document, diagnostics) = SpecReader.read(SourceFile(path: "t.yaml", text: text))
        #expect(document == nil)
        let error = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(error.message.hasPrefix("empty spec"))
        #expect(error.range.start == Self.at(1, 1))
    }

    @Test func topLevelListOrScalarIsNotASpec() throws {
        let (document, diagnostics) = SpecReader.read(SourceFile(path: "t.yaml", text: "- Dense 1\n- Flatten\n"))
        #expect(document == nil)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.contains("a spec is a mapping of sections") == true)
        #expect(diagnostics.first?.message.hasSuffix("not a list") == true)
        #expect(diagnostics.first?.range.start == Self.at(1, 1))
        let (_, scalar) = SpecReader.read(SourceFile(path: "t.yaml", text: "Dense 1\n"))
        #expect(scalar.first?.message.hasSuffix("not a scalar") == true)
    }

    @Test func nestingDeeperThanTheLimitIsRefusedWhereItStarts() throws {
        let depth = YAMLReader.maximumDepth
        let fits = String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
        let (root, ok) = Self.read(fits)
        #expect(ok.isEmpty)
        #expect(root != nil)

        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "\n"
        let error = try #require(Self.onlyError(deep))
        #expect(error.message.contains("nested more than \(depth) levels"))
        #expect(error.range.start == Self.at(1, depth + 1))

        // Block mappings count too.
        var block = ""
        for level in 0...depth { block += String(repeating: " ", count: level) + "k\(level):\n" }
        let blockError = try #require(Self.onlyError(block + String(repeating: " ", count: depth + 1) + "v\n"))
        #expect(blockError.message.contains("nested more than"))
        #expect(blockError.range.start.line == depth + 1)
    }

    @Test func billionLaughsStopsAtTheNodeLimit() throws {
        var text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
            previous = name
        }
        let result = Self.read(text)
        let error = try #require(Self.onlyError(result))
        #expect(error.message.contains("expands to more than \(YAMLReader.maximumNodes) nodes"))
        // Line 4 (d) holds about 10^4 nodes; the aliases on line 5 (e) pass 10^5.
        #expect((5...6).contains(error.range.start.line))
        #expect(result.root == nil)
    }

    @Test func smallAliasReusedTwiceGivesTheAnchoredContent() throws {
        let (root, diagnostics) = Self.read("a: &s [1, 2]\nb: *s\nc: *s\n")
        #expect(diagnostics.isEmpty)
        let pairs = Self.pairs(root)
        try #require(pairs.count == 3)
        for pair in pairs {
            #expect(Self.items(pair.value).map(\.scalarText) == ["1", "2"])
        }
        // An alias is located where it is written.
        #expect(pairs[1].value.range == SpecRange(start: Self.at(2, 4), end: Self.at(2, 6)))
        #expect(pairs[2].value.range.start == Self.at(3, 4))

        let model = try #require(TestSupport.check("input: &shape [4]\nlayers:\n  - &layer Dense 3 relu\n  - *layer\n").model)
        #expect(model.layers.map(\.name) == ["dense", "dense_1"])
        #expect(model.layers.map { $0.arguments.int("units") } == [3, 3])
        #expect(model.layers[1].arguments.values == model.layers[0].arguments.values)
    }

    @Test func fileLargerThanTheLimitIsRefusedBeforeParsing() throws {
        var bytes = [UInt8](repeating: UInt8(ascii: "#"), count: YAMLReader.maximumBytes + 1)
        bytes[bytes.count - 1] = UInt8(ascii: "\n")
        let error = try #require(Self.onlyError(Self.read(bytes: bytes)))
        #expect(error.message.contains("\(YAMLReader.maximumBytes + 1) bytes"))
        #expect(error.message.contains("at most \(YAMLReader.maximumBytes) bytes"))
        #expect(error.range.start == Self.at(1, 1))

        // Exactly at the limit, the file is read (and is an empty spec).
        bytes.removeLast(2)
        bytes.append(UInt8(ascii: "\n"))
        #expect(bytes.count == YAMLReader.maximumBytes)
        #expect(Self.read(bytes: bytes).diagnostics.isEmpty)
    }

    @Test func diagnosticsRenderWithTheirNotes() {
        let text = "input: [4]\nlayers: [Dense 1]\ninput: [5]\n"
        let result = TestSupport.check(text)
        let rendered = DiagnosticRenderer.render([FileDiagnostics(file: SourceFile(path: "dup.yaml", text: text), diagnostics: result.diagnostics)], format: .text)
        #expect(rendered.contains("dup.yaml:3:1: error: duplicate key 'input'"))
        #expect(rendered.contains("dup.yaml:1:1: note: 'input' first appears here\ninput: [4]\n^~~~~\n"))
    }
}
