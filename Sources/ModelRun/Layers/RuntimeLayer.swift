import ModelC

/// One forward or backward pass over a batch.
public struct Pass: Sendable {
    /// Training: dropout active, BatchNormalization on batch statistics; else inference.
    public let training: Bool
    public let chunks: BatchChunks
    public let executor: ChunkExecutor
    /// Seed of this pass's random streams (dropout masks): the run's seed mixed with the step.
    public let seed: UInt64

    public init(training: Bool, batch: Int, executor: ChunkExecutor, seed: UInt64 = 0) {
        self.training = training
        self.chunks = BatchChunks(batch: batch)
        self.executor = executor
        self.seed = seed
    }

    public var batch: Int { chunks.ranges.last?.upperBound ?? 0 }

    /// Runs `body(rows, chunk)` for every chunk of the batch.
    @inline(__always) public func forEachChunk(_ body: (Range<Int>, Int) -> Void) {
        executor.forEachChunk(chunks, body)
    }

    /// A pass over `factor` times as many rows with the same chunk count (TimeDistributed runs its
    /// layer on batch × timesteps rows; chunk c of the inner pass covers chunk c's samples).
    public func scaled(by factor: Int) -> Pass {
        Pass(training: training, chunks: BatchChunks(ranges: chunks.ranges.map { ($0.lowerBound * factor)..<($0.upperBound * factor) }),
             executor: executor, seed: seed)
    }

    init(training: Bool, chunks: BatchChunks, executor: ChunkExecutor, seed: UInt64) {
        self.training = training
        self.chunks = chunks
        self.executor = executor
        self.seed = seed
    }
}

extension BatchChunks {
    init(ranges: [Range<Int>]) {
        self.ranges = ranges
    }
}

/// A layer of the running network. Shapes are per sample and concrete (unknown lengths resolved
/// from the data). Buffers are batch-major with room for `capacity` samples, allocated by `reserve`
/// and reused for every batch: nothing is allocated inside a step. Gradients of the tensors between
/// layers belong to the network, which zeroes them once per step; each layer's backward adds its
/// share into the gradients of the tensors it read (`+=`, as llm.c does), so a tensor read by two
/// layers gets both contributions.
public protocol RuntimeLayer: AnyObject {
    var name: String { get }
    /// The shape of each tensor the layer reads, in call order.
    var inputShapes: [[Int]] { get }
    var outputShape: [Int] { get }
    /// Every weight, own and wrapped, in the order of the layer's weight declarations.
    var parameters: [Parameter] { get }
    /// y: [capacity, outputShape...]
    var output: Buffer { get }

    /// Allocates buffers and workspaces for batches of up to `capacity` samples.
    func reserve(capacity: Int)
    /// Computes `output` from the input tensors (one buffer each) for the pass's batch; in training,
    /// keeps what `backward` needs. The input buffers stay put until the next forward.
    func forward(inputs: [Buffer], _ pass: Pass)
    /// From dL/dy: adds dL/dθ into each parameter's chunk gradient and, for each input whose
    /// gradient buffer is given (nil: not needed), adds dL/dx into it. Must follow a training
    /// `forward` on the same batch.
    func backward(_ outputGradient: Buffer, _ pass: Pass, inputGradients: [Buffer?])
}

/// A layer that reads one tensor: every layer but the merge layers.
public protocol SingleInputLayer: RuntimeLayer {
    var inputShape: [Int] { get }
    /// x: [batch, inputShape...]
    func forward(_ input: Buffer, _ pass: Pass)
    /// Adds dL/dx into `inputGradient` (`+=`) when it is given.
    func backward(_ outputGradient: Buffer, _ pass: Pass, inputGradient: Buffer?)
}

extension SingleInputLayer {
    public var inputShapes: [[Int]] { [inputShape] }

    public func forward(inputs: [Buffer], _ pass: Pass) { forward(inputs[0], pass) }

    public func backward(_ outputGradient: Buffer, _ pass: Pass, inputGradients: [Buffer?]) {
        backward(outputGradient, pass, inputGradient: inputGradients[0])
    }
}

/// A layer whose output is `activation(z)` for a kept pre-activation z (Dense, Conv1D, Activation).
/// Keras computes cross-entropy from z when the model ends in such a sigmoid or softmax (its
/// `_keras_logits`); the trainer then hands this layer dL/dz and sets `outputGradientIsPreactivation`.
public protocol ActivatedLayer: SingleInputLayer {
    var activation: Activation { get }
    /// z: [capacity, outputShape...]
    var preactivation: Buffer { get }
    var outputGradientIsPreactivation: Bool { get set }
    /// dL/dz of a loss on this layer's logits, added after the activation's backward, for a layer
    /// whose output other layers read too (their dL/dy then goes through f' as usual).
    var logitGradient: Buffer? { get set }
}

/// Shared storage for layers: sizes, output and input-gradient buffers.
open class LayerBase {
    public let name: String
    public let inputShape: [Int]
    public let outputShape: [Int]
    /// Values per sample.
    public let inputSize: Int
    public let outputSize: Int
    public private(set) var capacity = 0
    public private(set) var output = Buffer(count: 0)
    /// The input of the last forward pass (the reading tensor's buffer, which stays put until the
    /// next forward), for backward passes that need x.
    public var input = Buffer(count: 0)

    public init(name: String, inputShape: [Int], outputShape: [Int]) {
        self.name = name
        self.inputShape = inputShape
        self.outputShape = outputShape
        inputSize = inputShape.reduce(1, *)
        outputSize = outputShape.reduce(1, *)
    }

    /// Allocates the output, then the subclass's workspaces.
    public func reserve(capacity: Int) {
        guard capacity > self.capacity else { return }
        self.capacity = capacity
        output = Buffer(count: capacity * outputSize)
        reserveWorkspaces(capacity: capacity)
    }

    /// Subclasses allocate their caches here.
    open func reserveWorkspaces(capacity: Int) {}
}

/// What the factory needs to build one runtime layer: the checked layer, made concrete.
public struct LayerBlueprint {
    /// Name prefix of this layer's parameters (`lstm`, or `bidirectional/forward` for a wrapped copy).
    public let name: String
    public let descriptor: LayerDescriptor
    public let arguments: ResolvedArguments
    /// The shape of each tensor the layer reads.
    public let inputShapes: [[Int]]
    public let outputShape: [Int]
    /// The wrapped layer, typed on the input it sees.
    public let inner: InnerBlueprint?
    /// This layer's weights keyed by their declared name (`kernel`, `forward/kernel`).
    public let parameters: [String: Parameter]

    public init(name: String, descriptor: LayerDescriptor, arguments: ResolvedArguments, inputShapes: [[Int]],
                outputShape: [Int], inner: InnerBlueprint?, parameters: [String: Parameter]) {
        self.name = name
        self.descriptor = descriptor
        self.arguments = arguments
        self.inputShapes = inputShapes
        self.outputShape = outputShape
        self.inner = inner
        self.parameters = parameters
    }

    /// The first (for most layers the only) input's shape.
    public var inputShape: [Int] { inputShapes[0] }

    /// The parameter declared as `name`; the catalogue guarantees it exists.
    public func parameter(_ name: String) -> Parameter {
        guard let parameter = parameters[name] else { preconditionFailure("\(self.name) has no weight \(name)") }
        return parameter
    }

    public func optionalParameter(_ name: String) -> Parameter? { parameters[name] }
}

/// A wrapped layer's description, for wrappers to build their inner layers from.
public final class InnerBlueprint {
    public let descriptor: LayerDescriptor
    public let arguments: ResolvedArguments
    public let inputShape: [Int]
    public let outputShape: [Int]
    public let inner: InnerBlueprint?

    init(descriptor: LayerDescriptor, arguments: ResolvedArguments, inputShape: [Int], outputShape: [Int], inner: InnerBlueprint?) {
        self.descriptor = descriptor
        self.arguments = arguments
        self.inputShape = inputShape
        self.outputShape = outputShape
        self.inner = inner
    }

    /// A blueprint for building the wrapped layer with `parameters` (already renamed for it).
    public func blueprint(name: String, parameters: [String: Parameter]) -> LayerBlueprint {
        LayerBlueprint(name: name, descriptor: descriptor, arguments: arguments, inputShapes: [inputShape],
                       outputShape: outputShape, inner: inner, parameters: parameters)
    }
}
