import Foundation
import Testing
@testable import ModelRun

/// The persistent worker pool behind `ChunkExecutor`: every chunk of every region runs exactly
/// once, regions never mix, and executors shut their threads down when released.
@Suite struct SpeedExecutorTests {
    /// Runs per chunk index. Each chunk writes only its own slot, as layers' chunks write only their
    /// rows; the pool orders one region's writes before the next region's.
    final class Counts: @unchecked Sendable {
        let runs = UnsafeMutableBufferPointer<Int>.allocate(capacity: BatchChunks.maximumCount)
        init() { runs.initialize(repeating: 0) }
        deinit { runs.deallocate() }
        var values: [Int] { Array(runs) }
    }

    @Test(arguments: [2, 3, 4])
    func everyChunkRunsOncePerRegion(threads: Int) {
        let executor = ChunkExecutor(threads: threads)
        let counts = Counts()
        var mismatches: [String] = []
        for region in 0..<3_000 {
            let chunks = BatchChunks(batch: region % 7 + 1)
            // Each chunk writes only its own slot, like the layers' chunks write only their rows.
            var seen = [Int](repeating: 0, count: chunks.count)
            seen.withUnsafeMutableBufferPointer { slots in
                let slots = UnsafeSendableBox(slots)
                executor.forEachChunk(chunks) { range, index in
                    slots.value[index] += range.count
                    counts.runs[index] += 1
                }
            }
            if seen != chunks.ranges.map(\.count) { mismatches.append("region \(region): \(seen)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(3))")
        let total = counts.values.reduce(0, +)
        #expect(total == (0..<3_000).map { BatchChunks(batch: $0 % 7 + 1).count }.reduce(0, +))
    }

    /// Regions separated by idle time (workers asleep) still run, and released executors stop.
    @Test func sleepingWorkersWakeAndReleasedExecutorsStop() throws {
        let workersBefore = try Self.workerThreads()
        for _ in 0..<10 {
            let executor = ChunkExecutor(threads: 3)
            let counts = Counts()
            for _ in 0..<3 {
                executor.forEachChunk(BatchChunks(batch: 8)) { _, index in counts.runs[index] += 1 }
                Thread.sleep(forTimeInterval: 0.005)
            }
            #expect(counts.values == [3, 3, 3, 3])
        }
        // Other suites may run executors concurrently, so only require that these 20 workers left.
        var workersAfter = try Self.workerThreads()
        for _ in 0..<100 where workersAfter > workersBefore {
            Thread.sleep(forTimeInterval: 0.01)
            workersAfter = try Self.workerThreads()
        }
        #expect(workersAfter < workersBefore + 20)
    }

    /// Threads of this process named by `WorkerPool`.
    static func workerThreads() throws -> Int {
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")
        return tasks.filter { (try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8))?.hasPrefix("modelc-worker") == true }.count
    }
}

/// When the command-line tool asks OpenBLAS for other kernels (release builds restart once with
/// OPENBLAS_CORETYPE set).
struct BLASCoreTests {
    static let avx2 = BLASCore.cpuFlags("processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma bmi2\n")

    @Test func onlyAFallbackOnACapableCPUWithoutTheUsersChoiceIsReplaced() {
        #expect(Self.avx2 == ["fpu", "sse2", "avx", "avx2", "fma", "bmi2"])
        #expect(BLASCore.better(current: "Prescott", cpuFlags: Self.avx2, environment: [:]) == "Haswell")
        #expect(BLASCore.better(current: "Sandybridge", cpuFlags: Self.avx2, environment: [:]) == "Haswell")
        // Already good kernels, the user's own choice, a CPU without AVX2/FMA, or no /proc/cpuinfo: left alone.
        #expect(BLASCore.better(current: "Haswell", cpuFlags: Self.avx2, environment: [:]) == nil)
        #expect(BLASCore.better(current: "SkylakeX", cpuFlags: Self.avx2, environment: [:]) == nil)
        #expect(BLASCore.better(current: "Prescott", cpuFlags: Self.avx2, environment: ["OPENBLAS_CORETYPE": "Prescott"]) == nil)
        #expect(BLASCore.better(current: "Prescott", cpuFlags: ["sse2", "avx"], environment: [:]) == nil)
        #expect(BLASCore.better(current: "Prescott", cpuFlags: nil, environment: [:]) == nil)
        #expect(BLASCore.cpuFlags("no flags here") == nil)
    }
}
