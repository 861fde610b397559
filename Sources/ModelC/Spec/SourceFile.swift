/// A position in a spec file. Lines and columns count from 1; columns count Unicode scalars,
/// as libyaml does, so a caret lands under the right character even after non-ASCII text.
public struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }

    /// The location `count` scalars further on the same line.
    public func advanced(by count: Int) -> SourceLocation {
        SourceLocation(line: line, column: column + count)
    }

    public var description: String { "\(line):\(column)" }
}

/// A half-open span `[start, end)` of a spec file. Diagnostics underline it.
public struct SourceRange: Hashable, Sendable {
    public var start: SourceLocation
    public var end: SourceLocation

    public init(start: SourceLocation, end: SourceLocation) {
        self.start = start
        self.end = max(start, end)
    }

    public init(at location: SourceLocation, length: Int = 1) {
        self.init(start: location, end: location.advanced(by: max(length, 1)))
    }

    /// The span that covers both ranges.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(start: min(start, other.start), end: max(end, other.end))
    }
}

/// A value together with where it was written.
public struct Located<Value> {
    public var value: Value
    public var range: SourceRange

    public init(_ value: Value, _ range: SourceRange) {
        self.value = value
        self.range = range
    }
}

extension Located: Sendable where Value: Sendable {}
extension Located: Equatable where Value: Equatable {}

/// The text of one spec file, kept for quoting source lines under diagnostics.
public struct SourceFile: Sendable {
    /// The path as the user wrote it; diagnostics print it unchanged.
    public let path: String
    /// The file's bytes. Validated as UTF-8 by the YAML reader before parsing.
    public let bytes: [UInt8]
    /// Line starts, with breaks counted as libyaml counts them.
    let lines: LineIndex

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        lines = LineIndex(bytes)
    }

    public init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    /// Line `number` (1-based) without its line break, decoded leniently so that
    /// a diagnostic about bad bytes can still quote the line.
    public func line(_ number: Int) -> String? {
        lines.byteRange(ofLine: number, in: bytes).map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    /// The location of byte `offset`, counting columns in scalars (continuation bytes do not count),
    /// as libyaml's marks do.
    public func location(ofByte offset: Int) -> SourceLocation {
        let limit = min(max(offset, 0), bytes.count)
        let line = lines.line(ofByte: limit)
        var column = 1
        for index in lines.start(ofLine: line)..<max(limit, lines.start(ofLine: line)) where bytes[index] & 0xC0 != 0x80 {
            column += 1
        }
        return SourceLocation(line: line, column: column)
    }

    /// The byte offset of a location (the inverse of `location(ofByte:)`), clamped to its line's end;
    /// nil for a line past the end of the file.
    public func byteOffset(of location: SourceLocation) -> Int? {
        guard let range = lines.byteRange(ofLine: location.line, in: bytes) else { return nil }
        var index = range.lowerBound
        var column = 1
        while index < range.upperBound, column < location.column {
            index += 1
            while index < range.upperBound, bytes[index] & 0xC0 == 0x80 { index += 1 }
            column += 1
        }
        return index
    }
}
