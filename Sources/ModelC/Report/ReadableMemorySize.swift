/// Keras's `readable_memory_size`: the size the totals lines of newer Keras summaries print beside
/// each count (`34.41 KB`). Keras divides by 1024 until the value is under 1024 (or the units run
/// out at PB) and prints it with `"{:.2f}"`; Python rounds that exactly, ties to even, so this
/// rounds the same exact fraction with integers instead of trusting a platform's `printf`.
public enum ReadableMemorySize {
    /// tf_keras 2.13+ (`keras/utils/layer_utils.py`) calls bytes "Byte".
    public static let tfKerasUnits = ["Byte", "KB", "MB", "GB", "TB", "PB"]
    /// Keras 3 (`keras/src/utils/summary_utils.py`) calls them "B".
    public static let keras3Units = ["B", "KB", "MB", "GB", "TB", "PB"]

    /// `bytes` as Keras prints it with these unit names: `0.00 Byte`, `1023.00 Byte`, `1.00 KB`.
    public static func format(bytes: Int, units: [String]) -> String {
        // Keras holds the byte count as a float64 before dividing (numpy's int64 / int, or
        // Python's int / 8), so a count past 2^53 is first rounded as a double would round it.
        let exact = UInt64(Double(max(bytes, 0)))
        // Keras's loop divides before it tests the next unit, so past 1024 PB it prints
        // bytes / 1024^6 with "PB" (units.count divisions); the same here.
        var shift = 10 * units.count
        var label = units[units.count - 1]
        for (index, unit) in units.enumerated() where exact >> (10 * UInt64(index + 1)) == 0 {
            shift = 10 * index
            label = unit
            break
        }
        // Dividing a double by 1024 is exact, so the value printed is exact / 2^shift.
        let scaled = UInt128(exact) * 100
        var hundredths = scaled >> shift
        let remainder = scaled - (hundredths << shift)
        let half: UInt128 = shift == 0 ? 0 : 1 << (shift - 1)
        if shift > 0, remainder > half || (remainder == half && hundredths % 2 == 1) { hundredths += 1 }
        let cents = hundredths % 100
        return "\(hundredths / 100).\(cents < 10 ? "0" : "")\(cents) \(label)"
    }
}
