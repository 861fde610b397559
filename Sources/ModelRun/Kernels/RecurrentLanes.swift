import ModelC

/// The float32 lanes the fused recurrent step kernels compute in, one vector register: eight
/// lanes where the build enables AVX2 (release builds on x86-64, see Package.swift), else four
/// (SSE). Every lane computes the same operations whatever the width, so results do not depend on
/// it. Concrete SIMD types, not generics: only those compile to vector instructions.
#if MODELRUN_AVX2
typealias Lanes = SIMD8<Float>
#else
typealias Lanes = SIMD4<Float>
#endif

extension Lanes {
    @inline(__always) static func load(_ source: UnsafePointer<Float>) -> Lanes {
        UnsafeRawPointer(source).loadUnaligned(as: Lanes.self)
    }

    @inline(__always) static func load(_ source: UnsafeMutablePointer<Float>) -> Lanes {
        UnsafeRawPointer(source).loadUnaligned(as: Lanes.self)
    }

    @inline(__always) func store(_ target: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(target).storeBytes(of: self, as: Lanes.self)
    }

    /// Copies `count` floats a register at a time: the per-timestep rows here are a few dozen
    /// floats, too short for a `memmove` call to pay off.
    @inline(__always) static func copy(from source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
        var index = 0
        while index &+ scalarCount <= count {
            load(source + index).store(target + index)
            index &+= scalarCount
        }
        while index < count {
            target[index] = source[index]
            index &+= 1
        }
    }

    /// The lanes' bit patterns (as Int32, whose wrapping arithmetic gives the same bits as UInt32's).
    @inline(__always) var bits: MaskStorage { unsafeBitCast(self, to: MaskStorage.self) }
    @inline(__always) init(bits: MaskStorage) { self = unsafeBitCast(bits, to: Lanes.self) }
}

extension RecurrentMath {
    /// `exp` lane by lane, the same operations in the same order (so bit-identical per lane).
    @inline(__always) static func exp(_ x: Lanes) -> Lanes {
        // min(max(x, -87), 88) as Swift.max/min decide it: NaN passes through.
        var clamped = x.replacing(with: -87, where: x .<= -87)
        clamped.replace(with: 88, where: clamped .> 88)
        let shifter = Lanes(repeating: 12_582_912)
        let shifted = clamped * 1.442_695_04 + shifter
        let n = shifted - shifter
        let r = (clamped - n * 0.693_359_375) + n * 2.121_944_4e-4
        var p = Lanes(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        let er = p * (r * r) + r + 1
        let scale = Lanes(bits: (shifted.bits &- 0x4B40_0000 &+ 127) &<< 23)
        return er * scale
    }

    @inline(__always) static func sigmoid(_ x: Lanes) -> Lanes {
        1 / (1 + exp(-x))
    }

    /// `tanh` lane by lane, bit-identical to the scalar form.
    @_transparent static func tanh(_ x: Lanes) -> Lanes {
        var clamped = x.replacing(with: -9, where: x .<= -9)
        clamped.replace(with: 9, where: clamped .> 9)
        let s = clamped * clamped
        var p = Lanes(repeating: 1.335_488_2e-8)
        p = p * s + 2.060_926_8e-5
        p = p * s + 3.495_600_8e-3
        p = p * s + 1.338_103_7e-1
        p = p * s + 1
        var q = Lanes(repeating: 7.776_656e-7)
        q = q * s + 3.285_654_5e-4
        q = q * s + 2.587_703_2e-2
        q = q * s + 4.671_435_4e-1
        q = q * s + 1
        return clamped * p / q
    }

    /// y = f(z) lane by lane for an elementwise activation (sigmoid and tanh vectorized, others
    /// through Keras's reference kernel).
    @inline(__always) static func activate(_ function: Activation, _ z: Lanes) -> Lanes {
        switch function {
        case .sigmoid: sigmoid(z)
        case .tanh: tanh(z)
        default: referenceActivate(function, z)
        }
    }

    @inline(never) static func referenceActivate(_ function: Activation, _ z: Lanes) -> Lanes {
        var zs = z, y = Lanes()
        withUnsafePointer(to: &zs) { zp in
            withUnsafeMutablePointer(to: &y) { yp in
                zp.withMemoryRebound(to: Float.self, capacity: Lanes.scalarCount) { zf in
                    yp.withMemoryRebound(to: Float.self, capacity: Lanes.scalarCount) { yf in
                        ActivationKernels.forward(function, z: zf, y: yf, count: Lanes.scalarCount, width: Lanes.scalarCount)
                    }
                }
            }
        }
        return y
    }

    /// dy ⊙ f'(z) lane by lane, from y = f(z), as `differentiate` computes it; z (at `z`) is read
    /// only by activations whose derivative needs it.
    @inline(__always) static func differentiate(_ function: Activation, z: UnsafePointer<Float>, _ y: Lanes, _ dy: Lanes) -> Lanes {
        switch function {
        case .sigmoid: dy * (y * (1 - y))
        case .tanh: dy * (1 - y * y)
        default: referenceDifferentiate(function, Lanes.load(z), y, dy)
        }
    }

    @inline(never) static func referenceDifferentiate(_ function: Activation, _ z: Lanes, _ y: Lanes, _ dy: Lanes) -> Lanes {
        var zs = z, ys = y, dz = dy
        withUnsafePointer(to: &zs) { zp in
            withUnsafePointer(to: &ys) { yp in
                withUnsafeMutablePointer(to: &dz) { dp in
                    zp.withMemoryRebound(to: Float.self, capacity: Lanes.scalarCount) { zf in
                        yp.withMemoryRebound(to: Float.self, capacity: Lanes.scalarCount) { yf in
                            dp.withMemoryRebound(to: Float.self, capacity: Lanes.scalarCount) { df in
                                ActivationKernels.backward(function, z: zf, y: yf, dy: df, dz: df, count: Lanes.scalarCount, width: Lanes.scalarCount)
                            }
                        }
                    }
                }
            }
        }
        return dz
    }
}

/// A recurrent cell's two activations, applied to lanes. The fused steps are generic over it so
/// the Keras defaults (σ for gates, tanh for candidates and outputs) compile to straight-line
/// vector code; any other elementwise pair goes through `AnyCellActivations`.
protocol CellActivations {
    /// The gates' activation (`recurrent_activation`).
    func gate(_ z: Lanes) -> Lanes
    /// The candidate's and output's activation (`activation`).
    func candidate(_ z: Lanes) -> Lanes
    /// dy ⊙ f'(z) from y = f(z) (z read only when needed).
    func gateDerivative(z: UnsafePointer<Float>, _ y: Lanes, _ dy: Lanes) -> Lanes
    func candidateDerivative(z: UnsafePointer<Float>, _ y: Lanes, _ dy: Lanes) -> Lanes
}

/// σ gates, tanh candidate: Keras's defaults.
struct DefaultCellActivations: CellActivations {
    @inline(__always) func gate(_ z: Lanes) -> Lanes { RecurrentMath.sigmoid(z) }
    @inline(__always) func candidate(_ z: Lanes) -> Lanes { RecurrentMath.tanh(z) }
    @inline(__always) func gateDerivative(z: UnsafePointer<Float>, _ y: Lanes, _ dy: Lanes) -> Lanes {
        dy * (y * (1 - y))
    }
    @inline(__always) func candidateDerivative(z: UnsafePointer<Float>, _ y: Lanes, _ dy: Lanes) -> Lanes {
        dy * (1 - y * y)
    }
}

/// Any elementwise pair, chosen at run time.
struct AnyCellActivations: CellActivations {
    let recurrentActivation: Activation
    let activation: Activation

    @inline(__always) func gate(_ z: Lanes) -> Lanes { RecurrentMath.activate(recurrentActivation, z) }
    @inline(__always) func candidate(_ z: Lanes) -> Lanes { RecurrentMath.activate(activation, z) }
    @inline(__always) func gateDerivative(z: UnsafePointer<Float>, _ y: Lanes, _ dy: Lanes) -> Lanes {
        RecurrentMath.differentiate(recurrentActivation, z: z, y, dy)
    }
    @inline(__always) func candidateDerivative(z: UnsafePointer<Float>, _ y: Lanes, _ dy: Lanes) -> Lanes {
        RecurrentMath.differentiate(activation, z: z, y, dy)
    }
}
