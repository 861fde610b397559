/// The front end in one call: read the YAML, check the model, compile and fit.
public enum SpecChecker {
    public struct Result: Sendable {
        /// The typed model when the spec has no errors (warnings allowed).
        public var model: TypedModel?
        /// Every diagnostic in source order.
        public var diagnostics: [Diagnostic]
        /// The spec as read (nil when the YAML could not be read at all).
        public var document: SpecDocument? = nil
        /// Every layer that could be typed, in spec order, also when the spec has errors: what an
        /// editor shows as the spec is being typed. Equals `model.layers` (before pruning) when valid.
        public var typedLayers: [TypedLayer] = []

        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    }

    public static func check(_ file: SourceFile) -> Result {
        let (document, readDiagnostics) = SpecReader.read(file)
        var bag = DiagnosticBag()
        bag.append(contentsOf: readDiagnostics)
        guard let document else { return Result(model: nil, diagnostics: bag.sorted) }

        var models = ModelChecker()
        models.source = file
        let checked = models.check(document)
        bag.append(contentsOf: models.diagnostics.diagnostics)

        var dataChecker = DataChecker()
        let data = dataChecker.check(document.data, model: checked)
        bag.append(contentsOf: dataChecker.diagnostics.diagnostics)

        var training = TrainingChecker()
        let outputs = checked.map(TrainingChecker.outputFacts)
        let compile = training.checkCompile(document.compile, outputs: outputs)
        let fit = training.checkFit(document.fit, compile: compile, compileWritten: document.compile != nil,
                                    dataValidation: data?.validation != nil)
        bag.append(contentsOf: training.diagnostics.diagnostics)

        guard let checked, !bag.hasErrors else {
            return Result(model: nil, diagnostics: bag.sorted, document: document, typedLayers: models.typedLayers)
        }
        let model = TypedModel(name: checked.name, isFunctional: checked.isFunctional, inputs: checked.inputs,
                               layers: checked.layers, outputs: checked.outputs, compile: compile, fit: fit, data: data,
                               nameIsDefault: document.name == nil)
        bag.append(contentsOf: MemoryReport.diagnostics(model))
        return Result(model: model, diagnostics: bag.sorted, document: document, typedLayers: models.typedLayers)
    }
}
