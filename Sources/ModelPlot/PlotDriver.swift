import Foundation
import ModelC
import ModelRun

/// `modelc plot SPEC`: the picture `tf_keras.utils.plot_model(model, show_shapes=True)` draws, as
/// DOT, SVG or PNG, or the spec's diagnostics.
public enum PlotCommand {
    /// Plots the spec at `path`. The format is `format`, else the output's extension; DOT and SVG go
    /// to standard output when there is no `output`. Exit 0 when written, 1 for an invalid spec or a
    /// Graphviz or file error, 2 for a usage error (no format known, PNG without a file, unreadable spec).
    public static func run(path: String, output: String?, format: PlotFormat?, options: PlotOptions = PlotOptions(),
                           color: Bool = false, in directory: String? = nil) -> CommandOutcome {
        let chosen: PlotFormat
        if let format {
            chosen = format
        } else if let output {
            let pathExtension = URL(fileURLWithPath: output).pathExtension
            guard let known = PlotFormat(pathExtension: pathExtension) else {
                let shown = pathExtension.isEmpty ? "no extension" : "the extension .\(pathExtension)"
                return usage("cannot tell the format of \(output) from \(shown); name it .png, .svg or .dot, or give --format png|svg|dot")
            }
            chosen = known
        } else {
            return usage("give --output FILE (.png, .svg or .dot), or --format dot or svg to print to standard output")
        }
        if chosen == .png && output == nil {
            return usage("a PNG needs --output FILE")
        }

        let file: SourceFile
        switch SpecFiles.load(path, in: directory) {
        case .success(let loaded): file = loaded
        case .failure: return usage("cannot read \(path)")
        }
        let result = SpecChecker.check(file)
        let diagnostics = DiagnosticRenderer.render([FileDiagnostics(file: file, diagnostics: result.diagnostics)],
                                                    format: .text, color: color)
        guard let model = result.model else {
            return CommandOutcome(standardError: diagnostics, exitCode: 1)
        }
        let bytes: [UInt8]
        do {
            bytes = try GraphvizRenderer.render(dot: PlotDOT.render(model, options: options), as: chosen)
        } catch {
            return CommandOutcome(standardError: diagnostics + "error: \(error.message)\n", exitCode: 1)
        }
        guard let output else {
            return CommandOutcome(standardOutput: String(decoding: bytes, as: UTF8.self), standardError: diagnostics, exitCode: 0)
        }
        do {
            try AtomicFile.write(bytes, to: resolve(output, in: directory))
        } catch {
            return CommandOutcome(standardError: diagnostics + "error: \(error.description)\n", exitCode: 1)
        }
        return CommandOutcome(standardOutput: "wrote \(output)\n", standardError: diagnostics, exitCode: 0)
    }

    static func usage(_ message: String) -> CommandOutcome {
        CommandOutcome(standardError: "error: \(message)\n", exitCode: 2)
    }

    static func resolve(_ path: String, in directory: String?) -> String {
        guard let directory, !path.hasPrefix("/") else { return path }
        return directory + "/" + path
    }
}
