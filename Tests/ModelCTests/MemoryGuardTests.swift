import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// Absurd sizes end in a message and exit 1 before anything big is allocated, instead of
/// `Fatal error: failed to allocate` after a minute and gigabytes; --threads is bounded by the
/// cores; check warns, and --cost prints the estimate.
@Suite(.serialized) struct MemoryGuardTests {
    /// Peak resident memory of this test process so far.
    static func peakResidentBytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) * 1024
    }

    /// Trains `yaml` in-process with --max-memory `limit`, and checks the run was refused fast
    /// without allocating gigabytes or writing a run directory. Returns standard error.
    static func refused(_ yaml: String, limit: String = "8G", batchSize: Int? = nil,
                        files: [String: NumpyArray] = [:]) throws -> String {
        let directory = try TestSupport.temporaryDirectory("guard")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (name, array) in files { try AtomicFile.write(array.encoded(), to: directory + "/" + name) }
        let started = Date()
        let result = try RunSupport.train(yaml, in: directory,
                                          options: TrainOptions(batchSize: batchSize, maxMemory: MemorySize.parse(limit)))
        // Generous bounds: the refusal is arithmetic; allocating would take tens of seconds and GBs.
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(peakResidentBytes() < 3 * 0x1p30)
        #expect(result.code == 1)
        #expect(!FileManager.default.fileExists(atPath: directory + "/run"))
        // check's warning about the same size may come first.
        return result.error.components(separatedBy: "\n").last { $0.hasPrefix("error: ") }.map { $0 + "\n" } ?? result.error
    }

    static let tinyData = """
        data:
          train:
            x: {values: [[1, 2, 3, 4], [2, 3, 4, 5]], shape: [2, 4]}
            y: [1, 2]

        """

    @Test func aDenseOfABillionUnitsIsRefused() throws {
        let error = try Self.refused("input: [4]\nlayers: [Dense 1000000000, Dense 1]\ncompile: {optimizer: adam, loss: mse}\nfit: {epochs: 1}\n" + Self.tinyData)
        #expect(error.hasPrefix("error: training needs about "), "\(error)")
        #expect(error.contains(" of memory (saving weights and the resume state "))
        #expect(error.contains("but --max-memory allows 8 GiB; dense (Dense) alone needs "))
        #expect(error.hasSuffix(": lower its units, or raise --max-memory\n"), "\(error)")
    }

    @Test func anEmbeddingOfATrillionWeightsIsRefused() throws {
        let error = try Self.refused("""
            input: [4]
            layers: [Embedding 100000000 10000, Flatten, Dense 1]
            compile: {optimizer: sgd, loss: mse}
            fit: {epochs: 1}

            """ + Self.tinyData)
        #expect(error.contains("training needs about "), "\(error)")
        #expect(error.contains("TiB of memory (saving weights and the resume state "))
        #expect(error.contains("; embedding (Embedding) alone needs "))
        #expect(error.contains("lower its input_dim or output_dim, or raise --max-memory"))
    }

    @Test func anLSTMOfAMillionUnitsIsRefused() throws {
        let error = try Self.refused("""
            input: [4, 1]
            layers: [LSTM 1000000, Dense 1]
            compile: {optimizer: adam, loss: mse}
            fit: {epochs: 1}
            data:
              train:
                x: {values: [[1, 2, 3, 4], [2, 3, 4, 5]], shape: [2, 4, 1]}
                y: [1, 2]

            """)
        #expect(error.contains("; lstm (LSTM) alone needs "), "\(error)")
        #expect(error.contains("lower its units"))
    }

    @Test func twoHundredThousandTimestepsAreRefused() throws {
        let x = NumpyArray(shape: [1, 200_000, 1], values: Array(repeating: 0.5, count: 200_000))
        let error = try Self.refused("""
            input: [200000, 1]
            layers: [LSTM 256, Dense 1]
            compile: {optimizer: adam, loss: mse}
            fit: {epochs: 1}
            data: {train: {x: x.npy, y: {values: [1], shape: [1]}}}

            """, limit: "2G", files: ["x.npy": x])
        #expect(error.contains("training needs about "), "\(error)")
        #expect(error.contains("of memory (activations "))
        #expect(error.contains("lower the batch size (32 now, 1 sample at once) or the sequence length, or raise --max-memory"))
    }

    @Test func aBatchAboveFitsBoundIsRefused() throws {
        let error = try Self.refused("input: [4]\nlayers: [Dense 2]\ncompile: {optimizer: adam, loss: mse}\nfit: {epochs: 1}\n" + Self.tinyData,
                                     batchSize: 1_000_000_000)
        #expect(error == "error: --batch-size 1000000000 is larger than modelc runs (at most 16777216, as for fit.batch_size); a batch larger than the data is the whole data, so give at most the number of samples\n")
    }

    /// A batch within bounds still counts: all 2,000 sequences at once need far more than 32 do.
    @Test func aHugeBatchOverManySequencesIsRefused() throws {
        let x = NumpyArray(shape: [2000, 100, 8], values: Array(repeating: 0.25, count: 1_600_000))
        let y = NumpyArray(shape: [2000], values: Array(repeating: 1, count: 2000))
        let yaml = """
            input: [100, 8]
            layers: [LSTM 128, Dense 1]
            compile: {optimizer: adam, loss: mse}
            fit: {epochs: 1}
            data: {train: {x: x.npy, y: y.npy}}

            """
        let error = try Self.refused(yaml, limit: "512M", batchSize: 16_777_216, files: ["x.npy": x, "y.npy": y])
        #expect(error.contains("lower the batch size (16777216 now, 2000 samples at once) or the sequence length, or raise --max-memory"), "\(error)")
        let model = try #require(TestSupport.model(yaml))
        #expect(MemoryEstimator.estimate(model, purpose: .training, capacity: 32).total < 512 * 0x1p20)
    }

    /// A .npy file whose header declares `shape` but which holds no values (reading it would fail).
    static func headerOnly(_ shape: [Int]) -> [UInt8] {
        let bytes = NumpyArray(shape: [1], values: [0]).encoded()
        let header = String(decoding: bytes[10..<(10 + (Int(bytes[8]) | Int(bytes[9]) << 8))], as: UTF8.self)
        let declared = header.replacingOccurrences(of: "(1,)", with: "(" + shape.map(String.init).joined(separator: ", ") + ")")
        var padded = Array(declared.utf8)
        while (10 + padded.count) % 64 != 0 { padded.insert(UInt8(ascii: " "), at: padded.count - 1) }
        return Array(bytes[0..<8]) + [UInt8(padded.count & 0xFF), UInt8(padded.count >> 8)] + padded
    }

    /// The header says 10^10 values: refused before the file (or anything else) is read.
    @Test func aDataFileTooBigForMemoryIsRefusedFromItsHeader() throws {
        let directory = try TestSupport.temporaryDirectory("guard")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try AtomicFile.write(Self.headerOnly([100_000_000, 100]), to: directory + "/x.npy")
        let result = try RunSupport.train("input: [100]\nlayers: [Dense 1]\ncompile: {optimizer: sgd, loss: mse}\nfit: {epochs: 1}\ndata: {train: {x: x.npy, y: {values: [1], shape: [1]}}}\n",
                                          in: directory, options: TrainOptions(maxMemory: MemorySize.parse("8G")))
        #expect(result.code == 1)
        #expect(result.error == "error: the data files need about 37.3 GiB of memory to read (x.npy alone declares (100000000, 100) values, 37.3 GiB as float32), but --max-memory allows 8 GiB; use a smaller sample of the data or raise --max-memory\n")
    }

    /// The headers give the rows and sample shape, so the whole run is judged before reading: the
    /// file holds no values, and reading it would have failed with another message.
    @Test func theRunIsJudgedFromTheHeadersBeforeReading() throws {
        let directory = try TestSupport.temporaryDirectory("guard")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try AtomicFile.write(Self.headerOnly([1_000_000, 100, 8]), to: directory + "/x.npy")
        try AtomicFile.write(Self.headerOnly([1_000_000]), to: directory + "/y.npy")
        let yaml = "input: [null, 8]\nlayers: [LSTM 128, Dense 1]\ncompile: {optimizer: adam, loss: mse}\nfit: {epochs: 1}\ndata: {train: {x: x.npy, y: y.npy}}\n"
        let refused = try RunSupport.train(yaml, in: directory, options: TrainOptions(batchSize: 16_777_216, maxMemory: MemorySize.parse("16G")))
        #expect(refused.code == 1)
        #expect(refused.error.hasPrefix("error: training needs about "), "\(refused.error)")
        #expect(refused.error.contains("lower the batch size (16777216 now, 1000000 samples at once) or the sequence length"))
        // At batch 32 the run fits, and the read then finds the file empty.
        let read = try RunSupport.train(yaml, in: directory, options: TrainOptions(maxMemory: MemorySize.parse("16G")))
        #expect(read.code == 1)
        #expect(read.error.contains("truncated"), "\(read.error)")
    }

    @Test func predictAndEvaluateAreGuardedToo() throws {
        let directory = try TestSupport.temporaryDirectory("guard")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let yaml = "input: [4]\nlayers: [Dense 1000000000, Dense 1]\ncompile: {optimizer: adam, loss: mse}\n"
        try AtomicFile.write(yaml, to: directory + "/spec.yaml")
        try AtomicFile.write(NumpyArray(shape: [2, 4], values: Array(repeating: 1, count: 8)).encoded(), to: directory + "/x.npy")
        try AtomicFile.write(NumpyArray(shape: [2], values: [1, 2]).encoded(), to: directory + "/y.npy")
        let (output, read) = RunSupport.capture()
        // The weights file is never reached: the guard comes first.
        let predicted = PredictCommand.run(spec: directory + "/spec.yaml", weights: directory + "/none.safetensors",
                                           inputs: NamedFiles([directory + "/x.npy"]), outputPath: directory + "/y-out.npy", threads: 1,
                                           maxMemory: MemorySize.parse("4G"), output: output)
        #expect(predicted == 1)
        #expect(read().error.contains("error: predicting needs about "), "\(read().error)")
        #expect(read().error.contains("but --max-memory allows 4 GiB; dense (Dense) alone needs"))
        let evaluated = EvaluateCommand.run(spec: directory + "/spec.yaml", weights: directory + "/none.safetensors",
                                            inputs: NamedFiles([directory + "/x.npy"]), labels: NamedFiles([directory + "/y.npy"]),
                                            batchSize: nil, dataRoot: nil, threads: 1, maxMemory: MemorySize.parse("4G"), output: output)
        #expect(evaluated == 1)
        #expect(read().error.contains("error: evaluating needs about "))
        #expect(!FileManager.default.fileExists(atPath: directory + "/y-out.npy"))
    }

    @Test func sizesParseAsUsersWriteThem() {
        #expect(MemorySize.parse("512M") == 512 * 0x1p20)
        #expect(MemorySize.parse("8G") == 8 * 0x1p30)
        #expect(MemorySize.parse("8GiB") == 8 * 0x1p30)
        #expect(MemorySize.parse("1.5g") == 1.5 * 0x1p30)
        #expect(MemorySize.parse("300MB") == 300e6)
        #expect(MemorySize.parse("2000000000") == 2e9)
        #expect(MemorySize.parse("64 KiB") == 65536)
        for bad in ["", "0", "abc", "5X", "-1G", "1.2.3G", "G"] { #expect(MemorySize.parse(bad) == nil, "\(bad)") }
        #expect(MemorySize.text(44.7 * 0x1p30) == "44.7 GiB")
        #expect(MemorySize.text(8 * 0x1p30) == "8 GiB")
        #expect(MemorySize.text(512 * 0x1p20) == "512 MiB")
        #expect(MemorySize.text(1.25 * 0x1p10) == "1.25 KiB")
        #expect(MemorySize.text(12) == "12 bytes")
        #expect(MemorySize.available() > 0)
    }

    @Test func maxMemoryIsValidatedOnTheCommandLine() throws {
        let result = try TestSupport.run(["train", "Specs/many_to_one.yaml", "--max-memory", "lots"])
        #expect(result.code == 2)
        #expect(result.stderr.contains("--max-memory 'lots' is not a size; write bytes or a number with K, M, G or T (binary), e.g. 512M or 8G"))
        let refused = try TestSupport.run(["train", "Specs/many_to_one.yaml", "--max-memory", "1M", "--run-dir", "/nonexistent/never"])
        #expect(refused.code == 1)
        #expect(refused.stderr.contains("error: training needs about "), "\(refused.stderr)")
        #expect(refused.stderr.contains("but --max-memory allows 1 MiB"))
    }

    @Test func threadsAreBoundedByTheCores() throws {
        #expect(ThreadLimit.bounded(1000, cores: 2) == (2, "--threads 1000: this machine has 2 cores; using 2"))
        #expect(ThreadLimit.bounded(3, cores: 1) == (1, "--threads 3: this machine has 1 core; using 1"))
        #expect(ThreadLimit.bounded(2, cores: 2) == (2, nil))
        #expect(ThreadLimit.bounded(1, cores: 8) == (1, nil))
        let directory = try TestSupport.temporaryDirectory("guard")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try TestSupport.run(["train", "Specs/many_to_one.yaml", "--epochs", "1", "--threads", "1000", "--run-dir", directory + "/run"])
        #expect(run.code == 0, "\(run.stderr)")
        // However many cores this machine has, the note names them and training uses that many.
        let note = try #require(run.stderr.split(separator: "\n").first { $0.hasPrefix("--threads 1000: this machine has ") })
        let cores = try #require(Int(note.split(separator: " ").last ?? ""))
        #expect(cores < 1000)
        #expect(note == "--threads 1000: this machine has \(cores) core\(cores == 1 ? "" : "s"); using \(cores)")
        #expect(run.stdout.contains(", \(cores) thread\(cores == 1 ? "" : "s")\n"))
    }

    // MARK: check

    static func memoryWarnings(_ yaml: String) -> [Diagnostic] {
        TestSupport.check(yaml).diagnostics.filter { $0.severity == .warning && $0.message.contains("of memory") }
    }

    @Test func checkWarnsAtTheLayerThatNeedsTheMemory() throws {
        let started = Date()
        let dense = Self.memoryWarnings("input: [4]\nlayers:\n  - Dense 8\n  - Dense 1000000000\ncompile: {optimizer: adam, loss: mse}\n")
        #expect(dense.count == 1)
        #expect(dense.first?.range.start == SourceLocation(line: 4, column: 5))
        #expect(dense.first?.message.hasPrefix("training this model needs about ") == true)
        #expect(dense.first?.message.contains(" of memory at batch_size 32 (activations ") == true)
        #expect(dense.first?.message.contains("; data not counted); dense_1 (Dense) alone needs ") == true)
        #expect(dense.first?.message.hasSuffix(". `modelc train` refuses a run larger than the memory available (or --max-memory)") == true)
        let embedding = Self.memoryWarnings("input: [10]\nlayers:\n  - Embedding 100000000 10000\n  - Flatten\n  - Dense 1\n")
        #expect(embedding.count == 1)
        #expect(embedding.first?.range.start == SourceLocation(line: 3, column: 5))
        #expect(embedding.first?.message.hasPrefix("running this model needs about ") == true)
        // Answered from arithmetic: no gigabytes, no waiting.
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(Self.peakResidentBytes() < 3 * 0x1p30)
    }

    @Test func checkWarnsAtBatchSizeWhenTheBatchIsWhatIsLarge() throws {
        let warnings = Self.memoryWarnings("input: [100, 8]\nlayers: [LSTM 128, Dense 1]\ncompile: {optimizer: adam, loss: mse}\nfit: {epochs: 1, batch_size: 16777216}\n")
        #expect(warnings.count == 1)
        #expect(warnings.first?.range.start == SourceLocation(line: 4, column: 30))
        #expect(warnings.first?.message.contains("of it grows with the batch.") == true)
    }

    @Test func checkStaysQuietForOrdinaryModels() throws {
        for spec in ["imdb_lstm", "imdb_bilstm", "many_to_one"] {
            #expect(Self.memoryWarnings(TestSupport.read(TestSupport.packageRoot + "/Specs/\(spec).yaml")).isEmpty, "\(spec)")
        }
        // 100 M weights: about 3.4 GiB to run; 150 M: above 4 GiB.
        #expect(Self.memoryWarnings("input: [1000]\nlayers: [Dense 100000]\n").isEmpty)
        #expect(Self.memoryWarnings("input: [1000]\nlayers: [Dense 150000]\n").count == 1)
    }

    @Test func costPrintsTheEstimate() throws {
        let path = TestSupport.packageRoot + "/Specs/imdb_lstm.yaml"
        let model = try #require(TestSupport.model(TestSupport.read(path)))
        let estimate = MemoryReport.estimate(model)
        let expected = "Memory to train at batch_size 64, estimated (data arrays not counted): about \(MemoryEstimate.text(estimate.total))\n"
        let check = CheckCommand.run(paths: [path], format: .text, cost: true)
        #expect(check.standardOutput.contains(path + ": " + expected), "\(check.standardOutput)")
        #expect(check.standardOutput.contains("  most for one layer: lstm (LSTM), "))
        #expect(!CheckCommand.run(paths: [path], format: .text).standardOutput.contains("Memory"))
        let summary = SummaryCommand.run(path: path, format: .text, cost: true)
        #expect(summary.standardOutput.hasSuffix(MemoryReport.render(model)))
        #expect(summary.standardOutput.contains(expected))
        // The parts add up to the total, and activations grow with the batch.
        #expect(abs(estimate.parts.reduce(0) { $0 + $1.bytes } - estimate.total) < 1)
        let larger = MemoryEstimator.estimate(model, purpose: .training, capacity: 640)
        #expect(larger.bytes(of: "activations") > 9 * estimate.bytes(of: "activations"))
    }
}
