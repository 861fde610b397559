import FuzzSupport
import ModelRun

/// A .npz archive: list its members, inflate them and decode each array (errors are the expected answer).
func fuzzNumpyArchive(_ bytes: [UInt8]) {
    _ = try? NumpyArchive.decode(bytes, file: "fuzz.npz")
}

runFuzzer(seeds: archiveSeeds) { data, size in
    fuzzNumpyArchive(fuzzBytes(data, size))
    return 0
}
