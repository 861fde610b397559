import Dispatch
import Foundation
import ModelC

/// The words that get token ids, ranked by frequency in the training texts, and how texts become
/// padded id sequences — `imdb.load_data` and `pad_sequences` conventions: id 0 pads, 1 starts every
/// sequence, 2 stands for words outside the vocabulary, and the most frequent word is 3. Written to
/// the run directory as `vocabulary.json` so `evaluate` and `predict` read texts the same way.
public struct Vocabulary: Sendable {
    public static let startID: Int32 = 1
    public static let outOfVocabularyID: Int32 = 2
    public static let firstWordID = 3
    /// The longest sequences a vocabulary file may ask for: the largest `maxlen` a spec accepts
    /// (DataConfig). Every text becomes a row this long, so a damaged file must not set it.
    public static let maximumLength = 1 << 20

    /// Kept words, most frequent first; word `i` has id `i + 3`.
    public let words: [String]
    public let preprocessing: TextPreprocessing
    /// Sequence length (`maxlen`, resolved).
    public let length: Int
    /// Distinct words seen when the vocabulary was built (0 when read from a file).
    public let distinctWords: Int
    let ids: [String: Int32]

    public init(words: [String], preprocessing: TextPreprocessing, length: Int, distinctWords: Int = 0) {
        self.words = words
        self.preprocessing = preprocessing
        self.length = length
        self.distinctWords = distinctWords
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(words.count)
        for (rank, word) in words.enumerated() where ids[word] == nil { ids[word] = Int32(rank + Self.firstWordID) }
        self.ids = ids
    }

    var tokenizer: Tokenizer { Tokenizer(lowercase: preprocessing.lowercase) }

    /// Ranks the words of `texts` by count, ties broken by first appearance (as Keras's Tokenizer),
    /// keeping the `num_words - 3` most frequent; also returns the texts as padded id rows.
    public static func build(from texts: [String], preprocessing: TextPreprocessing, length: Int) -> (Vocabulary, [Float]) {
        let tokenizer = Tokenizer(lowercase: preprocessing.lowercase)
        // Each chunk numbers its words in order of appearance and records every text as those numbers.
        let chunks = ChunkRanges(items: texts.count, parts: 8)
        var tables = [LocalTable](repeating: LocalTable(), count: chunks.parts)
        tables.withUnsafeMutableBufferPointer { slots in
            let box = UnsafeSendableBox(slots)
            DispatchQueue.concurrentPerform(iterations: chunks.parts) { chunk in
                var table = LocalTable()
                for row in chunks.range(chunk) {
                    tokenizer.forEachWord(texts[row]) { bytes in
                        let word = String(decoding: bytes, as: UTF8.self)
                        let id: Int32
                        if let known = table.ids[word] {
                            id = known
                        } else {
                            id = Int32(table.words.count)
                            table.ids[word] = id
                            table.words.append(word)
                            table.counts.append(0)
                        }
                        table.counts[Int(id)] += 1
                        table.tokens.append(id)
                    }
                    table.ends.append(table.tokens.count)
                }
                box.value[chunk] = table
            }
        }
        // Merge in chunk order, so "first appearance" means the same with any thread count.
        var order: [String: Int] = [:]
        var merged: [(word: String, count: Int)] = []
        for table in tables {
            for (local, word) in table.words.enumerated() {
                if let position = order[word] {
                    merged[position].count += table.counts[local]
                } else {
                    order[word] = merged.count
                    merged.append((word, table.counts[local]))
                }
            }
        }
        let ranked = merged.enumerated().sorted { a, b in
            a.element.count != b.element.count ? a.element.count > b.element.count : a.offset < b.offset
        }.map(\.element.word)
        let kept = preprocessing.numWords.map { Array(ranked.prefix(max(0, $0 - firstWordID))) } ?? ranked
        let vocabulary = Vocabulary(words: kept, preprocessing: preprocessing, length: length, distinctWords: merged.count)
        // The training texts become rows from their chunk numbers, without tokenizing again.
        let finished = tables
        var rows = [Float](repeating: Float(preprocessing.value), count: texts.count * length)
        rows.withUnsafeMutableBufferPointer { output in
            let box = UnsafeSendableBox(output)
            DispatchQueue.concurrentPerform(iterations: chunks.parts) { chunk in
                let table = finished[chunk]
                let global = table.words.map { vocabulary.ids[$0] ?? outOfVocabularyID }
                var start = 0
                var sequence: [Int32] = []
                for (offset, row) in chunks.range(chunk).enumerated() {
                    let end = table.ends[offset]
                    sequence.removeAll(keepingCapacity: true)
                    sequence.append(startID)
                    for index in start..<end { sequence.append(global[Int(table.tokens[index])]) }
                    vocabulary.pad(sequence, into: box.value.baseAddress! + row * length)
                    start = end
                }
            }
        }
        return (vocabulary, rows)
    }

    /// Padded id rows for texts read with this vocabulary: [texts, length], as floats.
    public func sequences(_ texts: [String]) -> [Float] {
        var rows = [Float](repeating: Float(preprocessing.value), count: texts.count * length)
        let chunks = ChunkRanges(items: texts.count, parts: 8)
        // Locals, not self: the closures would otherwise copy the whole vocabulary for every word.
        let tokenizer = self.tokenizer, ids = self.ids, vocabulary = self
        rows.withUnsafeMutableBufferPointer { output in
            let box = UnsafeSendableBox(output)
            DispatchQueue.concurrentPerform(iterations: chunks.parts) { chunk in
                var sequence: [Int32] = []
                for row in chunks.range(chunk) {
                    sequence.removeAll(keepingCapacity: true)
                    sequence.append(Self.startID)
                    tokenizer.forEachWord(texts[row]) { bytes in
                        sequence.append(ids[String(decoding: bytes, as: UTF8.self)] ?? Self.outOfVocabularyID)
                    }
                    vocabulary.pad(sequence, into: box.value.baseAddress! + row * length)
                }
            }
        }
        return rows
    }

    /// `pad_sequences` for one sequence: cut to `length` at the start (`truncating: pre`, Keras's
    /// default) or end, then place it at the end (`padding: pre`) or start of the row. The row was
    /// filled with the padding value beforehand.
    func pad(_ sequence: [Int32], into row: UnsafeMutablePointer<Float>) {
        let kept = min(sequence.count, length)
        let from = preprocessing.truncating == "pre" ? sequence.count - kept : 0
        let to = preprocessing.padding == "pre" ? length - kept : 0
        for index in 0..<kept { row[to + index] = Float(sequence[from + index]) }
    }

    // MARK: Files

    public var json: String {
        JSONValue.object([
            ("format", .string("modelc vocabulary")),
            ("version", .int(1)),
            ("num_words", preprocessing.numWords.map { .int($0) } ?? .null),
            ("maxlen", .int(length)),
            ("padding", .string(preprocessing.padding)),
            ("truncating", .string(preprocessing.truncating)),
            ("value", .int(preprocessing.value)),
            ("lowercase", .bool(preprocessing.lowercase)),
            ("start_id", .int(Int(Self.startID))),
            ("out_of_vocabulary_id", .int(Int(Self.outOfVocabularyID))),
            ("first_word_id", .int(Self.firstWordID)),
            ("words", .array(words.map { .string($0) })),
        ]).rendered(indent: nil) + "\n"
    }

    public static func read(_ path: String) throws(DataError) -> Vocabulary {
        let bytes = try DataFile.read(path, what: "the vocabulary file", origin: .commandLine)
        return try decode(bytes, path: path)
    }

    /// The same from the file's bytes; `path` names it in messages.
    public static func decode(_ bytes: [UInt8], path: String) throws(DataError) -> Vocabulary {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              object["format"] as? String == "modelc vocabulary" else {
            throw DataError("\(path) is not a modelc vocabulary file (train writes one as vocabulary.json in the run directory)")
        }
        guard let words = object["words"] as? [String], let length = object["maxlen"] as? Int, length > 0, length <= maximumLength,
              let padding = object["padding"] as? String, ["pre", "post"].contains(padding),
              let truncating = object["truncating"] as? String, ["pre", "post"].contains(truncating),
              let value = object["value"] as? Int, let lowercase = object["lowercase"] as? Bool else {
            throw DataError("\(path) is a damaged vocabulary file: words, maxlen, padding, truncating, value or lowercase is missing or invalid")
        }
        let numWords = object["num_words"] as? Int
        let preprocessing = TextPreprocessing(numWords: numWords, maxlen: length, padding: padding, truncating: truncating,
                                              value: value, lowercase: lowercase)
        return Vocabulary(words: words, preprocessing: preprocessing, length: length)
    }
}

/// One chunk's words numbered in order of first appearance, their counts, and its texts as numbers.
struct LocalTable {
    var ids: [String: Int32] = [:]
    var words: [String] = []
    var counts: [Int] = []
    var tokens: [Int32] = []
    /// The end of each text in `tokens`.
    var ends: [Int] = []
}
