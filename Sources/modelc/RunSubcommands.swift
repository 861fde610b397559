import ArgumentParser
import ModelC
import ModelRun
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The signal (SIGINT or SIGTERM) of the first request to stop, 0 before one came; training stops
/// after the current step and still writes its outputs.
let stopSignal = Atomic<Int32>(0)
/// Stop requests so far; the second ends the process at once.
let stopRequests = Atomic<Int>(0)

/// Installs `train`'s handling of Ctrl-C and of SIGTERM (what schedulers send): the first asks to
/// stop after the current step, the second exits at once without writing (130, or 143 for SIGTERM).
///
/// A plain signal handler rather than a dispatch source: a source runs its handler on a queue the
/// busy worker threads may delay for seconds, and it merges two signals that arrive close together.
/// The handler does only async-signal-safe things: atomics, write(2) and _exit(2).
func handleStopSignals() {
    let handler: @convention(c) (Int32) -> Void = { signal in
        if stopRequests.add(1, ordering: .relaxed).newValue > 1 {
            let message: StaticString = "\nsecond stop request: exiting without writing\n"
            message.withUTF8Buffer { _ = Glibc.write(2, $0.baseAddress, $0.count) }
            _exit(128 + signal)
        }
        _ = stopSignal.compareExchange(expected: 0, desired: signal, ordering: .relaxed)
        let message: StaticString = signal == SIGTERM
            ? "\nterminated: stopping after this step and writing the run's files (send it again to quit at once)\n"
            : "\ninterrupt: stopping after this step (Ctrl-C again to quit at once)\n"
        message.withUTF8Buffer { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
    signal(SIGINT, handler)
    signal(SIGTERM, handler)
}

/// Output that goes straight to the terminal or pipe, unbuffered, so progress shows as it happens.
let terminalOutput = CommandOutput(out: { write($0, to: 1) }, error: { write($0, to: 2) })

/// Both cores unless told otherwise.
func defaultThreads() -> Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

/// Options `train` and `evaluate` share.
struct RunOptions: ParsableArguments {
    @Option(help: "Threads to use (default: every core). Results are identical for any count.")
    var threads: Int?

    @Option(name: .customLong("data"), help: "Root of the spec's relative data paths (default: the spec's folder; also MODELC_DATA).")
    var dataRoot: String?

    @Option(help: "Color diagnostics: auto, always or never.")
    var color: ColorChoice = .auto

    @OptionGroup var memory: MemoryOption

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    /// --threads, bounded by the cores (saying so on standard error), or every core.
    var threadCount: Int {
        guard let threads else { return defaultThreads() }
        let (count, note) = ThreadLimit.bounded(threads, cores: defaultThreads())
        if let note { write(note + "\n", to: 2) }
        return count
    }
}

/// `--max-memory`, which train, evaluate and predict share.
struct MemoryOption: ParsableArguments {
    @Option(name: .customLong("max-memory"), help: ArgumentHelp(
        "Refuse to run when the estimated memory exceeds this (512M, 8G, 8GiB, 2000000000 bytes; default: the memory available).",
        valueName: "SIZE"))
    var maxMemory: String?

    func validate() throws {
        if let maxMemory, MemorySize.parse(maxMemory) == nil {
            throw ValidationError("--max-memory '\(maxMemory)' is not a size; write bytes or a number with K, M, G or T (binary), e.g. 512M or 8G")
        }
    }

    var bytes: Double? { maxMemory.flatMap(MemorySize.parse) }
}

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train the spec's model on its data; writes weights, the best checkpoint, history (CSV, JSON) and learning curves (SVG).")

    @Argument(help: "The spec file.")
    var spec: String

    @Option(name: .customLong("run-dir"), help: "Where to write the run's files (default a new runs/<spec file name>/run_N); a folder that already holds a run is refused unless --overwrite.")
    var runDirectory: String?

    @Flag(help: "Replace the run already in --run-dir (only a folder a modelc run wrote is cleared).")
    var overwrite = false

    @Option(help: "Start from these weights (a safetensors file) instead of fresh initial weights.")
    var weights: String?

    @Option(help: ArgumentHelp("Continue the interrupted run in this folder from its last completed epoch, exactly as if it had not stopped.", valueName: "RUN_DIR"))
    var resume: String?

    @Option(help: "Override fit.epochs.")
    var epochs: Int?

    @Option(name: .customLong("batch-size"), help: "Override fit.batch_size.")
    var batchSize: Int?

    @Option(help: "Override fit.seed (initial weights, shuffling, dropout).")
    var seed: UInt64?

    @OptionGroup var runOptions: RunOptions

    func validate() throws {
        if let resume, let runDirectory, resume != runDirectory {
            throw ValidationError("--resume \(resume) continues the run in that folder; drop --run-dir \(runDirectory)")
        }
        if overwrite, let resume { throw ValidationError("--overwrite replaces a run and --resume continues one; drop one (--resume \(resume))") }
        if overwrite, runDirectory == nil { throw ValidationError("--overwrite replaces the run in --run-dir DIR; without --run-dir every run gets a new runs/<spec>/run_N") }
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() throws {
        handleStopSignals()
        let options = TrainOptions(runDirectory: runDirectory, initialWeights: weights, epochs: epochs, batchSize: batchSize,
                                   seed: seed, threads: runOptions.threadCount, dataRoot: runOptions.dataRoot,
                                   dynamicProgress: isatty(1) == 1, maxMemory: runOptions.memory.bytes, resume: resume,
                                   overwrite: overwrite)
        let code = TrainCommand.run(spec: spec, options: options, output: terminalOutput, color: runOptions.color.enabled(for: 2),
                                    shouldStop: { stopSignal.load(ordering: .relaxed) != 0 })
        // Interrupted by SIGTERM: the shell's code for it, as if the signal had ended the process.
        try exitStatus(code == 130 && stopSignal.load(ordering: .relaxed) == SIGTERM ? 143 : code)
    }
}

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Loss and metrics of the model with given weights on the spec's test data (or --input/--labels).")

    @Argument(help: "The spec file.")
    var spec: String

    @Option(help: "The weights (a safetensors file).")
    var weights: String

    @Option(help: ArgumentHelp("Inputs as a .npy file instead of the spec's test data; NAME=FILE.npy per input of a model with several (repeat).", valueName: "[NAME=]FILE"))
    var input: [String] = []

    @Option(help: ArgumentHelp("Labels as a .npy file, with --input; NAME=FILE.npy per output of a model with several (repeat).", valueName: "[NAME=]FILE"))
    var labels: [String] = []

    @Option(name: .customLong("batch-size"), help: "Samples per batch (default fit.batch_size or 32).")
    var batchSize: Int?

    @Option(help: "The vocabulary.json train wrote, for text test data (default: the one beside --weights).")
    var vocabulary: String?

    @Option(help: ArgumentHelp("Also write a report into this folder (made if missing): test_statistics.json (loss, metrics, per-class precision/recall/F1, confusion matrix, ROC and PR AUC, calibration; or regression errors and R²) and SVG plots of them.", valueName: "DIR"))
    var report: String?

    @OptionGroup var runOptions: RunOptions

    func validate() throws {
        if let report, report.isEmpty { throw ValidationError("--report needs a folder") }
        if !labels.isEmpty, input.isEmpty { throw ValidationError("--labels needs --input") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() throws {
        try exitStatus(EvaluateCommand.run(spec: spec, weights: weights, inputs: NamedFiles(input), labels: NamedFiles(labels),
                                           batchSize: batchSize, dataRoot: runOptions.dataRoot, threads: runOptions.threadCount,
                                           vocabulary: vocabulary, maxMemory: runOptions.memory.bytes, report: report, output: terminalOutput,
                                           color: runOptions.color.enabled(for: 2)))
    }
}

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the model's outputs (inference mode) for inputs in .npy files to a .npy file (.npz for several outputs), or print them for texts.")

    @Argument(help: "The spec file.")
    var spec: String

    @Option(help: "The weights (a safetensors file).")
    var weights: String

    @Option(help: ArgumentHelp("Inputs as a .npy file, samples on the first axis; NAME=FILE.npy per input of a model with several (repeat).", valueName: "[NAME=]FILE"))
    var input: [String] = []

    @Option(help: "Where to write the outputs: float32 .npy for one output, .npz (one array per output layer name) for several, or .csv / .jsonl with a row per sample (probabilities with class names, the predicted class); without it, a table is printed.")
    var output: String?

    @Option(help: "A text to read with the training run's vocabulary (repeat for several); prints one line per text.")
    var text: [String] = []

    @Option(name: .customLong("text-file"), help: "A file with one text per line, like --text.")
    var textFile: String?

    @Option(help: "The vocabulary.json train wrote (default: the one beside --weights).")
    var vocabulary: String?

    @OptionGroup var memory: MemoryOption

    func validate() throws {
        let texts = !text.isEmpty || textFile != nil
        if texts, !input.isEmpty { throw ValidationError("give either --input, or --text/--text-file") }
        if !texts, input.isEmpty { throw ValidationError("give --input (or --text/--text-file)") }
    }

    func run() throws {
        if !input.isEmpty {
            try exitStatus(PredictCommand.run(spec: spec, weights: weights, inputs: NamedFiles(input), outputPath: output,
                                              threads: defaultThreads(), maxMemory: memory.bytes, output: terminalOutput))
            return
        }
        var texts = text
        if let textFile {
            do {
                texts += try PredictCommand.texts(inFile: textFile)
            } catch {
                write("error: \(error.description)\n", to: 2)
                throw ExitCode(1)
            }
        }
        try exitStatus(PredictCommand.run(spec: spec, weights: weights, texts: texts, vocabulary: vocabulary, threads: defaultThreads(),
                                          maxMemory: memory.bytes, outputPath: output, output: terminalOutput))
    }
}

struct Prepare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the data a training run would see (tokenized text included) as .npy files, with the vocabulary and timings.")

    @Argument(help: "The spec file.")
    var spec: String

    @Option(help: "The folder to write x_train.npy, y_train.npy, x_validation.npy, ..., vocabulary.json into.")
    var output: String

    @Option(name: .customLong("data"), help: "Root of the spec's relative data paths (default: the spec's folder; also MODELC_DATA).")
    var dataRoot: String?

    func run() throws {
        try exitStatus(PrepareCommand.run(spec: spec, outputDirectory: output, dataRoot: dataRoot, output: terminalOutput))
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the spec's model as a Keras file: .keras (Keras 3) or .h5 (tf_keras), compiled, with its weights; --script writes a Keras 3 training script.")

    @Argument(help: "The spec file.")
    var spec: String

    @Option(help: "The weights (safetensors, .keras or .h5); without it, fresh initial weights.")
    var weights: String?

    @Option(help: "The Keras file to write: model.keras or model.h5.")
    var output: String?

    @Option(help: "Also (or instead) write a self-contained Python script that trains the model in Keras 3 under a distribution strategy (see docs/distributed.md).")
    var script: String?

    @Option(help: "Seed of the fresh initial weights (default fit.seed, else 0).")
    var seed: UInt64?

    func run() throws {
        try exitStatus(ExportCommand.run(spec: spec, weights: weights, outputPath: output, script: script, seed: seed, output: terminalOutput))
    }
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read a Keras file (.keras or .h5) as data into a spec and its weights; nothing in it is executed.")

    @Argument(help: "The Keras model file.")
    var model: String

    @Option(help: "The spec to write.")
    var output: String

    @Option(name: .customLong("weights-output"), help: "The safetensors file to write the weights to.")
    var weightsOutput: String

    func run() throws {
        try exitStatus(ImportCommand.run(model: model, specPath: output, weightsPath: weightsOutput, output: terminalOutput))
    }
}

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare training runs: each run's final and best values in a table, and their learning curves side by side in an SVG.")

    @Argument(help: "Run directories (each holds the history.json train wrote).")
    var runs: [String]

    @Option(help: "Where to write the curves (SVG).")
    var output: String?

    func validate() throws {
        if runs.isEmpty { throw ValidationError("give at least one run directory") }
    }

    func run() throws {
        try exitStatus(RunComparison.run(runs, output: output, out: terminalOutput))
    }
}
