import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// `modelc check` with the data: every mistake the seen specs made only in `train` now fails `check`,
/// located at the spec's line that names the file.
struct DataFileCheckTests {
    /// A folder with `files` written into it, and the diagnostics of `spec` checked against it.
    static func diagnose(_ spec: String, files: [String: [UInt8]], scanLimit: Int = DataFileCheck.scanLimit) throws -> [Diagnostic] {
        let folder = try TestSupport.temporaryDirectory("datacheck")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (name, bytes) in files {
            try Data(bytes).write(to: URL(fileURLWithPath: folder + "/" + name))
        }
        let result = TestSupport.check(spec)
        #expect(result.model != nil, "\(result.diagnostics.map(\.message))")
        return DataFileCheck.diagnostics(result, root: folder, scanLimit: scanLimit)
    }

    static func npy(_ shape: [Int], _ values: [Float], kind: NumpyArray.Kind = .float32) -> [UInt8] {
        NumpyArray(shape: shape, values: values, kind: kind).encoded()
    }

    static let arraysSpec = """
        input: [2]
        layers: [Dense 1 sigmoid]
        compile: {optimizer: adam, loss: binary_crossentropy}
        data:
          train: {x: x_trian.npy, y: y.npy}

        """

    @Test func aMisspelledFileGetsADidYouMeanAndAFix() throws {
        let diagnostics = try Self.diagnose(Self.arraysSpec, files: ["x_train.npy": Self.npy([2, 2], [1, 2, 3, 4]),
                                                                      "y.npy": Self.npy([2], [0, 1])])
        let missing = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(missing.code == .dataFileMissing)
        #expect(missing.message.hasPrefix("data file x_trian.npy does not exist"))
        #expect(missing.message.hasSuffix("did you mean 'x_train.npy'?"))
        #expect(missing.range.start == SourceLocation(line: 5, column: 14))
        #expect(missing.fixes.first?.edits.first?.newText == "x_train.npy")
    }

    @Test func labelsOutOfRangeForTheLossAreFoundByCheck() throws {
        let spec = Self.arraysSpec.replacingOccurrences(of: "x_trian", with: "x")
        let diagnostics = try Self.diagnose(spec, files: ["x.npy": Self.npy([3, 2], [1, 2, 3, 4, 5, 6]),
                                                          "y.npy": Self.npy([3], [0, 2, 1], kind: .int64)])
        let problem = try #require(diagnostics.first)
        #expect(problem.code == .dataContents)
        #expect(problem.message.contains("y.npy"))
        #expect(problem.message.contains("2"), "names the bad label: \(problem.message)")
        #expect(problem.range.start.line == 5)
    }

    @Test func nanInTheInputsIsAnError() throws {
        let spec = Self.arraysSpec.replacingOccurrences(of: "x_trian", with: "x")
        let diagnostics = try Self.diagnose(spec, files: ["x.npy": Self.npy([2, 2], [1, .nan, 3, 4]),
                                                          "y.npy": Self.npy([2], [0, 1])])
        #expect(diagnostics.map(\.code) == [.dataContents])
        #expect(diagnostics.first?.message.lowercased().contains("nan") == true)
        #expect(diagnostics.first?.range.start == SourceLocation(line: 5, column: 14))
    }

    @Test func aFloat16ArrayIsRefusedAtItsLine() throws {
        let spec = Self.arraysSpec.replacingOccurrences(of: "x_trian", with: "x")
        let half = DataNumpyTests.npy(header: "{'descr': '<f2', 'fortran_order': False, 'shape': (2, 2), }", payload: Array(repeating: 0, count: 8))
        let diagnostics = try Self.diagnose(spec, files: ["x.npy": half, "y.npy": Self.npy([2], [0, 1])])
        #expect(diagnostics.map(\.code) == [.dataContents])
        #expect(diagnostics.first?.message.contains("<f2") == true || diagnostics.first?.message.contains("float16") == true,
                "\(diagnostics.first?.message ?? "")")
    }

    @Test func aMisspelledCSVColumnIsNamed() throws {
        let spec = """
            input: [2]
            layers: [Dense 1]
            compile: {optimizer: adam, loss: mse}
            data:
              train: {csv: table.csv, features: [a, c], labels: price}

            """
        let diagnostics = try Self.diagnose(spec, files: ["table.csv": Array("a,b,price\n1,2,3\n4,5,6\n".utf8)])
        let problem = try #require(diagnostics.first)
        #expect(problem.code == .dataContents)
        #expect(problem.message.contains("'c'"), "\(problem.message)")
        #expect(problem.range.start == SourceLocation(line: 5, column: 41), "at the c of features")
    }

    @Test func integerLabelsUnderMSEOverThreeUnits() throws {
        let spec = """
            input: [2]
            layers: [Dense 3]
            compile: {optimizer: adam, loss: mse}
            data:
              train: {x: x.npy, y: y.npy}

            """
        let diagnostics = try Self.diagnose(spec, files: ["x.npy": Self.npy([2, 2], [1, 2, 3, 4]),
                                                          "y.npy": Self.npy([2], [0, 2], kind: .int64)])
        #expect(diagnostics.map(\.code) == [.dataContents])
        #expect(diagnostics.first?.message.contains("shape") == true)
    }

    @Test func aFileOverTheScanLimitGetsItsHeaderCheckedAndANote() throws {
        let spec = Self.arraysSpec.replacingOccurrences(of: "x_trian", with: "x")
        let diagnostics = try Self.diagnose(spec, files: ["x.npy": Self.npy([2, 3], [1, 2, 3, 4, 5, 6]),
                                                          "y.npy": Self.npy([2], [0, 1])], scanLimit: 100)
        #expect(diagnostics.map(\.code).contains(.dataNotScanned))
        #expect(diagnostics.contains { $0.severity == .note && $0.message.contains("its header was checked, its values were not") })
        let shape = try #require(diagnostics.first { $0.code == .dataContents })
        #expect(shape.message == "x.npy holds samples of shape [3] (array shape [2, 3]), but the model's input shape is [2]")
        #expect(DiagnosticCode.dataNotScanned.explanation.contains("\(DataFileCheck.scanLimit >> 20) MiB"))
    }

    @Test func validDataHasNoDiagnostics() throws {
        let spec = Self.arraysSpec.replacingOccurrences(of: "x_trian", with: "x")
        #expect(try Self.diagnose(spec, files: ["x.npy": Self.npy([2, 2], [1, 2, 3, 4]), "y.npy": Self.npy([2], [0, 1])]).isEmpty)
    }

    /// The CLI: --data for the root, --no-data to skip; the repository's specs against the shared data.
    @Test func checkReadsTheDataUnlessToldNot() throws {
        let without = try TestSupport.run(["check", "--color", "never", "Specs/imdb_lstm.yaml"])
        #expect(without.code == 1)
        #expect(without.stdout.contains("error: data file imdb/train.csv does not exist"))
        #expect(without.stdout.contains("MODELC_DATA"))
        let skipped = try TestSupport.run(["check", "--no-data", "Specs/imdb_lstm.yaml"])
        #expect(skipped.code == 0)
        let json = try TestSupport.run(["check", "--format", "json", "Specs/imdb_lstm.yaml"])
        #expect(json.stdout.contains("\"code\": \"MC0607\""))
    }

    /// A spec without `fit:` trains with Keras's defaults (one epoch, batches of 32).
    @Test func aSpecWithoutFitTrainsWithDefaults() throws {
        let folder = try TestSupport.temporaryDirectory("nofit")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let spec = folder + "/s.yaml"
        try "input: [1]\nlayers: [Dense 1]\ncompile: {optimizer: sgd, loss: mse}\ndata:\n  train: {x: [[1], [2], [3]], y: [2, 4, 6]}\n"
            .write(toFile: spec, atomically: true, encoding: .utf8)
        let run = try TestSupport.run(["train", spec, "--run-dir", folder + "/run", "--seed", "1"])
        #expect(run.code == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Epoch 1/1"))
        #expect(FitConfig.defaults.epochs == 1 && FitConfig.defaults.batchSize == 32)
    }
}
