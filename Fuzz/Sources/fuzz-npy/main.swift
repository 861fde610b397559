import FuzzSupport
import ModelRun

/// A .npy array: decode it (errors are the expected answer to most inputs).
func fuzzNumpyArray(_ bytes: [UInt8]) {
    _ = try? NumpyArray.decode(bytes, file: "fuzz.npy")
}

runFuzzer(seeds: numpySeeds) { data, size in
    fuzzNumpyArray(fuzzBytes(data, size))
    return 0
}
