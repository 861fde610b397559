/// Python's `format(value, spec)` for the values a Keras checkpoint name holds: ints (the epoch),
/// floats (logged values) and strings (after `!s` or `!r`), written here from Python's documented
/// rules and checked against Python itself (Tests/Fixtures/python-format.json). Nothing reaches a C
/// format string. Types Python would accept but a file name has no use for (`c`, the locale's `n`)
/// are refused with a reason.
public enum PythonFormat {
    // MARK: ints

    public static func format(_ value: Int, _ spec: FormatSpec) throws(FormatProblem) -> String {
        let type = spec.type.map(Character.init)
        let radix: Int, prefix: String
        switch type {
        case "e", "E", "f", "F", "g", "G", "%":
            // Python formats an int with a float type as float(value).
            return try format(Double(value), spec)
        case nil, "d": (radix, prefix) = (10, "")
        case "b": (radix, prefix) = (2, "0b")
        case "o": (radix, prefix) = (8, "0o")
        case "x": (radix, prefix) = (16, "0x")
        case "X": (radix, prefix) = (16, "0X")
        case "c":
            throw FormatProblem("type 'c' writes the character whose code is the value, which has no place in a file name; use 'd'")
        case "n":
            throw FormatProblem(localeProblem("d"))
        default:
            throw unknownType(spec.type!, "an int", python: "int")
        }
        if spec.precision != nil {
            throw FormatProblem("an int takes no precision (Python: Precision not allowed in integer format specifier); drop the '.\(spec.precision!)' or use a float type such as '.2f'")
        }
        if spec.coercesNegativeZero {
            throw FormatProblem("'z' applies to floats only; Python refuses it for an int")
        }
        let digits = String(value.magnitude, radix: radix, uppercase: type == "X")
        return layOut(sign: sign(negative: value < 0, spec), prefix: spec.alternate ? prefix : "", integer: digits, remainder: "",
                      spec: spec, groupSize: radix == 10 ? 3 : 4)
    }

    // MARK: floats

    public static func format(_ value: Double, _ spec: FormatSpec) throws(FormatProblem) -> String {
        let type = spec.type.map(Character.init)
        switch type {
        case nil, "e", "E", "f", "F", "g", "G", "%": break
        case "n": throw FormatProblem(localeProblem("g"))
        default: throw unknownType(spec.type!, "a float", python: "float")
        }
        var value = value
        var suffix = ""
        if type == "%" {
            // Python multiplies in double arithmetic, then formats as 'f'.
            value *= 100
            suffix = "%"
        }
        var negative = value.sign == .minus && !value.isNaN
        var body: String
        if value.isNaN {
            body = "nan"
        } else if value.isInfinite {
            body = "inf"
        } else {
            let (text, zero) = finite(abs(value), type: type, spec: spec)
            body = text
            if zero, spec.coercesNegativeZero { negative = false }
        }
        if let type, type.isUppercase { body = body.uppercased() }
        // The leading decimal digits are the integer part (none for nan and inf).
        let integer = body.prefix { ("0"..."9").contains($0) }
        return layOut(sign: sign(negative: negative, spec), prefix: "", integer: String(integer),
                      remainder: String(body.dropFirst(integer.count)) + suffix, spec: spec, groupSize: 3)
    }

    /// Python's `repr`/`str` of a float: shortest round-trip digits, exponent form below 1e-4 and
    /// from 1e16 on.
    public static func repr(_ value: Double) -> String {
        (try? format(value, FormatSpec())) ?? "\(value)"
    }

    /// The digits of a finite nonnegative value for `type`, and whether they are all zero.
    static func finite(_ value: Double, type: Character?, spec: FormatSpec) -> (String, Bool) {
        let exact = value == 0 ? DecimalDigits.zero : DecimalDigits(exactly: value)
        let alternate = spec.alternate
        let exponentLetter = "e"
        switch type {
        case "f", "F", "%":
            let precision = spec.precision ?? 6
            let digits = exact.rounded(keeping: exact.point + precision)
            return (render(digits, exponent: false, end: digits.point + precision, dotZero: false, alternate: alternate, letter: exponentLetter),
                    digits.isZero)
        case "e", "E":
            let precision = spec.precision ?? 6
            let digits = exact.rounded(keeping: precision + 1)
            return (render(digits, exponent: true, end: precision + 1, dotZero: false, alternate: alternate, letter: exponentLetter),
                    digits.isZero)
        case "g", "G":
            let precision = max(spec.precision ?? 6, 1)
            let digits = exact.rounded(keeping: precision)
            let exponent = digits.point <= -4 || digits.point > precision
            return (render(digits, exponent: exponent, end: alternate ? precision : digits.digits.count, dotZero: false,
                           alternate: alternate, letter: exponentLetter), digits.isZero)
        default:
            if let written = spec.precision {
                // Like 'g', but a fixed-point result keeps a digit after the point.
                let precision = max(written, 1)
                let digits = exact.rounded(keeping: precision)
                let exponent = digits.point <= -4 || digits.point > precision - 1
                return (render(digits, exponent: exponent, end: alternate ? precision : digits.digits.count, dotZero: true,
                               alternate: alternate, letter: exponentLetter), digits.isZero)
            }
            let digits = value == 0 ? DecimalDigits.zero : DecimalDigits.shortest(value)
            let exponent = digits.point <= -4 || digits.point > 16
            return (render(digits, exponent: exponent, end: digits.digits.count, dotZero: true, alternate: alternate, letter: exponentLetter),
                    digits.isZero)
        }
    }

    /// Writes digits with the point, padding with zeros up to position `end` (counted in digits
    /// from the first significant one, after moving the point for an exponent); `dotZero` keeps at
    /// least one digit after the point in fixed notation; without `alternate` a point with nothing
    /// after it is dropped.
    static func render(_ value: DecimalDigits, exponent useExponent: Bool, end written: Int, dotZero: Bool, alternate: Bool,
                       letter: String) -> String {
        var point = value.point
        var exponent = 0
        if useExponent {
            exponent = point - 1
            point = 1
        }
        let start = point <= 0 ? point - 1 : 0
        let end = max(written, !useExponent && dotZero ? point + 1 : point)
        var text = ""
        for position in start..<end {
            if position == point { text += "." }
            text.append(position >= 0 && position < value.digits.count ? Character(String(value.digits[position])) : "0")
        }
        if end == point { text += "." }
        if text.hasSuffix("."), !alternate { text.removeLast() }
        if useExponent {
            let magnitude = String(exponent.magnitude)
            text += letter + (exponent < 0 ? "-" : "+") + (magnitude.count < 2 ? "0" : "") + magnitude
        }
        return text
    }

    // MARK: strings

    /// A string (an epoch or value after `!s`, `!r` or `!a`) under a string format spec.
    public static func format(string: String, _ spec: FormatSpec) throws(FormatProblem) -> String {
        let type = spec.type.map(Character.init)
        guard type == nil || type == "s" else { throw unknownType(spec.type!, "a string (after !s or !r)", python: "str") }
        if spec.sign != nil { throw FormatProblem("a string takes no sign (Python: Sign not allowed in string format specifier)") }
        if spec.alternate { throw FormatProblem("a string takes no '#' (Python: Alternate form (#) not allowed in string format specifier)") }
        if spec.align == "=" { throw FormatProblem("a string cannot be aligned with '=' (Python: '=' alignment not allowed in string format specifier); use '<', '>' or '^'") }
        if spec.coercesNegativeZero { throw FormatProblem("'z' applies to floats only; Python refuses it for a string") }
        if let grouping = spec.grouping { throw FormatProblem("a string has no digit groups for '\(grouping)'") }
        var scalars = Array(string.unicodeScalars)
        if let precision = spec.precision, scalars.count > precision { scalars.removeLast(scalars.count - precision) }
        let fill = spec.fill ?? (spec.zeroPadding ? "0" : " ")
        return pad(scalars, fill: fill, align: spec.align ?? "<", width: spec.width ?? 0)
    }

    // MARK: layout

    static func sign(negative: Bool, _ spec: FormatSpec) -> String {
        if negative { return "-" }
        switch spec.sign {
        case "+": return "+"
        case " ": return " "
        default: return ""
        }
    }

    /// Sign, prefix, integer digits and the rest (point, fraction, exponent, %) padded as Python pads numbers: right-aligned by default; `0` or a
    /// `0` fill with `=` zero-pads between the sign and the digits, grouping the zeros too.
    static func layOut(sign: String, prefix: String, integer digits: String, remainder text: String, spec: FormatSpec,
                       groupSize: Int) -> String {
        let integer = Array(digits.unicodeScalars)[...], remainder = Array(text.unicodeScalars)
        let fill = spec.fill ?? (spec.zeroPadding ? "0" : " ")
        let align = spec.align ?? (spec.zeroPadding ? "=" : ">")
        let width = spec.width ?? 0
        let lead = Array(sign.unicodeScalars) + Array(prefix.unicodeScalars)
        let minimum = fill == "0" && align == "=" ? width - lead.count - remainder.count : 0
        let grouped = integer.isEmpty ? [] : group(integer, separator: spec.grouping, size: groupSize, minimum: minimum)
        if align == "=" {
            let padding = max(0, width - lead.count - grouped.count - remainder.count)
            return String(String.UnicodeScalarView(lead + Array(repeating: fill, count: padding) + grouped + remainder))
        }
        return pad(lead + grouped + remainder, fill: fill, align: align, width: width)
    }

    static func pad(_ scalars: [Unicode.Scalar], fill: Unicode.Scalar, align: Unicode.Scalar, width: Int) -> String {
        let padding = max(0, width - scalars.count)
        let left: Int
        switch align {
        case "<": left = 0
        case "^": left = padding / 2
        default: left = padding
        }
        let result = Array(repeating: fill, count: left) + scalars + Array(repeating: fill, count: padding - left)
        return String(String.UnicodeScalarView(result))
    }

    /// Integer digits with a separator every `size` digits from the right, zero-padded (zeros
    /// grouped too) to at least `minimum` characters, as Python groups them.
    static func group(_ digits: ArraySlice<Unicode.Scalar>, separator: Unicode.Scalar?, size: Int, minimum: Int) -> [Unicode.Scalar] {
        guard let separator else { return Array(repeating: "0", count: max(0, minimum - digits.count)) + digits }
        var groups: [[Unicode.Scalar]] = []
        var end = digits.endIndex
        var remaining = digits.count
        var minimum = minimum
        while true {
            let length = min(max(remaining, minimum, 1), size)
            let taken = min(remaining, length)
            groups.append(Array(repeating: "0", count: length - taken) + digits[(end - taken)..<end])
            end -= taken
            remaining -= taken
            minimum -= length
            if remaining <= 0, minimum <= 0 { break }
            minimum -= 1
        }
        return Array(groups.reversed().joined(separator: [separator]))
    }

    static func unknownType(_ type: Unicode.Scalar, _ what: String, python: String) -> FormatProblem {
        FormatProblem("Python has no format type '\(type)' for \(what) (Unknown format code '\(type)' for object of type '\(python)')")
    }

    static func localeProblem(_ instead: String) -> String {
        "type 'n' follows the locale Keras happens to run in; use '\(instead)'"
    }
}
