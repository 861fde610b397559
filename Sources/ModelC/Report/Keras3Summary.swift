/// Keras 3's `model.summary()` (`keras/src/utils/summary_utils.py`, `print_summary`) as it prints
/// to a standard output that is not a terminal, with `COLUMNS` unset: the table is rich's (see
/// `RichTable`), the markup Keras adds (bold, colours) leaves no trace, and the totals carry
/// thousands separators and sizes in bytes (`Total params: 8,809 (34.41 KB)`).
///
/// The summary of a spec is of a model that was never compiled with a built optimizer, so there
/// is no `Optimizer params` line (Keras prints it only once `fit` or `optimizer.build` made the
/// optimizer's variables; `compile` alone does not).
public enum Keras3Summary {
    /// Keras's line length is `min(88, terminal columns - 4)` for the three-column table and
    /// `min(108, ...)` for the one with `Connected to`; Python's terminal size off a terminal is
    /// 80 columns, so both are 76 cells wide.
    static let lineLength = 76
    /// Keras's column ends as fractions of the line: `[0.45, 0.80, 1.0]`, and with `Connected to`
    /// `[0.3, 0.56, 0.74, 1.0]`; each column is `int(position * 76)` less the ones before it.
    static let positions = [0.45, 0.80, 1.0]
    static let graphPositions = [0.3, 0.56, 0.74, 1.0]
    /// rich's console width off a terminal: the `Model:` line wraps there.
    static let consoleWidth = 80
    /// Keras 3 names an unnamed functional model "functional" (Keras 2: "model").
    static let defaultFunctionalName = "functional"

    public static func render(_ model: TypedModel) -> String {
        let graph = KerasGraph(model)
        let connected = model.isFunctional && !graph.isSequentialLike
        var header = ["Layer (type)", "Output Shape", "Param #"]
        var justify: [RichTable.Justify] = [.left, .left, .right]
        if connected {
            header.append("Connected to")
            justify.append(.left)
        }
        var previous = 0
        let columns = (connected ? graphPositions : positions).enumerated().map { index, position in
            let end = Int(position * Double(lineLength))
            defer { previous = end }
            return RichTable.Column(header: header[index], width: end - previous, justify: justify[index])
        }
        let table = RichTable(columns: columns, width: lineLength)
        let name = model.isFunctional && model.nameIsDefault ? defaultFunctionalName : model.name
        var lines = RichTable.consoleLines("Model: \"\(name)\"", width: consoleWidth)
        lines += table.render(rows(model, graph: graph, connected: connected))
        lines += KerasSummary.totals(model).map {
            " \($0.label): \(thousands($0.count)) (\(ReadableMemorySize.format(bytes: $0.bytes, units: ReadableMemorySize.keras3Units)))"
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The rows in Keras's order (`model.layers` of a Sequential model, without its input layer;
    /// `model._operations` of a functional one, input layers included).
    static func rows(_ model: TypedModel, graph: KerasGraph, connected: Bool) -> [[String]] {
        let nodes: [TensorSource] = model.isFunctional ? graph.order : model.layers.indices.map { .layer($0) }
        return nodes.map { node in
            switch node {
            case .input(let index):
                let input = model.inputs[index]
                return ["\(input.name) (InputLayer)", shape(input.type), "0"] + (connected ? ["-"] : [])
            case .layer(let index):
                let layer = model.layers[index]
                let fields = ["\(layer.name) (\(layer.className))", shape(layer.output), thousands(layer.parameterCount)]
                guard connected else { return fields }
                let sources = layer.sources.map { "\(model.name(of: $0))[0][0]" }
                return fields + [sources.isEmpty ? "-" : sources.joined(separator: ", ")]
            }
        }
    }

    /// Keras 3's `format_shape`: the sizes joined by ", " in parentheses, batch axis first;
    /// unlike a Python tuple, one size prints as `(None)`, and an input's shape is not in a list.
    static func shape(_ type: TensorType) -> String {
        "(" + (["None"] + type.shape.map { $0.map(String.init) ?? "None" }).joined(separator: ", ") + ")"
    }
}
