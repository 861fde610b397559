/// What an argument accepts. Drives type checking, range checking, the shorthand's word binding
/// and the "type" and "allowed" columns of Grammar.md's reference tables.
public indirect enum ArgumentType: Sendable {
    /// An integer in `min...max`.
    case int(min: Int, max: Int)
    /// A finite number in an interval.
    case float(FloatInterval)
    case bool
    /// One of a fixed set of names (padding, merge_mode, initializers, ...).
    case choice([String])
    /// An activation name; `null` means linear, as in Keras.
    case activation
    /// A Keras initializer name (`glorot_uniform`, `orthogonal`, ...).
    case initializer
    /// Free text checked by `TextRule`.
    case text(TextRule)
    /// An integer or a one-element list, as Keras's 1-D `kernel_size`/`strides` accept.
    case intOrSingleton(min: Int)
    /// An integer in `min...max` or one of a fixed set of names (TensorBoard's `update_freq`: epoch, batch or N).
    case intOrChoice(min: Int, max: Int, [String])
    /// A shape: a list of positive sizes, `-1` allowed once when `allowsInferred`, `null` when `allowsUnknown`.
    case shape(allowsInferred: Bool, allowsUnknown: Bool)
    /// An axis or a list of axes, counted as Keras counts them (0 is the batch axis, -1 the last).
    case axes
    /// One axis, or a pair of axes (one per input), as Dot's `axes`.
    case axisOrPair
    /// The inner type, or `null`.
    case optional(ArgumentType)
    /// A value with a structure of its own (an optimizer, a list of callbacks), checked by its section.
    case structured(String)
    /// A non-empty list of finite numbers in an interval (PiecewiseConstantDecay's values).
    case numbers(FloatInterval)
    /// A learning-rate schedule `{ExponentialDecay: {...}}` from `scheduleCatalog`, or, when `number`
    /// is given, also a plain number in it (an optimizer's `learning_rate`, as Keras takes either).
    case schedule(number: FloatInterval?)

    /// The type column of the reference table.
    public var name: String {
        switch self {
        case .int: "int"
        case .float: "float"
        case .bool: "bool"
        case .choice: "string"
        case .activation: "activation"
        case .initializer: "initializer"
        case .text: "string"
        case .intOrSingleton: "int"
        case .intOrChoice: "string or int"
        case .shape: "shape"
        case .axes: "int or list of int"
        case .axisOrPair: "int or [int, int]"
        case .optional(let inner): inner.name + " or null"
        case .structured(let name): name
        case .numbers: "list of float"
        case .schedule(let number): number == nil ? "schedule" : "float or schedule"
        }
    }

    /// The allowed-values column of the reference table.
    public var allowed: String {
        switch self {
        case .int(let min, let max):
            max >= Int(Int32.max) ? "≥ \(min)" : "\(min) … \(max)"
        case .float(let interval): interval.description
        case .bool: "true, false"
        case .choice(let names): names.joined(separator: ", ")
        case .activation: "see Activations"
        case .initializer: "see Initializers"
        case .text(let rule): rule.description
        case .intOrSingleton(let min): "≥ \(min), or a list of one"
        case .intOrChoice(let min, let max, let names):
            names.joined(separator: ", ") + ", or an int " + ArgumentType.int(min: min, max: max).allowed
        case .shape(let inferred, let unknown):
            "sizes ≥ 1" + (inferred ? ", one -1" : "") + (unknown ? ", null" : "")
        case .axes: "-rank … rank-1, not 0"
        case .axisOrPair: "-rank … rank-1, not 0"
        case .optional(let inner): inner.allowed
        case .structured: "see below"
        case .numbers(let interval): "each " + interval.description
        case .schedule(let number): (number.map { $0.description + ", or " } ?? "") + "see Learning-rate schedules"
        }
    }
}

/// An interval of numbers with open or closed ends, e.g. `[0, 1)`.
public struct FloatInterval: Sendable, CustomStringConvertible {
    public var lower: Double
    public var upper: Double
    public var lowerClosed: Bool
    public var upperClosed: Bool

    public init(_ lower: Double, _ upper: Double, lowerClosed: Bool = true, upperClosed: Bool = true) {
        self.lower = lower
        self.upper = upper
        self.lowerClosed = lowerClosed
        self.upperClosed = upperClosed
    }

    /// Any number `> lower` (or `≥ lower` when closed).
    public static func above(_ lower: Double, closed: Bool) -> FloatInterval {
        FloatInterval(lower, .infinity, lowerClosed: closed, upperClosed: false)
    }

    public func contains(_ value: Double) -> Bool {
        (lowerClosed ? value >= lower : value > lower) && (upperClosed ? value <= upper : value < upper)
    }

    public var description: String {
        if upper == .infinity {
            return (lowerClosed ? "≥ " : "> ") + formatNumber(lower)
        }
        return (lowerClosed ? "[" : "(") + formatNumber(lower) + ", " + formatNumber(upper) + (upperClosed ? "]" : ")")
    }

    /// "at least 0", "between 0 and 1", ... for error messages.
    public var phrase: String {
        if upper == .infinity {
            return (lowerClosed ? "at least " : "greater than ") + formatNumber(lower)
        }
        let low = lowerClosed ? "" : " (exclusive)"
        let high = upperClosed ? "" : " (exclusive)"
        return "between \(formatNumber(lower))\(low) and \(formatNumber(upper))\(high)"
    }
}

/// Rules for free-text arguments.
public enum TextRule: Sendable, CustomStringConvertible {
    /// A Keras/TensorFlow layer name: `^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$`.
    case layerName
    /// Any non-empty text.
    case nonEmpty

    public var description: String {
        switch self {
        case .layerName: "letters, digits, . _ - / >; not starting with _ - / >"
        case .nonEmpty: "non-empty"
        }
    }

    /// Nil when `text` is acceptable, else what is wrong with it.
    func problem(with text: String) -> String? {
        switch self {
        case .nonEmpty:
            return text.isEmpty ? "must not be empty" : nil
        case .layerName:
            guard let first = text.unicodeScalars.first else { return "must not be empty" }
            func isAlphanumeric(_ s: Unicode.Scalar) -> Bool {
                s.isASCII && (("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s))
            }
            guard isAlphanumeric(first) || first == "." else {
                return "must start with a letter, a digit or '.' (TensorFlow's rule for layer names)"
            }
            if let bad = text.unicodeScalars.first(where: { !(isAlphanumeric($0) || "_.\\/>-".unicodeScalars.contains($0)) }) {
                return "cannot contain '\(bad)'; TensorFlow allows letters, digits and . _ - / > in layer names"
            }
            return nil
        }
    }
}

/// A checked argument value, as layers, optimizers and callbacks read it.
public enum ArgumentValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case int(Int)
    case float(Double)
    case bool(Bool)
    case string(String)
    /// Shapes, axes and tuples; `nil` marks an unknown size.
    case ints([Int?])
    /// A list of numbers.
    case floats([Double])

    public var description: String {
        switch self {
        case .null: "null"
        case .int(let value): String(value)
        case .float(let value): formatNumber(value)
        case .bool(let value): value ? "true" : "false"
        case .string(let value): value
        case .ints(let values): "(" + values.map { $0.map(String.init) ?? "None" }.joined(separator: ", ") + ")"
        case .floats(let values): "[" + values.map(formatNumber).joined(separator: ", ") + "]"
        }
    }
}

/// One argument a layer (or optimizer, loss, callback) accepts, declared once.
public struct ArgumentDecl: Sendable {
    public let name: String
    public let type: ArgumentType
    /// Keras's default; nil when the argument is required.
    public let defaultValue: ArgumentValue?
    public let doc: String

    public init(_ name: String, _ type: ArgumentType, default defaultValue: ArgumentValue?, _ doc: String) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.doc = doc
    }

    public var isRequired: Bool { defaultValue == nil }

    /// The default column of the reference table.
    public var defaultDescription: String {
        guard let defaultValue else { return "required" }
        switch defaultValue {
        case .string(let text): return text
        case .ints(let values): return "(" + values.map { $0.map(String.init) ?? "null" }.joined(separator: ", ") + ")"
        default: return defaultValue.description
        }
    }
}

/// Checked arguments with every default filled in, plus where each explicit one was written.
public struct ResolvedArguments: Sendable {
    public private(set) var values: [String: ArgumentValue]
    public private(set) var ranges: [String: SourceRange]

    public init(values: [String: ArgumentValue] = [:], ranges: [String: SourceRange] = [:]) {
        self.values = values
        self.ranges = ranges
    }

    public subscript(name: String) -> ArgumentValue? { values[name] }

    mutating func set(_ name: String, _ value: ArgumentValue, at range: SourceRange?) {
        values[name] = value
        if let range { ranges[name] = range }
    }

    /// True when the spec wrote this argument rather than taking the default.
    public func isExplicit(_ name: String) -> Bool { ranges[name] != nil }

    public func int(_ name: String) -> Int {
        if case .int(let value) = values[name] { return value }
        preconditionFailure("argument \(name) is not a resolved int")
    }

    public func optionalInt(_ name: String) -> Int? {
        switch values[name] {
        case .int(let value): value
        case .ints(let values) where values.count == 1: values[0]
        default: nil
        }
    }

    public func float(_ name: String) -> Double {
        switch values[name] {
        case .float(let value): return value
        case .int(let value): return Double(value)
        default: preconditionFailure("argument \(name) is not a resolved number")
        }
    }

    public func optionalFloat(_ name: String) -> Double? {
        switch values[name] {
        case .float(let value): value
        case .int(let value): Double(value)
        default: nil
        }
    }

    public func bool(_ name: String) -> Bool {
        if case .bool(let value) = values[name] { return value }
        preconditionFailure("argument \(name) is not a resolved bool")
    }

    public func string(_ name: String) -> String {
        if case .string(let value) = values[name] { return value }
        preconditionFailure("argument \(name) is not a resolved string")
    }

    public func optionalString(_ name: String) -> String? {
        if case .string(let value) = values[name] { return value }
        return nil
    }

    public func ints(_ name: String) -> [Int?] {
        switch values[name] {
        case .ints(let values): return values
        case .int(let value): return [value]
        default: preconditionFailure("argument \(name) is not a resolved list")
        }
    }

    public func floats(_ name: String) -> [Double] {
        switch values[name] {
        case .floats(let values): return values
        case .float(let value): return [value]
        case .int(let value): return [Double(value)]
        default: preconditionFailure("argument \(name) is not a resolved list of numbers")
        }
    }

    public func activation(_ name: String) -> Activation {
        Activation(rawValue: string(name)) ?? .linear
    }
}
