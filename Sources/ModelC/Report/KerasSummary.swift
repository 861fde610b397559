/// Which Keras version's `model.summary()` text to reproduce.
public enum SummaryLayout: String, CaseIterable, Sendable {
    /// Keras 2.9 to 2.12: a blank row after each layer, names and shapes wrapped across lines.
    case keras
    /// Keras 2.8 and earlier: `_` rules between layers, long fields cut off.
    case legacy
}

/// Renders a typed model exactly as Keras's `model.summary()` prints a Sequential model.
public enum KerasSummary {
    static let lineLength = 65
    /// Column ends: Keras's default positions [0.45, 0.85, 1.0] × 65, truncated to integers.
    static let positions = [29, 55, 65]

    public static func render(_ model: TypedModel, layout: SummaryLayout = .keras) -> String {
        var lines = ["Model: \"\(model.name)\"", String(repeating: "_", count: lineLength)]
        let header = ["Layer (type)", "Output Shape", "Param #"]
        switch layout {
        case .keras:
            lines += wrappedRow(header, positions: positions)
            lines.append(String(repeating: "=", count: lineLength))
            for layer in model.layers {
                lines += wrappedRow(fields(layer), positions: positions)
                lines.append(String(repeating: " ", count: lineLength))
            }
        case .legacy:
            lines.append(truncatedRow(header, positions: positions))
            lines.append(String(repeating: "=", count: lineLength))
            for (index, layer) in model.layers.enumerated() {
                lines.append(truncatedRow(fields(layer), positions: positions))
                if index < model.layers.count - 1 { lines.append(String(repeating: "_", count: lineLength)) }
            }
        }
        lines.append(String(repeating: "=", count: lineLength))
        lines.append("Total params: \(thousands(model.parameterCount))")
        lines.append("Trainable params: \(thousands(model.trainableParameterCount))")
        lines.append("Non-trainable params: \(thousands(model.nonTrainableParameterCount))")
        lines.append(String(repeating: "_", count: lineLength))
        return lines.joined(separator: "\n") + "\n"
    }

    static func fields(_ layer: TypedLayer) -> [String] {
        ["\(layer.name) (\(layer.className))", layer.output.kerasDescription, String(layer.parameterCount)]
    }

    /// Keras 2.9+'s `print_row`: each field is cut to its column (one less than the column for all but
    /// the last, two more for the gap), preferring to break after "),", "},", "]," or "',", and the rest
    /// continues on following lines until every field is printed. Counts Unicode scalars, as Python does.
    static func wrappedRow(_ fields: [String], positions: [Int]) -> [String] {
        var remaining = fields.map { Array($0.unicodeScalars) }
        var lines: [String] = []
        let breakAfter = ["),", "},", "],", "',"].map { Array($0.unicodeScalars) }
        while remaining.contains(where: { !$0.isEmpty }) {
            var line: [Unicode.Scalar] = []
            for column in remaining.indices {
                let start = column > 0 ? positions[column - 1] : 0
                let isLast = column == positions.count - 1
                let space = isLast ? 0 : 2
                var cutoff = positions[column] - start - space
                if !isLast { cutoff -= 1 }
                var fit = Array(remaining[column].prefix(max(cutoff, 0)))
                let candidates = breakAfter.compactMap { marker in firstIndex(of: marker, in: fit).map { $0 + marker.count } }
                if let earliest = candidates.min() {
                    cutoff = earliest
                    fit = Array(fit.prefix(cutoff))
                }
                if column == 0 { line.append(" ") }
                line += fit
                line += Array(repeating: " ", count: space)
                remaining[column] = Array(remaining[column].dropFirst(max(cutoff, 0)))
                let pad = positions[column] - line.count
                if pad > 0 { line += Array(repeating: " ", count: pad) }
            }
            lines.append(String(String.UnicodeScalarView(line)))
        }
        return lines
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

    static func firstIndex(of marker: [Unicode.Scalar], in text: [Unicode.Scalar]) -> Int? {
        guard text.count >= marker.count else { return nil }
        for start in 0...(text.count - marker.count) where Array(text[start..<(start + marker.count)]) == marker {
            return start
        }
        return nil
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
