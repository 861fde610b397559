import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// `check` on ModelCheckpoint file names: each form Python (or modelc on purpose) refuses gets its
/// own located error at the filepath, and the names that pass format as Python would.
@Suite struct CheckpointPathCheckTests {
    /// The filepath sits on line 10, its value from column 19.
    static func spec(_ filepath: String, callbacksBefore: String = "") -> String {
        """
        input: [8]
        layers:
          - Dense 4 relu
          - Dense 1 sigmoid
        compile: {optimizer: adam, loss: binary_crossentropy, metrics: [accuracy]}
        fit:
          validation: {split: 0.25}
          callbacks:\(callbacksBefore)
            - ModelCheckpoint:
                filepath: '\(filepath.replacingOccurrences(of: "'", with: "''"))'

        """
    }

    /// The errors for `filepath`, each checked to sit at the filepath's value.
    static func errors(_ filepath: String, callbacksBefore: String = "") -> [String] {
        let diagnostics = TestSupport.check(spec(filepath, callbacksBefore: callbacksBefore)).diagnostics.filter { $0.severity == .error }
        let line = callbacksBefore.isEmpty ? 10 : 10 + callbacksBefore.split(separator: "\n").count
        for diagnostic in diagnostics {
            #expect(diagnostic.range.start == SourceLocation(line: line, column: 19), "\(diagnostic.message) at \(diagnostic.range.start)")
        }
        return diagnostics.map(\.message)
    }

    static func refusal(_ filepath: String, _ reason: String) -> [String] {
        ["ModelCheckpoint filepath '\(filepath)': \(reason)"]
    }

    @Test func namesPythonFormatsPass() {
        #expect(Self.errors("e{epoch:03d}-{val_loss:.4f}-{accuracy:.1%}-{{x}}.safetensors").isEmpty)
        #expect(Self.errors("{epoch!s:>4}-{loss!r}-{epoch:#x}-{val_accuracy:e}.safetensors").isEmpty)
        #expect(Self.errors("e{epoch}-{lr:.2e}.safetensors", callbacksBefore: "\n    - ReduceLROnPlateau").isEmpty)
    }

    @Test func bracesMustBalance() {
        #expect(Self.errors("e{epoch.safetensors") == Self.refusal("e{epoch.safetensors", "a '{' opens a field that is never closed; close it with '}', or write '{{' for a literal brace"))
        #expect(Self.errors("e}.safetensors") == Self.refusal("e}.safetensors", "a '}' closes no field; write '}}' for a literal brace"))
        #expect(Self.errors("e{ep{och}.safetensors") == Self.refusal("e{ep{och}.safetensors", "a '{' inside a field name; a field is {epoch} or {name:spec}, and '{{' writes a literal brace"))
    }

    @Test func conversionsAreSOrR() {
        #expect(Self.errors("{epoch!x}.safetensors") == Self.refusal("{epoch!x}.safetensors", "{epoch!x}: !x is not a conversion; Python knows !s, !r and !a (or leave it out)"))
        #expect(Self.errors("{epoch!}.safetensors") == Self.refusal("{epoch!}.safetensors", "'!' needs a conversion after it: !s or !r"))
        #expect(Self.errors("{epoch!sx}.safetensors") == Self.refusal("{epoch!sx}.safetensors", "after the conversion !s comes '}', or ':' and a format spec"))
        #expect(Self.errors("{loss!s:=8}.safetensors") == Self.refusal("{loss!s:=8}.safetensors", "{loss!s:=8}: a string cannot be aligned with '=' (Python: '=' alignment not allowed in string format specifier); use '<', '>' or '^'; loss is a string after !s here, written for example {loss!s:>6}"))
        #expect(Self.errors("{loss!r:+}.safetensors") == Self.refusal("{loss!r:+}.safetensors", "{loss!r:+}: a string takes no sign (Python: Sign not allowed in string format specifier); loss is a string after !r here, written for example {loss!s:>6}"))
    }

    @Test func onlyNamedValuesThemselves() {
        #expect(Self.errors("{0}.safetensors") == Self.refusal("{0}.safetensors", "{0} names no value; Keras fills in only named values: {epoch} or a logged one such as {val_accuracy}"))
        #expect(Self.errors("{}.safetensors") == Self.refusal("{}.safetensors", "{} names no value; Keras fills in only named values: {epoch} or a logged one such as {val_accuracy}"))
        #expect(Self.errors("{epoch.real}.safetensors") == Self.refusal("{epoch.real}.safetensors", "{epoch.real} reads an attribute or an index of epoch; modelc formats only the value itself, as in {epoch}"))
        #expect(Self.errors("{loss[0]}.safetensors") == Self.refusal("{loss[0]}.safetensors", "{loss[0]} reads an attribute or an index of loss; modelc formats only the value itself, as in {loss}"))
        #expect(Self.errors("{epoch:{w}}.safetensors") == Self.refusal("{epoch:{w}}.safetensors", "{epoch:{w}} nests a field inside its format spec; modelc takes only a literal spec such as {epoch:02d}"))
    }

    @Test func unknownNamesSuggestLoggedOnes() {
        #expect(Self.errors("{val_los}.safetensors") == Self.refusal("{val_los}.safetensors", "{val_los} is not logged; use {epoch} or one of loss, accuracy, val_loss, val_accuracy; did you mean 'val_loss'?"))
        #expect(Self.errors("{epoc:02d}.safetensors") == Self.refusal("{epoc:02d}.safetensors", "{epoc:02d} is not logged; use {epoch} or one of loss, accuracy, val_loss, val_accuracy; did you mean 'epoch'?"))
        // lr is in the logs only once a ReduceLROnPlateau has run in the same epoch's end.
        #expect(Self.errors("{lr}.safetensors") == Self.refusal("{lr}.safetensors", "{lr}: lr is logged only by a ReduceLROnPlateau listed before this ModelCheckpoint in callbacks; add one there, or use {epoch} or one of loss, accuracy, val_loss, val_accuracy"))
    }

    @Test func sizesAreBounded() {
        #expect(Self.errors("e{epoch:100000000d}.safetensors") == Self.refusal("e{epoch:100000000d}.safetensors", "{epoch:100000000d}: a width above 64 makes no sense in a file name; modelc formats at most 64"))
        #expect(Self.errors("{loss:.65f}.safetensors") == Self.refusal("{loss:.65f}.safetensors", "{loss:.65f}: a precision above 64 makes no sense in a file name; modelc formats at most 64"))
    }

    @Test func typesMustSuitTheValue() {
        let float = "loss is a float here, written for example {loss:.4f}"
        let int = "epoch is an int here, written for example {epoch:02d}"
        #expect(Self.errors("{loss:d}.safetensors") == Self.refusal("{loss:d}.safetensors", "{loss:d}: Python has no format type 'd' for a float (Unknown format code 'd' for object of type 'float'); \(float)"))
        #expect(Self.errors("{epoch:s}.safetensors") == Self.refusal("{epoch:s}.safetensors", "{epoch:s}: Python has no format type 's' for an int (Unknown format code 's' for object of type 'int'); \(int)"))
        #expect(Self.errors("{epoch:.2d}.safetensors") == Self.refusal("{epoch:.2d}.safetensors", "{epoch:.2d}: an int takes no precision (Python: Precision not allowed in integer format specifier); drop the '.2' or use a float type such as '.2f'; \(int)"))
        #expect(Self.errors("{epoch:zd}.safetensors") == Self.refusal("{epoch:zd}.safetensors", "{epoch:zd}: 'z' applies to floats only; Python refuses it for an int; \(int)"))
        #expect(Self.errors("{epoch:c}.safetensors") == Self.refusal("{epoch:c}.safetensors", "{epoch:c}: type 'c' writes the character whose code is the value, which has no place in a file name; use 'd'; \(int)"))
        #expect(Self.errors("{loss:n}.safetensors") == Self.refusal("{loss:n}.safetensors", "{loss:n}: type 'n' follows the locale Keras happens to run in; use 'g'; \(float)"))
        #expect(Self.errors("{epoch:,x}.safetensors") == Self.refusal("{epoch:,x}.safetensors", "{epoch:,x}: Python cannot group digits with ',' for type 'x'; '_' groups them by four"))
        #expect(Self.errors("{epoch:,_d}.safetensors") == Self.refusal("{epoch:,_d}.safetensors", "{epoch:,_d}: both ',' and '_' separate digit groups; keep one"))
        #expect(Self.errors("{epoch:.}.safetensors") == Self.refusal("{epoch:.}.safetensors", "{epoch:.}: '.' needs a precision after it, as in '.2f'"))
    }

    /// The specs that crashed or misbehaved when they went to String(format:).
    @Test func formerPrintfSpecsAreRefused() {
        #expect(Self.errors("e{epoch:s%%d}.safetensors") == Self.refusal("e{epoch:s%%d}.safetensors", "{epoch:s%%d}: 's%%d' is not a format spec Python reads: after the sizes only one type letter may follow (as in '04d' or '.3f')"))
        #expect(Self.errors("e{epoch:*d}.safetensors") == Self.refusal("e{epoch:*d}.safetensors", "{epoch:*d}: '*d' is not a format spec Python reads: after the sizes only one type letter may follow (as in '04d' or '.3f')"))
        #expect(Self.errors("e{loss:s%%f}.safetensors") == Self.refusal("e{loss:s%%f}.safetensors", "{loss:s%%f}: 's%%f' is not a format spec Python reads: after the sizes only one type letter may follow (as in '04d' or '.3f')"))
    }

    @Test func namesMustStayInTheRunDirectory() {
        #expect(Self.errors("{epoch:/>4}.safetensors") == Self.refusal("{epoch:/>4}.safetensors", "{epoch:/>4} pads with '/', which would end up in the file name; pick another fill such as '0' or '_'"))
        #expect(Self.errors("..{loss!s:.0}/w.safetensors") == ["ModelCheckpoint filepath '..{loss!s:.0}/w.safetensors' formats to names like '../w.safetensors', which must stay inside the run directory; give a relative path without '..'"])
        #expect(Self.errors("../w.safetensors") == ["ModelCheckpoint filepath '../w.safetensors' must stay inside the run directory; give a relative path without '..'"])
    }

    @Test func everyFieldsProblemIsReported() {
        let path = "{val_los}-{loss:d}-{epoch:.2d}.safetensors"
        #expect(Self.errors(path).count == 3)
    }

    @Test func runtimeNamesComeFromTheSameFormatter() throws {
        #expect(try CheckpointPath.format("e{epoch:02d}-{val_loss:.2f}.safetensors", epoch: 3, logs: ["val_loss": 2.675]) == "e03-2.67.safetensors")
        #expect(try CheckpointPath.format("{loss}.safetensors", epoch: 1, logs: ["loss": 1e-05]) == "1e-05.safetensors")
        #expect(throws: DataError("ModelCheckpoint filepath '{loss:d}' cannot name the checkpoint of epoch 1: {loss:d}: Python has no format type 'd' for a float (Unknown format code 'd' for object of type 'float'); loss is a float here, written for example {loss:.4f}")) {
            try CheckpointPath.format("{loss:d}", epoch: 1, logs: ["loss": 0.5])
        }
        #expect(throws: DataError("ModelCheckpoint filepath '..{loss!s:.0}/w' gives '../w' at epoch 1, which must stay inside the run directory; give a relative path without '..'")) {
            try CheckpointPath.format("..{loss!s:.0}/w", epoch: 1, logs: ["loss": 0.5])
        }
        // A value missing from this epoch's logs is an error, not a crash.
        #expect(throws: DataError.self) { try CheckpointPath.format("{val_loss}", epoch: 1, logs: ["loss": 0.5]) }
        // lr only after a ReduceLROnPlateau.
        let names = CheckpointTemplate.availableNames(logged: ["loss", "lr"], callbacks: ["ModelCheckpoint", "ReduceLROnPlateau", "ModelCheckpoint"], position: 0)
        #expect(names == ["loss"])
        #expect(CheckpointTemplate.availableNames(logged: ["loss", "lr"], callbacks: ["ModelCheckpoint", "ReduceLROnPlateau", "ModelCheckpoint"], position: 2) == ["loss", "lr"])
    }

    /// This name used to pass check and crash at the end of epoch 1.
    @Test func trainRefusesAFormerlyCrashingNameBeforeTraining() throws {
        let directory = try TestSupport.temporaryDirectory("checkpoint")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try RunSupport.train("""
            input: [2]
            layers: [Dense 1]
            compile: {optimizer: sgd, loss: mse}
            fit: {epochs: 1, callbacks: [{ModelCheckpoint: {filepath: 'e{epoch:s%%d}.safetensors'}}]}
            data:
              train:
                x: {values: [[1, 2], [3, 4]], shape: [2, 2]}
                y: [1, 2]

            """, in: directory)
        #expect(result.code == 1)
        #expect(result.error.contains("spec.yaml:4:59: error: ModelCheckpoint filepath 'e{epoch:s%%d}.safetensors': {epoch:s%%d}: 's%%d' is not a format spec Python reads"), "\(result.error)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/run"))
    }
}
