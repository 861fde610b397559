import ModelC

/// Dense on the last axis: y = activation(x·kernel + bias).
/// x: [B, ..., in] seen as rows: [B·R, in]; y: [B·R, units]; kernel: [in, units]; bias: [units].
final class DenseLayer: LayerBase, ActivatedLayer {
    let kernel: Parameter
    let bias: Parameter?
    let activation: Activation
    let inFeatures: Int
    let units: Int
    /// Rows per sample: every axis but the last (1 for a 2-D input).
    let rowsPerSample: Int
    /// z = x·kernel + bias before the activation, kept for backward when f' needs it.
    var preactivation = Buffer(count: 0)
    /// dL/dz, one row per input row.
    var preactivationGradient = Buffer(count: 0)
    var outputGradientIsPreactivation = false
    var logitGradient: Buffer?

    init(_ blueprint: LayerBlueprint) {
        kernel = blueprint.parameter("kernel")
        bias = blueprint.optionalParameter("bias")
        activation = blueprint.arguments.activation("activation")
        inFeatures = blueprint.inputShape.last!
        units = blueprint.outputShape.last!
        rowsPerSample = blueprint.inputShape.dropLast().reduce(1, *)
        super.init(name: blueprint.name, inputShape: blueprint.inputShape, outputShape: blueprint.outputShape)
    }

    var parameters: [Parameter] { [kernel] + (bias.map { [$0] } ?? []) }

    override func reserveWorkspaces(capacity: Int) {
        preactivation = Buffer(count: capacity * outputSize)
        preactivationGradient = Buffer(count: capacity * outputSize)
    }

    func forward(_ input: Buffer, _ pass: Pass) {
        self.input = input
        pass.forEachChunk { samples, _ in
            let rows = samples.count * rowsPerSample
            let firstRow = samples.lowerBound * rowsPerSample
            let x = input.at(firstRow * inFeatures)
            let z = preactivation.at(firstRow * units)
            // z[rows, units] = x[rows, in] · kernel[in, units]
            MatrixMultiply.gemm(m: rows, n: units, k: inFeatures, a: x, lda: inFeatures,
                                b: kernel.value.base, ldb: units, c: z, ldc: units)
            if let bias {
                for row in 0..<rows {
                    let zr = z + row * units
                    for j in 0..<units { zr[j] += bias.value[j] }
                }
            }
            ActivationKernels.forward(activation, z: z, y: output.at(firstRow * units), count: rows * units, width: units)
        }
    }

    func backward(_ outputGradient: Buffer, _ pass: Pass, inputGradient: Buffer?) {
        pass.forEachChunk { samples, chunk in
            let rows = samples.count * rowsPerSample
            let firstRow = samples.lowerBound * rowsPerSample
            let dz = preactivationGradient.at(firstRow * units)
            // dz = dy ⊙ f'(z), unless the loss already gave dL/dz.
            let activation = outputGradientIsPreactivation ? .linear : activation
            ActivationKernels.backward(activation, z: preactivation.at(firstRow * units), y: output.at(firstRow * units),
                                       dy: outputGradient.at(firstRow * units), dz: dz, count: rows * units, width: units)
            if let logitGradient { Elementwise.add(logitGradient.at(firstRow * units), into: dz, count: rows * units) }
            let x = input.at(firstRow * inFeatures)
            if kernel.trainable {
                // dkernel[in, units] += x[rows, in]ᵀ · dz[rows, units]
                MatrixMultiply.gemm(transposeA: true, m: inFeatures, n: units, k: rows, a: x, lda: inFeatures,
                                    b: dz, ldb: units, beta: 1, c: kernel.gradient(chunk: chunk).base, ldc: units)
            }
            if let bias, bias.trainable {
                // dbias[units] += Σ_rows dz
                let db = bias.gradient(chunk: chunk).base
                for row in 0..<rows {
                    let dzr = dz + row * units
                    for j in 0..<units { db[j] += dzr[j] }
                }
            }
            if let inputGradient {
                // dx[rows, in] += dz[rows, units] · kernel[in, units]ᵀ
                MatrixMultiply.gemm(transposeB: true, m: rows, n: inFeatures, k: units, a: dz, lda: units,
                                    b: kernel.value.base, ldb: units, beta: 1, c: inputGradient.at(firstRow * inFeatures), ldc: inFeatures)
            }
        }
    }
}
