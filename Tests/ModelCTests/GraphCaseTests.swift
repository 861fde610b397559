import Foundation
import Testing
import Synchronization
@testable import ModelC
@testable import ModelRun

/// ../shared/keras-cases/graph-*: random functional models Keras built — their summaries, `predict`
/// outputs and four `fit` steps.
@Suite struct GraphCaseTests {
    static func cases(_ folder: String) -> [String] {
        TestSupport.files(in: TestSupport.sharedRoot + "/keras-cases/" + folder, withExtension: "yaml")
    }

    static func json(_ path: String) throws -> [String: Any] {
        let bytes = try #require(FileManager.default.contents(atPath: path))
        return try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
    }

    static func model(_ path: String, extra: String = "") throws -> TypedModel {
        let result = SpecChecker.check(SourceFile(path: path, text: TestSupport.read(path) + extra))
        return try #require(result.model, "\(result.diagnostics.map(\.message))")
    }

    /// Lines without trailing blanks (Keras pads every row to the table's width).
    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var line = Substring(line)
            while line.last == " " { line = line.dropLast() }
            return String(line)
        }
    }

    @Test func theCasesArePresent() {
        #expect(Self.cases("graph-summary").count >= 30)
        #expect(Self.cases("graph-forward").count >= 20)
        #expect(Self.cases("graph-train").count >= 8)
    }

    @Test(arguments: cases("graph-summary"))
    func summaryIsKerasText(_ path: String) throws {
        let stem = String(path.dropLast(5))
        let model = try Self.model(path)
        #expect(Self.lines(KerasSummary.render(model)) == Self.lines(TestSupport.read(stem + ".txt")))
        let expected = try Self.json(stem + ".json")
        #expect((expected["layout"] as? String) == (KerasGraph(model).isSequentialLike ? "sequential-like" : "functional"))
        #expect((expected["outputs"] as? [String]) == model.outputs.map { model.layers[$0].name })
        let rows = try #require(expected["rows"] as? [[String: Any]])
        let order = KerasGraph(model).order
        try #require(order.count == rows.count)
        for (node, row) in zip(order, rows) {
            switch node {
            case .input(let index):
                #expect(model.inputs[index].name == row["name"] as? String)
                #expect(row["type"] as? String == "InputLayer")
                #expect("[\(model.inputs[index].type.kerasDescription)]" == row["shape"] as? String)
            case .layer(let index):
                let layer = model.layers[index]
                #expect(layer.name == row["name"] as? String)
                #expect(layer.className == row["type"] as? String)
                #expect(layer.output.kerasDescription == row["shape"] as? String)
                #expect(layer.parameterCount == row["params"] as? Int)
                #expect(layer.sources.map { "\(model.name(of: $0))[0][0]" } == row["connected_to"] as? [String])
            }
        }
        #expect(model.parameterCount == expected["total"] as? Int)
        #expect(model.trainableParameterCount == expected["trainable"] as? Int)
    }

    @Test(arguments: cases("graph-forward"))
    func predictMatchesKeras(_ path: String) throws {
        let stem = String(path.dropLast(5))
        let model = try Self.model(path)
        let x = try NumpyArchive.read(stem + ".x.npz")
        let y = try NumpyArchive.read(stem + ".y.npz")
        let inputs = try model.inputs.map { input in try #require(x[input.name], "no x for \(input.name)") }
        let network = try Network(model: model, sampleShapes: inputs.map(\.sampleShape))
        try WeightsFile.load(network, from: stem + ".safetensors")
        let rows = inputs[0].rows
        let data = Dataset(inputs: inputs.map(\.values), inputShapes: inputs.map(\.sampleShape), targets: [],
                           targetShapes: [], rows: rows)
        let outputs = Inference.predictAll(network, data, batchSize: 32)
        for (index, name) in network.outputNames.enumerated() {
            let expected = try #require(y[name], "Keras has no output \(name)")
            #expect([rows] + network.outputShapes[index] == expected.shape, "\(name)")
            var worst: Float = 0
            for (ours, theirs) in zip(outputs[index], expected.values) {
                worst = max(worst, abs(ours - theirs) - 1e-4 * abs(theirs))
            }
            #expect(worst <= 1e-4, "\(name): largest excess difference \(worst)")
        }
    }

    /// The README's way: the case spec plus training sections, each input and output its own .npy,
    /// `modelc train --weights` (in process); the run's weights.safetensors is Keras's after 4 steps.
    @Test(arguments: cases("graph-train"))
    func fourStepsEndAtKerasWeights(_ path: String) throws {
        let stem = String(path.dropLast(5))
        let description = try Self.json(stem + ".json")
        let folder = try TestSupport.temporaryDirectory("graph-train")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var x: [String] = [], y: [String] = []
        for (name, array) in try NumpyArchive.read(stem + ".x.npz").sorted(by: { $0.key < $1.key }) {
            try AtomicFile.write(array.encoded(), to: "\(folder)/x_\(name).npy")
            x.append("\(name): x_\(name).npy")
        }
        for (name, array) in try NumpyArchive.read(stem + ".y.npz").sorted(by: { $0.key < $1.key }) {
            try AtomicFile.write(array.encoded(), to: "\(folder)/y_\(name).npy")
            y.append("\(name): y_\(name).npy")
        }
        let optimizer = try #require(description["optimizer"] as? [String: [String: Any]])
        let (className, arguments) = try #require(optimizer.first)
        let written = arguments.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value is Bool ? (($0.value as! Bool) ? "true" : "false") : "\($0.value)")" }
        let losses = try #require(description["loss"] as? [String: String]).sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        let weights = try #require(description["loss_weights"] as? [String: Double]).sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        let spec = TestSupport.read(path) + """

            compile:
              optimizer: {\(className): {\(written.joined(separator: ", "))}}
              loss: {\(losses.joined(separator: ", "))}
              loss_weights: {\(weights.joined(separator: ", "))}
            fit: {epochs: \(description["epochs"] as? Int ?? 2), batch_size: \(description["batch_size"] as? Int ?? 4), shuffle: false, verbose: 0}
            data:
              train:
                x: {\(x.joined(separator: ", "))}
                y: {\(y.joined(separator: ", "))}

            """
        try AtomicFile.write(spec, to: folder + "/spec.yaml")
        let messages = Mutex<[String]>([])
        let output = CommandOutput(out: { _ in }, error: { line in messages.withLock { $0.append(line) } })
        let code = TrainCommand.run(spec: folder + "/spec.yaml",
                                    options: TrainOptions(runDirectory: folder + "/run", initialWeights: stem + ".init.safetensors", threads: 2),
                                    output: output)
        try #require(code == 0, "\(messages.withLock { $0 })")
        let ours = try SafeTensors.decode([UInt8](try #require(FileManager.default.contents(atPath: folder + "/run/weights.safetensors"))), file: "ours")
        let keras = try SafeTensors.decode([UInt8](try #require(FileManager.default.contents(atPath: stem + ".after.safetensors"))), file: "keras")
        #expect(Set(ours.keys) == Set(keras.keys))
        for (name, expected) in keras {
            let got = try #require(ours[name])
            var worst: Float = 0
            for (a, b) in zip(got.values, expected.values) { worst = max(worst, abs(a - b) - 1e-3 * abs(b)) }
            #expect(worst <= 1e-4, "\(name): largest excess difference \(worst)")
        }
        let history = try Self.json(folder + "/run/history.json")
        let total = try #require(history["loss"] as? [Double])
        for (ours, theirs) in zip(total, try #require(description["keras_loss_history"] as? [Double])) {
            #expect(abs(ours - theirs) <= 2e-3 * max(1, abs(theirs)), "loss \(ours) vs Keras \(theirs)")
        }
        if let perOutput = description["keras_output_loss_history"] as? [String: [Double]] {
            for (name, values) in perOutput {
                let logged = try #require(history["\(name)_loss"] as? [Double], "no \(name)_loss in the history")
                for (ours, theirs) in zip(logged, values) {
                    #expect(abs(ours - theirs) <= 2e-3 * max(1, abs(theirs)), "\(name)_loss \(ours) vs Keras \(theirs)")
                }
            }
        }
    }
}
