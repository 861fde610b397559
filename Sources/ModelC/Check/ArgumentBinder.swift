/// Matches written arguments to declarations: keyword arguments by name, the shorthand's bare
/// items as flags, words or positional values; then converts each and fills Keras's defaults.
struct ArgumentBinder {
    /// A value as written, with the range of its name (or of the bare item).
    struct Written {
        var value: Located<SpecValue>
        var nameRange: SourceRange
    }

    /// Names people carry over from Keras that modelc spells differently or leaves out, with the fix.
    static let unknownArgumentHints: [String: String] = [
        "mask_zero": "modelc does not propagate Keras masks; remove it (id 0 is then an ordinary padding token, as in the seeds)",
        "kernel_regularizer": "weight regularizers are not among modelc's layer arguments; remove it",
        "bias_regularizer": "weight regularizers are not among modelc's layer arguments; remove it",
        "recurrent_regularizer": "weight regularizers are not among modelc's layer arguments; remove it",
        "activity_regularizer": "activity regularizers are not among modelc's layer arguments; remove it",
        "input_dim": "write the sample shape as the top-level `input: [...]`",
        "batch_input_shape": "write the sample shape (without the batch axis) as the top-level `input: [...]`",
        "data_format": "modelc's 1-D layers are channels_last, Keras's default; remove it",
        "lr": "Keras 2.11 renamed it learning_rate",
        "validation_split": "write `validation: {split: 0.2}`",
        "validation_data": "validation data comes with the data section; for a split write `validation: {split: 0.2}`",
    ]

    let owner: String
    let declarations: [ArgumentDecl]

    init(owner: String, declarations: [ArgumentDecl]) {
        self.owner = owner
        self.declarations = declarations
    }

    func declaration(_ name: String) -> ArgumentDecl? {
        declarations.first { $0.name == name }
    }

    /// The message for an argument name nobody declared.
    func unknownArgumentMessage(_ name: String) -> String {
        var message = "\(owner) has no argument '\(Excerpt.of(name, limit: 60))'"
        let suggestion = Suggestion.phrase(for: name, among: declarations.map(\.name))
        if let hint = Self.unknownArgumentHints[name] {
            message += "; " + hint
        } else if !suggestion.isEmpty {
            message += suggestion
        } else {
            message += "; it takes " + declarations.map(\.name).joined(separator: ", ")
        }
        return message
    }

    /// A written value as the user typed it, for a fix's title (a string without YAML's quotes).
    static func text(of value: SpecValue) -> String {
        if case .string(let text) = value { return text }
        return value.display
    }

    /// The did-you-mean replacement, unless a hint explains the name instead.
    func unknownArgumentFix(_ name: String, at range: SourceRange) -> [Fix] {
        guard Self.unknownArgumentHints[name] == nil else { return [] }
        return Suggestion.fix(for: name, among: declarations.map(\.name), at: range).map { [$0] } ?? []
    }

    /// Records `value` for `name`, reporting a second value for the same argument.
    func assign(_ name: String, _ written: Written, to table: inout [String: Written], _ diagnostics: inout DiagnosticBag) -> Bool {
        if let first = table[name] {
            diagnostics.error(.duplicateArgument, "\(owner) \(name) is given twice; keep one", at: written.nameRange,
                              notes: [.note("first given here", at: first.nameRange)])
            return false
        }
        table[name] = written
        return true
    }

    /// Binds `key: value` entries (the keyword form, optimizers, losses, callbacks). The table holds
    /// what could be bound even when something could not, so that later checks still run on it.
    func bindKeywords(_ entries: [SpecEntry], _ diagnostics: inout DiagnosticBag) -> (table: [String: Written], ok: Bool) {
        var table: [String: Written] = [:]
        var ok = true
        for entry in entries {
            guard declaration(entry.key.value) != nil else {
                diagnostics.error(.unknownArgument, unknownArgumentMessage(entry.key.value), at: entry.key.range,
                                  fixes: unknownArgumentFix(entry.key.value, at: entry.key.range))
                ok = false
                continue
            }
            ok = assign(entry.key.value, Written(value: entry.value, nameRange: entry.key.range), to: &table, &diagnostics) && ok
        }
        return (table, ok)
    }

    /// Binds a layer's arguments: keywords by name; bare items as boolean flags
    /// (`return_sequences`), as words of a choice argument (`relu`, `same`), else positionally.
    func bindLayer(_ spec: LayerSpec, _ descriptor: LayerDescriptor, _ diagnostics: inout DiagnosticBag) -> (table: [String: Written], ok: Bool) {
        var table: [String: Written] = [:]
        var ok = true
        var nextPositional = 0
        let positional = descriptor.positional

        func nextSlot() -> String? {
            positional[nextPositional...].first { table[$0] == nil }
        }

        func takeSlot() -> String? {
            while nextPositional < positional.count {
                let slot = positional[nextPositional]
                nextPositional += 1
                if table[slot] == nil { return slot }
            }
            return nil
        }

        for argument in spec.arguments {
            switch argument {
            case .keyword(let name, let value):
                guard declaration(name.value) != nil else {
                    diagnostics.error(.unknownArgument, unknownArgumentMessage(name.value), at: name.range,
                                      fixes: unknownArgumentFix(name.value, at: name.range))
                    ok = false
                    continue
                }
                ok = assign(name.value, Written(value: value, nameRange: name.range), to: &table, &diagnostics) && ok

            case .bare(let item):
                if case .string(let word) = item.value {
                    if let flag = declaration(word), case .bool = flag.type {
                        ok = assign(word, Written(value: Located(.bool(true), item.range), nameRange: item.range),
                                    to: &table, &diagnostics) && ok
                        continue
                    }
                    let accepting = descriptor.words.filter { name in
                        declaration(name).map { accepts($0.type, word: word) } ?? false
                    }
                    if accepting.count == 1 {
                        ok = assign(accepting[0], Written(value: item, nameRange: item.range), to: &table, &diagnostics) && ok
                        continue
                    }
                    let slotTakesText = nextSlot().map { declaration($0).map { !isNumeric($0.type) && !isListType($0.type) } ?? false } ?? false
                    if !slotTakesText {
                        diagnostics.error(.unknownArgument, unknownWordMessage(word, descriptor), at: item.range,
                                          fixes: Suggestion.fix(for: word, among: vocabulary(descriptor), at: item.range).map { [$0] } ?? [])
                        ok = false
                        continue
                    }
                }
                guard let slot = takeSlot() else {
                    diagnostics.error(.tooManyValues, tooManyMessage(item, descriptor), at: item.range)
                    ok = false
                    continue
                }
                let slotType = declaration(slot)!.type
                if case .list(let sizes) = item.value, !isListType(slotType) {
                    // `Embedding 500x16`: the sizes fill consecutive positions.
                    var slots = [slot]
                    while slots.count < sizes.count, let more = takeSlot() { slots.append(more) }
                    guard slots.count == sizes.count else {
                        diagnostics.error(.tooManyValues, "\(descriptor.className) has no place for \(sizes.count) sizes here; write them as name=value", at: item.range)
                        ok = false
                        continue
                    }
                    for (name, size) in zip(slots, sizes) {
                        ok = assign(name, Written(value: size, nameRange: item.range), to: &table, &diagnostics) && ok
                    }
                    continue
                }
                ok = assign(slot, Written(value: item, nameRange: item.range), to: &table, &diagnostics) && ok
            }
        }
        return (table, ok)
    }

    /// Converts what was written and fills the defaults; nil if anything is wrong.
    func resolve(_ table: [String: Written], missingAt anchor: SourceRange, example: String?,
                 _ diagnostics: inout DiagnosticBag) -> ResolvedArguments? {
        var resolved = ResolvedArguments()
        var ok = true
        var missing: [String] = []
        for declaration in declarations {
            if let written = table[declaration.name] {
                switch convert(written.value.value, to: declaration.type, subject: "\(owner) \(declaration.name)") {
                case .success(let value): resolved.set(declaration.name, value, at: written.value.range)
                case .failure(let problem):
                    diagnostics.error(.invalidArgumentValue, problem.message, at: written.value.range,
                                      fixes: problem.replacement.map { [Fix.replace(written.value.range, Self.text(of: written.value.value), with: $0)] } ?? [])
                    ok = false
                }
            } else if let value = declaration.defaultValue {
                resolved.set(declaration.name, value, at: nil)
            } else {
                missing.append(declaration.name)
            }
        }
        if !missing.isEmpty {
            var message = "\(owner) needs \(missing.joined(separator: " and "))"
            if let example { message += "; for example `\(example)`" }
            diagnostics.error(.missingArgument, message, at: anchor)
            ok = false
        }
        return ok ? resolved : nil
    }

    // MARK: Shorthand helpers

    private func accepts(_ type: ArgumentType, word: String) -> Bool {
        switch type {
        case .choice(let names): names.contains(word)
        case .activation: Activation(rawValue: word) != nil
        case .optional(let inner): accepts(inner, word: word)
        default: false
        }
    }

    private func isListType(_ type: ArgumentType) -> Bool {
        switch type {
        case .shape, .axes, .axisOrPair: true
        case .optional(let inner): isListType(inner)
        default: false
        }
    }

    private func isNumeric(_ type: ArgumentType) -> Bool {
        switch type {
        case .int, .float, .intOrSingleton: true
        case .optional(let inner): isNumeric(inner)
        default: false
        }
    }

    /// The words a bare item may be in this layer: its flags and its word arguments' values.
    private func vocabulary(_ descriptor: LayerDescriptor) -> [String] {
        var words = declarations.filter { if case .bool = $0.type { return true }; return false }.map(\.name)
        for name in descriptor.words {
            guard let declaration = declaration(name) else { continue }
            switch declaration.type {
            case .choice(let names), .optional(.choice(let names)): words += names
            case .activation: words += Activation.allCases.map(\.rawValue)
            default: break
            }
        }
        return words
    }

    private func unknownWordMessage(_ word: String, _ descriptor: LayerDescriptor) -> String {
        let message = "'\(Excerpt.of(word, limit: 60))' means nothing to \(descriptor.className)"
        if let guess = Suggestion.closest(to: word, among: vocabulary(descriptor)) {
            return message + "; did you mean '\(guess)'?"
        }
        var known: [String] = []
        let flags = declarations.filter { if case .bool = $0.type { return true }; return false }.map(\.name)
        if !flags.isEmpty { known.append("flags such as \(flags.prefix(3).joined(separator: ", "))") }
        if !descriptor.words.isEmpty { known.append("values of \(descriptor.words.joined(separator: ", "))") }
        return message + (known.isEmpty ? "" : "; its bare words are " + known.joined(separator: " and "))
            + "; write other arguments as name=value"
    }

    private func tooManyMessage(_ item: Located<SpecValue>, _ descriptor: LayerDescriptor) -> String {
        let count = descriptor.positional.count
        if count == 0 {
            return "\(descriptor.className) takes no bare values; write \(item.value.display) as name=value"
        }
        return "\(descriptor.className) takes \(count) bare value\(count == 1 ? "" : "s") (\(positionalDescription(descriptor))); write \(item.value.display) as name=value"
    }

    private func positionalDescription(_ descriptor: LayerDescriptor) -> String {
        descriptor.positional.joined(separator: ", ")
    }
}
