/// The bytes `modelc-hdf5` sends back: an `HDF5Group` tree in a small length-prefixed binary form
/// (little endian). The parent decodes it as untrusted input — the child parsed a hostile file —
/// so every count and length is checked against the bytes that remain.
enum HDF5TreeCodec {
    static func encode(_ group: HDF5Group) -> [UInt8] {
        var out: [UInt8] = []
        write(group, into: &out)
        return out
    }

    private static func u64(_ value: Int, _ out: inout [UInt8]) {
        withUnsafeBytes(of: UInt64(bitPattern: Int64(value)).littleEndian) { out.append(contentsOf: $0) }
    }

    private static func text(_ value: String, _ out: inout [UInt8]) {
        let bytes = Array(value.utf8)
        u64(bytes.count, &out)
        out += bytes
    }

    private static func write(_ group: HDF5Group, into out: inout [UInt8]) {
        attributes(group.attributes, &out)
        u64(group.children.count, &out)
        for (name, node) in group.children {
            text(name, &out)
            switch node {
            case .group(let child):
                out.append(1)
                write(child, into: &out)
            case .dataset(let dataset):
                out.append(2)
                u64(dataset.shape.count, &out)
                for size in dataset.shape { u64(size, &out) }
                switch dataset.values {
                case .float32(let values):
                    out.append(0)
                    u64(values.count, &out)
                    values.withUnsafeBytes { out.append(contentsOf: $0) }
                case .int64(let values):
                    out.append(1)
                    u64(values.count, &out)
                    values.withUnsafeBytes { out.append(contentsOf: $0) }
                }
                attributes(dataset.attributes, &out)
            }
        }
    }

    private static func attributes(_ list: [HDF5Attribute], _ out: inout [UInt8]) {
        u64(list.count, &out)
        for attribute in list {
            text(attribute.name, &out)
            switch attribute.value {
            case .string(let value): out.append(0); text(value, &out)
            case .asciiString(let value): out.append(1); text(value, &out)
            case .stringList(let items): out.append(2); u64(items.count, &out); items.forEach { text($0, &out) }
            case .asciiStringList(let items): out.append(3); u64(items.count, &out); items.forEach { text($0, &out) }
            case .emptyList: out.append(4)
            case .int(let value): out.append(5); u64(Int(truncatingIfNeeded: value), &out)
            case .double(let value): out.append(6); u64(Int(truncatingIfNeeded: value.bitPattern), &out)
            }
        }
    }

    struct Malformed: Error {}

    static func decode(_ bytes: [UInt8]) throws(Malformed) -> HDF5Group {
        var reader = Reader(bytes: bytes)
        let group = try reader.group(depth: 0)
        guard reader.index == bytes.count else { throw Malformed() }
        return group
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func u64() throws(Malformed) -> UInt64 {
            guard bytes.count - index >= 8 else { throw Malformed() }
            var value: UInt64 = 0
            for shift in 0..<8 { value |= UInt64(bytes[index + shift]) << (8 * UInt64(shift)) }
            index += 8
            return value
        }

        /// A count of items each at least `width` bytes long, bounded by what remains.
        mutating func count(width: Int) throws(Malformed) -> Int {
            let value = try u64()
            guard value <= UInt64((bytes.count - index) / max(width, 1)) else { throw Malformed() }
            return Int(value)
        }

        mutating func byte() throws(Malformed) -> UInt8 {
            guard index < bytes.count else { throw Malformed() }
            defer { index += 1 }
            return bytes[index]
        }

        mutating func text() throws(Malformed) -> String {
            let length = try count(width: 1)
            defer { index += length }
            return String(decoding: bytes[index..<(index + length)], as: UTF8.self)
        }

        mutating func attributes() throws(Malformed) -> [HDF5Attribute] {
            var list: [HDF5Attribute] = []
            for _ in 0..<(try count(width: 9)) {
                let name = try text()
                let value: HDF5Attribute.Value
                switch try byte() {
                case 0: value = .string(try text())
                case 1: value = .asciiString(try text())
                case 2: value = .stringList(try (0..<(try count(width: 8))).map { _ throws(Malformed) in try text() })
                case 3: value = .asciiStringList(try (0..<(try count(width: 8))).map { _ throws(Malformed) in try text() })
                case 4: value = .emptyList
                case 5: value = .int(Int64(bitPattern: try u64()))
                case 6: value = .double(Double(bitPattern: try u64()))
                default: throw Malformed()
                }
                list.append(HDF5Attribute(name, value))
            }
            return list
        }

        mutating func group(depth: Int) throws(Malformed) -> HDF5Group {
            guard depth <= 80 else { throw Malformed() }
            var group = HDF5Group(attributes: try attributes())
            for _ in 0..<(try count(width: 9)) {
                let name = try text()
                switch try byte() {
                case 1:
                    group.children.append((name, .group(try self.group(depth: depth + 1))))
                case 2:
                    let rank = try count(width: 8)
                    guard rank <= 32 else { throw Malformed() }
                    let shape = try (0..<rank).map { _ throws(Malformed) -> Int in
                        let size = try u64()
                        guard size <= UInt64(Int32.max) else { throw Malformed() }
                        return Int(size)
                    }
                    let kind = try byte()
                    guard kind <= 1 else { throw Malformed() }
                    let width = kind == 0 ? 4 : 8
                    let values = try count(width: width)
                    var product = 1
                    for size in shape {
                        let (next, overflow) = product.multipliedReportingOverflow(by: size)
                        guard !overflow else { throw Malformed() }
                        product = next
                    }
                    guard product == values else { throw Malformed() }
                    let slice = bytes[index..<(index + values * width)]
                    index += values * width
                    let data: HDF5Dataset.Values
                    if kind == 0 {
                        var floats = [Float](repeating: 0, count: values)
                        floats.withUnsafeMutableBytes { $0.copyBytes(from: slice) }
                        data = .float32(floats)
                    } else {
                        var integers = [Int64](repeating: 0, count: values)
                        integers.withUnsafeMutableBytes { $0.copyBytes(from: slice) }
                        data = .int64(integers)
                    }
                    group.children.append((name, .dataset(HDF5Dataset(shape: shape, values: data, attributes: try attributes()))))
                default:
                    throw Malformed()
                }
            }
            return group
        }
    }
}
