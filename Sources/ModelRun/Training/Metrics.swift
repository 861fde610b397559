import ModelC

/// The compiled metrics of a model, accumulated over an epoch as tf_keras 2.21 accumulates them:
/// mean-style metrics keep Keras's running total / count over every value they produce (one per sample
/// and non-last-axis position, so the epoch value is weighted by samples); AUC keeps its confusion counts.
public final class MetricSet {
    private let metrics: [(name: String, accumulator: MetricAccumulator, weighted: Bool)]
    /// Size of the output's last axis.
    let classes: Int
    /// Output values per sample.
    let outputSize: Int
    /// Target values per output row: 1 when the loss takes sparse labels (one class id per row), else `classes`.
    let targetWidth: Int

    public init(_ metrics: [CompileConfig.Metric], loss: CompileConfig.Component?, outputShape: [Int]) {
        classes = max(outputShape.last ?? 1, 1)
        outputSize = max(outputShape.reduce(1, *), 1)
        let sparseLabels = loss?.descriptor.className == "SparseCategoricalCrossentropy"
        targetWidth = sparseLabels ? 1 : classes
        let classes = classes
        self.metrics = metrics.map { metric in
            (metric.loggedName, MetricSet.accumulator(metric, classes: classes, sparseLabels: sparseLabels), metric.weighted)
        }
    }

    /// What `accuracy` / `acc` means, as tf_keras's compile_utils decides from the label and output
    /// shapes: one output unit is binary; labels with fewer axes than the output (sparse
    /// categorical crossentropy's) are sparse; otherwise categorical.
    static func accuracyKind(classes: Int, sparseLabels: Bool) -> MeanMetric.Kind {
        if classes == 1 { return .binaryAccuracy(threshold: 0.5) }
        return sparseLabels ? .sparseCategoricalAccuracy : .categoricalAccuracy
    }

    static func accuracy(_ metric: CompileConfig.Metric, classes: Int, sparseLabels: Bool) -> MeanMetric.Kind? {
        switch metric.descriptor.className {
        case "Accuracy": accuracyKind(classes: classes, sparseLabels: sparseLabels)
        case "BinaryAccuracy": .binaryAccuracy(threshold: Float(metric.arguments.optionalFloat("threshold") ?? 0.5))
        case "CategoricalAccuracy": .categoricalAccuracy
        case "SparseCategoricalAccuracy": .sparseCategoricalAccuracy
        case "MeanSquaredError": .meanSquaredError
        case "MeanAbsoluteError": .meanAbsoluteError
        case "TopKCategoricalAccuracy": .topKCategoricalAccuracy(k: metric.arguments.int("k"))
        case "SparseTopKCategoricalAccuracy": .sparseTopKCategoricalAccuracy(k: metric.arguments.int("k"))
        default: nil
        }
    }

    private static func accumulator(_ metric: CompileConfig.Metric, classes: Int, sparseLabels: Bool) -> MetricAccumulator {
        if let kind = accuracy(metric, classes: classes, sparseLabels: sparseLabels) { return MeanMetric(kind) }
        let arguments = metric.arguments
        switch metric.descriptor.className {
        case "AUC":
            let curve: AUCMetric.Curve = arguments.optionalString("curve") == "PR" ? .precisionRecall : .roc
            return AUCMetric(thresholds: arguments.optionalInt("num_thresholds") ?? 200, curve: curve)
        case "Precision", "Recall":
            return ConfusionMetric(metric.descriptor.className == "Precision" ? .precision : .recall, threshold: arguments.optionalFloat("thresholds"),
                                   topK: arguments.optionalInt("top_k"), classID: arguments.optionalInt("class_id"))
        case "F1Score":
            return F1ScoreMetric(average: arguments.optionalString("average"), threshold: arguments.optionalFloat("threshold"))
        default:
            preconditionFailure("no metric \(metric.descriptor.className)")
        }
    }

    public func reset() {
        for metric in metrics { metric.accumulator.reset() }
    }

    /// Accumulates one batch; predictions [B, out...], targets [B, targetShape...]; `weights` [B]
    /// (sample weights) reach the weighted_metrics only, as in Keras.
    public func update(predictions: Buffer, targets: Buffer, batch: Int, weights: UnsafePointer<Float>? = nil) {
        let rows = batch * outputSize / classes
        let plain = MetricLayout(rows: rows, classes: classes, targetWidth: targetWidth)
        var weighted = plain
        weighted.weights = weights
        weighted.rowsPerSample = max(rows / max(batch, 1), 1)
        for metric in metrics {
            metric.accumulator.update(predictions: UnsafePointer(predictions.base), targets: UnsafePointer(targets.base),
                                      metric.weighted ? weighted : plain)
        }
    }

    /// Logged name and epoch value so far, in compile order (e.g. ("accuracy", 0.77)).
    public var results: [(name: String, value: Double)] {
        metrics.map { ($0.name, $0.accumulator.result) }
    }
}

/// How a batch is laid out for the metrics: rows of `classes` predictions, each with `targetWidth`
/// targets (1 for sparse labels, which elementwise metrics broadcast over the row as Keras's
/// broadcasting of [B, 1] labels against [B, classes] outputs does).
struct MetricLayout {
    let rows: Int
    let classes: Int
    let targetWidth: Int
    /// Each row's weight (sample_weight or class_weight), nil when every row counts once.
    var weights: UnsafePointer<Float>? = nil
    /// Rows of one sample (its positions, for a sequence output): they share its weight.
    var rowsPerSample = 1

    @inline(__always) func weight(_ row: Int) -> Float { weights.map { $0[row / rowsPerSample] } ?? 1 }

    /// The target paired with prediction `j` of `row`.
    @inline(__always) func target(_ targets: UnsafePointer<Float>, row: Int, _ j: Int) -> Float {
        targetWidth == classes ? targets[row * classes + j] : targets[row * targetWidth]
    }
}

protocol MetricAccumulator: AnyObject {
    func reset()
    func update(predictions: UnsafePointer<Float>, targets: UnsafePointer<Float>, _ layout: MetricLayout)
    var result: Double { get }
}

/// Keras's MeanMetricWrapper around a per-row function: total += Σ row values, count += rows, both
/// float32 variables as in Keras (each batch's sum is rounded to float32 before it is added); the
/// result is total / count (0 before any update, as `divide_no_nan`).
final class MeanMetric: MetricAccumulator {
    enum Kind: Equatable {
        /// mean over the row of [t == (p > threshold)].
        case binaryAccuracy(threshold: Float)
        /// [argmax t == argmax p], the first maximum winning ties as tf.argmax.
        case categoricalAccuracy
        /// [t == argmax p], comparing the float label with the index.
        case sparseCategoricalAccuracy
        /// mean over the row of (p − t)².
        case meanSquaredError
        /// mean over the row of |p − t|.
        case meanAbsoluteError
        /// [argmax t in the top k of p], as tf.math.in_top_k: in when fewer than k outputs beat the
        /// label's; never when an output is not finite.
        case topKCategoricalAccuracy(k: Int)
        /// [t in the top k of p] for an integer label t.
        case sparseTopKCategoricalAccuracy(k: Int)
    }

    let kind: Kind
    private var total: Float = 0
    private var count: Float = 0

    init(_ kind: Kind) { self.kind = kind }

    func reset() {
        total = 0
        count = 0
    }

    func update(predictions: UnsafePointer<Float>, targets: UnsafePointer<Float>, _ layout: MetricLayout) {
        let width = layout.classes
        var sum = 0.0
        guard layout.weights != nil else {
            for row in 0..<layout.rows {
                // Keras's per-row values are a float32 tensor.
                sum += Double(Float(value(predictions + row * width, row: row, targets, layout)))
            }
            total += Float(sum)
            count += Float(layout.rows)
            return
        }
        // Weighted: Σ value·w over Σ w (Keras's Mean with sample_weight).
        var weightSum = 0.0
        for row in 0..<layout.rows {
            let w = layout.weight(row)
            sum += Double(Float(value(predictions + row * width, row: row, targets, layout)) * w)
            weightSum += Double(w)
        }
        total += Float(sum)
        count += Float(weightSum)
    }

    /// The function's value for one row of predictions.
    @inline(__always) private func value(_ p: UnsafePointer<Float>, row: Int, _ targets: UnsafePointer<Float>, _ layout: MetricLayout) -> Double {
        let width = layout.classes
        switch kind {
        case .binaryAccuracy(let threshold):
            var matches = 0
            for j in 0..<width where layout.target(targets, row: row, j) == (p[j] > threshold ? 1 : 0) { matches += 1 }
            return Double(matches) / Double(width)
        case .categoricalAccuracy:
            let labelClass = layout.targetWidth == width ? argmax(targets + row * width, width) : 0
            return argmax(p, width) == labelClass ? 1 : 0
        case .sparseCategoricalAccuracy:
            return targets[row * layout.targetWidth] == Float(argmax(p, width)) ? 1 : 0
        case .meanSquaredError:
            var sum = 0.0
            for j in 0..<width {
                let e = Double(p[j]) - Double(layout.target(targets, row: row, j))
                sum += e * e
            }
            return sum / Double(width)
        case .meanAbsoluteError:
            var sum = 0.0
            for j in 0..<width { sum += abs(Double(p[j]) - Double(layout.target(targets, row: row, j))) }
            return sum / Double(width)
        case .topKCategoricalAccuracy(let k):
            let labelClass = layout.targetWidth == width ? argmax(targets + row * width, width) : 0
            return inTopK(p, width, target: labelClass, k: k) ? 1 : 0
        case .sparseTopKCategoricalAccuracy(let k):
            // The label is cast to int32 (truncated); an id outside the classes is never in.
            let label = targets[row * layout.targetWidth].rounded(.towardZero)
            guard label >= 0, label < Float(width) else { return 0 }
            return inTopK(p, width, target: Int(label), k: k) ? 1 : 0
        }
    }

    /// tf.math.in_top_k for one row: the target is in when fewer than k outputs are larger than its
    /// (ties at the boundary are all in); a non-finite output makes it out.
    @inline(__always) private func inTopK(_ values: UnsafePointer<Float>, _ count: Int, target: Int, k: Int) -> Bool {
        let reference = values[target]
        guard reference.isFinite else { return false }
        var larger = 0
        for j in 0..<count {
            guard values[j].isFinite else { return false }
            if values[j] > reference { larger += 1 }
        }
        return larger < k
    }

    var result: Double { count > 0 ? Double(total / count) : 0 }

    /// Index of the first largest value.
    @inline(__always) private func argmax(_ values: UnsafePointer<Float>, _ count: Int) -> Int {
        var best = 0
        for j in 1..<max(count, 1) where values[j] > values[best] { best = j }
        return best
    }
}
