import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// ../shared/keras-cases/train: from Keras's initial weights and data, 4 `fit` steps (batch 4, 2
/// epochs, no shuffling) must end at Keras's weights — BatchNormalization's moving statistics
/// included — with Keras's loss per epoch.
@Suite struct TrainParityTests {
    static let cases = TestSupport.files(in: TestSupport.sharedRoot + "/keras-cases/train", withExtension: "yaml")

    /// The case's `compile:` written as spec YAML from its JSON description.
    static func compileSection(_ json: [String: Any]) throws -> String {
        let optimizer = try #require(json["optimizer"] as? [String: [String: Any]])
        let (name, arguments) = try #require(optimizer.first)
        let written = arguments.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value is Bool ? (($0.value as! Bool) ? "true" : "false") : "\($0.value)")" }
        let loss = try #require(json["loss"] as? String)
        return "compile: {optimizer: {\(name): {\(written.joined(separator: ", "))}}, loss: \(loss)}\n"
    }

    @Test func theCasesArePresent() { #expect(Self.cases.count >= 16) }

    @Test(arguments: cases)
    func fourStepsEndAtKerasWeights(_ path: String) throws {
        let stem = String(path.dropLast(5))
        let bytes = try #require(FileManager.default.contents(atPath: stem + ".json"))
        let json = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        let yaml = TestSupport.read(path) + (try Self.compileSection(json))
        let result = SpecChecker.check(SourceFile(path: path, text: yaml))
        let model = try #require(result.model, "\(result.diagnostics.map(\.message))")
        let x = try RunSupport.load(stem + ".x.npy")
        let y = try RunSupport.load(stem + ".y.npy")
        let network = try Network(model: model, sampleShape: x.sampleShape, threads: 2)
        try WeightsFile.load(network, from: stem + ".init.safetensors")
        let trainer = Trainer(network: network, compile: try #require(model.compile), seed: 1, write: { _ in })
        let raw = DataLoader.RawSplit(x: x, y: y, xSource: "x", ySource: "y")
        let data = try DataLoader.prepare(raw, name: "training data", model: model, loss: trainer.loss)
        let (history, outcome) = trainer.fit(data, validation: nil, epochs: json["epochs"] as? Int ?? 2, batchSize: json["batch_size"] as? Int ?? 4,
                                             shuffle: false, verbose: 0, dynamicProgress: false, callbacks: [])
        #expect(outcome == .completed)
        let expected = try SafeTensors.decode([UInt8](try #require(FileManager.default.contents(atPath: stem + ".after.safetensors"))), file: "after")
        for parameter in network.parameters {
            let target = try #require(expected[parameter.name], "Keras has no \(parameter.name)")
            var worst: Float = 0
            for (ours, theirs) in zip(parameter.value.array, target.values) {
                worst = max(worst, abs(ours - theirs) / max(1, abs(theirs)))
            }
            #expect(worst <= 2e-4, "\(parameter.name): largest relative difference \(worst)")
        }
        let losses = try #require(json["keras_loss_history"] as? [Double])
        for (ours, theirs) in zip(history.values("loss"), losses) {
            #expect(abs((ours ?? .nan) - theirs) <= 1e-4 * max(1, abs(theirs)), "loss \(ours ?? .nan) vs Keras \(theirs)")
        }
    }
}
