import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// Shared by the Data*Tests suites.
enum DataTesting {
    /// The DataError's message, "no error", or a description of any other error (which fails the expectation using it).
    static func message(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch let error as DataError {
            return error.description
        } catch {
            return "unexpected error \(error)"
        }
    }

    /// A fresh folder under the system's temporary directory; the caller removes it.
    static func folder(_ label: String) throws -> URL {
        URL(fileURLWithPath: try TestSupport.temporaryDirectory(label))
    }
}

/// `.npy` bytes: round trips, the header forms numpy writes, and every refusal with its message.
@Suite struct DataNumpyTests {
    /// `.npy` bytes from a header text and a payload, as numpy lays them out (magic, version, length, header).
    static func npy(header: String, payload: [UInt8], version: UInt8 = 1) -> [UInt8] {
        let text = Array(header.utf8)
        var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, version, 0]
        if version == 1 {
            bytes += [UInt8(text.count & 0xFF), UInt8(text.count >> 8)]
        } else {
            bytes += [UInt8(text.count & 0xFF), UInt8(text.count >> 8), 0, 0]
        }
        return bytes + text + payload
    }

    static func floats(_ values: [Float]) -> [UInt8] {
        values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian, Array.init) }
    }

    static func message(_ body: () throws -> Void) -> String { DataTesting.message(body) }

    @Test(arguments: [[], [0], [5], [2, 3], [2, 3, 4], [0, 3], [1, 1, 1, 7]] as [[Int]])
    func float32RoundTripsForEveryShape(shape: [Int]) throws {
        let count = shape.reduce(1, *)
        let array = NumpyArray(shape: shape, values: (0..<count).map { Float($0) * 0.37 - 1.5 })
        let bytes = array.encoded()
        #expect((bytes.count - count * 4) % 64 == 0, "numpy pads the header so the data starts on a 64-byte boundary")
        #expect(try NumpyArray.decode(bytes, file: "a.npy") == array)
    }

    @Test(arguments: [NumpyArray.Kind.float64, .int32, .int64])
    func otherKindsRoundTripAndStayTheirKind(kind: NumpyArray.Kind) throws {
        let array = NumpyArray(shape: [3, 2], values: [0, 1, -2, 3, 40_000, -7], kind: kind)
        let decoded = try NumpyArray.decode(array.encoded(), file: "a.npy")
        #expect(decoded == array)
        #expect(decoded.isInteger == (kind != .float64))
    }

    @Test func integerEncodingSaturatesInsteadOfTrapping() throws {
        let array = NumpyArray(shape: [4], values: [.nan, .infinity, -.infinity, 2.9], kind: .int32)
        let decoded = try NumpyArray.decode(array.encoded(), file: "a.npy")
        #expect(decoded.values == [0, Float(Int32.max), Float(Int32.min), 2])
    }

    /// Header texts exactly as numpy 2.4.6 writes them (`numpy.lib.format.write_array(f, x, version=...)` for
    /// x = numpy.arange(6, dtype=numpy.float32).reshape(2, 3) / 4), with the 24 payload bytes appended.
    @Test(arguments: [(1, 118), (2, 116), (3, 116)] as [(UInt8, Int)])
    func readsTheHeadersOfEveryFormatVersion(version: UInt8, padding: Int) throws {
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"
        let padded = header + String(repeating: " ", count: padding - header.count - 1) + "\n"
        let payload = Self.floats([0, 0.25, 0.5, 0.75, 1, 1.25])
        let array = try NumpyArray.decode(Self.npy(header: padded, payload: payload, version: version), file: "a.npy")
        #expect(array == NumpyArray(shape: [2, 3], values: [0, 0.25, 0.5, 0.75, 1, 1.25]))
    }

    @Test(arguments: [
        "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2, 3)}",
        "{'descr':'<f4','fortran_order':False,'shape':(2,3),}",
        "{ 'shape' : ( 2 , 3 , ) , 'fortran_order' : False , 'descr' : '<f4' }\n",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }",
    ])
    func acceptsHeaderSpellingVariants(header: String) throws {
        let array = try NumpyArray.decode(Self.npy(header: header, payload: Self.floats([1, 2, 3, 4, 5, 6])), file: "a.npy")
        #expect(array.shape == [2, 3])
        #expect(array.values == [1, 2, 3, 4, 5, 6])
    }

    @Test func zeroDimensionalArrayIsOneValue() throws {
        // numpy.save(f, numpy.float32(2.5)) writes shape ().
        let bytes = Self.npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", payload: Self.floats([2.5]))
        let array = try NumpyArray.decode(bytes, file: "s.npy")
        #expect(array.shape == [])
        #expect(array.values == [2.5])
        #expect(array.rows == 1)
    }

    @Test func readsIntegersAndFloat64() throws {
        let int64 = [Int64(3), -1].flatMap { value in withUnsafeBytes(of: value.littleEndian, Array.init) }
        let labels = try NumpyArray.decode(Self.npy(header: "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", payload: int64), file: "y.npy")
        #expect(labels == NumpyArray(shape: [2], values: [3, -1], kind: .int64))
        let float64 = [0.1, 1e300].flatMap { (value: Double) in withUnsafeBytes(of: value.bitPattern.littleEndian, Array.init) }
        let wide = try NumpyArray.decode(Self.npy(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", payload: float64), file: "d.npy")
        #expect(wide.kind == .float64)
        #expect(wide.values[0] == Float(0.1))
        #expect(wide.values[1] == .infinity, "beyond float32's range; DataChecks reports it")
    }

    @Test func fortranOrderIsRefusedUnlessItChangesNothing() throws {
        let header = "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }"
        let refused = Self.message { _ = try NumpyArray.decode(Self.npy(header: header, payload: Self.floats([1, 2, 3, 4, 5, 6])), file: "f.npy") }
        #expect(refused.hasPrefix("f.npy stores its (2, 3) array in Fortran (column-major) order"))
        #expect(refused.contains("numpy.ascontiguousarray"))
        // A single non-trivial axis is laid out the same in either order.
        let column = "{'descr': '<f4', 'fortran_order': True, 'shape': (3, 1), }"
        #expect(try NumpyArray.decode(Self.npy(header: column, payload: Self.floats([1, 2, 3])), file: "c.npy").values == [1, 2, 3])
    }

    /// The descr strings numpy 2.4.6 writes for each dtype, with the message each earns.
    @Test(arguments: [
        ("|O", "holds Python objects (dtype object), which numpy stores with pickle; modelc never unpickles data"),
        (">f4", "holds big-endian float32 values"),
        ("<f2", "holds <f2 (float16) values; modelc reads float32, float64, int32 and int64 arrays. Convert with x.astype(numpy.float32)"),
        ("|u1", "holds |u1 (uint8) values"),
        ("|b1", "holds |b1 (bool) values"),
        ("<U2", "holds text (dtype <U2), not numbers"),
        ("<c8", "holds <c8 (complex64) values"),
    ])
    func unsupportedDtypesAreRefusedByName(descr: String, expected: String) {
        let bytes = Self.npy(header: "{'descr': '\(descr)', 'fortran_order': False, 'shape': (2,), }", payload: Array(repeating: 0x80, count: 16))
        let text = Self.message { _ = try NumpyArray.decode(bytes, file: "bad.npy") }
        #expect(text.hasPrefix("bad.npy \(expected)"), "\(text)")
    }

    @Test func structuredArraysAreRefused() {
        let bytes = Self.npy(header: "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", payload: Self.floats([1, 2]))
        #expect(Self.message { _ = try NumpyArray.decode(bytes, file: "r.npy") }
                == "r.npy holds a structured (record) array; modelc reads plain numeric arrays, so save each field as its own array.")
    }

    @Test func damagedFilesAreDescribed() {
        let good = NumpyArray(shape: [2, 2], values: [1, 2, 3, 4]).encoded()
        let cases: [([UInt8], String)] = [
            ([1, 2, 3], "d.npy is not a .npy file (it does not start with numpy's magic bytes); save the array with numpy.save."),
            (Array(good.dropLast(3)), "d.npy is truncated: its shape (2, 2) needs 16 bytes of float32 values, but 13 bytes follow the header; save the array again."),
            (good + [0], "d.npy is followed by extra bytes: its shape (2, 2) needs 16 bytes of float32 values, but 17 bytes follow the header; save the array again."),
            (Array(good.prefix(40)), "d.npy is truncated inside its header; save the array again."),
            (Array(good.prefix(6)) + [4, 0] + Array(good.dropFirst(8)), "d.npy uses .npy format version 4.0, which modelc does not read (it reads versions 1, 2 and 3); save it again with numpy.save."),
            (Self.npy(header: "{'descr': '<f4', 'shape': (2,), }", payload: Self.floats([1, 2])),
             "d.npy is not a valid .npy file: its header lacks one of 'descr', 'fortran_order' and 'shape'; save the array again with numpy.save."),
            (Self.npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", payload: []),
             "d.npy is not a valid .npy file: its shape holds x, not a size; save the array again with numpy.save."),
            (Self.npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)", payload: []),
             "d.npy is not a valid .npy file: its header lacks a '}' where one belongs; save the array again with numpy.save."),
            (Self.npy(header: "{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}", payload: []),
             "d.npy is not a valid .npy file: its header gives 'fortran_order' a value of the wrong kind; save the array again with numpy.save."),
            (Self.npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296)}", payload: []),
             "d.npy declares the shape (4294967296, 4294967296), too large for modelc (at most 2147483647 values); use a smaller array."),
        ]
        for (bytes, expected) in cases {
            #expect(Self.message { _ = try NumpyArray.decode(bytes, file: "d.npy") } == expected)
        }
    }

    @Test func everyTruncationOfAFileIsRefusedWithoutCrashing() {
        let good = NumpyArray(shape: [3, 2], values: [1, 2, 3, 4, 5, 6], kind: .int64).encoded()
        for length in 0..<good.count {
            #expect(Self.message { _ = try NumpyArray.decode(Array(good.prefix(length)), file: "t.npy") }.hasPrefix("t.npy "))
        }
    }

    @Test func readNamesTheMissingPathAndReadsAFile() throws {
        let folder = try DataTesting.folder("npy")
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("nope.npy").path
        #expect(Self.message { _ = try NumpyArray.read(missing) }
                == "Cannot find the .npy file \(missing): there is no file at that path. Check the path (relative paths are resolved against the spec's folder).")
        #expect(Self.message { _ = try NumpyArray.read(folder.path) }.hasPrefix("\(folder.path) is a folder, not the .npy file"))
        let array = NumpyArray(shape: [2, 1], values: [4, 5], kind: .int32)
        let path = folder.appendingPathComponent("a.npy").path
        try AtomicFile.write(array.encoded(), to: path)
        #expect(try NumpyArray.read(path) == array)
    }
}
