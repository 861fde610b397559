import FuzzSupport
import ModelRun

/// A weights file: decode every tensor (errors are the expected answer to most inputs).
func fuzzSafeTensors(_ bytes: [UInt8]) {
    _ = try? SafeTensors.decode(bytes, file: "fuzz.safetensors")
}

runFuzzer(seeds: safeTensorsSeeds) { data, size in
    fuzzSafeTensors(fuzzBytes(data, size))
    return 0
}
