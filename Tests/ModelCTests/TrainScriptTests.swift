import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// `modelc export SPEC --script train.py`: what the generated Keras 3 training script embeds and
/// declares. Python is not run here (CI has none); Scripts and docs/distributed.md say how the
/// script was run for real.
struct TrainScriptTests {
    /// The script `export --script` writes for `spec` (in-process), with what the command printed.
    static func export(_ spec: String, script: String, output: String? = nil, weights: String? = nil) -> RunSupport.Printed {
        let (printer, printed) = RunSupport.capture()
        let code = ExportCommand.run(spec: spec, weights: weights, outputPath: output, script: script, seed: nil, output: printer)
        return RunSupport.Printed(code: code, out: printed().out, error: printed().error)
    }

    /// The text between `NAME = """` and the closing `"""`.
    static func block(_ name: String, in script: String) -> String? {
        guard let start = script.range(of: "\n\(name) = \"\"\"\n"),
              let end = script.range(of: "\"\"\"", range: start.upperBound..<script.endIndex) else { return nil }
        return String(script[start.upperBound..<end.lowerBound])
    }

    static func embedded(_ name: String, in script: String) -> [UInt8]? {
        block(name, in: script).flatMap { Data(base64Encoded: $0, options: .ignoreUnknownCharacters) }.map { Array($0) }
    }

    /// PLAN_JSON's Python literal read back (the escapes `pythonString` writes), as a JSON object.
    static func plan(in script: String) throws -> [String: Any] {
        let line = try #require(script.split(separator: "\n").first { $0.hasPrefix("PLAN_JSON = '") })
        let literal = Array(line.dropFirst("PLAN_JSON = '".count).dropLast().unicodeScalars)
        var text = String.UnicodeScalarView()
        var index = 0
        while index < literal.count {
            if literal[index] == "\\" {
                let next = literal[index + 1]
                switch next {
                case "n": text.append("\n")
                case "r": text.append("\r")
                case "t": text.append("\t")
                case "U":
                    text.append(Unicode.Scalar(UInt32(String(String.UnicodeScalarView(literal[(index + 2)..<(index + 10)])), radix: 16)!)!)
                    index += 8
                default: text.append(next)
                }
                index += 2
            } else {
                text.append(literal[index])
                index += 1
            }
        }
        return try #require(try JSONSerialization.jsonObject(with: Data(String(text).utf8)) as? [String: Any])
    }

    @Test func imdbScriptEmbedsTheExportedFilesAndTheTextSettings() throws {
        let directory = try TestSupport.temporaryDirectory("train-script")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spec = TestSupport.packageRoot + "/Specs/imdb_lstm.yaml"
        let both = Self.export(spec, script: "\(directory)/with-output.py", output: "\(directory)/model.keras")
        #expect(both.code == 0)
        #expect(both.out.contains("wrote \(directory)/model.keras"))
        #expect(Self.export(spec, script: "\(directory)/with-h5.py", output: "\(directory)/model.h5").code == 0)
        let result = Self.export(spec, script: "\(directory)/train.py")
        #expect(result.code == 0)
        #expect(result.out.contains("wrote \(directory)/train.py"))
        let written = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(written == ["model.h5", "model.keras", "train.py", "with-h5.py", "with-output.py"], "--script alone writes no Keras file")
        let script = TestSupport.read("\(directory)/train.py")

        // The model travels inside the script, byte for byte what `export --output` writes (the
        // files hold the time they were saved, so compare the export that wrote both).
        let keras = try #require(Self.embedded("KERAS_B64", in: TestSupport.read("\(directory)/with-output.py")))
        #expect(keras == Array(try Data(contentsOf: URL(fileURLWithPath: "\(directory)/model.keras"))))
        let h5 = try #require(Self.embedded("H5_B64", in: TestSupport.read("\(directory)/with-h5.py")))
        #expect(h5 == Array(try Data(contentsOf: URL(fileURLWithPath: "\(directory)/model.h5"))))
        // The script alone embeds the same model: the same config.json.
        let alone = try #require(Self.embedded("KERAS_B64", in: script))
        #expect(try KerasFixtures.archiveMember(alone, "config.json") == KerasFixtures.archiveMember(keras, "config.json"))

        // Every strategy the command line offers, each with what it needs.
        #expect(script.contains(#"STRATEGIES = ("none", "mirrored", "multiworker", "jax")"#))
        #expect(script.contains("tf.distribute.MirroredStrategy(devices=devices)"))
        #expect(script.contains("tf.config.set_logical_device_configuration"))
        #expect(script.contains("tf.distribute.MultiWorkerMirroredStrategy()"))
        #expect(script.contains(#"os.environ["TF_USE_LEGACY_KERAS"] = "1""#))
        #expect(script.contains("keras.distribution.DataParallel(devices=devices)"))
        #expect(script.contains("--xla_force_host_platform_device_count"))
        // The backend is chosen before anything imports keras: no import of it at the top level.
        #expect(!script.split(separator: "\n").contains { $0.hasPrefix("import keras") || $0.hasPrefix("import tensorflow") || $0.hasPrefix("import jax") })

        let plan = try Self.plan(in: script)
        #expect(plan["spec_folder"] as? String == TestSupport.packageRoot + "/Specs")
        let data = try #require(plan["data"] as? [String: Any])
        let train = try #require(data["train"] as? [String: Any])
        #expect(train["kind"] as? String == "text")
        #expect(train["csv"] as? String == "imdb/train.csv")
        #expect(train["text"] as? String == "text")
        #expect(train["labels"] as? String == "label")
        #expect((data["test"] as? [String: Any])?["csv"] as? String == "imdb/test.csv")
        let text = try #require(data["text"] as? [String: Any])
        #expect(text["num_words"] as? Int == 500)
        #expect(text["maxlen"] as? Int == 100)
        #expect(text["padding"] as? String == "pre")
        #expect(text["truncating"] as? String == "pre")
        #expect(text["lowercase"] as? Bool == true)
        let fit = try #require(plan["fit"] as? [String: Any])
        #expect(fit["epochs"] as? Int == 100)
        #expect(fit["batch_size"] as? Int == 64)
        #expect(fit["seed"] as? Int == 42)
        let validation = try #require(fit["validation"] as? [String: Any])
        #expect(validation["split"] as? Double == 0.2)
        #expect(validation["seed"] as? Int == 42)
        let callbacks = try #require(fit["callbacks"] as? [[String: Any]])
        #expect(callbacks.map { $0["class"] as? String } == ["ModelCheckpoint", "EarlyStopping"])
        #expect((callbacks[0]["arguments"] as? [String: Any])?["filepath"] as? String == "best-lstm-model.safetensors")
        #expect((callbacks[1]["arguments"] as? [String: Any])?["restore_best_weights"] as? Bool == true)
        // modelc's weight names, each with the Keras layer holding it.
        let weights = try #require(plan["weights"] as? [[String: Any]])
        #expect(weights.map { $0["name"] as? String } == ["embedding/embeddings", "lstm/kernel", "lstm/recurrent_kernel", "lstm/bias", "dense/kernel", "dense/bias"])
        #expect(weights.map { $0["index"] as? Int } == [0, 0, 1, 2, 0, 1])
        #expect(weights[1]["shape"] as? [Int] == [16, 32])
    }

    @Test func numericCSVScriptResolvesDataAgainstTheSpecFolder() throws {
        let directory = try TestSupport.temporaryDirectory("train-script-csv")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try AtomicFile.write("""
            name: numbers
            input: [3]
            layers:
              - Dense 4 relu
              - Dense 1 sigmoid
            compile: {optimizer: adam, loss: binary_crossentropy}
            fit:
              batch_size: 8
              shuffle: false
              validation: {split: 0.25, seed: 3, stratify: true}
              callbacks:
                - BackupAndRestore: {backup_dir: backup}
            data:
              train: {csv: data/numbers.csv, features: [a, b, c], labels: [label]}
              test: {x: /abs/x.npy, y: {file: /abs/y.npz, key: y_test}}

            """, to: "\(directory)/spec.yaml")
        // A relative spec path (from the current folder, which tests must not change): the script
        // keeps the spec's folder as an absolute path.
        let depth = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.pathComponents.count - 1
        let relative = String(repeating: "../", count: depth) + directory.dropFirst() + "/spec.yaml"
        let result = Self.export(relative, script: "\(directory)/scripts/train.py", output: "\(directory)/model.keras")
        #expect(result.code == 0, "\(result.error)")
        #expect(FileManager.default.fileExists(atPath: "\(directory)/model.keras"))
        let script = TestSupport.read("\(directory)/scripts/train.py")
        let plan = try Self.plan(in: script)
        let folder = URL(fileURLWithPath: directory).standardizedFileURL.path
        #expect(plan["spec_folder"] as? String == folder)
        #expect(plan["spec"] as? String == folder + "/spec.yaml")
        let data = try #require(plan["data"] as? [String: Any])
        let train = try #require(data["train"] as? [String: Any])
        #expect(train["kind"] as? String == "csv")
        #expect(train["path"] as? String == "data/numbers.csv")
        #expect(train["features"] as? [String] == ["a", "b", "c"])
        #expect(train["labels"] as? [String] == ["label"])
        let test = try #require(data["test"] as? [String: Any])
        #expect((test["x"] as? [String: Any])?["npy"] as? String == "/abs/x.npy")
        #expect((test["y"] as? [String: Any])?["npz"] as? String == "/abs/y.npz")
        #expect((test["y"] as? [String: Any])?["member"] as? String == "y_test")
        let fit = try #require(plan["fit"] as? [String: Any])
        #expect(fit["shuffle"] as? Bool == false)
        #expect((fit["validation"] as? [String: Any])?["stratify"] as? Bool == true)
        #expect((fit["callbacks"] as? [[String: Any]])?.first?["class"] as? String == "BackupAndRestore")
        let inputs = try #require(plan["inputs"] as? [[String: Any]])
        #expect(inputs.count == 1)
        #expect(inputs.first?["name"] as? String == "dense_input")
        #expect(inputs.first?["shape"] as? [Int] == [3])
        #expect(inputs.first?["token_ids"] as? Bool == false)
        // The script resolves relative data paths exactly as modelc does: against --data, else
        // $MODELC_DATA, else the spec's folder; absolute ones stay.
        #expect(script.contains(#"return os.environ.get("MODELC_DATA", PLAN["spec_folder"])"#))
        #expect(script.contains(#"if path.startswith("/") or not root:"#))
    }

    @Test func exportNeedsAnOutputOrAScript() throws {
        let (printer, printed) = RunSupport.capture()
        let code = ExportCommand.run(spec: TestSupport.packageRoot + "/Specs/imdb_lstm.yaml", weights: nil, outputPath: nil,
                                     script: nil, seed: nil, output: printer)
        #expect(code == 1)
        #expect(printed().error == "error: export needs --output model.keras (or model.h5), --script train.py, or both\n")
    }

    @Test func anUnwritableScriptPathIsAnErrorAndWritesNothing() throws {
        let directory = try TestSupport.temporaryDirectory("train-script-refused")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try AtomicFile.write("not a folder", to: "\(directory)/file")
        let spec = TestSupport.packageRoot + "/Specs/imdb_lstm.yaml"
        let result = Self.export(spec, script: "\(directory)/file/train.py")
        #expect(result.code == 1)
        #expect(result.error.hasPrefix("error: "))
        #expect(result.error.contains("\(directory)/file"))
        // A bad --output is refused before anything is written, the script included.
        let refused = Self.export(spec, script: "\(directory)/train.py", output: "\(directory)/model.onnx")
        #expect(refused.code == 1)
        #expect(refused.error.contains("names no Keras format"))
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/train.py"))
    }

    @Test func pythonStringLiteralsEscapeWhatPythonWouldRead() {
        #expect(TrainScript.pythonString(#"a'b\c"#) == #"'a\'b\\c'"#)
        #expect(TrainScript.pythonString("line\nbreak\ttab\r") == #"'line\nbreak\ttab\r'"#)
        #expect(TrainScript.pythonString("\u{1}\u{2028}é") == #"'\U00000001\U00002028é'"#)
        #expect(TrainScript.pythonString(#"{"x":"\"q\""}"#) == #"'{"x":"\\"q\\""}'"#)
    }
}
