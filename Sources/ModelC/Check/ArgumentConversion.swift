/// Checks one written value against an argument's declared type and range.
///
/// `subject` names the argument in messages (`LSTM units`, `RMSprop learning_rate`); the result is
/// the checked value or a complete message that says what was expected and how to write it.
func convert(_ value: SpecValue, to type: ArgumentType, subject: String) -> Result<ArgumentValue, ConversionProblem> {
    switch type {
    case .optional(let inner):
        if case .null = value { return .success(.null) }
        return convert(value, to: inner, subject: subject)

    case .int(let min, let max):
        let number: Int
        switch integer(value, subject: subject) {
        case .success(let int): number = int
        case .failure(let message): return .failure(message)
        }
        guard number >= min, number <= max else {
            if max == Int.max || number < min {
                return .failure("\(subject) must be at least \(min), got \(number)")
            }
            return .failure("\(subject) must be at most \(max), got \(number)")
        }
        return .success(.int(number))

    case .float(let interval):
        let number: Double
        switch value {
        case .int(let int): number = Double(int)
        case .float(let double): number = double
        default: return .failure(expected("a number", got: value, subject: subject))
        }
        guard number.isFinite else { return .failure("\(subject) must be a finite number, got \(formatNumber(number))") }
        guard interval.contains(number) else {
            return .failure("\(subject) must be \(interval.phrase), got \(formatNumber(number))")
        }
        return .success(.float(number))

    case .bool:
        if case .bool(let flag) = value { return .success(.bool(flag)) }
        if case .string(let text) = value, ["yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off"].contains(text) {
            let meant = ["yes", "on", "y", "Yes", "On"].contains(text)
            return .failure("\(subject) must be true or false, got '\(Excerpt.of(text, limit: 60))' (YAML 1.2 reads it as text); write \(meant)")
        }
        return .failure(expected("true or false", got: value, subject: subject))

    case .choice(let names):
        guard case .string(let text) = value else {
            return .failure(expected("one of \(names.joined(separator: ", "))", got: value, subject: subject))
        }
        if names.contains(text) { return .success(.string(text)) }
        var problem: ConversionProblem = "\(subject) '\(Excerpt.of(text, limit: 60))' is not one of \(names.joined(separator: ", "))\(Suggestion.phrase(for: text, among: names))"
        problem.replacement = Suggestion.closest(to: text, among: names)
        return .failure(problem)

    case .initializer:
        return convert(value, to: .choice(InitializerName.all), subject: subject)

    case .activation:
        if case .null = value { return .success(.string(Activation.linear.rawValue)) }
        guard case .string(let text) = value else {
            return .failure(expected("an activation name such as relu", got: value, subject: subject))
        }
        if Activation(rawValue: text) != nil { return .success(.string(text)) }
        let names = Activation.allCases.map(\.rawValue)
        let guess = Suggestion.closest(to: text, among: names)
        let hint = guess.map { "did you mean '\($0)'? " } ?? ""
        var problem: ConversionProblem = "\(subject) '\(Excerpt.of(text, limit: 60))' is not an activation; \(hint)Activations: \(names.joined(separator: ", "))"
        problem.replacement = guess
        return .failure(problem)

    case .text(let rule):
        guard case .string(let text) = value else {
            if case .int(let number) = value {
                return .failure("\(subject) must be text, got the number \(number); quote it as '\(number)'")
            }
            return .failure(expected("text", got: value, subject: subject))
        }
        if let problem = rule.problem(with: text) { return .failure("\(subject) '\(Excerpt.of(text, limit: 60))' \(problem)") }
        return .success(.string(text))

    case .intOrSingleton(let min):
        var single = value
        if case .list(let items) = value {
            guard items.count == 1 else {
                return .failure("\(subject) must be an integer or a list of one integer (this layer is 1-D), got \(value.display)")
            }
            single = items[0].value
        }
        return convert(single, to: .int(min: min, max: Int(Int32.max)), subject: subject)

    case .intOrChoice(let min, let max, let names):
        switch value {
        case .string: return convert(value, to: .choice(names), subject: subject)
        case .int: return convert(value, to: .int(min: min, max: max), subject: subject)
        default: return .failure(expected("one of \(names.joined(separator: ", ")) or an integer", got: value, subject: subject))
        }

    case .shape(let allowsInferred, let allowsUnknown):
        guard case .list(let items) = value else {
            if case .int(let size) = value {
                return .failure("\(subject) is a list of sizes; write [\(size)]")
            }
            return .failure(expected("a list of sizes such as [100, 8]", got: value, subject: subject))
        }
        guard !items.isEmpty else { return .failure("\(subject) needs at least one size") }
        var sizes: [Int?] = []
        var inferredSeen = false
        for item in items {
            switch item.value {
            case .null where allowsUnknown:
                sizes.append(nil)
            case .int(-1) where allowsInferred:
                if inferredSeen { return .failure("\(subject) can infer only one size; use -1 once") }
                inferredSeen = true
                sizes.append(-1)
            case .int(let size) where size >= 1 && size <= Int(Int32.max):
                sizes.append(size)
            case .int(let size) where size > Int(Int32.max):
                return .failure("\(subject) has the size \(size), too large; sizes are at most \(Int32.max)")
            case .int(let size):
                let allowed = "sizes are at least 1" + (allowsInferred ? " (or -1 for one inferred size)" : "")
                return .failure("\(subject) has the size \(size); \(allowed)")
            default:
                let allowed = allowsUnknown ? "integers or null" : "integers"
                return .failure("\(subject) sizes must be \(allowed), got \(item.value.display)")
            }
        }
        return .success(.ints(sizes))

    case .structured(let name):
        return .failure("\(subject) is \(name == "mapping" ? "a mapping" : "a " + name) checked by its own rules")

    case .numbers(let interval):
        guard case .list(let items) = value else {
            if case .int = value { return .failure("\(subject) is a list of numbers; write [\(value.display)]") }
            if case .float = value { return .failure("\(subject) is a list of numbers; write [\(value.display)]") }
            return .failure(expected("a list of numbers such as [0.1, 0.01]", got: value, subject: subject))
        }
        guard !items.isEmpty else { return .failure("\(subject) needs at least one number") }
        var numbers: [Double] = []
        for (index, item) in items.enumerated() {
            switch convert(item.value, to: .float(interval), subject: "\(subject) item \(index + 1)") {
            case .success(.float(let number)): numbers.append(number)
            case .success: continue
            case .failure(let problem): return .failure(problem)
            }
        }
        return .success(.floats(numbers))

    case .schedule(let number):
        // The schedule's class and arguments are checked against scheduleCatalog where the
        // component is resolved (TrainingChecker.schedules); here only its form.
        if case .mapping(let entries) = value, entries.count == 1 { return .success(.string(entries[0].key.value)) }
        let example = "`{ExponentialDecay: {initial_learning_rate: 0.01, decay_steps: 1000, decay_rate: 0.9}}`"
        if let number {
            switch value {
            case .int, .float: return convert(value, to: .float(number), subject: subject)
            default: return .failure(expected("a number or a learning-rate schedule such as \(example)", got: value, subject: subject))
            }
        }
        return .failure(expected("a learning-rate schedule such as \(example)", got: value, subject: subject))

    case .axisOrPair:
        return axes(value, counts: 2...2, subject: subject,
                    expected: "one axis such as 1, or a pair such as [1, 2] (an axis of each input)")

    case .axes:
        return axes(value, counts: 1...Int.max, subject: subject, expected: "an axis such as -1 or a list of axes")
    }
}

/// One integer axis, or a list of `counts` of them.
private func axes(_ value: SpecValue, counts: ClosedRange<Int>, subject: String, expected what: String) -> Result<ArgumentValue, ConversionProblem> {
    switch value {
    case .int(let axis): return .success(.ints([axis]))
    case .list(let items) where counts.contains(items.count):
        var axes: [Int?] = []
        for item in items {
            guard case .int(let axis) = item.value else {
                return .failure("\(subject) must list integer axes, got \(item.value.display)")
            }
            axes.append(axis)
        }
        return .success(.ints(axes))
    default:
        return .failure(expected(what, got: value, subject: subject))
    }
}

/// An integer, with messages for the usual near misses (quoted numbers, fractions, huge values).
private func integer(_ value: SpecValue, subject: String) -> Result<Int, ConversionProblem> {
    switch value {
    case .int(let number):
        return .success(number)
    case .float(let number) where number.isFinite && number == number.rounded() && abs(number) >= 9.2e18:
        return .failure("\(subject) \(formatNumber(number)) is far too large")
    case .float(let number):
        return .failure("\(subject) must be an integer, got \(formatNumber(number))")
    default:
        return .failure(expected("an integer", got: value, subject: subject))
    }
}

/// "X must be Y, got Z", with a hint when Z is a quoted number.
private func expected(_ what: String, got value: SpecValue, subject: String) -> ConversionProblem {
    if case .string(let text) = value, let number = SpecValue.parseNumber(text) {
        return "\(subject) must be \(what), got the string '\(Excerpt.of(text, limit: 60))'; remove the quotes to write \(number.display)"
    }
    if case .string(let text) = value, text == "true" || text == "false" {
        return "\(subject) must be \(what), got the string '\(Excerpt.of(text, limit: 60))'; remove the quotes"
    }
    if case .null = value {
        return "\(subject) must be \(what), got nothing (null); give it a value"
    }
    switch value {
    case .mapping: return "\(subject) must be \(what), got a mapping"
    case .list: return "\(subject) must be \(what), got the list \(value.display)"
    default: return "\(subject) must be \(what), got \(value.display)"
    }
}

/// Why a value does not fit its argument, as a complete message.
struct ConversionProblem: Error, ExpressibleByStringInterpolation {
    var message: String
    /// The value to write instead, when a did-you-mean found one (a fix replaces the value with it).
    var replacement: String? = nil

    init(stringLiteral value: String) { message = value }
    init(stringInterpolation: DefaultStringInterpolation) { message = String(stringInterpolation: stringInterpolation) }
}
