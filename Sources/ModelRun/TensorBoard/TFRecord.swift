import Foundation
import ModelC

/// TFRecord framing, the container of TensorFlow's event files: per record the length as a
/// little-endian UInt64, the masked CRC-32C of those 8 bytes, the data, and the masked CRC-32C of
/// the data (little-endian UInt32s).
public enum TFRecord {
    /// One framed record.
    public static func frame(_ data: [UInt8]) -> [UInt8] {
        var record: [UInt8] = []
        record.reserveCapacity(data.count + 16)
        let length = withUnsafeBytes(of: UInt64(data.count).littleEndian, Array.init)
        record += length
        record += withUnsafeBytes(of: CRC32C.masked(length).littleEndian, Array.init)
        record += data
        record += withUnsafeBytes(of: CRC32C.masked(data).littleEndian, Array.init)
        return record
    }

    /// The records of `bytes` in order, both CRCs of each verified. A torn last record (a file
    /// being written) is an error like any other damage: `file` names it in the message.
    public static func records(_ bytes: [UInt8], file: String = "the event file") throws(DataError) -> [[UInt8]] {
        var records: [[UInt8]] = []
        var offset = 0
        func uint32(_ at: Int) -> UInt32 {
            (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) }
        }
        while offset < bytes.count {
            guard bytes.count - offset >= 12 else { throw DataError("\(file): a record header is cut short at byte \(offset)") }
            let header = Array(bytes[offset..<offset + 8])
            let length = (0..<8).reduce(UInt64(0)) { $0 | UInt64(header[$1]) << (8 * UInt64($1)) }
            guard uint32(offset + 8) == CRC32C.masked(header) else {
                throw DataError("\(file): the length CRC of the record at byte \(offset) does not match")
            }
            guard length <= UInt64(bytes.count - offset - 16) else {
                throw DataError("\(file): the record at byte \(offset) is cut short")
            }
            let start = offset + 12, end = start + Int(length)
            let data = Array(bytes[start..<end])
            guard uint32(end) == CRC32C.masked(data) else {
                throw DataError("\(file): the data CRC of the record at byte \(offset) does not match")
            }
            records.append(data)
            offset = end + 4
        }
        return records
    }
}
