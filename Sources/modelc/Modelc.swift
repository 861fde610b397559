import ArgumentParser
import ModelC
import ModelRun
import ModelLSP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension DiagnosticFormat: ExpressibleByArgument {}
extension SummaryFormat: ExpressibleByArgument {}
extension SummaryLayout: ExpressibleByArgument {}

/// When to color diagnostics.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never

    /// `auto` colors only a terminal, and never when NO_COLOR is set.
    func enabled(for descriptor: Int32) -> Bool {
        switch self {
        case .always: true
        case .never: false
        case .auto: isatty(descriptor) == 1 && getenv("NO_COLOR") == nil
        }
    }
}

struct Modelc: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "modelc",
        abstract: "Checks, summarizes and trains Keras-style models declared in YAML.",
        version: modelcVersion,
        subcommands: [Check.self, Summary.self, Train.self, Evaluate.self, Predict.self, Prepare.self, Compare.self, Export.self, Import.self, Plot.self, Reference.self, Explain.self, Schema.self, LSP.self])
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check spec files and directories; exit 0 when all are valid, 1 on any error, 2 on usage errors.")

    @Argument(help: "Spec files, or directories searched for *.yaml and *.yml.")
    var paths: [String]

    @Option(help: "text (compiler style), github (Actions annotations), json (codes, ranges, notes, fixes) or sarif (SARIF 2.1.0 for code scanning).")
    var format: DiagnosticFormat = .text

    @Flag(help: "Treat warnings as errors for the exit code.")
    var warningsAsErrors = false

    @Option(help: "Color the text format: auto, always or never.")
    var color: ColorChoice = .auto

    @Flag(help: "Also print each valid spec's estimated memory to train at its batch_size (data arrays not counted).")
    var cost = false

    @Option(help: "Root of the specs' relative data paths (default $MODELC_DATA, else each spec's folder).")
    var data: String?

    @Flag(help: "Do not look at the data files (CI without the data).")
    var noData = false

    func run() throws {
        let dataCheck: CheckCommand.DataCheck? = noData ? nil : dataFileCheck(root: data)
        let outcome = CheckCommand.run(paths: paths, format: format, warningsAsErrors: warningsAsErrors,
                                       color: color.enabled(for: 1), cost: cost, dataCheck: dataCheck)
        try finish(outcome)
    }
}

struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the model summary exactly as Keras's model.summary() does.")

    @Argument(help: "The spec file.")
    var spec: String

    @Option(help: "text (Keras's table) or json (the same facts, with multiply-adds and weight bytes).")
    var format: SummaryFormat = .text

    @Option(help: "keras (Keras 2.9–2.12 text), legacy (Keras 2.8 and earlier), tf-keras (tf_keras 2.13 and later: totals with sizes) or keras3 (Keras 3's box-drawn table).")
    var layout: SummaryLayout = .keras

    @Flag(help: "Also print multiply-adds per sample and weight bytes per layer after Keras's table, and the memory estimate.")
    var cost = false

    @Option(help: "Color diagnostics: auto, always or never.")
    var color: ColorChoice = .auto

    func run() throws {
        try finish(SummaryCommand.run(path: spec, format: format, layout: layout, cost: cost, color: color.enabled(for: 2)))
    }
}

struct Reference: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the layer and training reference (the generated part of Grammar.md) as Markdown.")

    func run() throws {
        print(GrammarReference.markdown(), terminator: "")
    }
}

struct LSP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lsp",
        abstract: "Run the Language Server Protocol server on standard input and output (diagnostics, hover, completion, inlay hints, symbols, definitions, quick fixes).")

    func run() throws {
        // Data files as `check` reads them: from MODELC_DATA, else each spec's folder.
        try exitStatus(LanguageServerStdio.run(dataCheck: dataFileCheck(root: nil)))
    }
}

struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the JSON Schema (draft-07) of spec files, generated from the catalogues (docs/modelc.schema.json).")

    func run() throws {
        print(JSONSchema.rendered(), terminator: "")
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain a diagnostic code (MC0301 or its name), with an example; without a code, list them all.")

    @Argument(help: "A code such as MC0301, or its name such as unknown-layer.")
    var code: String?

    @Flag(help: "Print every code as Markdown (docs/diagnostics.md).")
    var markdown = false

    func run() throws {
        try finish(ExplainCommand.run(code: code, markdown: markdown))
    }
}

/// The data check of `check` and `lsp`: files relative to `root`, else MODELC_DATA, else the spec's folder.
func dataFileCheck(root given: String?) -> CheckCommand.DataCheck {
    let root = given ?? getenv("MODELC_DATA").map { String(cString: $0) }
    return { result, path in
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        return DataFileCheck.diagnostics(result, root: root ?? (folder.isEmpty ? "/" : folder))
    }
}

/// Writes the outcome; a non-zero code ends the command with it.
func finish(_ outcome: CommandOutcome) throws {
    write(outcome.standardOutput, to: 1)
    write(outcome.standardError, to: 2)
    try exitStatus(outcome.exitCode)
}

/// Ends the command with `code` unless it is 0 (ArgumentParser exits with it).
func exitStatus(_ code: Int32) throws {
    if code != 0 { throw ExitCode(code) }
}

/// Writes all of `text` to a file descriptor (1 = stdout, 2 = stderr), unbuffered.
func write(_ text: String, to descriptor: Int32) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        if written <= 0 { return }
        bytes = bytes.dropFirst(written)
    }
}

@main
enum Main {
    static func main() {
        #if !DEBUG
        // OpenBLAS chose its kernels when it loaded; a better set takes a fresh start with it named
        // (BLASCore). execv returns only if it fails, and then the kernels there are serve. Debug
        // builds (the tests') keep the library's choice, so in-process and spawned runs agree.
        if let core = BLASCore.better() {
            setenv("OPENBLAS_CORETYPE", core, 1)
            execv("/proc/self/exe", CommandLine.unsafeArgv)
        }
        #endif
        // A write past a file-size limit then fails with EFBIG, reported like any failed write,
        // instead of killing the process before it can say why.
        signal(SIGXFSZ, SIG_IGN)
        // A parent may start modelc with signals blocked (Foundation's Process from a thread that
        // blocks them does): Ctrl-C and SIGTERM must still arrive. Threads started later inherit this.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGINT)
        sigaddset(&stopSignals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &stopSignals, nil)
        do {
            var command = try Modelc.parseAsRoot()
            try command.run()
        } catch {
            // Usage errors exit 2, as the check contract promises (ArgumentParser's default is 64).
            if Modelc.exitCode(for: error) == .validationFailure {
                write(Modelc.fullMessage(for: error) + "\n", to: 2)
                exit(2)
            }
            Modelc.exit(withError: error)
        }
    }
}
