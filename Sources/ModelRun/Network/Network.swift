import ModelC

/// Why a checked model cannot be run on the data it is given.
public struct NetworkError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The runnable model: the checked graph with one runtime layer per layer, concrete shapes and all
/// parameters. Layers run in the model's order (each after the tensors it reads) and backward in
/// reverse. The gradient of every tensor between layers lives here: zeroed once per step, each
/// reading layer adds its share, so a tensor read by two layers gets both (llm.c's `+=`).
public final class Network {
    public let model: TypedModel
    /// One sample's shape per model input, every size known.
    public let inputShapes: [[Int]]
    /// In the model's order (`model.layers`).
    public let layers: [RuntimeLayer]
    /// What each layer reads.
    public let sources: [[TensorSource]]
    /// The output layers, in the model's output order.
    public let outputs: [Int]
    /// Every weight in Keras's layer order, named `<layer>/<weight>` as the weights file names it.
    public let parameters: [Parameter]
    public let executor: ChunkExecutor
    public private(set) var capacity = 0
    /// The layers reading each layer's output (once per reading edge).
    let consumers: [[Int]]
    /// dL/d(output of each layer): [capacity, outputShape...]; valid after `backward`.
    public private(set) var outputGradients: [Buffer] = []
    /// dL/d(each model input), filled by `backward(inputGradients: true)` (gradient checks).
    public private(set) var inputGradients: [Buffer] = []
    /// The input buffers the layers were last bound to, and the buffers each layer reads.
    private var boundInputs: [Buffer] = []
    private var layerInputs: [[Buffer]] = []
    /// Per layer, whether its output gradient is wanted this step (refilled by each backward).
    private var needsGradient: [Bool]
    /// Per layer, the gradient buffer of each tensor it reads this step (nil: not wanted), refilled
    /// in place so that a step allocates nothing.
    private var edgeGradients: [[Buffer?]]
    /// Each layer's weights and, for Embeddings, the layer itself (looked up once, not per step).
    private let layerParameters: [[Parameter]]
    private let embeddings: [EmbeddingLayer?]
    /// Whether this step's backward also fills `inputGradients`.
    private var wantsInputGradients = false

    /// Builds the network; `sampleShapes` fill sizes the spec left unknown (from the data), one per input.
    public init(model: TypedModel, sampleShapes: [[Int]]? = nil, threads: Int = 1) throws(NetworkError) {
        self.model = model
        executor = ChunkExecutor(threads: threads)
        var shapes: [[Int]] = []
        for (index, input) in model.inputs.enumerated() {
            shapes.append(try Self.concreteInput(input, sampleShapes.map { $0[index] }, several: model.inputs.count > 1))
        }
        inputShapes = shapes
        var types: [TensorSource: TensorType] = [:]
        for (index, input) in model.inputs.enumerated() {
            types[.input(index)] = TensorType(shapes[index].map { Optional($0) }, input.type.element)
        }
        var layers: [RuntimeLayer] = []
        var parameters: [Parameter] = []
        for (index, layer) in model.layers.enumerated() {
            let inputs = layer.sources.map { types[$0]! }
            let typing: LayerTyping
            do {
                typing = try layer.descriptor.rule.derive(LayerInputs(arguments: layer.arguments, types: inputs,
                                                                      sources: layer.sources.map { "from " + model.name(of: $0) },
                                                                      inner: layer.inner.map(Self.innerLayer)))
            } catch {
                let described = inputs.map(\.kerasDescription).joined(separator: " and ")
                throw NetworkError("\(layer.name) (\(layer.className)) cannot take the data's shape \(described): \(error)")
            }
            let output = try Self.concrete(typing.output.shape, layer: layer.name)
            var own: [String: Parameter] = [:]
            for (declared, checked) in zip(typing.weights, layer.weights) {
                let parameter = Parameter(name: "\(layer.name)/\(declared.name)", shape: declared.shape,
                                          trainable: checked.trainable, initializer: declared.initializer)
                own[declared.name] = parameter
                parameters.append(parameter)
            }
            var inputShapes: [[Int]] = []
            for type in inputs { inputShapes.append(try Self.concrete(type.shape, layer: layer.name)) }
            let blueprint = LayerBlueprint(
                name: layer.name, descriptor: layer.descriptor, arguments: layer.arguments,
                inputShapes: inputShapes, outputShape: output,
                inner: try Self.innerBlueprint(layer.inner, typing.inner),
                parameters: own)
            layers.append(try LayerFactory.make(blueprint))
            types[.layer(index)] = typing.output
        }
        self.layers = layers
        // Keras orders `trainable_weights` by `model.layers` (its graph order, not the spec's), and
        // optimizers that number their variables (Nadam's schedule under fit) follow that order.
        let order = model.summaryOrder
        self.parameters = order.flatMap { layers[$0].parameters }
        precondition(self.parameters.count == parameters.count, "every parameter belongs to one layer")
        sources = model.layers.map(\.sources)
        outputs = model.outputs
        consumers = model.layerConsumers
        needsGradient = Array(repeating: false, count: layers.count)
        edgeGradients = sources.map { Array(repeating: nil, count: $0.count) }
        layerParameters = layers.map(\.parameters)
        embeddings = layers.map { $0 as? EmbeddingLayer }
        RecurrentTokenProjection.link(self)
        MatrixMultiply.configure()
    }

    /// Builds a single-input network (`sampleShape` for its one input).
    public convenience init(model: TypedModel, sampleShape: [Int]?, threads: Int = 1) throws(NetworkError) {
        try self.init(model: model, sampleShapes: sampleShape.map { [$0] }, threads: threads)
    }

    public var inputShape: [Int] { inputShapes[0] }
    public var inputSize: Int { inputShapes[0].reduce(1, *) }
    public var inputSizes: [Int] { inputShapes.map { $0.reduce(1, *) } }
    /// Per-sample shape of each output.
    public var outputShapes: [[Int]] { outputs.map { layers[$0].outputShape } }
    /// The first output's per-sample shape and size.
    public var outputShape: [Int] { outputShapes[0] }
    public var outputSize: Int { outputShape.reduce(1, *) }
    /// The output layers' names, in output order.
    public var outputNames: [String] { outputs.map { layers[$0].name } }

    /// Output `index` of the last forward pass: [batch, outputShapes[index]...].
    public func output(_ index: Int) -> Buffer { layers[outputs[index]].output }

    /// Allocates every layer's buffers for batches of up to `capacity` samples.
    public func reserve(capacity: Int) {
        guard capacity > self.capacity else { return }
        self.capacity = capacity
        for layer in layers { layer.reserve(capacity: capacity) }
        outputGradients = layers.map { Buffer(count: capacity * $0.outputShape.reduce(1, *)) }
        inputGradients = inputSizes.map { Buffer(count: capacity * $0) }
        boundInputs = []
    }

    /// Points every layer at the buffers it reads (only when the input buffers change).
    private func bind(_ inputs: [Buffer]) {
        if inputs.count == boundInputs.count, zip(inputs, boundInputs).allSatisfy({ $0 === $1 }) { return }
        precondition(inputs.count == inputShapes.count, "the network has \(inputShapes.count) inputs")
        boundInputs = inputs
        layerInputs = sources.map { reads in
            reads.map { source in
                switch source {
                case .input(let index): inputs[index]
                case .layer(let index): layers[index].output
                }
            }
        }
    }

    /// xᵢ: [batch, inputShapes[i]...] for each input → every layer's output.
    public func forward(inputs: [Buffer], _ pass: Pass) {
        precondition(pass.batch <= capacity, "reserve(capacity:) before running a larger batch")
        bind(inputs)
        for (index, layer) in layers.enumerated() { layer.forward(inputs: layerInputs[index], pass) }
    }

    /// A single-input network: x → the first output (its layer's output buffer).
    @discardableResult
    public func forward(_ input: Buffer, _ pass: Pass) -> Buffer {
        forward(inputs: [input], pass)
        return output(0)
    }

    /// Starts a backward pass: zeroes the gradients of the tensors that need one and every trainable
    /// parameter's chunk gradients. The losses then set dL/dy of the outputs
    /// (`outputGradients[outputs[i]]`, which nothing has added to yet) before `backward` runs.
    /// `inputGradients` also asks for dL/dx of the model's inputs (gradient checks).
    public func beginBackward(_ pass: Pass, inputGradients wantInputs: Bool = false) {
        let chunks = pass.chunks.count
        for parameter in parameters where parameter.trainable { parameter.zeroGradients(chunks: chunks) }
        wantsInputGradients = wantInputs
        for index in layers.indices {
            // A layer's output needs a gradient when it or anything it reads has a trainable weight
            // (or when the inputs' gradients are wanted).
            needsGradient[index] = wantInputs || layerParameters[index].contains(where: \.trainable) || sources[index].contains { source in
                if case .layer(let producer) = source { return needsGradient[producer] }
                return false
            }
            // A projected Embedding's gradient goes through its reader's token table instead.
            if let embedding = embeddings[index], embedding.isProjected(pass) { continue }
            if needsGradient[index] { outputGradients[index].zero(from: 0, count: pass.batch * layers[index].outputShape.reduce(1, *)) }
        }
        if wantInputs {
            for (index, gradient) in inputGradients.enumerated() { gradient.zero(from: 0, count: pass.batch * inputSizes[index]) }
        }
    }

    /// Backward through every layer in reverse order, after `beginBackward` and the losses: fills
    /// each trainable parameter's `gradient`, and the inputs' `inputGradients` when asked.
    public func backward(_ pass: Pass) {
        for index in layers.indices.reversed() where needsGradient[index] {
            for (edge, source) in sources[index].enumerated() {
                switch source {
                case .input(let input):
                    edgeGradients[index][edge] = wantsInputGradients ? inputGradients[input] : nil
                case .layer(let producer):
                    // An Embedding whose tokens a recurrent layer projects gets its gradient from that layer.
                    let projected = embeddings[producer]?.isProjected(pass) == true
                    edgeGradients[index][edge] = needsGradient[producer] && !projected ? outputGradients[producer] : nil
                }
            }
            layers[index].backward(outputGradients[index], pass, inputGradients: edgeGradients[index])
        }
        let chunks = pass.chunks.count
        for parameter in parameters where parameter.trainable { parameter.reduceGradients(chunks: chunks) }
    }

    /// From dL/dy of a single-output network's last forward pass: fills every trainable parameter's
    /// `gradient` (and `inputGradients` when `inputGradient` is set, for gradient checks).
    public func backward(_ outputGradient: Buffer, _ pass: Pass, inputGradient: Bool = false) {
        beginBackward(pass, inputGradients: inputGradient)
        let output = outputs[0]
        outputGradients[output].copy(from: outputGradient, count: pass.batch * layers[output].outputShape.reduce(1, *))
        backward(pass)
    }

    // MARK: Shapes

    static func concreteInput(_ input: ModelInput, _ sample: [Int]?, several: Bool) throws(NetworkError) -> [Int] {
        let declared = input.type.shape
        let what = several ? "input '\(input.name)'" : "the spec's input"
        guard let sample else {
            return try concrete(declared, layer: several ? "input '\(input.name)'" : "the input")
        }
        guard sample.count == declared.count else {
            throw NetworkError("the data has samples shaped \(shapeText(sample)) but \(what) is \(optionalShapeText(declared)); they need the same number of axes")
        }
        for (written, actual) in zip(declared, sample) where written != nil && written != actual {
            throw NetworkError("the data has samples shaped \(shapeText(sample)) but \(what) is \(optionalShapeText(declared))")
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
