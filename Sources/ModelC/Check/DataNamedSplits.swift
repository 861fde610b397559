/// What the data checker knows of a model with named inputs and outputs.
struct ModelTensors {
    var inputs: [ModelInput]
    var outputs: [String]
    /// The layer reading each input first (for the Embedding's vocabulary bound).
    var readers: [TypedLayer?]

    init(_ model: CheckedModel) {
        inputs = model.inputs
        outputs = model.outputs.map { model.layers[$0].name }
        // One pass over the layers (searching them for each of thousands of inputs was quadratic).
        var readers = [TypedLayer?](repeating: nil, count: model.inputs.count)
        for layer in model.layers {
            for case .input(let index) in layer.sources where readers[index] == nil { readers[index] = layer }
        }
        self.readers = readers
    }

    /// A model that needs names to tell its tensors apart.
    var isNamed: Bool { inputs.count > 1 || outputs.count > 1 }
}

/// Splits with one source per input and output: `x: {tokens: ..., feats: ...}`, `y: {out: ..., reg: ...}`,
/// or a CSV split whose `features`/`labels` map names to columns.
extension DataChecker {
    /// Whether a split's keys ask for the named form (or the model needs it).
    func wantsNamedSplit(_ table: [String: ArgumentBinder.Written], tensors: ModelTensors) -> Bool {
        if tensors.isNamed { return true }
        func keyed(_ key: String, _ names: [String]) -> Bool {
            guard let written = table[key], case .mapping(let entries) = written.value.value, !entries.isEmpty else { return false }
            let known = Set(names)
            return entries.allSatisfy { known.contains($0.key.value) }
        }
        let inputNames = tensors.inputs.map(\.name)
        return keyed("x", inputNames) || keyed("y", tensors.outputs) || keyed("features", inputNames) || keyed("labels", tensors.outputs)
    }

    /// The named form of a split, each input and output resolved to its source.
    mutating func namedSplit(_ table: [String: ArgumentBinder.Written], name: String, range: SourceRange,
                             tensors: ModelTensors) -> DataSplit? {
        let inputNames = tensors.inputs.map(\.name)
        if table["directory"] != nil {
            diagnostics.error(.dataModelMismatch, "data \(name) reads class folders, which give one text input one label; this model has inputs \(inputNames.joined(separator: ", ")) and outputs \(tensors.outputs.joined(separator: ", ")), so give x and y per name",
                              at: table["directory"]!.nameRange)
            return nil
        }
        var x: [TensorData?] = Array(repeating: nil, count: inputNames.count)
        var y: [TensorData?] = Array(repeating: nil, count: tensors.outputs.count)
        var xRanges = Array(repeating: range, count: inputNames.count)
        var ok = true
        if let csv = table["csv"] {
            guard case .string(let path) = csv.value.value, !path.isEmpty else {
                diagnostics.error(.dataStructure, "data \(name) csv is a file path such as `train.csv`", at: csv.value.range)
                return nil
            }
            if let array = table["x"] ?? table["y"] {
                diagnostics.error(.dataStructure, "data \(name) reads either a CSV file (csv) or arrays (x, y), not both", at: array.nameRange)
                return nil
            }
            // x: a text column for the one input, or features per input.
            if let text = table["text"] {
                guard case .string(let column) = text.value.value, !column.isEmpty else {
                    diagnostics.error(.dataStructure, "data \(name) text is a column name", at: text.value.range)
                    return nil
                }
                guard inputNames.count == 1 else {
                    diagnostics.error(.dataModelMismatch, "data \(name) text feeds one input, but this model has \(inputNames.count) (\(inputNames.joined(separator: ", "))); give x per input, e.g. `x: {\(inputNames[0]): {csv: \(path), text: \(column)}}`",
                                      at: text.nameRange)
                    return nil
                }
                x[0] = .text(path: path, column: column)
            } else if let features = table["features"] {
                guard let perInput = columnsPerName(features.value, names: inputNames, what: "data \(name) features", path: path) else { return nil }
                for (index, columns) in perInput { x[index] = .columns(path: path, columns: columns) }
            } else {
                diagnostics.error(.dataStructure, "data \(name) needs the columns of each input: `features: {\(inputNames.map { "\($0): [...]" }.joined(separator: ", "))}`"
                                  + (inputNames.count == 1 ? " (or `text:` for a text column)" : ""), at: csv.nameRange)
                return nil
            }
            if let labels = table["labels"] {
                guard let perOutput = columnsPerName(labels.value, names: tensors.outputs, what: "data \(name) labels", path: path) else { return nil }
                for (index, columns) in perOutput { y[index] = .columns(path: path, columns: columns) }
            }
            if table["classes"] != nil {
                diagnostics.error(.dataModelMismatch, "data \(name) classes name text labels of one output; with several outputs, give numeric label columns",
                                  at: table["classes"]!.nameRange)
                ok = false
            }
        } else {
            for key in ["features", "labels", "text", "classes"] {
                if let stray = table[key] {
                    diagnostics.error(.dataStructure, "data \(name) \(key) names CSV columns; add `csv: file.csv` or remove it", at: stray.nameRange)
                    return nil
                }
            }
            guard let written = table["x"] else {
                diagnostics.error(.missingDataSource, "data \(name) needs x, one source per input: `x: {\(inputNames.map { "\($0): x_\($0).npy" }.joined(separator: ", "))}`",
                                  at: range)
                return nil
            }
            guard let sources = namedSources(written.value, names: inputNames, side: "x", what: "data \(name) x") else { return nil }
            for (index, source, at) in sources {
                x[index] = source
                xRanges[index] = at
            }
            if let written = table["y"] {
                guard let sources = namedSources(written.value, names: tensors.outputs, side: "y", what: "data \(name) y") else { return nil }
                for (index, source, _) in sources { y[index] = source }
            }
        }
        let anchor = table["x"]?.nameRange ?? table["features"]?.nameRange ?? table["csv"]?.nameRange ?? range
        for (index, source) in x.enumerated() where source == nil {
            diagnostics.error(.missingDataSource, "data \(name) gives no data for input '\(inputNames[index])'; every input needs a source", at: anchor)
            ok = false
        }
        guard ok else { return nil }
        let inputs = x.map { $0! }
        for case (let index, .text) in inputs.enumerated() {
            if tensors.inputs[index].type.element != .tokenIDs {
                diagnostics.error(.dataModelMismatch, "input '\(inputNames[index])' reads text, which becomes token ids for an Embedding; let an Embedding read it",
                                  at: anchor)
                return nil
            }
        }
        if inputs.filter({ if case .text = $0 { return true }; return false }).count > 1 {
            diagnostics.error(.dataModelMismatch, "data \(name) reads text for several inputs; modelc builds one vocabulary, so only one input may read text",
                              at: anchor)
            return nil
        }
        guard checkNamedInline(inputs, y, tensors: tensors, name: name, ranges: xRanges, at: anchor) else { return nil }
        return .named(x: inputs, y: y)
    }

    /// Each name's first index.
    static func positions(_ names: [String]) -> [String: Int] {
        var positions: [String: Int] = [:]
        for (index, name) in names.enumerated() where positions[name] == nil { positions[name] = index }
        return positions
    }

    /// `{a: source, b: source}` keyed by input (or output) names; a plain source for a model with one.
    mutating func namedSources(_ written: Located<SpecValue>, names: [String], side: String, what: String) -> [(Int, TensorData, SourceRange)]? {
        let positions = Self.positions(names)
        if case .mapping(let entries) = written.value, !entries.isEmpty, entries.allSatisfy({ !["file", "key", "values", "shape", "csv", "column", "columns", "text"].contains($0.key.value) }) || entries.allSatisfy({ positions[$0.key.value] != nil }) {
            var result: [(Int, TensorData, SourceRange)] = []
            var ok = true
            for entry in entries {
                guard let index = positions[entry.key.value] else {
                    let kind = side == "x" ? "input" : "output"
                    let suggestion = explanations.spend() ? Suggestion.phrase(for: entry.key.value, among: names) : ""
                    diagnostics.error(.dataUnknownName, "\(what) names '\(Excerpt.of(entry.key.value, limit: 60))', which is no \(kind) of the model; its \(kind)s are \(Suggestion.list(names))"
                                      + suggestion, at: entry.key.range)
                    ok = false
                    continue
                }
                if let source = tensorSource(entry.value, what: "\(what) \(entry.key.value)") {
                    result.append((index, source, entry.value.range))
                } else {
                    ok = false
                }
            }
            return ok ? result : nil
        }
        guard names.count == 1 else {
            let kind = side == "x" ? "inputs" : "outputs"
            diagnostics.error(.dataStructure, "this model has \(names.count) \(kind) (\(names.joined(separator: ", "))), so \(what) maps each name to its data: `{\(names.map { "\($0): \(side)_\($0).npy" }.joined(separator: ", "))}`",
                              at: written.range)
            return nil
        }
        return tensorSource(written, what: what).map { [(0, $0, written.range)] }
    }

    /// One tensor's source: an array source, `{csv: f.csv, column: c}` / `{csv, columns: [...]}`, or
    /// `{csv: f.csv, text: column}`.
    mutating func tensorSource(_ written: Located<SpecValue>, what: String) -> TensorData? {
        guard case .mapping(let entries) = written.value, entries.contains(where: { $0.key.value == "csv" }) else {
            return arraySource(written, what: what).map { .array($0) }
        }
        var path: String?
        var columns: [String]?
        var text: String?
        for entry in entries {
            switch entry.key.value {
            case "csv":
                guard case .string(let value) = entry.value.value, !value.isEmpty else {
                    diagnostics.error(.dataStructure, "\(what) csv is a file path such as `train.csv`", at: entry.value.range)
                    return nil
                }
                path = value
            case "column", "columns":
                guard let names = columnNames(entry.value, what: "\(what) \(entry.key.value)") else { return nil }
                columns = names
            case "text":
                guard case .string(let value) = entry.value.value, !value.isEmpty else {
                    diagnostics.error(.dataStructure, "\(what) text is a column name", at: entry.value.range)
                    return nil
                }
                text = value
            default:
                diagnostics.error(.dataStructure, "\(what) has no key '\(entry.key.value)'; a CSV source is `{csv: file.csv, column: name}`, `{csv: file.csv, columns: [a, b]}` or `{csv: file.csv, text: name}`"
                                  + Suggestion.phrase(for: entry.key.value, among: ["csv", "column", "columns", "text"]), at: entry.key.range)
                return nil
            }
        }
        guard let path else { return nil }
        switch (columns, text) {
        case (let columns?, nil): return .columns(path: path, columns: columns)
        case (nil, let text?): return .text(path: path, column: text)
        case (.some, .some):
            diagnostics.error(.dataStructure, "\(what) reads either numeric columns or a text column, not both", at: written.range)
        case (nil, nil):
            diagnostics.error(.dataStructure, "\(what) names no column; add `column: name` (numbers) or `text: name` (raw text)", at: written.range)
        }
        return nil
    }

    /// `features`/`labels` of a CSV split: `{a: [c1, c2], b: c3}` keyed by names, or one column
    /// (list) for a model with one input (output).
    mutating func columnsPerName(_ written: Located<SpecValue>, names: [String], what: String, path: String) -> [(Int, [String])]? {
        if case .mapping(let entries) = written.value {
            var result: [(Int, [String])] = []
            let positions = Self.positions(names)
            for entry in entries {
                guard let index = positions[entry.key.value] else {
                    diagnostics.error(.dataUnknownName, "\(what) names '\(Excerpt.of(entry.key.value, limit: 60))', which is not among \(Suggestion.list(names))"
                                      + Suggestion.phrase(for: entry.key.value, among: names), at: entry.key.range)
                    return nil
                }
                guard let columns = columnNames(entry.value, what: "\(what) \(entry.key.value)") else { return nil }
                result.append((index, columns))
            }
            return result
        }
        guard names.count == 1 else {
            diagnostics.error(.dataStructure, "\(what) maps each of \(names.joined(separator: ", ")) to its column(s) of \(path), e.g. `{\(names.map { "\($0): [...]" }.joined(separator: ", "))}`",
                              at: written.range)
            return nil
        }
        return columnNames(written, what: what).map { [(0, $0)] }
    }

    /// Inline arrays are known now: each must fit its input, and all must agree on the sample count.
    mutating func checkNamedInline(_ x: [TensorData], _ y: [TensorData?], tensors: ModelTensors, name: String,
                                   ranges: [SourceRange], at range: SourceRange) -> Bool {
        var rows: (count: Int, what: String)?
        var ok = true
        func count(_ data: TensorData?, _ what: String) {
            guard case .array(.inline(_, let shape, _))? = data, let first = shape.first else { return }
            if let rows, rows.count != first {
                diagnostics.error(.dataModelMismatch, "data \(name) has \(rows.count) samples in \(rows.what) but \(first) in \(what); every input and output needs one row per sample",
                                  at: range)
                ok = false
            } else if rows == nil {
                rows = (first, what)
            }
        }
        for (index, data) in x.enumerated() {
            if case .array(let source) = data {
                ok = checkInline(source, nil, written: Located(.null, ranges[index]), yRange: nil, input: tensors.inputs[index].type,
                                 name: "\(name) (input '\(tensors.inputs[index].name)')") && ok
            }
            count(data, "x for '\(tensors.inputs[index].name)'")
        }
        for (index, data) in y.enumerated() { count(data, "y for '\(tensors.outputs[index])'") }
        return ok
    }
}
