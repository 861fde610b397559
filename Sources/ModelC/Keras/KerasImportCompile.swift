/// Keras's compile settings (Keras 3 `compile_config`, tf_keras `training_config`) as a spec's
/// `compile:` section: optimizer, losses, loss weights, metrics, each checked against modelc's
/// catalogues; what modelc lacks is a problem, never silently dropped.
enum KerasImportCompile {
    /// Keras optimizer keys that modelc has no argument for, with the value modelc's optimizers behave as.
    static let optimizerFixed: [String: JSONValue] = [
        "use_ema": .bool(false), "ema_momentum": .double(0.99), "ema_overwrite_frequency": .null,
        "loss_scale_factor": .null, "gradient_accumulation_steps": .null, "jit_compile": .bool(false),
        "is_legacy_optimizer": .bool(false),
    ]

    static func optimizer(_ json: JSONValue, problems: inout [String]) -> String? {
        if let name = json.stringValue {
            guard optimizerCatalog.descriptor(named: name) != nil else {
                problems.append("compile: optimizer '\(name)' is not one modelc has (\(optimizerCatalog.all.map(\.className).joined(separator: ", ")))")
                return nil
            }
            return SpecText.scalar(name)
        }
        var className = json["class_name"]?.stringValue ?? "?"
        if className.hasPrefix("Custom>") { className = String(className.dropFirst("Custom>".count)) }
        guard let descriptor = optimizerCatalog.descriptor(named: className) else {
            problems.append("compile: the optimizer \(className) is not one modelc has (\(optimizerCatalog.all.map(\.className).joined(separator: ", ")))")
            return nil
        }
        var arguments: [(String, String)] = []
        let config = json["config"]?.objectValue ?? []
        for (key, value) in config where key != "name" {
            if key == "learning_rate", value.objectValue != nil {
                // A LearningRateSchedule, serialized as {class_name, config}.
                if let schedule = component(value, scheduleCatalog, what: "learning-rate schedule", problems: &problems) {
                    arguments.append((key, schedule))
                }
                continue
            }
            if let decl = descriptor.arguments.first(where: { $0.name == key }) {
                var notes: [String] = []
                do throws(KerasImportValues.Refusal) {
                    var argument = try KerasImportValues.value(value, decl.type, notes: &notes)
                    // Keras keeps the learning rate as a float32 variable and writes it widened to double.
                    if key == "learning_rate", case .float(let rate) = argument { argument = .float(Double(Float(rate).description) ?? rate) }
                    if !KerasImportValues.same(argument, decl.defaultValue) { arguments.append((key, KerasImportValues.text(argument))) }
                } catch {
                    problems.append("compile: the optimizer's \(key) \(error.reason)")
                }
                continue
            }
            guard let fixed = optimizerFixed[key] else {
                problems.append("compile: the optimizer argument \(key)=\(KerasImportValues.short(value)) is not one modelc has for \(className)")
                continue
            }
            let matches = fixed.doubleValue != nil ? fixed.doubleValue == value.doubleValue || value == .null : fixed == value || (key == "ema_overwrite_frequency")
            if !matches { problems.append("compile: the optimizer's \(key)=\(KerasImportValues.short(value)) is not supported by modelc") }
        }
        if arguments.isEmpty { return SpecText.scalar(descriptor.names.first ?? descriptor.className) }
        return SpecText.mapping([(descriptor.className, SpecText.mapping(arguments))])
    }

    static func losses(_ json: JSONValue, problems: inout [String]) -> String? {
        if let pairs = json.objectValue, json["class_name"] == nil {
            let items = pairs.compactMap { name, loss in component(loss, lossCatalog, what: "loss of \(name)", problems: &problems).map { (name, $0) } }
            return items.count == pairs.count ? SpecText.mapping(items) : nil
        }
        if let list = json.arrayValue {
            problems.append("compile: losses as a list (\(list.count)); write them as a mapping from output name to loss")
            return nil
        }
        return component(json, lossCatalog, what: "loss", problems: &problems)
    }

    /// Metrics: a list, a mapping per output, or tf_keras's nested lists of MeanMetricWrapper objects.
    static func metrics(_ json: JSONValue, outputs: [String], problems: inout [String]) -> String? {
        func list(_ items: [JSONValue], output: String?) -> String? {
            var texts: [String] = []
            for item in items {
                var metric = item
                // tf_keras: {"class_name": "MeanMetricWrapper", "config": {"name": "cls_accuracy", "fn": ...}}.
                if item["class_name"]?.stringValue == "MeanMetricWrapper", var name = item["config"]?["name"]?.stringValue {
                    if let output, name.hasPrefix(output + "_") { name = String(name.dropFirst(output.count + 1)) }
                    metric = .string(name)
                }
                guard let text = component(metric, metricCatalog, what: "metric", problems: &problems) else { return nil }
                texts.append(text)
            }
            return "[" + texts.joined(separator: ", ") + "]"
        }
        if let pairs = json.objectValue, json["class_name"] == nil {
            let items = pairs.compactMap { name, value in list(value.arrayValue ?? [value], output: name).map { (name, $0) } }
            return items.count == pairs.count ? SpecText.mapping(items) : nil
        }
        guard let items = json.arrayValue else { return list([json], output: nil) }
        // tf_keras nests one list per output.
        if items.allSatisfy({ $0.arrayValue != nil }) {
            if items.count == 1 { return list(items[0].arrayValue!, output: nil) }
            let flattened = zip(outputs, items).filter { !($0.1.arrayValue ?? []).isEmpty }
            let lists = flattened.compactMap { name, value in list(value.arrayValue!, output: name).map { (name, $0) } }
            return lists.count == flattened.count ? SpecText.mapping(lists) : nil
        }
        return list(items, output: nil)
    }

    static func component(_ json: JSONValue, _ catalog: ComponentCatalog, what: String, problems: inout [String]) -> String? {
        if let name = json.stringValue {
            guard catalog.descriptor(named: name) != nil else {
                problems.append("compile: the \(what) '\(name)' is not one modelc has (\(catalog.all.map(\.className).joined(separator: ", ")))")
                return nil
            }
            return SpecText.scalar(name)
        }
        guard let className = json["class_name"]?.stringValue, let descriptor = catalog.descriptor(named: className) else {
            problems.append("compile: the \(what) \(KerasImportValues.short(json)) is not one modelc has (\(catalog.all.map(\.className).joined(separator: ", ")))")
            return nil
        }
        var arguments: [(String, String)] = []
        for (key, value) in json["config"]?.objectValue ?? [] {
            guard let decl = descriptor.arguments.first(where: { $0.name == key }) else {
                // Keras's bookkeeping of a loss or metric object, at the values modelc behaves as.
                if ["reduction", "dtype", "axis", "fn"].contains(key) || (key == "name" && catalog.kind != "metric") { continue }
                problems.append("compile: the \(what) \(className) has \(key)=\(KerasImportValues.short(value)), which modelc does not take")
                continue
            }
            var notes: [String] = []
            do throws(KerasImportValues.Refusal) {
                let argument = try KerasImportValues.value(value, decl.type, notes: &notes)
                if key == "name", case .string(let text) = argument, text == (descriptor.names.first ?? descriptor.defaultLoggedName) { continue }
                // Keras 3 names a schedule after its class unless told otherwise (PiecewiseConstantDecay: PiecewiseConstant).
                if key == "name", catalog.kind == scheduleCatalog.kind, case .string(let text) = argument,
                   text == KerasSchedules.keras3DefaultName(className) { continue }
                if !KerasImportValues.same(argument, decl.defaultValue) { arguments.append((key, KerasImportValues.text(argument))) }
            } catch {
                problems.append("compile: the \(what) \(className)'s \(key) \(error.reason)")
            }
        }
        if arguments.isEmpty { return SpecText.scalar(descriptor.names.first ?? descriptor.className) }
        return SpecText.mapping([(descriptor.className, SpecText.mapping(arguments))])
    }
}
