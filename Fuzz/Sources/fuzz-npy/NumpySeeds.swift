import ModelRun

/// Arrays of every kind modelc reads, written by its own encoder, and the same header in format
/// versions 2 and 3 (4-byte header length) and in Fortran order.
let numpySeeds: [(name: String, bytes: [UInt8])] = {
    let kinds: [NumpyArray.Kind] = [.float32, .float64, .int32, .int64]
    var seeds = kinds.map { kind in
        ("\(kind.rawValue).npy", NumpyArray(shape: [2, 3], values: [0, 1, -2, 3.5, 4, 5], kind: kind).encoded())
    }
    seeds.append(("scalar.npy", NumpyArray(shape: [], values: [7]).encoded()))
    seeds.append(("empty.npy", NumpyArray(shape: [0, 3], values: []).encoded()))
    seeds.append(("vector.npy", NumpyArray(shape: [4], values: [1, 2, 3, 4], kind: .int64).encoded()))
    let payload = [UInt8](repeating: 0, count: 8)
    for version: UInt8 in [2, 3] {
        seeds.append(("version\(version).npy", header(version: version, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }") + payload))
    }
    seeds.append(("fortran.npy", header(version: 1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 2), }") + payload))
    return seeds
}()

/// numpy's magic, the version and the header text padded with spaces and a newline to 64 bytes.
private func header(version: UInt8, _ text: String) -> [UInt8] {
    let lengthBytes = version == 1 ? 2 : 4
    var body = Array(text.utf8)
    while (8 + lengthBytes + body.count + 1) % 64 != 0 { body.append(UInt8(ascii: " ")) }
    body.append(UInt8(ascii: "\n"))
    let length = (0..<lengthBytes).map { UInt8(truncatingIfNeeded: body.count >> (8 * $0)) }
    return [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, version, 0] + length + body
}
