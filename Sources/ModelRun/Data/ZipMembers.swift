import Foundation
import ZIPFoundation

/// A bounds-checked reader of the members of a ZIP archive held in memory: every offset and size
/// in the archive is checked against the bytes present before use, so a damaged or hostile archive
/// yields a `Problem`, never a crash or an unbounded allocation. Sizes come from the central
/// directory (numpy's writer leaves 0xFFFFFFFF in local headers and puts the real sizes there);
/// ZIP64 records are understood. Inflating uses ZIPFoundation's zlib binding.
enum ZipMembers {
    struct Member {
        var name: String
        var method: UInt16
        var flags: UInt16
        var crc: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
        var isDirectory: Bool { name.hasSuffix("/") }
    }

    /// What is wrong, as the end of a sentence that begins with the archive's name.
    struct Problem: Error { let reason: String }

    /// The members listed in the central directory, in order.
    static func list(_ bytes: [UInt8]) throws(Problem) -> [Member] {
        let reader = ByteReader(bytes: bytes)
        guard let end = endOfCentralDirectory(reader) else {
            if bytes.count >= 4, reader.u32(0) == 0x0403_4B50 {
                throw Problem(reason: "is truncated: it lacks the table of contents a zip archive ends with")
            }
            throw Problem(reason: "is not a zip archive (numpy's .npz files are zip archives)")
        }
        var entryCount = Int(reader.u16(end + 10)!)
        var directorySize = Int(reader.u32(end + 12)!)
        var directoryOffset = Int(reader.u32(end + 16)!)
        let disks: Set<UInt16?> = [0, 0xFFFF]
        guard disks.contains(reader.u16(end + 4)), disks.contains(reader.u16(end + 6)) else {
            throw Problem(reason: "is split over several files (a multi-disk zip), which modelc does not read")
        }
        if entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // ZIP64: the real counts live in a record found through the locator just before the end record.
            guard end >= 20, reader.u32(end - 20) == 0x0706_4B50, let recordOffset = reader.int64(end - 12),
                  reader.u32(recordOffset) == 0x0606_4B50,
                  let count = reader.int64(recordOffset + 32), let size = reader.int64(recordOffset + 40),
                  let offset = reader.int64(recordOffset + 48) else {
                throw Problem(reason: "has a damaged ZIP64 table of contents")
            }
            (entryCount, directorySize, directoryOffset) = (count, size, offset)
        }
        guard directoryOffset <= bytes.count, directorySize <= bytes.count - directoryOffset,
              entryCount <= directorySize / 46 else {
            throw Problem(reason: "is damaged or truncated: its table of contents points outside the file")
        }
        var members: [Member] = []
        var at = directoryOffset
        let directoryEnd = directoryOffset + directorySize
        for _ in 0..<entryCount {
            guard at <= directoryEnd - 46, reader.u32(at) == 0x0201_4B50 else {
                throw Problem(reason: "has a damaged table of contents (entry \(members.count + 1) is unreadable)")
            }
            let nameLength = Int(reader.u16(at + 28)!)
            let extraLength = Int(reader.u16(at + 30)!)
            let commentLength = Int(reader.u16(at + 32)!)
            let next = at + 46 + nameLength + extraLength + commentLength
            guard next <= directoryEnd else {
                throw Problem(reason: "has a damaged table of contents (entry \(members.count + 1) runs past its end)")
            }
            var member = Member(
                name: String(decoding: bytes[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self),
                method: reader.u16(at + 10)!, flags: reader.u16(at + 8)!, crc: reader.u32(at + 16)!,
                compressedSize: Int(reader.u32(at + 20)!), uncompressedSize: Int(reader.u32(at + 24)!),
                localHeaderOffset: Int(reader.u32(at + 42)!))
            try applyZIP64Extra(reader, from: at + 46 + nameLength, length: extraLength, to: &member)
            members.append(member)
            at = next
        }
        return members
    }

    /// A member's bytes. Refuses before inflating anything when the declared size exceeds `limit`
    /// or is more than deflate can produce from the compressed bytes; while inflating, never
    /// produces more than the declared size; checks the CRC-32.
    static func contents(of member: Member, in bytes: [UInt8], limit: Int) throws(Problem) -> [UInt8] {
        guard member.flags & 1 == 0 else {
            throw Problem(reason: "is encrypted, which modelc does not read; save the arrays again with numpy.savez")
        }
        guard member.uncompressedSize <= limit else {
            throw Problem(reason: "would expand to \(member.uncompressedSize) bytes, more than the \(limit >> 20) MiB modelc accepts from one archive; this guards against zip bombs, so split the data into smaller files")
        }
        let reader = ByteReader(bytes: bytes)
        let header = member.localHeaderOffset
        guard reader.u32(header) == 0x0403_4B50, let nameLength = reader.u16(header + 26),
              let extraLength = reader.u16(header + 28) else {
            throw Problem(reason: "is damaged: its local header is missing")
        }
        let start = header + 30 + Int(nameLength) + Int(extraLength)
        guard start <= bytes.count, member.compressedSize <= bytes.count - start else {
            throw Problem(reason: "is truncated: its data runs past the end of the file")
        }
        let output: [UInt8]
        let checksum: UInt32
        switch member.method {
        case 0:
            guard member.compressedSize == member.uncompressedSize else {
                throw Problem(reason: "is damaged: its stored size and its size differ")
            }
            output = Array(bytes[start..<(start + member.compressedSize)])
            checksum = output.withUnsafeBytes { raw in
                guard let base = raw.baseAddress else { return 0 }
                return Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: raw.count, deallocator: .none).crc32(checksum: 0)
            }
        case 8:
            // Deflate cannot expand data by more than about 1032:1; a larger claim is a lie.
            guard member.uncompressedSize <= member.compressedSize * 1032 + 1024 else {
                throw Problem(reason: "claims \(member.uncompressedSize) bytes from \(member.compressedSize) compressed ones, more than deflate can produce; the archive is damaged or a zip bomb")
            }
            (output, checksum) = try inflate(bytes, start: start, compressedSize: member.compressedSize,
                                             size: member.uncompressedSize)
        case let method:
            let names: [UInt16: String] = [12: "bzip2", 14: "lzma", 93: "zstandard", 95: "xz"]
            throw Problem(reason: "is compressed with \(names[method] ?? "method \(method)"), which modelc does not read; numpy.savez and numpy.savez_compressed write stored or deflated members")
        }
        guard checksum == member.crc else {
            throw Problem(reason: "is damaged: its CRC-32 checksum does not match its contents")
        }
        return output
    }

    private static func inflate(_ bytes: [UInt8], start: Int, compressedSize: Int, size: Int) throws(Problem) -> ([UInt8], UInt32) {
        struct Overrun: Error {}
        struct Truncated: Error {}
        let chunk = 1 << 16
        var output: [UInt8] = []
        output.reserveCapacity(size)
        let checksum: UInt32
        do {
            checksum = try Data.decompress(size: Int64(compressedSize), bufferSize: chunk, skipCRC32: false,
                provider: { position, wanted in
                    // Always exactly `wanted` bytes (zero padding past the member): ZIPFoundation tells zlib a
                    // full chunk is available whatever the provider returns. A stream that has not ended
                    // within the member's bytes is truncated, which also ends the loop on damaged input.
                    let position = Int(position)
                    guard position < compressedSize else { throw Truncated() }
                    var data = Data(count: wanted)
                    let available = min(wanted, compressedSize - position)
                    data.withUnsafeMutableBytes { target in
                        bytes.withUnsafeBytes { source in
                            target.baseAddress!.copyMemory(from: source.baseAddress! + start + position, byteCount: available)
                        }
                    }
                    return data
                },
                consumer: { data in
                    guard data.count <= size - output.count else { throw Overrun() }
                    output.append(contentsOf: data)
                })
        } catch is Overrun {
            throw Problem(reason: "inflates to more than the \(size) bytes its header declares; the archive is damaged or a zip bomb")
        } catch is Truncated {
            throw Problem(reason: "is truncated or damaged: its compressed data ends early")
        } catch {
            throw Problem(reason: "is damaged: its compressed data cannot be inflated")
        }
        guard output.count == size else {
            throw Problem(reason: "is damaged: it inflates to \(output.count) bytes, not the \(size) its header declares")
        }
        return (output, checksum)
    }

    /// Finds the end-of-central-directory record, searching back over a possible archive comment.
    private static func endOfCentralDirectory(_ reader: ByteReader) -> Int? {
        let count = reader.bytes.count
        guard count >= 22 else { return nil }
        var at = count - 22
        let lowest = max(0, count - 22 - 0xFFFF)
        while at >= lowest {
            if reader.u32(at) == 0x0605_4B50, let comment = reader.u16(at + 20), at + 22 + Int(comment) <= count {
                return at
            }
            at -= 1
        }
        return nil
    }

    /// Replaces 0xFFFFFFFF sizes and offsets with their 64-bit values from a ZIP64 extra field.
    private static func applyZIP64Extra(_ reader: ByteReader, from start: Int, length: Int, to member: inout Member) throws(Problem) {
        let saturated = 0xFFFF_FFFF
        guard member.uncompressedSize == saturated || member.compressedSize == saturated
              || member.localHeaderOffset == saturated else { return }
        var at = start
        while at + 4 <= start + length {
            let id = reader.u16(at)!
            let size = Int(reader.u16(at + 2)!)
            guard at + 4 + size <= start + length else { break }
            if id == 0x0001 {
                var field = at + 4
                func next() throws(Problem) -> Int {
                    guard field + 8 <= at + 4 + size, let value = reader.int64(field) else {
                        throw Problem(reason: "has a damaged ZIP64 field for \(FileExcerpts.name(member.name, limit: 60))")
                    }
                    field += 8
                    return value
                }
                if member.uncompressedSize == saturated { member.uncompressedSize = try next() }
                if member.compressedSize == saturated { member.compressedSize = try next() }
                if member.localHeaderOffset == saturated { member.localHeaderOffset = try next() }
                return
            }
            at += 4 + size
        }
        throw Problem(reason: "lacks the ZIP64 sizes of \(FileExcerpts.name(member.name, limit: 60))")
    }
}

/// Little-endian reads that return nil instead of reading outside the bytes.
private struct ByteReader {
    let bytes: [UInt8]

    func u16(_ at: Int) -> UInt16? {
        guard at >= 0, at <= bytes.count - 2 else { return nil }
        return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    func u32(_ at: Int) -> UInt32? {
        guard at >= 0, at <= bytes.count - 4 else { return nil }
        return UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }

    /// A 64-bit size or offset, nil when it does not fit an Int (no real archive gets there).
    func int64(_ at: Int) -> Int? {
        guard let low = u32(at), let high = u32(at + 4) else { return nil }
        return Int(exactly: UInt64(high) << 32 | UInt64(low)).flatMap { $0 <= Int(Int32.max) * 4 ? $0 : nil }
    }
}

extension ZipMembers {
    /// A zip archive of `members`, stored (not compressed) in order, as numpy.savez and Keras 3's
    /// `model.save` write theirs; `what` names the archive in messages (".npz", ".keras").
    static func stored(_ members: [(name: String, bytes: [UInt8])], date: Date? = nil, what: String) throws(DataError) -> [UInt8] {
        do {
            let archive = try Archive(accessMode: .create)
            for (name, bytes) in members {
                let provider: Provider = { position, size in Data(bytes[Int(position)..<(Int(position) + size)]) }
                if let date {
                    try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(bytes.count), modificationDate: date,
                                         compressionMethod: .none, provider: provider)
                } else {
                    try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(bytes.count),
                                         compressionMethod: .none, provider: provider)
                }
            }
            guard let data = archive.data else { throw DataError("the \(what) archive could not be built in memory") }
            return [UInt8](data)
        } catch let error as DataError {
            throw error
        } catch {
            throw DataError("the \(what) archive could not be built: \(error)")
        }
    }
}
