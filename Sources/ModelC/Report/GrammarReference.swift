/// Renders the reference part of Grammar.md from the catalogues, so the document cannot drift from
/// what the checker accepts (a test compares the two).
public enum GrammarReference {
    public static let beginMarker = "<!-- BEGIN GENERATED REFERENCE: `modelc reference` prints this part -->"
    public static let endMarker = "<!-- END GENERATED REFERENCE -->"

    public static func markdown() -> String {
        var out: [String] = [beginMarker, ""]
        out.append("## Top-level keys")
        out.append("")
        out.append("| key | meaning |")
        out.append("|---|---|")
        for section in SpecSection.allCases {
            out.append("| `\(section.rawValue)` | \(escape(section.doc)) |")
        }
        out.append("")
        out.append("## Layer reference")
        out.append("")
        out.append("Every layer also takes the common arguments:")
        out.append("")
        out += table(LayerDescriptor.commonArguments)
        out.append("In a functional spec (top-level `inputs:`) every layer also takes `inputs`: the input or earlier layer it reads, or a list of them for a merge layer (" + LayerCatalog.all.filter { $0.has(.merge) }.map { "`\($0.className)`" }.joined(separator: ", ") + "). Without `inputs` a layer reads the entry before it (the first entry reads the only input).")
        out.append("")
        for descriptor in LayerCatalog.all {
            out += layerSection(descriptor)
        }
        out.append("## Activations")
        out.append("")
        out.append("| name | function |")
        out.append("|---|---|")
        for activation in Activation.allCases {
            out.append("| `\(activation.rawValue)` | \(escape(activation.doc)) |")
        }
        out.append("")
        out.append("## Initializers")
        out.append("")
        out.append("`*_initializer` arguments take Keras's names: " + InitializerName.all.map { "`\($0)`" }.joined(separator: ", ")
                   + " (`uniform` is Keras's RandomUniform(-0.05, 0.05)).")
        out.append("")
        out.append("## compile")
        out.append("")
        out += table(compileArguments)
        out += components("Optimizers", optimizerCatalog)
        out += components("Learning-rate schedules", scheduleCatalog)
        out += components("Losses", lossCatalog)
        out += components("Metrics", metricCatalog)
        out.append("## fit")
        out.append("")
        out += table(fitArguments)
        out.append("`validation` takes:")
        out.append("")
        out += table(validationArguments)
        out += components("Callbacks", callbackCatalog)
        out.append("## data")
        out.append("")
        out.append("`data` maps split names (" + dataSplitNames.map { "`\($0)`" }.joined(separator: ", ") + ") to splits, each taking:")
        out.append("")
        out += table(dataSplitArguments)
        out.append("A split's `window` (time-series windows, as Keras's `timeseries_dataset_from_array`) takes:")
        out.append("")
        out += table(timeseriesWindowArguments)
        out.append("`data.text` (preprocessing of text splits) takes:")
        out.append("")
        out += table(textPreprocessingArguments)
        out.append(endMarker)
        return out.joined(separator: "\n") + "\n"
    }

    static func layerSection(_ descriptor: LayerDescriptor) -> [String] {
        var out = ["### \(descriptor.className)", "", escape(descriptor.doc), ""]
        if !descriptor.aliases.isEmpty {
            out.append("Also spelled " + descriptor.aliases.map { "`\($0)`" }.joined(separator: ", ") + ".")
            out.append("")
        }
        var shorthand: [String] = []
        if !descriptor.positional.isEmpty {
            shorthand.append("bare values fill " + descriptor.positional.map { "`\($0)`" }.joined(separator: ", ") + " in order")
        }
        if !descriptor.words.isEmpty {
            shorthand.append("bare words set " + descriptor.words.map { "`\($0)`" }.joined(separator: ", "))
        }
        if descriptor.has(.wrapper) {
            shorthand.append("the wrapped layer follows, starting at its class name")
        }
        out.append("Shorthand: " + descriptor.examples.map { "`\($0)`" }.joined(separator: ", ")
                   + (shorthand.isEmpty ? "." : " — " + shorthand.joined(separator: "; ") + "."))
        out.append("")
        if descriptor.ownArguments.isEmpty {
            out.append("No arguments of its own.")
            out.append("")
        } else {
            out += table(descriptor.ownArguments)
        }
        if let example = descriptor.examples.first, let layer = LayerExamples.typed(example) {
            let weights = layer.weights.isEmpty
                ? "no weights"
                : layer.weights.map { "`\($0.name)` \($0.shape)" + ($0.trainable ? "" : " (non-trainable)") }.joined(separator: ", ")
            let inputs = layer.inputs.count == 1
                ? "input \(layer.input.kerasDescription)"
                : "inputs " + layer.inputs.map(\.kerasDescription).joined(separator: " and ")
            out.append("`\(example)` on \(inputs) → output \(layer.output.kerasDescription); \(weights).")
            out.append("")
        }
        return out
    }

    static func components(_ title: String, _ catalog: ComponentCatalog) -> [String] {
        var out = ["### \(title)", ""]
        for descriptor in catalog.all {
            let names = descriptor.names.map { "`\($0)`" }.joined(separator: ", ")
            out.append("#### \(descriptor.className)" + (names.isEmpty ? "" : " (\(names))"))
            out.append("")
            out.append(escape(descriptor.doc))
            out.append("")
            if !descriptor.arguments.isEmpty { out += table(descriptor.arguments) }
        }
        return out
    }

    static func table(_ arguments: [ArgumentDecl]) -> [String] {
        var out = ["| argument | type | default | allowed | meaning |", "|---|---|---|---|---|"]
        for argument in arguments {
            out.append("| `\(argument.name)` | \(escape(argument.type.name)) | \(escape(argument.defaultDescription)) | \(escape(argument.type.allowed)) | \(escape(argument.doc)) |")
        }
        out.append("")
        return out
    }

    static func escape(_ text: String) -> String { text.replacingAll("|", with: "\\|") }
}

/// Types a catalogue example on a representative input, for the reference and its tests.
public enum LayerExamples {
    /// Inputs tried in order until the example's layer accepts one.
    static let sampleInputs: [TensorType] = [
        TensorType([100], .tokenIDs), TensorType([100, 16]), TensorType([16]), TensorType([10, 100, 16]),
    ]

    public static func typed(_ shorthand: String) -> TypedLayer? {
        var diagnostics: [Diagnostic] = []
        let range = SourceRange(at: SourceLocation(line: 1, column: 1))
        guard let spec = Shorthand.parse(shorthand, range: range, contentStart: nil, diagnostics: &diagnostics) else { return nil }
        var bag = DiagnosticBag()
        guard let resolved = LayerResolution.resolve(spec, &bag), !bag.hasErrors else { return nil }
        LayerResolution.assignNames([resolved])
        // Merge layers are shown on two copies of the input.
        let count = resolved.descriptor.rule.arity.takesList ? 2 : 1
        for input in sampleInputs {
            var checker = ModelChecker()
            let inputs = Array(repeating: input, count: count)
            if let layer = checker.type(resolved, sources: (0..<count).map { .input($0) }, inputs: inputs,
                                        producers: Array(repeating: nil, count: count),
                                        names: Array(repeating: "from the input", count: count)) {
                return layer
            }
        }
        return nil
    }
}
