import FuzzSupport
import ModelRun

/// A vocabulary.json: decode it, then turn two texts into padded id rows with it, as predict does.
func fuzzVocabulary(_ bytes: [UInt8]) {
    guard let vocabulary = try? Vocabulary.decode(bytes, path: "vocabulary.json") else { return }
    _ = vocabulary.sequences(["The movie was great, the end.", ""])
}

runFuzzer(seeds: vocabularySeeds) { data, size in
    fuzzVocabulary(fuzzBytes(data, size))
    return 0
}
