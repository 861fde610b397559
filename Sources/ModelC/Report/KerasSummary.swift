/// Which Keras version's `model.summary()` text to reproduce.
public enum SummaryLayout: String, CaseIterable, Sendable {
    /// Keras 2.9 to 2.12: a blank row after each layer, names and shapes wrapped across lines.
    case keras
    /// Keras 2.8 and earlier: `_` rules between layers, long fields cut off.
    case legacy
    /// tf_keras 2.13 and later (Keras 2 as TensorFlow ships it now): the `keras` table, with the
    /// totals printed without thousands separators and followed by their size (`8809 (34.41 KB)`).
    case tfKeras = "tf-keras"
    /// Keras 3: a box-drawn table (rich's), see `Keras3Summary`.
    case keras3
}

/// Renders a typed model exactly as Keras's `model.summary()` prints it: a Sequential model's table,
/// or for a functional model the "sequential-like" table with its InputLayer rows when the graph is
/// one chain, else the four-column table with `Connected to`. These are Keras 2's text tables;
/// Keras 3 draws a different one, `Keras3Summary`, which `render` hands the `keras3` layout to.
public enum KerasSummary {
    static let lineLength = 65
    /// Column ends: Keras's default positions [0.45, 0.85, 1.0] × 65, truncated to integers.
    static let positions = [29, 55, 65]
    static let graphLineLength = 98
    /// Column ends of the table with `Connected to`: [0.3, 0.6, 0.7, 1.0] × 98 since Keras 2.13
    /// (the reference cases' tf_keras prints these); [0.33, 0.55, 0.67, 1.0] before, in the legacy layout.
    static let graphPositions = [29, 58, 68, 98]
    static let legacyGraphPositions = [32, 53, 65, 98]

    /// One row of the table: a layer or an input layer.
    struct Row {
        var fields: [String]
        var connections: [String]
    }

    public static func render(_ model: TypedModel, layout: SummaryLayout = .keras) -> String {
        if layout == .keras3 { return Keras3Summary.render(model) }
        let graph = KerasGraph(model)
        let connected = model.isFunctional && !graph.isSequentialLike
        let rows = self.rows(model, graph: graph)
        let width = connected ? graphLineLength : lineLength
        let positions = connected ? (layout == .legacy ? legacyGraphPositions : graphPositions) : self.positions
        var header = ["Layer (type)", "Output Shape", "Param #"]
        if connected { header.append("Connected to") }
        var lines = ["Model: \"\(model.name)\"", String(repeating: "_", count: width)]
        switch layout {
        case .keras, .tfKeras, .keras3:  // keras3 went to Keras3Summary above
            lines += wrappedRow(header, positions: positions)
            lines.append(String(repeating: "=", count: width))
            for row in rows {
                lines += wrappedRow(row.fields + (connected ? [pythonList(row.connections)] : []), positions: positions)
                lines.append(String(repeating: " ", count: width))
            }
        case .legacy:
            lines.append(truncatedRow(header, positions: positions))
            lines.append(String(repeating: "=", count: width))
            for (index, row) in rows.enumerated() {
                // Keras ≤ 2.8 prints the first connection beside the layer and each other one on a row of its own.
                lines.append(truncatedRow(row.fields + (connected ? [row.connections.first ?? ""] : []), positions: positions))
                for connection in row.connections.dropFirst() where connected {
                    lines.append(truncatedRow(["", "", "", connection], positions: positions))
                }
                if index < rows.count - 1 { lines.append(String(repeating: "_", count: width)) }
            }
        }
        lines.append(String(repeating: "=", count: width))
        if layout == .tfKeras {
            lines += totals(model).map { "\($0.label): \($0.count) (\(ReadableMemorySize.format(bytes: $0.bytes, units: ReadableMemorySize.tfKerasUnits)))" }
        } else {
            lines += totals(model).map { "\($0.label): \(thousands($0.count))" }
        }
        lines.append(String(repeating: "_", count: width))
        return lines.joined(separator: "\n") + "\n"
    }

    /// The three totals Keras prints under the table, with their weights' bytes (every weight
    /// modelc builds is float32, 4 bytes, as Keras sizes a weight by its dtype).
    static func totals(_ model: TypedModel) -> [(label: String, count: Int, bytes: Int)] {
        [("Total params", model.parameterCount, model.parameterCount * 4),
         ("Trainable params", model.trainableParameterCount, model.trainableParameterCount * 4),
         ("Non-trainable params", model.nonTrainableParameterCount, model.nonTrainableParameterCount * 4)]
    }

    /// The rows in Keras's order: a Sequential model's layers, or `model.layers` of a functional one
    /// (input layers included).
    static func rows(_ model: TypedModel, graph: KerasGraph) -> [Row] {
        guard model.isFunctional else {
            return model.layers.map { Row(fields: fields($0), connections: []) }
        }
        return graph.order.map { node in
            switch node {
            case .input(let index):
                let input = model.inputs[index]
                return Row(fields: ["\(input.name) (InputLayer)", "[\(input.type.kerasDescription)]", "0"], connections: [])
            case .layer(let index):
                let layer = model.layers[index]
                return Row(fields: fields(layer), connections: layer.sources.map { "\(model.name(of: $0))[0][0]" })
            }
        }
    }

    static func fields(_ layer: TypedLayer) -> [String] {
        ["\(layer.name) (\(layer.className))", layer.output.kerasDescription, String(layer.parameterCount)]
    }

    /// `str()` of a Python list of strings: `['a[0][0]', 'b[0][0]']`.
    static func pythonList(_ items: [String]) -> String {
        "[" + items.map { "'\($0)'" }.joined(separator: ", ") + "]"
    }

    /// Keras 2.9+'s `print_row`: each field is cut to its column (one less than the column for all but
    /// the last, two more for the gap), preferring to break after "),", "},", "]," or "',", and the rest
    /// continues on following lines until every field is printed. Counts Unicode scalars, as Python does.
    static func wrappedRow(_ fields: [String], positions: [Int]) -> [String] {
        // Slices, so taking a line off a field does not copy the rest of it (a 4 MiB layer name
        // wraps into 160,000 lines), and each line is written as UTF-8 bytes in one buffer.
        var remaining = fields.map { Array($0.unicodeScalars)[...] }
        var lines: [String] = []
        var line: [UInt8] = []
        while remaining.contains(where: { !$0.isEmpty }) {
            line.removeAll(keepingCapacity: true)
            var length = 0
            for column in remaining.indices {
                let start = column > 0 ? positions[column - 1] : 0
                let isLast = column == positions.count - 1
                let space = isLast ? 0 : 2
                var cutoff = positions[column] - start - space
                if !isLast { cutoff -= 1 }
                let fit = remaining[column].prefix(max(cutoff, 0))
                if let end = breakEnd(in: fit) { cutoff = end }
                if column == 0 {
                    line.append(UInt8(ascii: " "))
                    length += 1
                }
                let taken = fit.prefix(max(cutoff, 0))
                for scalar in taken { appendUTF8(scalar, to: &line) }
                length += taken.count + space
                let pad = max(positions[column] - length, 0)
                line.append(contentsOf: repeatElement(UInt8(ascii: " "), count: space + pad))
                length += pad
                remaining[column] = remaining[column].dropFirst(max(cutoff, 0))
            }
            lines.append(String(decoding: line, as: UTF8.self))
        }
        return lines
    }

    /// Where the text would break: just after the first "),", "},", "]," or "'," in it.
    static func breakEnd(in text: ArraySlice<Unicode.Scalar>) -> Int? {
        var index = text.startIndex
        while index + 1 < text.endIndex {
            let scalar = text[index]
            if scalar == ")" || scalar == "}" || scalar == "]" || scalar == "'", text[index + 1] == "," {
                return index - text.startIndex + 2
            }
            index += 1
        }
        return nil
    }

    static func appendUTF8(_ scalar: Unicode.Scalar, to bytes: inout [UInt8]) {
        let value = scalar.value
        switch value {
        case 0..<0x80:
            bytes.append(UInt8(value))
        case 0x80..<0x800:
            bytes.append(UInt8(0xC0 | value >> 6))
            bytes.append(UInt8(0x80 | value & 0x3F))
        case 0x800..<0x10000:
            bytes.append(UInt8(0xE0 | value >> 12))
            bytes.append(UInt8(0x80 | value >> 6 & 0x3F))
            bytes.append(UInt8(0x80 | value & 0x3F))
        default:
            bytes.append(UInt8(0xF0 | value >> 18))
            bytes.append(UInt8(0x80 | value >> 12 & 0x3F))
            bytes.append(UInt8(0x80 | value >> 6 & 0x3F))
            bytes.append(UInt8(0x80 | value & 0x3F))
        }
    }

    /// Keras ≤ 2.8's `print_row`: fields cut at their column end, one blank kept between columns.
    static func truncatedRow(_ fields: [String], positions: [Int]) -> String {
        var line: [Unicode.Scalar] = []
        for (index, field) in fields.enumerated() {
            if index > 0 {
                line.removeLast()
                line.append(" ")
            }
            line += Array(field.unicodeScalars)
            line = Array(line.prefix(positions[index]))
            line += Array(repeating: " ", count: positions[index] - line.count)
        }
        return String(String.UnicodeScalarView(line))
    }
}

/// `8809` → `8,809`, as Python's `{:,}`.
public func thousands(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var grouped = ""
    for (index, digit) in digits.enumerated() {
        if index > 0, (digits.count - index) % 3 == 0 { grouped.append(",") }
        grouped.append(digit)
    }
    return (value < 0 ? "-" : "") + grouped
}
