import Foundation
import Testing
@testable import ModelC

/// ../shared/keras-cases: random models Keras built, with Keras's summary rows and totals.
@Suite struct KerasCaseTests {
    static let summaryCases = TestSupport.files(in: TestSupport.sharedRoot + "/keras-cases/summary", withExtension: "yaml")

    static let otherCases = ["forward", "train"].flatMap {
        TestSupport.files(in: TestSupport.sharedRoot + "/keras-cases/" + $0, withExtension: "yaml")
    }

    @Test func theCasesArePresent() {
        #expect(Self.summaryCases.count >= 40)
        #expect(Self.otherCases.count >= 40)
    }

    @Test(arguments: summaryCases)
    func summaryMatchesKeras(_ path: String) throws {
        let json = try #require(FileManager.default.contents(atPath: String(path.dropLast(5)) + ".json"))
        let expected = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let rows = try #require(expected["rows"] as? [[String: Any]])
        let result = SpecChecker.check(SourceFile(path: path, text: TestSupport.read(path)))
        let model = try #require(result.model, "\(result.diagnostics.map(\.message))")
        try #require(model.layers.count == rows.count)
        for (layer, row) in zip(model.layers, rows) {
            #expect(layer.name == row["name"] as? String)
            #expect(layer.className == row["type"] as? String)
            #expect(layer.output.kerasDescription == row["shape"] as? String)
            #expect(layer.parameterCount == row["params"] as? Int)
        }
        #expect(model.parameterCount == expected["total"] as? Int)
        #expect(model.trainableParameterCount == expected["trainable"] as? Int)
        #expect(model.nonTrainableParameterCount == expected["non_trainable"] as? Int)
    }

    /// The forward and train cases are specs too; they must check without errors.
    @Test(arguments: otherCases)
    func caseSpecIsValid(_ path: String) {
        let result = SpecChecker.check(SourceFile(path: path, text: TestSupport.read(path)))
        #expect(result.model != nil, "\(result.diagnostics.map(\.message))")
    }
}
