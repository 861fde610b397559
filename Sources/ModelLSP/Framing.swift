import Foundation

/// LSP's base protocol: each message is `Content-Length: N\r\n` (other headers allowed, ignored),
/// a blank line, then N bytes of UTF-8 JSON. Bytes arrive in arbitrary chunks; `append` buffers them
/// and `next` returns whole messages one at a time.
public struct MessageFramer {
    /// A body larger than this is refused (the connection is then broken): 64 MiB, far above any spec.
    public static let maximumBody = 64 << 20
    private var buffer: [UInt8] = []

    public init() {}

    public enum Frame: Equatable {
        /// A complete body.
        case message([UInt8])
        /// Headers without a usable Content-Length: the bytes up to the blank line are dropped.
        case badHeader(String)
    }

    public mutating func append(_ bytes: some Sequence<UInt8>) { buffer.append(contentsOf: bytes) }

    /// The next whole message, or nil until more bytes arrive.
    public mutating func next() -> Frame? {
        guard let end = headerEnd() else { return nil }
        let header = String(decoding: buffer[..<end], as: UTF8.self)
        var length: Int?
        for line in header.components(separatedBy: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[0].lowercased() == "content-length" { length = Int(parts[1]) }
        }
        guard let length, length >= 0, length <= Self.maximumBody else {
            buffer.removeFirst(end + 4)
            return .badHeader(header)
        }
        guard buffer.count >= end + 4 + length else { return nil }
        let body = Array(buffer[(end + 4)..<(end + 4 + length)])
        buffer.removeFirst(end + 4 + length)
        return .message(body)
    }

    /// The index of `\r\n\r\n`.
    private func headerEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4)
        where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }

    /// `body` framed for sending.
    public static func frame(_ body: [UInt8]) -> [UInt8] {
        Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
    }
}
