import Foundation

/// The per-position loss formulas of tf_keras 2.21 and their derivatives.
///
/// Each kernel returns the sum of its per-position losses in Double and, when `gradient` is given,
/// writes dℓ/dx · `scale` for every element x it read (scale = 1 / positions makes that the gradient of
/// the mean). Clipping, smoothing and the clip bounds are done in float32 as TensorFlow does them;
/// logarithms and sums in Double.
enum LossKernels {
    /// Keras's `backend.epsilon()` as the float32 constant the backend clips with.
    static let epsilon: Float = 1e-7
    /// 1 − ε in float32 (1 − 2⁻²³), the upper clip bound.
    static let oneMinusEpsilon: Float = 1 - epsilon

    /// clip(x, ε, 1 − ε) as minimum-then-maximum, and whether the gradient passes (TensorFlow's
    /// minimum/maximum pass it on ties, so the bounds themselves are inside).
    @inline(__always) static func clip(_ x: Float) -> (value: Float, passes: Bool) {
        (max(min(x, oneMinusEpsilon), epsilon), x >= epsilon && x <= oneMinusEpsilon)
    }

    /// Divides the summed loss and returns the mean.
    static func mean(_ total: Double, over positions: Int) -> Double {
        positions > 0 ? total / Double(positions) : 0
    }

    /// Binary labels moved towards 0.5: t·(1 − s) + 0.5·s, in float32.
    struct BinarySmoothing {
        let keep: Float
        let shift: Float
        init(_ smoothing: Float) {
            keep = 1 - smoothing
            shift = 0.5 * smoothing
        }
        @inline(__always) func apply(_ t: Float) -> Float { t * keep + shift }
    }

    /// Categorical labels moved towards uniform: t·(1 − s) + s / classes, in float32.
    @inline(__always) static func smoothCategorical(_ t: Float, _ smoothing: Float, classes: Int) -> Float {
        smoothing == 0 ? t : t * (1 - smoothing) + smoothing / Float(classes)
    }

    /// Keras casts sparse labels to int64 (truncating); out-of-range labels are clamped so they cannot
    /// read outside the row (`LossFunction.labelProblem` rejects them first).
    @inline(__always) static func labelIndex(_ label: Float, width: Int) -> Int {
        guard label.isFinite else { return 0 }
        return min(max(Int(label), 0), width - 1)
    }

    // MARK: binary

    /// sigmoid_cross_entropy_with_logits: max(z, 0) − z·t + log(1 + e^−|z|); dℓ/dz = σ(z) − t.
    /// z, t, gradient: [count]
    static func sigmoidCrossentropy(z: UnsafePointer<Float>, t: UnsafePointer<Float>, count: Int, smoothing: BinarySmoothing,
                                    scale: Double, gradient: UnsafeMutablePointer<Float>?) -> Double {
        var total = 0.0
        for i in 0..<count {
            let x = Double(z[i])
            let label = Double(smoothing.apply(t[i]))
            total += max(x, 0) - x * label + log1p(exp(-abs(x)))
            if let gradient { gradient[i] = Float((1 / (1 + exp(-x)) - label) * scale) }
        }
        return total
    }

    /// Keras's probability path: c = clip(p); ℓ = −(t·log(c + ε) + (1 − t)·log(1 − c + ε)).
    /// p, t, gradient: [count]
    static func binaryCrossentropy(p: UnsafePointer<Float>, t: UnsafePointer<Float>, count: Int, smoothing: BinarySmoothing,
                                   scale: Double, gradient: UnsafeMutablePointer<Float>?) -> Double {
        var total = 0.0
        for i in 0..<count {
            let (c, passes) = clip(p[i])
            let label = smoothing.apply(t[i])
            let positive = Double(c + epsilon)
            let negative = Double((1 - c) + epsilon)
            let t1 = Double(label)
            let t0 = Double(1 - label)
            total -= t1 * log(positive) + t0 * log(negative)
            if let gradient { gradient[i] = passes ? Float((t0 / negative - t1 / positive) * scale) : 0 }
        }
        return total
    }

    // MARK: categorical

    /// softmax_cross_entropy_with_logits over rows: ℓ = Σ t_j·(logΣe^z − z_j). Its gradient is TensorFlow's
    /// softmax − t (the exact derivative when each label row sums to 1, as one-hot and smoothed labels do).
    /// z, t, gradient: [rows, width]
    static func softmaxCrossentropy(z: UnsafePointer<Float>, t: UnsafePointer<Float>, rows: Int, width: Int, smoothing: Float,
                                    scale: Double, gradient: UnsafeMutablePointer<Float>?) -> Double {
        var total = 0.0
        for row in 0..<rows {
            let zr = z + row * width
            let tr = t + row * width
            let (shift, sumExp) = shiftedExponentSum(zr, width)
            let logSum = shift + log(sumExp)
            for j in 0..<width {
                let label = Double(smoothCategorical(tr[j], smoothing, classes: width))
                total += label * (logSum - Double(zr[j]))
                if let gradient {
                    gradient[row * width + j] = Float((exp(Double(zr[j]) - shift) / sumExp - label) * scale)
                }
            }
        }
        return total
    }

    /// Keras's probability path: q = p / Σp, c = clip(q), ℓ = −Σ t_j·log c_j; the gradient goes back
    /// through the clip and the normalization.
    /// p, t, gradient: [rows, width]
    static func categoricalCrossentropy(p: UnsafePointer<Float>, t: UnsafePointer<Float>, rows: Int, width: Int, smoothing: Float,
                                        scale: Double, gradient: UnsafeMutablePointer<Float>?) -> Double {
        var total = 0.0
        for row in 0..<rows {
            let pr = p + row * width
            let tr = t + row * width
            var rowSum = 0.0
            for j in 0..<width { rowSum += Double(pr[j]) }
            let sum = Float(rowSum)
            // h_j = dℓ/dq_j; then dℓ/dp_j = h_j / S − (Σ_i h_i·p_i) / S².
            var weighted = 0.0
            for j in 0..<width {
                let (c, passes) = clip(pr[j] / sum)
                let label = Double(smoothCategorical(tr[j], smoothing, classes: width))
                total -= label * log(Double(c))
                if gradient != nil {
                    let h = passes ? -label / Double(c) : 0
                    weighted += h * Double(pr[j])
                    gradient![row * width + j] = Float(h)
                }
            }
            if let gradient {
                let s = Double(sum)
                for j in 0..<width {
                    let index = row * width + j
                    gradient[index] = Float((Double(gradient[index]) / s - weighted / (s * s)) * scale)
                }
            }
        }
        return total
    }

    /// sparse_softmax_cross_entropy_with_logits: ℓ = logΣe^z − z_label; dℓ/dz = softmax − onehot.
    /// z, gradient: [rows, width]; labels: [rows]
    static func sparseSoftmaxCrossentropy(z: UnsafePointer<Float>, labels: UnsafePointer<Float>, rows: Int, width: Int,
                                          scale: Double, gradient: UnsafeMutablePointer<Float>?) -> Double {
        var total = 0.0
        for row in 0..<rows {
            let zr = z + row * width
            let label = labelIndex(labels[row], width: width)
            let (shift, sumExp) = shiftedExponentSum(zr, width)
            total += shift + log(sumExp) - Double(zr[label])
            if let gradient {
                for j in 0..<width {
                    let softmax = exp(Double(zr[j]) - shift) / sumExp
                    gradient[row * width + j] = Float((softmax - (j == label ? 1 : 0)) * scale)
                }
            }
        }
        return total
    }

    /// Keras's probability path: the sparse softmax crossentropy of log(clip(p)), i.e.
    /// ℓ = log Σ_j c_j − log c_label, so dℓ/dp_j = (1 / Σc − [j = label] / c_j) where the clip passes.
    /// p, gradient: [rows, width]; labels: [rows]
    static func sparseCategoricalCrossentropy(p: UnsafePointer<Float>, labels: UnsafePointer<Float>, rows: Int, width: Int,
                                              scale: Double, gradient: UnsafeMutablePointer<Float>?) -> Double {
        var total = 0.0
        for row in 0..<rows {
            let pr = p + row * width
            let label = labelIndex(labels[row], width: width)
            var sum = 0.0
            for j in 0..<width { sum += Double(clip(pr[j]).value) }
            let picked = Double(clip(pr[label]).value)
            total += log(sum) - log(picked)
            if let gradient {
                for j in 0..<width {
                    let (c, passes) = clip(pr[j])
                    let d = 1 / sum - (j == label ? 1 / Double(c) : 0)
                    gradient[row * width + j] = passes ? Float(d * scale) : 0
                }
            }
        }
        return total
    }

    /// max z and Σ e^(z − max z) of one row, in Double.
    @inline(__always) static func shiftedExponentSum(_ z: UnsafePointer<Float>, _ width: Int) -> (Double, Double) {
        var shift = -Double.infinity
        for j in 0..<width { shift = max(shift, Double(z[j])) }
        var sum = 0.0
        for j in 0..<width { sum += exp(Double(z[j]) - shift) }
        return (shift, sum)
    }

    // MARK: regression

    /// ℓ = (p − t)²; dℓ/dp = 2(p − t). p, t, gradient: [count]
    static func squaredError(p: UnsafePointer<Float>, t: UnsafePointer<Float>, count: Int,
                             scale: Double, gradient: UnsafeMutablePointer<Float>?) -> Double {
        var total = 0.0
        for i in 0..<count {
            let e = Double(p[i]) - Double(t[i])
            total += e * e
            if let gradient { gradient[i] = Float(2 * e * scale) }
        }
        return total
    }

    /// ℓ = |p − t|; dℓ/dp = sign(p − t), 0 at 0 as TensorFlow's Abs gradient. p, t, gradient: [count]
    static func absoluteError(p: UnsafePointer<Float>, t: UnsafePointer<Float>, count: Int,
                              scale: Double, gradient: UnsafeMutablePointer<Float>?) -> Double {
        var total = 0.0
        for i in 0..<count {
            let e = Double(p[i]) - Double(t[i])
            total += abs(e)
            if let gradient { gradient[i] = Float((e > 0 ? 1 : e < 0 ? -1 : 0) * scale) }
        }
        return total
    }

    /// Keras's huber: e = p − t; ½e² where |e| ≤ δ (in float32, as Keras compares), else δ|e| − ½δ².
    /// p, t, gradient: [count]
    static func huber(p: UnsafePointer<Float>, t: UnsafePointer<Float>, count: Int, delta: Float,
                      scale: Double, gradient: UnsafeMutablePointer<Float>?) -> Double {
        var total = 0.0
        let d = Double(delta)
        for i in 0..<count {
            let e = Double(p[i]) - Double(t[i])
            let quadratic = abs(p[i] - t[i]) <= delta
            total += quadratic ? 0.5 * e * e : d * abs(e) - 0.5 * d * d
            if let gradient {
                let slope = quadratic ? e : (e > 0 ? d : -d)
                gradient[i] = Float(slope * scale)
            }
        }
        return total
    }
}
