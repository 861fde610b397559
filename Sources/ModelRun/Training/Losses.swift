import ModelC

/// A Keras 2 loss (tf_keras 2.21 `losses.py` / `backend.py`), reduced as `model.fit` reduces it:
/// per-position losses (the last axis is the class or feature axis) averaged over the batch and every
/// other position (SUM_OVER_BATCH_SIZE), with the gradient of that mean.
///
/// Crossentropies take Keras's logits path whenever the final layer's activation is sigmoid or softmax:
/// tf_keras's sigmoid/softmax attach the pre-activation (`_keras_logits`) to their output and
/// `backend.*_crossentropy` then uses it for *any* of the three crossentropies, whatever `from_logits`
/// says (so a sigmoid layer under categorical_crossentropy gets a softmax crossentropy of its logits,
/// exactly as Keras computes it). Otherwise probabilities are clipped to [ε, 1 − ε] with ε = 1e-7.
public final class LossFunction {
    enum Kind {
        case binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy
        case meanSquaredError, meanAbsoluteError, huber
    }

    let kind: Kind
    /// Keras's function name, for messages (`binary_crossentropy`).
    let name: String
    /// Crossentropy computed from logits (ours or the layer's), not from clipped probabilities.
    let logitsFormula: Bool
    let labelSmoothing: Float
    let delta: Float
    /// Size of the last axis: classes for crossentropies, features otherwise.
    let classes: Int
    /// Output values per sample.
    let outputSize: Int

    /// True when this loss reads the final layer's pre-activation z instead of its output (Keras's `_keras_logits` path).
    public let usesLogits: Bool
    /// Per-sample target shape: the output shape, or without the class axis for sparse categorical crossentropy.
    public let targetShape: [Int]

    /// outputShape: per-sample model output shape. `finalActivation`: the activation the last layer applies when that
    /// layer is Dense, Conv1D or Activation (else nil) — Keras then computes crossentropies from the logits.
    public init(_ config: CompileConfig.Component, outputShape: [Int], finalActivation: Activation?) {
        let arguments = config.arguments
        switch config.descriptor.className {
        case "BinaryCrossentropy": kind = .binaryCrossentropy
        case "CategoricalCrossentropy": kind = .categoricalCrossentropy
        case "SparseCategoricalCrossentropy": kind = .sparseCategoricalCrossentropy
        case "MeanSquaredError": kind = .meanSquaredError
        case "MeanAbsoluteError": kind = .meanAbsoluteError
        case "Huber": kind = .huber
        default: preconditionFailure("no loss \(config.descriptor.className)")
        }
        name = config.descriptor.names.first ?? config.descriptor.className
        let isCrossentropy = kind == .binaryCrossentropy || kind == .categoricalCrossentropy
            || kind == .sparseCategoricalCrossentropy
        let fromLogits = isCrossentropy && arguments["from_logits"] == .bool(true)
        usesLogits = isCrossentropy && (finalActivation == .sigmoid || finalActivation == .softmax)
        logitsFormula = usesLogits || fromLogits
        labelSmoothing = Float(arguments.optionalFloat("label_smoothing") ?? 0)
        delta = Float(arguments.optionalFloat("delta") ?? 1)
        classes = max(outputShape.last ?? 1, 1)
        outputSize = max(outputShape.reduce(1, *), 1)
        targetShape = kind == .sparseCategoricalCrossentropy ? Array(outputShape.dropLast()) : outputShape
    }

    /// Mean loss over the batch as Keras reduces it (SUM_OVER_BATCH_SIZE over every position), in Double.
    /// predictions: [B, outputShape...]; logits: the final pre-activation, same shape (required when usesLogits);
    /// targets: [B, targetShape...]. When `gradient` is given, writes dL/d(predictions) — or dL/dz when usesLogits — into it,
    /// times `weight` (the output's loss weight in a total of several losses).
    /// Sparse labels outside [0, classes) are clamped into range here; `labelProblem` reports them beforehand.
    /// `sampleWeights` ([B], Keras's sample_weight): each sample's losses (and gradients) times its
    /// weight, still divided by the number of positions, as SUM_OVER_BATCH_SIZE does.
    public func evaluate(predictions: Buffer, logits: Buffer?, targets: Buffer, batch: Int, gradient: Buffer?, weight: Double = 1,
                         sampleWeights: UnsafePointer<Float>? = nil) -> Double {
        let source: Buffer
        if usesLogits {
            guard let logits else { preconditionFailure("\(name) reads the final layer's logits; pass them") }
            source = logits
        } else {
            source = predictions
        }
        let x = UnsafePointer(source.base)
        let t = UnsafePointer(targets.base)
        let g = gradient?.base
        let count = batch * outputSize
        let rows = count / classes
        // The crossentropies average over positions (rows), the others over every element.
        let positions = isPerRow ? rows : count
        let scale = positions > 0 ? weight / Double(positions) : 0
        guard let sampleWeights else {
            return LossKernels.mean(sum(x, t, g, count: count, scale: scale), over: positions)
        }
        // One sample at a time, its gradient scaled by its weight.
        let targetSize = kind == .sparseCategoricalCrossentropy ? outputSize / classes : outputSize
        var total = 0.0
        for b in 0..<batch {
            let w = Double(sampleWeights[b])
            total += w * sum(x + b * outputSize, t + b * targetSize, g.map { $0 + b * outputSize }, count: outputSize, scale: scale * w)
        }
        return LossKernels.mean(total, over: positions)
    }

    /// Σ of the per-position losses of `count` values (rows of `classes`), with dL/dx · `scale` into `g`.
    private func sum(_ x: UnsafePointer<Float>, _ t: UnsafePointer<Float>, _ g: UnsafeMutablePointer<Float>?, count: Int, scale: Double) -> Double {
        let rows = count / classes
        let total: Double
        switch kind {
        case .binaryCrossentropy:
            let smoothing = LossKernels.BinarySmoothing(labelSmoothing)
            total = logitsFormula
                ? LossKernels.sigmoidCrossentropy(z: x, t: t, count: count, smoothing: smoothing, scale: scale, gradient: g)
                : LossKernels.binaryCrossentropy(p: x, t: t, count: count, smoothing: smoothing, scale: scale, gradient: g)
        case .categoricalCrossentropy:
            total = logitsFormula
                ? LossKernels.softmaxCrossentropy(z: x, t: t, rows: rows, width: classes, smoothing: labelSmoothing,
                                                  scale: scale, gradient: g)
                : LossKernels.categoricalCrossentropy(p: x, t: t, rows: rows, width: classes, smoothing: labelSmoothing,
                                                      scale: scale, gradient: g)
        case .sparseCategoricalCrossentropy:
            total = logitsFormula
                ? LossKernels.sparseSoftmaxCrossentropy(z: x, labels: t, rows: rows, width: classes, scale: scale, gradient: g)
                : LossKernels.sparseCategoricalCrossentropy(p: x, labels: t, rows: rows, width: classes, scale: scale, gradient: g)
        case .meanSquaredError:
            total = LossKernels.squaredError(p: x, t: t, count: count, scale: scale, gradient: g)
        case .meanAbsoluteError:
            total = LossKernels.absoluteError(p: x, t: t, count: count, scale: scale, gradient: g)
        case .huber:
            total = LossKernels.huber(p: x, t: t, count: count, delta: delta, scale: scale, gradient: g)
        }
        return total
    }

    /// Categorical crossentropies give one loss per row of classes; the rest one per element
    /// (Keras averages those over the last axis first, which is the same mean).
    var isPerRow: Bool { kind == .categoricalCrossentropy || kind == .sparseCategoricalCrossentropy }

    /// Nil when every target suits the loss, else a message such as "labels must be integers in [0, 3) for
    /// sparse_categorical_crossentropy; found 3.0 at row 17" or "binary_crossentropy needs labels in [0, 1]; found 2.0 at row 4".
    /// targets: [rows, targetShape...]; rows are counted from 0.
    public func labelProblem(_ targets: [Float], rows: Int) -> String? {
        let perRow = rows > 0 ? targets.count / rows : 0
        func row(_ index: Int) -> Int { perRow > 0 ? index / perRow : 0 }
        for (index, label) in targets.enumerated() {
            switch kind {
            case .sparseCategoricalCrossentropy:
                if !(label >= 0 && label < Float(classes)) || label.rounded(.towardZero) != label {
                    return "labels must be integers in [0, \(classes)) for \(name); found \(label) at row \(row(index)) (counting from 0)"
                }
            case .binaryCrossentropy, .categoricalCrossentropy:
                if !(label >= 0 && label <= 1) {
                    return "\(name) needs labels in [0, 1]; found \(label) at row \(row(index)) (counting from 0)"
                }
            case .meanSquaredError, .meanAbsoluteError, .huber:
                if !label.isFinite {
                    return "\(name) needs finite labels; found \(label) at row \(row(index)) (counting from 0)"
                }
            }
        }
        return nil
    }
}
