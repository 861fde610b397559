import ModelC

/// Backpropagation through time: the steps run in reverse processing order, each cell step turning
/// dL/dh (and dL/dc) into dL/dZ for its timestep; the weight and input gradients then come from
/// one gemm each over all cached timesteps of the chunk.
extension RecurrentLayer {
    func backward(_ outputGradient: Buffer, _ pass: Pass, inputGradient: Buffer?) {
        if fused { transposeRecurrentKernel() }
        let tokens = tokenEmbedding.flatMap { $0.isProjected(pass) ? $0 : nil }
        pass.forEachChunk { samples, chunk in
            let rows = samples.count, first = samples.lowerBound
            guard timesteps > 0 else { return }
            stateGradient.zero(from: first * units, count: rows * units)
            if cell == .lstm { carryGradient.zero(from: first * units, count: rows * units) }
            if fused {
                fusedBackward(outputGradient, samples)
            } else {
                stepwiseBackward(outputGradient, samples)
            }
            accumulateWeightGradients(samples, chunk: chunk, inputKernel: tokens == nil)
            if let tokens {
                // The Embedding's gradient comes from here; it never reads dL/dx.
                scatterTokenGradients(tokens, samples, chunk: chunk)
            } else if let inputGradient {
                addInputGradients(samples, into: inputGradient)
            }
        }
        if let tokens { applyTokenGradients(tokens, pass) }
    }

    /// The reversed time loop through the per-gate steps of `RecurrentCellSteps` (masked recurrent
    /// inputs, GRU 2014, softmax activations).
    func stepwiseBackward(_ outputGradient: Buffer, _ samples: Range<Int>) {
        let rows = samples.count, first = samples.lowerBound
        let masksRecurrent = lastPassTrained && dropout.recurrent != .none
        for step in stride(from: timesteps - 1, through: 0, by: -1) {
            let τ = time(step)
            let previous = step > 0 ? time(step - 1) : nil
            addOutputGradient(outputGradient, samples, step: step)
            switch cell {
            case .simple: simpleBackwardStep(samples, time: τ)
            case .lstm: lstmBackwardStep(samples, time: τ, previous: previous)
            case .gru(let resetAfter):
                if resetAfter {
                    gruBackwardStep(samples, time: τ, previous: previous)
                } else {
                    gru2014BackwardStep(samples, time: τ, previous: previous, masked: masksRecurrent)
                }
            }
            if previous != nil { addRecurrentGradient(samples, time: τ, masked: masksRecurrent) }
            stateGradient.at(first * units).update(from: previousStateGradient.at(first * units), count: rows * units)
        }
    }

    /// stateGradient += dL/dy for the state processed at `step`.
    func addOutputGradient(_ outputGradient: Buffer, _ samples: Range<Int>, step: Int) {
        guard returnSequences || step == timesteps - 1 else { return }
        for sample in samples {
            let dy = returnSequences ? outputGradient.at(sample * outputSize + step * units) : outputGradient.at(sample * units)
            let dh = stateGradient.at(sample * units)
            for j in 0..<units { dh[j] += dy[j] }
        }
    }

    /// The gradient the recurrent product hands back: dL/d(h·U + b_r) columns, [rows·T, g·u].
    var recurrentProductGradientBuffer: Buffer {
        cell == .gru(resetAfter: true) ? recurrentProductGradients : preactivationGradients
    }

    /// previousStateGradient += (dR · Uᵀ) ⊙ recurrent mask, over the directly projected blocks.
    func addRecurrentGradient(_ samples: Range<Int>, time τ: Int, masked: Bool) {
        let rows = samples.count, first = samples.lowerBound
        let dr = slice(recurrentProductGradientBuffer, gateWidth, row: first, time: τ)
        let lda = timesteps * gateWidth
        let dhPrevious = previousStateGradient.at(first * units)
        if !masked {
            MatrixMultiply.gemm(transposeB: true, m: rows, n: units, k: recurrentWidth, a: dr, lda: lda,
                                b: recurrentKernel.value.base, ldb: gateWidth, beta: 1, c: dhPrevious, ldc: units)
            return
        }
        let temporary = scratch.at(first * units)
        let blocks = recurrentInputWidth / units
        for block in 0..<blocks {
            let width = blocks == 1 ? recurrentWidth : units
            MatrixMultiply.gemm(transposeB: true, m: rows, n: units, k: width, a: dr + block * units, lda: lda,
                                b: recurrentKernel.value.at(block * units), ldb: gateWidth, c: temporary, ldc: units)
            for row in 0..<rows {
                let m = recurrentMasks.at(((first + row) * recurrentMaskSlots + block) * units)
                let t = temporary + row * units, d = dhPrevious + row * units
                for j in 0..<units { d[j] += t[j] * m[j] }
            }
        }
    }

    /// dW += x̃ᵀ·dZ (unless `inputKernel` is false: the token tables give it), dU += h̃₋ᵀ·dR,
    /// biases += column sums, each one gemm over the chunk's rows·T.
    func accumulateWeightGradients(_ samples: Range<Int>, chunk: Int, inputKernel: Bool) {
        let rows = samples.count * timesteps, first = samples.lowerBound * timesteps
        let dz = preactivationGradients.at(first * gateWidth)
        let maskedIn = lastPassTrained && dropout.input != .none
        if kernel.trainable && inputKernel {
            let dW = kernel.gradient(chunk: chunk).base
            if maskedIn && dropout.input == .perGate {
                for gate in 0..<gates {
                    applyInputMask(input, samples, gate: gate)
                    MatrixMultiply.gemm(transposeA: true, m: features, n: units, k: rows, a: maskedInputs.at(first * features), lda: features,
                                        b: dz + gate * units, ldb: gateWidth, beta: 1, c: dW + gate * units, ldc: gateWidth)
                }
            } else {
                let x = maskedIn ? maskedInputs.at(first * features) : input.at(first * features)
                MatrixMultiply.gemm(transposeA: true, m: features, n: gateWidth, k: rows, a: x, lda: features,
                                    b: dz, ldb: gateWidth, beta: 1, c: dW, ldc: gateWidth)
            }
        }
        let dr = recurrentProductGradientBuffer.at(first * gateWidth)
        if recurrentKernel.trainable {
            let dU = recurrentKernel.gradient(chunk: chunk).base
            let hp = recurrentInputs.at(first * recurrentInputWidth)
            let blocks = recurrentInputWidth / units
            for block in 0..<blocks {
                MatrixMultiply.gemm(transposeA: true, m: units, n: blocks == 1 ? recurrentWidth : units, k: rows,
                                    a: hp + block * units, lda: recurrentInputWidth, b: dr + block * units, ldb: gateWidth,
                                    beta: 1, c: dU + block * units, ldc: gateWidth)
            }
            if cell == .gru(resetAfter: false) {
                // The candidate block multiplies r⊙h̃₋.
                MatrixMultiply.gemm(transposeA: true, m: units, n: units, k: rows, a: resetOperand.at(first * units), lda: units,
                                    b: dz + 2 * units, ldb: gateWidth, beta: 1, c: dU + 2 * units, ldc: gateWidth)
            }
        }
        if let bias, bias.trainable {
            let db = bias.gradient(chunk: chunk).base
            for row in 0..<rows {
                let d = dz + row * gateWidth
                for j in 0..<gateWidth { db[j] += d[j] }
            }
            if cell == .gru(resetAfter: true) {
                let dbr = db + gateWidth
                for row in 0..<rows {
                    let d = dr + row * gateWidth
                    for j in 0..<gateWidth { dbr[j] += d[j] }
                }
            }
        }
    }

    /// dx += (dZ·Wᵀ) ⊙ input mask, summed over gate masks when each gate has its own.
    func addInputGradients(_ samples: Range<Int>, into inputGradient: Buffer) {
        let rows = samples.count * timesteps, first = samples.lowerBound * timesteps
        let dz = preactivationGradients.at(first * gateWidth)
        let dx = inputGradient.at(first * features)
        let maskedIn = lastPassTrained && dropout.input != .none
        guard maskedIn else {
            MatrixMultiply.gemm(transposeB: true, m: rows, n: features, k: gateWidth, a: dz, lda: gateWidth,
                                b: kernel.value.base, ldb: gateWidth, beta: 1, c: dx, ldc: features)
            return
        }
        let temporary = maskedInputs.at(first * features)
        let passes = dropout.input == .perGate ? gates : 1
        for gate in 0..<passes {
            MatrixMultiply.gemm(transposeB: true, m: rows, n: features, k: passes == 1 ? gateWidth : units,
                                a: dz + gate * units, lda: gateWidth, b: kernel.value.at(gate * units), ldb: gateWidth,
                                c: temporary, ldc: features)
            for sample in samples {
                let maskBase = inputMasks.at(sample * inputMaskSlots * features)
                for t in 0..<timesteps {
                    let offset = (sample * timesteps + t) * features
                    let m = maskBase + features * (dropout.input == .perTimestep ? t : gate)
                    let source = maskedInputs.at(offset), target = inputGradient.at(offset)
                    for f in 0..<features { target[f] += source[f] * m[f] }
                }
            }
        }
    }
}
