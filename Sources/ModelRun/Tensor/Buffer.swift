/// Float32 storage allocated once and reused for every batch: workspaces, activations, gradients.
/// Rows of a batch are contiguous (batch-major), so a batch chunk is a contiguous row range.
public final class Buffer: @unchecked Sendable {
    public let count: Int
    public let base: UnsafeMutablePointer<Float>

    public init(count: Int) {
        self.count = max(count, 0)
        base = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
        base.initialize(repeating: 0, count: max(count, 1))
    }

    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        if !values.isEmpty { values.withUnsafeBufferPointer { base.update(from: $0.baseAddress!, count: values.count) } }
    }

    deinit { base.deallocate() }

    public subscript(index: Int) -> Float {
        get { base[index] }
        set { base[index] = newValue }
    }

    /// A pointer to element `offset`.
    @inline(__always) public func at(_ offset: Int) -> UnsafeMutablePointer<Float> { base + offset }

    public func zero() { base.update(repeating: 0, count: count) }

    public func zero(from start: Int, count length: Int) { (base + start).update(repeating: 0, count: length) }

    public func copy(from other: Buffer, count length: Int? = nil) {
        base.update(from: other.base, count: length ?? min(count, other.count))
    }

    /// Whether no element is NaN or infinite: the largest exponent field stays below all ones. An
    /// integer max reduces in any order, so the loop vectorizes (a float sum would be one long chain).
    public var isFinite: Bool {
        var largest: UInt32 = 0
        base.withMemoryRebound(to: UInt32.self, capacity: count) { bits in
            for index in 0..<count { largest = Swift.max(largest, bits[index] & 0x7F80_0000) }
        }
        return largest < 0x7F80_0000
    }

    public var array: [Float] { Array(UnsafeBufferPointer(start: base, count: count)) }

    public func array(count length: Int) -> [Float] { Array(UnsafeBufferPointer(start: base, count: min(length, count))) }
}
