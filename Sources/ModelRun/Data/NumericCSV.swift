import ModelC

/// CSV with a header row, numeric columns (RFC 4180 quoting handled by CSV.swift). `features` nil = every column not
/// in `labels`. Returns x [rows, features] and y [rows, labels] (y [rows] when one label column). An array whose
/// cells are all written as integers (no point or exponent) is reported as `.int64`, so label and token-id checks
/// see integers. Blank lines are skipped; messages name the line a row starts on and its data row number.
public enum NumericCSV {
    public static func read(_ path: String, features: [String]?, labels: [String]) throws(DataError) -> (x: NumpyArray, y: NumpyArray) {
        try decode(DataFile.read(path, what: "the CSV file"), file: path, features: features, labels: labels)
    }

    /// With one label column of class names (iris's `species`): the labels become indices into
    /// `classes`, or, when nil and the column holds texts, into its sorted distinct values (returned).
    /// A numeric label column stays numbers (classes nil).
    public static func read(_ path: String, features: [String]?, labels: [String], classes: [String]?)
        throws(DataError) -> (x: NumpyArray, y: NumpyArray, classes: [String]?) {
        let bytes = try DataFile.read(path, what: "the CSV file")
        guard labels.count == 1 else {
            let (x, y) = try decode(bytes, file: path, features: features, labels: labels)
            return (x, y, nil)
        }
        // The features as numbers, the label column as text.
        let (x, _) = try decode(bytes, file: path, features: features, labels: labels, featuresOnly: true)
        var texts = try labelTexts(bytes, file: path, column: labels[0])
        if classes == nil, texts.allSatisfy({ Float($0.text) != nil }) {
            let (x, y) = try decode(bytes, file: path, features: features, labels: labels)
            return (x, y, nil)
        }
        let names = classes ?? Array(Set(texts.map(\.text))).sorted()
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($0.element, $0.offset) })
        var values: [Float] = []
        values.reserveCapacity(texts.count)
        for item in texts {
            guard let position = index[item.text] else {
                throw DataError("\(item.place), column '\(FileExcerpts.name(labels[0]))' holds \"\(FileExcerpts.name(item.text, limit: 30))\", which is not one of the classes (\(names.prefix(12).joined(separator: ", "))\(names.count > 12 ? ", …" : ""))\(Suggestion.phrase(for: item.text, among: names))")
            }
            values.append(Float(position))
        }
        texts.removeAll()
        return (x, NumpyArray(shape: [values.count], values: values, kind: .int64), names)
    }

    /// The column names of the header row.
    public static func header(_ path: String) throws(DataError) -> [String] {
        let bytes = try DataFile.read(path, what: "the CSV file")
        var records = CSVRecords(bytes, from: try textStart(bytes, file: path))
        var fields: [String] = []
        guard try next(&records, into: &fields, file: path) != nil else {
            throw DataError("\(path) is empty; a CSV file needs a header row naming the columns, then one row per sample.")
        }
        return fields
    }

    /// The cells of `column`, each with where its row is.
    static func labelTexts(_ bytes: [UInt8], file: String, column: String) throws(DataError) -> [(text: String, place: String)] {
        var records = CSVRecords(bytes, from: try textStart(bytes, file: file))
        var fields: [String] = []
        guard try next(&records, into: &fields, file: file) != nil else {
            throw DataError("\(file) is empty; a CSV file needs a header row naming the columns, then one row per sample.")
        }
        let header = fields
        guard let position = header.firstIndex(of: column) else {
            throw DataError("\(file) has no column named '\(FileExcerpts.name(column))'; its columns are: \(header.map { FileExcerpts.name($0) }.joined(separator: ", ")). Fix the names in the spec's data section.")
        }
        var result: [(String, String)] = []
        var samples = 0
        while let line = try next(&records, into: &fields, file: file) {
            samples += 1
            guard fields.count == header.count else {
                throw DataError("\(place(file, line, samples)) has \(fields.count) \(fields.count == 1 ? "field" : "fields") but the header names \(header.count) columns; give every row one value per column (and quote values that contain commas).")
            }
            result.append((fields[position], place(file, line, samples)))
        }
        return result
    }

    /// The same from the file's bytes; `file` names it in messages.
    /// `featuresOnly` reads x and leaves the label columns unread (they may hold texts).
    public static func decode(_ bytes: [UInt8], file: String, features: [String]?, labels: [String],
                              featuresOnly: Bool = false) throws(DataError) -> (x: NumpyArray, y: NumpyArray) {
        var records = CSVRecords(bytes, from: try textStart(bytes, file: file))
        var fields: [String] = []
        guard try next(&records, into: &fields, file: file) != nil else {
            throw DataError("\(file) is empty; a CSV file needs a header row naming the columns, then one row per sample.")
        }
        let header = fields
        let (featureColumns, labelColumns) = try columns(header, features: features, labels: labels, file: file)
        let estimatedRows = bytes.count / max(1, 4 * header.count)
        var x = Accumulator(columns: featureColumns, estimatedRows: estimatedRows)
        var y = Accumulator(columns: labelColumns, estimatedRows: estimatedRows)
        var samples = 0
        while let line = try next(&records, into: &fields, file: file) {
            samples += 1
            guard fields.count == header.count else {
                throw DataError("\(place(file, line, samples)) has \(fields.count) \(fields.count == 1 ? "field" : "fields") but the header names \(header.count) columns; give every row one value per column (and quote values that contain commas).")
            }
            try x.append(fields, header: header) { place(file, line, samples) }
            if !featuresOnly { try y.append(fields, header: header) { place(file, line, samples) } }
        }
        guard samples > 0 else {
            throw DataError("\(file) has a header row but no data rows; add one row per sample.")
        }
        let xArray = NumpyArray(shape: [samples, featureColumns.count], values: x.values, kind: x.kind)
        let yShape = labelColumns.count == 1 ? [samples] : [samples, labelColumns.count]
        return (xArray, NumpyArray(shape: yShape, values: y.values, kind: y.kind))
    }

    /// Several groups of numeric columns of one file, read in one pass (a functional model's inputs
    /// and outputs from one CSV): one array per group, [rows] for a single column, else [rows, columns].
    public static func readGroups(_ path: String, groups: [[String]]) throws(DataError) -> [NumpyArray] {
        let bytes = try DataFile.read(path, what: "the CSV file")
        var records = CSVRecords(bytes, from: try textStart(bytes, file: path))
        var fields: [String] = []
        guard try next(&records, into: &fields, file: path) != nil else {
            throw DataError("\(path) is empty; a CSV file needs a header row naming the columns, then one row per sample.")
        }
        let header = fields
        let positions = HeaderPositions(header)
        var accumulators: [Accumulator] = []
        for group in groups {
            var indices: [Int] = []
            for name in group {
                guard let index = positions.first[name] else {
                    throw DataError("\(path) has no column named '\(FileExcerpts.name(name))'; \(FileExcerpts.columns(header)). Fix the name in the spec's data section.")
                }
                if positions.count[name, default: 0] > 1 {
                    throw DataError("The column name '\(FileExcerpts.name(name))' appears more than once in the header of \(path); give every column a distinct name.")
                }
                indices.append(index)
            }
            accumulators.append(Accumulator(columns: indices, estimatedRows: bytes.count / max(1, 4 * header.count)))
        }
        var samples = 0
        while let line = try next(&records, into: &fields, file: path) {
            samples += 1
            guard fields.count == header.count else {
                throw DataError("\(place(path, line, samples)) has \(fields.count) \(fields.count == 1 ? "field" : "fields") but the header names \(header.count) columns; give every row one value per column (and quote values that contain commas).")
            }
            for index in accumulators.indices {
                try accumulators[index].append(fields, header: header) { place(path, line, samples) }
            }
        }
        guard samples > 0 else {
            throw DataError("\(path) has a header row but no data rows; add one row per sample.")
        }
        return accumulators.map { accumulator in
            let width = accumulator.columns.count
            return NumpyArray(shape: width == 1 ? [samples] : [samples, width], values: accumulator.values, kind: accumulator.kind)
        }
    }

    /// Where a row is, for messages: built only when one is needed.
    private static func place(_ file: String, _ line: Int, _ row: Int) -> String { "\(file) line \(line) (data row \(row))" }

    private static func next(_ records: inout CSVRecords, into fields: inout [String], file: String) throws(DataError) -> Int? {
        do {
            return try records.next(into: &fields)
        } catch {
            throw DataError("\(file) line \(error.line) opens a quoted field that is never closed; add the closing double quote (a quote inside a quoted field is written twice: \"\").")
        }
    }

    /// Where the text starts after a UTF-8 byte-order mark; other encodings are refused.
    private static func textStart(_ bytes: [UInt8], file: String) throws(DataError) -> Int {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw DataError("\(file) is UTF-16 text; save it as UTF-8 (plain CSV) instead.")
        }
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        guard String(validating: bytes[start...], as: UTF8.self) != nil else {
            throw DataError("\(file) is not UTF-8 text; save it as a plain UTF-8 CSV file.")
        }
        return start
    }

    /// The header indices of the feature and label columns, or a message listing what is wrong with the names.
    private static func columns(_ header: [String], features: [String]?, labels: [String], file: String) throws(DataError) -> ([Int], [Int]) {
        let found = FileExcerpts.columns(header)
        if header.count == 1, let separator = [";", "\t", "|"].first(where: { header[0].contains($0) }) {
            throw DataError("\(file) seems to separate its columns with '\(separator == "\t" ? "\\t" : separator)'; modelc reads comma-separated files, so save it with commas.")
        }
        if header.allSatisfy({ Double($0) != nil }) {
            throw DataError("The first row of \(file) holds numbers (\(FileExcerpts.list(header, limit: 60))), not column names; add a header row naming the columns.")
        }
        guard !labels.isEmpty else {
            throw DataError("No label column is named for \(file); list the column(s) of y under labels (\(found)).")
        }
        if let features, features.isEmpty {
            throw DataError("The feature list for \(file) is empty; name the feature columns or leave features out to use every non-label column.")
        }
        let positions = HeaderPositions(header)
        let wanted = (features ?? []) + labels
        let unknown = wanted.filter { positions.first[$0] == nil }
        if !unknown.isEmpty {
            let names = unknown.map { "'\(FileExcerpts.name($0))'" }.joined(separator: ", ")
            throw DataError("\(file) has no \(unknown.count == 1 ? "column" : "columns") named \(names); \(found). Fix the names in the spec's data section.")
        }
        if let features, let both = features.first(where: labels.contains) {
            throw DataError("The column '\(FileExcerpts.name(both))' of \(file) is listed both as a feature and as a label; a model must not see its own target, so remove it from features.")
        }
        // Repeated names in the order of their second appearance.
        var duplicates: [String] = []
        var seen: Set<String> = [], reported: Set<String> = []
        for name in header where !seen.insert(name).inserted && reported.insert(name).inserted {
            duplicates.append(name)
        }
        let selected = features.map { Set($0 + labels) }
        if let repeated = duplicates.first(where: { selected?.contains($0) ?? true }) {
            let what = repeated.isEmpty ? "Several columns of \(file) have no name" : "The column name '\(FileExcerpts.name(repeated))' appears more than once in the header of \(file)"
            throw DataError("\(what); give every column a distinct name (pandas writes an unnamed index column unless you save with index=False).")
        }
        let labelColumns = labels.map { positions.first[$0]! }
        let featureColumns: [Int]
        if let features {
            featureColumns = features.map { positions.first[$0]! }
        } else {
            if let unnamed = header.firstIndex(of: "") {
                throw DataError("Column \(unnamed + 1) of \(file) has no name, and every column not in labels would become a feature; name it, list the feature columns, or save without the index (pandas: index=False).")
            }
            let isLabel = Set(labelColumns)
            featureColumns = header.indices.filter { !isLabel.contains($0) }
            guard !featureColumns.isEmpty else {
                throw DataError("Every column of \(file) is a label, so no feature columns are left; list the label column(s) only under labels.")
            }
        }
        return (featureColumns, labelColumns)
    }

    /// Each column name's first index and how often it appears, found in one pass (searching the
    /// header for every name was quadratic in the number of columns).
    private struct HeaderPositions {
        var first: [String: Int] = [:]
        var count: [String: Int] = [:]

        init(_ header: [String]) {
            for (index, name) in header.enumerated() {
                if first[name] == nil { first[name] = index }
                count[name, default: 0] += 1
            }
        }
    }

    /// The values of some columns, row after row, and whether every cell was written as an integer.
    private struct Accumulator {
        let columns: [Int]
        var values: [Float] = []
        var allIntegers = true

        init(columns: [Int], estimatedRows: Int) {
            self.columns = columns
            values.reserveCapacity(min(estimatedRows, 1 << 24) * columns.count)
        }

        var kind: NumpyArray.Kind { allIntegers && !values.isEmpty ? .int64 : .float32 }

        mutating func append(_ fields: [String], header: [String], place: () -> String) throws(DataError) {
            for column in columns {
                let cell = fields[column]
                guard let value = Float(cell) else {
                    let problem = cell.isEmpty ? "is empty" : "holds \"\(FileExcerpts.name(cell, limit: 30))\", which is not a number"
                    throw DataError("\(place()), column '\(FileExcerpts.name(header[column]))' \(problem); modelc reads numeric columns only, so fill in or encode the value as a number (or leave the column out of the features).")
                }
                if allIntegers, !Self.isIntegerText(cell) { allIntegers = false }
                values.append(value)
            }
        }

        /// An optional sign and digits only: "3" is an integer, "3.0" and "3e2" are not.
        private static func isIntegerText(_ cell: String) -> Bool {
            var digits = 0
            for (offset, byte) in cell.utf8.enumerated() {
                if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { digits += 1; continue }
                if offset == 0, byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") { continue }
                return false
            }
            return digits > 0
        }
    }
}
