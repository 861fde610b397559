import Foundation
import Testing
@testable import ModelC
@testable import ModelLSP
@testable import ModelRun

/// `modelc lsp`: the framing, the JSON-RPC layer and every feature, through an in-memory client.
struct LanguageServerTests {
    /// Messages the server sent, kept under a lock (the server sends from its own queue).
    final class Inbox: @unchecked Sendable {
        private let lock = NSLock()
        private var messages: [[String: Any]] = []

        func append(_ message: [String: Any]) { lock.lock(); messages.append(message); lock.unlock() }

        func withLock<T>(_ body: ([[String: Any]]) -> T) -> T {
            lock.lock()
            defer { lock.unlock() }
            return body(messages)
        }
    }

    /// A client that talks to a server in the same process and keeps what it sends back.
    final class Client: @unchecked Sendable {
        let received = Inbox()
        var server: LanguageServer!
        var nextID = 1
        let uri: String

        init(encodings: [String]? = nil, debounce: Double = 0.02, uri: String = "file:///work/spec.yaml",
             dataCheck: CheckCommand.DataCheck? = nil) {
            self.uri = uri
            server = LanguageServer(debounce: debounce, dataCheck: dataCheck) { [received] message in received.append(message) }
            var general: [String: Any] = [:]
            if let encodings { general["positionEncodings"] = encodings }
            _ = request("initialize", ["capabilities": ["general": general]])
            notify("initialized", [:])
        }

        func raw(_ text: String) { server.handle(Array(text.utf8)) }

        func notify(_ method: String, _ params: [String: Any]) {
            server.handle(Array(try! JSONSerialization.data(withJSONObject: ["jsonrpc": "2.0", "method": method, "params": params])))
        }

        /// Sends a request and returns its response.
        func request(_ method: String, _ params: [String: Any]) -> [String: Any] {
            let id = nextID
            nextID += 1
            server.handle(Array(try! JSONSerialization.data(withJSONObject: ["jsonrpc": "2.0", "id": id, "method": method, "params": params])))
            return received.withLock { messages in messages.last { ($0["id"] as? Int) == id } ?? [:] }
        }

        func open(_ text: String, version: Int = 1) {
            notify("textDocument/didOpen", ["textDocument": ["uri": uri, "languageId": "yaml", "version": version, "text": text]])
        }

        func change(_ text: String, version: Int) {
            notify("textDocument/didChange", ["textDocument": ["uri": uri, "version": version], "contentChanges": [["text": text]]])
        }

        var published: [[String: Any]] {
            received.withLock { $0.filter { $0["method"] as? String == "textDocument/publishDiagnostics" }.compactMap { $0["params"] as? [String: Any] } }
        }

        func at(_ method: String, line: Int, character: Int) -> Any? {
            request(method, ["textDocument": ["uri": uri], "position": ["line": line, "character": character]])["result"]
        }
    }

    static let spec = """
        input: [10]
        layers:
          - Embedding 100x8
          - LSTM 8 return_sequences
          - LSTM: {units: 4, activation: tanh}
          - Dense 1 sigmoid

        """

    // MARK: Framing

    @Test func framesSplitAndJoinedAreReadWhole() {
        let one = MessageFramer.frame(Array("{\"a\":1}".utf8))
        let two = MessageFramer.frame(Array("{\"b\":22}".utf8))
        var framer = MessageFramer()
        for byte in one.prefix(5) { framer.append([byte]) }
        #expect(framer.next() == nil)
        framer.append(one.dropFirst(5) + two)
        #expect(framer.next() == .message(Array("{\"a\":1}".utf8)))
        #expect(framer.next() == .message(Array("{\"b\":22}".utf8)))
        #expect(framer.next() == nil)
        framer.append(Array("Content-Type: x\r\n\r\n".utf8) + MessageFramer.frame(Array("{}".utf8)))
        #expect(framer.next() == .badHeader("Content-Type: x"))
        #expect(framer.next() == .message(Array("{}".utf8)))
        framer.append(Array("Content-Length: 99999999999\r\n\r\n".utf8))
        #expect(framer.next() == .badHeader("Content-Length: 99999999999"))
    }

    @Test func badMessagesGetJSONRPCErrors() {
        let client = Client()
        client.raw("{not json")
        client.raw("[1, 2]")
        let unknown = client.request("textDocument/frobnicate", [:])
        let errors = client.received.withLock { $0.compactMap { ($0["error"] as? [String: Any])?["code"] as? Int } }
        #expect(errors == [-32700, -32600, -32601])
        #expect(unknown["error"] != nil)
        client.notify("$/unknownNotification", [:])
        #expect(client.received.withLock { $0.count } == 4, "notifications get no answer")
    }

    @Test func lifecycleAndCapabilities() {
        let fresh = LanguageServer { _ in }
        let answers = Inbox()
        let early = LanguageServer { message in answers.append(message) }
        early.handle(Array(#"{"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":{}}"#.utf8))
        #expect(answers.withLock { ($0.first?["error"] as? [String: Any])?["code"] as? Int } == -32002)
        fresh.handle(Array(#"{"jsonrpc":"2.0","method":"exit"}"#.utf8))
        #expect(fresh.exitCode == 1, "exit without shutdown")
        let client = Client(encodings: ["utf-8", "utf-32"])
        let capabilities = client.received.withLock { ($0.first?["result"] as? [String: Any])?["capabilities"] as? [String: Any] } ?? [:]
        #expect(capabilities["positionEncoding"] as? String == "utf-32")
        #expect(capabilities["inlayHintProvider"] as? Bool == true)
        #expect((capabilities["textDocumentSync"] as? [String: Any])?["change"] as? Int == 1)
        #expect(client.request("shutdown", [:])["result"] is NSNull)
        client.notify("exit", [:])
        #expect(client.server.exitCode == 0)
    }

    // MARK: Positions

    @Test func positionsCountUTF16UnitsOrScalars() {
        let text = "name: é😀x\n"
        let utf16 = PositionMap(text: text, encoding: .utf16)
        // 'x' is scalar column 9 (1-based): "name: " is 6 scalars, é 1, 😀 1.
        let x = SourceLocation(line: 1, column: 9)
        #expect(utf16.position(x).character == 9, "😀 is two UTF-16 units")
        #expect(utf16.location(line: 0, character: 9) == x)
        #expect(PositionMap(text: text, encoding: .utf32).position(x).character == 8)
        #expect(PositionMap(text: text, encoding: .utf8).position(x).character == 12)
        // Out of range is clamped, not trapped on.
        #expect(utf16.location(line: 99, character: 99).line == 2)
        #expect(utf16.position(SourceLocation(line: 7, column: 80)) == (1, 0))
        #expect(PositionMap(text: "a\r\nb\rc", encoding: .utf16).lines.count == 3)
        // NEL, LS and PS break lines for libyaml, so they do here too: 'x' is on line 4 for both.
        let breaks = PositionMap(text: "a\u{85}b\u{2028}c\u{2029}x", encoding: .utf16)
        #expect(breaks.lines.count == 4)
        #expect(breaks.location(line: 3, character: 0) == SourceLocation(line: 4, column: 1))
        let file = SourceFile(path: "s", text: "a\u{85}b\u{2028}c\u{2029}x")
        #expect(file.line(4) == "x")
    }

    @Test func diagnosticsCarryCodesRangesAndNotesInTheClientsUnits() throws {
        let client = Client()
        client.open("name: é😀\ninput: [4]\nlayers:\n  - Dense: {units: 8, name: a}\n  - Dense: {units: 1, name: a}\n")
        let published = try #require(client.published.last)
        #expect(published["version"] as? Int == 1)
        let diagnostic = try #require((published["diagnostics"] as? [[String: Any]])?.first)
        #expect(diagnostic["code"] as? String == "MC0405")
        #expect(diagnostic["source"] as? String == "modelc")
        #expect(diagnostic["severity"] as? Int == 1)
        let range = try #require(diagnostic["range"] as? [String: [String: Int]])
        #expect(range["start"] == ["line": 4, "character": 28])
        let related = try #require(diagnostic["relatedInformation"] as? [[String: Any]])
        #expect(((related.first?["location"] as? [String: Any])?["range"] as? [String: [String: Int]])?["start"] == ["line": 3, "character": 28])
    }

    @Test func changesAreDebouncedAndNeverStale() throws {
        let client = Client(debounce: 0.05)
        client.open(Self.spec)
        let opened = client.published.count
        #expect(opened == 1)
        for version in 2...6 { client.change(Self.spec.replacingOccurrences(of: "LSTM 8", with: "LSTM \(version)"), version: version) }
        client.change("input: [10]\nlayers:\n  - Dens 1\n", version: 7)
        #expect(client.published.count == opened, "nothing before the pause")
        Thread.sleep(forTimeInterval: 0.3)
        let after = client.published.dropFirst(opened)
        #expect(after.count == 1, "one publication for the burst")
        #expect(after.first?["version"] as? Int == 7)
        #expect(((after.first?["diagnostics"] as? [[String: Any]])?.first?["code"] as? String) == "MC0301")
        client.notify("textDocument/didClose", ["textDocument": ["uri": client.uri]])
        #expect((client.published.last?["diagnostics"] as? [Any])?.isEmpty == true)
    }

    // MARK: Features

    @Test func hoverShowsTheLayerInThisModelAndArgumentDocs() throws {
        let client = Client()
        client.open(Self.spec)
        let layer = try #require(((client.at("textDocument/hover", line: 3, character: 5) as? [String: Any])?["contents"] as? [String: Any])?["value"] as? String)
        #expect(layer.hasPrefix("**LSTM** — "))
        #expect(layer.contains("`lstm`: output `(None, 10, 8)`, 544 parameters"))
        let argument = try #require(((client.at("textDocument/hover", line: 4, character: 22) as? [String: Any])?["contents"] as? [String: Any])?["value"] as? String)
        #expect(argument.hasPrefix("**LSTM.activation**: activation, default `tanh`"))
        #expect(client.at("textDocument/hover", line: 0, character: 2) is NSNull)
    }

    @Test func completionOffersClassesArgumentsValuesAndNames() throws {
        let client = Client()
        func labels(_ text: String, line: Int, character: Int) -> [String] {
            client.change(text, version: client.nextID + 100)
            let result = client.at("textDocument/completion", line: line, character: character) as? [String: Any]
            return (result?["items"] as? [[String: Any]] ?? []).compactMap { $0["label"] as? String }
        }
        client.open(Self.spec)
        #expect(labels(Self.spec + "  - \n", line: 6, character: 4).contains("Bidirectional"))
        let shorthand = labels(Self.spec + "  - LSTM 4 \n", line: 6, character: 11)
        #expect(shorthand.contains("return_sequences") && shorthand.contains("units"))
        let keyword = labels(Self.spec + "  - GRU: {units: 4, \n", line: 6, character: 21)
        #expect(keyword.contains("reset_after") && !keyword.contains("Bidirectional"))
        #expect(labels(Self.spec + "  - Dense: {units: 1, activation: \n", line: 6, character: 35).contains("sigmoid"))
        #expect(labels(Self.spec + "  - Conv1D 4 3 padding=\n", line: 6, character: 24).contains("causal"))
        #expect(labels(Self.spec + "compile:\n  optimizer: \n", line: 7, character: 13).contains("adam"))
        #expect(labels(Self.spec + "compile:\n  loss: \n", line: 7, character: 8).contains("binary_crossentropy"))
        #expect(labels(Self.spec + "compile:\n  metrics: [\n", line: 7, character: 12).contains("accuracy"))
        #expect(labels(Self.spec + "fit:\n  callbacks:\n    - \n", line: 8, character: 6).contains("EarlyStopping"))
        #expect(labels(Self.spec + "\n", line: 6, character: 0).contains("compile"))
        // data: a split's keys and its window's, in flow and block mappings.
        #expect(labels(Self.spec + "data:\n  train: {csv: a.csv, \n", line: 7, character: 22).contains("window"))
        let window = labels(Self.spec + "data:\n  train: {csv: a.csv, window: {sequence_length: 4, \n", line: 7, character: 53)
        #expect(window.contains("horizon") && window.contains("start_index") && !window.contains("csv"))
        let block = labels(Self.spec + "data:\n  train:\n    csv: a.csv\n    window:\n      \n", line: 10, character: 6)
        #expect(block.contains("sampling_rate") && block.contains("end_index"))
        #expect(labels(Self.spec + "data:\n  train:\n    \n", line: 8, character: 4).contains("labels"))
        let graph = "inputs: {tokens: [10]}\nlayers:\n  - Embedding: {input_dim: 100, output_dim: 8, name: emb, inputs: tokens}\n  - LSTM: {units: 4, inputs: }\n"
        let names = labels(graph, line: 3, character: 29)
        #expect(names.contains("tokens") && names.contains("emb"))
    }

    @Test func inlayHintsSymbolsAndDefinition() throws {
        let client = Client()
        client.open(Self.spec)
        let hints = try #require(client.request("textDocument/inlayHint", ["textDocument": ["uri": client.uri],
            "range": ["start": ["line": 0, "character": 0], "end": ["line": 10, "character": 0]]])["result"] as? [[String: Any]])
        #expect(hints.map { $0["label"] as? String ?? "" } == [" → (None, 10, 8) · 800 params", " → (None, 10, 8) · 544 params",
                                                              " → (None, 4) · 208 params", " → (None, 1) · 5 params"])
        #expect((hints.first?["position"] as? [String: Int]) == ["line": 2, "character": 19])
        let symbols = try #require(client.request("textDocument/documentSymbol", ["textDocument": ["uri": client.uri]])["result"] as? [[String: Any]])
        #expect(symbols.map { $0["name"] as? String ?? "" } == ["input", "embedding", "lstm", "lstm_1", "dense"])
        #expect(symbols[4]["detail"] as? String == "Dense → (None, 1)")

        let graph = "inputs: {tokens: [10]}\nlayers:\n  - Embedding: {input_dim: 100, output_dim: 8, name: emb, inputs: tokens}\n  - LSTM: {units: 4, inputs: emb}\noutputs: [lstm]\n"
        client.change(graph, version: 9)
        let toLayer = try #require(client.at("textDocument/definition", line: 3, character: 30) as? [String: Any])
        #expect((toLayer["range"] as? [String: [String: Int]])?["start"] == ["line": 2, "character": 4])
        let toInput = try #require(client.at("textDocument/definition", line: 2, character: 67) as? [String: Any])
        #expect((toInput["range"] as? [String: [String: Int]])?["start"] == ["line": 0, "character": 9])
        let output = try #require(client.at("textDocument/definition", line: 4, character: 11) as? [String: Any])
        #expect((output["range"] as? [String: [String: Int]])?["start"] == ["line": 3, "character": 4])
    }

    @Test func codeActionsApplyTheFixes() throws {
        let client = Client()
        client.open("input: [10]\nlayers:\n  - Embedding 100x8\n  - LSTM 8\n  - LSTM 4\n")
        let actions = try #require(client.request("textDocument/codeAction", ["textDocument": ["uri": client.uri],
            "range": ["start": ["line": 4, "character": 4], "end": ["line": 4, "character": 4]], "context": ["diagnostics": []]])["result"] as? [[String: Any]])
        let action = try #require(actions.first)
        #expect(action["title"] as? String == "set return_sequences: true on lstm")
        #expect(action["kind"] as? String == "quickfix")
        let edits = try #require(((action["edit"] as? [String: Any])?["changes"] as? [String: Any])?[client.uri] as? [[String: Any]])
        #expect(edits.first?["newText"] as? String == " return_sequences")
        #expect((edits.first?["range"] as? [String: [String: Int]])?["start"] == ["line": 3, "character": 10])
    }

    /// The data files are checked when a spec is opened or saved (not on every keystroke).
    @Test func dataFilesAreCheckedOnOpenAndSave() throws {
        let folder = try TestSupport.temporaryDirectory("lsp-data")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try AtomicFile.write(NumpyArray(shape: [2, 2], values: [1, 2, 3, 4]).encoded(), to: folder + "/x_train.npy")
        try AtomicFile.write(NumpyArray(shape: [2], values: [0, 1]).encoded(), to: folder + "/y.npy")
        let spec = "input: [2]\nlayers: [Dense 1 sigmoid]\ncompile: {optimizer: adam, loss: binary_crossentropy}\ndata:\n  train: {x: x_trian.npy, y: y.npy}\n"
        let client = Client(uri: "file://" + folder + "/spec.yaml", dataCheck: { result, path in
            DataFileCheck.diagnostics(result, root: (path as NSString).deletingLastPathComponent)
        })
        func codes() -> [String] { (client.published.last?["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String } }
        client.open(spec)
        #expect(codes() == ["MC0607"])
        client.change(spec + "\n", version: 2)
        client.server.flush()
        #expect(codes().isEmpty, "a change drops the data diagnostics until the next save")
        client.notify("textDocument/didSave", ["textDocument": ["uri": client.uri]])
        #expect(codes() == ["MC0607"])
        let message = (client.published.last?["diagnostics"] as? [[String: Any]])?.first?["message"] as? String ?? ""
        #expect(message.contains("did you mean 'x_train.npy'?"))
    }

    // MARK: Robustness

    /// The robustness corpus, the invalid specs and seeded mutants of them, each opened, changed,
    /// and asked for every feature at many positions: no trap, and every answer is JSON.
    @Test func halfTypedAndMutatedSpecsNeverCrashTheServer() {
        let client = Client()
        var texts = RobustnessTests.corpus.map(\.text)
        texts += TestSupport.files(in: TestSupport.packageRoot + "/Specs/invalid", withExtension: "yaml").map(TestSupport.read)
        var random = SeededGenerator(seed: 13)
        let originals = texts
        for text in originals.prefix(40) {
            for _ in 0..<3 {
                let (bytes, _) = SpecMutator.mutate(Array(text.utf8), random: &random)
                texts.append(String(decoding: bytes, as: UTF8.self))
            }
            // Half-typed: every prefix at a few cut points.
            for cut in stride(from: 1, to: text.count, by: max(1, text.count / 4)) { texts.append(String(text.prefix(cut))) }
        }
        var version = 1
        client.open("")
        for text in texts {
            version += 1
            client.change(text, version: version)
            let lines = max(1, text.split(separator: "\n", omittingEmptySubsequences: false).count)
            for line in stride(from: 0, to: lines + 1, by: max(1, lines / 6)) {
                for character in [0, 3, 9, 40, 500] {
                    _ = client.at("textDocument/hover", line: line, character: character)
                    _ = client.at("textDocument/completion", line: line, character: character)
                    _ = client.at("textDocument/definition", line: line, character: character)
                }
            }
            _ = client.request("textDocument/inlayHint", ["textDocument": ["uri": client.uri],
                                                          "range": ["start": ["line": 0, "character": 0], "end": ["line": 9999, "character": 0]]])
            _ = client.request("textDocument/documentSymbol", ["textDocument": ["uri": client.uri]])
            _ = client.request("textDocument/codeAction", ["textDocument": ["uri": client.uri],
                                                           "range": ["start": ["line": 0, "character": 0], "end": ["line": 9999, "character": 0]]])
        }
        client.server.flush()
        #expect(texts.count > 200)
        #expect(client.published.last?["version"] as? Int == version)
    }
}
