import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// modelc's Keras files against files Keras 3.15 and tf_keras 2.21 wrote for the same models
/// (Tests/Fixtures/keras), and Keras files read back as weights.
struct KerasFileTests {
    @Test func everyFixtureCaseIsThere() {
        #expect(KerasFixtures.cases.count == 10)
    }

    @Test(arguments: KerasFixtures.cases)
    func keras3ConfigIsKerasOwn(_ name: String) throws {
        let model = try KerasFixtures.model(name)
        let bytes = try KerasWriter.encode(model, tensors: try KerasFixtures.weights(name), format: .keras)
        let mine = try JSONParser.parse(try KerasFixtures.archiveMember(bytes, "config.json"))
        let keras = try KerasFixtures.json("\(KerasFixtures.root)/\(name)/keras3.config.json")
        #expect(KerasFixtures.differences(mine, keras) == [])
        let metadata = try JSONParser.parse(try KerasFixtures.archiveMember(bytes, "metadata.json"))
        #expect(metadata["keras_version"] == .string("3.15.1"))
    }

    @Test(arguments: KerasFixtures.cases)
    func tfKerasConfigIsKerasOwn(_ name: String) throws {
        let model = try KerasFixtures.model(name)
        let bytes = try KerasWriter.encode(model, tensors: try KerasFixtures.weights(name), format: .h5)
        let mine = try JSONParser.parse(Array(try #require(HDF5Reader.read(bytes, file: name).attribute("model_config")?.text).utf8))
        let keras = try JSONParser.parse(Array(try #require(KerasFile.read("\(KerasFixtures.root)/\(name)/tf_keras.h5").config.rendered(indent: nil)).utf8))
        // tf_keras names a Sequential model's input after how the model was built (`input_1` after
        // keras.Input, `<first layer>_input` after input_shape); modelc writes the latter.
        let expected = model.isFunctional ? [] : ["/config/layers[0]/config/name: \"\(model.inputs[0].name)\", Keras \"input_1\""]
        #expect(KerasFixtures.differences(mine, keras) == expected)
    }

    /// Every group, dataset and attribute (name, string kind, value) of model.weights.h5 as Keras
    /// writes it, the optimizer's variables (slot layout per optimizer) included when a training's
    /// optimizer is given, left out otherwise.
    @Test(arguments: KerasFixtures.cases)
    func keras3WeightsFileHasKerasStructure(_ name: String) throws {
        let model = try KerasFixtures.model(name)
        let weights = try KerasFixtures.weights(name)
        let keras = try KerasFixtures.outline(treeJSON: "\(KerasFixtures.root)/\(name)/keras3.weights-tree.json")
        let bytes = try KerasWriter.encode(model, tensors: weights, format: .keras)
        let tree = try HDF5Reader.read(try KerasFixtures.archiveMember(bytes, "model.weights.h5"), file: name)
        #expect(KerasFixtures.outline(tree).sorted() == keras.filter { !$0.hasPrefix("/optimizer") })

        let network = try Network(model: model)
        let optimizer = Optimizer(try #require(model.compile).optimizer, parameters: network.parameters)
        let withState = try KerasWriter.encode(model, tensors: weights, format: .keras, optimizer: optimizer)
        let stateTree = try HDF5Reader.read(try KerasFixtures.archiveMember(withState, "model.weights.h5"), file: name)
        #expect(KerasFixtures.outline(stateTree).sorted() == keras)
    }

    @Test(arguments: KerasFixtures.cases)
    func tfKerasFileHasKerasStructure(_ name: String) throws {
        let model = try KerasFixtures.model(name)
        let bytes = try KerasWriter.encode(model, tensors: try KerasFixtures.weights(name), format: .h5)
        let keras = try KerasFixtures.outline(treeJSON: "\(KerasFixtures.root)/\(name)/tf_keras.h5-tree.json")
            .filter { !$0.hasPrefix("/optimizer_weights") }
        #expect(KerasFixtures.outline(try HDF5Reader.read(bytes, file: name)).sorted() == keras)
    }

    /// Keras's own files give modelc the weights Keras holds, bit for bit, in both formats.
    @Test(arguments: KerasFixtures.cases)
    func readsKerasWrittenWeights(_ name: String) throws {
        let model = try KerasFixtures.model(name)
        let expected = try KerasFixtures.weights(name)
        for file in ["keras3.keras", "tf_keras.h5"] {
            let tensors = try KerasFile.read("\(KerasFixtures.root)/\(name)/\(file)").tensors(for: model)
            #expect(tensors == expected, "\(name)/\(file)")
        }
    }

    /// What modelc writes reads back to the same weights, bit for bit.
    @Test(arguments: KerasFixtures.cases)
    func writtenWeightsReadBack(_ name: String) throws {
        let model = try KerasFixtures.model(name)
        let weights = try KerasFixtures.weights(name)
        for format in [KerasFileFormat.keras, .h5] {
            let bytes = try KerasWriter.encode(model, tensors: weights, format: format)
            #expect(try KerasFile.decode(bytes, path: "model.\(format.rawValue)").tensors(for: model) == weights)
        }
    }

    @Test func hdf5TreesRoundTripEveryKindOfValue() throws {
        var root = HDF5Group(attributes: [
            HDF5Attribute("utf8", .string("naïve ✓")), HDF5Attribute("ascii", .asciiString("plain")),
            HDF5Attribute("list", .stringList(["a", "bé"])), HDF5Attribute("asciiList", .asciiStringList(["x", "yz"])),
            HDF5Attribute("empty", .emptyList), HDF5Attribute("count", .int(-3)), HDF5Attribute("rate", .double(0.25)),
        ])
        root.set(.dataset(HDF5Dataset(shape: [2, 3], values: .float32([1, -2, 3.5, .pi, 0, -0]))), at: "a/b/weights")
        root.set(.dataset(HDF5Dataset(shape: [], values: .int64([42]))), at: "a/iterations")
        root.set(.dataset(HDF5Dataset(shape: [0], values: .float32([]))), at: "empty")
        root.set(.group(HDF5Group(attributes: [HDF5Attribute("name", .string("dense"))])), at: "a/vars")
        let read = try HDF5Reader.read(try HDF5Writer.image(of: root), file: "t.h5")
        #expect(KerasFixtures.outline(read) == KerasFixtures.outline(root))
        guard case .dataset(let weights)? = read.group(at: "a/b")?[child: "weights"] else { Issue.record("no weights"); return }
        #expect(weights.values == .float32([1, -2, 3.5, .pi, 0, -0]))
        #expect(read.attribute("utf8") == .string("naïve ✓"))
        #expect(read.attribute("empty") == .emptyList)
    }

    @Test func exportWritesKerasFilesAndWeightsCommandsReadThem() throws {
        let directory = try TestSupport.temporaryDirectory("keras-export")
        let spec = "\(KerasFixtures.root)/seq_gru/spec.yaml"
        for file in ["model.keras", "model.h5"] {
            let result = try TestSupport.run(["export", spec, "--weights", "\(KerasFixtures.root)/seq_gru/weights.safetensors", "--output", "\(directory)/\(file)"])
            #expect(result.code == 0, "\(result.stderr)")
            #expect(result.stdout.contains("wrote \(directory)/\(file): gru_stack, 147 parameters"))
            let predicted = try TestSupport.run(["predict", spec, "--weights", "\(directory)/\(file)",
                                                 "--input", "\(KerasFixtures.root)/seq_gru/x.npy", "--output", "\(directory)/y-\(file).npy"])
            #expect(predicted.code == 0, "\(predicted.stderr)")
            let keras = try RunSupport.load("\(KerasFixtures.root)/seq_gru/y.keras3.npy")
            let mine = try RunSupport.load("\(directory)/y-\(file).npy")
            #expect(zip(mine.values, keras.values).allSatisfy { abs($0 - $1) <= 1e-6 } && mine.values.count == keras.values.count)
        }
        // Without --weights: seeded fresh weights, the same for the same seed.
        for run in 0..<2 {
            let result = try TestSupport.run(["export", spec, "--seed", "5", "--output", "\(directory)/fresh\(run).h5"])
            #expect(result.stdout.contains("fresh initial weights (seed 5)"), "\(result.stderr)")
        }
        let first = try KerasFile.read("\(directory)/fresh0.h5").tensors(for: try KerasFixtures.model("seq_gru"))
        let second = try KerasFile.read("\(directory)/fresh1.h5").tensors(for: try KerasFixtures.model("seq_gru"))
        let fixture = try KerasFixtures.weights("seq_gru")
        #expect(first == second && first != fixture)
        let refused = try TestSupport.run(["export", spec, "--output", "\(directory)/model.onnx"])
        #expect(refused.code == 1 && refused.stderr.contains("end it in .keras (Keras 3) or .h5 (tf_keras)"))
    }

    /// A Keras file of another model is refused by what does not fit, naming layer and path.
    @Test func weightsOfAnotherModelAreRefusedByName() throws {
        let model = try KerasFixtures.model("seq_gru")
        #expect(throws: DataError.self) { try KerasFile.read("\(KerasFixtures.root)/seq_conv1d_pooling/keras3.keras").tensors(for: model) }
        do {
            _ = try KerasFile.read("\(KerasFixtures.root)/seq_conv1d_pooling/tf_keras.h5").tensors(for: model)
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains("tf_keras matches them in order") || error.description.contains("is shaped"))
        }
        do {
            _ = try KerasFile.read("\(KerasFixtures.root)/seq_conv1d_pooling/keras3.keras").tensors(for: model)
        } catch {
            #expect(error.description.contains("has no weight at layers/gru/cell/vars/0"))
        }
    }
}

/// ModelCheckpoint writes the format its file name says, as in the seeds (`best-lstm-model.h5`).
struct KerasCheckpointTests {
    @Test func checkpointsInKerasFormatsHoldTheRunsWeights() throws {
        let directory = try TestSupport.temporaryDirectory("keras-checkpoints")
        let x = NumpyArray(shape: [8, 3], values: (0..<24).map { Float($0 % 5) / 5 })
        let y = NumpyArray(shape: [8, 1], values: (0..<8).map { Float($0 % 2) })
        try Data(x.encoded()).write(to: URL(fileURLWithPath: directory + "/x.npy"))
        try Data(y.encoded()).write(to: URL(fileURLWithPath: directory + "/y.npy"))
        let spec = """
        input: [3]
        layers: [Dense 4 relu, Dense 1 sigmoid]
        compile: {optimizer: adam, loss: binary_crossentropy, metrics: [accuracy]}
        fit:
          epochs: 1
          batch_size: 4
          verbose: 0
          callbacks:
            - ModelCheckpoint: {filepath: best-model.h5}
            - ModelCheckpoint: {filepath: 'model-{epoch:02d}.keras'}
            - ModelCheckpoint: {filepath: w.weights.h5, save_weights_only: true}
            - ModelCheckpoint: {filepath: legacy-weights.h5, save_weights_only: true}
        data:
          train: {x: x.npy, y: y.npy}

        """
        #expect(TestSupport.warnings(spec) == [])
        let printed = try RunSupport.train(spec, in: directory)
        #expect(printed.code == 0, "\(printed.error)")
        let model = try #require(TestSupport.model(spec))
        let final = try SafeTensors.decode(KerasFixtures.bytes(directory + "/run/weights.safetensors"), file: "weights")
        for name in ["best-model.h5", "model-01.keras", "w.weights.h5", "legacy-weights.h5"] {
            let file = try KerasFile.read(directory + "/run/" + name)
            #expect(try file.tensors(for: model) == final, "\(name)")
            #expect(file.weightsOnly == name.contains("weights"), "\(name)")
        }
        #expect(try KerasFile.read(directory + "/run/best-model.h5").trainingConfig?["loss"] == .string("binary_crossentropy"))

        // The .keras checkpoint and an export of the run's resume state carry the optimizer's
        // state: 2 steps, the learning rate, Adam's m and v for each of the 4 weights.
        let exported = try TestSupport.run(["export", directory + "/spec.yaml", "--weights", directory + "/run/resume.safetensors",
                                            "--output", directory + "/continued.keras"])
        #expect(exported.stdout.contains("the weights and optimizer state of \(directory)/run/resume.safetensors after epoch 1"), "\(exported.stderr)")
        for path in [directory + "/run/model-01.keras", directory + "/continued.keras"] {
            let vars = try #require(KerasFile.read(path).tree.group(at: "optimizer/vars"))
            #expect(vars.attribute("name") == .string("adam"))
            #expect(vars.children.count == 2 + 2 * 4, "\(path)")
            #expect(vars[child: "0"] == .dataset(HDF5Dataset(shape: [], values: .int64([2]))))
            #expect(vars[child: "1"] == .dataset(HDF5Dataset(shape: [], values: .float32([Float(0.001)]))))
        }
    }

    @Test func otherSuffixesAreWarnedAbout() {
        #expect(TestSupport.warnings(CheckpointPathCheckTests.spec("best.pt")) == [
            "ModelCheckpoint writes a Keras file for a name ending in .keras or .h5 and safetensors weights for any other; end the name in .safetensors, .keras or .h5 to say which",
        ])
        #expect(TestSupport.warnings(CheckpointPathCheckTests.spec("best.keras")) == [])
    }
}
