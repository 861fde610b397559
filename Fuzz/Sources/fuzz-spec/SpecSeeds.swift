import FuzzSupport

/// Long but valid specs, below the sizes where anything should slow down, for the fuzzer to grow
/// and splice: many layers, deep flow nesting, a wide flow mapping, one long token, many comments.
/// (The spec files themselves, Specs/ and the Keras cases, are copied in by Scripts/fuzz.sh.)
let specSeeds = [
    seed("long-layers.yaml", "input: [8]\nlayers:\n" + String(repeating: "  - Dense 8 relu\n", count: 2_000)),
    seed("long-nesting.yaml", "input: [4]\nlayers:\n  - Dense: {units: 2, name: "
        + String(repeating: "[", count: 60) + String(repeating: "]", count: 60) + "}\n"),
    seed("long-mapping.yaml", "input: [4]\nlayers:\n  - Dense: {units: 2, "
        + (0..<500).map { "k\($0): \($0)" }.joined(separator: ", ") + "}\n"),
    seed("long-token.yaml", "input: [4]\nname: " + String(repeating: "x", count: 20_000) + "\nlayers:\n  - Dense 2\n"),
    seed("long-comments.yaml", String(repeating: "# a comment line\n", count: 2_000) + "input: [4]\nlayers:\n  - Dense 2\n"),
    seed("long-shorthand.yaml", "input: [4]\nlayers:\n  - Reshape " + String(repeating: "(", count: 100) + "4"
        + String(repeating: ",)", count: 100) + "\n"),
]
