/// What `check` and `summary --cost` say about memory, from the spec alone: the estimate for the
/// spec's batch_size (32 without fit), with the data arrays not counted (their rows are unknown
/// until the files are read) and batch buffers as large as a full batch.
public enum MemoryReport {
    /// Above this `check` warns: a run this large rarely is what was meant, and `train` refuses it
    /// on many machines. (Weights count about nine times over, so any model with more than
    /// ~450 MiB of weights is above it.)
    public static let trainingThreshold = 4.0 * 0x1p30

    /// The batch the spec trains with.
    static func batchSize(_ model: TypedModel) -> Int { model.fit?.batchSize ?? 32 }

    /// Training when the spec compiles the model, else inference on one batch.
    public static func estimate(_ model: TypedModel) -> MemoryEstimate {
        MemoryEstimator.estimate(model, purpose: model.compile == nil ? .prediction(rows: 0) : .training, capacity: batchSize(model))
    }

    /// A warning when the run is beyond the threshold, at the layer that needs the most (or at
    /// batch_size when the batch is what is large).
    public static func diagnostics(_ model: TypedModel) -> [Diagnostic] {
        let estimate = estimate(model)
        guard estimate.total > trainingThreshold, let (index, layerBytes) = estimate.largestLayer else {
            return []
        }
        let layer = model.layers[index]
        let batchWise = estimate.bytes(of: "activations") + estimate.bytes(of: "batch buffers")
        var range = layer.range
        var cause = "\(layer.name) (\(layer.className)) alone needs \(MemoryEstimate.text(layerBytes))"
        if batchWise > estimate.total / 2, batchWise > layerBytes {
            cause = "\(MemoryEstimate.text(batchWise)) of it grows with the batch"
            if let written = model.fit?.arguments.ranges["batch_size"] { range = written }
        }
        let what = model.compile == nil ? "running this model" : "training this model"
        let unknown = estimate.activationsKnown ? "" : ", activations not counted (a sequence length is unknown)"
        return [.warning(.memoryEstimate, "\(what) needs about \(MemoryEstimate.text(estimate.total)) of memory at batch_size \(batchSize(model)) (\(summary(estimate)); data not counted\(unknown)); \(cause). `modelc train` refuses a run larger than the memory available (or --max-memory)",
                         at: range)]
    }

    /// The parts, largest first: `gradients 112 GiB, Adam slots 59.6 GiB, …`.
    static func summary(_ estimate: MemoryEstimate, count: Int = 4) -> String {
        let shown = estimate.parts.prefix(count).map { "\($0.name) \(MemoryEstimate.text($0.bytes))" }
        return shown.joined(separator: ", ") + (estimate.parts.count > count ? ", …" : "")
    }

    /// The lines `check --cost` and `summary --cost` print.
    public static func render(_ model: TypedModel) -> String {
        let estimate = estimate(model)
        let what = model.compile == nil ? "Memory to run" : "Memory to train"
        var lines = ["\(what) at batch_size \(batchSize(model)), estimated (data arrays not counted"
                     + (estimate.activationsKnown ? "" : "; activations unknown until data gives every size") + "): about \(MemoryEstimate.text(estimate.total))"]
        lines.append("  " + estimate.parts.map { "\($0.name) \(MemoryEstimate.text($0.bytes))" }.joined(separator: ", "))
        if let (index, bytes) = estimate.largestLayer {
            lines.append("  most for one layer: \(model.layers[index].name) (\(model.layers[index].className)), \(MemoryEstimate.text(bytes))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
