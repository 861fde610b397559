import CGraphviz
import Foundation

/// What a plot is written as.
public enum PlotFormat: String, CaseIterable, Sendable {
    /// The DOT text itself, no layout.
    case dot
    /// Graphviz's own SVG renderer (text stays text).
    case svg
    /// Graphviz's cairo renderer (the `png:cairo` plugin in libgvc6), at the graph's dpi.
    case png

    /// The format a file name asks for by its extension (`.gv` is DOT too), if any.
    public init?(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "dot", "gv": self = .dot
        case "svg": self = .svg
        case "png": self = .png
        default: return nil
        }
    }
}

/// Graphviz could not lay out or render a graph.
public struct PlotError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Lays DOT text out with Graphviz's `dot` engine and renders it, all in-process through libgvc
/// (`gvContext`, `agmemread`, `gvLayout`, `gvRenderData`), the same library the `dot` program is.
///
/// Graphviz keeps global state (its parser, its error channel), so every call holds one process-wide
/// lock; each call makes and frees its own context, graph, layout and rendered buffer. Graphviz's
/// messages are caught instead of printed: an error comes back in the thrown `PlotError`.
public enum GraphvizRenderer {
    /// Renders `dot` as `format` (`.dot` returns the text unchanged).
    public static func render(dot: String, as format: PlotFormat) throws(PlotError) -> [UInt8] {
        if format == .dot { return Array(dot.utf8) }
        lock.lock()
        defer { lock.unlock() }
        messages = ""
        let previousHandler = agseterrf(collectMessage)
        defer { agseterrf(previousHandler) }
        _ = agreseterrors()

        guard let context = gvContext() else { throw PlotError("Graphviz could not create a context") }
        defer { gvFreeContext(context) }
        guard let graph = dot.withCString({ agmemread($0) }) else {
            throw PlotError("Graphviz could not read the DOT text" + details())
        }
        defer { agclose(graph) }
        guard gvLayout(context, graph, "dot") == 0 else {
            throw PlotError("Graphviz has no usable 'dot' layout" + details()
                + "; its plugins are not registered: run `dot -c` as root (Debian: /usr/sbin/libgvc6-config-update, which installing libgvc6 runs)")
        }
        defer { gvFreeLayout(context, graph) }
        var data: UnsafeMutablePointer<CChar>?
        var length = 0
        guard modelc_gv_render_data(context, graph, format.rawValue, &data, &length) == 0, let data else {
            throw PlotError("Graphviz cannot render \(format.rawValue)" + details()
                + (format == .png ? "; its png renderer is the cairo plugin of libgvc6 (Debian: libgraphviz-dev)" : ""))
        }
        defer { gvFreeRenderData(data) }
        return data.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
    }

    /// Serializes every use of the library.
    private static let lock = NSLock()

    /// What Graphviz said during the current call (guarded by `lock`).
    nonisolated(unsafe) private static var messages = ""

    /// Graphviz's error channel: it calls this with each piece of a message ("Error: ", then the text).
    private static let collectMessage: agusererrf = { text in
        if let text { GraphvizRenderer.messages += String(cString: text) }
        return 0
    }

    /// The messages of the call, as ` (...)` to append to a sentence, or nothing: one line, without
    /// Graphviz's `Error: ` prefixes and its dangling `Use one of:` lists.
    private static func details() -> String {
        var lines: [String] = []
        for line in messages.split(whereSeparator: \.isNewline) {
            var text = line.trimmingCharacters(in: .whitespaces)
            for prefix in ["Error: ", "Warning: "] where text.hasPrefix(prefix) { text.removeFirst(prefix.count) }
            if text.hasSuffix(" Use one of:") { text.removeLast(" Use one of:".count) }
            if !text.isEmpty { lines.append(text) }
        }
        return lines.isEmpty ? "" : " (" + lines.joined(separator: " ") + ")"
    }
}
