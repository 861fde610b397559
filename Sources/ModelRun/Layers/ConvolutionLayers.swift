import ModelC

/// Builds the convolution layers.
enum ConvolutionLayers {
    static func make(_ blueprint: LayerBlueprint) throws(NetworkError) -> RuntimeLayer {
        switch blueprint.descriptor.kind {
        case .conv1D: Conv1DLayer(blueprint)
        default: throw NetworkError("\(blueprint.descriptor.className) is not a convolution layer")
        }
    }
}

/// Keras's Conv1D: y = activation(z), z[q, o, f] = Σ_j Σ_c x[q, o·s - padLeft + j·d, c] · kernel[j, c, f] + bias[f].
/// x: [B, ..., L, C] seen as sequences [B·S, L, C] (S: the product of the extra leading axes, which
/// Keras treats as batch); y, z: [B·S, L', F]; kernel: [k, C, F] = [k·C, F] row-major; bias: [F].
/// Each chunk unfolds groups of its sequences into `columns` [group·L', k·C] and multiplies by the kernel.
final class Conv1DLayer: LayerBase, ActivatedLayer {
    /// Values unfolded per chunk and group (4 chunks × 1 MiB by default): bounds the workspace for long
    /// sequences. Takes effect at the next `reserveWorkspaces`.
    var columnBudget = 1 << 18

    let kernel: Parameter
    let bias: Parameter?
    let activation: Activation
    let geometry: WindowGeometry
    let channels: Int
    let filters: Int
    /// Sequences per sample: every axis before the last two.
    let sequencesPerSample: Int
    /// k = 1 with stride 1 reads x as it is: no unfolding.
    let direct: Bool
    /// z before the activation, kept for backward and for a loss on logits. z: [B·S, L', F]
    var preactivation = Buffer(count: 0)
    /// dL/dz: [B·S, L', F]
    var preactivationGradient = Buffer(count: 0)
    /// Set by the trainer when the loss takes z (Keras's from_logits on this layer's activation):
    /// backward then receives dL/dz and skips f'.
    var outputGradientIsPreactivation = false
    var logitGradient: Buffer?
    /// Sequences unfolded at once.
    private(set) var groupSequences = 1
    /// One unfolding workspace per chunk and its gradient: [group · L', k · C] each.
    var columns: [Buffer] = []
    var columnGradients: [Buffer] = []

    init(_ blueprint: LayerBlueprint) {
        let arguments = blueprint.arguments
        kernel = blueprint.parameter("kernel")
        bias = blueprint.optionalParameter("bias")
        activation = arguments.activation("activation")
        let shape = blueprint.inputShape
        channels = shape[shape.count - 1]
        filters = arguments.int("filters")
        sequencesPerSample = shape.dropLast(2).reduce(1, *)
        geometry = WindowGeometry(padding: arguments.string("padding"), inputLength: shape[shape.count - 2],
                                  window: arguments.int("kernel_size"), stride: arguments.int("strides"),
                                  dilation: arguments.int("dilation_rate"))
        precondition(geometry.outputLength == blueprint.outputShape[blueprint.outputShape.count - 2],
                     "\(blueprint.name): convolution length disagrees with the catalogue's shape rule")
        direct = geometry.window == 1 && geometry.stride == 1
        super.init(name: blueprint.name, inputShape: blueprint.inputShape, outputShape: blueprint.outputShape)
    }

    var parameters: [Parameter] { [kernel] + (bias.map { [$0] } ?? []) }

    /// Values of one unfolded row: k · C.
    var rowWidth: Int { geometry.window * channels }
    var inputSequenceSize: Int { geometry.inputLength * channels }
    var outputSequenceSize: Int { geometry.outputLength * filters }

    override func reserveWorkspaces(capacity: Int) {
        preactivation = Buffer(count: capacity * outputSize)
        preactivationGradient = Buffer(count: capacity * outputSize)
        guard !direct else { return }
        let perSequence = max(1, geometry.outputLength * rowWidth)
        groupSequences = max(1, min(capacity * sequencesPerSample, columnBudget / perSequence))
        columns = (0..<BatchChunks.maximumCount).map { _ in Buffer(count: groupSequences * perSequence) }
        columnGradients = (0..<BatchChunks.maximumCount).map { _ in Buffer(count: groupSequences * perSequence) }
    }

    /// Calls `body(first, count)` for consecutive groups of at most `groupSequences` sequences.
    @inline(__always) func forEachGroup(_ sequences: Range<Int>, _ body: (Int, Int) -> Void) {
        var first = sequences.lowerBound
        while first < sequences.upperBound {
            let count = min(groupSequences, sequences.upperBound - first)
            body(first, count)
            first += count
        }
    }

    func forward(_ input: Buffer, _ pass: Pass) {
        self.input = input
        pass.forEachChunk { samples, chunk in
            let sequences = (samples.lowerBound * sequencesPerSample)..<(samples.upperBound * sequencesPerSample)
            let rows = sequences.count * geometry.outputLength
            let z = preactivation.at(sequences.lowerBound * outputSequenceSize)
            if direct {
                // z[rows, F] = x[rows, C] · kernel[C, F]
                MatrixMultiply.gemm(m: rows, n: filters, k: channels, a: input.at(sequences.lowerBound * inputSequenceSize),
                                    lda: channels, b: kernel.value.base, ldb: filters, c: z, ldc: filters)
            } else {
                let cols = columns[chunk].base
                forEachGroup(sequences) { first, count in
                    ConvolutionKernels.unfold(input.at(first * inputSequenceSize), sequences: count, channels: channels,
                                              geometry: geometry, into: cols)
                    // z[count·L', F] = cols[count·L', k·C] · kernel[k·C, F]
                    MatrixMultiply.gemm(m: count * geometry.outputLength, n: filters, k: rowWidth, a: cols, lda: rowWidth,
                                        b: kernel.value.base, ldb: filters, c: preactivation.at(first * outputSequenceSize), ldc: filters)
                }
            }
            if let bias {
                for row in 0..<rows {
                    let zr = z + row * filters
                    for f in 0..<filters { zr[f] += bias.value[f] }
                }
            }
            ActivationKernels.forward(activation, z: z, y: output.at(sequences.lowerBound * outputSequenceSize),
                                      count: rows * filters, width: filters)
        }
    }

    func backward(_ outputGradient: Buffer, _ pass: Pass, inputGradient: Buffer?) {
        pass.forEachChunk { samples, chunk in
            let sequences = (samples.lowerBound * sequencesPerSample)..<(samples.upperBound * sequencesPerSample)
            let rows = sequences.count * geometry.outputLength
            let offset = sequences.lowerBound * outputSequenceSize
            let dz: UnsafeMutablePointer<Float>
            if outputGradientIsPreactivation {
                dz = outputGradient.at(offset)
            } else {
                // dz = dy ⊙ f'(z)
                dz = preactivationGradient.at(offset)
                ActivationKernels.backward(activation, z: preactivation.at(offset), y: output.at(offset),
                                           dy: outputGradient.at(offset), dz: dz, count: rows * filters, width: filters)
                if let logitGradient { Elementwise.add(logitGradient.at(offset), into: dz, count: rows * filters) }
            }
            if let bias, bias.trainable {
                // dbias[F] += Σ_rows dz
                let db = bias.gradient(chunk: chunk).base
                for row in 0..<rows {
                    let dzr = dz + row * filters
                    for f in 0..<filters { db[f] += dzr[f] }
                }
            }
            if direct {
                let x = input.at(sequences.lowerBound * inputSequenceSize)
                if kernel.trainable {
                    // dkernel[C, F] += x[rows, C]ᵀ · dz[rows, F]
                    MatrixMultiply.gemm(transposeA: true, m: channels, n: filters, k: rows, a: x, lda: channels,
                                        b: dz, ldb: filters, beta: 1, c: kernel.gradient(chunk: chunk).base, ldc: filters)
                }
                if let inputGradient {
                    // dx[rows, C] += dz[rows, F] · kernel[C, F]ᵀ
                    MatrixMultiply.gemm(transposeB: true, m: rows, n: channels, k: filters, a: dz, lda: filters,
                                        b: kernel.value.base, ldb: filters, beta: 1,
                                        c: inputGradient.at(sequences.lowerBound * inputSequenceSize), ldc: channels)
                }
                return
            }
            guard kernel.trainable || inputGradient != nil else { return }
            let cols = columns[chunk].base, dcols = columnGradients[chunk].base
            forEachGroup(sequences) { first, count in
                let groupRows = count * geometry.outputLength
                let dzGroup = dz + (first - sequences.lowerBound) * outputSequenceSize
                if kernel.trainable {
                    ConvolutionKernels.unfold(input.at(first * inputSequenceSize), sequences: count, channels: channels,
                                              geometry: geometry, into: cols)
                    // dkernel[k·C, F] += cols[rows, k·C]ᵀ · dz[rows, F]
                    MatrixMultiply.gemm(transposeA: true, m: rowWidth, n: filters, k: groupRows, a: cols, lda: rowWidth,
                                        b: dzGroup, ldb: filters, beta: 1, c: kernel.gradient(chunk: chunk).base, ldc: filters)
                }
                if let inputGradient {
                    // dcols[rows, k·C] = dz[rows, F] · kernel[k·C, F]ᵀ, then added onto the steps it read.
                    MatrixMultiply.gemm(transposeB: true, m: groupRows, n: rowWidth, k: filters, a: dzGroup, lda: filters,
                                        b: kernel.value.base, ldb: filters, c: dcols, ldc: rowWidth)
                    let dx = inputGradient.at(first * inputSequenceSize)
                    ConvolutionKernels.foldAdding(dcols, sequences: count, channels: channels, geometry: geometry, into: dx)
                }
            }
        }
    }
}
