import Foundation
import ModelC

/// Keras's BatchNormalization: y = x·a + b per feature, a = gamma / √(var + ε), b = beta - mean·a
/// (tf.nn.batch_normalization's form). Training normalizes with the batch's mean and biased variance
/// over every axis but the feature axes, and moves the statistics as tf_keras does:
/// moving -= (moving - batch)·(1 - momentum). The variance fed to that average is the biased one,
/// except where Keras takes its fused path (a 4-D or 5-D batch with one feature axis, the second or
/// the last), whose kernel feeds the unbiased one, var·n/(n - 1) (measured with tf_keras 2.21).
/// Inference, and training of a frozen layer (Keras runs a non-trainable BatchNormalization in
/// inference mode), use the moving statistics.
/// x, y, x̂: [B, groups, features] through `axes.positions`; gamma, beta, moving_*: [features].
///
/// Batch sums run in two phases: each chunk adds its rows into its own slot of `partials`, then
/// the slots are combined in chunk order, so results do not depend on the thread count.
final class BatchNormalizationLayer: LayerBase, SingleInputLayer {
    let gamma: Parameter?
    let beta: Parameter?
    let movingMean: Parameter
    let movingVariance: Parameter
    let axes: NormalizationAxes
    let epsilon: Float
    /// 1 - momentum, as Keras computes it (in double, then float32).
    let decay: Float
    /// Keras's fused path: the moving variance averages in the unbiased batch variance.
    let unbiasedMovingVariance: Bool
    /// Runs on the moving statistics in training too; set for `trainable: false` here or on a wrapper.
    var frozen: Bool
    /// Per feature: the statistics the last forward used and the affine form they give.
    let mean: Buffer, variance: Buffer, inverseDeviation: Buffer, scale: Buffer, shift: Buffer
    /// Per feature, in backward: mean(dy) and mean(dy·x̂) over the batch.
    let meanGradient: Buffer, meanGradientNormalized: Buffer
    /// x̂ = (x - mean) / √(var + ε) of the last forward: [B, inputSize]
    var normalized = Buffer(count: 0)
    /// Two per-chunk rows of `featureCount` sums each, in double.
    let partials: UnsafeMutablePointer<Double>
    /// True when the last forward normalized with batch statistics (backward goes through them).
    var lastForwardUsedBatch = false

    init(_ blueprint: LayerBlueprint) {
        let arguments = blueprint.arguments
        gamma = blueprint.optionalParameter("gamma")
        beta = blueprint.optionalParameter("beta")
        movingMean = blueprint.parameter("moving_mean")
        movingVariance = blueprint.parameter("moving_variance")
        axes = NormalizationAxes(sampleShape: blueprint.inputShape, axes: arguments.ints("axis"))
        epsilon = Float(arguments.float("epsilon"))
        decay = Float(1.0 - arguments.float("momentum"))
        let rank = blueprint.inputShape.count + 1
        let written = arguments.ints("axis").compactMap { $0 }.map { $0 < 0 ? $0 + rank : $0 }
        unbiasedMovingVariance = (rank == 4 || rank == 5) && written.count == 1 && (written[0] == 1 || written[0] == rank - 1)
        var frozen = false
        if case .bool(false) = arguments["trainable"] { frozen = true }
        if gamma?.trainable == false || beta?.trainable == false { frozen = true }
        self.frozen = frozen
        let features = axes.featureCount
        mean = Buffer(count: features)
        variance = Buffer(count: features)
        inverseDeviation = Buffer(count: features)
        scale = Buffer(count: features)
        shift = Buffer(count: features)
        meanGradient = Buffer(count: features)
        meanGradientNormalized = Buffer(count: features)
        partials = .allocate(capacity: 2 * BatchChunks.maximumCount * features)
        partials.initialize(repeating: 0, count: 2 * BatchChunks.maximumCount * features)
        super.init(name: blueprint.name, inputShape: blueprint.inputShape, outputShape: blueprint.outputShape)
    }

    deinit { partials.deallocate() }

    var parameters: [Parameter] { [gamma, beta].compactMap { $0 } + [movingMean, movingVariance] }

    override func reserveWorkspaces(capacity: Int) {
        normalized = Buffer(count: capacity * inputSize)
    }

    /// Slot `row` (0 or 1) of chunk `chunk`: featureCount doubles.
    @inline(__always) func partial(_ row: Int, chunk: Int) -> UnsafeMutablePointer<Double> {
        partials + (row * BatchChunks.maximumCount + chunk) * axes.featureCount
    }

    /// Σ over chunks in order of slot `row`, per feature, divided by `count`.
    func combine(_ row: Int, chunks: Int, dividedBy count: Double, into target: Buffer) {
        for f in 0..<axes.featureCount {
            var total = 0.0
            for chunk in 0..<chunks { total += partial(row, chunk: chunk)[f] }
            target[f] = Float(total / count)
        }
    }

    /// Calls `body(x, y, f)` with each value's offset in a sample and its feature, for every value of the chunk.
    @inline(__always) func forEachValue(_ samples: Range<Int>, _ body: (Int, Int) -> Void) {
        let features = axes.featureCount
        axes.positions.withUnsafeBufferPointer { positions in
            for sample in samples {
                let base = sample * inputSize
                for g in 0..<axes.groupCount {
                    for f in 0..<features { body(base + positions[g * features + f], f) }
                }
            }
        }
    }

    func forward(_ input: Buffer, _ pass: Pass) {
        self.input = input
        let features = axes.featureCount
        lastForwardUsedBatch = pass.training && !frozen
        if lastForwardUsedBatch {
            let count = Double(pass.batch * axes.groupCount)
            // mean = Σ x / N
            pass.forEachChunk { samples, chunk in
                let sums = partial(0, chunk: chunk)
                sums.update(repeating: 0, count: features)
                forEachValue(samples) { i, f in sums[f] += Double(input[i]) }
            }
            combine(0, chunks: pass.chunks.count, dividedBy: count, into: mean)
            // var = Σ (x - mean)² / N
            pass.forEachChunk { samples, chunk in
                let sums = partial(0, chunk: chunk)
                sums.update(repeating: 0, count: features)
                forEachValue(samples) { i, f in
                    let d = Double(input[i]) - Double(mean[f])
                    sums[f] += d * d
                }
            }
            combine(0, chunks: pass.chunks.count, dividedBy: count, into: variance)
            let correction: Float = unbiasedMovingVariance && count > 1 ? Float(count / (count - 1)) : 1
            for f in 0..<features {
                movingMean.value[f] -= (movingMean.value[f] - mean[f]) * decay
                movingVariance.value[f] -= (movingVariance.value[f] - variance[f] * correction) * decay
            }
        } else {
            mean.copy(from: movingMean.value)
            variance.copy(from: movingVariance.value)
        }
        for f in 0..<features {
            let inverse = 1 / (variance[f] + epsilon).squareRoot()
            inverseDeviation[f] = inverse
            scale[f] = inverse * (gamma?.value[f] ?? 1)
            shift[f] = (beta?.value[f] ?? 0) - mean[f] * scale[f]
        }
        pass.forEachChunk { samples, _ in
            forEachValue(samples) { i, f in
                output[i] = input[i] * scale[f] + shift[f]
                normalized[i] = (input[i] - mean[f]) * inverseDeviation[f]
            }
        }
    }

    func backward(_ outputGradient: Buffer, _ pass: Pass, inputGradient: Buffer?) {
        let features = axes.featureCount
        let dy = outputGradient
        guard lastForwardUsedBatch else {
            // The statistics are constants: y = x·a + b.
            pass.forEachChunk { samples, chunk in
                let dgamma = gamma.flatMap { $0.trainable ? $0.gradient(chunk: chunk) : nil }
                let dbeta = beta.flatMap { $0.trainable ? $0.gradient(chunk: chunk) : nil }
                forEachValue(samples) { i, f in
                    dgamma?[f] += dy[i] * normalized[i]
                    dbeta?[f] += dy[i]
                    if let inputGradient { inputGradient[i] += dy[i] * scale[f] }
                }
            }
            return
        }
        // Σ dy and Σ dy·x̂ per feature: beta's and gamma's gradients, and what dx needs.
        pass.forEachChunk { samples, chunk in
            let sumDy = partial(0, chunk: chunk), sumDyX = partial(1, chunk: chunk)
            sumDy.update(repeating: 0, count: features)
            sumDyX.update(repeating: 0, count: features)
            forEachValue(samples) { i, f in
                sumDy[f] += Double(dy[i])
                sumDyX[f] += Double(dy[i]) * Double(normalized[i])
            }
            if let gamma, gamma.trainable {
                let dgamma = gamma.gradient(chunk: chunk)
                for f in 0..<features { dgamma[f] += Float(sumDyX[f]) }
            }
            if let beta, beta.trainable {
                let dbeta = beta.gradient(chunk: chunk)
                for f in 0..<features { dbeta[f] += Float(sumDy[f]) }
            }
        }
        guard let inputGradient else { return }
        let count = Double(pass.batch * axes.groupCount)
        let meanDy = meanGradient, meanDyX = meanGradientNormalized
        combine(0, chunks: pass.chunks.count, dividedBy: count, into: meanDy)
        combine(1, chunks: pass.chunks.count, dividedBy: count, into: meanDyX)
        // dx = a · (dy - mean(dy) - x̂ · mean(dy·x̂)), the batch statistics' share included.
        pass.forEachChunk { samples, _ in
            forEachValue(samples) { i, f in
                inputGradient[i] += scale[f] * (dy[i] - meanDy[f] - normalized[i] * meanDyX[f])
            }
        }
    }
}
