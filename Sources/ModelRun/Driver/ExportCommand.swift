import ModelC

/// `modelc export SPEC [--weights W] --output model.keras|model.h5 [--script train.py]`: the spec's
/// model as a Keras file, with the given weights (safetensors or a Keras file) or freshly initialised
/// ones (seeded as train seeds them: --seed, else fit.seed, else 0 so that two exports agree); with
/// `--script`, also (or only) a Python script that trains it in Keras 3 (TrainScript).
public enum ExportCommand {
    public static func run(spec path: String, weights: String?, outputPath: String?, script: String? = nil, seed: UInt64?,
                           output: CommandOutput, color: Bool = false) -> Int32 {
        guard outputPath != nil || script != nil else {
            output.error("error: export needs --output model.keras (or model.h5), --script train.py, or both\n")
            return 1
        }
        guard let spec = RunnableSpec.load(path, dataRoot: nil, output: output, color: color) else { return 1 }
        do throws(DataError) {
            let format = try outputPath.map { (outputPath: String) throws(DataError) -> KerasFileFormat in
                guard let format = KerasFileFormat(path: outputPath) else {
                    throw DataError("--output \(DataFile.shown(outputPath)) names no Keras format; end it in .keras (Keras 3) or .h5 (tf_keras)")
                }
                return format
            }
            let network: Network
            do {
                network = try Network(model: spec.model)
            } catch {
                throw DataError(error.description)
            }
            let source: String
            var optimizer: Optimizer?
            if let weights, let state = try? ResumeState.read(weights) {
                // A run's resume state: its weights and, for a .keras file, its optimizer's state, so
                // that training continues in Keras where modelc stopped.
                optimizer = try restore(state, into: network, model: spec.model, file: weights)
                source = "the weights and optimizer state of \(DataFile.shown(weights)) after epoch \(state.completedEpochs)"
            } else if let weights {
                do {
                    try WeightsFile.load(network, from: weights)
                } catch {
                    throw DataError(error.description)
                }
                source = "the weights in \(DataFile.shown(weights))"
            } else {
                let chosen = seed ?? spec.model.fit?.arguments.optionalInt("seed").map(UInt64.init) ?? 0
                Initializers.initialize(network, seed: chosen)
                source = "fresh initial weights (seed \(chosen))"
            }
            let tensors = Dictionary(uniqueKeysWithValues: WeightsFile.tensors(of: network).map { ($0.name, $0.tensor) })
            // Each Keras file is encoded once, so the script embeds exactly the bytes --output gets.
            let wanted = Set([format].compactMap { $0 } + (script == nil ? [] : [.keras, .h5]))
            var files: [KerasFileFormat: [UInt8]] = [:]
            for kind in [KerasFileFormat.keras, .h5] where wanted.contains(kind) {
                files[kind] = try KerasWriter.encode(spec.model, tensors: tensors, format: kind, optimizer: optimizer)
            }
            if let outputPath, let format {
                try AtomicFile.write(files[format]!, to: outputPath)
                let reader = format == .keras ? "Keras 3: keras.models.load_model" : "tf_keras: tf_keras.models.load_model"
                output.out("wrote \(outputPath): \(spec.model.name), \(spec.model.parameterCount) parameters, \(source) (\(reader))\n")
            }
            if let script {
                let text = TrainScript.render(spec.model, specPath: path, keras: files[.keras]!, h5: files[.h5]!)
                try AtomicFile.write(Array(text.utf8), to: script)
                output.out("wrote \(script): a Keras 3 training script for \(spec.model.name) with \(source) embedded; run python3 \(script) --help\n")
            }
            return 0
        } catch {
            output.error("error: \(error.description)\n")
            return 1
        }
    }

    /// Puts a resume state's weights into `network` and returns the optimizer it had.
    static func restore(_ state: ResumeState, into network: Network, model: TypedModel, file: String) throws(DataError) -> Optimizer? {
        func values(_ name: String, count: Int) throws(DataError) -> [Float] {
            guard let values = state.tensors[name], values.count == count else {
                throw DataError("\(DataFile.shown(file)) has no \(name) of \(count) values; it is the resume state of another model")
            }
            return values
        }
        for parameter in network.parameters {
            parameter.value.copy(from: Buffer(try values("weights/" + parameter.name, count: parameter.count)))
        }
        guard let compile = model.compile else { return nil }
        let optimizer = Optimizer(compile.optimizer, parameters: network.parameters)
        for (name, buffer) in optimizer.slots {
            buffer.copy(from: Buffer(try values("optimizer/" + name, count: buffer.count)))
        }
        optimizer.iterations = state.iterations
        optimizer.learningRate = Double(state.learningRate)
        return optimizer
    }
}
