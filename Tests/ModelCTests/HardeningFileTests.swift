import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// Issue 11's reader findings, each with its offending file: FIFOs that blocked forever, folders,
/// devices and sockets where a file belongs, sizes checked only after reading, file contents echoed
/// in messages, and run messages that did not name their file ("The the input x ...").
@Suite(.serialized) struct HardeningFileTests {
    /// The message of whatever `body` throws; "no error" when it returns.
    static func message(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch {
            return String(describing: error)
        }
    }

    final class Box: @unchecked Sendable {
        private var text: String?
        private let lock = NSLock()
        var value: String? { lock.withLock { text } }
        func set(_ value: String) { lock.withLock { text = value } }
        func append(_ value: String) { lock.withLock { text = (text ?? "") + value } }
    }

    /// Runs `read` on its own thread; its message, or nil when it is still blocked after 10 s. A
    /// read that opens the FIFO blocks until a writer appears, so a blocked read is then released by
    /// opening the writing end (the test fails instead of hanging the suite). Nothing opens the
    /// other end before that: the read must refuse the FIFO on its own.
    static func promptMessage(unblocking fifo: String, _ read: @escaping @Sendable () throws -> Void) -> String? {
        let done = DispatchSemaphore(value: 0)
        let box = Box()
        Thread.detachNewThread {
            box.set(message(read))
            done.signal()
        }
        guard done.wait(timeout: .now() + 10) == .timedOut else { return box.value }
        let writer = open(fifo, O_WRONLY | O_NONBLOCK)
        if writer >= 0 { close(writer) }
        _ = done.wait(timeout: .now() + 10)
        return nil
    }

    static func fifo(in folder: String, named name: String) throws -> String {
        let path = folder + "/" + name
        try #require(mkfifo(path, 0o600) == 0, "mkfifo: \(String(cString: strerror(errno)))")
        return path
    }

    static func network(_ yaml: String) throws -> Network { try RunSupport.network(yaml) }

    // MARK: FIFOs, folders, devices, sockets

    @Test func everyReaderRefusesAFIFOWithoutBlocking() throws {
        let folder = try TestSupport.temporaryDirectory("fifo")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let network = try Self.network("input: [3]\nlayers: [Dense 2]\n")
        let path = try Self.fifo(in: folder, named: "data")
        try FileManager.default.createDirectory(atPath: folder + "/texts/pos", withIntermediateDirectories: true)
        let text = try Self.fifo(in: folder + "/texts/pos", named: "a.txt")
        let networkBox = UncheckedNetwork(network)
        let readers: [(String, String, @Sendable () throws -> Void)] = [
            ("numeric CSV", path, { _ = try NumericCSV.read(path, features: nil, labels: ["y"]) }),
            ("CSV column groups", path, { _ = try NumericCSV.readGroups(path, groups: [["a"]]) }),
            (".npy", path, { _ = try NumpyArray.read(path) }),
            (".npz", path, { _ = try NumpyArchive.read(path) }),
            ("text CSV", path, { _ = try TextTable.readCSV(path, textColumn: "text", labelColumn: nil, classes: nil) }),
            ("text folder", text, { _ = try TextTable.readDirectory(folder + "/texts", classes: nil) }),
            ("vocabulary", path, { _ = try Vocabulary.read(path) }),
            ("weights", path, { try WeightsFile.load(networkBox.network, from: path) }),
            ("texts to predict", path, { _ = try PredictCommand.texts(inFile: path) }),
            ("--input arrays", path, {
                _ = try DataLoader.read(inputs: NamedFiles([path]), labels: nil, model: networkBox.network.model)
            }),
            ("spec", path, {
                if case .failure(let diagnostic) = SpecFiles.load(path) { throw DataError(diagnostic.message) }
            }),
        ]
        for (what, fifo, read) in readers {
            let message = Self.promptMessage(unblocking: fifo, read)
            #expect(message != nil, "the \(what) reader blocked on a FIFO")
            #expect(message?.contains("is a FIFO, not a regular file") == true, "\(what): \(message ?? "")")
            #expect(message?.contains(fifo) == true, "\(what): \(message ?? "")")
        }
        // The commands report it as an error, not a hang.
        let check = CheckCommand.run(paths: [path], format: .text)
        #expect(check.exitCode == 1)
        #expect(check.standardOutput.contains("\(path):1:1: error: \(path) is a FIFO, not a regular file; give the path of a spec file"))
        let summary = SummaryCommand.run(path: path, format: .text)
        #expect(summary.exitCode == 2)
        #expect(summary.standardError == "error: \(path) is a FIFO, not a regular file; give the path of a spec file\n")
    }

    /// The network is only read by the reader under test, one at a time.
    struct UncheckedNetwork: @unchecked Sendable {
        let network: Network
        init(_ network: Network) { self.network = network }
    }

    @Test func foldersDevicesAndSocketsAreNotFiles() throws {
        let folder = try TestSupport.temporaryDirectory("kinds")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(Self.message { _ = try NumericCSV.read(folder, features: nil, labels: ["y"]) }
                == "\(folder) is a folder, not the CSV file; give the path of the file itself.")
        #expect(Self.message { _ = try Vocabulary.read(folder) } == "\(folder) is a folder, not the vocabulary file; give the path of the file itself.")
        #expect(Self.message { _ = try NumpyArray.read("/dev/null") }
                == "/dev/null is a character device, not a regular file; modelc reads the .npy file only from a regular file, so save the data to one first.")
        #expect(Self.message { _ = try TextTable.readCSV("/dev/zero", textColumn: "t", labelColumn: nil, classes: nil) }
                .hasPrefix("/dev/zero is a character device, not a regular file"))
        #expect(SummaryCommand.run(path: "/dev/null", format: .text).standardError
                == "error: /dev/null is a character device, not a regular file; give the path of a spec file\n")
        #expect(SummaryCommand.run(path: folder, format: .text).standardError
                == "error: \(folder) is a directory, not a regular file; give the path of a spec file\n")
        #expect(Self.message { _ = try TextTable.readDirectory("/dev/null", classes: nil) }
                == "/dev/null is not a folder; `directory:` names a folder with one subfolder of .txt files per class")

        let socketPath = folder + "/s.sock"
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in socketPath.utf8.enumerated() where index < raw.count - 1 { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0, "bind: \(String(cString: strerror(errno)))")
        #expect(RegularFile.read(socketPath, limit: 100) == .failure(.notRegular("a socket")))
        #expect(Self.message { _ = try NumpyArchive.read(socketPath) }.hasPrefix("\(socketPath) is a socket, not a regular file"))
    }

    // MARK: Sizes

    /// A 200 MB spec was read whole (4.6 s, 1.5 GB) before the 4 MiB refusal; a sparse file of that
    /// size holds no data, so a test can make one in no time and the refusal must not read it.
    @Test func sizesAreRefusedBeforeReading() throws {
        let folder = try TestSupport.temporaryDirectory("sizes")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let spec = folder + "/big.yaml"
        #expect(FileManager.default.createFile(atPath: spec, contents: nil))
        #expect(truncate(spec, 200 << 20) == 0)
        guard case .failure(let diagnostic) = SpecFiles.load(spec) else { Issue.record("a 200 MB spec was read"); return }
        #expect(diagnostic.message == "spec file is 209715200 bytes; modelc reads specs of at most 4194304 bytes")
        let check = CheckCommand.run(paths: [spec], format: .text)
        #expect(check.exitCode == 1)
        #expect(check.standardOutput.contains("big.yaml:1:1: error: spec file is 209715200 bytes"))

        let data = folder + "/huge.npy"
        #expect(FileManager.default.createFile(atPath: data, contents: nil))
        #expect(truncate(data, 5 << 30) == 0)
        #expect(Self.message { _ = try NumpyArray.read(data) }
                == "The .npy file \(data) is 5 GiB; modelc reads data files of at most 4 GiB. Use a smaller sample of the data.")
    }

    #if os(Linux)
    /// /proc files report size 0 but have contents: the reader reads to the end, within the limit.
    @Test func filesLargerThanTheirStatSizeAreReadUpToTheLimit() {
        guard case .success(let bytes) = RegularFile.read("/proc/self/status", limit: 1 << 20) else {
            Issue.record("/proc/self/status was not read")
            return
        }
        #expect(String(decoding: bytes, as: UTF8.self).contains("Pid:"))
        guard case .failure(.tooLarge(_, let limit)) = RegularFile.read("/proc/self/status", limit: 16) else {
            Issue.record("the limit was not kept")
            return
        }
        #expect(limit == 16)
    }
    #endif

    @Test func missingAndUnreadableFilesSaySo() throws {
        #expect(RegularFile.read("/no/such/file", limit: 10) == .failure(.missing))
        #expect(Self.message { _ = try NumpyArray.read("/no/such/x.npy") }
                == "Cannot find the .npy file /no/such/x.npy: there is no file at that path. Check the path (relative paths are resolved against the spec's folder).")
        guard case .failure(let diagnostic) = SpecFiles.load("/no/such/spec.yaml") else { Issue.record("read"); return }
        #expect(diagnostic.message == "cannot read /no/such/spec.yaml: there is no file at that path")
        if getuid() != 0 {
            let folder = try TestSupport.temporaryDirectory("perm")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try "a,y\n1,2\n".write(toFile: folder + "/p.csv", atomically: true, encoding: .utf8)
            chmod(folder + "/p.csv", 0)
            #expect(Self.message { _ = try NumericCSV.read(folder + "/p.csv", features: nil, labels: ["y"]) }
                    == "Cannot read the CSV file \(folder)/p.csv: Permission denied. Check the file's permissions.")
        }
    }

    // MARK: What messages echo of a file

    static func csvMessage(_ contents: [UInt8], labels: [String] = ["y"]) throws -> String {
        let folder = try TestSupport.temporaryDirectory("echo")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/d.csv"
        try AtomicFile.write(contents, to: path)
        return message { _ = try NumericCSV.read(path, features: nil, labels: labels) }.replacingOccurrences(of: folder + "/", with: "")
    }

    static func textMessage(_ contents: [UInt8]) throws -> String {
        let folder = try TestSupport.temporaryDirectory("echo")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/t.csv"
        try AtomicFile.write(contents, to: path)
        return message { _ = try TextTable.readCSV(path, textColumn: "text", labelColumn: "label", classes: nil) }
            .replacingOccurrences(of: folder + "/", with: "")
    }

    static func hasNoInvisibleCharacters(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy(Excerpt.isVisible)
    }

    /// `data: {train: {csv: ../../../../etc/passwd}}` was read and its first line echoed.
    @Test func aPasswordFileGivenAsCSVIsNotEchoed() throws {
        let passwd = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
        let message = try Self.csvMessage(Array(passwd.utf8))
        #expect(message == "d.csv has no column named 'y'; its first row (1 field) does not look like a header row of column names; check that this is the CSV file meant. Fix the names in the spec's data section.")
        let text = try Self.textMessage(Array(passwd.utf8))
        #expect(!text.contains("root") && text.contains("does not look like a header row"), "\(text)")
        // A real header is still listed.
        #expect(try Self.csvMessage(Array("a,b,label\n1,2,3\n".utf8)).contains("its columns are: a, b, label"))
    }

    @Test func aBinaryFileGivenAsCSVIsNotEchoed() throws {
        // Valid UTF-8, so it passes the encoding check, but full of control characters.
        let binary = Array("\u{0}\u{1B}[2J\u{7}secret-token-1234,\u{0}\u{0}\n\u{1}\u{2},3\n".utf8)
        let message = try Self.csvMessage(binary)
        #expect(!message.contains("secret") && Self.hasNoInvisibleCharacters(message), "\(message)")
        #expect(message.contains("does not look like a header row"))
        var random = SeededGenerator(seed: 11)
        let noise = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &random) }
        #expect(try Self.csvMessage(noise) == "d.csv is not UTF-8 text; save it as a plain UTF-8 CSV file.")
        // A row of numbers where the header belongs is data, shown short and escaped.
        let numbers = try Self.csvMessage(Array(((0..<500).map(String.init).joined(separator: ",") + "\n").utf8))
        #expect(numbers.hasPrefix("The first row of d.csv holds numbers (0, 1, 2, 3, 4,") && numbers.count < 220, "\(numbers)")
    }

    @Test func cellsLabelsAndNamesFromFilesAreShortAndEscaped() throws {
        let cell = try Self.csvMessage(Array(("a,y\n" + String(repeating: "z", count: 10_000) + "\u{1B},1\n").utf8))
        #expect(cell == "d.csv line 2 (data row 1), column 'a' holds \"\(String(repeating: "z", count: 29))…\", which is not a number; modelc reads numeric columns only, so fill in or encode the value as a number (or leave the column out of the features).")
        let escaped = try Self.csvMessage(Array("a,y\n\u{1B}[31m,1\n".utf8))
        #expect(escaped.contains("holds \"\\x1B[31m\", which is not a number"))

        let label = try Self.textMessage(Array(("text,label\nfine," + String(repeating: "q", count: 10_000) + "\n").utf8))
        #expect(label.count < 300 && label.contains("label 'qqqq") && label.contains("…' is not a number"), "\(label)")

        // A safetensors header naming a tensor with an escape sequence.
        let name = "\u{1B}]0;pwned\u{7}" + String(repeating: "n", count: 500)
        let json = "{\"\(name.unicodeScalars.map { $0.value < 0x20 ? String(format: "\\u%04x", $0.value) : String($0) }.joined())\": {\"dtype\": \"F16\", \"shape\": [1], \"data_offsets\": [0, 2]}}"
        var bytes = [UInt8](repeating: 0, count: 8)
        for index in 0..<8 { bytes[index] = UInt8((json.utf8.count >> (8 * index)) & 0xFF) }
        bytes += Array(json.utf8) + [0, 0]
        let weights = Self.message { _ = try SafeTensors.decode(bytes, file: "w.safetensors") }
        #expect(Self.hasNoInvisibleCharacters(weights) && weights.count < 200, "\(weights)")
        #expect(weights.hasPrefix("w.safetensors: tensor '\\x1B]0;pwned\\x07nnn"))

        // An .npz member whose name holds a control character, listed when another member is wanted.
        let folder = try TestSupport.temporaryDirectory("npz")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try AtomicFile.write(NumpyArchive.encode([(name: "x\u{1B}[2J", array: NumpyArray(shape: [1], values: [1]))]), to: folder + "/a.npz")
        let member = Self.message { _ = try DataLoader.array(.npz(path: "a.npz", member: "y"), root: folder) }
        #expect(member == "\(folder)/a.npz has no array 'y'; it holds x\\x1B[2J")
    }

    /// JSON nested a million deep in a vocabulary file or a safetensors header is refused, not a
    /// stack overflow (each runs in a child process, which a crash would fail).
    @Test func deeplyNestedJSONIsAnErrorNotACrash() async {
        await #expect(processExitsWith: .success) {
            let nested = String(repeating: "[", count: 1_000_000) + String(repeating: "]", count: 1_000_000)
            guard let folder = try? TestSupport.temporaryDirectory("json") else { exit(3) }
            defer { try? FileManager.default.removeItem(atPath: folder) }
            guard (try? AtomicFile.write(nested, to: folder + "/vocabulary.json")) != nil else { exit(3) }
            let vocabulary = HardeningFileTests.message { _ = try Vocabulary.read(folder + "/vocabulary.json") }
            guard vocabulary.hasSuffix("is not a modelc vocabulary file (train writes one as vocabulary.json in the run directory)") else { exit(4) }
            var bytes = [UInt8](repeating: 0, count: 8)
            for index in 0..<8 { bytes[index] = UInt8((nested.utf8.count >> (8 * index)) & 0xFF) }
            bytes += Array(nested.utf8)
            let weights = HardeningFileTests.message { _ = try SafeTensors.decode(bytes, file: "w") }
            guard weights == "w has a header that is not valid JSON" else { exit(5) }
        }
    }

    /// A text CSV with lone CR line breaks (old Mac files, which the numeric reader already reads)
    /// was one record: its whole text became the header.
    @Test func textCSVRecordsEndAtALoneCarriageReturnToo() throws {
        let folder = try TestSupport.temporaryDirectory("cr")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try AtomicFile.write("text,label\rgood film,1\r\"two\rlines\",0\r\n\rbad,x\r", to: folder + "/t.csv")
        let problem = Self.message { _ = try TextTable.readCSV(folder + "/t.csv", textColumn: "text", labelColumn: "label", classes: nil) }
        #expect(problem == "\(folder)/t.csv line 6 (data row 3): label 'x' is not a number; give `classes: [...]` on the split to map label names to 0, 1, ...")
        try AtomicFile.write("text,label\rgood film,1\r\"two\rlines\",0\r", to: folder + "/t.csv")
        let table = try TextTable.readCSV(folder + "/t.csv", textColumn: "text", labelColumn: "label", classes: nil)
        #expect(table.texts == ["good film", "two\rlines"])
        #expect(table.labels == [1, 0])
    }

    // MARK: Run messages

    static func output(_ box: Box) -> CommandOutput {
        CommandOutput(out: { _ in }, error: { box.append($0) })
    }

    /// predict and evaluate built the network before checking the data, so its shape error named no
    /// file; and "the input" as the data's name made "The the input x".
    @Test func predictAndEvaluateShapeErrorsNameTheFileAndTheInput() throws {
        let folder = try TestSupport.temporaryDirectory("shapes")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let yaml = "input: [3]\nlayers: [Dense 2]\ncompile: {loss: mse}\n"
        try AtomicFile.write(yaml, to: folder + "/spec.yaml")
        try WeightsFile.save(try Self.network(yaml), to: folder + "/w.safetensors")
        try AtomicFile.write(NumpyArray(shape: [2, 4], values: Array(repeating: 0, count: 8)).encoded(), to: folder + "/x.npy")
        try AtomicFile.write(NumpyArray(shape: [2, 2], values: Array(repeating: 0, count: 4)).encoded(), to: folder + "/y.npy")
        let expected = "error: The input data x (\(folder)/x.npy) has samples of shape [4] (array shape [2, 4]), but the model's input shape is [3]; reshape the data or change input_shape in the spec.\n"

        let predicted = Box()
        let code = PredictCommand.run(spec: folder + "/spec.yaml", weights: folder + "/w.safetensors", inputs: NamedFiles([folder + "/x.npy"]),
                                      outputPath: folder + "/out.npy", threads: 1, output: Self.output(predicted))
        #expect(code == 1)
        #expect(predicted.value == expected)

        let evaluated = Box()
        let evaluateCode = EvaluateCommand.run(spec: folder + "/spec.yaml", weights: folder + "/w.safetensors",
                                               inputs: NamedFiles([folder + "/x.npy"]), labels: NamedFiles([folder + "/y.npy"]),
                                               batchSize: nil, dataRoot: nil, threads: 1, output: Self.output(evaluated))
        #expect(evaluateCode == 1)
        #expect(evaluated.value == expected)

        let graph = "inputs: {a: [3], b: [2]}\nlayers:\n  - Concatenate inputs=[a, b]\n  - Dense 1\n"
        try AtomicFile.write(graph, to: folder + "/graph.yaml")
        try WeightsFile.save(try Self.network(graph), to: folder + "/g.safetensors")
        try AtomicFile.write(NumpyArray(shape: [2, 3], values: Array(repeating: 0, count: 6)).encoded(), to: folder + "/a.npy")
        let several = Box()
        _ = PredictCommand.run(spec: folder + "/graph.yaml", weights: folder + "/g.safetensors",
                               inputs: NamedFiles(["a=" + folder + "/a.npy", "b=" + folder + "/x.npy"]),
                               outputPath: folder + "/out.npy", threads: 1, output: Self.output(several))
        #expect(several.value == "error: The input data x for input 'b' (\(folder)/x.npy) has samples of shape [4] (array shape [2, 4]), but input 'b' has the shape [2]; reshape the data or change input_shape in the spec.\n")
    }

    @Test func noMessageDoublesItsArticle() throws {
        let yaml = "input: [3]\nlayers: [Dense 2]\ncompile: {loss: mse}\n"
        let network = try Self.network(yaml)
        let model = network.model
        let trainer = Trainer(network: network, compile: try #require(model.compile), seed: 0, write: { _ in })
        let x = NumpyArray(shape: [2, 3], values: [0, 1, 2, .nan, 4, 5])
        for name in ["training data", "test data", "input data", "text input"] {
            let unlabeled = DataLoader.RawSplit(x: NumpyArray(shape: [2, 3], values: Array(repeating: 0, count: 6)), y: nil, xSource: "x.npy", ySource: nil)
            let noLabels = Self.message { _ = try DataLoader.prepare(unlabeled, name: name, model: model, losses: trainer.losses) }
            #expect(noLabels == "The \(name) has no labels (y); training and evaluation need them")
            let nan = Self.message { _ = try DataLoader.prepare(DataLoader.RawSplit(x: x, y: nil, xSource: "x.npy", ySource: nil), name: name, model: model, losses: nil) }
            #expect(nan.hasPrefix("The \(name) x (x.npy) holds NaN at sample 1"), "\(nan)")
            for text in [noLabels, nan] { #expect(!text.lowercased().contains("the the"), "\(text)") }
        }
    }
}
