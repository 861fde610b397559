import ModelC

/// Why a checked model cannot be run on the data it is given.
public struct NetworkError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The runnable model: one runtime layer per checked layer, concrete shapes, all parameters.
public final class Network {
    public let model: TypedModel
    /// One sample's input shape, every size known.
    public let inputShape: [Int]
    public let layers: [RuntimeLayer]
    /// Every weight in model order, named `<layer>/<weight>` as the weights file names them.
    public let parameters: [Parameter]
    public let executor: ChunkExecutor
    public private(set) var capacity = 0

    /// Builds the network; `sampleShape` fills sizes the spec left unknown (from the data).
    public init(model: TypedModel, sampleShape: [Int]? = nil, threads: Int = 1) throws(NetworkError) {
        self.model = model
        executor = ChunkExecutor(threads: threads)
        inputShape = try Self.concreteInput(model.input.shape, sampleShape)
        var current = TensorType(inputShape.map { Optional($0) }, model.input.element)
        var layers: [RuntimeLayer] = []
        var parameters: [Parameter] = []
        for layer in model.layers {
            let typing: LayerTyping
            do {
                typing = try layer.descriptor.rule(LayerInput(arguments: layer.arguments, input: current,
                                                              inner: layer.inner.map(Self.innerLayer)))
            } catch {
                throw NetworkError("\(layer.name) (\(layer.className)) cannot take the data's shape \(current.kerasDescription): \(error)")
            }
            let output = try Self.concrete(typing.output.shape, layer: layer.name)
            var own: [String: Parameter] = [:]
            for (declared, checked) in zip(typing.weights, layer.weights) {
                let parameter = Parameter(name: "\(layer.name)/\(declared.name)", shape: declared.shape,
                                          trainable: checked.trainable, initializer: declared.initializer)
                own[declared.name] = parameter
                parameters.append(parameter)
            }
            let blueprint = LayerBlueprint(
                name: layer.name, descriptor: layer.descriptor, arguments: layer.arguments,
                inputShape: try Self.concrete(current.shape, layer: layer.name), outputShape: output,
                inner: try Self.innerBlueprint(layer.inner, typing.inner),
                parameters: own)
            layers.append(try LayerFactory.make(blueprint))
            current = typing.output
        }
        RecurrentTokenProjection.link(layers)
        self.layers = layers
        self.parameters = parameters
        MatrixMultiply.configure()
    }

    /// Per-sample output shape.
    public var outputShape: [Int] { layers.last?.outputShape ?? inputShape }
    public var inputSize: Int { inputShape.reduce(1, *) }
    public var outputSize: Int { outputShape.reduce(1, *) }

    /// Allocates every layer's buffers for batches of up to `capacity` samples.
    public func reserve(capacity: Int) {
        guard capacity > self.capacity else { return }
        self.capacity = capacity
        for layer in layers { layer.reserve(capacity: capacity) }
    }

    /// x: [batch, input...] → y: [batch, output...] (the last layer's output buffer).
    @discardableResult
    public func forward(_ input: Buffer, _ pass: Pass) -> Buffer {
        precondition(pass.batch <= capacity, "reserve(capacity:) before running a larger batch")
        var current = input
        for layer in layers {
            layer.forward(current, pass)
            current = layer.output
        }
        return current
    }

    /// From dL/dy of the last forward pass: fills every trainable parameter's `gradient` (and the first
    /// layer's `inputGradient` when `inputGradient` is set, for gradient checks).
    public func backward(_ outputGradient: Buffer, _ pass: Pass, inputGradient: Bool = false) {
        let chunks = pass.chunks.count
        for parameter in parameters where parameter.trainable { parameter.zeroGradients(chunks: chunks) }
        var gradient = outputGradient
        for (index, layer) in layers.enumerated().reversed() {
            // An Embedding whose tokens a recurrent layer projects gets its gradient from that layer.
            let inputNeeded = index > 0 ? (layers[index - 1] as? EmbeddingLayer)?.isProjected(pass) != true : inputGradient
            layer.backward(gradient, pass, computeInputGradient: inputNeeded)
            gradient = layer.inputGradient
        }
        for parameter in parameters where parameter.trainable { parameter.reduceGradients(chunks: chunks) }
    }

    // MARK: Shapes

    static func concreteInput(_ declared: [Int?], _ sample: [Int]?) throws(NetworkError) -> [Int] {
        guard let sample else {
            return try concrete(declared, layer: "the input")
        }
        guard sample.count == declared.count else {
            throw NetworkError("the data has samples shaped \(shapeText(sample)) but the spec's input is \(optionalShapeText(declared)); they need the same number of axes")
        }
        for (written, actual) in zip(declared, sample) where written != nil && written != actual {
            throw NetworkError("the data has samples shaped \(shapeText(sample)) but the spec's input is \(optionalShapeText(declared))")
        }
        return sample
    }

    static func concrete(_ shape: [Int?], layer: String) throws(NetworkError) -> [Int] {
        var sizes: [Int] = []
        for size in shape {
            guard let size else {
                throw NetworkError("\(layer) has a size that is unknown until data arrives (\(optionalShapeText(shape))); give data or fix the size in `input`")
            }
            sizes.append(size)
        }
        return sizes
    }

    static func innerLayer(_ typed: TypedInnerLayer) -> InnerLayer {
        InnerLayer(descriptor: typed.descriptor, arguments: typed.arguments, name: typed.name, inner: typed.inner.map(innerLayer))
    }

    static func innerBlueprint(_ typed: TypedInnerLayer?, _ typing: InnerTyping?) throws(NetworkError) -> InnerBlueprint? {
        guard let typed, let typing else { return nil }
        let nested = try innerBlueprint(typed.inner, typing.typing.inner)
        return InnerBlueprint(descriptor: typed.descriptor, arguments: typed.arguments,
                              inputShape: try concrete(typing.input.shape, layer: typed.name),
                              outputShape: try concrete(typing.typing.output.shape, layer: typed.name), inner: nested)
    }
}

func shapeText(_ shape: [Int]) -> String { "(" + shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? ",)" : ")") }

func optionalShapeText(_ shape: [Int?]) -> String {
    "(" + shape.map { $0.map(String.init) ?? "None" }.joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
}
