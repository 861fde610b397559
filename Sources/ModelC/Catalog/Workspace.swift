/// What the runtime allocates for one layer besides its output buffer (which every layer has, and
/// the memory estimate counts itself): caches kept for backward, dropout masks and workspaces, in
/// float32 values. Shape rules derive it beside the weights, so the estimate reads the one
/// catalogue; MemoryEstimateTests compare it with the buffers the runtime layers really reserve.
/// Counts are Doubles: huge sizes must give a huge estimate, not an overflow trap.
public struct Workspace: Sendable {
    /// Values for batches of up to `capacity` samples; `vocabulary` is the input_dim of an
    /// Embedding whose output this layer alone reads (recurrent layers then keep token tables).
    public let values: @Sendable (_ capacity: Double, _ vocabulary: Double?) -> Double

    public init(_ values: @escaping @Sendable (_ capacity: Double, _ vocabulary: Double?) -> Double) {
        self.values = values
    }

    /// Batch chunks the runtime splits every batch into (BatchChunks.maximumCount): per-chunk
    /// workspaces and gradient copies come in this many.
    public static let batchChunks = 4

    /// Nothing beyond the output.
    public static let nothing = Workspace { _, _ in 0 }

    /// `count` values per sample, or unknown (nil) when `count` is.
    public static func perSample(_ count: Double?) -> Workspace? {
        count.map { count in Workspace { capacity, _ in capacity * count } }
    }
}

extension TensorType {
    /// Values in one sample as a Double (no overflow), nil when a size is unknown.
    public var valueCount: Double? {
        var total = 1.0
        for size in shape {
            guard let size else { return nil }
            total *= Double(size)
        }
        return total
    }
}
