import ModelC

/// Which way the graph runs, Graphviz's `rankdir` as Keras passes it.
public enum PlotDirection: String, CaseIterable, Sendable {
    /// Top to bottom, Keras's default: inputs at the top.
    case TB
    /// Left to right.
    case LR
}

/// What `tf_keras.utils.model_to_dot` is asked for.
public struct PlotOptions: Sendable, Equatable {
    /// `show_shapes`: each box also lists the layer's input and output shapes.
    public var showShapes: Bool
    public var direction: PlotDirection
    /// `dpi`, 96 in Keras: the PNG's resolution (72 dpi is one pixel per point).
    public var dpi: Int

    public init(showShapes: Bool = true, direction: PlotDirection = .TB, dpi: Int = 96) {
        self.showShapes = showShapes
        self.direction = direction
        self.dpi = dpi
    }
}

/// The Graphviz DOT text `tf_keras.utils.model_to_dot(model, show_shapes=True)` builds (tf_keras
/// `utils/vis_utils.py`): a digraph with `rankdir`, `concentrate` and `dpi`, record-shaped nodes, one
/// per entry of `model.layers` with the input layers (a Sequential model's `<first layer>_input` too),
/// and one edge per distinct (inbound layer, layer) pair.
///
/// A node's label is Keras's record `{name|Class}|{input:|output:}|{{in}|{out}}`: in a top-to-bottom
/// graph three columns, the name above the class, `input:` above `output:`, the shapes beside them.
/// Wrappers read `bidirectional(lstm)` / `Bidirectional(LSTM)`; input layers show their shape as a
/// list, `[(None, 4)]`, as Keras's InputLayer reports it, and merge layers the list of their inputs.
///
/// Keras names nodes by `id(layer)`, which changes every run; here a node is named by its layer (or
/// input) name, so the text is the same for the same spec and the SVG's `<title>`s name the layers.
public enum PlotDOT {
    public static func render(_ model: TypedModel, options: PlotOptions = PlotOptions()) -> String {
        var lines = ["digraph G {",
                     "rankdir=\(options.direction.rawValue);",
                     "concentrate=true;",
                     "dpi=\(options.dpi);",
                     "node [shape=record];"]
        let order = nodeOrder(model)
        for node in order {
            lines.append("\(identifier(model.name(of: node))) [label=\(quoted(label(node, in: model, options: options)))];")
        }
        var seen: Set<[TensorSource]> = []
        for node in order {
            guard case .layer(let index) = node else { continue }
            for source in model.layers[index].sources where seen.insert([source, node]).inserted {
                lines.append("\(identifier(model.name(of: source))) -> \(identifier(model.name(of: node)));")
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Keras's `model.layers` with the input layers: for a Sequential model its InputLayer, then the
    /// layers in order (what `Functional.layers` holds under `Sequential.layers`); for a functional one
    /// the graph order of `KerasGraph`.
    public static func nodeOrder(_ model: TypedModel) -> [TensorSource] {
        if model.isFunctional { return KerasGraph(model).order }
        return model.inputs.indices.map(TensorSource.input) + model.layers.indices.map(TensorSource.layer)
    }

    /// The record label of one node, unquoted: fields escaped for a record, shapes as Keras prints them.
    static func label(_ node: TensorSource, in model: TypedModel, options: PlotOptions) -> String {
        let name: String, className: String, input: String, output: String
        switch node {
        case .input(let index):
            let shape = "[\(model.inputs[index].type.kerasDescription)]"
            (name, className, input, output) = (model.inputs[index].name, "InputLayer", shape, shape)
        case .layer(let index):
            let layer = model.layers[index]
            if let inner = layer.inner {
                // Keras adds the wrapped layer (one level: TimeDistributed(Bidirectional)).
                name = "\(layer.name)(\(inner.name))"
                className = "\(layer.className)(\(inner.descriptor.className))"
            } else {
                (name, className) = (layer.name, layer.className)
            }
            input = layer.inputs.count == 1
                ? layer.inputs[0].kerasDescription
                : "[" + layer.inputs.map(\.kerasDescription).joined(separator: ", ") + "]"
            output = layer.output.kerasDescription
        }
        let title = "\(recordText(name))|\(recordText(className))"
        guard options.showShapes else { return title }
        return "{\(title)}|{input:|output:}|{{\(recordText(input))}|{\(recordText(output))}}"
    }

    /// Text for a record field: the characters that structure a record (`{ } | < >`) and the
    /// backslash (Graphviz's escapes such as `\N`) escaped with a backslash, so they print as written.
    static func recordText(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "{", "}", "|", "<", ">", "\\": escaped += "\\\(character)"
            case "\n", "\r", "\t": escaped += " "
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A DOT quoted string: a double quote escaped; other characters pass as written, backslashes
    /// too (DOT keeps `\\` as two characters, and the record parser reads the escapes above).
    static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            switch character {
            case "\"": result += "\\\""
            case "\n", "\r": result += " "
            default: result.append(character)
            }
        }
        return result + "\""
    }

    /// A node name: the layer's (or input's) name as a DOT quoted string, as names hold `.`, `-`, `/`
    /// and `>`. (Spec names never hold a backslash or a quote; the quote is escaped all the same.)
    static func identifier(_ name: String) -> String {
        quoted(name)
    }
}
