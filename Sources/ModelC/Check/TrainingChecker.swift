/// Checks `compile` and `fit` against the optimizer, loss, metric and callback catalogues, and the
/// loss and metrics against the model's output.
struct TrainingChecker {
    var diagnostics = DiagnosticBag()
    var explanations = ExplanationBudget()

    /// What the loss check needs to know about one model output.
    struct OutputFacts {
        /// The output layer's name (the key of per-output losses and metrics).
        var outputName: String
        /// The layer whose activation the output carries (the output layer, or the last layer before
        /// it that changes values).
        var layerName: String
        /// Size of the output's last axis, nil if unknown.
        var units: Int?
        /// The last activation applied, looking through layers that only move values around.
        var activation: Activation?
    }

    static let passThrough: Set<LayerKind> = [.dropout, .spatialDropout1D, .flatten, .reshape, .repeatVector,
                                              .maxPooling1D, .averagePooling1D, .globalMaxPooling1D, .globalAveragePooling1D]

    /// Facts for each output of the model, in output order.
    static func outputFacts(_ model: CheckedModel) -> [OutputFacts] {
        model.outputs.map { output in
            var index = output
            var activation: Activation?
            while true {
                let layer = model.layers[index]
                if passThrough.contains(layer.descriptor.kind), layer.sources.count == 1, case .layer(let producer) = layer.sources[0] {
                    index = producer
                    continue
                }
                if !passThrough.contains(layer.descriptor.kind) { activation = layer.activation }
                break
            }
            let layer = model.layers[output]
            return OutputFacts(outputName: layer.name, layerName: model.layers[index].name,
                               units: layer.output.shape.last ?? nil, activation: activation)
        }
    }

    // MARK: compile

    /// `outputs` is nil when the model itself did not check out: components are still checked, but
    /// not against outputs.
    mutating func checkCompile(_ section: Located<SpecValue>?, outputs: [OutputFacts]?) -> CompileConfig? {
        guard let section else { return nil }
        guard let entries = section.entries else {
            diagnostics.error(.compileStructure, "`compile` is a mapping such as `{optimizer: adam, loss: mse}`, not \(section.value.kindName)", at: section.range)
            return nil
        }
        let binder = ArgumentBinder(owner: "compile", declarations: compileArguments)
        let (table, bound) = binder.bindKeywords(entries, &diagnostics)
        let optimizer = table["optimizer"].map { component($0.value, optimizerCatalog) }
            ?? defaultComponent("rmsprop", optimizerCatalog, at: section.range)
        if let optimizer { checkClipping(optimizer) }
        let names = outputs?.map(\.outputName)
        var losses: [String: CompileConfig.Component]?
        var lossForAll: CompileConfig.Component?
        var lossesOK = true
        if let written = table["loss"] {
            switch perOutputEntries(written.value, catalog: lossCatalog, outputs: names) {
            case .perOutput(let perOutput):
                var found: [String: CompileConfig.Component] = [:]
                for (name, value) in perOutput {
                    if let loss = component(value, lossCatalog) { found[name.value] = loss } else { lossesOK = false }
                }
                losses = found
                if let outputs, lossesOK {
                    let missing = outputs.map(\.outputName).filter { found[$0] == nil }
                    if missing.count == outputs.count {
                        diagnostics.error(.unknownOutput, "loss names no output of the model; it needs a loss for at least one of \(outputs.map(\.outputName).joined(separator: ", "))",
                                          at: written.value.range)
                        lossesOK = false
                    } else {
                        for name in missing {
                            diagnostics.warning(.outputWithoutLoss, "output '\(name)' has no loss, so training leaves it alone (as Keras does); add `\(name): ...` to loss if it should learn",
                                                at: written.value.range)
                        }
                    }
                }
            case .refused:
                lossesOK = false
            case .one:
                lossForAll = component(written.value, lossCatalog)
                lossesOK = lossForAll != nil
            }
        } else {
            diagnostics.error(.compileStructure, "compile needs a loss, e.g. `loss: binary_crossentropy`", at: section.range)
            lossesOK = false
        }
        let weights = table["loss_weights"].flatMap { lossWeights($0.value, outputs: names) }
        let weightsOK = table["loss_weights"] == nil || weights != nil
        var metrics = table["metrics"].map { self.outputMetrics($0.value, outputs: names) } ?? [:]
        if let written = table["weighted_metrics"] {
            let weighted = outputMetrics(written.value, outputs: names)
            if let weighted, let unweighted = metrics {
                // Keras tells a weighted metric from the unweighted one of the same name by a prefix.
                var merged = unweighted
                for (output, list) in weighted {
                    let taken = Set((unweighted[output] ?? []).map(\.loggedName))
                    merged[output, default: []] += list.map { metric in
                        var metric = metric
                        metric.weighted = true
                        if taken.contains(metric.loggedName) { metric.loggedName = "weighted_" + metric.loggedName }
                        return metric
                    }
                }
                metrics = merged
            } else {
                metrics = nil
            }
        }
        guard let outputs else { return nil }
        for facts in outputs {
            if let loss = lossForAll ?? losses?[facts.outputName] { checkLoss(loss, against: facts) }
            let loss = lossForAll ?? losses?[facts.outputName]
            metrics?[facts.outputName]?.forEach { checkMetric($0, against: facts, sparseLabels: loss?.descriptor.className == "SparseCategoricalCrossentropy") }
        }
        guard bound, let optimizer, lossesOK, weightsOK, var metrics else { return nil }
        let several = outputs.count > 1
        var objectives: [CompileConfig.OutputObjective] = []
        var seen: [String: SourceRange] = [:]
        var metricsOK = true
        for facts in outputs {
            let name = facts.outputName
            let loss = lossForAll ?? losses?[name]
            var own = metrics[name] ?? []
            if several {
                for index in own.indices { own[index].loggedName = name + "_" + own[index].loggedName }
            }
            for metric in own {
                if let first = seen[metric.loggedName] {
                    diagnostics.error(.duplicateMetric, "metric '\(metric.loggedName)' is listed twice; keep one", at: metric.range,
                                      notes: [.note("first listed here", at: first)])
                    metricsOK = false
                }
                seen[metric.loggedName] = metric.range
            }
            metrics[name] = own
            objectives.append(CompileConfig.OutputObjective(
                name: name, loss: loss, weight: weights?[name] ?? 1, metrics: own,
                lossLoggedName: several && loss != nil ? name + "_loss" : nil))
        }
        guard metricsOK else { return nil }
        return CompileConfig(optimizer: optimizer, outputs: objectives)
    }

    /// How a loss is written: one for every output, or a mapping by output name.
    enum PerOutput {
        case one
        case perOutput([(Located<String>, Located<SpecValue>)])
        /// A mapping naming something that is not an output (reported).
        case refused
    }

    /// Whether `written` maps output names to losses (`{out: mse, reg: mae}`) or is one component for
    /// every output. A one-key mapping whose key is one of the catalogue's names and no output's is
    /// the component form `{ClassName: {arguments}}`.
    mutating func perOutputEntries(_ written: Located<SpecValue>, catalog: ComponentCatalog, outputs: [String]?) -> PerOutput {
        guard case .mapping(let entries) = written.value, !entries.isEmpty else { return .one }
        if entries.count == 1, catalog.descriptor(named: entries[0].key.value) != nil,
           outputs?.contains(entries[0].key.value) != true {
            return .one
        }
        guard let outputs else { return .perOutput(entries.map { ($0.key, $0.value) }) }
        var ok = true
        let isOutput = Set(outputs)
        for entry in entries where !isOutput.contains(entry.key.value) {
            let known = Suggestion.list(outputs)
            let key = Excerpt.of(entry.key.value, limit: 60)
            if entries.count == 1, catalog.descriptor(named: entry.key.value) == nil, outputs.count == 1 {
                diagnostics.error(.unknownOutput, "\(key) is neither a \(catalog.kind) nor an output; the output is \(known)"
                                  + Suggestion.phrase(for: entry.key.value, among: outputs + catalog.allNames), at: entry.key.range)
            } else {
                let suggestion = explanations.spend() ? Suggestion.phrase(for: entry.key.value, among: outputs) : ""
                diagnostics.error(.unknownOutput, "'\(key)' is not an output of the model; its outputs are \(known)" + suggestion, at: entry.key.range)
            }
            ok = false
        }
        return ok ? .perOutput(entries.map { ($0.key, $0.value) }) : .refused
    }

    /// `loss_weights: {out: 1.0, reg: 0.5}` (or a list in output order), output name → weight.
    mutating func lossWeights(_ written: Located<SpecValue>, outputs: [String]?) -> [String: Double]? {
        func number(_ value: Located<SpecValue>, _ name: String) -> Double? {
            switch convert(value.value, to: .float(.above(0, closed: true)), subject: "loss_weights \(name)") {
            case .success(.float(let weight)): return weight
            case .failure(let problem): diagnostics.error(.invalidArgumentValue, problem.message, at: value.range)
            default: break
            }
            return nil
        }
        switch written.value {
        case .mapping(let entries):
            var weights: [String: Double] = [:]
            var ok = true
            let isOutput = Set(outputs ?? [])
            for entry in entries {
                if let outputs, !isOutput.contains(entry.key.value) {
                    let suggestion = explanations.spend() ? Suggestion.phrase(for: entry.key.value, among: outputs) : ""
                    diagnostics.error(.unknownOutput, "loss_weights names '\(Excerpt.of(entry.key.value, limit: 60))', which is not an output; the outputs are \(Suggestion.list(outputs))"
                                      + suggestion, at: entry.key.range)
                    ok = false
                    continue
                }
                if let weight = number(entry.value, entry.key.value) { weights[entry.key.value] = weight } else { ok = false }
            }
            return ok ? weights : nil
        case .list(let items):
            guard let outputs else { return nil }
            guard items.count == outputs.count else {
                diagnostics.error(.unknownOutput, "loss_weights lists \(items.count) weight\(items.count == 1 ? "" : "s") but the model has \(outputs.count) output\(outputs.count == 1 ? "" : "s") (\(outputs.joined(separator: ", "))); give one per output, or a mapping",
                                  at: written.range)
                return nil
            }
            var weights: [String: Double] = [:]
            for (item, name) in zip(items, outputs) {
                guard let weight = number(item, name) else { return nil }
                weights[name] = weight
            }
            return weights
        default:
            diagnostics.error(.compileStructure, "loss_weights maps output names to numbers, e.g. `{out: 1.0, reg: 0.5}`", at: written.range)
            return nil
        }
    }

    /// `metrics: [accuracy]` for every output, or `{out: [accuracy], reg: mae}` per output: output
    /// name → its metrics (logged names not yet prefixed). Outputs unknown: keyed by "".
    mutating func outputMetrics(_ written: Located<SpecValue>, outputs: [String]?) -> [String: [CompileConfig.Metric]]? {
        if case .mapping(let entries) = written.value, !entries.isEmpty {
            var result: [String: [CompileConfig.Metric]] = [:]
            var ok = true
            let isOutput = Set(outputs ?? [])
            for entry in entries {
                if let outputs, !isOutput.contains(entry.key.value) {
                    if metricCatalog.descriptor(named: entry.key.value) != nil {
                        diagnostics.error(.compileStructure, "metrics is a list such as `[\(entry.key.value)]`, or a mapping from output names to lists; '\(entry.key.value)' is a metric, not an output of the model (\(Suggestion.list(outputs)))",
                                          at: written.range)
                    } else {
                        let suggestion = explanations.spend() ? Suggestion.phrase(for: entry.key.value, among: outputs) : ""
                        diagnostics.error(.unknownOutput, "metrics names '\(Excerpt.of(entry.key.value, limit: 60))', which is not an output; the outputs are \(Suggestion.list(outputs))"
                                          + suggestion, at: entry.key.range)
                    }
                    ok = false
                    continue
                }
                var list = entry.value
                if case .list = list.value {} else { list = Located(.list([entry.value]), entry.value.range) }
                if let metrics = metrics(list) { result[entry.key.value] = metrics } else { ok = false }
            }
            return ok ? result : nil
        }
        guard let metrics = metrics(written) else { return nil }
        var result: [String: [CompileConfig.Metric]] = [:]
        for name in outputs ?? [""] { result[name] = metrics }
        return result
    }

    /// A component written as a name (`adam`) or as `{ClassName: {arguments}}`.
    mutating func component(_ written: Located<SpecValue>, _ catalog: ComponentCatalog) -> CompileConfig.Component? {
        switch written.value {
        case .string(let name):
            return lookup(Located(name, written.range), catalog).flatMap { descriptor in
                var component = resolveArguments(descriptor, entries: [], anchor: written.range, classRange: written.range)
                component?.spelling = name
                return component
            }
        case .mapping(let entries) where entries.count == 1:
            let entry = entries[0]
            guard let descriptor = lookup(entry.key, catalog) else { return nil }
            switch entry.value.value {
            case .mapping(let arguments):
                return resolveArguments(descriptor, entries: arguments, anchor: entry.key.range, classRange: entry.key.range)
            case .null:
                return resolveArguments(descriptor, entries: [], anchor: entry.key.range, classRange: entry.key.range)
            default:
                diagnostics.error(.compileStructure, "the arguments of \(descriptor.className) are a mapping such as `{\(descriptor.arguments.first?.name ?? "name"): ...}`",
                                  at: entry.value.range)
                return nil
            }
        case .mapping(let entries):
            diagnostics.error(.compileStructure, "\(catalog.withArticle) is one name or a one-key mapping `{ClassName: {arguments}}`, but this mapping has \(entries.count) keys",
                              at: written.range)
            return nil
        default:
            diagnostics.error(.compileStructure, "\(catalog.withArticle) is a name such as `\(catalog.all[0].names.first ?? catalog.all[0].className)` or `{\(catalog.all[0].className): {arguments}}`, not \(written.value.kindName)",
                              at: written.range)
            return nil
        }
    }

    mutating func defaultComponent(_ name: String, _ catalog: ComponentCatalog, at range: SourceRange) -> CompileConfig.Component? {
        guard let descriptor = catalog.descriptor(named: name) else { return nil }
        return resolveArguments(descriptor, entries: [], anchor: range, classRange: range)
    }

    mutating func lookup(_ name: Located<String>, _ catalog: ComponentCatalog) -> ComponentDescriptor? {
        if let descriptor = catalog.descriptor(named: name.value) { return descriptor }
        var message = "unknown \(catalog.kind) '\(name.value)'"
        let suggestion = Suggestion.phrase(for: name.value, among: catalog.allNames)
        message += suggestion.isEmpty ? "; modelc knows " + catalog.all.map(\.className).joined(separator: ", ") : suggestion
        diagnostics.error(.unknownComponent, message, at: name.range,
                          fixes: Suggestion.fix(for: name.value, among: catalog.allNames, at: name.range).map { [$0] } ?? [])
        return nil
    }

    mutating func resolveArguments(_ descriptor: ComponentDescriptor, entries: [SpecEntry], anchor: SourceRange,
                                   classRange: SourceRange) -> CompileConfig.Component? {
        let binder = ArgumentBinder(owner: descriptor.className, declarations: descriptor.arguments)
        let (table, bound) = binder.bindKeywords(entries, &diagnostics)
        guard let arguments = binder.resolve(table, missingAt: anchor, example: nil, &diagnostics), bound else { return nil }
        var component = CompileConfig.Component(descriptor: descriptor, arguments: arguments, range: classRange)
        // Arguments written as a schedule mapping are components of their own.
        for declaration in descriptor.arguments {
            guard case .schedule = declaration.type, case .string = arguments[declaration.name],
                  let written = entries.first(where: { $0.key.value == declaration.name }) else { continue }
            guard let schedule = self.component(written.value, scheduleCatalog), checkSchedule(schedule) else { return nil }
            component.schedules[declaration.name] = schedule
        }
        return component
    }

    /// The rules of a schedule Keras enforces when it is called (or never, and then fails in the
    /// middle of training): PiecewiseConstantDecay's list lengths and order, warmup steps with a target.
    mutating func checkSchedule(_ schedule: CompileConfig.Component) -> Bool {
        let arguments = schedule.arguments
        switch schedule.descriptor.className {
        case "PiecewiseConstantDecay":
            let boundaries = arguments.floats("boundaries"), values = arguments.floats("values")
            let boundariesAt = arguments.ranges["boundaries"] ?? schedule.range
            if let fraction = boundaries.first(where: { $0 != $0.rounded(.towardZero) }) {
                diagnostics.error(.invalidArgumentValue, "PiecewiseConstantDecay boundaries are whole steps (Keras casts them to the step's integer type), got \(formatNumber(fraction))",
                                  at: boundariesAt)
                return false
            }
            if let index = boundaries.indices.dropFirst().first(where: { boundaries[$0] <= boundaries[$0 - 1] }) {
                diagnostics.error(.invalidArgumentValue, "PiecewiseConstantDecay boundaries must increase strictly; \(formatNumber(boundaries[index])) follows \(formatNumber(boundaries[index - 1]))",
                                  at: boundariesAt)
                return false
            }
            if values.count != boundaries.count + 1 {
                diagnostics.error(.invalidArgumentValue, "PiecewiseConstantDecay needs one more value than boundaries (a rate before the first boundary and after each); got \(boundaries.count) boundaries and \(values.count) values",
                                  at: arguments.ranges["values"] ?? schedule.range)
                return false
            }
        case "CosineDecay":
            if arguments.float("warmup_steps") > 0, arguments.optionalFloat("warmup_target") == nil {
                diagnostics.error(.invalidArgumentValue, "CosineDecay warmup_steps needs a warmup_target, the rate the warmup climbs to (without one Keras skips the warmup)",
                                  at: arguments.ranges["warmup_steps"] ?? schedule.range)
                return false
            }
        default: break
        }
        return true
    }

    mutating func checkClipping(_ optimizer: CompileConfig.Component) {
        let set = ["clipnorm", "clipvalue", "global_clipnorm"].filter { optimizer.arguments.isExplicit($0) }
        if set.count > 1, let range = optimizer.arguments.ranges[set[1]] {
            diagnostics.error(.conflictingOptions, "\(optimizer.descriptor.className) takes only one of clipnorm, clipvalue and global_clipnorm (Keras refuses more); keep \(set[0]) or \(set[1])",
                              at: range)
        }
    }

    mutating func metrics(_ written: Located<SpecValue>) -> [CompileConfig.Metric]? {
        guard case .list(let items) = written.value else {
            if case .string(let name) = written.value {
                diagnostics.error(.compileStructure, "metrics is a list; write `metrics: [\(name)]`", at: written.range)
            } else {
                diagnostics.error(.compileStructure, "metrics is a list of names such as `[accuracy]`", at: written.range)
            }
            return nil
        }
        var metrics: [CompileConfig.Metric] = []
        var seen: [String: SourceRange] = [:]
        var ok = true
        for item in items {
            guard let component = component(item, metricCatalog) else { ok = false; continue }
            let loggedName: String
            if let explicit = component.arguments.optionalString("name") {
                loggedName = explicit
            } else if case .string(let written) = item.value {
                // A metric class (AUC, Precision) logs under its instance's name; a function under the string.
                loggedName = written == component.descriptor.className || !component.descriptor.kerasFileString
                    ? component.descriptor.defaultLoggedName : written
            } else {
                loggedName = component.descriptor.defaultLoggedName
            }
            if let first = seen[loggedName] {
                diagnostics.error(.duplicateMetric, "metric '\(loggedName)' is listed twice; keep one", at: item.range,
                                  notes: [.note("first listed here", at: first)])
                ok = false
                continue
            }
            seen[loggedName] = item.range
            metrics.append(CompileConfig.Metric(descriptor: component.descriptor, arguments: component.arguments,
                                                loggedName: loggedName, range: item.range, spelling: component.spelling))
        }
        return ok ? metrics : nil
    }

    /// Losses that cannot work with the output layer are errors; unusual pairings are warnings.
    mutating func checkLoss(_ loss: CompileConfig.Component, against output: OutputFacts) {
        let fromLogits = loss.arguments["from_logits"] == .bool(true)
        let name = loss.descriptor.names.first ?? loss.descriptor.className
        let activation = output.activation ?? .linear
        let producer = "\(output.layerName)"
        switch loss.descriptor.className {
        case "BinaryCrossentropy":
            if activation == .softmax, let units = output.units, units > 1 {
                diagnostics.error(.lossOutputMismatch, "\(name) treats each output as an independent probability, but \(producer) ends in a softmax over \(units) units; use categorical_crossentropy (one-hot labels) or sparse_categorical_crossentropy (integer labels), or sigmoid for multi-label outputs",
                                  at: loss.range)
            } else if !fromLogits, !activation.producesProbabilities {
                diagnostics.warning(.activationLossMismatch, "\(name) expects probabilities, but \(producer) outputs \(activation.rawValue) values; add activation: sigmoid, or set from_logits: true on the loss",
                                    at: loss.range)
            } else if fromLogits, activation.producesProbabilities {
                diagnostics.warning(.activationLossMismatch, "from_logits: true expects raw scores, but \(producer) already applies \(activation.rawValue); remove the activation or from_logits",
                                    at: loss.range)
            }
        case "CategoricalCrossentropy", "SparseCategoricalCrossentropy":
            if output.units == 1 {
                diagnostics.error(.lossOutputMismatch, "\(name) needs one output unit per class, but \(producer) has 1 unit; for two classes use binary_crossentropy with a sigmoid unit",
                                  at: loss.range)
            } else if !fromLogits, activation != .softmax {
                diagnostics.warning(.activationLossMismatch, "\(name) expects a softmax over the classes, but \(producer) outputs \(activation.rawValue) values; add activation: softmax, or set from_logits: true on the loss",
                                    at: loss.range)
            } else if fromLogits, activation == .softmax {
                diagnostics.warning(.activationLossMismatch, "from_logits: true expects raw scores, but \(producer) already applies softmax; remove the activation or from_logits",
                                    at: loss.range)
            }
        default:
            break
        }
    }

    /// Metrics that cannot measure this output with these labels: Keras fails on them mid-fit, or
    /// (a one-hot metric on integer labels) quietly reports a meaningless number.
    mutating func checkMetric(_ metric: CompileConfig.Metric, against output: OutputFacts, sparseLabels: Bool) {
        let name = metric.descriptor.className
        let units = output.units
        if name == "AUC", let units, units != 1 {
            diagnostics.error(.lossOutputMismatch, "AUC is computed for binary outputs (one unit), but \(output.layerName) has \(units) units", at: metric.range)
        }
        if ["Precision", "Recall", "F1Score", "TopKCategoricalAccuracy"].contains(name), sparseLabels {
            let sparse = name == "TopKCategoricalAccuracy" ? " (use SparseTopKCategoricalAccuracy for integer labels)" : ""
            diagnostics.error(.lossOutputMismatch, "\(name) compares one-hot labels with the outputs, but sparse_categorical_crossentropy trains with integer labels\(sparse); use categorical_crossentropy with one-hot labels",
                              at: metric.range)
        }
        if name == "SparseTopKCategoricalAccuracy", !sparseLabels, let units, units > 1 {
            diagnostics.error(.lossOutputMismatch, "SparseTopKCategoricalAccuracy reads integer labels, but this loss trains with one-hot labels; use TopKCategoricalAccuracy",
                              at: metric.range)
        }
        if name.hasSuffix("TopKCategoricalAccuracy"), units == 1 {
            diagnostics.error(.lossOutputMismatch, "\(name) ranks classes, but \(output.layerName) has one unit; use accuracy", at: metric.range)
        }
        if let classID = metric.arguments.optionalInt("class_id"), let units, classID >= units {
            diagnostics.error(.invalidArgumentValue, "\(name) class_id \(classID) is not a class of \(output.layerName), which has \(units) units (class ids 0 to \(units - 1))",
                              at: metric.arguments.ranges["class_id"] ?? metric.range)
        }
        if name == "F1Score", metric.arguments["average"] == .null, let units, units > 1 {
            diagnostics.error(.invalidArgumentValue, "F1Score without average gives one score per class (\(units) here), but a logged metric is one number; set average to macro, micro or weighted",
                              at: metric.arguments.ranges["average"] ?? metric.range)
        }
    }

    // MARK: fit

    mutating func checkFit(_ section: Located<SpecValue>?, compile: CompileConfig?, compileWritten: Bool,
                           dataValidation: Bool = false) -> FitConfig? {
        guard let section else { return nil }
        guard let entries = section.entries else {
            diagnostics.error(.fitStructure, "`fit` is a mapping such as `{epochs: 10, batch_size: 64}`, not \(section.value.kindName)", at: section.range)
            return nil
        }
        if !compileWritten {
            diagnostics.error(.fitStructure, "fit needs a `compile` section with at least a loss, e.g. `compile: {optimizer: adam, loss: mse}`", at: section.range)
        }
        let binder = ArgumentBinder(owner: "fit", declarations: fitArguments)
        var (table, bound) = binder.bindKeywords(entries, &diagnostics)
        let validation = table.removeValue(forKey: "validation")
        let callbacksWritten = table.removeValue(forKey: "callbacks")
        let classWeightWritten = table.removeValue(forKey: "class_weight")
        let classWeights = classWeightWritten.flatMap { checkClassWeights($0.value, compile: compile) }
        let scalars = ArgumentBinder(owner: "fit", declarations: fitArguments.filter {
            if case .structured = $0.type { return false }
            return true
        })
        let arguments = scalars.resolve(table, missingAt: section.range, example: nil, &diagnostics)

        var split: Double?
        var validationSeed: Int?
        var stratify = false
        var validationOK = true
        if let validation {
            var arguments: ResolvedArguments?
            (arguments, validationOK) = validationSplit(validation.value)
            split = arguments?.float("split")
            validationSeed = arguments?.optionalInt("seed")
            stratify = arguments?["stratify"] == .bool(true)
            if stratify, validationSeed == nil, let range = arguments?.ranges["stratify"] {
                diagnostics.error(.conflictingOptions, "stratify needs a seed: a stratified split shuffles each class first", at: range)
                validationOK = false
            }
            if dataValidation {
                diagnostics.error(.conflictingOptions, "validation data is given twice: as a split here and as data.validation; keep one", at: validation.nameRange)
                validationOK = false
            }
        }
        var callbacks: [CompileConfig.Component] = []
        var callbacksOK = true
        if let written = callbacksWritten?.value {
            switch written.value {
            case .list(let items):
                for item in items {
                    if let callback = component(item, callbackCatalog) {
                        callbacks.append(callback)
                    } else {
                        callbacksOK = false
                    }
                }
            case .null: break
            default:
                diagnostics.error(.fitStructure, "callbacks is a list such as `[EarlyStopping: {patience: 3}]`", at: written.range)
                callbacksOK = false
            }
        }
        let logged = compile?.loggedNames ?? ["loss"]
        for (position, callback) in callbacks.enumerated() {
            checkCallback(callback, logged: logged, hasValidation: validation != nil || dataValidation,
                          compileKnown: compile != nil || !compileWritten)
            if callback.descriptor.className == "ModelCheckpoint" {
                let available = logged + (validation != nil || dataValidation ? logged.map { "val_" + $0 } : [])
                checkCheckpointPath(callback, available: compile != nil || !compileWritten
                    ? CheckpointTemplate.availableNames(logged: available, callbacks: callbacks.map(\.descriptor.className), position: position)
                    : nil)
            }
        }
        if let optimizer = compile?.optimizer, let schedule = optimizer.schedules["learning_rate"] {
            for callback in callbacks where ["LearningRateScheduler", "ReduceLROnPlateau"].contains(callback.descriptor.className) {
                diagnostics.error(.conflictingOptions, "\(callback.descriptor.className) sets the learning rate, but the optimizer's learning_rate is the schedule \(schedule.descriptor.className), which Keras does not let a callback change; give the optimizer a number, or drop the callback",
                                  at: callback.range, notes: [Diagnostic.note("the schedule is given here", at: schedule.range)])
                callbacksOK = false
            }
        }
        let backups = callbacks.filter { $0.descriptor.className == "BackupAndRestore" }
        for extra in backups.dropFirst() {
            diagnostics.error(.conflictingOptions, "fit has more than one BackupAndRestore; a run keeps one resume state, so keep one", at: extra.range)
            callbacksOK = false
        }
        guard bound, let arguments, validationOK, callbacksOK, classWeightWritten == nil || classWeights != nil else { return nil }
        var config = FitConfig(arguments: arguments, validationSplit: split, callbacks: callbacks)
        config.classWeights = classWeights
        config.validationSeed = validationSeed
        config.stratify = stratify
        return config
    }

    /// `class_weight: {0: 1.0, 1: 4.0}`: a weight for every class id 0 … n−1 (Keras refuses gaps),
    /// for a model with one trained output.
    mutating func checkClassWeights(_ written: Located<SpecValue>, compile: CompileConfig?) -> [Double]? {
        guard case .mapping(let entries) = written.value, !entries.isEmpty else {
            diagnostics.error(.fitStructure, "class_weight maps class ids to weights, such as `{0: 1.0, 1: 4.0}`", at: written.range)
            return nil
        }
        var weights: [Int: Double] = [:]
        var ok = true
        for entry in entries {
            guard let id = Int(entry.key.value), id >= 0 else {
                diagnostics.error(.fitStructure, "class_weight keys are class ids 0, 1, ...; '\(Excerpt.of(entry.key.value, limit: 40))' is not one", at: entry.key.range)
                ok = false
                continue
            }
            let number: Double? = switch entry.value.value {
            case .int(let value): Double(value)
            case .float(let value): value
            default: nil
            }
            guard let number, number.isFinite, number >= 0 else {
                diagnostics.error(.invalidArgumentValue, "class_weight of class \(id) must be a number ≥ 0, got \(entry.value.value.display)", at: entry.value.range)
                ok = false
                continue
            }
            weights[id] = number
        }
        guard ok else { return nil }
        let count = (weights.keys.max() ?? 0) + 1
        if let missing = (0..<count).first(where: { weights[$0] == nil }) {
            diagnostics.error(.invalidArgumentValue, "class_weight has no weight for class \(missing); Keras needs one for every class from 0 to \(count - 1)",
                              at: written.range)
            return nil
        }
        if let compile {
            let trained = compile.outputs.filter { $0.loss != nil }
            if compile.outputs.count > 1 {
                diagnostics.error(.conflictingOptions, "class_weight is for a model with one output (as in Keras); this one has \(compile.outputs.count), so weigh samples with sample_weight in data instead",
                                  at: written.range)
                return nil
            }
            if let loss = trained.first?.loss, ["MeanSquaredError", "MeanAbsoluteError", "Huber"].contains(loss.descriptor.className) {
                diagnostics.warning(.suspiciousArgument, "class_weight with \(loss.descriptor.className) takes each label's rounded value (one unit) or its argmax as its class, as Keras does",
                                    at: written.range)
            }
        }
        return (0..<count).map { weights[$0]! }
    }

    mutating func validationSplit(_ written: Located<SpecValue>) -> (ResolvedArguments?, Bool) {
        guard let entries = written.entries else {
            if case .float(let fraction) = written.value {
                diagnostics.error(.fitStructure, "validation is a mapping; write `validation: {split: \(formatNumber(fraction))}`", at: written.range)
            } else {
                diagnostics.error(.fitStructure, "validation is a mapping such as `{split: 0.2}`", at: written.range)
            }
            return (nil, false)
        }
        let binder = ArgumentBinder(owner: "validation", declarations: validationArguments)
        let (table, bound) = binder.bindKeywords(entries, &diagnostics)
        guard let arguments = binder.resolve(table, missingAt: written.range, example: "validation: {split: 0.2}", &diagnostics), bound
        else { return (nil, false) }
        return (arguments, true)
    }

    mutating func checkCallback(_ callback: CompileConfig.Component, logged: [String], hasValidation: Bool, compileKnown: Bool) {
        let name = callback.descriptor.className
        // ModelCheckpoint reads its monitor only to pick the best epoch.
        let watches = name != "ModelCheckpoint" || callback.arguments.bool("save_best_only")
        if let monitor = callback.arguments.optionalString("monitor"), compileKnown, watches {
            let available = logged + (hasValidation ? logged.map { "val_" + $0 } : [])
            if !available.contains(monitor) {
                let range = callback.arguments.ranges["monitor"] ?? callback.range
                let explicit = callback.arguments.isExplicit("monitor") ? "" : " (the default)"
                if monitor.hasPrefix("val_"), logged.contains(String(monitor.dropFirst(4))), !hasValidation {
                    diagnostics.error(.monitorUnavailable, "\(name) monitors '\(monitor)'\(explicit), which needs validation data; add `validation: {split: 0.2}` to fit (or data.validation), or monitor '\(monitor.dropFirst(4))'",
                                      at: range)
                } else {
                    diagnostics.error(.monitorUnavailable, "\(name) monitor '\(monitor)' is not logged; this model logs \(available.joined(separator: ", "))"
                                      + Suggestion.phrase(for: monitor, among: available), at: range,
                                      fixes: callback.arguments.ranges["monitor"].flatMap { Suggestion.fix(for: monitor, among: available, at: $0) }.map { [$0] } ?? [])
                }
            }
        }
        if name == "TensorBoard", let path = callback.arguments.optionalString("log_dir") {
            let parts = path.split(separator: "/").filter { $0 != "." }
            if path.hasPrefix("/") || parts.contains("..") {
                diagnostics.error(.checkpointPath, "TensorBoard log_dir '\(path)' must stay inside the run directory; give a relative folder without '..'",
                                  at: callback.arguments.ranges["log_dir"] ?? callback.range)
            } else if parts.count == 1, RunFileNames.own.contains(String(parts[0])) {
                diagnostics.error(.checkpointPath, "TensorBoard log_dir '\(path)' is one of the run's own files (\(RunFileNames.listed)); choose another folder",
                                  at: callback.arguments.ranges["log_dir"] ?? callback.range)
            }
        }
                if name == "BackupAndRestore", let path = callback.arguments.optionalString("backup_dir"),
           path.hasPrefix("/") || path.split(separator: "/").contains("..") {
            diagnostics.error(.checkpointPath, "BackupAndRestore backup_dir '\(path)' must stay inside the run directory; give a relative folder without '..'",
                              at: callback.arguments.ranges["backup_dir"] ?? callback.range)
        }
    }
}

extension FitConfig {
    /// Keras's `fit` defaults (epochs 1, batch_size 32, shuffled, no validation, no callbacks):
    /// what a spec without `fit:` trains with.
    public static var defaults: FitConfig {
        var checker = TrainingChecker()
        let empty = Located(SpecValue.mapping([]), SourceRange(at: SourceLocation(line: 1, column: 1)))
        return checker.checkFit(empty, compile: nil, compileWritten: true)!
    }
}
