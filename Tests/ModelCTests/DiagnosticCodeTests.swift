import Foundation
import Testing
@testable import ModelC

/// The code table: unique stable codes, an example for each that really gets its code, and every
/// diagnostic the checker can produce carrying one.
struct DiagnosticCodeTests {
    @Test func codesAreUniqueAndGroupedByStage() {
        let codes = DiagnosticCode.allCases
        #expect(codes.count >= 60)
        #expect(Set(codes.map(\.id)).count == codes.count)
        #expect(Set(codes.map(\.name)).count == codes.count)
        for code in codes {
            #expect(code.id.wholeMatch(of: /MC0[0-6]\d\d/) != nil, "\(code.id)")
            #expect(code.name.wholeMatch(of: /[a-z0-9]+(-[a-z0-9]+)*/) != nil, "\(code.name)")
            #expect(!code.summary.isEmpty && code.explanation.count > 60, "\(code.id) needs a paragraph")
        }
        // Numbers rise through the table, so the list and the docs come out grouped.
        #expect(codes.map(\.entry.number) == codes.map(\.entry.number).sorted())
        #expect(DiagnosticCode.unknownLayer.id == "MC0301")
        #expect(DiagnosticCode.notUTF8.name == "not-utf8")
        #expect(DiagnosticCode.needsTokenIDs.name == "needs-token-ids")
    }

    @Test(arguments: DiagnosticCode.allCases.filter { $0.example != nil })
    func exampleGetsItsCode(_ code: DiagnosticCode) throws {
        let result = TestSupport.check(try #require(code.example))
        let codes = result.diagnostics.map(\.code)
        #expect(codes.contains(code), "\(code.id) example got \(result.diagnostics.map { "\($0.code?.id ?? "-") \($0.message)" })")
    }

    /// The codes without an example are about files, which no spec text shows; each is made here
    /// (the spec file's) or in DataFileCheckTests (the data files').
    @Test func fileCodesHappen() throws {
        #expect(Set(DiagnosticCode.allCases.filter { $0.example == nil })
            == [.specFileUnreadable, .specFileTooLarge, .tooManyDiagnostics, .notUTF8,
                .dataFileMissing, .dataContents, .dataNotScanned])
        // The data codes need files beside the spec; DataFileCheckTests makes each of them.
        let directory = try TestSupport.temporaryDirectory("codes")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        if case .failure(let missing) = SpecFiles.load(directory + "/absent.yaml") {
            #expect(missing.code == .specFileUnreadable)
        } else { Issue.record("a missing file loaded") }
        if case .failure(let folder) = SpecFiles.load(directory) {
            #expect(folder.code == .specFileUnreadable)
        } else { Issue.record("a directory loaded") }
        let bytes = SourceFile(path: "latin1.yaml", bytes: Array("name: caf".utf8) + [0xE9] + Array("\nlayers: [Dense 1]\n".utf8))
        #expect(SpecChecker.check(bytes).diagnostics.map(\.code) == [.notUTF8])
        let huge = SourceFile(path: "huge.yaml", bytes: Array(repeating: UInt8(ascii: "#"), count: YAMLReader.maximumBytes + 1))
        #expect(SpecChecker.check(huge).diagnostics.map(\.code) == [.specFileTooLarge])
        let many = "input: [4]\nlayers:\n" + (0..<120).map { "  - Dens\($0) 1\n" }.joined()
        let file = SourceFile(path: "many.yaml", text: many)
        let json = DiagnosticRenderer.render([FileDiagnostics(file: file, diagnostics: SpecChecker.check(file).diagnostics)], format: .json)
        #expect(json.contains("\"code\": \"MC0003\""))
    }

    /// Every diagnostic of the invalid corpus has a code, and notes (which belong to it) have none.
    @Test func everyDiagnosticOfTheCorpusHasACode() {
        let specs = TestSupport.files(in: TestSupport.packageRoot + "/Specs/invalid", withExtension: "yaml")
        #expect(specs.count > 40)
        var seen = Set<DiagnosticCode>()
        for path in specs {
            guard case .success(let file) = SpecFiles.load(path) else { continue }
            for diagnostic in SpecChecker.check(file).diagnostics {
                #expect(diagnostic.code != nil, "\(path): \(diagnostic.message)")
                if let code = diagnostic.code { seen.insert(code) }
                #expect(diagnostic.notes.allSatisfy { $0.code == nil && $0.severity == .note })
            }
        }
        #expect(seen.count > 30)
    }

    @Test func explainFindsCodesByIdOrName() {
        let byID = ExplainCommand.run(code: "mc0301")
        #expect(byID.exitCode == 0)
        #expect(byID.standardOutput.hasPrefix("MC0301 unknown-layer: an unknown layer class\n"))
        #expect(byID.standardOutput.contains("example.yaml:3:5: error: unknown layer 'Dens'; did you mean 'Dense'?"))
        #expect(ExplainCommand.run(code: "unknown-layer").standardOutput == byID.standardOutput)
        let unknown = ExplainCommand.run(code: "MC0310x")
        #expect(unknown.exitCode == 2)
        #expect(unknown.standardError.contains("did you mean 'MC0310'?"))
        let list = ExplainCommand.run(code: nil).standardOutput
        for code in DiagnosticCode.allCases { #expect(list.contains("\(code.id)  \(code.name) ")) }
    }

    @Test func diagnosticsReferenceIsUpToDate() {
        let committed = TestSupport.read(TestSupport.packageRoot + "/docs/diagnostics.md")
        #expect(committed == DiagnosticsReference.markdown(), "run Scripts/update-reference.sh")
    }
}
