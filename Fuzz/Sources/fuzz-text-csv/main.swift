import FuzzSupport
import ModelRun

/// A text CSV, read as predict reads it (texts only), with numeric labels and with named classes.
func fuzzTextCSV(_ bytes: [UInt8]) {
    _ = try? TextTable.decodeCSV(bytes, path: "fuzz.csv", textColumn: "text", labelColumn: nil, classes: nil)
    _ = try? TextTable.decodeCSV(bytes, path: "fuzz.csv", textColumn: "text", labelColumn: "label", classes: nil)
    _ = try? TextTable.decodeCSV(bytes, path: "fuzz.csv", textColumn: "text", labelColumn: "label", classes: ["neg", "pos"])
}

runFuzzer(seeds: textCSVSeeds) { data, size in
    fuzzTextCSV(fuzzBytes(data, size))
    return 0
}
