import Foundation
import ModelC

/// Predictions as a table: one row per sample; per output, the probability of a sigmoid unit and the
/// predicted class (≥ 0.5, as Keras's binary accuracy thresholds), the probability of each class of a
/// softmax and the predicted class (argmax), or the raw values of any other output. Class names come
/// from the spec's `classes:` when it gives them, else the class indices. Written as CSV (`.csv`), JSON
/// lines (`.jsonl`), or printed aligned when no file is given.
struct Predictions {
    var columns: [String] = []
    /// Per row, per column: a number or a class name.
    var rows: [[Cell]] = []

    enum Cell {
        case number(Float)
        case label(String)

        var text: String {
            switch self {
            case .number(let value): "\(value)"
            case .label(let name): name
            }
        }

        /// A number as its float32 digits (0.1, not 0.10000000149011612); NaN and infinity as null.
        var json: JSONValue {
            switch self {
            case .number(let value): value.isFinite ? .double(Double("\(value)") ?? Double(value)) : .null
            case .label(let name): .string(name)
            }
        }
    }

    /// `values[o]` holds output o's values, `[rows, sizes[o]]` flattened.
    /// `classes`: the run's class names (classes.json), else the spec's.
    init(model: TypedModel, values: [[Float]], sizes: [Int], rows count: Int, leading: [(String, [String])] = [],
         classes known: [String]? = nil) {
        let several = model.outputs.count > 1
        let classes = known ?? Self.classNames(model)
        var perOutput: [[(String, (Int) -> Cell)]] = []
        for (index, layerIndex) in model.outputs.enumerated() {
            let layer = model.layers[layerIndex]
            let size = sizes[index]
            let data = values[index]
            let prefix = several ? layer.name + "." : ""
            var columns: [(String, (Int) -> Cell)] = []
            if size == 1, layer.activation == .sigmoid {
                let names = classes.count == 2 ? classes : ["0", "1"]
                columns.append((prefix + "probability", { .number(data[$0]) }))
                columns.append((prefix + "predicted", { .label(data[$0] >= 0.5 ? names[1] : names[0]) }))
            } else if size >= 2, layer.activation == .softmax {
                let names = classes.count == size ? classes : (0..<size).map(String.init)
                for (offset, name) in names.enumerated() { columns.append((prefix + name, { .number(data[$0 * size + offset]) })) }
                columns.append((prefix + "predicted", { row in
                    let slice = data[(row * size)..<((row + 1) * size)]
                    let best = slice.indices.max { slice[$0] < slice[$1] || (slice[$0] == slice[$1] && $0 > $1) } ?? row * size
                    return .label(names[best - row * size])
                }))
            } else {
                for offset in 0..<size {
                    columns.append((prefix + (size == 1 ? "value" : "value_\(offset)"), { .number(data[$0 * size + offset]) }))
                }
            }
            perOutput.append(columns)
        }
        let all = perOutput.flatMap { $0 }
        columns = leading.map(\.0) + all.map(\.0)
        rows = (0..<count).map { row in leading.map { .label($0.1[row]) } + all.map { $0.1(row) } }
    }

    /// The class names the spec gives (`classes:` of its text data or of a CSV's label column), in label order.
    static func classNames(_ model: TypedModel) -> [String] {
        for split in [model.data?.train, model.data?.validation, model.data?.test].map({ $0?.series }) {
            if case .text(let source)? = split, let classes = source.classes { return classes }
            if case .csv(_, _, _, let classes?)? = split { return classes }
        }
        return []
    }

    /// RFC 4180 CSV with a header (fields quoted when they hold a comma, quote or line break).
    var csv: String {
        ([columns] + rows.map { $0.map(\.text) }).map { CSVRow.joined($0) + "\n" }.joined()
    }

    /// One JSON object per sample, keys in column order.
    var jsonLines: String {
        rows.map { row in JSONValue.object(zip(columns, row).map { ($0, $1.json) }).rendered(indent: nil) + "\n" }.joined()
    }

    /// Aligned columns, at most `limit` rows, then a line counting the rest.
    func table(limit: Int = 50) -> String {
        let shown = rows.prefix(limit).map { $0.map(\.text) }
        let widths = columns.indices.map { column in
            max(columns[column].count, shown.map { $0[column].count }.max() ?? 0)
        }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
        }
        var output = line(columns) + shown.map(line).joined()
        if rows.count > limit { output += "... \(rows.count - limit) more rows (give --output FILE.csv to keep them all)\n" }
        return output
    }
}
