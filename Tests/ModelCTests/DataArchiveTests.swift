import Foundation
import Testing
import ZIPFoundation
@testable import ModelC
@testable import ModelRun

/// `.npz` archives: numpy's own bytes, archives built here with ZIPFoundation, and damaged or hostile ones.
@Suite struct DataArchiveTests {
    static let x = NumpyArray(shape: [2, 3], values: [0, 0.25, 0.5, 0.75, 1, 1.25])
    static let y = NumpyArray(shape: [2], values: [1, 0], kind: .int64)

    static func message(_ body: () throws -> Void) -> String { DataTesting.message(body) }

    /// A zip of `members` written by ZIPFoundation in memory.
    static func zip(_ members: [(String, [UInt8])], method: CompressionMethod) throws -> [UInt8] {
        let archive = try Archive(accessMode: .create)
        for (name, bytes) in members {
            let isDirectory = name.hasSuffix("/")
            try archive.addEntry(with: name, type: isDirectory ? .directory : .file, uncompressedSize: Int64(bytes.count),
                                 compressionMethod: method) { position, size in
                Data(bytes[Int(position)..<(Int(position) + size)])
            }
        }
        return [UInt8](try #require(archive.data))
    }

    /// The offset of the `index`-th central directory record (found through the end record).
    static func centralEntry(_ bytes: [UInt8], _ index: Int = 0) throws -> Int {
        let end = try #require((0...(bytes.count - 22)).reversed().first { u32(bytes, $0) == 0x0605_4B50 })
        var at = Int(u32(bytes, end + 16))
        for _ in 0..<index {
            at += 46 + Int(u16(bytes, at + 28)) + Int(u16(bytes, at + 30)) + Int(u16(bytes, at + 32))
        }
        try #require(u32(bytes, at) == 0x0201_4B50)
        return at
    }

    static func u16(_ bytes: [UInt8], _ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
    static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 { UInt32(u16(bytes, at)) | UInt32(u16(bytes, at + 2)) << 16 }
    static func patched(_ bytes: [UInt8], at: Int, _ value: UInt32, width: Int = 4) -> [UInt8] {
        var copy = bytes
        for byte in 0..<width { copy[at + byte] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(byte))) }
        return copy
    }
    static func le(_ value: UInt64, _ width: Int) -> [UInt8] { (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) } }

    @Test(arguments: [("stored", NumpyFiles.stored), ("deflated", NumpyFiles.deflated)])
    func readsWhatNumpyWrites(label: String, bytes: [UInt8]) throws {
        let arrays = try NumpyArchive.decode(bytes, file: "\(label).npz")
        #expect(arrays == ["x": Self.x, "y": Self.y])
    }

    @Test(arguments: [false, true])
    func readsArchivesBuiltWithZIPFoundation(deflated: Bool) throws {
        let features = NumpyArray(shape: [300, 7], values: (0..<2100).map { Float(($0 * 7919) % 1000) / 999 })
        let tokens = NumpyArray(shape: [300, 5], values: (0..<1500).map { Float($0 % 50) }, kind: .int32)
        let bytes = try Self.zip([("x_train.npy", features.encoded()), ("tokens.npy", tokens.encoded()),
                                  ("sub/", []), ("sub/y.npy", Self.y.encoded())], method: deflated ? .deflate : .none)
        let arrays = try NumpyArchive.decode(bytes, file: "z.npz")
        #expect(arrays == ["x_train": features, "tokens": tokens, "sub/y": Self.y])
    }

    @Test func highlyCompressibleArraysAreNotMistakenForBombs() throws {
        // 2 MB of zeros deflate about 1000:1, far beyond any fixed ratio such as 64:1.
        let zeros = NumpyArray(shape: [500, 1000], values: Array(repeating: 0, count: 500_000))
        let bytes = try Self.zip([("z.npy", zeros.encoded())], method: .deflate)
        #expect(bytes.count < 20_000)
        #expect(try NumpyArchive.decode(bytes, file: "zeros.npz")["z"] == zeros)
    }

    @Test func bombsAreRefusedBeforeOrWhileInflating() throws {
        let zeros = NumpyArray(shape: [500, 1000], values: Array(repeating: 0, count: 500_000)).encoded()
        let bytes = try Self.zip([("z.npy", zeros)], method: .deflate)
        let entry = try Self.centralEntry(bytes)
        let compressed = Self.u32(bytes, entry + 20)
        // Declares more than the limit: refused from the directory alone.
        #expect(Self.message { _ = try NumpyArchive.decode(Self.patched(bytes, at: entry + 24, 0xC000_0000), file: "b.npz") }
                == "The member 'z.npy' of b.npz would expand to 3221225472 bytes, more than the 2048 MiB modelc accepts from one archive; this guards against zip bombs, so split the data into smaller files.")
        // Declares more than deflate can produce from its compressed bytes.
        let claimed = compressed * 2000
        #expect(Self.message { _ = try NumpyArchive.decode(Self.patched(bytes, at: entry + 24, claimed), file: "b.npz") }
                == "The member 'z.npy' of b.npz claims \(claimed) bytes from \(compressed) compressed ones, more than deflate can produce; the archive is damaged or a zip bomb.")
        // Declares little but inflates to more: inflating stops at the declared size.
        #expect(Self.message { _ = try NumpyArchive.decode(Self.patched(bytes, at: entry + 24, 4096), file: "b.npz") }
                == "The member 'z.npy' of b.npz inflates to more than the 4096 bytes its header declares; the archive is damaged or a zip bomb.")
    }

    @Test func membersThatAreNotArraysAreRefusedByName() throws {
        let bytes = try Self.zip([("x.npy", Self.x.encoded()), ("notes.txt", Array("hello".utf8))], method: .deflate)
        #expect(Self.message { _ = try NumpyArchive.decode(bytes, file: "t.npz") }
                == "t.npz holds the member 'notes.txt', which is not a .npy array; an .npz file should hold only the .npy members numpy.savez writes.")
        let pickled = DataNumpyTests.npy(header: "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", payload: [0x80, 0x04, 0x95])
        let objects = try Self.zip([("x.npy", pickled)], method: .none)
        #expect(Self.message { _ = try NumpyArchive.decode(objects, file: "o.npz") }
                .hasPrefix("o.npz[x] holds Python objects (dtype object), which numpy stores with pickle; modelc never unpickles data."))
        let fortran = DataNumpyTests.npy(header: "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", payload: DataNumpyTests.floats([1, 2, 3, 4]))
        #expect(Self.message { _ = try NumpyArchive.decode(try Self.zip([("f.npy", fortran)], method: .deflate), file: "f.npz") }
                .hasPrefix("f.npz[f] stores its (2, 2) array in Fortran (column-major) order"))
        let half = DataNumpyTests.npy(header: "{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }", payload: [0, 0, 0, 0])
        #expect(Self.message { _ = try NumpyArchive.decode(try Self.zip([("h.npy", half)], method: .none), file: "h.npz") }
                .hasPrefix("h.npz[h] holds <f2 (float16) values"))
    }

    @Test func damagedArchivesAreDescribed() throws {
        let entry = try Self.centralEntry(NumpyFiles.stored)
        let local = Int(Self.u32(NumpyFiles.stored, entry + 42))
        var flipped = NumpyFiles.stored
        flipped[local + 30 + 5 + 20 + 100] ^= 0x01  // a byte of x's float data
        let cases: [([UInt8], String)] = [
            (Array("hello, world".utf8), "g.npz is not a zip archive (numpy's .npz files are zip archives); save the arrays again with numpy.savez or numpy.savez_compressed."),
            (Array(NumpyFiles.stored.prefix(300)), "g.npz is truncated: it lacks the table of contents a zip archive ends with; save the arrays again with numpy.savez or numpy.savez_compressed."),
            ([0x50, 0x4B, 0x05, 0x06] + Array(repeating: 0, count: 18), "g.npz holds no arrays; save them with numpy.savez(path, x=x, y=y)."),
            (Self.patched(NumpyFiles.stored, at: entry + 8, 1, width: 2), "The member 'x.npy' of g.npz is encrypted, which modelc does not read; save the arrays again with numpy.savez."),
            (Self.patched(NumpyFiles.stored, at: entry + 10, 12, width: 2), "The member 'x.npy' of g.npz is compressed with bzip2, which modelc does not read; numpy.savez and numpy.savez_compressed write stored or deflated members."),
            (flipped, "The member 'x.npy' of g.npz is damaged: its CRC-32 checksum does not match its contents."),
            (Self.patched(NumpyFiles.stored, at: entry + 42, 100_000), "The member 'x.npy' of g.npz is damaged: its local header is missing."),
            (Self.patched(NumpyFiles.stored, at: entry + 20, 100_000), "The member 'x.npy' of g.npz is truncated: its data runs past the end of the file."),
        ]
        for (bytes, expected) in cases {
            #expect(Self.message { _ = try NumpyArchive.decode(bytes, file: "g.npz") } == expected)
        }
        let twice = try Self.zip([("x.npy", Self.x.encoded()), ("x.npy", Self.x.encoded())], method: .none)
        #expect(Self.message { _ = try NumpyArchive.decode(twice, file: "d.npz") }
                == "d.npz holds two members named 'x.npy'; save the arrays again with numpy.savez.")
    }

    @Test func everyTruncationAndSingleByteChangeIsHandledWithoutCrashing() throws {
        for archive in [NumpyFiles.stored, NumpyFiles.deflated] {
            for length in 0..<archive.count {
                let text = Self.message { _ = try NumpyArchive.decode(Array(archive.prefix(length)), file: "t.npz") }
                #expect(text.contains("t.npz"), "\(length): \(text)")
            }
            for index in archive.indices {
                for change: UInt8 in [0x01, 0x80, 0xFF] {
                    var damaged = archive
                    damaged[index] ^= change
                    let text = Self.message { _ = try NumpyArchive.decode(damaged, file: "t.npz") }
                    #expect(text == "no error" || text.contains("t.npz"), "\(index): \(text)")
                }
            }
        }
    }

    @Test func readsAZIP64Archive() throws {
        // One stored member whose sizes and offset live only in ZIP64 extra fields, found through a ZIP64 end record.
        let name = Array("x.npy".utf8)
        let data = Self.x.encoded()
        let crc = UInt64(Data(data).crc32(checksum: 0))
        let size = UInt64(data.count)
        var bytes: [UInt8] = Self.le(0x0403_4B50, 4) + Self.le(45, 2) + Self.le(0, 2) + Self.le(0, 2) + Self.le(0, 4)
            + Self.le(crc, 4) + Self.le(0xFFFF_FFFF, 4) + Self.le(0xFFFF_FFFF, 4) + Self.le(UInt64(name.count), 2) + Self.le(20, 2)
            + name + Self.le(1, 2) + Self.le(16, 2) + Self.le(size, 8) + Self.le(size, 8) + data
        let directoryOffset = UInt64(bytes.count)
        bytes += Self.le(0x0201_4B50, 4) + Self.le(45, 2) + Self.le(45, 2) + Self.le(0, 2) + Self.le(0, 2) + Self.le(0, 4)
            + Self.le(crc, 4) + Self.le(0xFFFF_FFFF, 4) + Self.le(0xFFFF_FFFF, 4) + Self.le(UInt64(name.count), 2) + Self.le(28, 2)
            + Self.le(0, 2) + Self.le(0, 2) + Self.le(0, 2) + Self.le(0, 4) + Self.le(0xFFFF_FFFF, 4)
            + name + Self.le(1, 2) + Self.le(24, 2) + Self.le(size, 8) + Self.le(size, 8) + Self.le(0, 8)
        let directorySize = UInt64(bytes.count) - directoryOffset
        let recordOffset = UInt64(bytes.count)
        bytes += Self.le(0x0606_4B50, 4) + Self.le(44, 8) + Self.le(45, 2) + Self.le(45, 2) + Self.le(0, 4) + Self.le(0, 4)
            + Self.le(1, 8) + Self.le(1, 8) + Self.le(directorySize, 8) + Self.le(directoryOffset, 8)
        bytes += Self.le(0x0706_4B50, 4) + Self.le(0, 4) + Self.le(recordOffset, 8) + Self.le(1, 4)
        bytes += Self.le(0x0605_4B50, 4) + Self.le(0, 4) + Self.le(0xFFFF, 2) + Self.le(0xFFFF, 2)
            + Self.le(0xFFFF_FFFF, 4) + Self.le(0xFFFF_FFFF, 4) + Self.le(0, 2)
        #expect(try NumpyArchive.decode(bytes, file: "z64.npz") == ["x": Self.x])
        // Without the ZIP64 record the same end record cannot be resolved.
        let broken = Self.patched(bytes, at: Int(recordOffset), 0)
        #expect(Self.message { _ = try NumpyArchive.decode(broken, file: "z64.npz") }
                == "z64.npz has a damaged ZIP64 table of contents; save the arrays again with numpy.savez or numpy.savez_compressed.")
    }

    @Test func readNamesTheMissingPathAndReadsAFile() throws {
        let folder = try DataTesting.folder("npz")
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("data.npz").path
        #expect(Self.message { _ = try NumpyArchive.read(missing) }
                == "Cannot find the .npz file \(missing): there is no file at that path. Check the path (relative paths are resolved against the spec's folder).")
        try AtomicFile.write(NumpyFiles.deflated, to: missing)
        #expect(try NumpyArchive.read(missing) == ["x": Self.x, "y": Self.y])
    }
}

/// Archives written by numpy 2.4.6 (Python 3.11 zipfile) for x = numpy.arange(6, dtype=numpy.float32).reshape(2, 3) / 4
/// and y = numpy.array([1, 0], dtype=numpy.int64): `numpy.savez(f, x=x, y=y)` (stored) and
/// `numpy.savez_compressed(f, x=x, y=y)` (deflated). numpy opens members with force_zip64, so the local headers hold
/// 0xFFFFFFFF sizes and a ZIP64 extra field while the central directory holds the real sizes.
enum NumpyFiles {
    static let stored: [UInt8] = [
        0x50, 0x4B, 0x03, 0x04, 0x2D, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x21, 0x00, 0x0A, 0x9C, 0x00, 0xA4, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0x05, 0x00, 0x14, 0x00, 0x78, 0x2E, 0x6E, 0x70, 0x79, 0x01, 0x00, 0x10, 0x00, 0x98, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x98,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 0x01, 0x00, 0x76, 0x00, 0x7B, 0x27, 0x64, 0x65, 0x73, 0x63, 0x72,
        0x27, 0x3A, 0x20, 0x27, 0x3C, 0x66, 0x34, 0x27, 0x2C, 0x20, 0x27, 0x66, 0x6F, 0x72, 0x74, 0x72, 0x61, 0x6E, 0x5F, 0x6F, 0x72, 0x64, 0x65, 0x72,
        0x27, 0x3A, 0x20, 0x46, 0x61, 0x6C, 0x73, 0x65, 0x2C, 0x20, 0x27, 0x73, 0x68, 0x61, 0x70, 0x65, 0x27, 0x3A, 0x20, 0x28, 0x32, 0x2C, 0x20, 0x33,
        0x29, 0x2C, 0x20, 0x7D, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
        0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
        0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x0A, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x3E, 0x00,
        0x00, 0x00, 0x3F, 0x00, 0x00, 0x40, 0x3F, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0xA0, 0x3F, 0x50, 0x4B, 0x03, 0x04, 0x2D, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x21, 0x00, 0x71, 0xFB, 0x39, 0xAB, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x05, 0x00, 0x14, 0x00, 0x79, 0x2E, 0x6E,
        0x70, 0x79, 0x01, 0x00, 0x10, 0x00, 0x90, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x90, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x93, 0x4E,
        0x55, 0x4D, 0x50, 0x59, 0x01, 0x00, 0x76, 0x00, 0x7B, 0x27, 0x64, 0x65, 0x73, 0x63, 0x72, 0x27, 0x3A, 0x20, 0x27, 0x3C, 0x69, 0x38, 0x27, 0x2C,
        0x20, 0x27, 0x66, 0x6F, 0x72, 0x74, 0x72, 0x61, 0x6E, 0x5F, 0x6F, 0x72, 0x64, 0x65, 0x72, 0x27, 0x3A, 0x20, 0x46, 0x61, 0x6C, 0x73, 0x65, 0x2C,
        0x20, 0x27, 0x73, 0x68, 0x61, 0x70, 0x65, 0x27, 0x3A, 0x20, 0x28, 0x32, 0x2C, 0x29, 0x2C, 0x20, 0x7D, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
        0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
        0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
        0x20, 0x20, 0x20, 0x20, 0x20, 0x0A, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x50, 0x4B,
        0x01, 0x02, 0x2D, 0x03, 0x2D, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x21, 0x00, 0x0A, 0x9C, 0x00, 0xA4, 0x98, 0x00, 0x00, 0x00, 0x98, 0x00,
        0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x01, 0x00, 0x00, 0x00, 0x00, 0x78, 0x2E, 0x6E, 0x70,
        0x79, 0x50, 0x4B, 0x01, 0x02, 0x2D, 0x03, 0x2D, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x21, 0x00, 0x71, 0xFB, 0x39, 0xAB, 0x90, 0x00, 0x00,
        0x00, 0x90, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x01, 0xCF, 0x00, 0x00, 0x00, 0x79,
        0x2E, 0x6E, 0x70, 0x79, 0x50, 0x4B, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x02, 0x00, 0x66, 0x00, 0x00, 0x00, 0x96, 0x01, 0x00, 0x00,
        0x00, 0x00,
    ]
    static let deflated: [UInt8] = [
        0x50, 0x4B, 0x03, 0x04, 0x2D, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00, 0x0A, 0x9C, 0x00, 0xA4, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0x05, 0x00, 0x14, 0x00, 0x78, 0x2E, 0x6E, 0x70, 0x79, 0x01, 0x00, 0x10, 0x00, 0x98, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x56,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x9B, 0xEC, 0x17, 0xEA, 0x1B, 0x10, 0xC9, 0xC8, 0x50, 0xC6, 0x50, 0xAD, 0x9E, 0x92, 0x5A, 0x9C, 0x5C,
        0xA4, 0x6E, 0xA5, 0xA0, 0x6E, 0x93, 0x66, 0xA2, 0xAE, 0xA3, 0xA0, 0x9E, 0x96, 0x5F, 0x54, 0x52, 0x94, 0x98, 0x17, 0x9F, 0x5F, 0x94, 0x92, 0x0A,
        0x12, 0x77, 0x4B, 0xCC, 0x29, 0x4E, 0x05, 0x8A, 0x17, 0x67, 0x24, 0x16, 0xA4, 0x02, 0xF9, 0x1A, 0x46, 0x3A, 0x0A, 0xC6, 0x9A, 0x3A, 0x0A, 0xB5,
        0x0A, 0x64, 0x03, 0x2E, 0x06, 0x30, 0x68, 0xB0, 0x03, 0x12, 0xF6, 0x0C, 0x0C, 0x0E, 0x40, 0xDC, 0x00, 0xC4, 0x0B, 0xEC, 0x01, 0x50, 0x4B, 0x03,
        0x04, 0x2D, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00, 0x71, 0xFB, 0x39, 0xAB, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x05,
        0x00, 0x14, 0x00, 0x79, 0x2E, 0x6E, 0x70, 0x79, 0x01, 0x00, 0x10, 0x00, 0x90, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x48, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x9B, 0xEC, 0x17, 0xEA, 0x1B, 0x10, 0xC9, 0xC8, 0x50, 0xC6, 0x50, 0xAD, 0x9E, 0x92, 0x5A, 0x9C, 0x5C, 0xA4, 0x6E, 0xA5,
        0xA0, 0x6E, 0x93, 0x69, 0xA1, 0xAE, 0xA3, 0xA0, 0x9E, 0x96, 0x5F, 0x54, 0x52, 0x94, 0x98, 0x17, 0x9F, 0x5F, 0x94, 0x92, 0x0A, 0x12, 0x77, 0x4B,
        0xCC, 0x29, 0x4E, 0x05, 0x8A, 0x17, 0x67, 0x24, 0x16, 0xA4, 0x02, 0xF9, 0x1A, 0x46, 0x3A, 0x9A, 0x3A, 0x0A, 0xB5, 0x0A, 0x14, 0x00, 0x2E, 0x46,
        0x06, 0x54, 0x00, 0x00, 0x50, 0x4B, 0x01, 0x02, 0x2D, 0x03, 0x2D, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00, 0x0A, 0x9C, 0x00, 0xA4,
        0x56, 0x00, 0x00, 0x00, 0x98, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x01, 0x00, 0x00,
        0x00, 0x00, 0x78, 0x2E, 0x6E, 0x70, 0x79, 0x50, 0x4B, 0x01, 0x02, 0x2D, 0x03, 0x2D, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00, 0x71,
        0xFB, 0x39, 0xAB, 0x48, 0x00, 0x00, 0x00, 0x90, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80,
        0x01, 0x8D, 0x00, 0x00, 0x00, 0x79, 0x2E, 0x6E, 0x70, 0x79, 0x50, 0x4B, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x02, 0x00, 0x66, 0x00,
        0x00, 0x00, 0x0C, 0x01, 0x00, 0x00, 0x00, 0x00,
    ]
}
