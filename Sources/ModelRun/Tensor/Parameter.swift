/// One weight tensor of the network, named as the weights file names it (`lstm/kernel`).
///
/// Backward passes run over fixed batch chunks, possibly on several threads; each chunk adds its
/// share into its own gradient buffer and `reduceGradients` sums them in chunk order, so the
/// result does not depend on how many threads ran the chunks.
public final class Parameter: @unchecked Sendable {
    public let name: String
    public let shape: [Int]
    public var trainable: Bool
    public let initializer: String
    public let value: Buffer
    /// The summed gradient of the last backward pass.
    public let gradient: Buffer
    let chunkGradients: [Buffer]

    public init(name: String, shape: [Int], trainable: Bool, initializer: String) {
        self.name = name
        self.shape = shape
        self.trainable = trainable
        self.initializer = initializer
        let count = shape.reduce(1, *)
        value = Buffer(count: count)
        gradient = Buffer(count: count)
        chunkGradients = (0..<BatchChunks.maximumCount).map { _ in Buffer(count: count) }
    }

    public var count: Int { value.count }

    /// The gradient buffer chunk `index` accumulates into (`+=`).
    @inline(__always) public func gradient(chunk index: Int) -> Buffer { chunkGradients[index] }

    func zeroGradients(chunks: Int) {
        for index in 0..<chunks { chunkGradients[index].zero() }
    }

    /// gradient = Σ chunk gradients, in chunk order.
    func reduceGradients(chunks: Int) {
        gradient.copy(from: chunkGradients[0])
        for index in 1..<max(chunks, 1) {
            let source = chunkGradients[index].base
            let target = gradient.base
            for element in 0..<count { target[element] += source[element] }
        }
    }
}
