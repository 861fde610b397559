/// Regular expressions (ECMA-262, as JSON Schema's `pattern` is read) for shorthand layer strings,
/// built from the layer catalogue as the shorthand parser and the argument binder read them:
///
/// - a string starts with a class name or alias (blanks before it are skipped);
/// - every item is `name=value` with one of the class's argument names (or `inputs`) and a value of
///   that argument's kind (an integer, a number, a boolean, one of its choices, a shape or tuple, ...);
///   or a bare word that is one of its flags (boolean argument names) or a value of one of its word
///   arguments (`relu`, `same`, `sum`); or a bare value (number, `AxB`, tuple, boolean, null), at most
///   as many as the class has positional arguments;
/// - a wrapper's items are followed by the wrapped layer, itself any layer (wrappers nest); other
///   layers take no capitalised word.
///
/// What the patterns do not see: ranges of numbers, which argument a bare value fills (and whether it
/// is given twice), brackets nested inside a tuple.
enum ShorthandPatterns {
    /// What the lexer splits at.
    static let blank = "[ \\t\\n\\r]"
    static let tuple = "[(\\[][^()\\[\\]]*[)\\]]"
    /// One lexer token: a run without blanks or `=`, brackets kept whole.
    static let anyToken = "(?:[^ \\t\\n\\r=()\\[\\]]|" + tuple + ")+"
    static let integer = "(?:[-+]?[0-9]+|0x[0-9a-fA-F]+|0o[0-7]+)"
    static let number = "(?:[-+]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o[0-7]+)"
    static let dimensions = "[0-9]+(?:x[0-9]+)+"
    static let boolean = "(?:true|false|True|False)"
    static let null = "(?:null|None|~)"
    /// A bare value that fills a positional argument.
    static let bareValue = "(?:" + [number, dimensions, boolean, null, tuple].joined(separator: "|") + ")"
    /// An integer or a bracketed tuple of one (`3`, `(3,)`).
    static let singleton = "(?:" + integer + "|[(\\[][ \\t]*" + integer + "[ \\t]*,?[ \\t]*[)\\]])"

    /// The schema of a shorthand string: the class word, then per class the whole string.
    static func schema() -> JSONValue {
        var rules: [JSONValue] = []
        for descriptor in LayerCatalog.all where !descriptor.has(.wrapper) {
            let names = [descriptor.className] + descriptor.aliases
            rules.append(.object([
                ("if", .object([("pattern", .string(classWord(names)))])),
                ("then", .object([
                    ("pattern", .string(whole(descriptor))),
                    ("patternErrorMessage", .string(errorMessage(descriptor))),
                ])),
            ]))
        }
        // The wrappers share one pattern: one or more wrappers, each with its own items, then a layer.
        let wrappers = LayerCatalog.all.filter { $0.has(.wrapper) }
        rules.append(.object([
            ("if", .object([("pattern", .string(classWord(wrappers.flatMap { [$0.className] + $0.aliases })))])),
            ("then", .object([
                ("pattern", .string("^" + blank + "*" + wrapped + blank + "*$")),
                ("patternErrorMessage", .string(wrappers.map(errorMessage).joined(separator: " "))),
            ])),
        ]))
        return .object([
            ("description", .string("The shorthand form: the class name, then arguments as `name=value`, flags, words and bare values (Grammar.md gives the EBNF).")),
            ("type", .string("string")),
            ("pattern", .string(classWord(LayerCatalog.allNames))),
            ("patternErrorMessage", .string("A layer starts with its class name: " + LayerCatalog.allNames.joined(separator: ", "))),
            ("allOf", .array(rules)),
        ])
    }

    /// The string starts with one of `names` as a whole word.
    static func classWord(_ names: [String]) -> String {
        "^" + blank + "*" + alternation(names) + "(?:" + blank + "|$)"
    }

    /// `key=` written as a keyword item anywhere in the string.
    static func keywordPresent(_ key: String) -> String {
        "(?:^|" + blank + ")" + escape(key) + blank + "*="
    }

    /// The whole string for a class that wraps nothing.
    static func whole(_ descriptor: LayerDescriptor) -> String {
        "^" + blank + "*" + body(descriptor) + blank + "*$"
    }

    /// A wrapper and the layer it wraps: one or more wrappers (wrappers nest), each with its own
    /// items, then one other layer.
    static let wrapped: String = {
        let wrappers = LayerCatalog.all.filter { $0.has(.wrapper) }.map(body)
        let layers = LayerCatalog.all.filter { !$0.has(.wrapper) }.map(body)
        return "(?:" + alternation(wrappers, escaped: false) + blank + "+)+" + alternation(layers, escaped: false)
    }()

    /// A class name and its items, without anchors.
    static func body(_ descriptor: LayerDescriptor) -> String {
        let item = "(?:" + keywordItem(descriptor) + "|" + word(descriptor) + ")"
        var pattern = alternation([descriptor.className] + descriptor.aliases) + "(?:" + blank + "+" + item + ")*"
        let positional = descriptor.positional.count
        if positional > 0 {
            pattern += "(?:" + blank + "+" + bareValue + "(?:" + blank + "+" + item + ")*){0,\(positional)}"
        }
        return pattern
    }

    /// `name=value` for every argument of the class, names grouped by the kind of value they take.
    static func keywordItem(_ descriptor: LayerDescriptor) -> String {
        var groups: [(value: String, names: [String])] = []
        func add(_ name: String, _ value: String) {
            if let index = groups.firstIndex(where: { $0.value == value }) {
                groups[index].names.append(name)
            } else {
                groups.append((value, [name]))
            }
        }
        for declaration in descriptor.arguments { add(declaration.name, value(declaration.type)) }
        // A merge layer reads a list; any other layer one name (or a list of one).
        add(SchemaNames.inputs, descriptor.rule.arity.takesList ? tuple : anyToken)
        let equals = blank + "*=" + blank + "*"
        return groups.map { alternation($0.names) + equals + "(?:" + $0.value + ")" }.joined(separator: "|")
    }

    /// The value of `name=value` for an argument of this type.
    static func value(_ type: ArgumentType) -> String {
        switch type {
        case .int: integer
        case .float: number
        case .bool: boolean
        case .choice(let names): quoted(names)
        case .activation: quoted(Activation.allCases.map(\.rawValue)) + "|" + null
        case .initializer: quoted(InitializerName.all)
        case .text(.layerName): "['\"]?[A-Za-z0-9.][A-Za-z0-9_.\\\\/>-]*['\"]?"
        case .text(.nonEmpty): anyToken
        case .intOrSingleton: singleton
        case .intOrChoice(_, _, let names): integer + "|" + quoted(names)
        case .shape: dimensions + "|" + tuple
        case .axes, .axisOrPair: integer + "|" + tuple
        case .optional(let inner): value(inner) + "|" + null
        case .structured, .numbers, .schedule: anyToken
        }
    }

    /// The bare words the class takes: its flags and the values of its word arguments, and whatever
    /// a positional argument that takes text accepts.
    static func word(_ descriptor: LayerDescriptor) -> String {
        var words = descriptor.arguments.filter { if case .bool = $0.type { return true }; return false }.map(\.name)
        var anyWord = false
        let wordArguments = descriptor.words + descriptor.positional.filter { name in
            descriptor.arguments.first { $0.name == name }.map { takesText($0.type) } ?? false
        }
        for name in wordArguments {
            guard let declaration = descriptor.arguments.first(where: { $0.name == name }) else { continue }
            if let accepted = wordsAccepted(declaration.type) { words += accepted } else { anyWord = true }
        }
        let unique = JSONSchema.unique(words).filter { !($0.first?.isUppercase ?? false) }
        return anyWord ? anyToken : quoted(unique)
    }

    /// Whether a positional argument of this type takes a bare word (the binder's "slot takes text").
    static func takesText(_ type: ArgumentType) -> Bool {
        switch type {
        case .int, .float, .intOrSingleton, .shape, .axes, .axisOrPair: false
        case .optional(let inner): takesText(inner)
        default: true
        }
    }

    /// The words an argument of this type accepts; nil when any word may be meant.
    static func wordsAccepted(_ type: ArgumentType) -> [String]? {
        switch type {
        case .choice(let names): names
        case .activation: Activation.allCases.map(\.rawValue)
        case .initializer: InitializerName.all
        case .optional(let inner): wordsAccepted(inner)
        case .bool: []
        default: nil
        }
    }

    /// One of `names`, bare or quoted (the shorthand strips one pair of quotes).
    static func quoted(_ names: [String]) -> String {
        "['\"]?" + alternation(names) + "['\"]?"
    }

    static func alternation(_ items: [String], escaped: Bool = true) -> String {
        "(?:" + items.map { escaped ? escape($0) : $0 }.joined(separator: "|") + ")"
    }

    /// `text` with regex syntax characters escaped (only those ECMA-262's unicode mode allows escaping).
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            if "\\^$.*+?()[]{}|/".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }

    /// `text` matched regardless of case (`[aA][dD][aA][mM]`), as optimizer names are looked up.
    static func caseInsensitive(_ text: String) -> String {
        var result = ""
        for character in text {
            let lower = String(character).lowercased(), upper = String(character).uppercased()
            result += lower != upper ? "[" + lower + upper + "]" : escape(String(character))
        }
        return result
    }

    static func errorMessage(_ descriptor: LayerDescriptor) -> String {
        var parts = ["Not a valid \(descriptor.className) shorthand"]
        if !descriptor.positional.isEmpty {
            parts.append("bare values fill " + descriptor.positional.joined(separator: ", "))
        }
        if !descriptor.words.isEmpty {
            parts.append("bare words set " + descriptor.words.joined(separator: ", "))
        }
        parts.append("name=value takes " + (descriptor.arguments.map(\.name) + [SchemaNames.inputs]).joined(separator: ", "))
        if descriptor.has(.wrapper) { parts.append("the wrapped layer follows, starting at its class name") }
        return parts.joined(separator: "; ") + " (see Grammar.md)."
    }
}
