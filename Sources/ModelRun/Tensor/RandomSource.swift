import Foundation

/// SplitMix64: a small, fast, well-mixed generator. Streams are derived from a seed and a path of
/// integers (layer, step, sample, ...), so every random number has a fixed identity: dropout masks
/// and initial weights do not depend on thread count or evaluation order.
public struct RandomSource: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A generator for the stream identified by `path` under `seed`.
    public init(seed: UInt64, path: [UInt64]) {
        var mixed = Self.mix(seed ^ 0x6A09_E667_F3BC_C908)
        for component in path { mixed = Self.mix(mixed ^ Self.mix(component &+ 0x9E37_79B9_7F4A_7C15)) }
        state = mixed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    @inline(__always) static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 24 random bits, the resolution of a float32.
    @inline(__always) public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Uniform in [0, 1) as a double (53 bits).
    @inline(__always) public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// A standard normal draw (Box–Muller on doubles).
    public mutating func nextNormal() -> Double {
        var u = nextUnitDouble()
        while u <= .leastNormalMagnitude { u = nextUnitDouble() }
        let v = nextUnitDouble()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
}
