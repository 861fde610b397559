import CSV
import Dispatch
import Foundation
import ModelC

/// Raw texts with their labels, read from a CSV text column or from class folders.
public struct TextTable: Sendable {
    public var texts: [String]
    /// One label per text (class index or number); nil when the source has no labels.
    public var labels: [Float]?
    /// Class names in label order, when labels came from names (folders or `classes:`).
    public var classes: [String]?
    /// The file or folder read, for messages.
    public var source: String
    /// One sample weight per text (a column of the CSV), and its label for messages.
    public var weights: [Float]?
    public var weightSource: String?

    public init(texts: [String], labels: [Float]?, classes: [String]?, source: String) {
        self.texts = texts
        self.labels = labels
        self.classes = classes
        self.source = source
    }

    public var count: Int { texts.count }

    /// Rows `indices`, in that order.
    public func rows(_ indices: [Int]) -> TextTable {
        var part = TextTable(texts: indices.map { texts[$0] }, labels: labels.map { labels in indices.map { labels[$0] } },
                             classes: classes, source: source)
        part.weights = weights.map { weights in indices.map { weights[$0] } }
        part.weightSource = weightSource
        return part
    }

    /// Reads a text source and, when given, its sample weights (one per text, in the CSV's row order).
    public static func read(_ source: TextSource, weights: TensorData?, root: String) throws(DataError) -> TextTable {
        var table = try read(source, root: root)
        guard let weights else { return table }
        let array = try DataLoader.read([weights], root: root)[0]
        guard array.rows == table.count else {
            throw DataError("\(weights.label) has \(array.rows) sample weights but \(table.source) has \(table.count) texts; give one weight per text")
        }
        table.weights = array.values
        table.weightSource = weights.label
        return table
    }

    /// Reads a text source; relative paths resolve against `root`.
    public static func read(_ source: TextSource, root: String) throws(DataError) -> TextTable {
        switch source.origin {
        case .csv(let path, let textColumn, let labelColumn):
            return try readCSV(DataLoader.resolve(path, root: root), textColumn: textColumn, labelColumn: labelColumn,
                               classes: source.classes)
        case .directory(let path):
            return try readDirectory(DataLoader.resolve(path, root: root), classes: source.classes)
        }
    }

    // MARK: CSV

    /// A CSV with a header row, RFC 4180 quoting (quoted fields may hold commas, quotes and line
    /// breaks). Records are found with one byte scan; their fields are split on both cores, quoted
    /// records by CSV.swift.
    public static func readCSV(_ path: String, textColumn: String, labelColumn: String?, classes: [String]?) throws(DataError) -> TextTable {
        let bytes = try DataFile.read(path, what: "the text file")
        return try decodeCSV(bytes, path: path, textColumn: textColumn, labelColumn: labelColumn, classes: classes)
    }

    /// The same from the file's bytes; `path` names it in messages.
    public static func decodeCSV(_ bytes: [UInt8], path: String, textColumn: String, labelColumn: String?,
                                 classes: [String]?) throws(DataError) -> TextTable {
        guard !bytes.isEmpty else { throw DataError("\(path) is empty; it needs a header row and one row per text") }
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        let records = recordRanges(bytes, from: start)
        guard let header = records.first else { throw DataError("\(path) is empty; it needs a header row and one row per text") }
        guard let headerText = String(validating: bytes[header], as: UTF8.self) else {
            throw DataError("\(path): the header row is not valid UTF-8; save the file as UTF-8")
        }
        let names = fields(of: headerText, quoted: bytes[header].contains(quote)).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let textIndex = names.firstIndex(of: textColumn) else {
            throw DataError("\(path) has no column '\(FileExcerpts.name(textColumn))'; \(FileExcerpts.columns(names))")
        }
        let labelIndex: Int?
        if let labelColumn {
            guard let index = names.firstIndex(of: labelColumn) else {
                throw DataError("\(path) has no column '\(FileExcerpts.name(labelColumn))'; \(FileExcerpts.columns(names))")
            }
            labelIndex = index
        } else {
            labelIndex = nil
        }
        let rows = Array(records.dropFirst())
        guard !rows.isEmpty else { throw DataError("\(path) has a header but no rows") }

        // Split the rows' fields on both cores; each chunk fills its own slice of the result.
        var texts = [String](repeating: "", count: rows.count)
        var labelTexts = [String](repeating: "", count: labelIndex == nil ? 0 : rows.count)
        let chunks = ChunkRanges(items: rows.count, parts: 8)
        let problems = ProblemSlots(chunks.parts)
        texts.withUnsafeMutableBufferPointer { textSlots in
            labelTexts.withUnsafeMutableBufferPointer { labelSlots in
                let textBox = UnsafeSendableBox(textSlots), labelBox = UnsafeSendableBox(labelSlots)
                DispatchQueue.concurrentPerform(iterations: chunks.parts) { chunk in
                    for row in chunks.range(chunk) {
                        let range = rows[row]
                        guard let record = String(validating: bytes[range], as: UTF8.self) else {
                            problems.set(chunk, "\(path) line \(lineNumber(bytes, range.lowerBound)) (data row \(row + 1)) is not valid UTF-8; save the file as UTF-8")
                            return
                        }
                        let cells = fields(of: record, quoted: bytes[range].contains(quote))
                        guard cells.count == names.count else {
                            problems.set(chunk, "\(path) line \(lineNumber(bytes, range.lowerBound)) (data row \(row + 1)) has \(cells.count) fields but the header has \(names.count)")
                            return
                        }
                        textBox.value[row] = cells[textIndex]
                        if let labelIndex { labelBox.value[row] = cells[labelIndex].trimmingCharacters(in: .whitespaces) }
                    }
                }
            }
        }
        if let problem = problems.first { throw DataError(problem) }
        guard labelIndex != nil else { return TextTable(texts: texts, labels: nil, classes: classes, source: path) }
        let labels = try labelValues(labelTexts, classes: classes) { row in
            "\(path) line \(lineNumber(bytes, rows[row].lowerBound)) (data row \(row + 1))"
        }
        return TextTable(texts: texts, labels: labels, classes: classes, source: path)
    }

    /// Numbers, or indices into `classes` when given.
    static func labelValues(_ texts: [String], classes: [String]?, place: (Int) -> String) throws(DataError) -> [Float] {
        var labels = [Float](repeating: 0, count: texts.count)
        for (row, text) in texts.enumerated() {
            if let classes {
                guard let index = classes.firstIndex(of: text) else {
                    throw DataError("\(place(row)): label '\(FileExcerpts.name(text))' is not a known class; the classes are \(FileExcerpts.list(classes))")
                }
                labels[row] = Float(index)
            } else {
                guard let value = Double(text), value.isFinite else {
                    throw DataError("\(place(row)): label '\(FileExcerpts.name(text))' is not a number; give `classes: [...]` on the split to map label names to 0, 1, ...")
                }
                labels[row] = Float(value)
            }
        }
        return labels
    }

    /// Byte ranges of the records (without their line breaks), skipping blank lines. Records end at
    /// LF, CR LF or a lone CR (as the numeric CSV reader's do); a line break inside quotes belongs
    /// to its field.
    static func recordRanges(_ bytes: [UInt8], from start: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var recordStart = start
        var inQuotes = false
        var index = start
        func close(_ end: Int) {
            var upper = end
            if upper > recordStart, bytes[upper - 1] == cr { upper -= 1 }
            if bytes[recordStart..<upper].contains(where: { $0 != space && $0 != tab }) {
                ranges.append(recordStart..<upper)
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == quote {
                inQuotes.toggle()
            } else if byte == lf || byte == cr, !inQuotes {
                close(index)
                if byte == cr, index + 1 < bytes.count, bytes[index + 1] == lf { index += 1 }
                recordStart = index + 1
            }
            index += 1
        }
        if recordStart < bytes.count { close(bytes.count) }
        return ranges
    }

    /// The cells of one record; quoted records go through CSV.swift, which owns RFC 4180's quoting.
    static func fields(of record: String, quoted: Bool) -> [String] {
        guard quoted else { return record.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let reader = try? CSVReader(string: record, hasHeaderRow: false, trimFields: false) else { return [] }
        return reader.next() ?? []
    }

    /// The line of byte `offset`, counting LF, CR LF and lone CR as one break each.
    static func lineNumber(_ bytes: [UInt8], _ offset: Int) -> Int {
        var line = 1
        for index in 0..<offset where bytes[index] == lf || (bytes[index] == cr && (index + 1 == bytes.count || bytes[index + 1] != lf)) {
            line += 1
        }
        return line
    }

    // MARK: Directory

    /// Keras's `text_dataset_from_directory` layout: `<folder>/<class>/*.txt`, classes in sorted
    /// order (or the order of `classes`), files in sorted order within each class.
    public static func readDirectory(_ path: String, classes: [String]?) throws(DataError) -> TextTable {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError("text folder not found: \(path)")
        }
        guard isDirectory.boolValue else {
            throw DataError("\(path) is not a folder; `directory:` names a folder with one subfolder of .txt files per class")
        }
        let found = ((try? manager.contentsOfDirectory(atPath: path)) ?? []).filter { name in
            var folder: ObjCBool = false
            return !name.hasPrefix(".") && manager.fileExists(atPath: path + "/" + name, isDirectory: &folder) && folder.boolValue
        }.sorted()
        let names = classes ?? found
        guard !names.isEmpty else { throw DataError("\(path) has no class folders; put each class's .txt files in a folder named after it") }
        if let missing = names.first(where: { !found.contains($0) }) {
            throw DataError("\(path) has no folder for class '\(FileExcerpts.name(missing))'; its folders are \(FileExcerpts.list(found))")
        }
        var texts: [String] = []
        var labels: [Float] = []
        for (index, name) in names.enumerated() {
            let folder = path + "/" + name
            let files = ((try? manager.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".txt") && !$0.hasPrefix(".") }.sorted()
            for file in files {
                let bytes = try DataFile.read(folder + "/" + file, what: "the text file")
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    throw DataError("\(folder)/\(file) is not valid UTF-8; save it as UTF-8")
                }
                texts.append(text)
                labels.append(Float(index))
            }
        }
        guard !texts.isEmpty else { throw DataError("\(path) has no .txt files in its class folders (\(FileExcerpts.list(names)))") }
        return TextTable(texts: texts, labels: labels, classes: names, source: path)
    }
}

private let quote = UInt8(ascii: "\"")
private let lf = UInt8(ascii: "\n")
private let cr = UInt8(ascii: "\r")
private let space = UInt8(ascii: " ")
private let tab = UInt8(ascii: "\t")

/// `items` split into at most `parts` contiguous ranges (fewer when there are fewer items).
struct ChunkRanges {
    let items: Int
    let parts: Int

    init(items: Int, parts: Int) {
        self.items = items
        self.parts = max(1, min(parts, items))
    }

    func range(_ part: Int) -> Range<Int> {
        (items * part / parts)..<(items * (part + 1) / parts)
    }
}

/// The first problem per chunk, set from concurrent chunks; reported in chunk order.
final class ProblemSlots: @unchecked Sendable {
    private var slots: [String?]
    private let lock = NSLock()

    init(_ count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ chunk: Int, _ problem: String) {
        lock.lock()
        if slots[chunk] == nil { slots[chunk] = problem }
        lock.unlock()
    }

    var first: String? { slots.compactMap { $0 }.first }
}
