import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// `modelc import`: Keras's files read as data into specs with the same model and weights.
struct KerasImportTests {
    static func imported(_ file: KerasFile) throws -> (spec: String, model: TypedModel) {
        let result = KerasImporter.spec(config: file.config, training: file.trainingConfig, flavor: file.format.flavor,
                                        source: "model", kerasVersion: file.kerasVersion)
        let spec = try #require(result.spec, "\(result.problems)")
        let model = try #require(TestSupport.model(spec), "\(TestSupport.errors(spec))\n\(spec)")
        return (spec, model)
    }

    /// Keras's own files become specs with Keras's layer names and parameter counts, and the weights Keras holds.
    @Test(arguments: KerasFixtures.cases)
    func importsWhatKerasWrote(_ name: String) throws {
        let facts = try KerasFixtures.json("\(KerasFixtures.root)/\(name)/case.json")
        let counts = try #require(facts["keras3_layer_params"]?.objectValue)
        for fileName in ["keras3.keras", "tf_keras.h5"] {
            let file = try KerasFile.read("\(KerasFixtures.root)/\(name)/\(fileName)")
            let (_, model) = try Self.imported(file)
            #expect(model.parameterCount == facts["keras3_params"]?["total"]?.intValue, "\(name)/\(fileName)")
            // Keras's counts per layer (its input layers, with none, aside).
            let keras = Dictionary(counts.filter { pair in !model.inputs.contains { $0.name == pair.0 } }.map { ($0.0, $0.1.intValue ?? -1) },
                                   uniquingKeysWith: { a, _ in a })
            #expect(Dictionary(uniqueKeysWithValues: model.layers.map { ($0.name, $0.parameterCount) }) == keras, "\(name)/\(fileName)")
            #expect(try file.tensors(for: model) == (try KerasFixtures.weights(name)), "\(name)/\(fileName)")
            // The compile settings come along: the same optimizer and losses as the fixture's spec.
            let original = try KerasFixtures.model(name)
            #expect(model.compile?.optimizer.descriptor.className == original.compile?.optimizer.descriptor.className)
            #expect(model.compile?.optimizer.arguments.values == original.compile?.optimizer.arguments.values, "\(name)/\(fileName)")
            #expect(model.compile?.outputs.map { $0.loss?.descriptor.className } == original.compile?.outputs.map { $0.loss?.descriptor.className })
            #expect(model.compile?.outputs.map(\.weight) == original.compile?.outputs.map(\.weight))
            #expect(model.compile?.metrics.map(\.loggedName) == original.compile?.metrics.map(\.loggedName), "\(name)/\(fileName)")
        }
    }

    /// import(export(spec)): the same summary and the same weights, bit for bit, in both formats.
    @Test(arguments: KerasFixtures.cases)
    func roundTripKeepsSummaryAndWeights(_ name: String) throws {
        let model = try KerasFixtures.model(name)
        let weights = try KerasFixtures.weights(name)
        for format in [KerasFileFormat.keras, .h5] {
            let file = try KerasFile.decode(try KerasWriter.encode(model, tensors: weights, format: format), path: "model")
            let (_, back) = try Self.imported(file)
            #expect(KerasSummary.render(back) == KerasSummary.render(model), "\(name) \(format)")
            #expect(try file.tensors(for: back) == weights)
        }
    }

    @Test func shorthandWhereExactKeywordsForWrappers() throws {
        let (spec, _) = try Self.imported(try KerasFile.read("\(KerasFixtures.root)/seq_bidirectional/keras3.keras"))
        #expect(spec.contains("  - {Bidirectional: {layer: {SimpleRNN: {units: 2, kernel_initializer: he_normal, return_sequences: true, name: rnn_inner}}, merge_mode: mul, name: bi_rnn}}"))
        #expect(spec.contains("  - Dense 1 activation=sigmoid kernel_initializer=he_normal name=out"))
        #expect(spec.contains("  optimizer: {Adam: {learning_rate: 0.01, amsgrad: true}}"))
        #expect(spec.contains("# Keras files hold no data or fit settings"))
    }

    @Test(arguments: [
        ("lambda.keras", "'times_two' (Lambda) is a Lambda: its config carries Python code"),
        ("lambda.h5", "model_config layers[2] 'times_two' (Lambda) is a Lambda"),
        ("custom_layer.keras", "is the custom class 'fixtures>Doubling': modelc reads only Keras's built-in layers and never imports code"),
        ("conv2d.keras", "config.json layers[2] 'conv2d' (Conv2D) is a layer modelc does not have"),
        ("kernel_regularizer.keras", "kernel_regularizer={\"module\":\"keras.regularizers\""),
    ])
    func refusesWhatItCannotRepresent(_ file: String, _ expected: String) throws {
        let keras = try KerasFile.read("\(KerasFixtures.root)/refused/\(file)")
        let result = KerasImporter.spec(config: keras.config, training: keras.trainingConfig, flavor: keras.format.flavor, source: file, kerasVersion: nil)
        #expect(result.spec == nil)
        #expect(result.problems.count == 1 && result.problems[0].contains(expected), "\(result.problems)")
    }

    /// Every problem at once: one message per layer or argument, nothing written.
    @Test func reportsEveryProblemAtOnce() throws {
        let config = """
        {"class_name": "Sequential", "config": {"name": "m", "layers": [
          {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4], "name": "x"}},
          {"class_name": "Dense", "config": {"name": "d", "units": 3, "kernel_regularizer": {"class_name": "L2", "config": {"l2": 0.01}}, "lora_rank": 4}},
          {"class_name": "Lambda", "config": {"name": "l", "function": ["4wEAAAAA", null, null]}},
          {"class_name": "Dense", "config": {"name": "e", "units": 1, "activation": "mish", "padding": "x"}}]}}
        """
        let result = KerasImporter.spec(config: try JSONParser.parse(Array(config.utf8)), training: nil, flavor: .tfKeras, source: "m.h5", kerasVersion: nil)
        #expect(result.spec == nil)
        #expect(result.problems == [
            "model_config layers[1] 'd' (Dense): kernel_regularizer={\"class_name\":\"L2\",\"config\":{\"l2\":0.01}} is not supported: modelc supports only Keras's default kernel_regularizer=null; remove it in Keras and save the model again",
            "model_config layers[1] 'd' (Dense): the argument lora_rank=4 is not one modelc has for Dense",
            "model_config layers[2] 'l' (Lambda) is a Lambda: its config carries Python code (marshalled bytecode or a function name), which modelc never runs; replace it by built-in layers",
            "model_config layers[3] 'e' (Dense): activation is 'mish', an activation modelc does not have",
            "model_config layers[3] 'e' (Dense): the argument padding=\"x\" is not one modelc has for Dense",
        ])
    }

    @Test func importCommandWritesSpecAndWeightsThatPredictLikeKeras() throws {
        let directory = try TestSupport.temporaryDirectory("keras-import")
        let result = try TestSupport.run(["import", "\(KerasFixtures.root)/fn_two_inputs/tf_keras.h5",
                                          "--output", "\(directory)/spec.yaml", "--weights-output", "\(directory)/w.safetensors"])
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stdout.contains("wrote \(directory)/spec.yaml"))
        let inputs = try NumpyArchive.decode(KerasFixtures.bytes("\(KerasFixtures.root)/fn_two_inputs/x.npz"), file: "x.npz")
        var arguments = ["predict", "\(directory)/spec.yaml", "--weights", "\(directory)/w.safetensors", "--output", "\(directory)/y.npy"]
        for (name, array) in inputs {
            try Data(array.encoded()).write(to: URL(fileURLWithPath: "\(directory)/\(name).npy"))
            arguments += ["--input", "\(name)=\(directory)/\(name).npy"]
        }
        let predicted = try TestSupport.run(arguments)
        #expect(predicted.code == 0, "\(predicted.stderr)")
        let expected = try RunSupport.load("\(KerasFixtures.root)/fn_two_inputs/y.tf_keras.npy")
        let mine = try RunSupport.load("\(directory)/y.npy")
        #expect(mine.values.count == expected.values.count)
        #expect(zip(mine.values, expected.values).allSatisfy { abs($0 - $1) <= 1e-5 })

        let refused = try TestSupport.run(["import", "\(KerasFixtures.root)/refused/lambda.keras",
                                           "--output", "\(directory)/r.yaml", "--weights-output", "\(directory)/r.safetensors"])
        #expect(refused.code == 1 && refused.stderr.contains("nothing was written"))
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/r.yaml") && !FileManager.default.fileExists(atPath: "\(directory)/r.safetensors"))
    }

    /// What modelc drops without changing the model becomes a comment of the spec, and a note.
    @Test func droppedSettingsBecomeComments() throws {
        let config = """
        {"class_name": "Sequential", "config": {"name": "m", "layers": [
          {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 4], "name": "x"}},
          {"class_name": "Dense", "config": {"name": "d", "units": 3, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "mixed_float16"}},
           "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": 3}}}}]}}
        """
        let result = KerasImporter.spec(config: try JSONParser.parse(Array(config.utf8)), training: nil, flavor: .keras3, source: "m.keras", kerasVersion: "3.15.1")
        let spec = try #require(result.spec, "\(result.problems)")
        #expect(spec.contains("""
          # d: the seed 3 of glorot_uniform (it only draws initial weights)
          # d: dtype policy mixed_float16 (modelc computes in float32)
          - Dense 3 name=d

        """))
        #expect(result.notes == ["d: the seed 3 of glorot_uniform (it only draws initial weights)", "d: dtype policy mixed_float16 (modelc computes in float32)"])
        #expect(TestSupport.model(spec)?.layers.first?.parameterCount == 15)
    }
}
