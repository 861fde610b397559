import Dispatch
import Foundation
import ModelC

/// The language server: JSON-RPC requests and notifications in, responses and
/// `publishDiagnostics` out. All state lives on one serial queue; diagnostics are published
/// `debounce` seconds after the last change of a document (coalescing a burst of keystrokes), from
/// its latest text, with its version, so a published set is never older than the text it names.
public final class LanguageServer: @unchecked Sendable {
    public typealias Send = @Sendable ([String: Any]) -> Void

    struct Document {
        var text: String
        var version: Int
        /// Bumped by each change; a scheduled publication runs only if it is still the latest.
        var generation = 0
        var analysis: Analysis?
        /// The data files' diagnostics of this version (checked on open and save, not per keystroke:
        /// reading the data can take a second; a change drops them until the next save).
        var dataDiagnostics: [Diagnostic] = []
    }

    let send: Send
    let debounce: Double
    /// Checks a valid spec's data files (DataFileCheck, given by the CLI); nil checks none.
    let dataCheck: CheckCommand.DataCheck?
    let queue = DispatchQueue(label: "modelc.lsp")
    var documents: [String: Document] = [:]
    /// Input and layer names of each document's last analysis that had any, for completion while
    /// the YAML is broken.
    var knownNames: [String: [String]] = [:]
    var encoding = PositionEncoding.utf16
    var initialized = false
    public private(set) var shutdownRequested = false
    /// Set by the `exit` notification: the process's exit code (0 after shutdown, else 1).
    public private(set) var exitCode: Int32?

    public init(debounce: Double = 0.02, dataCheck: CheckCommand.DataCheck? = nil, send: @escaping Send) {
        self.debounce = debounce
        self.dataCheck = dataCheck
        self.send = send
    }

    /// Handles one message body (UTF-8 JSON).
    public func handle(_ body: [UInt8]) {
        queue.sync { receive(body) }
    }

    /// Publishes every pending diagnostics set now (tests; the stdio loop relies on the timer).
    public func flush() {
        queue.sync {
            for uri in documents.keys { publish(uri, generation: nil) }
        }
    }

    // MARK: Dispatch

    func receive(_ body: [UInt8]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) else {
            send(error(id: NSNull(), code: -32700, message: "Parse error: the message is not JSON"))
            return
        }
        guard let message = object as? [String: Any], let method = message["method"] as? String else {
            let id = (object as? [String: Any])?["id"]
            if id != nil || !(object is [String: Any]) {
                send(error(id: id ?? NSNull(), code: -32600, message: "Invalid Request: a request is an object with a method"))
            }
            return
        }
        let id = message["id"]
        let params = message["params"] as? [String: Any] ?? [:]
        if method == "exit" {
            exitCode = shutdownRequested ? 0 : 1
            return
        }
        if !initialized, method != "initialize" {
            if let id { send(error(id: id, code: -32002, message: "the server is not initialized yet")) }
            return
        }
        switch method {
        case "initialize":
            let general = (params["capabilities"] as? [String: Any])?["general"] as? [String: Any]
            encoding = PositionEncoding.negotiate(general?["positionEncodings"] as? [String])
            initialized = true
            respond(id, result: ["capabilities": capabilities, "serverInfo": ["name": "modelc", "version": modelcVersion]])
        case "initialized", "$/cancelRequest", "$/setTrace", "workspace/didChangeConfiguration":
            break
        case "textDocument/didSave":
            guard let uri = documentURI(params), documents[uri] != nil else { return }
            checkData(uri)
            publish(uri, generation: nil)
        case "shutdown":
            shutdownRequested = true
            respond(id, result: NSNull())
        case "textDocument/didOpen":
            let item = params["textDocument"] as? [String: Any] ?? [:]
            guard let uri = item["uri"] as? String else { return }
            update(uri, text: item["text"] as? String ?? "", version: item["version"] as? Int ?? 0, delay: 0, checkingData: true)
        case "textDocument/didChange":
            guard let uri = documentURI(params), var document = documents[uri] else { return }
            let changes = params["contentChanges"] as? [[String: Any]] ?? []
            // Full sync: the last change holds the whole text.
            if let text = changes.last?["text"] as? String { document.text = text }
            let version = (params["textDocument"] as? [String: Any])?["version"] as? Int ?? document.version + 1
            update(uri, text: document.text, version: version, delay: debounce)
        case "textDocument/didClose":
            guard let uri = documentURI(params) else { return }
            documents[uri] = nil
            knownNames[uri] = nil
            send(notification("textDocument/publishDiagnostics", ["uri": uri, "diagnostics": [Any]()]))
        case "textDocument/hover":
            respond(id, result: at(params) { analysis, location in
                Hover.markdown(analysis, at: location).map { ["contents": ["kind": "markdown", "value": $0]] as [String: Any] }
            })
        case "textDocument/completion":
            respond(id, result: at(params) { analysis, location in
                let names = analysis.tensorNames.isEmpty ? (knownNames[analysis.uri] ?? []) : analysis.tensorNames
                return ["isIncomplete": false, "items": Completion.items(analysis, at: location, names: names).map(\.json)] as [String: Any]
            } ?? ["isIncomplete": false, "items": [Any]()])
        case "textDocument/inlayHint":
            guard let uri = documentURI(params), let analysis = analysis(uri) else { return respond(id, result: [Any]()) }
            let range = params["range"] as? [String: Any]
            let first = ((range?["start"] as? [String: Any])?["line"] as? Int ?? 0) + 1
            let last = ((range?["end"] as? [String: Any])?["line"] as? Int ?? Int.max - 1) + 1
            respond(id, result: InlayHints.hints(analysis, from: first, to: last))
        case "textDocument/documentSymbol":
            guard let uri = documentURI(params), let analysis = analysis(uri) else { return respond(id, result: [Any]()) }
            respond(id, result: Symbols.symbols(analysis))
        case "textDocument/definition":
            respond(id, result: at(params) { analysis, location in Symbols.definition(analysis, at: location) })
        case "textDocument/codeAction":
            guard let uri = documentURI(params), let analysis = analysis(uri) else { return respond(id, result: [Any]()) }
            let range = params["range"] as? [String: Any] ?? [:]
            let start = location(analysis, range["start"]), end = location(analysis, range["end"])
            respond(id, result: CodeActions.actions(analysis, in: SourceRange(start: start, end: end)))
        default:
            if let id { send(error(id: id, code: -32601, message: "Method not found: \(method)")) }
        }
    }

    var capabilities: [String: Any] {
        [
            "positionEncoding": encoding.rawValue,
            "textDocumentSync": ["openClose": true, "change": 1],
            "hoverProvider": true,
            "completionProvider": ["triggerCharacters": [" ", ":", "=", "[", ",", "-"]],
            "inlayHintProvider": true,
            "documentSymbolProvider": true,
            "definitionProvider": true,
            "codeActionProvider": ["codeActionKinds": ["quickfix"]],
        ]
    }

    // MARK: Documents

    func update(_ uri: String, text: String, version: Int, delay: Double, checkingData: Bool = false) {
        var document = documents[uri] ?? Document(text: text, version: version)
        document.text = text
        document.version = version
        document.generation += 1
        document.analysis = nil
        document.dataDiagnostics = []
        documents[uri] = document
        if checkingData { checkData(uri) }
        let generation = document.generation
        if delay <= 0 {
            publish(uri, generation: generation)
        } else {
            queue.asyncAfter(deadline: .now() + delay) { [self] in publish(uri, generation: generation) }
        }
    }

    /// Publishes `uri`'s diagnostics if `generation` is still its latest (nil: always).
    func publish(_ uri: String, generation: Int?) {
        guard let document = documents[uri], generation == nil || generation == document.generation,
              let analysis = analysis(uri) else { return }
        let all = (analysis.result.diagnostics + document.dataDiagnostics).enumerated()
            .sorted { ($0.element.range.start, $0.offset) < ($1.element.range.start, $1.offset) }.map(\.element)
        let diagnostics = all.map { Diagnostics.json($0, map: analysis.map, uri: uri) }
        send(notification("textDocument/publishDiagnostics", ["uri": uri, "version": document.version, "diagnostics": diagnostics]))
    }

    /// Runs the data check on the document's current version (a valid spec only).
    func checkData(_ uri: String) {
        guard let dataCheck, let analysis = analysis(uri), analysis.result.model != nil else { return }
        documents[uri]?.dataDiagnostics = dataCheck(analysis.result, Analysis.path(of: uri))
    }

    /// The document's analysis, checked once per version.
    func analysis(_ uri: String) -> Analysis? {
        guard var document = documents[uri] else { return nil }
        if let analysis = document.analysis { return analysis }
        let analysis = Analysis(uri: uri, version: document.version, text: document.text, encoding: encoding)
        document.analysis = analysis
        documents[uri] = document
        if !analysis.tensorNames.isEmpty { knownNames[uri] = analysis.tensorNames }
        return analysis
    }

    func documentURI(_ params: [String: Any]) -> String? {
        (params["textDocument"] as? [String: Any])?["uri"] as? String
    }

    func location(_ analysis: Analysis, _ position: Any?) -> SourceLocation {
        let position = position as? [String: Any] ?? [:]
        return analysis.map.location(line: position["line"] as? Int ?? 0, character: position["character"] as? Int ?? 0)
    }

    /// Runs `body` on the document and position of a TextDocumentPositionParams request.
    func at(_ params: [String: Any], _ body: (Analysis, SourceLocation) -> Any?) -> Any? {
        guard let uri = documentURI(params), let analysis = analysis(uri) else { return nil }
        return body(analysis, location(analysis, params["position"]))
    }

    // MARK: Messages

    func respond(_ id: Any?, result: Any?) {
        guard let id else { return }
        send(["jsonrpc": "2.0", "id": id, "result": result ?? NSNull()])
    }

    func error(id: Any, code: Int, message: String) -> [String: Any] {
        ["jsonrpc": "2.0", "id": id, "error": ["code": code, "message": message]]
    }

    func notification(_ method: String, _ params: [String: Any]) -> [String: Any] {
        ["jsonrpc": "2.0", "method": method, "params": params]
    }
}
