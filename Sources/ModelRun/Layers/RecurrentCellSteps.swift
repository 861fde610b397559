import ModelC

/// One timestep of each cell for the rows of a chunk, forward and backward, following tf_keras 2's
/// cell equations. On entry to a forward step, `preactivations[τ]` holds x̃·W + b_in and
/// `recurrentProducts` holds h̃₋·U (+ b_r); backward steps read dL/dh from `stateGradient`, write
/// dL/dZ into `preactivationGradients[τ]`, and leave in `previousStateGradient` the part of dL/dh₋
/// that does not pass through the recurrent product (the layer adds that part next).
/// Activations act on blocks of `units` values, so softmax normalizes each gate block.
extension RecurrentLayer {
    @inline(__always) func activate(_ function: Activation, _ z: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
        RecurrentMath.activate(function, z, y, count: count, width: units)
    }

    /// dz = dy ⊙ f'(z) in place over `count` values of dy.
    @inline(__always) func differentiate(_ function: Activation, _ z: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                                         _ dy: UnsafeMutablePointer<Float>, _ count: Int) {
        RecurrentMath.differentiate(function, z, y, dy, count: count, width: units)
    }

    // MARK: SimpleRNN: h = activation(x̃·W + b + h̃₋·U)

    func simpleForwardStep(_ samples: Range<Int>, time τ: Int) {
        for row in samples {
            let z = slice(preactivations, units, row: row, time: τ), r = recurrentProducts.at(row * units)
            for j in 0..<units { z[j] += r[j] }
            activate(activation, z, slice(states, units, row: row, time: τ), units)
        }
    }

    func simpleBackwardStep(_ samples: Range<Int>, time τ: Int) {
        for row in samples {
            let dz = slice(preactivationGradients, units, row: row, time: τ)
            dz.update(from: stateGradient.at(row * units), count: units)
            differentiate(activation, slice(preactivations, units, row: row, time: τ), slice(states, units, row: row, time: τ), dz, units)
            previousStateGradient.zero(from: row * units, count: units)
        }
    }

    // MARK: LSTM: i, f, o = σ(·), ĉ = activation(·); c = f⊙c₋ + i⊙ĉ; h = o⊙activation(c)

    func lstmForwardStep(_ samples: Range<Int>, time τ: Int, previous: Int?) {
        let u = units
        for row in samples {
            let z = slice(preactivations, gateWidth, row: row, time: τ), a = slice(gateValues, gateWidth, row: row, time: τ)
            let r = recurrentProducts.at(row * gateWidth)
            for j in 0..<gateWidth { z[j] += r[j] }
            activate(recurrentActivation, z, a, 2 * u)
            activate(activation, z + 2 * u, a + 2 * u, u)
            activate(recurrentActivation, z + 3 * u, a + 3 * u, u)
            let c = slice(carries, u, row: row, time: τ)
            if let previous {
                let cp = slice(carries, u, row: row, time: previous)
                for j in 0..<u { c[j] = a[u + j] * cp[j] + a[j] * a[2 * u + j] }
            } else {
                for j in 0..<u { c[j] = a[j] * a[2 * u + j] }
            }
            let ca = slice(activatedCarries, u, row: row, time: τ)
            activate(activation, c, ca, u)
            let h = slice(states, u, row: row, time: τ)
            for j in 0..<u { h[j] = a[3 * u + j] * ca[j] }
        }
    }

    /// `carryGradient` carries dL/dc from step to step (dL/dc₋ = dL/dc ⊙ f).
    func lstmBackwardStep(_ samples: Range<Int>, time τ: Int, previous: Int?) {
        let u = units
        for row in samples {
            let z = slice(preactivations, gateWidth, row: row, time: τ), a = slice(gateValues, gateWidth, row: row, time: τ)
            let dz = slice(preactivationGradients, gateWidth, row: row, time: τ)
            let c = slice(carries, u, row: row, time: τ), ca = slice(activatedCarries, u, row: row, time: τ)
            let dh = stateGradient.at(row * u), dc = carryGradient.at(row * u), dca = scratch.at(row * u)
            for j in 0..<u {
                dz[3 * u + j] = dh[j] * ca[j]
                dca[j] = dh[j] * a[3 * u + j]
            }
            differentiate(activation, c, ca, dca, u)
            let cp = previous.map { slice(carries, u, row: row, time: $0) }
            for j in 0..<u {
                let total = dc[j] + dca[j]
                dz[j] = total * a[2 * u + j]
                dz[u + j] = cp.map { total * $0[j] } ?? 0
                dz[2 * u + j] = total * a[j]
                dc[j] = total * a[u + j]
            }
            differentiate(recurrentActivation, z, a, dz, 2 * u)
            differentiate(activation, z + 2 * u, a + 2 * u, dz + 2 * u, u)
            differentiate(recurrentActivation, z + 3 * u, a + 3 * u, dz + 3 * u, u)
            previousStateGradient.zero(from: row * u, count: u)
        }
    }

    // MARK: GRU reset_after: z, r = σ(x̃·W + b_in + h₋·U + b_r); ĥ = activation(x̃·W_h + b_in,h + r⊙(h₋·U_h + b_r,h)); h = z⊙h₋ + (1 - z)⊙ĥ

    func gruForwardStep(_ samples: Range<Int>, time τ: Int, previous: Int?) {
        let u = units
        for row in samples {
            let z = slice(preactivations, gateWidth, row: row, time: τ), a = slice(gateValues, gateWidth, row: row, time: τ)
            let r = recurrentProducts.at(row * gateWidth)
            for j in 0..<(2 * u) { z[j] += r[j] }
            activate(recurrentActivation, z, a, 2 * u)
            let operand = slice(resetOperand, u, row: row, time: τ)
            for j in 0..<u {
                operand[j] = r[2 * u + j]
                z[2 * u + j] += a[u + j] * operand[j]
            }
            activate(activation, z + 2 * u, a + 2 * u, u)
            mixState(row: row, time: τ, previous: previous, gates: a)
        }
    }

    /// h = z⊙h₋ + (1 - z)⊙ĥ, with h₋ = 0 at the first step.
    @inline(__always) func mixState(row: Int, time τ: Int, previous: Int?, gates a: UnsafeMutablePointer<Float>) {
        let u = units
        let h = slice(states, u, row: row, time: τ)
        if let previous {
            let hp = slice(states, u, row: row, time: previous)
            for j in 0..<u { h[j] = a[j] * hp[j] + (1 - a[j]) * a[2 * u + j] }
        } else {
            for j in 0..<u { h[j] = (1 - a[j]) * a[2 * u + j] }
        }
    }

    /// Leaves dL/dZ_z and dL/dĥ-preactivation in `preactivationGradients` and z⊙dh in `previousStateGradient`.
    @inline(__always) func mixStateBackward(row: Int, time τ: Int, previous: Int?) {
        let u = units
        let z = slice(preactivations, gateWidth, row: row, time: τ), a = slice(gateValues, gateWidth, row: row, time: τ)
        let dz = slice(preactivationGradients, gateWidth, row: row, time: τ)
        let dh = stateGradient.at(row * u), dhp = previousStateGradient.at(row * u)
        let hp = previous.map { slice(states, u, row: row, time: $0) }
        for j in 0..<u {
            dz[j] = dh[j] * ((hp?[j] ?? 0) - a[2 * u + j])
            dz[2 * u + j] = dh[j] * (1 - a[j])
            dhp[j] = dh[j] * a[j]
        }
        differentiate(activation, z + 2 * u, a + 2 * u, dz + 2 * u, u)
    }

    func gruBackwardStep(_ samples: Range<Int>, time τ: Int, previous: Int?) {
        let u = units
        for row in samples {
            mixStateBackward(row: row, time: τ, previous: previous)
            let z = slice(preactivations, gateWidth, row: row, time: τ), a = slice(gateValues, gateWidth, row: row, time: τ)
            let dz = slice(preactivationGradients, gateWidth, row: row, time: τ)
            let dr = slice(recurrentProductGradients, gateWidth, row: row, time: τ)
            let operand = slice(resetOperand, u, row: row, time: τ)
            for j in 0..<u {
                dr[2 * u + j] = dz[2 * u + j] * a[u + j]
                dz[u + j] = dz[2 * u + j] * operand[j]
            }
            differentiate(recurrentActivation, z, a, dz, 2 * u)
            dr.update(from: dz, count: 2 * u)
        }
    }

    // MARK: GRU 2014: z, r = σ(x̃·W + b + h̃₋·U); ĥ = activation(x̃·W_h + b_h + (r⊙h̃₋)·U_h); h = z⊙h₋ + (1 - z)⊙ĥ

    /// h̃₋ of the candidate block: h₋, or h₋ ⊙ its own mask under per-gate recurrent dropout.
    @inline(__always) func candidateMask(row: Int, masked: Bool) -> UnsafeMutablePointer<Float>? {
        masked ? recurrentMasks.at((row * recurrentMaskSlots + 2) * units) : nil
    }

    func gru2014ForwardStep(_ samples: Range<Int>, time τ: Int, previous: Int?, masked: Bool) {
        let u = units
        for row in samples {
            let z = slice(preactivations, gateWidth, row: row, time: τ), a = slice(gateValues, gateWidth, row: row, time: τ)
            let r = recurrentProducts.at(row * recurrentWidth)
            for j in 0..<(2 * u) { z[j] += r[j] }
            activate(recurrentActivation, z, a, 2 * u)
            let operand = slice(resetOperand, u, row: row, time: τ)
            if let previous {
                let hp = slice(states, u, row: row, time: previous)
                if let m = candidateMask(row: row, masked: masked) {
                    for j in 0..<u { operand[j] = a[u + j] * hp[j] * m[j] }
                } else {
                    for j in 0..<u { operand[j] = a[u + j] * hp[j] }
                }
            } else {
                operand.update(repeating: 0, count: u)
            }
        }
        if previous != nil {
            // Z_h += (r⊙h̃₋)·U_h
            let first = samples.lowerBound
            MatrixMultiply.gemm(m: samples.count, n: u, k: u, a: slice(resetOperand, u, row: first, time: τ), lda: timesteps * u,
                                b: recurrentKernel.value.at(2 * u), ldb: gateWidth, beta: 1,
                                c: slice(preactivations, gateWidth, row: first, time: τ) + 2 * u, ldc: timesteps * gateWidth)
        }
        for row in samples {
            let z = slice(preactivations, gateWidth, row: row, time: τ), a = slice(gateValues, gateWidth, row: row, time: τ)
            activate(activation, z + 2 * u, a + 2 * u, u)
            mixState(row: row, time: τ, previous: previous, gates: a)
        }
    }

    func gru2014BackwardStep(_ samples: Range<Int>, time τ: Int, previous: Int?, masked: Bool) {
        let u = units
        for row in samples { mixStateBackward(row: row, time: τ, previous: previous) }
        if let previous {
            // d(r⊙h̃₋) = dZ_h·U_hᵀ
            let first = samples.lowerBound
            MatrixMultiply.gemm(transposeB: true, m: samples.count, n: u, k: u,
                                a: slice(preactivationGradients, gateWidth, row: first, time: τ) + 2 * u, lda: timesteps * gateWidth,
                                b: recurrentKernel.value.at(2 * u), ldb: gateWidth, c: scratch.at(first * u), ldc: u)
            for row in samples {
                let a = slice(gateValues, gateWidth, row: row, time: τ), dz = slice(preactivationGradients, gateWidth, row: row, time: τ)
                let hp = slice(states, u, row: row, time: previous)
                let dq = scratch.at(row * u), dhp = previousStateGradient.at(row * u)
                let m = candidateMask(row: row, masked: masked)
                for j in 0..<u {
                    let keep = m?[j] ?? 1
                    dz[u + j] = dq[j] * hp[j] * keep
                    dhp[j] += dq[j] * a[u + j] * keep
                }
            }
        }
        for row in samples {
            let z = slice(preactivations, gateWidth, row: row, time: τ), a = slice(gateValues, gateWidth, row: row, time: τ)
            let dz = slice(preactivationGradients, gateWidth, row: row, time: τ)
            if previous == nil { (dz + u).update(repeating: 0, count: u) }
            differentiate(recurrentActivation, z, a, dz, 2 * u)
        }
    }
}
