/// Why Python's `format` (or modelc's bounds on it) refuses a format spec for a value.
public struct FormatProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// One parsed format spec of Python's mini-language,
/// `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`, as `format(value, spec)`
/// reads it. Characters are Unicode scalars, as Python counts them.
public struct FormatSpec: Equatable, Sendable {
    /// The padding character, when one is written before an alignment.
    public var fill: Unicode.Scalar?
    /// `<`, `>`, `^` or `=`, when written.
    public var align: Unicode.Scalar?
    /// `+`, `-` or ` `, when written.
    public var sign: Unicode.Scalar?
    /// `z`: negative zero (after rounding) prints as zero.
    public var coercesNegativeZero = false
    /// `#`: alternate form (0x prefixes, a kept decimal point).
    public var alternate = false
    /// `0` before the width (with no fill written): pad with zeros after the sign.
    public var zeroPadding = false
    public var width: Int?
    /// `,` or `_` between groups of integer digits.
    public var grouping: Unicode.Scalar?
    public var precision: Int?
    /// The presentation type (`d`, `x`, `f`, `e`, `g`, `%`, ...), nil when none is written.
    public var type: Unicode.Scalar?

    /// The largest width and precision modelc formats: a file name has no use for more, and a
    /// spec like `{epoch:100000000d}` would otherwise cost seconds and gigabytes.
    public static let largestSize = 64

    public init() {}

    /// Parses `text` as Python does before looking at the value; refuses what Python refuses at
    /// this stage, and widths or precisions above `largestSize`.
    public static func parse(_ text: String) throws(FormatProblem) -> FormatSpec {
        let scalars = Array(text.unicodeScalars)
        var spec = FormatSpec()
        var index = 0
        func isAlign(_ scalar: Unicode.Scalar) -> Bool { "<>=^".unicodeScalars.contains(scalar) }
        if scalars.count >= 2, isAlign(scalars[1]) {
            spec.fill = scalars[0]
            spec.align = scalars[1]
            index = 2
        } else if let first = scalars.first, isAlign(first) {
            spec.align = first
            index = 1
        }
        func next(_ scalar: Unicode.Scalar) -> Bool {
            guard index < scalars.count, scalars[index] == scalar else { return false }
            index += 1
            return true
        }
        if index < scalars.count, "+- ".unicodeScalars.contains(scalars[index]) {
            spec.sign = scalars[index]
            index += 1
        }
        spec.coercesNegativeZero = next("z")
        spec.alternate = next("#")
        if spec.fill == nil { spec.zeroPadding = next("0") }
        spec.width = try integer(scalars, &index, what: "width")
        if next(",") { spec.grouping = "," }
        if next("_") {
            if spec.grouping != nil { throw FormatProblem("both ',' and '_' separate digit groups; keep one") }
            spec.grouping = "_"
        }
        if index < scalars.count, scalars[index] == ",", spec.grouping == "_" {
            throw FormatProblem("both ',' and '_' separate digit groups; keep one")
        }
        if next(".") {
            guard let precision = try integer(scalars, &index, what: "precision") else {
                throw FormatProblem("'.' needs a precision after it, as in '.2f'")
            }
            spec.precision = precision
        }
        if scalars.count - index > 1 {
            throw FormatProblem("'\(text)' is not a format spec Python reads: after the sizes only one type letter may follow (as in '04d' or '.3f')")
        }
        if index < scalars.count { spec.type = scalars[index] }
        if let grouping = spec.grouping {
            let type = spec.type.map { Character($0) }
            let allowed: Bool
            switch type {
            case nil, "d", "e", "f", "g", "E", "G", "%", "F": allowed = true
            // Binary, octal and hex digits group by four, with '_' only.
            case "b", "o", "x", "X": allowed = grouping == "_"
            default: allowed = false
            }
            if !allowed {
                let hint = "bodx".contains(type?.lowercased() ?? "-") ? "; '_' groups them by four" : "; leave the grouping out"
                throw FormatProblem("Python cannot group digits with '\(grouping)' for type '\(type.map(String.init) ?? "")'" + hint)
            }
        }
        return spec
    }

    /// Decimal digits at `index` (nil when there are none), bounded by `largestSize`.
    static func integer(_ scalars: [Unicode.Scalar], _ index: inout Int, what: String) throws(FormatProblem) -> Int? {
        var value: Int?
        while index < scalars.count, let digit = scalars[index].properties.numericType == .decimal
                ? scalars[index].properties.numericValue : nil {
            value = (value ?? 0) * 10 + Int(digit)
            index += 1
            if let value, value > largestSize {
                throw FormatProblem("a \(what) above \(largestSize) makes no sense in a file name; modelc formats at most \(largestSize)")
            }
        }
        return value
    }
}
