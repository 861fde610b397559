#if canImport(Glibc)
import Glibc
#endif

/// What libFuzzer calls with each input: its bytes and their count; returns 0.
public typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                                 _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                                 _ callback: FuzzCallback) -> CInt

/// Hands the process to libFuzzer with the command line's options and corpus folders; with
/// MODELC_FUZZ_WRITE_SEEDS=FOLDER set, writes the target's generated `seeds` there instead and exits.
///
/// SwiftPM names an executable's entry point after its module and aliases `main` to it (so a
/// target built with -parse-as-library and no main does not link); the targets therefore keep a
/// main.swift that calls this, and libFuzzer's own main() is never used.
public func runFuzzer(seeds: [(name: String, bytes: [UInt8])] = [], _ callback: FuzzCallback) -> Never {
    if let folder = getenv("MODELC_FUZZ_WRITE_SEEDS").map({ String(cString: $0) }) {
        exit(writeSeeds(seeds, to: folder) ? 0 : 1)
    }
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, callback))
}
