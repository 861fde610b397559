import FuzzSupport
import ModelC
import ModelRun

/// A Keras file as `modelc import` and `--weights` read it: the zip or HDF5 container, the config
/// through the importer, and the weights matched to the imported model (errors are the expected answer).
func fuzzKerasFile(_ bytes: [UInt8]) {
    guard let file = try? KerasFile.decode(bytes, path: "fuzz.keras"), !file.weightsOnly else { return }
    let result = KerasImporter.spec(config: file.config, training: file.trainingConfig, flavor: file.format.flavor,
                                    source: "fuzz.keras", kerasVersion: file.kerasVersion)
    guard let spec = result.spec, let model = SpecChecker.check(SourceFile(path: "fuzz.yaml", text: spec)).model else { return }
    _ = try? file.tensors(for: model)
}

runFuzzer(seeds: kerasSeeds) { data, size in
    fuzzKerasFile(fuzzBytes(data, size))
    return 0
}
