import Foundation
import Testing
@testable import ModelC

/// `check --format sarif`: the parts of SARIF 2.1.0 GitHub code scanning requires (the integration
/// script validates the whole document against the OASIS schema with check-jsonschema).
struct SARIFTests {
    static func sarif(_ paths: [String], in directory: String = TestSupport.packageRoot) throws -> [String: Any] {
        let outcome = CheckCommand.run(paths: paths, format: .sarif, in: directory)
        return try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
    }

    @Test func runHasTheToolAndTheCodeTableAsRules() throws {
        let document = try Self.sarif(["Specs/invalid/unknown_layer.yaml"])
        #expect(document["version"] as? String == "2.1.0")
        #expect((document["$schema"] as? String)?.contains("sarif-2.1.0") == true)
        let run = try #require((document["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "modelc")
        #expect(driver["version"] as? String == modelcVersion)
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.compactMap { $0["id"] as? String } == DiagnosticCode.allCases.map(\.id))
        let unknownLayer = try #require(rules.first { $0["id"] as? String == "MC0301" })
        #expect(unknownLayer["name"] as? String == "unknown-layer")
        #expect((unknownLayer["shortDescription"] as? [String: Any])?["text"] as? String == DiagnosticCode.unknownLayer.summary)
        let help = try #require(unknownLayer["help"] as? [String: Any])
        #expect((help["text"] as? String)?.contains(DiagnosticCode.unknownLayer.explanation) == true)
        #expect((help["markdown"] as? String)?.contains("```yaml\n") == true)
        #expect(((rules.first { $0["id"] as? String == "MC0413" })?["defaultConfiguration"] as? [String: Any])?["level"] as? String == "warning")
    }

    @Test func resultsAreLocatedRelativeToTheRepository() throws {
        let absolute = TestSupport.packageRoot + "/Specs/invalid/unknown_layer.yaml"
        for path in ["Specs/invalid/unknown_layer.yaml", "./Specs/invalid/unknown_layer.yaml", absolute] {
            let run = try #require((try Self.sarif([path])["runs"] as? [[String: Any]])?.first)
            let results = try #require(run["results"] as? [[String: Any]])
            #expect(results.count == 2)
            let first = results[0]
            #expect(first["ruleId"] as? String == "MC0301")
            #expect(first["level"] as? String == "error")
            #expect(((first["message"] as? [String: Any])?["text"] as? String)?.hasPrefix("unknown layer 'LTSM'") == true)
            let location = try #require(((first["locations"] as? [[String: Any]])?.first)?["physicalLocation"] as? [String: Any])
            #expect((location["artifactLocation"] as? [String: Any])?["uri"] as? String == "Specs/invalid/unknown_layer.yaml")
            let region = try #require(location["region"] as? [String: Any])
            #expect(region["startLine"] as? Int == 5 && region["startColumn"] as? Int == 5)
            #expect(region["endLine"] as? Int == 5 && region["endColumn"] as? Int == 9)
            // The did-you-mean as a SARIF fix: replace the region with the suggestion.
            let fix = try #require((first["fixes"] as? [[String: Any]])?.first)
            let change = try #require((fix["artifactChanges"] as? [[String: Any]])?.first)
            let replacement = try #require((change["replacements"] as? [[String: Any]])?.first)
            #expect((replacement["insertedContent"] as? [String: Any])?["text"] as? String == "LSTM")
        }
    }

    @Test func notesAreRelatedLocations() throws {
        let run = try #require((try Self.sarif(["Specs/invalid/duplicate_names.yaml"])["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        let related = try #require(results.first?["relatedLocations"] as? [[String: Any]])
        #expect(related.first?["id"] as? Int == 1)
        #expect(((related.first?["message"] as? [String: Any])?["text"] as? String)?.isEmpty == false)
    }

    /// GitHub matches a result across pushes by its fingerprint: lines added above must not change it.
    @Test func fingerprintsSurviveLinesMovingAndDifferForRepeats() throws {
        let directory = try TestSupport.temporaryDirectory("sarif")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spec = "input: [4]\nlayers:\n  - Dens 1\n  - Dens 1\n"
        func fingerprints(_ text: String) throws -> [String] {
            try text.write(toFile: directory + "/s.yaml", atomically: true, encoding: .utf8)
            let run = try #require((try Self.sarif(["s.yaml"], in: directory)["runs"] as? [[String: Any]])?.first)
            return (run["results"] as? [[String: Any]] ?? []).compactMap {
                ($0["partialFingerprints"] as? [String: String])?["modelcDiagnostic/v1"]
            }
        }
        let before = try fingerprints(spec)
        #expect(before.count == 2)
        #expect(before[0] != before[1])
        #expect(try fingerprints("# a comment\n\n" + spec) == before)
        #expect(try fingerprints(spec.replacingOccurrences(of: "Dens 1\n  - Dens 1", with: "Dens 1\n  - Dnse 1")) != before)
    }

    @Test func pathsAreEncodedAsURIs() {
        #expect(SARIFRenderer.uri("specs/my model.yaml", root: nil) == "specs/my%20model.yaml")
        #expect(SARIFRenderer.uri("/elsewhere/é.yaml", root: "/work") == "file:///elsewhere/%C3%A9.yaml")
        #expect(SARIFRenderer.uri("/work/a/b.yaml", root: "/work") == "a/b.yaml")
    }
}
