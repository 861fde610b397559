import Foundation

extension NumpyArray {
    /// The shape and byte width of the values a `.npy` file declares, from its header alone (at
    /// most a few KiB read), so that a run can refuse a file too big for memory before reading it.
    /// nil for anything but a regular file with a header modelc reads: the full read then reports
    /// what is wrong (and a pipe is never read ahead of it).
    static func peekShape(_ path: String) -> (shape: [Int], width: Int, fileBytes: Double)? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        func readBytes(_ count: Int) -> [UInt8]? {
            var bytes = [UInt8](repeating: 0, count: count)
            var done = 0
            while done < count {
                let got = bytes.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress! + done, count - done) }
                if got <= 0 { return nil }
                done += got
            }
            return bytes
        }
        guard let start = readBytes(12), start[0..<6].elementsEqual([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]) else { return nil }
        let length: Int, consumed: Int
        switch start[6] {
        case 1:
            length = Int(start[8]) | Int(start[9]) << 8
            consumed = 10
        case 2, 3:
            length = Int(start[8]) | Int(start[9]) << 8 | Int(start[10]) << 16 | Int(start[11]) << 24
            consumed = 12
        default:
            return nil
        }
        guard length < 1 << 20, let rest = readBytes(max(0, length - (12 - consumed))) else { return nil }
        let headerBytes = Array(start[consumed...]) + rest
        let text = String(headerBytes.prefix(length).map { Character(Unicode.Scalar($0)) })
        guard let header = try? NumpyHeader.parse(text), let descr = header.descr else { return nil }
        let widths = ["<f4": 4, "<f8": 8, "<i4": 4, "<i8": 8]
        guard let width = widths[descr] else { return nil }
        return (header.shape, width, Double(status.st_size))
    }
}
