import FuzzSupport
import ModelRun

/// A numeric CSV, read with the column choices specs make: every non-label column as features,
/// named features, and two label columns.
func fuzzNumericCSV(_ bytes: [UInt8]) {
    _ = try? NumericCSV.decode(bytes, file: "fuzz.csv", features: nil, labels: ["y"])
    _ = try? NumericCSV.decode(bytes, file: "fuzz.csv", features: ["a", "b"], labels: ["y"])
    _ = try? NumericCSV.decode(bytes, file: "fuzz.csv", features: nil, labels: ["y", "z"])
}

runFuzzer(seeds: numericCSVSeeds) { data, size in
    fuzzNumericCSV(fuzzBytes(data, size))
    return 0
}
