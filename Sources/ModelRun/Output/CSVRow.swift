/// One CSV row as Python's csv writer (QUOTE_MINIMAL) and RFC 4180 write it: a field holding the
/// separator, a quote or a line break is quoted, its quotes doubled.
enum CSVRow {
    static func joined(_ fields: [String], separator: String = ",") -> String {
        fields.map { field in
            guard field.contains(separator) || field.contains("\"") || field.contains("\n") || field.contains("\r") else { return field }
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: separator)
    }
}
