import Foundation
import ModelRun
import ZIPFoundation

/// Archives as numpy.savez writes them (stored, modelc's encoder) and as savez_compressed does
/// (deflated, through ZIPFoundation), with a folder entry and a member of each kind.
let archiveSeeds: [(name: String, bytes: [UInt8])] = {
    let x = NumpyArray(shape: [3, 2], values: [1, 2, 3, 4, 5, 6])
    let y = NumpyArray(shape: [3], values: [0, 1, 0], kind: .int64)
    let members = [("x.npy", x.encoded()), ("y.npy", y.encoded())]
    var seeds: [(name: String, bytes: [UInt8])] = []
    if let stored = try? NumpyArchive.encode([("x", x), ("y", y)]) { seeds.append(("stored.npz", stored)) }
    if let deflated = try? zipped(members + [("sub/", [])], method: .deflate) { seeds.append(("deflated.npz", deflated)) }
    if let one = try? zipped([("z.npy", NumpyArray(shape: [64], values: [Float](repeating: 0, count: 64)).encoded())], method: .deflate) {
        seeds.append(("zeros.npz", one))
    }
    return seeds
}()

private func zipped(_ members: [(String, [UInt8])], method: CompressionMethod) throws -> [UInt8]? {
    let archive = try Archive(accessMode: .create)
    for (name, bytes) in members {
        try archive.addEntry(with: name, type: name.hasSuffix("/") ? .directory : .file, uncompressedSize: Int64(bytes.count),
                             compressionMethod: method) { position, size in
            Data(bytes[Int(position)..<(Int(position) + size)])
        }
    }
    return archive.data.map { [UInt8]($0) }
}
