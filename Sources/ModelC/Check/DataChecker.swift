/// Checks `data:`: which splits exist, where their arrays come from, and — for arrays written inline —
/// that they are rectangular and fit the model's input.
struct DataChecker {
    var diagnostics = DiagnosticBag()
    /// The model's named inputs and outputs, when it checked out.
    var tensors: ModelTensors?
    var explanations = ExplanationBudget()
    /// The splits' sample weights, gathered while the splits are checked.
    var sampleWeights: [String: TensorData] = [:]
    /// The units of each output (its last axis), when the model checked out.
    var outputUnits: [Int?] = []
    /// Each windowed split's `window` as written: its keys, and where it and each value stand.
    var windowsWritten: [String: WrittenWindow] = [:]
    /// Where each split's key stands in the data section.
    var splitRanges: [String: SourceRange] = [:]

    struct WrittenWindow {
        var range: SourceRange
        var keyRange: SourceRange
        var values: [String: SourceRange]
    }

    mutating func check(_ section: Located<SpecValue>?, model: CheckedModel?) -> DataConfig? {
        tensors = model.map(ModelTensors.init)
        outputUnits = model.map { model in model.outputs.map { model.layers[$0].output.shape.last ?? nil } } ?? []
        let input = model?.inputs.first?.type
        let firstLayer = model.flatMap { model in model.layers.first { $0.sources.contains(.input(0)) } }
        return check(section, input: input, firstLayer: firstLayer)
    }

    mutating func check(_ section: Located<SpecValue>?, input: TensorType?, firstLayer: TypedLayer? = nil) -> DataConfig? {
        guard let section else { return nil }
        guard let entries = section.entries else {
            diagnostics.error(.dataStructure, "`data` is a mapping of splits such as `{train: {x: x.npy, y: y.npy}}`, not \(section.value.kindName)",
                              at: section.range)
            return nil
        }
        var config = DataConfig()
        var ok = true
        var seen: Set<String> = []
        var textSection: Located<SpecValue>?
        // Whether `config.text` holds what `data.text` says; after an error there it holds defaults,
        // which must not be checked against the model ("has no num_words" for a num_words of 0).
        var textIsWritten = true
        for entry in entries {
            let name = entry.key.value
            if name == "text" {
                textSection = entry.value
                continue
            }
            guard dataSplitNames.contains(name) else {
                diagnostics.error(.dataStructure, "`data` has no split '\(name)'; its splits are train, validation and test (and its text settings `text`)"
                                  + Suggestion.phrase(for: name, among: dataSplitNames + dataSettingNames), at: entry.key.range)
                ok = false
                continue
            }
            seen.insert(name)
            splitRanges[name] = entry.key.range
            guard let split = self.split(entry.value, name: name, input: input) else { ok = false; continue }
            if let weight = entry.value.entries?.first(where: { $0.key.value == "sample_weight" }) {
                guard let source = sampleWeight(weight, split: split, name: name) else { ok = false; continue }
                sampleWeights[name] = source
            }
            switch name {
            case "train": config.train = split
            case "validation": config.validation = split
            default: config.test = split
            }
        }
        if !windowsWritten.isEmpty || config.train?.window != nil {
            ok = resolveWindows(&config, input: input) && ok
        }
        if let textSection {
            if let preprocessing = textPreprocessing(textSection) {
                config.text = preprocessing
            } else {
                ok = false
                textIsWritten = false
                // The other settings had errors; the lengths that are well written are still checked
                // against the model, so that all mistakes of the line arrive at once.
                for (key, value) in [("num_words", \TextPreprocessing.numWords), ("maxlen", \TextPreprocessing.maxlen)] {
                    if case .int(let number)? = textSection.entries?.first(where: { $0.key.value == key })?.value.value, number >= 1 {
                        config.text[keyPath: value] = number
                    }
                }
            }
        }
        if let tensors, let text = [config.train, config.validation, config.test].compactMap({ $0?.namedText }).first {
            ok = checkTextModel(config, input: tensors.inputs[text.input].type, firstLayer: tensors.readers[text.input],
                                at: textSection?.range ?? section.range, settings: textSection, settingsKnown: textIsWritten) && ok
        } else if config.hasText {
            ok = checkTextModel(config, input: input, firstLayer: firstLayer, at: textSection?.range ?? section.range,
                                settings: textSection, settingsKnown: textIsWritten) && ok
        } else if let textSection {
            diagnostics.warning(.dataTextSettings, "`data.text` only applies to text splits (csv with text, or directory); no split here is text",
                                at: textSection.range)
        }
        config.sampleWeights = sampleWeights
        return ok ? config : nil
    }

    /// `sample_weight` of a split: a column of its CSV file, or an array source.
    mutating func sampleWeight(_ written: SpecEntry, split: DataSplit, name: String) -> TensorData? {
        let what = "data \(name) sample_weight"
        switch split {
        case .csv(let path, let features, let labels, _):
            if case .string(let column) = written.value.value, !column.hasSuffix(".npy"), !column.hasSuffix(".npz") {
                if labels.contains(column) || features?.contains(column) == true {
                    diagnostics.error(.dataStructure, "\(what) '\(column)' is also a \(labels.contains(column) ? "label" : "feature") column; a weight column is neither",
                                      at: written.value.range)
                    return nil
                }
                return .columns(path: path, columns: [column])
            }
        case .text(let source):
            let column: String? = if case .string(let text) = written.value.value, !text.hasSuffix(".npy"), !text.hasSuffix(".npz") { text } else { nil }
            guard case .csv(let path, let textColumn, let labelColumn) = source.origin else {
                guard column == nil else {
                    diagnostics.error(.dataStructure, "\(what) names a column, but a directory split has no columns; give an array (.npy) with one weight per text, in the order the folders are read",
                                      at: written.value.range)
                    return nil
                }
                break
            }
            if let column {
                if column == textColumn || column == labelColumn {
                    diagnostics.error(.dataStructure, "\(what) '\(column)' is the split's \(column == textColumn ? "text" : "label") column; a weight column is neither",
                                      at: written.value.range)
                    return nil
                }
                return .columns(path: path, columns: [column])
            }
        case .windowed:
            // A window is a sample here, not a row of the file; one weight per row would not say which.
            diagnostics.error(.dataStructure, "\(what): the samples of a windowed split are its windows, not the file's rows; weigh them with fit.class_weight, or write the windows out (`modelc prepare`) and give one weight per window as an array",
                              at: written.key.range)
            return nil
        case .arrays, .named:
            break
        }
        guard let source = arraySource(written.value, what: what) else { return nil }
        return .array(source)
    }

    mutating func textPreprocessing(_ written: Located<SpecValue>) -> TextPreprocessing? {
        guard let entries = written.entries else {
            diagnostics.error(.dataStructure, "`data.text` is a mapping such as `{num_words: 500, maxlen: 100}`", at: written.range)
            return nil
        }
        let binder = ArgumentBinder(owner: "data.text", declarations: textPreprocessingArguments)
        let (table, bound) = binder.bindKeywords(entries, &diagnostics)
        guard let arguments = binder.resolve(table, missingAt: written.range, example: nil, &diagnostics), bound else { return nil }
        return TextPreprocessing(numWords: arguments.optionalInt("num_words"), maxlen: arguments.optionalInt("maxlen"),
                                 padding: arguments.string("padding"), truncating: arguments.string("truncating"),
                                 value: arguments.int("value"), lowercase: arguments.bool("lowercase"))
    }

    /// Text becomes token ids: the model must start with an Embedding whose table holds every id,
    /// and sequences must have the model's input length. `settingsKnown` is false when `data.text`
    /// had errors: its maxlen and num_words are then unknown, not absent, and are not checked.
    /// Every mismatch is reported (at its own value in `settings` when written there), not the first.
    mutating func checkTextModel(_ config: DataConfig, input: TensorType?, firstLayer: TypedLayer?, at range: SourceRange,
                                 settings: Located<SpecValue>? = nil, settingsKnown: Bool = true) -> Bool {
        guard let input else { return true }
        guard input.element == .tokenIDs, input.shape.count == 1 else {
            diagnostics.error(.dataTextSettings, "text data becomes sequences of token ids, which need an Embedding as the first layer on a 1-D input such as `input: [100]`",
                              at: range)
            return false
        }
        func written(_ key: String) -> SourceRange? {
            settings?.entries?.first { $0.key.value == key }?.value.range
        }
        var ok = true
        if let maxlen = config.text.maxlen, let length = input.shape[0], maxlen != length {
            let at = written("maxlen")
            diagnostics.error(.dataTextSettings, "data.text maxlen \(maxlen) differs from the model's input length \(length); make them equal (or drop maxlen)",
                              at: at ?? range,
                              fixes: at.map { [Fix("set maxlen to \(length), the model's input length", edits: [TextEdit($0, "\(length)")])] } ?? [])
            ok = false
        }
        if settingsKnown, input.shape[0] == nil, config.text.maxlen == nil {
            diagnostics.error(.dataTextSettings, "text sequences need a length: give `maxlen` in data.text or a length in `input`", at: range)
            ok = false
        }
        if let numWords = config.text.numWords, let vocabulary = Self.embeddingRows(firstLayer), numWords > vocabulary {
            let at = written("num_words")
            diagnostics.error(.dataTextSettings, "data.text num_words \(numWords) is larger than the Embedding's input_dim \(vocabulary): ids up to \(numWords - 1) would fall outside its table",
                              at: at ?? range,
                              fixes: at.map { [Fix("set num_words to \(vocabulary), the Embedding's input_dim", edits: [TextEdit($0, "\(vocabulary)")])] } ?? [])
            ok = false
        }
        if settingsKnown, config.text.numWords == nil, Self.embeddingRows(firstLayer) != nil {
            diagnostics.warning(.dataTextSettings, "data.text has no num_words, so the vocabulary keeps every training word; ids past the Embedding's input_dim will stop training — set num_words",
                                at: range)
        }
        return ok
    }

    /// input_dim of the first Embedding (possibly wrapped).
    static func embeddingRows(_ layer: TypedLayer?) -> Int? { layer?.embeddingInputDim }

    mutating func split(_ written: Located<SpecValue>, name: String, input: TensorType?) -> DataSplit? {
        guard let entries = written.entries else {
            diagnostics.error(.dataStructure, "data \(name) is a mapping such as `{x: x_\(name).npy, y: y_\(name).npy}`", at: written.range)
            return nil
        }
        let binder = ArgumentBinder(owner: "data \(name)", declarations: dataSplitArguments)
        var (table, bound) = binder.bindKeywords(entries, &diagnostics)
        guard bound else { return nil }
        if let windowWritten = table.removeValue(forKey: "window") {
            guard let window = timeseriesWindow(windowWritten, name: name) else { return nil }
            if let other = ["directory", "text"].compactMap({ table[$0] }).first {
                diagnostics.error(.dataStructure, "data \(name) window cuts a numeric series into windows; it reads `csv:` columns or `x:` arrays, not raw text, so remove this key or the window",
                                  at: other.nameRange)
                return nil
            }
            if let tensors, tensors.isNamed {
                diagnostics.error(.dataStructure, "data \(name) window works on a model with one input and one output; windows for named inputs are not supported yet",
                                  at: windowWritten.nameRange)
                return nil
            }
            guard let base = plainSplit(table, written: written, name: name, input: nil, windowed: true) else { return nil }
            return .windowed(base, window)
        }
        if let tensors, wantsNamedSplit(table, tensors: tensors) {
            return namedSplit(table, name: name, range: written.range, tensors: tensors)
        }
        if table["directory"] != nil || table["text"] != nil {
            return textSplit(table, name: name)
        }
        return plainSplit(table, written: written, name: name, input: input, windowed: false)
    }

    /// An arrays or numeric CSV split; `windowed` when its rows are a series (its features may then
    /// repeat a label: the past of the target is an input).
    mutating func plainSplit(_ table: [String: ArgumentBinder.Written], written: Located<SpecValue>, name: String,
                             input: TensorType?, windowed: Bool) -> DataSplit? {
        if let classes = table["classes"], table["csv"] == nil {
            diagnostics.error(.dataStructure, "data \(name) classes names text labels; read them from a CSV (`csv:` with `labels:`, or `text:` for raw text) or use `directory:`", at: classes.nameRange)
            return nil
        }
        if let csv = table["csv"] {
            if let array = table["x"] ?? table["y"] {
                diagnostics.error(.dataStructure, "data \(name) reads either a CSV file (csv) or arrays (x, y), not both", at: array.nameRange)
                return nil
            }
            guard case .string(let path) = csv.value.value, !path.isEmpty else {
                diagnostics.error(.dataStructure, "data \(name) csv is a file path such as `train.csv`", at: csv.value.range)
                return nil
            }
            guard let labelsWritten = table["labels"] else {
                diagnostics.error(.dataStructure, "data \(name) needs labels: the CSV column (or columns) of y, e.g. `labels: price`", at: csv.nameRange)
                return nil
            }
            guard let labels = columnNames(labelsWritten.value, what: "labels") else { return nil }
            var features: [String]?
            if let written = table["features"] {
                guard let names = columnNames(written.value, what: "features") else { return nil }
                features = names
                let isLabel = Set(labels)
                if !windowed, let overlap = names.first(where: isLabel.contains) {
                    diagnostics.error(.dataStructure, "column '\(overlap)' is both a feature and a label", at: written.value.range)
                    return nil
                }
            }
            var classes: [String]?
            if let written = table["classes"] {
                guard let names = classNames(written) else { return nil }
                guard labels.count == 1 else {
                    diagnostics.error(.dataStructure, "data \(name) classes name the texts of one label column, but labels lists \(labels.count)", at: written.nameRange)
                    return nil
                }
                classes = names
            }
            return .csv(path: path, features: features, labels: labels, classes: classes)
        }
        for key in ["features", "labels"] {
            if let stray = table[key] {
                diagnostics.error(.dataStructure, "data \(name) \(key) names CSV columns; add `csv: file.csv` or remove it", at: stray.nameRange)
                return nil
            }
        }
        guard let xWritten = table["x"] else {
            diagnostics.error(.dataStructure, "data \(name) needs x (features) and usually y (labels), e.g. `{x: x_\(name).npy, y: y_\(name).npy}`",
                              at: written.range)
            return nil
        }
        let x = arraySource(xWritten.value, what: "data \(name) x")
        let y = table["y"].flatMap { arraySource($0.value, what: "data \(name) y") }
        guard let x, table["y"] == nil || y != nil else { return nil }
        guard checkInline(x, y, written: xWritten.value, yRange: table["y"]?.value.range, input: input, name: name) else { return nil }
        return .arrays(x: x, y: y)
    }

    /// `window: {sequence_length: 24, ...}` as written; a sequence_length not written is 0 here and
    /// is taken from train's window (or reported) by `resolveWindows`.
    mutating func timeseriesWindow(_ written: ArgumentBinder.Written, name: String) -> TimeseriesWindow? {
        guard let entries = written.value.entries else {
            diagnostics.error(.dataStructure, "data \(name) window is a mapping such as `{sequence_length: 24, horizon: 1}`", at: written.value.range)
            return nil
        }
        let binder = ArgumentBinder(owner: "data \(name) window", declarations: timeseriesWindowArguments)
        let (table, bound) = binder.bindKeywords(entries, &diagnostics)
        guard let arguments = binder.resolve(table, missingAt: written.value.range, example: nil, &diagnostics), bound else { return nil }
        let window = TimeseriesWindow(sequenceLength: arguments.optionalInt("sequence_length") ?? 0,
                                      sequenceStride: arguments.int("sequence_stride"), samplingRate: arguments.int("sampling_rate"),
                                      horizon: arguments.int("horizon"), startIndex: arguments.int("start_index"),
                                      endIndex: arguments.optionalInt("end_index"))
        if let end = window.endIndex, end <= window.startIndex {
            diagnostics.error(.dataStructure, "data \(name) window end_index \(end) must be higher than start_index \(window.startIndex) (Keras's timeseries_dataset_from_array refuses it): windows use the rows from start_index up to, not including, end_index",
                              at: table["end_index"]?.value.range ?? written.value.range)
            return nil
        }
        windowsWritten[name] = WrittenWindow(range: written.value.range, keyRange: written.nameRange,
                                             values: table.mapValues { $0.value.range })
        return window
    }

    /// Fills a validation or test window's unwritten keys from train's, requires a sequence_length,
    /// and checks each window against the model: its samples [sequence_length, features] against the
    /// input, its targets against the output's units.
    mutating func resolveWindows(_ config: inout DataConfig, input: TensorType?) -> Bool {
        var ok = true
        let trainWindow = config.train?.window
        for name in dataSplitNames {
            let keyPath: WritableKeyPath<DataConfig, DataSplit?> = name == "train" ? \.train : name == "validation" ? \.validation : \.test
            guard let split = config[keyPath: keyPath] else { continue }
            guard case .windowed(let base, var window) = split, let written = windowsWritten[name] else {
                if name != "train", trainWindow != nil, case .csv = split, let at = splitKeyRange(name) {
                    diagnostics.error(.dataModelMismatch, "data \(name) reads CSV rows while train cuts its series into windows; add `window: {}` to cut this split like train (give start_index/end_index to choose its rows)",
                                      at: at)
                    ok = false
                }
                continue
            }
            if name != "train", let trainWindow {
                let values = written.values
                if values["sequence_length"] == nil { window.sequenceLength = trainWindow.sequenceLength }
                if values["sequence_stride"] == nil { window.sequenceStride = trainWindow.sequenceStride }
                if values["sampling_rate"] == nil { window.samplingRate = trainWindow.samplingRate }
                if values["horizon"] == nil { window.horizon = trainWindow.horizon }
            }
            guard window.sequenceLength > 0 else {
                let from = name == "train" ? "" : " (train has no window to take it from)"
                diagnostics.error(.missingArgument, "data \(name) window needs sequence_length, the rows in one window\(from), e.g. `window: {sequence_length: \(input?.shape.first.flatMap { $0 } ?? 24)}`",
                                  at: written.range)
                ok = false
                continue
            }
            config[keyPath: keyPath] = .windowed(base, window)
            ok = checkWindow(window, base: base, name: name, written: written, input: input) && ok
        }
        return ok
    }

    func splitKeyRange(_ name: String) -> SourceRange? { splitRanges[name] }

    /// One window's samples and targets against the model.
    mutating func checkWindow(_ window: TimeseriesWindow, base: DataSplit, name: String, written: WrittenWindow, input: TensorType?) -> Bool {
        let length = window.sequenceLength
        var features: Int?
        var labels: Int?
        if case .csv(_, let columns, let labelColumns, _) = base {
            features = columns?.count
            labels = labelColumns.count
        }
        let lengthAt = written.values["sequence_length"] ?? written.range
        if let input {
            let shape = input.shape
            let got = "(\(length), \(features.map(String.init) ?? "features"))"
            let expected = "(" + shape.map { $0.map(String.init) ?? "None" }.joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
            guard shape.count == 1 || shape.count == 2 else {
                diagnostics.error(.dataModelMismatch, "data \(name) window gives samples shaped \(got) (sequence_length, features) but the model's input is \(expected); windows need an input of [sequence_length, features] (or [sequence_length] for a 1-D series)",
                                  at: written.range)
                return false
            }
            if let first = shape[0], first != length {
                let featuresText = shape.count == 2 ? shape[1].map { ", \($0)" } ?? ", None" : ""
                diagnostics.error(.dataModelMismatch, "data \(name) window gives samples shaped \(got) (sequence_length \(length)) but the model's input is \(expected); set sequence_length to \(first) or the input to [\(length)\(featuresText)]",
                                  at: lengthAt,
                                  fixes: written.values["sequence_length"] != nil ? [Fix("set sequence_length to \(first), the model's input length", edits: [TextEdit(lengthAt, "\(first)")])] : [])
                return false
            }
            if let features {
                let width = shape.count == 2 ? shape[1] : 1
                if let width, width != features {
                    diagnostics.error(.dataModelMismatch, "data \(name) window gives samples shaped \(got) (\(features) feature \(features == 1 ? "column" : "columns")) but the model's input is \(expected); list \(width) feature \(width == 1 ? "column" : "columns") or set the input to [\(length), \(features)]",
                                      at: written.range)
                    return false
                }
            }
        }
        if let labels, labels > 1, outputUnits.count == 1, let units = outputUnits[0], units != labels {
            diagnostics.error(.dataModelMismatch, "data \(name) window's targets have \(labels) values (one per label column) but the output has \(units) \(units == 1 ? "unit" : "units"); give the last layer \(labels) units or list \(units) label \(units == 1 ? "column" : "columns")",
                              at: written.range)
            return false
        }
        return true
    }

    /// `classes: [...]`: distinct names, in label order.
    mutating func classNames(_ written: ArgumentBinder.Written) -> [String]? {
        guard let names = columnNames(written.value, what: "classes") else { return nil }
        var seen: Set<String> = []
        if let repeated = names.first(where: { !seen.insert($0).inserted }) {
            diagnostics.error(.dataStructure, "classes lists '\(Excerpt.of(repeated, limit: 60))' twice", at: written.value.range)
            return nil
        }
        return names
    }

    /// `{csv: file, text: column, labels: column}` or `{directory: folder, classes: [...]}`.
    mutating func textSplit(_ table: [String: ArgumentBinder.Written], name: String) -> DataSplit? {
        func string(_ key: String) -> String? {
            guard let written = table[key] else { return nil }
            guard case .string(let text) = written.value.value, !text.isEmpty else {
                diagnostics.error(.dataStructure, "data \(name) \(key) is \(key == "text" ? "a column name" : "a path")", at: written.value.range)
                return nil
            }
            return text
        }
        var classes: [String]?
        if let written = table["classes"] {
            guard let names = classNames(written) else { return nil }
            classes = names
        }
        if let directory = table["directory"] {
            if let other = ["csv", "text", "x", "y", "features", "labels"].compactMap({ table[$0] }).first {
                diagnostics.error(.dataStructure, "data \(name) reads a directory of class folders; its labels come from the folders, so remove this key",
                                  at: other.nameRange)
                return nil
            }
            guard let path = string("directory") else { return nil }
            _ = directory
            return .text(TextSource(origin: .directory(path: path), classes: classes))
        }
        guard let textColumn = string("text") else { return nil }
        guard table["csv"] != nil else {
            diagnostics.error(.dataStructure, "data \(name) text names a CSV column; add `csv: file.csv`", at: table["text"]!.nameRange)
            return nil
        }
        if let other = ["x", "y", "features"].compactMap({ table[$0] }).first {
            diagnostics.error(.dataStructure, "data \(name) reads raw text from a CSV column; remove this key (x, y and features are for arrays)", at: other.nameRange)
            return nil
        }
        guard let path = string("csv") else { return nil }
        var labelColumn: String?
        if let written = table["labels"] {
            guard let names = columnNames(written.value, what: "labels"), names.count == 1 else {
                diagnostics.error(.dataStructure, "data \(name) labels is one column with text data", at: written.value.range)
                return nil
            }
            labelColumn = names[0]
            if labelColumn == textColumn {
                diagnostics.error(.dataStructure, "column '\(textColumn)' is both the text and the label", at: written.value.range)
                return nil
            }
        }
        return .text(TextSource(origin: .csv(path: path, textColumn: textColumn, labelColumn: labelColumn), classes: classes))
    }

    mutating func columnNames(_ written: Located<SpecValue>, what: String) -> [String]? {
        switch written.value {
        case .string(let name) where !name.isEmpty: return [name]
        case .list(let items) where !items.isEmpty:
            var names: [String] = []
            for item in items {
                guard case .string(let name) = item.value, !name.isEmpty else {
                    diagnostics.error(.dataStructure, "\(what) lists CSV column names; \(item.value.display) is not one", at: item.range)
                    return nil
                }
                names.append(name)
            }
            return names
        default:
            diagnostics.error(.dataStructure, "\(what) is a CSV column name or a list of them", at: written.range)
            return nil
        }
    }

    /// A path, an archive member, or inline values (nested lists, or `{values, shape}`).
    mutating func arraySource(_ written: Located<SpecValue>, what: String) -> ArraySource? {
        switch written.value {
        case .string(let path):
            if path.hasSuffix(".npz") {
                diagnostics.error(.dataStructure, "\(what): name the array inside \(path), e.g. `{file: \(path), key: x_train}`", at: written.range)
                return nil
            }
            guard path.hasSuffix(".npy") else {
                diagnostics.error(.dataStructure, "\(what) reads numpy files (.npy, or .npz with a key); for a CSV file use `csv:` on the split", at: written.range)
                return nil
            }
            return .npy(path: path)
        case .list:
            return inline(written, shape: nil, what: what)
        case .mapping(let entries):
            let keys = Set(entries.map(\.key.value))
            if keys == ["file", "key"] || keys == ["file"] {
                let file = entries.first { $0.key.value == "file" }!.value
                guard case .string(let path) = file.value else {
                    diagnostics.error(.dataStructure, "\(what) file is a path", at: file.range)
                    return nil
                }
                let key = entries.first { $0.key.value == "key" }?.value
                if path.hasSuffix(".npz") {
                    guard let key, case .string(let member) = key.value, !member.isEmpty else {
                        diagnostics.error(.dataStructure, "\(what): name the array inside \(path) with `key:`", at: file.range)
                        return nil
                    }
                    return .npz(path: path, member: member)
                }
                guard key == nil else {
                    diagnostics.error(.dataStructure, "\(what): only .npz archives have keys", at: key!.range)
                    return nil
                }
                return arraySource(file, what: what)
            }
            if keys == ["values", "shape"] {
                let values = entries.first { $0.key.value == "values" }!.value
                let shapeWritten = entries.first { $0.key.value == "shape" }!.value
                guard case .success(.ints(let sizes)) = convert(shapeWritten.value, to: .shape(allowsInferred: false, allowsUnknown: false), subject: "\(what) shape") else {
                    diagnostics.error(.inlineData, "\(what) shape is a list of sizes such as [4, 3, 1]", at: shapeWritten.range)
                    return nil
                }
                return inline(values, shape: sizes.map { $0! }, what: what)
            }
            diagnostics.error(.dataStructure, "\(what) is a path, `{file: ..., key: ...}`, a nested list of numbers, or `{values: [...], shape: [...]}`",
                              at: written.range)
            return nil
        default:
            diagnostics.error(.dataStructure, "\(what) is a path or a nested list of numbers, not \(written.value.kindName)", at: written.range)
            return nil
        }
    }

    /// Flattens inline values, checking that nested lists are rectangular and hold numbers.
    mutating func inline(_ written: Located<SpecValue>, shape requested: [Int]?, what: String) -> ArraySource? {
        var values: [Double] = []
        var integers = true
        var shape: [Int] = []
        var ok = true
        func visit(_ node: Located<SpecValue>, depth: Int) {
            guard ok else { return }
            switch node.value {
            case .int(let number):
                if requested == nil, depth != shape.count {
                    diagnostics.error(.inlineData, "\(what) mixes numbers and lists at the same depth; every row needs the same nesting", at: node.range)
                    ok = false
                    return
                }
                values.append(Double(number))
            case .float(let number):
                guard number.isFinite else {
                    diagnostics.error(.inlineData, "\(what) holds \(formatNumber(number)); data must be finite numbers", at: node.range)
                    ok = false
                    return
                }
                if requested == nil, depth != shape.count {
                    diagnostics.error(.inlineData, "\(what) mixes numbers and lists at the same depth; every row needs the same nesting", at: node.range)
                    ok = false
                    return
                }
                integers = false
                values.append(number)
            case .list(let items):
                if requested == nil {
                    if depth == shape.count {
                        if !values.isEmpty {
                            diagnostics.error(.inlineData, "\(what) mixes numbers and lists at the same depth; every row needs the same nesting", at: node.range)
                            ok = false
                            return
                        }
                        shape.append(items.count)
                    } else if depth > shape.count || shape[depth] != items.count {
                        diagnostics.error(.inlineData, "\(what) is not rectangular: this list has \(items.count) items where the first has \(depth < shape.count ? shape[depth] : 0)",
                                          at: node.range)
                        ok = false
                        return
                    }
                }
                for item in items { visit(item, depth: depth + 1) }
            default:
                diagnostics.error(.inlineData, "\(what) holds \(node.value.display); data must be numbers", at: node.range)
                ok = false
            }
        }
        visit(written, depth: 0)
        guard ok else { return nil }
        if let requested {
            guard requested.reduce(1, *) == values.count else {
                diagnostics.error(.inlineData, "\(what) has \(values.count) values but its shape \(requested) holds \(requested.reduce(1, *))", at: written.range)
                return nil
            }
            shape = requested
        }
        guard let rows = shape.first, rows > 0 else {
            diagnostics.error(.inlineData, "\(what) has no samples", at: written.range)
            return nil
        }
        return .inline(values: values, shape: shape, integers: integers)
    }

    /// Inline arrays are known now: they must fit the model's input and agree on the sample count.
    mutating func checkInline(_ x: ArraySource, _ y: ArraySource?, written: Located<SpecValue>, yRange: SourceRange?,
                              input: TensorType?, name: String) -> Bool {
        guard case .inline(_, let xShape, let integers) = x else { return true }
        if let input {
            let sample = Array(xShape.dropFirst())
            let fits = sample.count == input.shape.count && zip(sample, input.shape).allSatisfy { $1 == nil || $0 == $1 }
            if !fits {
                let expected = "(" + input.shape.map { $0.map(String.init) ?? "None" }.joined(separator: ", ") + (input.shape.count == 1 ? ",)" : ")")
                let got = "(" + sample.map(String.init).joined(separator: ", ") + (sample.count == 1 ? ",)" : ")")
                let hint = sample.reduce(1, *) == input.shape.compactMap { $0 }.reduce(1, *) && !input.shape.contains(nil)
                    ? "; give the shape explicitly: `{values: [...], shape: \([xShape[0]] + input.shape.map { $0! })}`" : ""
                diagnostics.error(.dataModelMismatch, "data \(name) x holds samples shaped \(got) but the model's input is \(expected)\(hint)", at: written.range)
                return false
            }
            if input.element == .tokenIDs, !integers {
                diagnostics.error(.dataModelMismatch, "data \(name) x feeds an Embedding, which needs integer token ids, but holds fractions", at: written.range)
                return false
            }
        }
        if case .inline(_, let yShape, _)? = y, let yRange, yShape.first != xShape.first {
            diagnostics.error(.dataModelMismatch, "data \(name) has \(xShape[0]) samples in x but \(yShape.first ?? 0) in y", at: yRange)
            return false
        }
        return true
    }
}
