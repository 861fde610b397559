import Foundation

/// Why a data file cannot be used; the message names the file.
public struct DataError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// An n-dimensional array read from numpy's `.npy` format (C order), as float32 values.
/// Integer arrays keep whether they were integers, so labels and token ids can be checked.
public struct NumpyArray: Equatable, Sendable {
    public enum Kind: String, Sendable { case float32, float64, int32, int64 }

    public var shape: [Int]
    public var values: [Float]
    public var kind: Kind

    public init(shape: [Int], values: [Float], kind: Kind = .float32) {
        self.shape = shape
        self.values = values
        self.kind = kind
    }

    public var isInteger: Bool { kind == .int32 || kind == .int64 }
    /// Samples: the first axis (a 0-d array counts as one).
    public var rows: Int { shape.first ?? 1 }
    /// One sample's shape.
    public var sampleShape: [Int] { Array(shape.dropFirst()) }

    /// Reads `.npy` bytes: little-endian float32/float64/int32/int64 in C order. Anything else
    /// (big-endian, Fortran order, object arrays that would need unpickling) is refused.
    public static func decode(_ bytes: [UInt8], file: String) throws(DataError) -> NumpyArray {
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw DataError("\(file) is not a .npy file (it does not start with numpy's magic bytes)")
        }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw DataError("\(file) is truncated inside its header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw DataError("\(file) uses .npy format version \(major), which modelc does not read")
        }
        guard headerLength <= bytes.count - headerStart, headerLength < 1 << 20 else {
            throw DataError("\(file) is truncated inside its header")
        }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        guard let descr = field("descr", in: header), let order = field("fortran_order", in: header),
              let shapeText = field("shape", in: header) else {
            throw DataError("\(file) has a header without descr, fortran_order and shape")
        }
        let kind: Kind
        let width: Int
        switch descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\" ")) {
        case "<f4": (kind, width) = (.float32, 4)
        case "<f8": (kind, width) = (.float64, 8)
        case "<i4": (kind, width) = (.int32, 4)
        case "<i8": (kind, width) = (.int64, 8)
        case let other:
            throw DataError("\(file) holds \(other) values; modelc reads little-endian float32, float64, int32 and int64 (convert with astype)")
        }
        guard order.trimmingCharacters(in: .whitespaces) == "False" else {
            throw DataError("\(file) is in Fortran order; save it in C order (np.ascontiguousarray)")
        }
        var shape: [Int] = []
        var count = 1
        for part in shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "() ")).split(separator: ",") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let size = Int(trimmed), size >= 0 else { throw DataError("\(file) has an invalid shape \(shapeText)") }
            shape.append(size)
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { throw DataError("\(file) has an invalid shape \(shapeText)") }
            count = product
        }
        let dataStart = headerStart + headerLength
        guard count <= (bytes.count - dataStart) / width, bytes.count - dataStart == count * width else {
            throw DataError("\(file) is truncated or padded: its shape \(shapeText) needs \(count) values of \(width) bytes, but \(bytes.count - dataStart) bytes follow the header")
        }
        var values = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            let data = raw.baseAddress! + dataStart
            for index in 0..<count {
                let at = data + index * width
                switch kind {
                case .float32: values[index] = Float(bitPattern: UInt32(littleEndian: at.loadUnaligned(as: UInt32.self)))
                case .float64: values[index] = Float(Double(bitPattern: UInt64(littleEndian: at.loadUnaligned(as: UInt64.self))))
                case .int32: values[index] = Float(Int32(littleEndian: at.loadUnaligned(as: Int32.self)))
                case .int64: values[index] = Float(Int64(littleEndian: at.loadUnaligned(as: Int64.self)))
                }
            }
        }
        return NumpyArray(shape: shape, values: values, kind: kind)
    }

    /// `.npy` bytes of a float32 array (version 1.0 header padded to 64 bytes, as numpy writes).
    public func encoded() -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0]
        let length = header.utf8.count
        bytes += [UInt8(length & 0xFF), UInt8(length >> 8)]
        bytes += Array(header.utf8)
        bytes.reserveCapacity(bytes.count + values.count * 4)
        for value in values {
            let bits = value.bitPattern
            bytes += [UInt8(bits & 0xFF), UInt8((bits >> 8) & 0xFF), UInt8((bits >> 16) & 0xFF), UInt8(bits >> 24)]
        }
        return bytes
    }

    /// The text after `'key':` in a numpy header dict, up to the next top-level comma.
    static func field(_ key: String, in header: String) -> String? {
        guard let keyRange = header.range(of: "'\(key)':") ?? header.range(of: "\"\(key)\":") else { return nil }
        var depth = 0
        var result = ""
        for character in header[keyRange.upperBound...] {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if depth == 0, character == "," || character == "}" { break }
            result.append(character)
            if depth < 0 { return nil }
        }
        return result.trimmingCharacters(in: .whitespaces)
    }
}
