/// Elementwise loops the layers share.
enum Elementwise {
    /// target[i] += source[i] for `count` values: how a layer adds its share into a gradient.
    @inline(__always)
    static func add(_ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { target[i] += source[i] }
    }
}
