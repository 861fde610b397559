/// Where every line of a file starts, with line breaks counted exactly as libyaml's scanner counts
/// them (`IS_BREAK` and `SKIP_LINE` in scanner.c): LF, CR LF (one break), CR alone, NEL (U+0085),
/// LS (U+2028) and PS (U+2029). A UTF-8 byte-order mark at the very start is skipped the way
/// libyaml's reader skips it, so it takes no column. Built in one pass; looking up a line or the
/// line of a byte offset then costs O(1) and O(log lines), so each diagnostic no longer rescans the
/// file from its start.
struct LineIndex: Sendable {
    /// Byte offset of the first byte of each line's text; line 1 is `starts[0]`.
    private let starts: [Int]
    private let byteCount: Int

    init(_ bytes: [UInt8]) {
        var starts = [bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0]
        var index = starts[0]
        let count = bytes.count
        while index < count {
            if let length = Self.breakLength(bytes, at: index) {
                index += length
                starts.append(index)
            } else {
                index += 1
            }
        }
        self.starts = starts
        byteCount = count
    }

    /// The number of lines; a file that ends with a break has an empty last line, as libyaml's
    /// marks see it.
    var count: Int { starts.count }

    /// Bytes `[start, end)` of line `number` (1-based) without its break; nil past the last line.
    func byteRange(ofLine number: Int, in bytes: [UInt8]) -> Range<Int>? {
        guard number >= 1, number <= starts.count else { return nil }
        let start = starts[number - 1]
        guard number < starts.count else { return start..<byteCount }
        let next = starts[number]
        return start..<(next - Self.breakLength(endingAt: next, in: bytes))
    }

    /// The line (1-based) that holds byte `offset`; a break belongs to the line it ends.
    func line(ofByte offset: Int) -> Int {
        // The last start at or before `offset`.
        var low = 0
        var high = starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return low + 1
    }

    /// The start of line `number` (1-based), clamped to the file.
    func start(ofLine number: Int) -> Int {
        starts[min(max(number, 1), starts.count) - 1]
    }

    /// The length of the line break at `index`, or nil when none starts there.
    static func breakLength(_ bytes: [UInt8], at index: Int) -> Int? {
        switch bytes[index] {
        case 0x0A: return 1
        case 0x0D: return index + 1 < bytes.count && bytes[index + 1] == 0x0A ? 2 : 1
        case 0xC2: return index + 1 < bytes.count && bytes[index + 1] == 0x85 ? 2 : nil
        case 0xE2:
            guard index + 2 < bytes.count, bytes[index + 1] == 0x80, bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 else {
                return nil
            }
            return 3
        default: return nil
        }
    }

    /// The length of the break that ends just before `next` (the start of the following line).
    private static func breakLength(endingAt next: Int, in bytes: [UInt8]) -> Int {
        switch bytes[next - 1] {
        case 0x0A: return next >= 2 && bytes[next - 2] == 0x0D ? 2 : 1
        case 0x85: return 2
        case 0xA8, 0xA9: return 3
        default: return 1
        }
    }
}
