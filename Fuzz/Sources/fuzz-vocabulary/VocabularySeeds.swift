import FuzzSupport
import ModelC
import ModelRun

/// Vocabularies as train writes them, with each padding and truncating side, and without num_words.
let vocabularySeeds: [(name: String, bytes: [UInt8])] = [
    Vocabulary(words: ["the", "movie", "great"], preprocessing: TextPreprocessing(numWords: 10, maxlen: 8), length: 8),
    Vocabulary(words: ["a", "b"], preprocessing: TextPreprocessing(maxlen: 3, padding: "post", truncating: "post", value: 5, lowercase: false), length: 3),
    Vocabulary(words: [], preprocessing: TextPreprocessing(), length: 1),
].enumerated().map { seed("vocabulary\($0.offset).json", $0.element.json) }
