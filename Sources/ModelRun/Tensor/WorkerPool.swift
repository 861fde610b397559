import Foundation
import Synchronization

/// Persistent threads that run the tasks of one parallel region at a time, with the calling thread
/// taking part. A training step opens several short regions (one per layer and direction), so
/// waking threads through the kernel for each would cost more than some regions' work: idle
/// workers first spin on the region counter, then yield, and only then sleep.
///
/// Tasks are claimed dynamically, so which thread runs a task varies from run to run; callers make
/// every task write only its own memory, so results never depend on it.
final class WorkerPool: @unchecked Sendable {
    /// Region number (high 32 bits), the region's task count (16 bits) and its next unclaimed task
    /// (low 16 bits), one word so a claim sees one region's count and index together. (With the
    /// count in its own atomic, a worker late from one region could read the next region's larger
    /// count while the word still showed the old region, claim a task index of the old region that
    /// does not exist, and run it with the next region's closure: a task run twice.)
    private let state = Atomic<UInt64>(0)
    /// Tasks of the current region finished so far.
    private let completed = Atomic<Int>(0)
    /// Workers asleep on `wakeUp`, and whether the pool is shutting down.
    private let sleepers = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let wakeUp = NSCondition()
    /// The current region's body, set before the region is published.
    private var task: UnsafeRawPointer?

    /// Starts `workers` threads.
    init(workers: Int) {
        for _ in 0..<workers {
            let thread = Thread { [self] in
                Thread.current.name = "modelc-worker"
                work()
            }
            thread.start()
        }
    }

    /// Ends the worker threads once they are idle.
    func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        wakeUp.lock()
        wakeUp.broadcast()
        wakeUp.unlock()
    }

    /// Runs `body(index)` for every index in 0..<count across the workers and the calling thread,
    /// returning when all have finished. Not reentrant: one region at a time.
    func run(tasks count: Int, _ body: (Int) -> Void) {
        precondition(count <= 0xFFFF, "a parallel region holds at most 65,535 tasks")
        withoutActuallyEscaping(body) { body in
            var job = body
            withUnsafePointer(to: &job) { pointer in
                task = UnsafeRawPointer(pointer)
                completed.store(0, ordering: .relaxed)
                let region = (state.load(ordering: .relaxed) >> 32) &+ 1
                state.store(region << 32 | UInt64(count) << 16, ordering: .sequentiallyConsistent)
                if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                    wakeUp.lock()
                    wakeUp.broadcast()
                    wakeUp.unlock()
                }
                claimTasks(region: region)
                var rounds = 0
                while completed.load(ordering: .acquiring) < count {
                    rounds &+= 1
                    if rounds > 64 { sched_yield() }
                }
                task = nil
            }
        }
    }

    /// Claims and runs tasks of `region` until none are left.
    private func claimTasks(region: UInt64) {
        while true {
            let current = state.load(ordering: .acquiring)
            guard current >> 32 == region else { return }
            let index = Int(current & 0xFFFF), count = Int((current >> 16) & 0xFFFF)
            guard index < count else { return }
            if state.compareExchange(expected: current, desired: current &+ 1, ordering: .acquiringAndReleasing).exchanged {
                runTask(index)
                completed.add(1, ordering: .releasing)
            }
        }
    }

    /// Calls the region's body; the closure is borrowed only for the call, so nothing holds it once
    /// the task counts as completed.
    @inline(never) private func runTask(_ index: Int) {
        guard let task else { return }
        task.assumingMemoryBound(to: ((Int) -> Void).self).pointee(index)
    }

    private func work() {
        var seen: UInt64 = 0
        while !stopping.load(ordering: .relaxed) {
            guard let region = nextRegion(after: seen) else { return }
            seen = region
            claimTasks(region: region)
        }
    }

    /// Waits for a region newer than `seen`: spins, then yields, then sleeps. Nil when stopping.
    private func nextRegion(after seen: UInt64) -> UInt64? {
        var rounds = 0
        while true {
            let region = state.load(ordering: .acquiring) >> 32
            if region != seen { return region }
            if stopping.load(ordering: .relaxed) { return nil }
            rounds &+= 1
            if rounds < 2_000 { continue }
            if rounds < 2_500 {
                sched_yield()
                continue
            }
            wakeUp.lock()
            sleepers.add(1, ordering: .sequentiallyConsistent)
            while state.load(ordering: .sequentiallyConsistent) >> 32 == seen && !stopping.load(ordering: .sequentiallyConsistent) {
                wakeUp.wait()
            }
            sleepers.subtract(1, ordering: .sequentiallyConsistent)
            wakeUp.unlock()
            rounds = 0
        }
    }
}
