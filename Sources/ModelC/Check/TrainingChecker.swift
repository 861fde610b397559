/// Checks `compile` and `fit` against the optimizer, loss, metric and callback catalogues, and the
/// loss and metrics against the model's output.
struct TrainingChecker {
    var diagnostics = DiagnosticBag()

    /// What the loss check needs to know about the model's output.
    struct OutputFacts {
        var layerName: String
        /// Size of the output's last axis, nil if unknown.
        var units: Int?
        /// The last activation applied, looking through layers that only move values around.
        var activation: Activation?
    }

    static func outputFacts(_ layers: [TypedLayer]) -> OutputFacts? {
        guard let last = layers.last else { return nil }
        let passThrough: Set<LayerKind> = [.dropout, .spatialDropout1D, .flatten, .reshape, .repeatVector,
                                           .maxPooling1D, .averagePooling1D, .globalMaxPooling1D, .globalAveragePooling1D]
        var activation: Activation?
        var source = last
        for layer in layers.reversed() {
            source = layer
            if passThrough.contains(layer.descriptor.kind) { continue }
            activation = layer.activation
            break
        }
        return OutputFacts(layerName: source.name, units: last.output.shape.last ?? nil, activation: activation)
    }

    // MARK: compile

    mutating func checkCompile(_ section: Located<SpecValue>?, output: OutputFacts?) -> CompileConfig? {
        guard let section else { return nil }
        guard let entries = section.entries else {
            diagnostics.error("`compile` is a mapping such as `{optimizer: adam, loss: mse}`, not \(section.value.kindName)", at: section.range)
            return nil
        }
        let binder = ArgumentBinder(owner: "compile", declarations: compileArguments)
        let (table, bound) = binder.bindKeywords(entries, &diagnostics)
        let optimizer = table["optimizer"].map { component($0.value, optimizerCatalog) }
            ?? defaultComponent("rmsprop", optimizerCatalog, at: section.range)
        if let optimizer { checkClipping(optimizer) }
        var loss: CompileConfig.Component?
        if let written = table["loss"] {
            loss = component(written.value, lossCatalog)
        } else {
            diagnostics.error("compile needs a loss, e.g. `loss: binary_crossentropy`", at: section.range)
        }
        let metrics = table["metrics"].map { self.metrics($0.value) } ?? []
        if let loss, let output { checkLoss(loss, against: output) }
        if let output { metrics?.forEach { checkMetric($0, against: output) } }
        guard bound, let optimizer, let loss, let metrics else { return nil }
        return CompileConfig(optimizer: optimizer, loss: loss, metrics: metrics)
    }

    /// A component written as a name (`adam`) or as `{ClassName: {arguments}}`.
    mutating func component(_ written: Located<SpecValue>, _ catalog: ComponentCatalog) -> CompileConfig.Component? {
        switch written.value {
        case .string(let name):
            return lookup(Located(name, written.range), catalog).flatMap { descriptor in
                resolveArguments(descriptor, entries: [], anchor: written.range, classRange: written.range)
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
                diagnostics.error("the arguments of \(descriptor.className) are a mapping such as `{\(descriptor.arguments.first?.name ?? "name"): ...}`",
                                  at: entry.value.range)
                return nil
            }
        case .mapping(let entries):
            diagnostics.error("\(catalog.withArticle) is one name or a one-key mapping `{ClassName: {arguments}}`, but this mapping has \(entries.count) keys",
                              at: written.range)
            return nil
        default:
            diagnostics.error("\(catalog.withArticle) is a name such as `\(catalog.all[0].names.first ?? catalog.all[0].className)` or `{\(catalog.all[0].className): {arguments}}`, not \(written.value.kindName)",
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
        diagnostics.error(message, at: name.range)
        return nil
    }

    mutating func resolveArguments(_ descriptor: ComponentDescriptor, entries: [SpecEntry], anchor: SourceRange,
                                   classRange: SourceRange) -> CompileConfig.Component? {
        let binder = ArgumentBinder(owner: descriptor.className, declarations: descriptor.arguments)
        let (table, bound) = binder.bindKeywords(entries, &diagnostics)
        guard let arguments = binder.resolve(table, missingAt: anchor, example: nil, &diagnostics), bound else { return nil }
        return CompileConfig.Component(descriptor: descriptor, arguments: arguments, range: classRange)
    }

    mutating func checkClipping(_ optimizer: CompileConfig.Component) {
        let set = ["clipnorm", "clipvalue", "global_clipnorm"].filter { optimizer.arguments.isExplicit($0) }
        if set.count > 1, let range = optimizer.arguments.ranges[set[1]] {
            diagnostics.error("\(optimizer.descriptor.className) takes only one of clipnorm, clipvalue and global_clipnorm (Keras refuses more); keep \(set[0]) or \(set[1])",
                              at: range)
        }
    }

    mutating func metrics(_ written: Located<SpecValue>) -> [CompileConfig.Metric]? {
        guard case .list(let items) = written.value else {
            if case .string(let name) = written.value {
                diagnostics.error("metrics is a list; write `metrics: [\(name)]`", at: written.range)
            } else {
                diagnostics.error("metrics is a list of names such as `[accuracy]`", at: written.range)
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
                loggedName = written == "AUC" ? "auc" : written
            } else {
                loggedName = component.descriptor.defaultLoggedName
            }
            if let first = seen[loggedName] {
                diagnostics.error("metric '\(loggedName)' is listed twice; keep one", at: item.range,
                                  notes: [.note("first listed here", at: first)])
                ok = false
                continue
            }
            seen[loggedName] = item.range
            metrics.append(CompileConfig.Metric(descriptor: component.descriptor, arguments: component.arguments,
                                                loggedName: loggedName, range: item.range))
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
                diagnostics.error("\(name) treats each output as an independent probability, but \(producer) ends in a softmax over \(units) units; use categorical_crossentropy (one-hot labels) or sparse_categorical_crossentropy (integer labels), or sigmoid for multi-label outputs",
                                  at: loss.range)
            } else if !fromLogits, !activation.producesProbabilities {
                diagnostics.warning("\(name) expects probabilities, but \(producer) outputs \(activation.rawValue) values; add activation: sigmoid, or set from_logits: true on the loss",
                                    at: loss.range)
            } else if fromLogits, activation.producesProbabilities {
                diagnostics.warning("from_logits: true expects raw scores, but \(producer) already applies \(activation.rawValue); remove the activation or from_logits",
                                    at: loss.range)
            }
        case "CategoricalCrossentropy", "SparseCategoricalCrossentropy":
            if output.units == 1 {
                diagnostics.error("\(name) needs one output unit per class, but \(producer) has 1 unit; for two classes use binary_crossentropy with a sigmoid unit",
                                  at: loss.range)
            } else if !fromLogits, activation != .softmax {
                diagnostics.warning("\(name) expects a softmax over the classes, but \(producer) outputs \(activation.rawValue) values; add activation: softmax, or set from_logits: true on the loss",
                                    at: loss.range)
            } else if fromLogits, activation == .softmax {
                diagnostics.warning("from_logits: true expects raw scores, but \(producer) already applies softmax; remove the activation or from_logits",
                                    at: loss.range)
            }
        default:
            break
        }
    }

    mutating func checkMetric(_ metric: CompileConfig.Metric, against output: OutputFacts) {
        if metric.descriptor.className == "AUC", let units = output.units, units != 1 {
            diagnostics.error("AUC is computed for binary outputs (one unit), but \(output.layerName) has \(units) units", at: metric.range)
        }
    }

    // MARK: fit

    mutating func checkFit(_ section: Located<SpecValue>?, compile: CompileConfig?, compileWritten: Bool,
                           dataValidation: Bool = false) -> FitConfig? {
        guard let section else { return nil }
        guard let entries = section.entries else {
            diagnostics.error("`fit` is a mapping such as `{epochs: 10, batch_size: 64}`, not \(section.value.kindName)", at: section.range)
            return nil
        }
        if !compileWritten {
            diagnostics.error("fit needs a `compile` section with at least a loss, e.g. `compile: {optimizer: adam, loss: mse}`", at: section.range)
        }
        let binder = ArgumentBinder(owner: "fit", declarations: fitArguments)
        var (table, bound) = binder.bindKeywords(entries, &diagnostics)
        let validation = table.removeValue(forKey: "validation")
        let callbacksWritten = table.removeValue(forKey: "callbacks")
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
                diagnostics.error("stratify needs a seed: a stratified split shuffles each class first", at: range)
                validationOK = false
            }
            if dataValidation {
                diagnostics.error("validation data is given twice: as a split here and as data.validation; keep one", at: validation.nameRange)
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
                diagnostics.error("callbacks is a list such as `[EarlyStopping: {patience: 3}]`", at: written.range)
                callbacksOK = false
            }
        }
        let logged = ["loss"] + (compile?.metrics.map(\.loggedName) ?? [])
        for callback in callbacks {
            checkCallback(callback, logged: logged, hasValidation: validation != nil || dataValidation,
                          compileKnown: compile != nil || !compileWritten)
        }
        guard bound, let arguments, validationOK, callbacksOK else { return nil }
        var config = FitConfig(arguments: arguments, validationSplit: split, callbacks: callbacks)
        config.validationSeed = validationSeed
        config.stratify = stratify
        return config
    }

    mutating func validationSplit(_ written: Located<SpecValue>) -> (ResolvedArguments?, Bool) {
        guard let entries = written.entries else {
            if case .float(let fraction) = written.value {
                diagnostics.error("validation is a mapping; write `validation: {split: \(formatNumber(fraction))}`", at: written.range)
            } else {
                diagnostics.error("validation is a mapping such as `{split: 0.2}`", at: written.range)
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
                    diagnostics.error("\(name) monitors '\(monitor)'\(explicit), which needs validation data; add `validation: {split: 0.2}` to fit (or data.validation), or monitor '\(monitor.dropFirst(4))'",
                                      at: range)
                } else {
                    diagnostics.error("\(name) monitor '\(monitor)' is not logged; this model logs \(available.joined(separator: ", "))"
                                      + Suggestion.phrase(for: monitor, among: available), at: range)
                }
            }
        }
        if name == "ModelCheckpoint", let path = callback.arguments.optionalString("filepath") {
            let range = callback.arguments.ranges["filepath"] ?? callback.range
            if path.hasPrefix("/") || path.split(separator: "/").contains("..") {
                diagnostics.error("ModelCheckpoint filepath '\(path)' must stay inside the run directory; give a relative path without '..'", at: range)
            } else if !path.hasSuffix(".safetensors") {
                diagnostics.warning("ModelCheckpoint writes safetensors weights; name the file '.safetensors' (Keras's .h5 and .keras formats are not written)", at: range)
            }
        }
    }
}
