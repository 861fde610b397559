import Foundation
import Synchronization

/// Runs libhdf5's reading of an untrusted file in a child process, `modelc-hdf5` (installed beside
/// `modelc`; `MODELC_HDF5_HELPER` names another path): the file's bytes go to its standard input,
/// the tree comes back on its standard output (HDF5TreeCodec). A child killed by a signal, one
/// that outlives its deadline (killed then), or one that answers nothing readable, is an error
/// naming the file; modelc itself never runs libhdf5 on a file it did not write.
public enum HDF5Isolation {
    /// The helper's executable: beside the running program (the `modelc` binary, or the test runner
    /// in the same build folder).
    static var helper: String? {
        if let path = ProcessInfo.processInfo.environment["MODELC_HDF5_HELPER"], !path.isEmpty { return path }
        guard let executable = Bundle.main.executablePath else { return nil }
        let beside = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("modelc-hdf5").path
        return FileManager.default.isExecutableFile(atPath: beside) ? beside : nil
    }

    /// Seconds the child may take: 15, and one more per 10 MB (a 100 MB model reads in about a second).
    static func deadline(_ size: Int) -> Double { 15 + Double(size) / 10_000_000 }

    static func read(_ bytes: [UInt8], file: String, deadline seconds: Double? = nil) throws(DataError) -> HDF5Group {
        let deadline = seconds ?? deadline(bytes.count)
        guard let helper else {
            throw DataError("cannot read \(file): modelc reads HDF5 files with its helper modelc-hdf5, which is not installed beside modelc (build it with `swift build --product modelc-hdf5`, or name it in MODELC_HDF5_HELPER)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: helper)
        process.arguments = [file]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw DataError("cannot read \(file): the HDF5 helper \(helper) did not start (\(error.localizedDescription))")
        }
        let writer = Thread {
            // The child may stop reading early (a damaged header): a closed pipe is then expected. SIGPIPE
            // is blocked on this thread only, so the write fails with EPIPE instead of ending modelc.
            var blocked = sigset_t()
            sigemptyset(&blocked)
            sigaddset(&blocked, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &blocked, nil)
            try? input.fileHandleForWriting.write(contentsOf: Data(bytes))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let timedOut = Mutex(false)
        let pid = process.processIdentifier
        let timer = DispatchWorkItem {
            timedOut.withLock { $0 = true }
            kill(pid, SIGKILL)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + deadline, execute: timer)
        let answer = [UInt8](output.fileHandleForReading.readDataToEndOfFile())
        process.waitUntilExit()
        timer.cancel()
        if timedOut.withLock({ $0 }) {
            throw DataError("\(file): libhdf5 was still reading it after \(Int(deadline)) s and was stopped; the file is damaged or crafted")
        }
        if process.terminationReason == .uncaughtSignal {
            throw DataError("\(file) is damaged or crafted: libhdf5 crashed reading it (signal \(process.terminationStatus)); modelc read nothing from it")
        }
        guard process.terminationStatus == 0, let status = answer.first else {
            throw DataError("\(file): the HDF5 helper stopped with status \(process.terminationStatus) and no answer")
        }
        let rest = Array(answer.dropFirst())
        if status == 1 { throw DataError(String(decoding: rest, as: UTF8.self)) }
        do {
            return try HDF5TreeCodec.decode(rest)
        } catch {
            throw DataError("\(file): the HDF5 helper's answer is malformed; the file is damaged or crafted")
        }
    }

    /// What `modelc-hdf5` does: the file on standard input, the answer on standard output.
    public static func serve(file: String) -> Int32 {
        let bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        let answer: [UInt8]
        do {
            answer = [0] + HDF5TreeCodec.encode(try HDF5Reader.readInProcess(bytes, file: file))
        } catch {
            answer = [1] + Array(error.description.utf8)
        }
        FileHandle.standardOutput.write(Data(answer))
        return 0
    }
}
