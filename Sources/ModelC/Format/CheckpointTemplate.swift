/// A ModelCheckpoint `filepath` read as Python's `str.format` reads it, since Keras names each
/// checkpoint `filepath.format(epoch=epoch + 1, **logs)`: literal text (`{{` and `}}` are literal
/// braces) and fields `{name}`, `{name:spec}`, `{name!s:spec}`. `epoch` is an int, every logged
/// value a float. `check` validates with the same code that names the files at run time.
///
/// modelc refuses some forms Python accepts, each with a reason: attribute and index access
/// (`{epoch.real}`, `{loss[0]}`), nested fields in a spec (`{epoch:{w}}`), widths and precisions
/// above `FormatSpec.largestSize`, the types `c` and `n`, and fills that would put `/` or control
/// characters into the name.
public struct CheckpointTemplate: Sendable {
    public struct Field: Sendable, Equatable {
        /// What stands before `!` or `:`.
        public var name: String
        /// `s`, `r` or `a` after `!`, as written (checked by `problem`).
        public var conversion: Unicode.Scalar?
        /// The text after `:`.
        public var spec: String
        /// Whether the spec holds a `{` (a nested field).
        public var nested: Bool
        /// The field as written, braces included: `{val_loss:.2f}`.
        public var written: String
    }

    public enum Piece: Sendable, Equatable {
        case text(String)
        case field(Field)
    }

    public let pieces: [Piece]

    public var fields: [Field] {
        pieces.compactMap { if case .field(let field) = $0 { field } else { nil } }
    }

    /// The example values `check` formats with: any value has the same type problems.
    static let sampleEpoch = 1
    static let sampleValue = 0.5

    // MARK: parsing

    /// Splits `template` into text and fields; refuses unbalanced braces and broken conversions
    /// (Python's ValueErrors at this stage).
    public static func parse(_ template: String) throws(FormatProblem) -> CheckpointTemplate {
        let scalars = Array(template.unicodeScalars)
        var pieces: [Piece] = []
        var text = String.UnicodeScalarView()
        var index = 0
        func flush() {
            if !text.isEmpty { pieces.append(.text(String(text))) }
            text = String.UnicodeScalarView()
        }
        while index < scalars.count {
            let scalar = scalars[index]
            let doubled = index + 1 < scalars.count && scalars[index + 1] == scalar
            switch scalar {
            case "{" where doubled, "}" where doubled:
                text.append(scalar)
                index += 2
            case "}":
                throw FormatProblem("a '}' closes no field; write '}}' for a literal brace")
            case "{":
                flush()
                let (field, end) = try parseField(scalars, from: index)
                pieces.append(.field(field))
                index = end
            default:
                text.append(scalar)
                index += 1
            }
        }
        flush()
        return CheckpointTemplate(pieces: pieces)
    }

    /// The field opening at `start` (a `{`) and the index after its closing `}`.
    static func parseField(_ scalars: [Unicode.Scalar], from start: Int) throws(FormatProblem) -> (Field, Int) {
        let unclosed = FormatProblem("a '{' opens a field that is never closed; close it with '}', or write '{{' for a literal brace")
        var index = start + 1
        var name = String.UnicodeScalarView()
        var stop: Unicode.Scalar?
        scan: while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            switch scalar {
            case "{":
                throw FormatProblem("a '{' inside a field name; a field is {epoch} or {name:spec}, and '{{' writes a literal brace")
            case "[":
                // Python reads an index up to its ']' (where ':' and '!' do not end the name).
                name.append(scalar)
                while index < scalars.count, scalars[index] != "]" {
                    name.append(scalars[index])
                    index += 1
                }
            case "}", ":", "!":
                stop = scalar
                break scan
            default:
                name.append(scalar)
            }
        }
        guard let stop else { throw unclosed }
        var field = Field(name: String(name), conversion: nil, spec: "", nested: false, written: "")
        func finish(_ end: Int) -> (Field, Int) {
            field.written = String(String.UnicodeScalarView(scalars[start..<end]))
            return (field, end)
        }
        if stop == "}" { return finish(index) }
        if stop == "!" {
            guard index < scalars.count, scalars[index] != "}" else { throw FormatProblem("'!' needs a conversion after it: !s or !r") }
            field.conversion = scalars[index]
            index += 1
            if index < scalars.count {
                let next = scalars[index]
                index += 1
                if next == "}" { return finish(index) }
                if next != ":" { throw FormatProblem("after the conversion !\(field.conversion!) comes '}', or ':' and a format spec") }
            }
        }
        var spec = String.UnicodeScalarView()
        var depth = 1
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if scalar == "{" {
                field.nested = true
                depth += 1
            } else if scalar == "}" {
                depth -= 1
                if depth == 0 {
                    field.spec = String(spec)
                    return finish(index)
                }
            }
            spec.append(scalar)
        }
        throw unclosed
    }

    // MARK: checking

    /// What is wrong with one field given the names logged where the checkpoint runs, or nil.
    /// `available` holds the logged names (without `epoch`, which is always there); nil when they
    /// are unknown (a compile section that did not check), so that any name passes as a float.
    public static func problem(_ field: Field, available: [String]?) -> String? {
        let written = field.written
        if field.name.isEmpty || field.name.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) {
            return "\(written) names no value; Keras fills in only named values: {epoch} or a logged one such as {\(available?.last ?? "loss")}"
        }
        if let cut = field.name.firstIndex(where: { $0 == "." || $0 == "[" }) {
            let base = String(field.name[..<cut])
            return "\(written) reads an attribute or an index of \(base.isEmpty ? "a value" : base); modelc formats only the value itself, as in {\(base.isEmpty ? "epoch" : base)}"
        }
        if let available, field.name != "epoch", !available.contains(field.name) {
            if field.name == "lr" {
                return "\(written): lr is logged only by a ReduceLROnPlateau listed before this ModelCheckpoint in callbacks; add one there, or use {epoch} or one of \(available.joined(separator: ", "))"
            }
            return "\(written) is not logged; use {epoch} or one of \(available.joined(separator: ", "))"
                + Suggestion.phrase(for: field.name, among: ["epoch"] + available)
        }
        if field.nested {
            return "\(written) nests a field inside its format spec; modelc takes only a literal spec such as {epoch:02d}"
        }
        if let conversion = field.conversion, !"sra".unicodeScalars.contains(conversion) {
            return "\(written): !\(conversion) is not a conversion; Python knows !s, !r and !a (or leave it out)"
        }
        let spec: FormatSpec
        do {
            spec = try FormatSpec.parse(field.spec)
        } catch {
            return "\(written): \(error.message)"
        }
        if let fill = spec.fill, fill == "/" || fill.properties.generalCategory == .control {
            return "\(written) pads with \(fill == "/" ? "'/'" : "a control character"), which would end up in the file name; pick another fill such as '0' or '_'"
        }
        do {
            _ = try format(field, spec: spec, epoch: sampleEpoch, value: sampleValue)
        } catch {
            let isEpoch = field.name == "epoch"
            let kind = field.conversion != nil ? "a string after !\(field.conversion!)" : isEpoch ? "an int" : "a float"
            let example = field.conversion != nil ? "{\(field.name)!s:>6}" : isEpoch ? "{epoch:02d}" : "{\(field.name):.4f}"
            return "\(written): \(error.message); \(field.name) is \(kind) here, written for example \(example)"
        }
        return nil
    }

    /// Every problem of the template's fields, in order.
    public func problems(available: [String]?) -> [String] {
        fields.compactMap { Self.problem($0, available: available) }
    }

    // MARK: formatting

    /// The file name for `epoch` (counted from 1, as Keras passes it) and the epoch's logged values.
    public func render(epoch: Int, logs: [String: Double]) throws(FormatProblem) -> String {
        var result = ""
        for piece in pieces {
            switch piece {
            case .text(let text):
                result += text
            case .field(let field):
                if let problem = Self.problem(field, available: Array(logs.keys).sorted()) { throw FormatProblem(problem) }
                // `problem` has made sure the value is there (and the spec parses).
                let value = field.name == "epoch" ? 0 : logs[field.name]!
                result += try Self.format(field, spec: FormatSpec.parse(field.spec), epoch: epoch, value: value)
            }
        }
        return result
    }

    /// One field's text: the epoch as an int, anything else as a float, or either as a string after
    /// a conversion (`str`, `repr` and `ascii` of a number are the same).
    static func format(_ field: Field, spec: FormatSpec, epoch: Int, value: Double) throws(FormatProblem) -> String {
        let isEpoch = field.name == "epoch"
        if field.conversion != nil {
            return try PythonFormat.format(string: isEpoch ? String(epoch) : PythonFormat.repr(value), spec)
        }
        return isEpoch ? try PythonFormat.format(epoch, spec) : try PythonFormat.format(value, spec)
    }

    /// The values a ModelCheckpoint at `position` in `callbacks` (class names, in order) can name
    /// besides epoch: `logged` (what compile and validation log), and `lr` when a ReduceLROnPlateau
    /// runs before it at each epoch's end (it is what adds `lr` to the logs).
    public static func availableNames(logged: [String], callbacks: [String], position: Int) -> [String] {
        let rate = callbacks.prefix(position).contains("ReduceLROnPlateau")
        return logged.filter { $0 != "lr" } + (rate ? ["lr"] : [])
    }

    /// The name `check` shows a template would format to (epoch 1, every value 0.5), for finding
    /// names that leave the run directory only once formatted.
    public func sampleName() -> String? {
        var logs: [String: Double] = [:]
        for field in fields { logs[field.name] = Self.sampleValue }
        return try? render(epoch: Self.sampleEpoch, logs: logs)
    }

    /// Why `path` (a filepath as written, or a name it formatted to) cannot name a file inside the
    /// run directory, or nil.
    public static func pathProblem(_ path: String) -> String? {
        if path.isEmpty { return "is empty" }
        if path.hasPrefix("/") || path.split(separator: "/", omittingEmptySubsequences: false).contains("..") {
            return "must stay inside the run directory; give a relative path without '..'"
        }
        if path.unicodeScalars.contains("\0") { return "holds a NUL character, which no file name can" }
        return nil
    }
}
