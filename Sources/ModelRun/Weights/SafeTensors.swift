import Foundation
import ModelC

/// Why a weights file cannot be used; the message names the file and, where it applies, the tensor.
public struct WeightsError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The safetensors format: an 8-byte little-endian header length, a JSON header mapping tensor
/// names to dtype, shape and [begin, end) byte offsets into the data that follows. modelc reads and
/// writes F32 only, and checks every offset before touching the data.
public enum SafeTensors {
    /// Headers larger than this are refused (the reference implementation's limit).
    public static let maximumHeaderBytes = 100_000_000

    public struct Tensor: Equatable, Sendable {
        public var shape: [Int]
        public var values: [Float]

        public init(shape: [Int], values: [Float]) {
            self.shape = shape
            self.values = values
        }
    }

    /// Encodes tensors in the given order; `metadata` goes under `__metadata__`.
    public static func encode(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:]) -> [UInt8] {
        var header: [(String, JSONValue)] = []
        if !metadata.isEmpty {
            header.append(("__metadata__", .object(metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
        }
        var offset = 0
        for (name, tensor) in tensors {
            let size = tensor.values.count * 4
            header.append((name, .object([
                ("dtype", .string("F32")),
                ("shape", .array(tensor.shape.map { .int($0) })),
                ("data_offsets", .array([.int(offset), .int(offset + size)])),
            ])))
            offset += size
        }
        var json = Array(JSONValue.object(header).rendered(indent: nil).utf8)
        // Pad with spaces so the data starts 8-byte aligned, as the reference implementation does.
        while (json.count + 8) % 8 != 0 { json.append(UInt8(ascii: " ")) }
        var bytes = [UInt8]()
        bytes.reserveCapacity(8 + json.count + offset)
        var length = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
        bytes += json
        for (_, tensor) in tensors {
            for value in tensor.values {
                var bits = value.bitPattern.littleEndian
                withUnsafeBytes(of: &bits) { bytes.append(contentsOf: $0) }
            }
        }
        return bytes
    }

    /// Decodes every tensor; `file` names the source in messages.
    public static func decode(_ bytes: [UInt8], file: String) throws(WeightsError) -> [String: Tensor] {
        try decodeWithMetadata(bytes, file: file).tensors
    }

    /// Every tensor and the `__metadata__` strings (a non-string entry is refused).
    public static func decodeWithMetadata(_ bytes: [UInt8], file: String) throws(WeightsError) -> (tensors: [String: Tensor], metadata: [String: String]) {
        guard bytes.count >= 8 else {
            throw WeightsError("\(file) is not a safetensors file: it has \(bytes.count) bytes, fewer than the 8-byte header length")
        }
        var headerLength: UInt64 = 0
        for index in 0..<8 { headerLength |= UInt64(bytes[index]) << (8 * UInt64(index)) }
        guard headerLength <= UInt64(maximumHeaderBytes), Int(headerLength) <= bytes.count - 8 else {
            throw WeightsError("\(file) is not a safetensors file or is truncated: its header claims \(headerLength) bytes but the file has \(bytes.count - 8) after the length")
        }
        let dataStart = 8 + Int(headerLength)
        let dataLength = bytes.count - dataStart
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(bytes[8..<dataStart]))
        } catch {
            throw WeightsError("\(file) has a header that is not valid JSON")
        }
        guard let header = parsed as? [String: Any] else {
            throw WeightsError("\(file) has a header that is not a JSON object")
        }
        var metadata: [String: String] = [:]
        if let entry = header["__metadata__"] {
            guard let strings = entry as? [String: String] else {
                throw WeightsError("\(file): __metadata__ must map names to strings")
            }
            metadata = strings
        }
        var tensors: [String: Tensor] = [:]
        var ranges: [(Int, Int, String)] = []
        for (name, entry) in header where name != "__metadata__" {
            let shown = FileExcerpts.name(name, limit: 60)
            guard let entry = entry as? [String: Any] else {
                throw WeightsError("\(file): tensor '\(shown)' has a header entry that is not an object")
            }
            guard let dtype = entry["dtype"] as? String else {
                throw WeightsError("\(file): tensor '\(shown)' has no dtype")
            }
            guard dtype == "F32" else {
                throw WeightsError("\(file): tensor '\(shown)' is \(FileExcerpts.name(dtype, limit: 24)); modelc reads F32 weights only")
            }
            guard let shapeValues = entry["shape"] as? [Any], let offsets = entry["data_offsets"] as? [Any], offsets.count == 2 else {
                throw WeightsError("\(file): tensor '\(shown)' needs a shape and two data_offsets")
            }
            var shape: [Int] = []
            var elements = 1
            for value in shapeValues {
                guard let size = exactInt(value), size >= 0, size <= Int(Int32.max) else {
                    throw WeightsError("\(file): tensor '\(shown)' has an invalid shape")
                }
                shape.append(size)
                let (product, overflow) = elements.multipliedReportingOverflow(by: size)
                guard !overflow, product <= dataLength / 4 + 1 else {
                    throw WeightsError("\(file): tensor '\(shown)' has a shape larger than the file's data")
                }
                elements = product
            }
            guard let begin = exactInt(offsets[0]), let end = exactInt(offsets[1]), begin >= 0, begin <= end, end <= dataLength else {
                throw WeightsError("\(file): tensor '\(shown)' has data offsets outside the file's \(dataLength) data bytes (truncated or corrupt)")
            }
            guard end - begin == elements * 4 else {
                throw WeightsError("\(file): tensor '\(shown)' is shaped \(shape) (\(elements * 4) bytes) but its offsets span \(end - begin) bytes")
            }
            ranges.append((begin, end, name))
            var values = [Float](repeating: 0, count: elements)
            for index in 0..<elements {
                let at = dataStart + begin + index * 4
                let bits = UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
                values[index] = Float(bitPattern: bits)
            }
            tensors[name] = Tensor(shape: shape, values: values)
        }
        ranges.sort { $0.0 < $1.0 }
        for (previous, next) in zip(ranges, ranges.dropFirst()) where next.0 < previous.1 {
            throw WeightsError("\(file): tensors '\(FileExcerpts.name(previous.2, limit: 60))' and '\(FileExcerpts.name(next.2, limit: 60))' overlap in the data")
        }
        return (tensors, metadata)
    }

    /// An integer from JSON (which Foundation may hand over as a Double), or nil if it is not one.
    static func exactInt(_ value: Any) -> Int? {
        if let number = value as? NSNumber {
            let double = number.doubleValue
            guard double.isFinite, double == double.rounded(), abs(double) < 9.0e15 else { return nil }
            return Int(double)
        }
        return nil
    }
}
