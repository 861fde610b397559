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
/// and reused for every batch: nothing is allocated inside a step.
public protocol RuntimeLayer: AnyObject {
    var name: String { get }
    var inputShape: [Int] { get }
    var outputShape: [Int] { get }
    /// Every weight, own and wrapped, in the order of the layer's weight declarations.
    var parameters: [Parameter] { get }
    /// y: [capacity, outputShape...]
    var output: Buffer { get }
    /// dx: [capacity, inputShape...], valid after `backward` with `computeInputGradient`.
    var inputGradient: Buffer { get }

    /// Allocates buffers and workspaces for batches of up to `capacity` samples.
    func reserve(capacity: Int)
    /// Computes `output` for the pass's batch; in training, keeps what `backward` needs.
    func forward(_ input: Buffer, _ pass: Pass)
    /// From dL/dy: adds dL/dθ into each parameter's chunk gradient (`+=`) and, when asked, writes
    /// dL/dx into `inputGradient`. Must follow a training `forward` on the same batch.
    func backward(_ outputGradient: Buffer, _ pass: Pass, computeInputGradient: Bool)
}

/// A layer whose output is `activation(z)` for a kept pre-activation z (Dense, Conv1D, Activation).
/// Keras computes cross-entropy from z when the model ends in such a sigmoid or softmax (its
/// `_keras_logits`); the trainer then hands this layer dL/dz and sets `outputGradientIsPreactivation`.
public protocol ActivatedLayer: RuntimeLayer {
    var activation: Activation { get }
    /// z: [capacity, outputShape...]
    var preactivation: Buffer { get }
    var outputGradientIsPreactivation: Bool { get set }
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
    public private(set) var inputGradient = Buffer(count: 0)
    /// The input of the last forward pass (the previous layer's output, which stays put until the
    /// next forward), for backward passes that need x.
    public var input = Buffer(count: 0)

    public init(name: String, inputShape: [Int], outputShape: [Int]) {
        self.name = name
        self.inputShape = inputShape
        self.outputShape = outputShape
        inputSize = inputShape.reduce(1, *)
        outputSize = outputShape.reduce(1, *)
    }

    /// Allocates output and input gradient, then the subclass's workspaces.
    public func reserve(capacity: Int) {
        guard capacity > self.capacity else { return }
        self.capacity = capacity
        output = Buffer(count: capacity * outputSize)
        inputGradient = Buffer(count: capacity * inputSize)
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
    public let inputShape: [Int]
    public let outputShape: [Int]
    /// The wrapped layer, typed on the input it sees.
    public let inner: InnerBlueprint?
    /// This layer's weights keyed by their declared name (`kernel`, `forward/kernel`).
    public let parameters: [String: Parameter]

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
        LayerBlueprint(name: name, descriptor: descriptor, arguments: arguments, inputShape: inputShape,
                       outputShape: outputShape, inner: inner, parameters: parameters)
    }
}
