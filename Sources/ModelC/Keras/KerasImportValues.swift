/// Keras config values back into modelc argument values: the inverse of KerasConfigWriter's
/// `json(_:_:)`, refusing (with the reason) what modelc cannot represent.
enum KerasImportValues {
    struct Refusal: Error { let reason: String }

    /// The value of `json` for an argument of `type`; a note when something Keras-only was dropped.
    static func value(_ json: JSONValue, _ type: ArgumentType, notes: inout [String]) throws(Refusal) -> ArgumentValue {
        if case .optional(let inner) = type {
            if json == .null { return .null }
            return try value(json, inner, notes: &notes)
        }
        switch type {
        case .int:
            guard let number = json.intValue else { throw Refusal(reason: "is \(short(json)), not an integer") }
            return .int(number)
        case .float:
            guard let number = json.doubleValue, number.isFinite else { throw Refusal(reason: "is \(short(json)), not a finite number") }
            return .float(number)
        case .bool:
            guard case .bool(let flag) = json else { throw Refusal(reason: "is \(short(json)), not true or false") }
            return .bool(flag)
        case .choice(let names):
            guard let text = json.stringValue, names.contains(text) else {
                throw Refusal(reason: "is \(short(json)); modelc supports \(names.joined(separator: ", "))")
            }
            return .string(text)
        case .text:
            guard let text = json.stringValue else { throw Refusal(reason: "is \(short(json)), not a string") }
            return .string(text)
        case .activation:
            guard var name = json.stringValue else {
                throw Refusal(reason: "is a serialized function object (\(short(json))); modelc reads activations by name only")
            }
            if name == "silu" { name = "swish" }
            guard Activation(rawValue: name) != nil else { throw Refusal(reason: "is '\(name)', an activation modelc does not have") }
            return name == "linear" ? .string("linear") : .string(name)
        case .initializer:
            return .string(try initializer(json, notes: &notes))
        case .intOrChoice(_, _, let names):
            if let number = json.intValue { return .int(number) }
            guard let text = json.stringValue, names.contains(text) else {
                throw Refusal(reason: "is \(short(json)); modelc supports an integer or \(names.joined(separator: ", "))")
            }
            return .string(text)
        case .intOrSingleton:
            if let number = json.intValue { return .int(number) }
            if let items = json.arrayValue, items.count == 1, let number = items[0].intValue { return .int(number) }
            throw Refusal(reason: "is \(short(json)), not one size")
        case .shape:
            guard let items = json.arrayValue else { throw Refusal(reason: "is \(short(json)), not a shape") }
            return .ints(try items.map { item throws(Refusal) -> Int? in
                if item == .null { return nil }
                guard let size = item.intValue else { throw Refusal(reason: "has \(short(item)) where a size belongs") }
                return size
            })
        case .axes:
            if let axis = json.intValue { return .int(axis) }
            guard let items = json.arrayValue, !items.isEmpty else { throw Refusal(reason: "is \(short(json)), not an axis") }
            let axes = try items.map { item throws(Refusal) -> Int in
                guard let axis = item.intValue else { throw Refusal(reason: "has \(short(item)) where an axis belongs") }
                return axis
            }
            return axes.count == 1 ? .int(axes[0]) : .ints(axes)
        case .axisOrPair:
            if let axis = json.intValue { return .int(axis) }
            guard let items = json.arrayValue, items.count == 2, let a = items[0].intValue, let b = items[1].intValue else {
                throw Refusal(reason: "is \(short(json)), not an axis or a pair of axes")
            }
            return .ints([a, b])
        case .numbers:
            guard let items = json.arrayValue, !items.isEmpty else { throw Refusal(reason: "is \(short(json)), not a list of numbers") }
            return .floats(try items.map { item throws(Refusal) -> Double in
                guard let number = item.doubleValue, number.isFinite else { throw Refusal(reason: "has \(short(item)) where a number belongs") }
                return number
            })
        case .schedule(let number?) where json.doubleValue != nil:
            return try value(json, .float(number), notes: &notes)
        case .optional, .structured, .schedule:
            throw Refusal(reason: "is not an argument modelc reads from a config")
        }
    }

    /// modelc's initializer name for Keras's object (or string); its seed, which only matters for
    /// drawing initial weights (an imported model has its weights), becomes a note.
    static func initializer(_ json: JSONValue, notes: inout [String]) throws(Refusal) -> String {
        if let name = json.stringValue {
            guard KerasInitializers.table.contains(where: { $0.name == name }) else { throw Refusal(reason: "is '\(name)', an initializer modelc does not have") }
            return name
        }
        guard let className = json["class_name"]?.stringValue else { throw Refusal(reason: "is \(short(json)), not an initializer") }
        guard let row = KerasInitializers.table.first(where: { $0.className == className && $0.name != "uniform" }) else {
            throw Refusal(reason: "is \(className), an initializer modelc does not have")
        }
        let defaults = Dictionary(row.keras3 + row.tfKeras, uniquingKeysWith: { a, _ in a })
        for (key, value) in json["config"]?.objectValue ?? [] {
            if key == "seed" {
                if value != .null { notes.append("the seed \(value.rendered(indent: nil)) of \(row.name) (it only draws initial weights)") }
                continue
            }
            guard let expected = defaults[key] else { throw Refusal(reason: "is \(className) with \(key), which modelc's \(row.name) does not take") }
            if expected.doubleValue != nil ? expected.doubleValue != value.doubleValue : expected != value {
                throw Refusal(reason: "is \(className) with \(key)=\(value.rendered(indent: nil)); modelc's \(row.name) has \(key)=\(expected.rendered(indent: nil))")
            }
        }
        return row.name
    }

    static func short(_ json: JSONValue) -> String {
        let text = json.rendered(indent: nil)
        return text.count > 60 ? String(text.prefix(57)) + "..." : text
    }

    /// True when two argument values mean the same (numbers by value).
    static func same(_ a: ArgumentValue?, _ b: ArgumentValue?) -> Bool {
        switch (a, b) {
        case (.int(let x)?, .float(let y)?), (.float(let y)?, .int(let x)?): Double(x) == y
        case (.float(let x)?, .float(let y)?): x == y
        default: a == b
        }
    }

    /// A value as spec text (flow YAML).
    static func text(_ value: ArgumentValue) -> String {
        switch value {
        case .null: "null"
        case .int(let number): String(number)
        case .float(let number): formatNumber(number)
        case .bool(let flag): flag ? "true" : "false"
        case .string(let text): SpecText.scalar(text)
        case .ints(let list): "[" + list.map { $0.map(String.init) ?? "null" }.joined(separator: ", ") + "]"
        case .floats(let list): "[" + list.map(formatNumber).joined(separator: ", ") + "]"
        }
    }
}

/// Writing spec text: quoting only what YAML would read otherwise.
enum SpecText {
    static func scalar(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
            (scalar.properties.isAlphabetic && scalar.isASCII) || ("0"..."9").contains(scalar) || "_-./>".unicodeScalars.contains(scalar)
        } && !["null", "true", "false", "yes", "no", "on", "off", "~"].contains(text.lowercased())
            && Double(text) == nil && !text.hasPrefix("-") && !text.hasPrefix(".")
        return plain ? text : JSONValue.quoted(text)
    }

    /// `{a: 1, b: [2, 3]}` from ordered pairs.
    static func mapping(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { "\(scalar($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
    }
}
