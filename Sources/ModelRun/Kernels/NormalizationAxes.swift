/// How a normalization layer's `axis` splits one sample: every position is (group g, feature f),
/// where f runs row-major over the feature axes in increasing order (the order of gamma, beta and
/// the moving statistics as Keras broadcasts them) and g over the other axes of the sample.
/// BatchNormalization keeps statistics per feature (reduced over batch and groups); LayerNormalization
/// per group (reduced over features).
struct NormalizationAxes {
    /// Values per feature set: the product of the feature axes' sizes.
    let featureCount: Int
    /// Groups per sample: the product of the other sample axes' sizes.
    let groupCount: Int
    /// The offset within the sample of (g, f): positions[g · featureCount + f].
    let positions: [Int]

    /// sampleShape: one sample's shape (Keras axes 1...n); axes: Keras axes, negative counting from
    /// the end of the batched rank (the catalogue has already refused axis 0 and duplicates).
    init(sampleShape: [Int], axes: [Int?]) {
        let rank = sampleShape.count + 1
        let featureAxes = Set(axes.compactMap { $0 }.map { ($0 < 0 ? $0 + rank : $0) - 1 })
        let groupAxes = (0..<sampleShape.count).filter { !featureAxes.contains($0) }
        let ordered = featureAxes.sorted()
        featureCount = ordered.map { sampleShape[$0] }.reduce(1, *)
        groupCount = groupAxes.map { sampleShape[$0] }.reduce(1, *)
        var strides = [Int](repeating: 1, count: sampleShape.count)
        for axis in stride(from: sampleShape.count - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * sampleShape[axis + 1] }
        /// The offsets of every index over `axes` (row-major), as sums of strides.
        func offsets(_ axes: [Int]) -> [Int] {
            var result = [0]
            for axis in axes {
                result = result.flatMap { base in (0..<sampleShape[axis]).map { base + $0 * strides[axis] } }
            }
            return result
        }
        let featureOffsets = offsets(ordered), groupOffsets = offsets(groupAxes)
        positions = groupOffsets.flatMap { g in featureOffsets.map { g + $0 } }
    }
}
