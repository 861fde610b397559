import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// ../shared/keras-cases/forward: Keras's weights and inputs, and Keras's `predict` outputs.
@Suite struct ForwardParityTests {
    static let cases = TestSupport.files(in: TestSupport.sharedRoot + "/keras-cases/forward", withExtension: "yaml")

    @Test(arguments: cases)
    func predictMatchesKeras(_ path: String) throws {
        let stem = String(path.dropLast(5))
        let x = try RunSupport.load(stem + ".x.npy")
        let y = try RunSupport.load(stem + ".y.npy")
        let result = SpecChecker.check(SourceFile(path: path, text: TestSupport.read(path)))
        let model = try #require(result.model, "\(result.diagnostics.map(\.message))")
        let network = try Network(model: model, sampleShape: x.sampleShape)
        try WeightsFile.load(network, from: stem + ".safetensors")
        network.reserve(capacity: x.rows)
        let input = Buffer(x.values)
        let output = network.forward(input, Pass(training: false, batch: x.rows, executor: network.executor))
        #expect([x.rows] + network.outputShape == y.shape)
        var worst: Float = 0
        for index in 0..<y.values.count { worst = max(worst, abs(output[index] - y.values[index])) }
        #expect(worst <= 1e-4, "largest difference \(worst)")
    }
}
