import FuzzSupport
import ModelC

/// One shorthand layer string, as if it were written on line 1 from column 1: every diagnostic
/// must point inside the string (or just past its end).
func fuzzShorthand(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    let start = SourceLocation(line: 1, column: 1)
    let scalars = text.unicodeScalars.count
    var diagnostics: [Diagnostic] = []
    _ = Shorthand.parse(text, range: SourceRange(at: start, length: scalars), contentStart: start, diagnostics: &diagnostics)
    for diagnostic in diagnostics {
        let at = diagnostic.range.start
        guard at.line == 1, at.column >= 1, at.column <= scalars + 1 else {
            fatalError("shorthand diagnostic at \(at), outside the \(scalars)-scalar string: \(diagnostic.message)")
        }
    }
}

runFuzzer(seeds: shorthandSeeds) { data, size in
    fuzzShorthand(fuzzBytes(data, size))
    return 0
}
