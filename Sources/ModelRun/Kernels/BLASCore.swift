import COpenBLAS
import Foundation

/// Which of OpenBLAS's kernel sets the process uses, and a better one when OpenBLAS fell back.
///
/// Debian's OpenBLAS is built for every x86-64 CPU and picks its kernels from the CPUID model
/// when the library loads. A CPU it does not recognise — virtual machines often report a generic
/// "Intel(R) Xeon(R) Processor" — gets the Prescott (SSE3) kernels even when it has AVX2 and FMA;
/// modelc's matrix products then run about 1.5× slower (BENCHMARKS.md, "OpenBLAS kernels"). The
/// choice cannot be changed after loading: only `OPENBLAS_CORETYPE` in the environment of a new
/// process changes it, so the command-line tool restarts itself once with it set.
public enum BLASCore {
    /// OpenBLAS's name of the kernels in use (`Prescott`, `Haswell`, `SkylakeX`, ...).
    public static var current: String { String(cString: openblas_get_corename()) }

    /// Kernel sets of CPUs older than AVX2, which OpenBLAS also falls back to for unknown models.
    static let fallbacks: Set<String> = ["prescott", "core2", "penryn", "dunnington", "nehalem", "sandybridge", "atom", "katmai"]

    /// The kernels to ask for, or nil to keep the current ones: only when OpenBLAS runs a pre-AVX2
    /// set on a CPU with AVX2 and FMA, and the user has not chosen one (`OPENBLAS_CORETYPE`).
    /// Haswell's and not SkylakeX's: SkylakeX's small-matrix kernels sum in an order that depends on
    /// the product's size, which would make results depend on how a batch is split over threads.
    public static func better(current: String = current, cpuFlags: Set<String>? = cpuFlags(),
                              environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        guard environment["OPENBLAS_CORETYPE"] == nil, fallbacks.contains(current.lowercased()),
              let flags = cpuFlags, flags.isSuperset(of: ["avx2", "fma"]) else { return nil }
        return "Haswell"
    }

    /// The CPU's feature flags from /proc/cpuinfo (Linux), nil where there is none.
    public static func cpuFlags(_ cpuinfo: String? = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) -> Set<String>? {
        guard let cpuinfo,
              let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return nil }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }
}
