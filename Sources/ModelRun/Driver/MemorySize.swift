import Foundation
import ModelC

/// Sizes of memory as users write them (`--max-memory 8G`) and as messages print them.
public enum MemorySize {
    /// Bytes for `512M`, `8G`, `8GiB`, `1.5g`, `2000000000`, `300MB`: K, M, G, T and KiB ... TiB are
    /// binary (as ulimit and docker read them), KB ... TB decimal, a bare number bytes (or `B`).
    /// nil for anything else, or for zero.
    public static func parse(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let number = trimmed.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        guard !number.isEmpty, let value = Double(number), value.isFinite, value > 0 else { return nil }
        let unit = trimmed.dropFirst(number.count).trimmingCharacters(in: .whitespaces).lowercased()
        let scales: [String: Double] = [
            "": 1, "b": 1,
            "k": 0x1p10, "kib": 0x1p10, "kb": 1e3,
            "m": 0x1p20, "mib": 0x1p20, "mb": 1e6,
            "g": 0x1p30, "gib": 0x1p30, "gb": 1e9,
            "t": 0x1p40, "tib": 0x1p40, "tb": 1e12,
        ]
        guard let scale = scales[unit] else { return nil }
        let bytes = (value * scale).rounded(.down)
        return bytes >= 1 ? bytes : nil
    }

    /// `44.7 GiB`, `512 MiB`: three significant digits.
    public static func text(_ bytes: Double) -> String { MemoryEstimate.text(bytes) }

    /// Memory the system can give this process now without swapping: MemAvailable on Linux, else
    /// the physical memory.
    public static func available() -> Double {
        if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
           let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) {
            return kilobytes * 1024
        }
        return Double(ProcessInfo.processInfo.physicalMemory)
    }
}

/// `--threads` bounded by the machine: more threads than cores only wait for each other.
public enum ThreadLimit {
    /// The threads to use for `requested`, and the note to print when it was lowered.
    public static func bounded(_ requested: Int, cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> (threads: Int, note: String?) {
        let cores = max(cores, 1)
        guard requested > cores else { return (max(requested, 1), nil) }
        return (cores, "--threads \(requested): this machine has \(cores) core\(cores == 1 ? "" : "s"); using \(cores)")
    }
}
