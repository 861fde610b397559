import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// `modelc train`, `evaluate` and `predict` as users run them.
@Suite(.serialized) struct RunCommandTests {
    static func write(_ array: NumpyArray, to path: String) throws {
        try AtomicFile.write(array.encoded(), to: path)
    }

    /// The seed's many-to-one example: 100 epochs of batch 1 on 4 sequences, then 7, 8, 9 → about 10.
    @Test func manyToOneTrainsAndPredictsNearTen() throws {
        let directory = try TestSupport.temporaryDirectory("run")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try TestSupport.run(["train", "Specs/many_to_one.yaml", "--run-dir", directory + "/run"])
        #expect(run.code == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Model: \"sequential\""))
        #expect(run.stdout.contains("Epoch 1/100\n") && run.stdout.contains("Epoch 100/100\n"))
        #expect(run.stdout.contains("4/4 [==============================] - "))
        #expect(run.stdout.contains("test: loss: "))
        for file in ["weights.safetensors", "best.safetensors", "history.csv", "history.json", "curves.svg"] {
            #expect(FileManager.default.fileExists(atPath: directory + "/run/" + file), "\(file) missing")
        }
        try Self.write(NumpyArray(shape: [1, 3, 1], values: [7, 8, 9]), to: directory + "/x.npy")
        let predict = try TestSupport.run(["predict", "Specs/many_to_one.yaml", "--weights", directory + "/run/weights.safetensors",
                                           "--input", directory + "/x.npy", "--output", directory + "/y.npy"])
        #expect(predict.code == 0, "\(predict.stderr)")
        let y = try RunSupport.load(directory + "/y.npy")
        #expect(y.shape == [1, 1])
        #expect((9...11).contains(y.values[0]), "predicted \(y.values[0]) for 7, 8, 9")
        try Self.write(NumpyArray(shape: [1], values: [10]), to: directory + "/labels.npy")
        let evaluate = try TestSupport.run(["evaluate", "Specs/many_to_one.yaml", "--weights", directory + "/run/weights.safetensors",
                                            "--input", directory + "/x.npy", "--labels", directory + "/labels.npy"])
        #expect(evaluate.code == 0, "\(evaluate.stderr)")
        let loss = Double((y.values[0] - 10) * (y.values[0] - 10))
        #expect(evaluate.stdout == "1 samples - loss: \(format(loss))\n")
        let fromSpec = try TestSupport.run(["evaluate", "Specs/many_to_one.yaml", "--weights", directory + "/run/weights.safetensors"])
        #expect(fromSpec.stdout == evaluate.stdout)
    }

    @Test func sameSeedTrainsToIdenticalWeightFiles() throws {
        let directory = try TestSupport.temporaryDirectory("run")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (run, threads) in [("a", "1"), ("b", "2")] {
            let result = try TestSupport.run(["train", "Specs/many_to_one.yaml", "--epochs", "5", "--seed", "7", "--threads", threads,
                                              "--run-dir", directory + "/" + run])
            #expect(result.code == 0, "\(result.stderr)")
        }
        let a = FileManager.default.contents(atPath: directory + "/a/weights.safetensors")
        #expect(a != nil && a == FileManager.default.contents(atPath: directory + "/b/weights.safetensors"))
    }

    @Test func badDataFailsBeforeTheFirstStepNamingTheProblem() throws {
        let directory = try TestSupport.temporaryDirectory("run")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let model = "input: [3]\nlayers: [Dense 4 relu, Dense 3 softmax]\ncompile: {optimizer: adam, loss: sparse_categorical_crossentropy}\nfit: {epochs: 2}\n"
        try Self.write(NumpyArray(shape: [4, 3], values: Array(repeating: 0.5, count: 12)), to: directory + "/x.npy")
        try Self.write(NumpyArray(shape: [4], values: [0, 1, 2, 3], kind: .int64), to: directory + "/y.npy")
        try Self.write(NumpyArray(shape: [5], values: [0, 1, 2, 1, 0], kind: .int64), to: directory + "/y5.npy")
        let cases: [(String, String)] = [
            ("data: {train: {x: missing.npy, y: y.npy}}", directory + "/missing.npy"),
            ("data: {train: {x: x.npy, y: y.npy}}", "[0, 3)"),
            ("data: {train: {x: x.npy, y: y5.npy}}", "5"),
        ]
        for (index, (data, expected)) in cases.enumerated() {
            let spec = directory + "/spec\(index).yaml"
            try AtomicFile.write(model + data + "\n", to: spec)
            let result = try TestSupport.run(["train", spec, "--run-dir", directory + "/run\(index)"])
            #expect(result.code == 1)
            #expect(result.stderr.hasPrefix("error: "), "\(result.stderr)")
            #expect(result.stderr.contains(expected), "\(result.stderr) should mention \(expected)")
            #expect(!result.stdout.contains("Epoch 1/"))
            #expect(!FileManager.default.fileExists(atPath: directory + "/run\(index)"))
        }
        let noData = try TestSupport.run(["train", "Specs/lstm_3_units.yaml"])
        #expect(noData.code == 1)
        #expect(noData.stderr.contains("needs a `compile` section (optimizer, loss) to train"))
    }

    @Test func weightsThatDoNotFitAreRefusedByTensorName() throws {
        let directory = try TestSupport.temporaryDirectory("run")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bytes = SafeTensors.encode([("lstm/kernel", SafeTensors.Tensor(shape: [2, 2], values: [1, 2, 3, 4]))])
        try AtomicFile.write(bytes, to: directory + "/bad.safetensors")
        let result = try TestSupport.run(["evaluate", "Specs/many_to_one.yaml", "--weights", directory + "/bad.safetensors"])
        #expect(result.code == 1)
        #expect(result.stderr.contains("'lstm/kernel'"))
        try AtomicFile.write(Array(bytes.prefix(bytes.count - 5)), to: directory + "/torn.safetensors")
        let torn = try TestSupport.run(["predict", "Specs/many_to_one.yaml", "--weights", directory + "/torn.safetensors",
                                        "--input", directory + "/none.npy", "--output", directory + "/y.npy"])
        #expect(torn.code == 1)
        #expect(!FileManager.default.fileExists(atPath: directory + "/y.npy"))
    }

    @Test func interruptStopsAfterTheStepAndStillWritesOutputs() throws {
        let directory = try TestSupport.temporaryDirectory("run")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Once training has visibly started, press Ctrl-C once.
        let result = try RunSafetyTests.signalled(["train", "Specs/many_to_one.yaml", "--epochs", "1000000", "--run-dir", directory + "/run"],
                                                  after: "Epoch 3/", signals: [SIGINT])
        #expect(result.code == 130)
        let text = result.out
        #expect(text.contains("interrupted at epoch"))
        for file in ["weights.safetensors", "history.csv", "history.json", "curves.svg"] {
            #expect(FileManager.default.fileExists(atPath: directory + "/run/" + file), "\(file) missing")
        }
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/run")) ?? []
        #expect(!leftovers.contains { $0.contains(".tmp-") }, "temporary files left: \(leftovers)")
    }

    @Test func runOptionsAreValidated() throws {
        for arguments in [["train", "Specs/many_to_one.yaml", "--epochs", "0"], ["train", "Specs/many_to_one.yaml", "--threads", "0"],
                          ["evaluate", "Specs/many_to_one.yaml"], ["predict", "Specs/many_to_one.yaml", "--weights", "w"]] {
            let result = try TestSupport.run(arguments)
            #expect(result.code == 2, "\(arguments)")
        }
    }
}
