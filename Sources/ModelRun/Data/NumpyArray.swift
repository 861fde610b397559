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

    /// Reads a `.npy` file; a missing file names the path tried.
    public static func read(_ path: String) throws(DataError) -> NumpyArray {
        try decode(DataFile.read(path, what: "the .npy file"), file: path)
    }

    /// Reads `.npy` bytes (format versions 1, 2 and 3): little-endian float32/float64/int32/int64.
    /// Anything else (big-endian, other dtypes, Fortran order, object arrays that would need
    /// unpickling, structured arrays) is refused with a message saying how to convert it.
    public static func decode(_ bytes: [UInt8], file: String) throws(DataError) -> NumpyArray {
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
        guard bytes.count >= 10, bytes[0..<6].elementsEqual(magic) else {
            throw DataError("\(file) is not a .npy file (it does not start with numpy's magic bytes); save the array with numpy.save.")
        }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw DataError("\(file) is truncated inside its header; save the array again.") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw DataError("\(file) uses .npy format version \(major).\(bytes[7]), which modelc does not read (it reads versions 1, 2 and 3); save it again with numpy.save.")
        }
        guard headerLength <= bytes.count - headerStart else {
            throw DataError("\(file) is truncated inside its header; save the array again.")
        }
        guard headerLength < 1 << 20 else {
            throw DataError("\(file) has a \(headerLength)-byte header, far longer than any numpy writes; the file is damaged.")
        }
        let headerBytes = bytes[headerStart..<(headerStart + headerLength)]
        // Versions 1 and 2 store the header as latin-1, version 3 as UTF-8; numpy's keys are ASCII either way.
        let headerText = major == 3 ? String(decoding: headerBytes, as: UTF8.self)
                                    : String(headerBytes.map { Character(Unicode.Scalar($0)) })
        let header: NumpyHeader
        do {
            header = try NumpyHeader.parse(headerText)
        } catch {
            throw DataError("\(file) is not a valid .npy file: \(error.reason); save the array again with numpy.save.")
        }
        let (kind, width) = try dtype(header.descr, file: file)
        let shapeText = "(" + header.shape.map(String.init).joined(separator: ", ") + (header.shape.count == 1 ? ",)" : ")")
        // Fortran order only changes the layout when two or more axes are longer than 1.
        if header.fortranOrder, header.shape.filter({ $0 > 1 }).count > 1 {
            throw DataError("\(file) stores its \(shapeText) array in Fortran (column-major) order, which modelc does not read; save it in C order with numpy.save(path, numpy.ascontiguousarray(x)).")
        }
        var count = 1
        for size in header.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow, product <= Int(Int32.max) else {
                throw DataError("\(file) declares the shape \(shapeText), too large for modelc (at most \(Int32.max) values); use a smaller array.")
            }
            count = product
        }
        let dataStart = headerStart + headerLength
        let available = bytes.count - dataStart
        guard available == count * width else {
            let problem = available < count * width ? "truncated" : "followed by extra bytes"
            throw DataError("\(file) is \(problem): its shape \(shapeText) needs \(count * width) bytes of \(kind.rawValue) values, but \(available) bytes follow the header; save the array again.")
        }
        return NumpyArray(shape: header.shape, values: convert(bytes, from: dataStart, count: count, kind: kind), kind: kind)
    }

    /// The kind and byte width of a dtype string, or a message naming the dtype and how to convert it.
    private static func dtype(_ descr: String?, file: String) throws(DataError) -> (Kind, Int) {
        guard let descr else {
            throw DataError("\(file) holds a structured (record) array; modelc reads plain numeric arrays, so save each field as its own array.")
        }
        switch descr {
        case "<f4": return (.float32, 4)
        case "<f8": return (.float64, 8)
        case "<i4": return (.int32, 4)
        case "<i8": return (.int64, 8)
        default: break
        }
        let code = descr.drop(while: { "<>|=".contains($0) })
        let shown = FileExcerpts.name(descr, limit: 24)
        if code.hasPrefix("O") {
            throw DataError("\(file) holds Python objects (dtype object), which numpy stores with pickle; modelc never unpickles data. Save a numeric array instead, e.g. numpy.save(path, numpy.asarray(x, dtype=numpy.float32)).")
        }
        if code.hasPrefix("U") || code.hasPrefix("S") || code.hasPrefix("a") {
            throw DataError("\(file) holds text (dtype \(shown)), not numbers; convert the text to numbers (e.g. token ids) and save the numeric array.")
        }
        if descr.hasPrefix(">"), let kind = ["f4": "float32", "f8": "float64", "i4": "int32", "i8": "int64"][String(code)] {
            throw DataError("\(file) holds big-endian \(kind) values, and modelc reads little-endian ones; convert with x.astype('<\(code)') and save again.")
        }
        let names = ["f2": "float16", "f16": "float128", "i1": "int8", "i2": "int16", "u1": "uint8", "u2": "uint16",
                     "u4": "uint32", "u8": "uint64", "b1": "bool", "c8": "complex64", "c16": "complex128"]
        let name = names[String(code)].map { " (\($0))" } ?? ""
        throw DataError("\(file) holds \(shown)\(name) values; modelc reads float32, float64, int32 and int64 arrays. Convert with x.astype(numpy.float32) (or numpy.int64 for labels and token ids) and save again.")
    }

    /// The little-endian values after the header as float32, one loop per kind.
    private static func convert(_ bytes: [UInt8], from start: Int, count: Int, kind: Kind) -> [Float] {
        guard count > 0 else { return [] }
        return [Float](unsafeUninitializedCapacity: count) { output, initialized in
            bytes.withUnsafeBytes { raw in
                let data = UnsafeRawBufferPointer(rebasing: raw[start...])
                switch kind {
                case .float32:
                    #if _endian(little)
                    UnsafeMutableRawBufferPointer(output).copyMemory(from: data)
                    #else
                    for index in 0..<count { output[index] = Float(bitPattern: UInt32(littleEndian: data.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self))) }
                    #endif
                case .float64:
                    for index in 0..<count { output[index] = Float(Double(bitPattern: UInt64(littleEndian: data.loadUnaligned(fromByteOffset: 8 * index, as: UInt64.self)))) }
                case .int32:
                    for index in 0..<count { output[index] = Float(Int32(littleEndian: data.loadUnaligned(fromByteOffset: 4 * index, as: Int32.self))) }
                case .int64:
                    for index in 0..<count { output[index] = Float(Int64(littleEndian: data.loadUnaligned(fromByteOffset: 8 * index, as: Int64.self))) }
                }
            }
            initialized = count
        }
    }

    /// `.npy` bytes (version 1.0 header padded to 64 bytes, as numpy writes) in the array's own kind,
    /// so integer labels stay integers; float64 and int arrays hold the float32 values widened.
    public func encoded() -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        let descr = switch kind {
        case .float32: "<f4"
        case .float64: "<f8"
        case .int32: "<i4"
        case .int64: "<i8"
        }
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0]
        let length = header.utf8.count
        bytes += [UInt8(length & 0xFF), UInt8(length >> 8)]
        bytes += Array(header.utf8)
        let width = kind == .float32 || kind == .int32 ? 4 : 8
        let start = bytes.count
        bytes += repeatElement(0, count: values.count * width)
        bytes.withUnsafeMutableBytes { raw in
            for (index, value) in values.enumerated() {
                let at = start + index * width
                switch kind {
                case .float32: raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: at, as: UInt32.self)
                case .float64: raw.storeBytes(of: Double(value).bitPattern.littleEndian, toByteOffset: at, as: UInt64.self)
                case .int32: raw.storeBytes(of: Int32(clamping: Self.integer(value)).littleEndian, toByteOffset: at, as: Int32.self)
                case .int64: raw.storeBytes(of: Self.integer(value).littleEndian, toByteOffset: at, as: Int64.self)
                }
            }
        }
        return bytes
    }

    /// An integer array's value, rounded toward zero; NaN becomes 0 and infinities saturate rather than trap.
    private static func integer(_ value: Float) -> Int64 {
        guard !value.isNaN else { return 0 }
        return Int64(exactly: value.rounded(.towardZero)) ?? (value < 0 ? Int64.min : Int64.max)
    }
}
