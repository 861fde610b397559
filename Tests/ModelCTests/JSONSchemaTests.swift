import Foundation
import Testing
@testable import ModelC

/// `modelc schema`: generated from the catalogues, and the committed docs/modelc.schema.json is
/// what it generates now. (Scripts/integration-editors.sh validates every spec against it with
/// check-jsonschema.)
struct JSONSchemaTests {
    static func schema() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(JSONSchema.rendered().utf8)) as? [String: Any])
    }

    static func definition(_ name: String) throws -> [String: Any] {
        try #require((try schema()["definitions"] as? [String: Any])?[name] as? [String: Any], "no definition \(name)")
    }

    /// The object form of a layer's (or component's) arguments.
    static func properties(ofLayer name: String) throws -> [String: [String: Any]] {
        let layer = try definition("layer." + name)
        let object = try #require((layer["anyOf"] as? [[String: Any]])?.first)
        #expect(object["additionalProperties"] as? Bool == false)
        return try #require(object["properties"] as? [String: [String: Any]])
    }

    @Test func committedSchemaIsUpToDate() {
        #expect(TestSupport.read(TestSupport.packageRoot + "/docs/modelc.schema.json") == JSONSchema.rendered(),
                "run Scripts/update-reference.sh")
    }

    @Test func topLevelKeysAreTheSections() throws {
        let schema = try Self.schema()
        #expect(schema["$schema"] as? String == "http://json-schema.org/draft-07/schema#")
        #expect(schema["additionalProperties"] as? Bool == false)
        let keys = Set(((schema["properties"] as? [String: Any]) ?? [:]).keys)
        #expect(keys == Set(SpecSection.allCases.map(\.rawValue)))
    }

    /// Every class and alias, every argument of each, with its type, range, enum and default.
    @Test func everyLayerAndArgumentComesFromTheCatalogue() throws {
        let layer = try Self.definition("layer")
        let forms = try #require(layer["anyOf"] as? [[String: Any]])
        let pattern = try #require(forms[0]["pattern"] as? String)
        let keyword = try #require(forms[1]["properties"] as? [String: Any])
        let regex = try Regex(pattern)
        for descriptor in LayerCatalog.all {
            for name in [descriptor.className] + descriptor.aliases {
                #expect(keyword[name] != nil, "\(name) keyword form")
                #expect("\(name) 8".firstMatch(of: regex) != nil, "\(name) shorthand")
            }
            let properties = try Self.properties(ofLayer: descriptor.className)
            for argument in descriptor.arguments {
                let property = try #require(properties[argument.name], "\(descriptor.className).\(argument.name)")
                #expect(property["description"] as? String == argument.doc)
            }
            #expect(properties["inputs"] != nil)
            #expect((properties["layer"] != nil) == descriptor.has(.wrapper))
        }
        #expect("Dens 8".firstMatch(of: regex) == nil && "LSTMx 8".firstMatch(of: regex) == nil)
        let dense = try Self.properties(ofLayer: "Dense")
        #expect(dense["units"]?["type"] as? String == "integer" && dense["units"]?["minimum"] as? Int == 1)
        #expect((dense["activation"]?["enum"] as? [Any])?.contains { $0 as? String == "relu" } == true)
        let dropout = try Self.properties(ofLayer: "Dropout")
        #expect(dropout["rate"]?["minimum"] as? Double == 0 && dropout["rate"]?["maximum"] as? Double == 1, "[0, 1]: rate 1 only warns")
        let lstm = try Self.properties(ofLayer: "LSTM")
        #expect(lstm["activation"]?["default"] as? String == "tanh")
        #expect(lstm["return_sequences"]?["default"] as? Bool == false)
        let conv = try Self.properties(ofLayer: "Conv1D")
        #expect(conv["padding"]?["enum"] as? [String] == ["valid", "same", "causal"])
    }

    @Test func trainingComponentsComeFromTheCatalogue() throws {
        for (name, catalog) in [("optimizer", optimizerCatalog), ("loss", lossCatalog), ("metric", metricCatalog), ("callback", callbackCatalog)] {
            let forms = try #require(try Self.definition(name)["anyOf"] as? [[String: Any]])
            let classes = try #require(forms[1]["properties"] as? [String: Any])
            #expect(Set(classes.keys) == Set(catalog.all.map(\.className)), "\(name)")
            if catalog.caseInsensitive {
                let regex = try Regex(try #require(forms[0]["pattern"] as? String))
                #expect("ADAM".wholeMatch(of: regex) != nil && "adamm".wholeMatch(of: regex) == nil)
            } else {
                #expect(Set(forms[0]["enum"] as? [String] ?? []) == Set(catalog.allNames), "\(name)")
            }
        }
    }

    @Test func caseInsensitivePatternsAndEscapes() {
        #expect(JSONSchema.caseInsensitivePattern("SGD1") == "[Ss][Gg][Dd]1")
        #expect(JSONSchema.escaped("a.b(c)") == "a\\.b\\(c\\)")
    }
}
