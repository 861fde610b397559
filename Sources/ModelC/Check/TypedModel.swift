/// A checked model: every layer named, typed and sized. The summary prints it; the executor builds it.
public struct TypedModel: Sendable {
    public var name: String
    /// One sample of the model's input.
    public var input: TensorType
    public var layers: [TypedLayer]
    public var compile: CompileConfig?
    public var fit: FitConfig?
    public var data: DataConfig?

    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }
    public var trainableParameterCount: Int { layers.reduce(0) { $0 + $1.trainableParameterCount } }
    public var nonTrainableParameterCount: Int { parameterCount - trainableParameterCount }

    /// The model's output, one sample.
    public var output: TensorType { layers.last?.output ?? input }
}

/// One checked layer.
public struct TypedLayer: Sendable {
    /// Keras's name: explicit, or automatic (`lstm_1`).
    public var name: String
    public var descriptor: LayerDescriptor
    public var arguments: ResolvedArguments
    public var input: TensorType
    public var output: TensorType
    /// Weights as the weights file names them under this layer (`kernel`, `forward/kernel`).
    public var weights: [WeightDecl]
    public var multiplyAdds: Int?
    public var activation: Activation?
    /// For wrappers, the wrapped layer with the input it sees.
    public var inner: TypedInnerLayer?
    /// Where the layer was written.
    public var range: SourceRange

    public var className: String { descriptor.className }
    public var parameterCount: Int { weights.reduce(0) { $0 + $1.elementCount } }
    public var trainableParameterCount: Int { weights.filter(\.trainable).reduce(0) { $0 + $1.elementCount } }
    /// float32 storage for the weights.
    public var weightBytes: Int { parameterCount * 4 }
}

/// A wrapped layer: its own name, arguments and per-call typing.
public final class TypedInnerLayer: Sendable {
    public let name: String
    public let descriptor: LayerDescriptor
    public let arguments: ResolvedArguments
    public let input: TensorType
    public let typing: LayerTyping
    /// What this wrapped layer wraps in turn (TimeDistributed of a Bidirectional, ...).
    public let inner: TypedInnerLayer?

    init(name: String, descriptor: LayerDescriptor, arguments: ResolvedArguments, input: TensorType, typing: LayerTyping,
         inner: TypedInnerLayer?) {
        self.name = name
        self.descriptor = descriptor
        self.arguments = arguments
        self.input = input
        self.typing = typing
        self.inner = inner
    }
}

/// What `compile` asked for, checked against the catalogues.
public struct CompileConfig: Sendable {
    public var optimizer: Component
    public var loss: Component
    public var metrics: [Metric]

    /// A named thing with checked arguments (an optimizer, a loss, a callback).
    public struct Component: Sendable {
        public var descriptor: ComponentDescriptor
        public var arguments: ResolvedArguments
        public var range: SourceRange
    }

    /// A metric and the name it is logged under (`accuracy`, `val_accuracy`).
    public struct Metric: Sendable {
        public var descriptor: ComponentDescriptor
        public var arguments: ResolvedArguments
        public var loggedName: String
        public var range: SourceRange
    }
}

/// What `fit` asked for.
public struct FitConfig: Sendable {
    public var arguments: ResolvedArguments
    /// Fraction of the training data held out for validation, if any.
    public var validationSplit: Double?
    /// Shuffle with this seed before splitting (else the last rows validate, as Keras's validation_split).
    public var validationSeed: Int?
    /// Hold out the fraction per label.
    public var stratify = false

    public init(arguments: ResolvedArguments, validationSplit: Double? = nil, callbacks: [CompileConfig.Component] = []) {
        self.arguments = arguments
        self.validationSplit = validationSplit
        self.callbacks = callbacks
    }
    public var callbacks: [CompileConfig.Component]

    public var epochs: Int { arguments.int("epochs") }
    public var batchSize: Int { arguments.int("batch_size") }
}
