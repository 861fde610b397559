import CSV

/// The records of CSV bytes, one at a time, each with the line it starts on.
/// A record without a double quote is split at commas right here, which is exactly what RFC 4180 gives
/// for it and keeps large numeric files fast; a record that contains a quote (possibly running over
/// several lines) is handed whole to CSV.swift, which owns the quoting rules. Line ends are LF, CRLF or CR.
struct CSVRecords {
    private let bytes: [UInt8]
    private var position: Int
    /// The line the next record starts on (1-based).
    private(set) var line = 1

    /// `bytes` must be valid UTF-8 (the reader checks before splitting).
    init(_ bytes: [UInt8], from start: Int) {
        self.bytes = bytes
        self.position = start
    }

    /// Why a record could not be split: a quoted field that never closes.
    struct Unclosed: Error { let line: Int }

    /// Replaces `fields` with the next non-blank record's fields, each without surrounding white space,
    /// returning the line it starts on; nil at the end of the file.
    mutating func next(into fields: inout [String]) throws(Unclosed) -> Int? {
        while position < bytes.count {
            let start = position
            let first = line
            var quoted = false
            var inQuotes = false
            var end = start
            // Find the record's end: the first line break outside quotes.
            while end < bytes.count {
                let byte = bytes[end]
                if byte == quote {
                    quoted = true
                    inQuotes.toggle()
                } else if byte == lf || byte == cr {
                    if !inQuotes { break }
                    if byte == lf || end + 1 == bytes.count || bytes[end + 1] != lf { line += 1 }
                }
                end += 1
            }
            guard !inQuotes else { throw Unclosed(line: first) }
            // Step over the line break (CRLF counts once).
            position = end
            if position < bytes.count {
                position += bytes[position] == cr && position + 1 < bytes.count && bytes[position + 1] == lf ? 2 : 1
                line += 1
            }
            if bytes[start..<end].allSatisfy({ $0 == space || $0 == tab }) { continue }
            fields.removeAll(keepingCapacity: true)
            if quoted {
                split(quoted: start..<end, into: &fields)
            } else {
                var fieldStart = start
                for index in start..<end where bytes[index] == comma {
                    fields.append(field(fieldStart..<index))
                    fieldStart = index + 1
                }
                fields.append(field(fieldStart..<end))
            }
            return first
        }
        return nil
    }

    /// A field's text without surrounding spaces; short numbers fit in a String's inline storage,
    /// so this allocates nothing for them.
    private func field(_ range: Range<Int>) -> String {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, bytes[lower] == space || bytes[lower] == tab { lower += 1 }
        while upper > lower, bytes[upper - 1] == space || bytes[upper - 1] == tab { upper -= 1 }
        return String(decoding: bytes[lower..<upper], as: UTF8.self)
    }

    private func split(quoted range: Range<Int>, into fields: inout [String]) {
        let text = String(decoding: bytes[range], as: UTF8.self)
        // CSV.swift only throws while reading a header row, which is not asked for here.
        guard let reader = try? CSVReader(string: text, hasHeaderRow: false, trimFields: false) else { return }
        // The range holds exactly one record (its line breaks are all inside quotes).
        for cell in reader.next() ?? [] {
            fields.append(Self.trimmed(cell))
        }
    }

    /// The cell without surrounding white space or line breaks (which a quoted cell may hold).
    private static func trimmed(_ cell: String) -> String {
        let scalars = cell.unicodeScalars
        guard let first = scalars.first, let last = scalars.last, isSpace(first) || isSpace(last) else { return cell }
        let start = scalars.firstIndex { !isSpace($0) } ?? scalars.endIndex
        let end = scalars.lastIndex { !isSpace($0) }.map(scalars.index(after:)) ?? start
        return String(scalars[start..<end])
    }

    /// ASCII white space answered without a Unicode property lookup.
    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? scalar == " " || (scalar.value >= 0x09 && scalar.value <= 0x0D) : scalar.properties.isWhitespace
    }

    private let quote = UInt8(ascii: "\"")
    private let comma = UInt8(ascii: ",")
    private let lf = UInt8(ascii: "\n")
    private let cr = UInt8(ascii: "\r")
    private let space = UInt8(ascii: " ")
    private let tab = UInt8(ascii: "\t")
}
