import Foundation
import ModelC

/// Builds the merge layers.
enum MergeLayers {
    static func make(_ blueprint: LayerBlueprint) throws(NetworkError) -> RuntimeLayer {
        switch blueprint.descriptor.kind {
        case .add: ElementwiseMergeLayer(blueprint, .add)
        case .subtract: ElementwiseMergeLayer(blueprint, .subtract)
        case .multiply: ElementwiseMergeLayer(blueprint, .multiply)
        case .average: ElementwiseMergeLayer(blueprint, .average)
        case .maximum: ElementwiseMergeLayer(blueprint, .maximum)
        case .minimum: ElementwiseMergeLayer(blueprint, .minimum)
        case .concatenate: ConcatenateLayer(blueprint)
        case .dot: try DotLayer(blueprint)
        default: throw NetworkError("\(blueprint.descriptor.className) is not a merge layer")
        }
    }
}

/// Shared storage of the merge layers: shapes, the output buffer and the inputs of the last pass.
class MergeLayerBase {
    let name: String
    let inputShapes: [[Int]]
    let outputShape: [Int]
    let inputSizes: [Int]
    let outputSize: Int
    private(set) var capacity = 0
    private(set) var output = Buffer(count: 0)
    /// The input buffers of the last forward pass.
    var inputs: [Buffer] = []

    init(base blueprint: LayerBlueprint) {
        name = blueprint.name
        inputShapes = blueprint.inputShapes
        outputShape = blueprint.outputShape
        inputSizes = blueprint.inputShapes.map { $0.reduce(1, *) }
        outputSize = blueprint.outputShape.reduce(1, *)
    }

    var parameters: [Parameter] { [] }

    func reserve(capacity: Int) {
        guard capacity > self.capacity else { return }
        self.capacity = capacity
        output = Buffer(count: capacity * outputSize)
        reserveWorkspaces(capacity: capacity)
    }

    func reserveWorkspaces(capacity: Int) {}
}

/// Add, Subtract, Multiply, Average, Maximum, Minimum as tf_keras computes them: `y = x₀`, then
/// `y = y ∘ xᵢ` for each further input in order (Average divides the sum by n at the end), with
/// shapes broadcast as numpy does (trailing axes aligned, sizes of 1 stretched). The gradients follow
/// TensorFlow's for that chain: Maximum's and Minimum's go to the first input holding the extreme.
/// xᵢ: [B, shapeᵢ...] → y: [B, output...].
final class ElementwiseMergeLayer: MergeLayerBase, RuntimeLayer {
    enum Operation { case add, subtract, multiply, average, maximum, minimum }

    let operation: Operation
    /// For each input, the offset of its value for each output position, or nil when the input
    /// already has the output's shape: [outputSize].
    let maps: [[Int]?]

    init(_ blueprint: LayerBlueprint, _ operation: Operation) {
        self.operation = operation
        let output = blueprint.outputShape
        maps = blueprint.inputShapes.map { shape in
            shape == output ? nil : Self.broadcastMap(from: shape, to: output)
        }
        super.init(base: blueprint)
    }

    /// Offsets into an input of `shape` for every position of `output` (row-major), with the
    /// input's axes aligned to the output's trailing ones and axes of size 1 repeated.
    static func broadcastMap(from shape: [Int], to output: [Int]) -> [Int] {
        let padded = Array(repeating: 1, count: output.count - shape.count) + shape
        var strides = Array(repeating: 0, count: output.count)
        var step = 1
        for axis in stride(from: output.count - 1, through: 0, by: -1) {
            strides[axis] = padded[axis] == 1 ? 0 : step
            step *= padded[axis]
        }
        let total = output.reduce(1, *)
        var map = [Int](repeating: 0, count: total)
        var index = Array(repeating: 0, count: output.count)
        for position in 0..<total {
            var offset = 0
            for axis in 0..<output.count { offset += index[axis] * strides[axis] }
            map[position] = offset
            var axis = output.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < output[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return map
    }

    /// Input `i`'s value at output position `j` of the sample whose input starts at `x`.
    @inline(__always) func value(_ x: UnsafePointer<Float>, _ i: Int, _ j: Int) -> Float {
        if let map = maps[i] { return x[map[j]] }
        return x[j]
    }

    func forward(inputs: [Buffer], _ pass: Pass) {
        self.inputs = inputs
        let count = inputs.count
        pass.forEachChunk { samples, _ in
            for sample in samples {
                let y = output.at(sample * outputSize)
                let x0 = UnsafePointer(inputs[0].at(sample * inputSizes[0]))
                for j in 0..<outputSize { y[j] = value(x0, 0, j) }
                for i in 1..<count {
                    let x = UnsafePointer(inputs[i].at(sample * inputSizes[i]))
                    switch operation {
                    case .add, .average: for j in 0..<outputSize { y[j] += value(x, i, j) }
                    case .subtract: for j in 0..<outputSize { y[j] -= value(x, i, j) }
                    case .multiply: for j in 0..<outputSize { y[j] *= value(x, i, j) }
                    case .maximum: for j in 0..<outputSize { y[j] = Swift.max(y[j], value(x, i, j)) }
                    case .minimum: for j in 0..<outputSize { y[j] = Swift.min(y[j], value(x, i, j)) }
                    }
                }
                if operation == .average {
                    let n = Float(count)
                    for j in 0..<outputSize { y[j] /= n }
                }
            }
        }
    }

    func backward(_ outputGradient: Buffer, _ pass: Pass, inputGradients: [Buffer?]) {
        let count = inputs.count
        pass.forEachChunk { samples, _ in
            for sample in samples {
                let dy = outputGradient.at(sample * outputSize)
                func add(_ i: Int, _ j: Int, _ gradient: Float) {
                    guard let dx = inputGradients[i] else { return }
                    let base = dx.at(sample * inputSizes[i])
                    base[maps[i]?[j] ?? j] += gradient
                }
                for j in 0..<outputSize {
                    let g = dy[j]
                    switch operation {
                    case .add:
                        for i in 0..<count { add(i, j, g) }
                    case .average:
                        let share = g / Float(count)
                        for i in 0..<count { add(i, j, share) }
                    case .subtract:
                        add(0, j, g)
                        add(1, j, -g)
                    case .multiply, .maximum, .minimum:
                        chainGradient(sample, j, g, add)
                    }
                }
            }
        }
    }

    /// Reverse-mode through `((x₀ ∘ x₁) ∘ x₂) ∘ …` at output position `j`: the running gradient r
    /// meets each step's left operand (the partial result) and right operand (xᵢ).
    @inline(__always)
    func chainGradient(_ sample: Int, _ j: Int, _ g: Float, _ add: (Int, Int, Float) -> Void) {
        let count = inputs.count
        func x(_ i: Int) -> Float { value(UnsafePointer(inputs[i].at(sample * inputSizes[i])), i, j) }
        // Partial results p₀ = x₀, pᵢ = pᵢ₋₁ ∘ xᵢ, recomputed (n is small).
        withUnsafeTemporaryAllocation(of: Float.self, capacity: count) { partial in
            partial[0] = x(0)
            for i in 1..<count {
                switch operation {
                case .multiply: partial[i] = partial[i - 1] * x(i)
                case .maximum: partial[i] = Swift.max(partial[i - 1], x(i))
                default: partial[i] = Swift.min(partial[i - 1], x(i))
                }
            }
            var r = g
            for i in stride(from: count - 1, through: 1, by: -1) {
                let right = x(i), left = partial[i - 1]
                switch operation {
                case .multiply:
                    add(i, j, r * left)
                    r *= right
                case .maximum:
                    // tf.maximum's gradient: to the left operand where left >= right.
                    if left >= right { add(i, j, 0) } else { add(i, j, r); r = 0 }
                default:
                    if left <= right { add(i, j, 0) } else { add(i, j, r); r = 0 }
                }
            }
            add(0, j, r)
        }
    }
}

/// Concatenate: joins its inputs along one axis. Per sample each input is [outer, sliceᵢ] with
/// outer the product of the axes before the joined one, and y is [outer, Σ sliceᵢ].
final class ConcatenateLayer: MergeLayerBase, RuntimeLayer {
    /// Values per outer step of each input (its joined axis times the axes after it).
    let slices: [Int]
    let outer: Int

    init(_ blueprint: LayerBlueprint) {
        let rank = blueprint.outputShape.count + 1
        let position = kerasAxis(blueprint.arguments.int("axis"), rank: rank) ?? rank - 1
        let axis = position - 1
        outer = blueprint.outputShape.prefix(axis).reduce(1, *)
        slices = blueprint.inputShapes.map { $0.suffix(from: axis).reduce(1, *) }
        super.init(base: blueprint)
    }

    func forward(inputs: [Buffer], _ pass: Pass) {
        self.inputs = inputs
        pass.forEachChunk { samples, _ in
            for sample in samples {
                var y = output.at(sample * outputSize)
                for step in 0..<outer {
                    for (i, slice) in slices.enumerated() {
                        y.update(from: inputs[i].at(sample * inputSizes[i] + step * slice), count: slice)
                        y += slice
                    }
                }
            }
        }
    }

    func backward(_ outputGradient: Buffer, _ pass: Pass, inputGradients: [Buffer?]) {
        pass.forEachChunk { samples, _ in
            for sample in samples {
                var dy = UnsafePointer(outputGradient.at(sample * outputSize))
                for step in 0..<outer {
                    for (i, slice) in slices.enumerated() {
                        if let dx = inputGradients[i] {
                            Elementwise.add(dy, into: dx.at(sample * inputSizes[i] + step * slice), count: slice)
                        }
                        dy += slice
                    }
                }
            }
        }
    }
}

/// Dot, as tf_keras's `batch_dot`: per sample, input 1 seen as [P₁, n, Q₁] around its axis and input
/// 2 as [P₂, n, Q₂]; y[p, q] = Σₖ x₁[p, k] x₂[k, q] with p running over input 1's other axes and q
/// over input 2's, in order. With `normalize`, each input is first divided by its L2 norm along its
/// axis (the squared norm clamped at 1e-12, as tf.linalg.l2_normalize).
final class DotLayer: MergeLayerBase, RuntimeLayer {
    /// Input i around its axis: before, n, after.
    let outerSizes: [Int]
    let innerSizes: [Int]
    let n: Int
    let normalize: Bool
    /// Per sample: A = input 1 as [M, n] (M = P₁Q₁), B = input 2 as [n, N]; their gradients.
    var a = Buffer(count: 0), b = Buffer(count: 0), da = Buffer(count: 0), db = Buffer(count: 0)
    /// 1 / √max(‖x‖², 1e-12) per (sample, other position) of each input, for normalize.
    var inverseNorms: [Buffer] = [Buffer(count: 0), Buffer(count: 0)]
    /// The inverse norm of a vector whose squared norm was clamped (its gradient then skips the norm).
    static let clampedInverse = 1 / sqrtf(Float(1e-12))
    var m: Int { outerSizes[0] * innerSizes[0] }
    var columns: Int { outerSizes[1] * innerSizes[1] }

    init(_ blueprint: LayerBlueprint) throws(NetworkError) {
        let written = blueprint.arguments.ints("axes").map { $0 ?? 0 }
        let pair = written.count == 2 ? written : [written[0], written[0]]
        var outer: [Int] = [], inner: [Int] = [], sizes: [Int] = []
        for (index, shape) in blueprint.inputShapes.enumerated() {
            guard let position = kerasAxis(pair[index], rank: shape.count + 1) else {
                throw NetworkError("\(blueprint.name) (Dot) axes \(pair[index]) is outside its input's axes")
            }
            let axis = position - 1
            outer.append(shape.prefix(axis).reduce(1, *))
            inner.append(shape.suffix(from: axis + 1).reduce(1, *))
            sizes.append(shape[axis])
        }
        guard sizes[0] == sizes[1] else {
            throw NetworkError("\(blueprint.name) (Dot) multiplies axes of sizes \(sizes[0]) and \(sizes[1]); they must be equal")
        }
        outerSizes = outer
        innerSizes = inner
        n = sizes[0]
        normalize = blueprint.arguments.bool("normalize")
        super.init(base: blueprint)
    }

    override func reserveWorkspaces(capacity: Int) {
        a = Buffer(count: capacity * m * n)
        b = Buffer(count: capacity * n * columns)
        da = Buffer(count: capacity * m * n)
        db = Buffer(count: capacity * n * columns)
        inverseNorms = [Buffer(count: capacity * m), Buffer(count: capacity * columns)]
    }

    /// dx += dL/dx for input `i` of one sample, from the gradient of its matrix form: A [vectors, n]
    /// holds vector p in row p (`inRows`), B [n, vectors] in column p. Through x̂ = x·r:
    /// dx = r·(dx̂ − x̂·Σ dx̂ x̂) while the norm is not clamped.
    @inline(__always)
    func addInputGradient(_ i: Int, from gradient: UnsafeMutablePointer<Float>, normalized: UnsafeMutablePointer<Float>,
                          inverseNorms r: UnsafeMutablePointer<Float>, vectors: Int, inRows: Bool, length: Int,
                          into target: UnsafeMutablePointer<Float>) {
        for p in 0..<vectors {
            func at(_ k: Int) -> Int { inRows ? p * length + k : k * vectors + p }
            var dot: Float = 0
            if normalize { for k in 0..<length { dot += gradient[at(k)] * normalized[at(k)] } }
            let clamped = normalize && r[p] == Self.clampedInverse
            for k in 0..<length {
                let d = gradient[at(k)]
                target[offset(i, p, k)] += normalize ? r[p] * (clamped ? d : d - normalized[at(k)] * dot) : d
            }
        }
    }

    /// Offset in input `i` of element k along the axis, at other position `p` (before-major).
    @inline(__always) func offset(_ i: Int, _ p: Int, _ k: Int) -> Int {
        let before = p / innerSizes[i], after = p % innerSizes[i]
        return (before * n + k) * innerSizes[i] + after
    }

    func forward(inputs: [Buffer], _ pass: Pass) {
        self.inputs = inputs
        let m = self.m, columns = self.columns, n = self.n
        pass.forEachChunk { samples, _ in
            for sample in samples {
                let x1 = inputs[0].at(sample * inputSizes[0]), x2 = inputs[1].at(sample * inputSizes[1])
                let aS = a.at(sample * m * n), bS = b.at(sample * n * columns)
                // A[p, k] = x₁[p, k]; B[k, q] = x₂[q, k]
                for p in 0..<m { for k in 0..<n { aS[p * n + k] = x1[offset(0, p, k)] } }
                for q in 0..<columns { for k in 0..<n { bS[k * columns + q] = x2[offset(1, q, k)] } }
                if normalize {
                    let r1 = inverseNorms[0].at(sample * m), r2 = inverseNorms[1].at(sample * columns)
                    for p in 0..<m {
                        var sum: Float = 0
                        for k in 0..<n { sum += aS[p * n + k] * aS[p * n + k] }
                        r1[p] = 1 / sqrtf(Swift.max(sum, Float(1e-12)))
                        for k in 0..<n { aS[p * n + k] *= r1[p] }
                    }
                    for q in 0..<columns {
                        var sum: Float = 0
                        for k in 0..<n { sum += bS[k * columns + q] * bS[k * columns + q] }
                        r2[q] = 1 / sqrtf(Swift.max(sum, Float(1e-12)))
                        for k in 0..<n { bS[k * columns + q] *= r2[q] }
                    }
                }
                // y[M, N] = A[M, n] · B[n, N]
                MatrixMultiply.gemm(m: m, n: columns, k: n, a: aS, lda: n, b: bS, ldb: columns,
                                    c: output.at(sample * outputSize), ldc: columns)
            }
        }
    }

    func backward(_ outputGradient: Buffer, _ pass: Pass, inputGradients: [Buffer?]) {
        let m = self.m, columns = self.columns, n = self.n
        pass.forEachChunk { samples, _ in
            for sample in samples {
                let dy = outputGradient.at(sample * outputSize)
                let aS = a.at(sample * m * n), bS = b.at(sample * n * columns)
                let daS = da.at(sample * m * n), dbS = db.at(sample * n * columns)
                // dA = dy · Bᵀ [M, n]; dB = Aᵀ · dy [n, N]
                MatrixMultiply.gemm(transposeB: true, m: m, n: n, k: columns, a: dy, lda: columns, b: bS, ldb: columns,
                                    c: daS, ldc: n)
                MatrixMultiply.gemm(transposeA: true, m: n, n: columns, k: m, a: aS, lda: n, b: dy, ldb: columns,
                                    c: dbS, ldc: columns)
                if let dx = inputGradients[0] {
                    addInputGradient(0, from: daS, normalized: aS, inverseNorms: inverseNorms[0].at(sample * m),
                                     vectors: m, inRows: true, length: n, into: dx.at(sample * inputSizes[0]))
                }
                if let dx = inputGradients[1] {
                    addInputGradient(1, from: dbS, normalized: bS, inverseNorms: inverseNorms[1].at(sample * columns),
                                     vectors: columns, inRows: false, length: n, into: dx.at(sample * inputSizes[1]))
                }
            }
        }
    }
}
