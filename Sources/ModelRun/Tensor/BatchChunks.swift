import Dispatch

/// A batch split into a fixed number of contiguous row ranges. The split depends only on the batch
/// size, never on the thread count, so every sum over chunks happens in the same order however many
/// threads run them: results are bit-identical with one thread or many.
public struct BatchChunks: Sendable {
    /// Chunks per batch (fewer for batches smaller than this).
    public static let maximumCount = 4

    public let ranges: [Range<Int>]

    public init(batch: Int) {
        let count = max(1, min(Self.maximumCount, batch))
        var ranges: [Range<Int>] = []
        var start = 0
        for index in 0..<count {
            let size = batch / count + (index < batch % count ? 1 : 0)
            ranges.append(start..<(start + size))
            start += size
        }
        self.ranges = ranges
    }

    public var count: Int { ranges.count }
}

/// Runs the chunks of a batch, on one thread or several (a persistent `WorkerPool` of
/// `threads - 1` workers plus the calling thread).
public final class ChunkExecutor: @unchecked Sendable {
    public let threads: Int
    private let pool: WorkerPool?

    public init(threads: Int) {
        self.threads = max(1, threads)
        pool = self.threads > 1 ? WorkerPool(workers: self.threads - 1) : nil
    }

    deinit { pool?.stop() }

    /// Calls `body(range, chunkIndex)` once per chunk. Chunks touch disjoint rows and their own
    /// gradient buffers, so they may run concurrently.
    public func forEachChunk(_ chunks: BatchChunks, _ body: (Range<Int>, Int) -> Void) {
        guard let pool, chunks.count > 1 else {
            for (index, range) in chunks.ranges.enumerated() { body(range, index) }
            return
        }
        pool.run(tasks: chunks.count) { index in body(chunks.ranges[index], index) }
    }
}

/// Lets a non-escaping closure cross into `concurrentPerform`; the caller guarantees the work is
/// data-race free (chunks write disjoint memory).
struct UnsafeSendableBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
