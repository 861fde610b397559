import Foundation

/// Writes each seed to `folder/name` (the folder must exist); false, with a message on stderr, on failure.
func writeSeeds(_ seeds: [(name: String, bytes: [UInt8])], to folder: String) -> Bool {
    for seed in seeds where !FileManager.default.createFile(atPath: folder + "/" + seed.name, contents: Data(seed.bytes)) {
        FileHandle.standardError.write(Data("cannot write the seed \(folder)/\(seed.name)\n".utf8))
        return false
    }
    return true
}

/// A text seed.
public func seed(_ name: String, _ text: String) -> (name: String, bytes: [UInt8]) {
    (name, Array(text.utf8))
}
