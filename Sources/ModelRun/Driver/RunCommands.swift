import Foundation
import ModelC

/// Options of `modelc train`.
public struct TrainOptions: Sendable {
    public var runDirectory: String?
    public var initialWeights: String?
    public var epochs: Int?
    public var batchSize: Int?
    public var seed: UInt64?
    public var threads: Int
    /// Replaces the spec's folder as the root of relative data paths (`--data`, or MODELC_DATA).
    public var dataRoot: String?
    /// Redraw the progress bar in place (a terminal).
    public var dynamicProgress: Bool
    /// Continue the interrupted run in this folder (`--resume`); it is also where the run writes.
    public var resume: String?
    /// Bytes the run may use (`--max-memory`); nil: the memory available when it starts.
    public var maxMemory: Double?
    /// Replace the run in `runDirectory` when it already holds one (`--overwrite`).
    public var overwrite: Bool
    /// The command line, for run.json.
    public var commandLine: [String]

    public init(runDirectory: String? = nil, initialWeights: String? = nil, epochs: Int? = nil, batchSize: Int? = nil,
                seed: UInt64? = nil, threads: Int = 1, dataRoot: String? = nil, dynamicProgress: Bool = false,
                maxMemory: Double? = nil, resume: String? = nil, overwrite: Bool = false,
                commandLine: [String] = CommandLine.arguments) {
        self.overwrite = overwrite
        self.commandLine = commandLine
        self.resume = resume
        self.maxMemory = maxMemory
        self.runDirectory = runDirectory
        self.initialWeights = initialWeights
        self.epochs = epochs
        self.batchSize = batchSize
        self.seed = seed
        self.threads = threads
        self.dataRoot = dataRoot
        self.dynamicProgress = dynamicProgress
    }
}

/// Where command output goes: progress as it happens, diagnostics and errors to standard error.
public struct CommandOutput: Sendable {
    public let out: @Sendable (String) -> Void
    public let error: @Sendable (String) -> Void

    public init(out: @escaping @Sendable (String) -> Void, error: @escaping @Sendable (String) -> Void) {
        self.out = out
        self.error = error
    }
}

/// A spec checked for running: its model, and where its relative data paths start.
struct RunnableSpec {
    let file: SourceFile
    let model: TypedModel
    let dataRoot: String
    let name: String

    /// Reads and checks the spec; on errors prints them and returns nil.
    static func load(_ path: String, dataRoot: String?, output: CommandOutput, color: Bool) -> RunnableSpec? {
        let file: SourceFile
        switch SpecFiles.load(path) {
        case .success(let loaded): file = loaded
        case .failure(let diagnostic):
            output.error("error: \(diagnostic.message)\n")
            return nil
        }
        let result = SpecChecker.check(file)
        let text = DiagnosticRenderer.render([FileDiagnostics(file: file, diagnostics: result.diagnostics)], format: .text, color: color)
        if !text.isEmpty { output.error(text) }
        guard let model = result.model else { return nil }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let root = dataRoot ?? ProcessInfo.processInfo.environment["MODELC_DATA"] ?? folder
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return RunnableSpec(file: file, model: model, dataRoot: root, name: name)
    }
}

public enum TrainCommand {
    /// Trains the spec's model on its data and writes the run directory. Exit codes: 0 trained (or
    /// stopped early, or nothing left to resume), 1 spec/data/weights errors, a non-finite loss or a
    /// failed write, 130 interrupted (outputs written; the CLI turns it into 143 for SIGTERM).
    public static func run(spec path: String, options: TrainOptions, output: CommandOutput, color: Bool = false,
                           shouldStop: @escaping () -> Bool = { false }) -> Int32 {
        guard let spec = RunnableSpec.load(path, dataRoot: options.dataRoot, output: output, color: color) else { return 1 }
        let model = spec.model
        guard let compile = model.compile else {
            output.error("error: \(path) needs a `compile` section (optimizer, loss) to train\n")
            return 1
        }
        // Without `fit:`, Keras's fit defaults: one epoch of batches of 32.
        let fit = model.fit ?? .defaults
        guard let trainSplit = model.data?.train else {
            output.error("error: \(path) has no training data; add `data: {train: {x: ..., y: ...}}`\n")
            return 1
        }
        do throws(DataError) {
            if options.resume != nil, options.initialWeights != nil {
                throw DataError("--resume continues a run with its own weights; drop --weights")
            }
            let backup = RunResume.backup(fit)
            let runDirectoryPath = try RunDirectoryChoice.choose(spec: spec.name, explicit: options.runDirectory, resume: options.resume,
                                                                 overwrite: options.overwrite,
                                                                 backupState: backup.map { _ in RunResume.stateName(backup: backup) })
            let statePath = RunResume.statePath(runDirectory: runDirectoryPath, backup: backup)
            var resumed = try RunResume.existing(statePath, explicit: options.resume != nil, automatic: backup != nil, output: output)
            let dataFiles = try RunResume.fingerprints(model, root: spec.dataRoot)
            let batchSize = options.batchSize ?? resumed?.batchSize ?? fit.batchSize
            if let state = resumed {
                if let reason = state.mismatch(specText: String(decoding: spec.file.bytes, as: UTF8.self), dataFiles: dataFiles,
                                               seed: options.seed, batchSize: batchSize) {
                    throw DataError("cannot resume \(statePath): \(reason)")
                }
            }
            let epochs = options.epochs ?? resumed?.epochs ?? fit.epochs
            if let state = resumed, state.finished, state.completedEpochs < state.epochs || epochs <= state.completedEpochs {
                output.out("the run in \(runDirectoryPath) already finished after \(state.completedEpochs) epoch\(state.completedEpochs == 1 ? "" : "s"); nothing to resume (give --epochs to train longer)\n")
                return 0
            }
            if let state = resumed, epochs < state.completedEpochs {
                throw DataError("the run already trained \(state.completedEpochs) epochs; --epochs \(epochs) would end before that")
            }

            try MemoryGuard.beforeReading(model, options: options, root: spec.dataRoot)
            let sources = try TrainingSources.read(trainSplit, model: model, fit: fit, root: spec.dataRoot)
            let raw = sources.train
            try DataLoader.checkShapes(raw, name: "training data", model: model)
            try MemoryGuard.beforeBuilding(model, sources: sources, fit: fit, options: options, root: spec.dataRoot)
            let network: Network
            do {
                network = try Network(model: model, sampleShapes: raw.inputs.map(\.sampleShape), threads: options.threads)
            } catch {
                throw DataError("training data (\(raw.xSource)): \(error.description)")
            }
            let seed = resumed?.seed ?? options.seed ?? fit.arguments.optionalInt("seed").map(UInt64.init) ?? UInt64.random(in: 0...UInt64(UInt32.max))
            let seedSource = resumed != nil ? "resume state" : options.seed != nil ? "--seed"
                : fit.arguments.optionalInt("seed") != nil ? "fit.seed" : "chosen at random"
            Initializers.initialize(network, seed: seed)
            if let weights = options.initialWeights {
                do {
                    try WeightsFile.load(network, from: weights)
                } catch {
                    throw DataError(error.description)
                }
            }
            let trainer = Trainer(network: network, compile: compile, seed: seed, write: output.out, shouldStop: shouldStop)
            var train = try DataLoader.prepare(raw, name: "training data", model: model, losses: trainer.losses)
            var validation = try sources.validation.map { (split: DataLoader.RawSplit) throws(DataError) in
                try DataLoader.prepare(split, name: "validation data", model: model, losses: trainer.losses)
            }
            if validation == nil, !sources.splitApplied, let fraction = fit.validationSplit {
                let parts = ValidationSplit.indices(rows: train.rows, fraction: fraction, seed: fit.validationSeed, stratify: fit.stratify,
                                                    labels: train.y, labelWidth: train.targetSize)
                (train, validation) = (train.subset(parts.train), train.subset(parts.validation))
            }
            if let validation, train.rows == 0 || validation.rows == 0 {
                throw DataError("the validation split leaves no \(train.rows == 0 ? "training" : "validation") samples; change fit.validation.split")
            }
            // Keras weighs only the training samples by class (after validation_split held its rows out).
            if let classWeights = fit.classWeights { try ClassWeights.apply(classWeights, to: &train, source: raw.ySource ?? "labels") }
            // Everything about the folder that can fail does so now, before the first step.
            let runDirectory = try RunDirectory(runDirectoryPath)
            if runDirectory.removedTemporaries > 0 {
                output.out("removed \(runDirectory.removedTemporaries) unfinished temporary file\(runDirectory.removedTemporaries == 1 ? "" : "s") an interrupted run left in \(runDirectoryPath)\n")
            }
            let stateFile = try runDirectory.file(RunResume.stateName(backup: backup))
            let logged = compile.loggedNames
            let loggedNames = logged + (validation == nil ? [] : logged.map { "val_" + $0 })
            var callbacks = try Callbacks.make(fit.callbacks, runDirectory: runDirectory, loggedNames: loggedNames + ["lr"],
                                               modelConfig: fit.callbacks.contains { $0.descriptor.className == "TensorBoard" }
                                                   ? TensorBoard.modelConfig(model) : nil)
            callbacks.append(bestCheckpoint(runDirectory: runDirectory, validation: validation != nil))
            var start: FitStart?
            if let state = resumed {
                guard state.callbacks.count == callbacks.count else {
                    throw DataError("\(statePath) holds \(state.callbacks.count) callback states but the spec has \(callbacks.count) callbacks")
                }
                try trainer.restore(state, file: statePath)
                start = FitStart(completedEpochs: state.completedEpochs, history: state.history, callbacks: state.callbacks)
            }
            let files = RunFiles(directory: runDirectory, title: model.name)
            let recordFile = try runDirectory.file(RunFileNames.record)
            var record = RunRecord(specPath: path, specText: String(decoding: spec.file.bytes, as: UTF8.self), seed: seed,
                                   seedSource: seedSource, commandLine: options.commandLine, threads: options.threads,
                                   batchSize: batchSize, epochs: epochs, dataFiles: dataFiles, started: Date(),
                                   resumedAfterEpoch: resumed?.completedEpochs)
            try record.write(to: recordFile)

            if let vocabulary = sources.vocabulary {
                try AtomicFile.write(vocabulary.json, to: try runDirectory.file("vocabulary.json"))
            }
            // The class names the labels were read as, kept like the vocabulary for evaluate and predict.
            if let classes = sources.train.classes {
                try AtomicFile.write(ClassNames.json(classes), to: try runDirectory.file(RunFileNames.classes))
            }
            output.out(KerasSummary.render(model))
            if let vocabulary = sources.vocabulary {
                output.out("vocabulary: \(vocabulary.words.count) words kept of \(sources.distinctWords) in the training texts (ids 3-\(vocabulary.words.count + 2); 0 pads, 1 starts, 2 is any other word), sequences of \(vocabulary.length)\n")
            }
            output.out("training on \(train.rows) samples\(validation.map { ", validating on \($0.rows)" } ?? ""); batch size \(batchSize), seed \(seed), \(options.threads) thread\(options.threads == 1 ? "" : "s")\n")
            if let state = resumed {
                output.out("resuming from \(statePath) after epoch \(state.completedEpochs) of \(epochs)\n")
            }
            let identity = ResumeState(specText: String(decoding: spec.file.bytes, as: UTF8.self), dataFiles: dataFiles, seed: seed,
                                       batchSize: batchSize, epochs: epochs, completedEpochs: 0, finished: false, iterations: 0,
                                       learningRate: 0, history: History(), callbacks: [], tensors: [:])
            let verbose = fit.arguments.int("verbose")
            let (history, outcome) = trainer.fit(train, validation: validation, epochs: epochs, batchSize: batchSize,
                                                 shuffle: fit.arguments.bool("shuffle"), verbose: verbose,
                                                 dynamicProgress: options.dynamicProgress, callbacks: callbacks, start: start) { progress throws(DataError) in
                // History first, so a run killed after this epoch keeps it; then the state to resume from.
                try files.writeHistory(progress.history)
                let (state, shapes) = trainer.resumeState(progress, identity: identity)
                try AtomicFile.write(state.encoded(shapes: shapes), to: stateFile)
            }
            resumed = nil
            record.ended = Date()
            record.stop = RunRecord.stop(outcome, completed: history.epochs.count, callbacks: callbacks)
            try? record.write(to: recordFile)
            if case .writeFailed(let epoch, let message) = outcome {
                output.error("error: \(message); training stopped in epoch \(epoch), and the run's files are those of the last epoch written in full (after the cause is fixed, continue with --resume \(runDirectoryPath))\n")
                return 1
            }
            try WeightsFile.save(network, to: try runDirectory.file("weights.safetensors"))
            try files.writeHistory(history, restoredEpoch: RunRecord.restoredEpoch(callbacks))
            if case .interrupted = outcome {} else if let backup, backup.arguments.bool("delete_checkpoint") {
                RunResume.deleteBackup(stateFile)
            }
            if let last = history.epochs.last {
                output.out("final: " + history.names.compactMap { name in last[name].map { "\(name): \(format($0))" } }.joined(separator: " - ") + "\n")
            }
            var reportWritten = false
            if case .interrupted = outcome {
                output.out("interrupted: the test data is not scored; continue with --resume \(runDirectoryPath)\n")
            } else if let testSplit = model.data?.test {
                let rawTest = try TrainingSources.read(testSplit, model: model, vocabulary: sources.vocabulary,
                                                       classes: sources.train.classes, root: spec.dataRoot,
                                                       weights: model.data?.sampleWeights["test"], name: "test")
                let test = try DataLoader.prepare(rawTest, name: "test data", model: model, losses: trainer.losses)
                let results = trainer.evaluate(test, batchSize: batchSize)
                output.out("test: " + results.map { "\($0.0): \(format($0.1))" }.joined(separator: " - ") + "\n")
                reportWritten = writeReport(network: network, trainer: trainer, test: test, results: results, batchSize: batchSize,
                                            classes: sources.train.classes ?? Predictions.classNames(model),
                                            runDirectory: runDirectory, output: output)
                // A handful of test samples is a demonstration: show each output beside its label.
                if test.rows <= 10, network.outputs.count == 1, network.outputSize <= 4, let labels = test.y {
                    let outputs = Inference.predict(network, test, batchSize: batchSize)
                    let size = network.outputSize
                    for row in 0..<test.rows {
                        let label = labels[(row * test.targetSize)..<((row + 1) * test.targetSize)].map { format(Double($0)) }
                        let got = outputs[(row * size)..<((row + 1) * size)].map { format(Double($0)) }
                        output.out("test sample \(row + 1): label \(label.joined(separator: ", ")), output \(got.joined(separator: ", "))\n")
                    }
                }
            }
            output.out("wrote \(runDirectoryPath)/: " + files.existing(["weights.safetensors", "best.safetensors", "history.csv", "history.json",
                                                                          "curves.svg", "vocabulary.json", RunFileNames.classes, RunFileNames.record,
                                                                          RunResume.stateName(backup: backup)]
                                                               + callbacks.compactMap { ($0 as? TensorBoard).map { $0.logDir + "/" } }).joined(separator: ", ")
                       + (reportWritten ? ", \(RunFileNames.report)/" : "") + "\n")
            switch outcome {
            case .completed, .stoppedEarly: return 0
            case .interrupted: return 130
            case .nonFiniteLoss, .writeFailed: return 1
            }
        } catch {
            output.error("error: \(error.description)\n")
            return 1
        }
    }

    /// The test report (TestReport) in the run's `report/`; true when written. A report that
    /// cannot be made is a warning: the run's own files are complete without it.
    static func writeReport(network: Network, trainer: Trainer, test: Dataset, results: [(String, Double)], batchSize: Int,
                            classes: [String], runDirectory: RunDirectory, output: CommandOutput) -> Bool {
        do throws(DataError) {
            let report = try TestReport.make(network: network, losses: trainer.losses, data: test, results: results, batchSize: batchSize,
                                             classNames: classes.isEmpty ? nil : classes)
            // Through the run directory's check: `report` is no symlink out of it.
            let folder = (try runDirectory.file(RunFileNames.report + "/" + TestReport.statisticsName) as NSString).deletingLastPathComponent
            try report.write(to: folder)
            return true
        } catch {
            output.error("warning: no test report: \(error.description)\n")
            return false
        }
    }

    /// Always keep the best epoch's weights: lowest val_loss, or loss without validation data.
    static func bestCheckpoint(runDirectory: RunDirectory, validation: Bool) -> Callback {
        let arguments = ResolvedArguments(values: [
            "filepath": .string("best.safetensors"), "monitor": .string(validation ? "val_loss" : "loss"),
            "verbose": .int(0), "save_best_only": .bool(true), "mode": .string("min"),
        ])
        return ModelCheckpoint(arguments, directory: runDirectory, ownFile: true)
    }
}

/// `0.5343` as Keras prints logged values.
func format(_ value: Double) -> String {
    abs(value) > 1e-3 ? String(format: "%.4f", value) : String(format: "%.4e", value)
}

/// Arrays given on the command line: `--input NAME=FILE` (repeatable) or one plain `--input FILE`
/// for a model with one input; the same for `--labels` by output name.
public struct NamedFiles: Sendable, Equatable {
    /// Each value as written, and its NAME= part when it has one.
    public var entries: [(name: String?, path: String, written: String)]

    public init(_ values: [String]) {
        entries = values.map { value in
            // NAME=FILE when what stands before the first '=' is a name; a path may hold '=' too.
            if let equals = value.firstIndex(of: "="), equals != value.startIndex,
               value[..<equals].allSatisfy({ $0.isLetter || $0.isNumber || "_.-".contains($0) }) {
                return (String(value[..<equals]), String(value[value.index(after: equals)...]), value)
            }
            return (nil, value, value)
        }
    }

    public static func == (a: NamedFiles, b: NamedFiles) -> Bool {
        a.entries.map(\.written) == b.entries.map(\.written)
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// The file for each of `names` (the model's inputs or outputs), in order; nil where none is
    /// given and `required` is false. A plain FILE stands for the only name.
    func assign(to names: [String], flag: String, what: String, required: Bool) throws(DataError) -> [String?] {
        var files: [String?] = Array(repeating: nil, count: names.count)
        for entry in entries {
            let index: Int
            var path = entry.path
            if let name = entry.name, let found = names.firstIndex(of: name) {
                index = found
            } else if names.count == 1, entries.count == 1 {
                // The only input: the value is its file, '=' and all.
                index = 0
                path = entry.written
            } else if let name = entry.name {
                throw DataError("\(flag) \(name)=...: the model has no \(what) '\(name)'; its \(what)s are \(names.joined(separator: ", "))"
                                + Suggestion.phrase(for: name, among: names))
            } else {
                throw DataError("this model has \(names.count) \(what)s (\(names.joined(separator: ", "))); name each file: \(flag) \(names[0])=FILE.npy")
            }
            if files[index] != nil { throw DataError("\(flag) gives \(what) '\(names[index])' twice; keep one") }
            files[index] = path
        }
        if required, let missing = files.firstIndex(where: { $0 == nil }) {
            throw DataError("no \(flag) for \(what) '\(names[missing])'; give \(flag) \(names[missing])=FILE.npy for each of \(names.joined(separator: ", "))")
        }
        return files
    }
}

extension DataLoader {
    /// Arrays given on the command line for `model`: one file per input, and labels per output.
    public static func read(inputs: NamedFiles, labels: NamedFiles?, model: TypedModel) throws(DataError) -> RawSplit {
        let inputNames = model.inputs.map(\.name)
        let outputNames = model.outputs.map { model.layers[$0].name }
        let xFiles = try inputs.assign(to: inputNames, flag: "--input", what: "input", required: true)
        let yFiles = try labels?.assign(to: outputNames, flag: "--labels", what: "output", required: false)
            ?? Array(repeating: nil, count: outputNames.count)
        var xs: [NumpyArray] = []
        for file in xFiles {
            xs.append(try NumpyArray.decode(DataFile.read(file!, what: "the input file", origin: .commandLine), file: file!))
        }
        var ys: [NumpyArray?] = []
        for file in yFiles {
            ys.append(try file.map { file throws(DataError) in try NumpyArray.decode(DataFile.read(file, what: "the labels file", origin: .commandLine), file: file) })
        }
        return RawSplit(inputs: xs, targets: ys, inputSources: xFiles.map { $0! }, targetSources: yFiles)
    }
}

public enum EvaluateCommand {
    /// Loss and metrics of the spec's model with `weights` on its test data or on `--input`/`--labels`.
    public static func run(spec path: String, weights: String, inputs: NamedFiles, labels: NamedFiles, batchSize: Int?,
                           dataRoot: String?, threads: Int, vocabulary vocabularyPath: String? = nil,
                           maxMemory: Double? = nil, report: String? = nil, output: CommandOutput, color: Bool = false) -> Int32 {
        guard let spec = RunnableSpec.load(path, dataRoot: dataRoot, output: output, color: color) else { return 1 }
        guard let compile = spec.model.compile else {
            output.error("error: \(path) needs a `compile` section (loss and metrics) to evaluate\n")
            return 1
        }
        do throws(DataError) {
            try MemoryGuard.beforeReading(spec.model, files: inputs, labels, useTestData: inputs.isEmpty, root: spec.dataRoot,
                                          maxMemory: maxMemory)
            var raw: DataLoader.RawSplit
            if !inputs.isEmpty {
                guard !labels.isEmpty else { throw DataError("--input needs --labels to evaluate against") }
                raw = try DataLoader.read(inputs: inputs, labels: labels, model: spec.model)
            } else if let test = spec.model.data?.test {
                let vocabulary = try spec.model.data?.hasText == true ? Vocabulary.beside(weights: weights, explicit: vocabularyPath) : nil
                raw = try TrainingSources.read(test, model: spec.model, vocabulary: vocabulary,
                                               classes: try ClassNames.beside(weights: weights), root: spec.dataRoot,
                                               weights: spec.model.data?.sampleWeights["test"], name: "test")
            } else {
                throw DataError("\(path) has no test data; add data.test or give --input and --labels")
            }
            DataLoader.conform(&raw, to: spec.model)
            try DataLoader.checkShapes(raw, name: inputs.isEmpty ? "test data" : "input data", model: spec.model)
            try MemoryGuard.beforeInference(spec.model, data: raw, batchSize: batchSize ?? spec.model.fit?.batchSize ?? 32,
                                            predicting: false, maxMemory: maxMemory)
            let network = try built(spec.model, sampleShapes: raw.inputs.map(\.sampleShape), threads: threads, weights: weights)
            let trainer = Trainer(network: network, compile: compile, seed: 0, write: output.out)
            let data = try DataLoader.prepare(raw, name: inputs.isEmpty ? "test data" : "input data", model: spec.model, losses: trainer.losses)
            let results = trainer.evaluate(data, batchSize: batchSize ?? spec.model.fit?.batchSize ?? 32)
            output.out("\(data.rows) samples - " + results.map { "\($0.0): \(format($0.1))" }.joined(separator: " - ") + "\n")
            if let report {
                let classes = try ClassNames.beside(weights: weights) ?? Predictions.classNames(spec.model)
                let made = try TestReport.make(network: network, losses: trainer.losses, data: data, results: results,
                                               batchSize: batchSize ?? spec.model.fit?.batchSize ?? 32,
                                               classNames: classes.isEmpty ? nil : classes)
                let written = try made.write(to: report)
                output.out("wrote \(report)/: \(written.joined(separator: ", "))\n")
            }
            return 0
        } catch {
            output.error("error: \(error.description)\n")
            return 1
        }
    }

    static func built(_ model: TypedModel, sampleShapes: [[Int]], threads: Int, weights: String) throws(DataError) -> Network {
        let network: Network
        do {
            network = try Network(model: model, sampleShapes: sampleShapes, threads: threads)
        } catch {
            throw DataError(error.description)
        }
        do {
            try WeightsFile.load(network, from: weights)
        } catch {
            throw DataError(error.description)
        }
        return network
    }
}

public enum PredictCommand {
    /// Writes the model's outputs for the inputs (inference mode) to `outputPath`: float32 `.npy` for
    /// one output, `.npz` with one array per output layer name for several, `.csv` or `.jsonl` with a
    /// row per sample (probabilities, class names, the predicted class; see Predictions); nil prints
    /// that table.
    public static func run(spec path: String, weights: String, inputs: NamedFiles, outputPath: String?, threads: Int,
                           maxMemory: Double? = nil, output: CommandOutput, color: Bool = false) -> Int32 {
        guard let spec = RunnableSpec.load(path, dataRoot: nil, output: output, color: color) else { return 1 }
        do throws(DataError) {
            let names = spec.model.outputs.map { spec.model.layers[$0].name }
            let format = try OutputFormat(outputPath)
            let archive = format == .npz
            if names.count > 1, format == .npy {
                throw DataError("the model has \(names.count) outputs (\(names.joined(separator: ", "))); write them to an .npz file (--output out.npz), one array per output")
            }
            try MemoryGuard.beforeReading(spec.model, files: inputs, useTestData: false, root: "", maxMemory: maxMemory)
            var raw = try DataLoader.read(inputs: inputs, labels: nil, model: spec.model)
            DataLoader.conform(&raw, to: spec.model)
            try DataLoader.checkShapes(raw, name: "input data", model: spec.model)
            try MemoryGuard.beforeInference(spec.model, data: raw, batchSize: spec.model.fit?.batchSize ?? 32, predicting: true,
                                            maxMemory: maxMemory)
            let network = try EvaluateCommand.built(spec.model, sampleShapes: raw.inputs.map(\.sampleShape), threads: threads, weights: weights)
            let data = try DataLoader.prepare(raw, name: "input data", model: spec.model, losses: nil)
            let values = Inference.predictAll(network, data, batchSize: spec.model.fit?.batchSize ?? 32)
            let arrays = zip(values, network.outputShapes).map { NumpyArray(shape: [data.rows] + $1, values: $0) }
            if format.isTable {
                let table = Predictions(model: spec.model, values: values, sizes: network.outputShapes.map { $0.reduce(1, *) }, rows: data.rows,
                                        classes: try ClassNames.beside(weights: weights))
                try writeTable(table, format: format, to: outputPath, rows: data.rows, output: output)
                return 0
            }
            guard let outputPath else { return 0 }
            if archive {
                try AtomicFile.write(NumpyArchive.encode(Array(zip(names, arrays)).map { (name: $0, array: $1) }), to: outputPath)
                let described = zip(names, arrays).map { "\($0) \(shapeText($1.shape))" }.joined(separator: ", ")
                output.out("wrote \(data.rows) predictions of \(names.count) output\(names.count == 1 ? "" : "s") to \(outputPath): \(described)\n")
            } else {
                try AtomicFile.write(arrays[0].encoded(), to: outputPath)
                output.out("wrote \(data.rows) predictions shaped \(shapeText(arrays[0].shape)) to \(outputPath)\n")
            }
            return 0
        } catch {
            output.error("error: \(error.description)\n")
            return 1
        }
    }

    /// Prints the model's output for each text (a probability for a sigmoid unit), one line per text,
    /// tokenized with the training run's vocabulary.
    /// With `outputPath` (`.csv`, `.jsonl`) the rows go to that file, the text in their first column.
    public static func run(spec path: String, weights: String, texts: [String], vocabulary vocabularyPath: String?, threads: Int,
                           maxMemory: Double? = nil, outputPath: String? = nil, output: CommandOutput, color: Bool = false) -> Int32 {
        guard let spec = RunnableSpec.load(path, dataRoot: nil, output: output, color: color) else { return 1 }
        do throws(DataError) {
            guard spec.model.inputs.count == 1, spec.model.input.element == .tokenIDs, spec.model.input.shape.count == 1 else {
                throw DataError("\(path) does not read one input of token ids through an Embedding, so it cannot read text")
            }
            guard !texts.isEmpty else { throw DataError("no texts to predict") }
            let format = try OutputFormat(outputPath)
            if format == .npy || format == .npz {
                throw DataError("--output \(outputPath ?? ""): predictions for texts go to a .csv or .jsonl file (one row per text)")
            }
            for (index, text) in texts.enumerated() where text.allSatisfy(\.isWhitespace) {
                output.error("warning: text \(index + 1) is empty; the model sees only padding for it\n")
            }
            let vocabulary = try Vocabulary.beside(weights: weights, explicit: vocabularyPath)
            let x = NumpyArray(shape: [texts.count, vocabulary.length], values: vocabulary.sequences(texts), kind: .int32)
            let raw = DataLoader.RawSplit(x: x, y: nil, xSource: "the texts given", ySource: nil)
            try MemoryGuard.beforeInference(spec.model, data: raw, batchSize: 64, predicting: true, maxMemory: maxMemory)
            let network = try EvaluateCommand.built(spec.model, sampleShapes: [x.sampleShape], threads: threads, weights: weights)
            let data = try DataLoader.prepare(raw, name: "text input", model: spec.model, losses: nil)
            let values = Inference.predictAll(network, data, batchSize: 64)
            let sizes = network.outputShapes.map { $0.reduce(1, *) }
            let names = network.outputNames
            if outputPath != nil {
                let table = Predictions(model: spec.model, values: values, sizes: sizes, rows: texts.count, leading: [("text", texts)],
                                        classes: try ClassNames.beside(weights: weights))
                try writeTable(table, format: format, to: outputPath, rows: texts.count, output: output)
                return 0
            }
            for (row, text) in texts.enumerated() {
                // One output prints its values; several print each after its name.
                let outputs = values.indices.map { index in
                    let shown = values[index][(row * sizes[index])..<((row + 1) * sizes[index])].map { String(format: "%.4f", $0) }.joined(separator: " ")
                    return names.count == 1 ? shown : "\(names[index]) \(shown)"
                }.joined(separator: "\t")
                output.out("\(outputs)\t\(preview(text))\n")
            }
            return 0
        } catch {
            output.error("error: \(error.description)\n")
            return 1
        }
    }

    /// Where predictions go, by the output's extension.
    enum OutputFormat: Equatable {
        case npy, npz, csv, jsonLines, printed

        init(_ path: String?) throws(DataError) {
            guard let path else { self = .printed; return }
            let lowered = path.lowercased()
            if lowered.hasSuffix(".npy") { self = .npy }
            else if lowered.hasSuffix(".npz") { self = .npz }
            else if lowered.hasSuffix(".csv") { self = .csv }
            else if lowered.hasSuffix(".jsonl") || lowered.hasSuffix(".ndjson") { self = .jsonLines }
            else { throw DataError("--output \(path): write predictions to .npy, .npz, .csv or .jsonl (the format follows the extension)") }
        }

        var isTable: Bool { self == .csv || self == .jsonLines || self == .printed }
    }

    static func writeTable(_ table: Predictions, format: OutputFormat, to path: String?, rows: Int, output: CommandOutput) throws(DataError) {
        switch format {
        case .csv, .jsonLines:
            guard let path else { return }
            try AtomicFile.write(format == .csv ? table.csv : table.jsonLines, to: path)
            output.out("wrote \(rows) prediction\(rows == 1 ? "" : "s") (\(table.columns.joined(separator: ", "))) to \(path)\n")
        default:
            output.out(table.table())
        }
    }

    /// One text per non-empty line of `path`.
    public static func texts(inFile path: String) throws(DataError) -> [String] {
        let bytes = try DataFile.read(path, what: "the text file", origin: .commandLine)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw DataError("\(path) is not valid UTF-8; save it as UTF-8")
        }
        return lines(text).filter { !$0.allSatisfy(\.isWhitespace) }
    }

    /// The lines of `text`, split at \n, \r\n and \r by bytes (a review file is tens of megabytes, and
    /// walking it by Characters costs seconds); lines with other Unicode line breaks (U+0085,
    /// U+2028, U+2029) are split again by Characters.
    static func lines(_ text: String) -> [String] {
        var result: [String] = []
        for piece in text.utf8.split(omittingEmptySubsequences: true, whereSeparator: { $0 == 0x0A || $0 == 0x0D }) {
            let line = String(Substring(piece))
            if piece.contains(where: { $0 >= 0x80 }) {
                result += line.split(whereSeparator: \.isNewline).map(String.init)
            } else {
                result.append(line)
            }
        }
        return result
    }

    /// A text's first 70 characters on one line, for predict's listing; longer texts end in "...".
    static func preview(_ text: String) -> String {
        let head = text.prefix(71).split(whereSeparator: \.isNewline).joined(separator: " ")
        return head.count > 70 ? String(head.prefix(67)) + "..." : head
    }
}

extension Vocabulary {
    /// `explicit`, else `vocabulary.json` in the weights file's folder (where train writes both).
    public static func beside(weights: String, explicit: String?) throws(DataError) -> Vocabulary {
        let path = explicit ?? URL(fileURLWithPath: weights).deletingLastPathComponent().appendingPathComponent("vocabulary.json").path
        do {
            return try read(path)
        } catch {
            if explicit == nil, !FileManager.default.fileExists(atPath: path) {
                throw DataError("this model reads text, which needs the training run's vocabulary; no vocabulary.json beside \(weights) (looked for \(path)); give --vocabulary")
            }
            throw error
        }
    }
}

/// The data of a run, read from the spec's splits: arrays as they are, text through a vocabulary
/// built from the training texts alone (after the validation rows are held out).
struct TrainingSources {
    var train: DataLoader.RawSplit
    var validation: DataLoader.RawSplit?
    var vocabulary: Vocabulary?
    /// Distinct words in the training texts (for the report), 0 for arrays.
    var distinctWords = 0
    /// True when fit.validation was already applied (text is split before its vocabulary exists).
    var splitApplied = false
    /// Seconds spent reading files, and (for text) tokenizing, ranking and padding.
    var readSeconds = 0.0
    var tokenizeSeconds = 0.0

    static func read(_ split: DataSplit, model: TypedModel, fit: FitConfig, root: String) throws(DataError) -> TrainingSources {
        if split.namedText != nil { return try readNamedText(split, model: model, fit: fit, root: root) }
        guard case .text(let source) = split else {
            var train = try DataLoader.read(split, weights: model.data?.sampleWeights["train"], root: root)
            DataLoader.conform(&train, to: model)
            var validation: DataLoader.RawSplit?
            if let split = model.data?.validation {
                validation = try read(split, model: model, vocabulary: nil, classes: train.classes, root: root,
                                      weights: model.data?.sampleWeights["validation"])
            }
            return TrainingSources(train: train, validation: validation)
        }
        let started = Date()
        var table = try TextTable.read(source, weights: model.data?.sampleWeights["train"], root: root)
        var validationTable: TextTable?
        var splitApplied = false
        if let split = model.data?.validation {
            guard case .text(let validationSource) = split else {
                throw DataError("validation data must be text like the training data (a csv with text, or a directory)")
            }
            validationTable = try TextTable.read(validationSource, weights: model.data?.sampleWeights["validation"], root: root)
        } else if let fraction = fit.validationSplit {
            let parts = ValidationSplit.indices(rows: table.count, fraction: fraction, seed: fit.validationSeed,
                                                stratify: fit.stratify, labels: table.labels)
            validationTable = table.rows(parts.validation)
            table = table.rows(parts.train)
            splitApplied = true
        }
        let read = Date()
        let preprocessing = model.data?.text ?? TextPreprocessing()
        let length = preprocessing.maxlen ?? model.input.shape.first.flatMap { $0 } ?? 1
        let (vocabulary, rows) = Vocabulary.build(from: table.texts, preprocessing: preprocessing, length: length)
        let validation = validationTable.map { raw($0, rows: vocabulary.sequences($0.texts), length: length) }
        return TrainingSources(
            train: raw(table, rows: rows, length: length), validation: validation,
            vocabulary: vocabulary, distinctWords: vocabulary.distinctWords, splitApplied: splitApplied,
            readSeconds: read.timeIntervalSince(started), tokenizeSeconds: Date().timeIntervalSince(read))
    }

    /// A named split whose one text input is a CSV column: the other tensors as arrays, the texts
    /// held out with them for validation, then tokenized with a vocabulary of the training texts.
    static func readNamedText(_ split: DataSplit, model: TypedModel, fit: FitConfig, root: String) throws(DataError) -> TrainingSources {
        let started = Date()
        var (raw, table, input) = try namedParts(split, root: root)
        try attachWeights(&raw, model.data?.sampleWeights["train"], root: root)
        var validation: (DataLoader.RawSplit, TextTable)?
        var splitApplied = false
        if let other = model.data?.validation {
            guard other.namedText != nil else {
                throw DataError("validation data must read text like the training data (a CSV text column for the same input)")
            }
            var (validationRaw, validationTable, _) = try namedParts(other, root: root)
            try attachWeights(&validationRaw, model.data?.sampleWeights["validation"], root: root)
            validation = (validationRaw, validationTable)
        } else if let fraction = fit.validationSplit {
            let labels = raw.targets.first.flatMap { $0 }
            let parts = ValidationSplit.indices(rows: table.count, fraction: fraction, seed: fit.validationSeed, stratify: fit.stratify,
                                                labels: labels?.values, labelWidth: labels.map { $0.sampleShape.reduce(1, *) } ?? 1)
            validation = (raw.rows(parts.validation), table.rows(parts.validation))
            raw = raw.rows(parts.train)
            table = table.rows(parts.train)
            splitApplied = true
        }
        let read = Date()
        let preprocessing = model.data?.text ?? TextPreprocessing()
        let length = preprocessing.maxlen ?? model.inputs[input].type.shape.first.flatMap { $0 } ?? 1
        let (vocabulary, rows) = Vocabulary.build(from: table.texts, preprocessing: preprocessing, length: length)
        raw.inputs[input] = NumpyArray(shape: [table.count, length], values: rows, kind: .int32)
        DataLoader.conform(&raw, to: model)
        let validationRaw = validation.map { split, texts in
            var split = split
            split.inputs[input] = NumpyArray(shape: [texts.count, length], values: vocabulary.sequences(texts.texts), kind: .int32)
            DataLoader.conform(&split, to: model)
            return split
        }
        return TrainingSources(train: raw, validation: validationRaw, vocabulary: vocabulary, distinctWords: vocabulary.distinctWords,
                               splitApplied: splitApplied, readSeconds: read.timeIntervalSince(started),
                               tokenizeSeconds: Date().timeIntervalSince(read))
    }

    /// A named split's arrays with the text input left empty, its texts, and which input reads them.
    static func namedParts(_ split: DataSplit, root: String) throws(DataError) -> (DataLoader.RawSplit, TextTable, Int) {
        guard case .named(let x, let y) = split, let text = split.namedText else {
            throw DataError("expected a split with a text column")
        }
        let table = try TextTable.readCSV(DataLoader.resolve(text.path, root: root), textColumn: text.column, labelColumn: nil, classes: nil)
        var tensors: [TensorData] = []
        for (index, tensor) in x.enumerated() where index != text.input { tensors.append(tensor) }
        tensors += y.compactMap { $0 }
        var arrays = try DataLoader.read(tensors, root: root)[...]
        var inputs: [NumpyArray] = []
        for index in x.indices {
            inputs.append(index == text.input ? NumpyArray(shape: [table.count, 0], values: []) : arrays.removeFirst())
        }
        let targets = y.map { tensor -> NumpyArray? in tensor == nil ? nil : arrays.removeFirst() }
        for (array, tensor) in zip(inputs + targets.compactMap { $0 }, x + y.compactMap { $0 }) where array.rows != table.count {
            throw DataError("\(tensor.label) has \(array.rows) rows but \(text.path)[\(text.column)] has \(table.count) texts; every input and output needs one row per sample")
        }
        let raw = DataLoader.RawSplit(inputs: inputs, targets: targets, inputSources: x.map(\.label), targetSources: y.map { $0?.label })
        return (raw, table, text.input)
    }

    /// A further split (validation or test) read the same way as the training data.
    /// `classes`: the training labels' class names (a CSV label column of texts), which this split's
    /// label texts map to.
    static func read(_ split: DataSplit, model: TypedModel, vocabulary: Vocabulary?, classes: [String]? = nil,
                     root: String, weights: TensorData? = nil, name: String = "validation") throws(DataError) -> DataLoader.RawSplit {
        if let text = split.namedText {
            guard let vocabulary else {
                throw DataError("\(text.path)[\(text.column)] is text, which needs the vocabulary of the training texts (vocabulary.json in the run directory)")
            }
            var (raw, table, input) = try namedParts(split, root: root)
            try attachWeights(&raw, weights, root: root)
            raw.inputs[input] = NumpyArray(shape: [table.count, vocabulary.length], values: vocabulary.sequences(table.texts), kind: .int32)
            DataLoader.conform(&raw, to: model)
            return raw
        }
        guard case .text(let source) = split else {
            var raw = try DataLoader.read(split, weights: weights, root: root, classes: classes, name: name)
            DataLoader.conform(&raw, to: model)
            return raw
        }
        guard let vocabulary else {
            throw DataError("\(source.label) is text, which needs the vocabulary of the training texts (vocabulary.json in the run directory)")
        }
        let table = try TextTable.read(source, weights: weights, root: root)
        return raw(table, rows: vocabulary.sequences(table.texts), length: vocabulary.length)
    }

    /// Padded ids as x ([rows, length], integers) and the labels as y.
    /// Reads `weights` into `raw` (a named split whose text input is read apart from its arrays).
    static func attachWeights(_ raw: inout DataLoader.RawSplit, _ weights: TensorData?, root: String) throws(DataError) {
        guard let weights else { return }
        raw.weights = try DataLoader.read([weights], root: root)[0]
        raw.weightSource = weights.label
    }

    static func raw(_ table: TextTable, rows: [Float], length: Int) -> DataLoader.RawSplit {
        var raw = DataLoader.RawSplit(
            x: NumpyArray(shape: [table.count, length], values: rows, kind: .int32),
            y: table.labels.map { NumpyArray(shape: [table.count], values: $0, kind: .int32) },
            xSource: table.source, ySource: table.source)
        raw.weights = table.weights.map { NumpyArray(shape: [$0.count], values: $0, kind: .float32) }
        raw.weightSource = table.weightSource
        return raw
    }
}

/// `modelc prepare`: the data a training run would see, written as `.npy` files (and the vocabulary),
/// with how long reading and tokenizing took. Other tools can then train on identical arrays.
public enum PrepareCommand {
    public static func run(spec path: String, outputDirectory: String, dataRoot: String?, output: CommandOutput, color: Bool = false) -> Int32 {
        guard let spec = RunnableSpec.load(path, dataRoot: dataRoot, output: output, color: color) else { return 1 }
        let model = spec.model
        guard let trainSplit = model.data?.train else {
            output.error("error: \(path) has no training data to prepare\n")
            return 1
        }
        do throws(DataError) {
            let fit = model.fit ?? .defaults
            var sources = try TrainingSources.read(trainSplit, model: model, fit: fit, root: spec.dataRoot)
            if sources.validation == nil, !sources.splitApplied, let fraction = fit.validationSplit {
                let train = sources.train
                let width = train.y.map { $0.sampleShape.reduce(1, *) } ?? 1
                let parts = ValidationSplit.indices(rows: train.rows, fraction: fraction, seed: fit.validationSeed,
                                                    stratify: fit.stratify, labels: train.y?.values, labelWidth: width)
                sources.validation = train.rows(parts.validation)
                sources.train = train.rows(parts.train)
            }
            var written: [String] = []
            // One input and output: x_train.npy, y_train.npy; named ones: x_train_<input>.npy, y_train_<output>.npy.
            let inputNames = model.inputs.count == 1 ? [nil] : model.inputs.map { Optional($0.name) }
            let outputNames = model.outputs.count == 1 ? [nil] : model.outputs.map { Optional(model.layers[$0].name) }
            func save(_ split: DataLoader.RawSplit?, _ name: String) throws(DataError) {
                guard let split else { return }
                func store(_ array: NumpyArray, _ file: String) throws(DataError) {
                    try AtomicFile.write(array.encoded(), to: "\(outputDirectory)/\(file)")
                    written.append("\(file) \(shapeText(array.shape))")
                }
                for (array, input) in zip(split.inputs, inputNames) { try store(array, "x_\(name)\(input.map { "_" + $0 } ?? "").npy") }
                for (array, output) in zip(split.targets, outputNames) {
                    if let array { try store(array, "y_\(name)\(output.map { "_" + $0 } ?? "").npy") }
                }
            }
            try save(sources.train, "train")
            try save(sources.validation, "validation")
            if let test = model.data?.test {
                let started = Date()
                try save(TrainingSources.read(test, model: model, vocabulary: sources.vocabulary, classes: sources.train.classes,
                                              root: spec.dataRoot, name: "test"), "test")
                output.out("test data read\(sources.vocabulary == nil ? "" : " and tokenized") in \(String(format: "%.2f", Date().timeIntervalSince(started))) s\n")
            }
            if let vocabulary = sources.vocabulary {
                try AtomicFile.write(vocabulary.json, to: outputDirectory + "/vocabulary.json")
                written.append("vocabulary.json (\(vocabulary.words.count) words)")
                output.out("training texts: read in \(String(format: "%.2f", sources.readSeconds)) s; tokenized, ranked and padded in \(String(format: "%.2f", sources.tokenizeSeconds)) s\n")
            }
            output.out("wrote \(outputDirectory)/: " + written.joined(separator: ", ") + "\n")
            return 0
        } catch {
            output.error("error: \(error.description)\n")
            return 1
        }
    }
}

extension DataLoader.RawSplit {
    /// Rows `indices` of every input and target, in that order.
    func rows(_ indices: [Int]) -> DataLoader.RawSplit {
        var part = DataLoader.RawSplit(inputs: inputs.map { $0.rows(indices) }, targets: targets.map { $0?.rows(indices) },
                                       inputSources: inputSources, targetSources: targetSources)
        part.weights = weights?.rows(indices)
        part.weightSource = weightSource
        return part
    }
}

extension NumpyArray {
    /// Rows `indices` (first axis), in that order.
    func rows(_ indices: [Int]) -> NumpyArray {
        let width = sampleShape.reduce(1, *)
        var picked = [Float]()
        picked.reserveCapacity(indices.count * width)
        for index in indices { picked.append(contentsOf: values[(index * width)..<((index + 1) * width)]) }
        return NumpyArray(shape: [indices.count] + sampleShape, values: picked, kind: kind)
    }
}
