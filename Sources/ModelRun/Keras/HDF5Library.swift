import CHDF5
import Synchronization

/// The one door to libhdf5. Builds differ in thread safety (Debian's has it, others not), so every
/// use holds one process-wide lock (tests and a training's checkpoint writes may come from several
/// threads). Every use first turns off HDF5's printing of error stacks to stderr (a thread-safe
/// build keeps that setting per thread, so once is not enough) and its loading of filter plugins:
/// a file names a filter by number, and HDF5 would otherwise look for a shared library
/// implementing it in its plugin folder and load it.
enum HDF5Library {
    private static let lock = Mutex(())

    static func locked<Result>(_ body: () throws(DataError) -> Result) throws(DataError) -> Result {
        try lock.withLock { (_: inout ()) throws(DataError) -> Result in
            modelc_h5_quiet()
            return try body()
        }
    }

    /// HDF5's own innermost message for the last failure, such as "truncated file: eof = 96".
    static func lastError() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        modelc_h5_last_error(&buffer)
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.isEmpty ? "libhdf5 gave no reason" : text
    }

    /// Closes identifiers when a scope ends, whatever path it leaves by.
    final class Handles {
        private var closers: [() -> Void] = []

        func keep(_ id: hid_t, _ close: @escaping (hid_t) -> herr_t) -> hid_t {
            if id >= 0 { closers.append { _ = close(id) } }
            return id
        }

        deinit { for close in closers.reversed() { close() } }
    }
}
