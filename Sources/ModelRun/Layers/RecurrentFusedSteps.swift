import ModelC

/// Fused timesteps for the common recurrent layers (SimpleRNN, LSTM, GRU reset_after; elementwise
/// activations; no recurrent dropout; units divisible by four): the recurrent product h₋·U, the
/// cell and its caches in vector code over lane groups of units (`Lanes`), instead of a tiny
/// gemm per step followed by per-gate loops. Same equations and activation arithmetic as
/// `RecurrentCellSteps`; only the order of the h₋·U sums differs from the gemm's (float rounding).
///
/// Forward: `preactivations[τ]` holds x̃·W + b_in on entry, completed in place. With `keep` false
/// (inference) only what later steps read is written: states, and carries for LSTM.
/// Backward: `stateGradient` (and `carryGradient`) hold dL/dh (dL/dc) at τ on entry and dL/dh₋
/// (dL/dc₋) on exit; dL/dZ goes to `preactivationGradients[τ]`. dL/dh₋ uses Uᵀ from
/// `transposedRecurrentKernel` ([g·u, u], filled once per backward pass).
extension RecurrentLayer {
    /// Whether the fused steps can run this layer: not GRU 2014, recurrent dropout or softmax
    /// activations, and units must fill whole lane groups.
    static func fuses(_ cell: RecurrentCell, units: Int, activation: Activation, recurrentActivation: Activation,
                      dropout: RecurrentDropoutPlan) -> Bool {
        cell != .gru(resetAfter: false) && dropout.recurrent == .none && units % Lanes.scalarCount == 0
            && activation != .softmax && recurrentActivation != .softmax
    }

    /// Keras's default activations, which the fused steps are specialized for.
    var defaultActivations: Bool { activation == .tanh && (cell == .simple || recurrentActivation == .sigmoid) }

    var anyActivations: AnyCellActivations { AnyCellActivations(recurrentActivation: recurrentActivation, activation: activation) }

    /// The time loop of a chunk's forward pass.
    func fusedForward(_ samples: Range<Int>, keep: Bool) {
        if defaultActivations {
            fusedForward(DefaultCellActivations(), samples, keep: keep)
        } else {
            fusedForward(anyActivations, samples, keep: keep)
        }
    }

    func fusedForward<A: CellActivations>(_ functions: A, _ samples: Range<Int>, keep: Bool) {
        for step in 0..<timesteps {
            let τ = time(step), previous = step > 0 ? time(step - 1) : nil
            switch cell {
            case .simple: simpleFusedForwardStep(functions, samples, time: τ, previous: previous, keep: keep)
            case .lstm: lstmFusedForwardStep(functions, samples, time: τ, previous: previous, keep: keep)
            case .gru: gruFusedForwardStep(functions, samples, time: τ, previous: previous, keep: keep)
            }
        }
    }

    /// The reversed time loop of a chunk's backward pass, from dL/dy to dL/dZ at every step.
    func fusedBackward(_ outputGradient: Buffer, _ samples: Range<Int>) {
        if defaultActivations {
            fusedBackward(DefaultCellActivations(), outputGradient, samples)
        } else {
            fusedBackward(anyActivations, outputGradient, samples)
        }
    }

    func fusedBackward<A: CellActivations>(_ functions: A, _ outputGradient: Buffer, _ samples: Range<Int>) {
        for step in stride(from: timesteps - 1, through: 0, by: -1) {
            let τ = time(step), previous = step > 0 ? time(step - 1) : nil
            addOutputGradient(outputGradient, samples, step: step)
            switch cell {
            case .simple: simpleFusedBackwardStep(functions, samples, time: τ, previous: previous)
            case .lstm: lstmFusedBackwardStep(functions, samples, time: τ, previous: previous)
            case .gru: gruFusedBackwardStep(functions, samples, time: τ, previous: previous)
            }
        }
    }

    /// Uᵀ: [g·u, u] from U: [u, g·u].
    func transposeRecurrentKernel() {
        let u = recurrentKernel.value.base, ut = transposedRecurrentKernel.base
        for k in 0..<units {
            for j in 0..<gateWidth { ut[j * units + k] = u[k * gateWidth + j] }
        }
    }

    /// h₋ for row `row`: the state at `previous`, or `zeroState` at the first step. In training it
    /// is also copied to `recurrentInputs[τ]`, the left operand of dU.
    @inline(__always) func previousState(row: Int, time τ: Int, previous: Int?, keep: Bool) -> UnsafePointer<Float> {
        let hp = UnsafePointer(previous.map { slice(states, units, row: row, time: $0) } ?? zeroState.base)
        if keep { Lanes.copy(from: hp, to: slice(recurrentInputs, units, row: row, time: τ), count: units) }
        return hp
    }

    /// dL/dh₋ = Σ_j dR[j]·Uᵀ[j, :] over the g·u columns of dR, written to `target` or added to it.
    /// Four partial sums (columns j mod 4) keep the additions from forming one long chain.
    @inline(__always) func recurrentGradient(_ dr: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>, adding: Bool) {
        let ut = UnsafePointer(transposedRecurrentKernel.base), u = units, width = gateWidth
        for lane in stride(from: 0, to: u, by: Lanes.scalarCount) {
            var column = ut + lane
            var s0 = Lanes(), s1 = Lanes(), s2 = Lanes(), s3 = Lanes()
            var j = 0
            while j &+ 4 <= width {
                s0 += dr[j] * Lanes.load(column)
                s1 += dr[j &+ 1] * Lanes.load(column + u)
                s2 += dr[j &+ 2] * Lanes.load(column + 2 &* u)
                s3 += dr[j &+ 3] * Lanes.load(column + 3 &* u)
                column += 4 &* u
                j &+= 4
            }
            while j < width {
                s0 += dr[j] * Lanes.load(column)
                column += u
                j &+= 1
            }
            var sum = (s0 + s1) + (s2 + s3)
            if adding { sum = Lanes.load(target + lane) + sum }
            sum.store(target + lane)
        }
    }

    // MARK: SimpleRNN: h = activation(x̃·W + b + h₋·U)

    func simpleFusedForwardStep<A: CellActivations>(_ functions: A, _ samples: Range<Int>, time τ: Int, previous: Int?, keep: Bool) {
        let u = units, kernel = UnsafePointer(recurrentKernel.value.base)
        for row in samples {
            let hp = previousState(row: row, time: τ, previous: previous, keep: keep)
            let z = slice(preactivations, u, row: row, time: τ), h = slice(states, u, row: row, time: τ)
            for lane in stride(from: 0, to: u, by: Lanes.scalarCount) {
                // h₋·U for this lane group
                var product = Lanes()
                if previous != nil {
                    var w = kernel + lane
                    for k in 0..<u {
                        product += hp[k] * Lanes.load(w)
                        w += u
                    }
                }
                let zl = Lanes.load(z + lane) + product
                if keep { zl.store(z + lane) }
                functions.candidate(zl).store(h + lane)
            }
        }
    }

    func simpleFusedBackwardStep<A: CellActivations>(_ functions: A, _ samples: Range<Int>, time τ: Int, previous: Int?) {
        let u = units
        for row in samples {
            let z = slice(preactivations, u, row: row, time: τ), h = slice(states, u, row: row, time: τ)
            let dz = slice(preactivationGradients, u, row: row, time: τ), dh = stateGradient.at(row * u)
            for lane in stride(from: 0, to: u, by: Lanes.scalarCount) {
                functions.candidateDerivative(z: z + lane, Lanes.load(h + lane), Lanes.load(dh + lane)).store(dz + lane)
            }
            if previous != nil { recurrentGradient(dz, into: dh, adding: false) } else { dh.update(repeating: 0, count: u) }
        }
    }

    // MARK: LSTM: i, f, o = σ(·), ĉ = activation(·); c = f⊙c₋ + i⊙ĉ; h = o⊙activation(c)

    func lstmFusedForwardStep<A: CellActivations>(_ functions: A, _ samples: Range<Int>, time τ: Int, previous: Int?, keep: Bool) {
        let u = units, width = gateWidth, kernel = UnsafePointer(recurrentKernel.value.base)
        // Three sweeps over the chunk's rows, each made of independent lane groups, so the
        // out-of-order core overlaps the long exp/divide chains of neighbouring rows.
        if previous != nil {
            // z += h₋·U for the blocks i, f, ĉ, o
            for row in samples {
                let hp = previousState(row: row, time: τ, previous: previous, keep: keep)
                let z = slice(preactivations, width, row: row, time: τ)
                for lane in stride(from: 0, to: u, by: Lanes.scalarCount) {
                    var pi = Lanes(), pf = Lanes(), pc = Lanes(), po = Lanes()
                    var w = kernel + lane
                    for k in 0..<u {
                        let hk = Lanes(repeating: hp[k])
                        pi += hk * Lanes.load(w)
                        pf += hk * Lanes.load(w + u)
                        pc += hk * Lanes.load(w + 2 &* u)
                        po += hk * Lanes.load(w + 3 &* u)
                        w += width
                    }
                    (Lanes.load(z + lane) + pi).store(z + lane)
                    (Lanes.load(z + u + lane) + pf).store(z + u + lane)
                    (Lanes.load(z + 2 &* u + lane) + pc).store(z + 2 &* u + lane)
                    (Lanes.load(z + 3 &* u + lane) + po).store(z + 3 &* u + lane)
                }
            }
        } else if keep {
            for row in samples { _ = previousState(row: row, time: τ, previous: previous, keep: keep) }
        }
        // gates, and c = f⊙c₋ + i⊙ĉ
        for row in samples {
            let z = slice(preactivations, width, row: row, time: τ), a = slice(gateValues, width, row: row, time: τ)
            let cp = UnsafePointer(previous.map { slice(carries, u, row: row, time: $0) } ?? zeroState.base)
            let c = slice(carries, u, row: row, time: τ)
            for lane in stride(from: 0, to: u, by: Lanes.scalarCount) {
                let i = functions.gate(Lanes.load(z + lane)), f = functions.gate(Lanes.load(z + u + lane))
                let g = functions.candidate(Lanes.load(z + 2 &* u + lane)), o = functions.gate(Lanes.load(z + 3 &* u + lane))
                i.store(a + lane); f.store(a + u + lane); g.store(a + 2 &* u + lane); o.store(a + 3 &* u + lane)
                // c₋ is zeroState at the first step (a vector select here would defeat vectorization)
                (f * Lanes.load(cp + lane) + i * g).store(c + lane)
            }
        }
        // h = o⊙activation(c)
        for row in samples {
            let a = slice(gateValues, width, row: row, time: τ)
            let c = slice(carries, u, row: row, time: τ), ca = slice(activatedCarries, u, row: row, time: τ)
            let h = slice(states, u, row: row, time: τ)
            for lane in stride(from: 0, to: u, by: Lanes.scalarCount) {
                let activated = functions.candidate(Lanes.load(c + lane))
                activated.store(ca + lane)
                (Lanes.load(a + 3 &* u + lane) * activated).store(h + lane)
            }
        }
    }

    func lstmFusedBackwardStep<A: CellActivations>(_ functions: A, _ samples: Range<Int>, time τ: Int, previous: Int?) {
        let u = units, width = gateWidth
        for row in samples {
            let z = UnsafePointer(slice(preactivations, width, row: row, time: τ)), a = slice(gateValues, width, row: row, time: τ)
            let dz = slice(preactivationGradients, width, row: row, time: τ)
            let c = UnsafePointer(slice(carries, u, row: row, time: τ)), ca = slice(activatedCarries, u, row: row, time: τ)
            let cp = UnsafePointer(previous.map { slice(carries, u, row: row, time: $0) } ?? zeroState.base)
            let dh = stateGradient.at(row * u), dc = carryGradient.at(row * u)
            for lane in stride(from: 0, to: u, by: Lanes.scalarCount) {
                let i = Lanes.load(a + lane), f = Lanes.load(a + u + lane)
                let g = Lanes.load(a + 2 &* u + lane), o = Lanes.load(a + 3 &* u + lane)
                let dhl = Lanes.load(dh + lane), activated = Lanes.load(ca + lane)
                // dL/dc = dL/dc from the next step + dh⊙o⊙activation'(c)
                let total = Lanes.load(dc + lane) + functions.candidateDerivative(z: c + lane, activated, dhl * o)
                let df = total * Lanes.load(cp + lane)
                (total * f).store(dc + lane)
                functions.gateDerivative(z: z + lane, i, total * g).store(dz + lane)
                functions.gateDerivative(z: z + u + lane, f, df).store(dz + u + lane)
                functions.candidateDerivative(z: z + 2 &* u + lane, g, total * i).store(dz + 2 &* u + lane)
                functions.gateDerivative(z: z + 3 &* u + lane, o, dhl * activated).store(dz + 3 &* u + lane)
            }
            if previous != nil { recurrentGradient(dz, into: dh, adding: false) } else { dh.update(repeating: 0, count: u) }
        }
    }

    // MARK: GRU reset_after: z, r = σ(x̃·W + b_in + h₋·U + b_r); ĥ = activation(x̃·W_h + b_in,h + r⊙(h₋·U_h + b_r,h)); h = z⊙h₋ + (1 - z)⊙ĥ

    func gruFusedForwardStep<A: CellActivations>(_ functions: A, _ samples: Range<Int>, time τ: Int, previous: Int?, keep: Bool) {
        let u = units, width = gateWidth, kernel = UnsafePointer(recurrentKernel.value.base)
        // b_r, the recurrent bias row (zeros without a bias)
        let recurrentBias = UnsafePointer(bias.map { $0.value.at(width) } ?? zeroGates.base)
        for row in samples {
            let hp = previousState(row: row, time: τ, previous: previous, keep: keep)
            let z = slice(preactivations, width, row: row, time: τ), a = slice(gateValues, width, row: row, time: τ)
            let operand = slice(resetOperand, u, row: row, time: τ), h = slice(states, u, row: row, time: τ)
            for lane in stride(from: 0, to: u, by: Lanes.scalarCount) {
                // h₋·U for the blocks z, r, h of this lane group
                var pz = Lanes(), pr = Lanes(), ph = Lanes()
                if previous != nil {
                    var w = kernel + lane
                    for k in 0..<u {
                        let hk = Lanes(repeating: hp[k])
                        pz += hk * Lanes.load(w)
                        pr += hk * Lanes.load(w + u)
                        ph += hk * Lanes.load(w + 2 &* u)
                        w += width
                    }
                }
                let zz = Lanes.load(z + lane) + (Lanes.load(recurrentBias + lane) + pz)
                let zr = Lanes.load(z + u + lane) + (Lanes.load(recurrentBias + u + lane) + pr)
                let update = functions.gate(zz), reset = functions.gate(zr)
                let candidateOperand = Lanes.load(recurrentBias + 2 &* u + lane) + ph
                let zh = Lanes.load(z + 2 &* u + lane) + reset * candidateOperand
                let candidate = functions.candidate(zh)
                let state = update * Lanes.load(hp + lane) + (1 - update) * candidate
                state.store(h + lane)
                if keep {
                    zz.store(z + lane); zr.store(z + u + lane); zh.store(z + 2 &* u + lane)
                    update.store(a + lane); reset.store(a + u + lane); candidate.store(a + 2 &* u + lane)
                    candidateOperand.store(operand + lane)
                }
            }
        }
    }

    func gruFusedBackwardStep<A: CellActivations>(_ functions: A, _ samples: Range<Int>, time τ: Int, previous: Int?) {
        let u = units, width = gateWidth
        for row in samples {
            let z = UnsafePointer(slice(preactivations, width, row: row, time: τ)), a = slice(gateValues, width, row: row, time: τ)
            let dz = slice(preactivationGradients, width, row: row, time: τ)
            let dr = slice(recurrentProductGradients, width, row: row, time: τ)
            let operand = slice(resetOperand, u, row: row, time: τ)
            let hp = UnsafePointer(previous.map { slice(states, u, row: row, time: $0) } ?? zeroState.base)
            let dh = stateGradient.at(row * u)
            for lane in stride(from: 0, to: u, by: Lanes.scalarCount) {
                let update = Lanes.load(a + lane), reset = Lanes.load(a + u + lane), candidate = Lanes.load(a + 2 &* u + lane)
                let dhl = Lanes.load(dh + lane)
                // h = z⊙h₋ + (1 - z)⊙ĥ
                let dUpdate = dhl * (Lanes.load(hp + lane) - candidate)
                let dCandidate = functions.candidateDerivative(z: z + 2 &* u + lane, candidate, dhl * (1 - update))
                // ĥ's pre-activation = x̃·W_h + b_in,h + r⊙operand
                let dzz = functions.gateDerivative(z: z + lane, update, dUpdate)
                let dzr = functions.gateDerivative(z: z + u + lane, reset, dCandidate * Lanes.load(operand + lane))
                dzz.store(dz + lane); dzr.store(dz + u + lane); dCandidate.store(dz + 2 &* u + lane)
                dzz.store(dr + lane); dzr.store(dr + u + lane); (dCandidate * reset).store(dr + 2 &* u + lane)
                // The part of dL/dh₋ that bypasses U; dR·Uᵀ is added below once every lane group's dR is known.
                (dhl * update).store(dh + lane)
            }
            if previous != nil { recurrentGradient(dr, into: dh, adding: true) }
        }
    }
}
