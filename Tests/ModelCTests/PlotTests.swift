import Foundation
import Testing
@testable import ModelC
@testable import ModelPlot
#if canImport(FoundationXML)
import FoundationXML
#endif

/// `modelc plot`: the DOT text of Keras's `plot_model(model, show_shapes=True)`, laid out and
/// rendered by libgvc, and the command that writes it.
@Suite struct PlotTests {
    static let sequential = """
        input: [100]
        layers:
          - Embedding 500x16
          - LSTM 8
          - Dense 1 sigmoid
        """

    /// Two inputs, a wrapper, a merge reading one tensor twice, two outputs, names with `.`, `-`, `/`.
    static let functional = """
        name: two_towers
        inputs:
          tokens: [12]
          feats: [12, 3]
        layers:
          - Embedding: {input_dim: 50, output_dim: 4, inputs: tokens}
          - Bidirectional: {layer: {LSTM: {units: 2, return_sequences: true}}, name: enc.fwd-bwd}
          - Conv1D: {filters: 4, kernel_size: 1, name: conv/1, inputs: feats}
          - Concatenate: {name: merge, inputs: [enc.fwd-bwd, conv/1, conv/1]}
          - GlobalAveragePooling1D: {}
          - Dense: {units: 1, activation: sigmoid, name: out}
          - Dense: {units: 3, activation: softmax, name: aux, inputs: conv/1}
        outputs: [out, aux]
        """

    static func dot(_ yaml: String, options: PlotOptions = PlotOptions()) throws -> String {
        let result = TestSupport.check(yaml)
        let model = try #require(result.model, "\(result.diagnostics.map(\.message))")
        return PlotDOT.render(model, options: options)
    }

    /// What tf_keras 2.21's `model_to_dot(show_shapes=True).to_string()` printed for this model, its
    /// `id(layer)` node names replaced by the layer names: the InputLayer Sequential adds comes first.
    @Test func sequentialDOTIsKerasWithItsInputLayer() throws {
        #expect(try Self.dot(Self.sequential) == """
            digraph G {
            rankdir=TB;
            concentrate=true;
            dpi=96;
            node [shape=record];
            "embedding_input" [label="{embedding_input|InputLayer}|{input:|output:}|{{[(None, 100)]}|{[(None, 100)]}}"];
            "embedding" [label="{embedding|Embedding}|{input:|output:}|{{(None, 100)}|{(None, 100, 16)}}"];
            "lstm" [label="{lstm|LSTM}|{input:|output:}|{{(None, 100, 16)}|{(None, 8)}}"];
            "dense" [label="{dense|Dense}|{input:|output:}|{{(None, 8)}|{(None, 1)}}"];
            "embedding_input" -> "embedding";
            "embedding" -> "lstm";
            "lstm" -> "dense";
            }

            """)
    }

    /// Keras's output for the same model (ids replaced): model.layers order, the wrapper labelled
    /// `enc.fwd-bwd(lstm)` / `Bidirectional(LSTM)`, the merge's input list with the repeated tensor,
    /// and one edge per distinct pair.
    @Test func functionalDOTIsKerasWithMergeAndWrapper() throws {
        #expect(try Self.dot(Self.functional) == """
            digraph G {
            rankdir=TB;
            concentrate=true;
            dpi=96;
            node [shape=record];
            "tokens" [label="{tokens|InputLayer}|{input:|output:}|{{[(None, 12)]}|{[(None, 12)]}}"];
            "embedding" [label="{embedding|Embedding}|{input:|output:}|{{(None, 12)}|{(None, 12, 4)}}"];
            "feats" [label="{feats|InputLayer}|{input:|output:}|{{[(None, 12, 3)]}|{[(None, 12, 3)]}}"];
            "enc.fwd-bwd" [label="{enc.fwd-bwd(lstm)|Bidirectional(LSTM)}|{input:|output:}|{{(None, 12, 4)}|{(None, 12, 4)}}"];
            "conv/1" [label="{conv/1|Conv1D}|{input:|output:}|{{(None, 12, 3)}|{(None, 12, 4)}}"];
            "merge" [label="{merge|Concatenate}|{input:|output:}|{{[(None, 12, 4), (None, 12, 4), (None, 12, 4)]}|{(None, 12, 12)}}"];
            "global_average_pooling1d" [label="{global_average_pooling1d|GlobalAveragePooling1D}|{input:|output:}|{{(None, 12, 12)}|{(None, 12)}}"];
            "out" [label="{out|Dense}|{input:|output:}|{{(None, 12)}|{(None, 1)}}"];
            "aux" [label="{aux|Dense}|{input:|output:}|{{(None, 12, 4)}|{(None, 12, 3)}}"];
            "tokens" -> "embedding";
            "embedding" -> "enc.fwd-bwd";
            "feats" -> "conv/1";
            "enc.fwd-bwd" -> "merge";
            "conv/1" -> "merge";
            "merge" -> "global_average_pooling1d";
            "global_average_pooling1d" -> "out";
            "conv/1" -> "aux";
            }

            """)
    }

    /// `>` would end a record field, so it is escaped in labels (Keras leaves it and Graphviz fails);
    /// node names are quoted strings and keep it.
    @Test func recordCharactersAreEscaped() throws {
        let text = try Self.dot("""
            inputs:
              x: [4]
            layers:
              - Dense: {units: 2, name: a>b, inputs: x}
              - Dense: {units: 1, name: c.d-e/f}
            outputs: [c.d-e/f]
            """, options: PlotOptions(showShapes: false, direction: .LR, dpi: 72))
        #expect(text.contains("rankdir=LR;\nconcentrate=true;\ndpi=72;\n"))
        #expect(text.contains(#""a>b" [label="a\>b|Dense"];"#))
        #expect(text.contains(#""a>b" -> "c.d-e/f";"#))
        #expect(PlotDOT.recordText(#"{x|y}<z>\N"#) == #"\{x\|y\}\<z\>\\N"#)
        #expect(PlotDOT.quoted(#"say "hi""#) == #""say \"hi\"""#)
    }

    @Test func svgIsValidAndNamesEveryLayer() throws {
        let model = try #require(TestSupport.model(Self.functional))
        let svg = String(decoding: try GraphvizRenderer.render(dot: PlotDOT.render(model), as: .svg), as: UTF8.self)
        #expect(svg.hasPrefix("<?xml"))
        #expect(svg.hasSuffix("</svg>\n"))
        let texts = try Self.svgTexts(svg)
        for name in model.inputs.map(\.name) + ["InputLayer", "Concatenate", "input:", "output:", "(None, 12, 12)"] {
            #expect(texts.contains(name), "\(name)")
        }
        for layer in model.layers {
            #expect(texts.contains(layer.inner == nil ? layer.name : "\(layer.name)(\(layer.inner!.name))"), "\(layer.name)")
        }
        // One box per node, one arrow per edge.
        #expect(svg.components(separatedBy: "class=\"node\"").count - 1 == model.inputs.count + model.layers.count)
        #expect(svg.components(separatedBy: "class=\"edge\"").count - 1 == 8)
    }

    /// Every functional case of ../shared lays out (concentrate=true included) and names its layers.
    @Test func everySharedFunctionalCaseRenders() throws {
        let cases = TestSupport.files(in: TestSupport.sharedRoot + "/keras-cases/graph-summary", withExtension: "yaml")
        #expect(cases.count >= 10)
        for path in cases {
            let model = try #require(SpecChecker.check(SourceFile(path: path, text: TestSupport.read(path))).model, "\(path)")
            let texts = try Self.svgTexts(String(decoding: try GraphvizRenderer.render(dot: PlotDOT.render(model), as: .svg), as: UTF8.self))
            for node in PlotDOT.nodeOrder(model) where !texts.contains(where: { $0 == model.name(of: node) || $0.hasPrefix(model.name(of: node) + "(") }) {
                Issue.record("\(path): \(model.name(of: node)) is not drawn")
            }
        }
    }

    @Test func pngHasTheSignatureAndASize() throws {
        let model = try #require(TestSupport.model(Self.sequential))
        let png = try GraphvizRenderer.render(dot: PlotDOT.render(model), as: .png)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        try #require(png.count > 24)
        #expect(Array(png[12..<16]) == Array("IHDR".utf8))
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        // Four boxes one above the other, at 96 dpi.
        #expect(width > 200 && width < 1000 && height > 300 && height < 1000)
    }

    @Test func graphvizErrorsAreReportedNotPrinted() throws {
        #expect(throws: PlotError.self) { try GraphvizRenderer.render(dot: "digraph G { a -> }", as: .svg) }
        do {
            _ = try GraphvizRenderer.render(dot: "digraph G { a -> }", as: .svg)
        } catch {
            #expect(error.message.contains("syntax error"), "\(error.message)")
        }
        #expect(throws: Never.self) { try GraphvizRenderer.render(dot: "digraph G { a -> b }", as: .png) }
        #expect(try GraphvizRenderer.render(dot: "x", as: .dot) == Array("x".utf8))
    }

    @Test func formatComesFromTheExtension() {
        #expect(PlotFormat(pathExtension: "PNG") == .png)
        #expect(PlotFormat(pathExtension: "svg") == .svg)
        #expect(PlotFormat(pathExtension: "gv") == .dot)
        #expect(PlotFormat(pathExtension: "jpg") == nil)
    }

    // MARK: the command

    @Test func commandWritesTheFileAtomically() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.sequential.write(toFile: directory + "/seq.yaml", atomically: true, encoding: .utf8)
        let result = try TestSupport.run(["plot", directory + "/seq.yaml", "--output", directory + "/out/model.svg"])
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stdout == "wrote \(directory)/out/model.svg\n")
        let svg = TestSupport.read(directory + "/out/model.svg")
        #expect(svg.contains("<svg") && svg.contains(">embedding_input</text>"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/out") == ["model.svg"])

        let png = try TestSupport.run(["plot", directory + "/seq.yaml", "-o", directory + "/model.bin", "--format", "png"])
        #expect(png.code == 0)
        #expect(FileManager.default.contents(atPath: directory + "/model.bin")?.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))

        let dot = try TestSupport.run(["plot", directory + "/seq.yaml", "--format", "dot"])
        #expect(dot.code == 0)
        #expect(dot.stdout == (try Self.dot(Self.sequential)))
    }

    @Test(arguments: [["--format", "jpeg"], ["--output", "model.jpg"], ["--output", "model"], [], ["--format", "png"]])
    func commandRefusesUnknownOrMissingFormats(_ extra: [String]) throws {
        let result = try TestSupport.run(["plot", "Specs/imdb_lstm.yaml"] + extra)
        #expect(result.code == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("format") || result.stderr.contains("--output"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: TestSupport.packageRoot + "/model.jpg"))
    }

    @Test func commandPrintsSpecDiagnostics() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let invalid = PlotCommand.run(path: "Specs/invalid/rnn_needs_sequences.yaml", output: directory + "/m.png", format: nil,
                                      in: TestSupport.packageRoot)
        #expect(invalid.exitCode == 1)
        #expect(invalid.standardError.contains("error: lstm_1 (LSTM) needs a 3-D input"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/m.png"))
        let missing = PlotCommand.run(path: "Specs/no-such.yaml", output: directory + "/m.png", format: nil, in: TestSupport.packageRoot)
        #expect(missing.exitCode == 2)
        let svg = PlotCommand.run(path: "Specs/imdb_lstm.yaml", output: nil, format: .svg, in: TestSupport.packageRoot)
        #expect(svg.exitCode == 0)
        #expect(svg.standardOutput.contains(">lstm</text>"))
    }

    // MARK: helpers

    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("modelc-plot-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The text of every `<text>` element, entities decoded; fails unless the document is XML with an
    /// `svg` root.
    static func svgTexts(_ svg: String) throws -> [String] {
        try svgParsed(svg).texts
    }

    /// The parsed SVG: its texts and element counts; fails unless it is XML with an `svg` root.
    static func svgParsed(_ svg: String) throws -> SVGTextCollector {
        let collector = SVGTextCollector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        try #require(parser.parse(), "\(String(describing: parser.parserError))")
        #expect(collector.root == "svg")
        return collector
    }
}

/// Collects the `<text>` contents of an SVG, and how many of each element it holds.
final class SVGTextCollector: NSObject, XMLParserDelegate {
    var root: String?
    var texts: [String] = []
    var elements: [String: Int] = [:]
    private var current: String?

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if root == nil { root = name }
        elements[name, default: 0] += 1
        if name == "text" { current = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        current? += string
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text", let current { texts.append(current) }
        if name == "text" { current = nil }
    }
}
