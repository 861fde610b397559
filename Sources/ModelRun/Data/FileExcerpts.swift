import ModelC

/// What of a data file's contents a message may show. A data path can name any file the user can
/// read (`../../../../etc/passwd`), and its error ends up in logs and CI output, so messages show at
/// most a short excerpt, escaped (`Excerpt`), of text that really is data: a cell, a label, a column
/// name of a row that looks like a CSV header, a member or tensor name.
enum FileExcerpts {
    /// One name or value read from a file: escaped, at most `limit` characters.
    static func name(_ text: some StringProtocol, limit: Int = 40) -> String {
        Excerpt.of(text, limit: limit)
    }

    /// Names read from a file, joined with ", ": each escaped, the whole at most `limit` characters,
    /// with "… (N in all)" when some were left out.
    static func list(_ names: [String], limit: Int = 80) -> String {
        var shown = ""
        for (index, written) in names.enumerated() {
            let piece = (index == 0 ? "" : ", ") + name(written.isEmpty ? "(unnamed)" : written, limit: 32)
            // Room must stay for the tail whenever more names follow.
            let tail = index == names.count - 1 ? "" : ", … (\(names.count) in all)"
            if shown.count + piece.count + tail.count > limit {
                return (shown.isEmpty ? "" : shown + ", ") + "… (\(names.count) in all)"
            }
            shown += piece
        }
        return shown
    }

    /// Whether a CSV file's first row reads as column names: every field 1–32 letters, digits,
    /// blanks or `_-.()[]/%#+` with at least one letter (or empty, as pandas writes its index
    /// column), and a lone field without blanks. The first line of a text file that is not a CSV
    /// (a password file, a key, prose) does not, and is then not echoed.
    static func looksLikeHeader(_ fields: [String]) -> Bool {
        guard !fields.isEmpty, fields.contains(where: { !$0.isEmpty }) else { return false }
        if fields.count == 1, fields[0].contains(" ") { return false }
        return fields.allSatisfy { field in
            guard !field.isEmpty else { return true }
            let scalars = field.unicodeScalars
            guard scalars.count <= 32, scalars.contains(where: { $0.properties.isAlphabetic }) else { return false }
            return scalars.allSatisfy { scalar in
                scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || " _-.()[]/%#+".unicodeScalars.contains(scalar)
            }
        }
    }

    /// "its columns are: a, b, c" for a header row, else a clause that says the first row is not one,
    /// without repeating it.
    static func columns(_ header: [String]) -> String {
        guard looksLikeHeader(header) else {
            return "its first row (\(header.count) \(header.count == 1 ? "field" : "fields")) does not look like a header row of column names; check that this is the CSV file meant"
        }
        return "its columns are: " + list(header)
    }
}
