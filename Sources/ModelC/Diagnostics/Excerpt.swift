/// Text from a spec or a data file, made safe and short enough to print inside a message: a message
/// must never carry a terminal escape sequence, a bidirectional override or megabytes of a file.
public enum Excerpt {
    /// `text` with invisible characters escaped (see `escaped`), cut to at most `limit` characters
    /// (escapes included) with "…" marking the cut.
    public static func of(_ text: some StringProtocol, limit: Int = 80) -> String {
        var result = ""
        var length = 0
        let scalars = text.unicodeScalars
        var index = scalars.startIndex
        while index != scalars.endIndex {
            let piece = escape(scalars[index])
            let next = scalars.index(after: index)
            // Keep room for the "…" unless this piece ends the text.
            let room = next == scalars.endIndex ? limit : limit - 1
            if length + piece.count > room {
                return result + "…"
            }
            result += piece
            length += piece.count
            index = next
        }
        return result
    }

    /// `text` with control characters, line and paragraph separators, format characters (bidi
    /// controls, zero-width characters, byte-order marks), private-use and unassigned code points
    /// written as `\t`, `\n`, `\r`, `\xNN` (below U+0100) or `\u{NNNN}`; everything else unchanged.
    public static func escaped(_ text: some StringProtocol) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if isVisible(scalar) {
                result.unicodeScalars.append(scalar)
            } else {
                result += escape(scalar)
            }
        }
        return result
    }

    /// Whether `scalar` prints as itself; answered without a property lookup for ASCII.
    public static func isVisible(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar.value >= 0x20 && scalar.value != 0x7F }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned:
            return false
        default:
            return true
        }
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        guard !isVisible(scalar) else { return String(scalar) }
        switch scalar {
        case "\t": return "\\t"
        case "\n": return "\\n"
        case "\r": return "\\r"
        default:
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return scalar.value < 0x100
                ? "\\x" + (hex.count < 2 ? "0" : "") + hex
                : "\\u{" + hex + "}"
        }
    }
}
