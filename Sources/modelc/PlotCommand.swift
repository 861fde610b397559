import ArgumentParser
import ModelPlot

extension PlotFormat: ExpressibleByArgument {}
extension PlotDirection: ExpressibleByArgument {}

struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw the model as Keras's plot_model(model, show_shapes=True) does, laid out by Graphviz: PNG, SVG or DOT.")

    @Argument(help: "The spec file.")
    var spec: String

    @Option(name: .shortAndLong, help: "The file to write; its extension (.png, .svg, .dot) gives the format unless --format does.")
    var output: String?

    @Option(help: "png, svg or dot (default: from --output). DOT and SVG go to standard output without --output.")
    var format: PlotFormat?

    @Option(help: "TB (top to bottom, Keras's default) or LR (left to right).")
    var rankdir: PlotDirection = .TB

    @Option(help: "Resolution of a PNG, as Keras's dpi (96).")
    var dpi: Int = 96

    @Option(help: "Color diagnostics: auto, always or never.")
    var color: ColorChoice = .auto

    func validate() throws {
        if !(1...1200).contains(dpi) { throw ValidationError("--dpi must be between 1 and 1200") }
    }

    func run() throws {
        try finish(PlotCommand.run(path: spec, output: output, format: format,
                                   options: PlotOptions(direction: rankdir, dpi: dpi), color: color.enabled(for: 2)))
    }
}
