/// A checked model: every layer named, typed and sized, as a graph of tensors. A Sequential spec is
/// the chain special case: one input, each layer reading the one before, the last one the output.
/// The summary prints it; the executor builds it.
public struct TypedModel: Sendable {
    public var name: String
    /// True for a spec written with `inputs:` (Keras's functional API); its summary has an
    /// InputLayer row per input.
    public var isFunctional: Bool
    /// The model's inputs in order. A Sequential model has one, named as Keras names it
    /// (`<first layer>_input`).
    public var inputs: [ModelInput]
    /// Every layer of the model in an order where each comes after the tensors it reads (the
    /// spec's order); layers no output depends on are not part of the model, as in Keras.
    public var layers: [TypedLayer]
    /// The output layers (indices into `layers`) in the model's output order.
    public var outputs: [Int]
    public var compile: CompileConfig?
    public var fit: FitConfig?
    public var data: DataConfig?
    /// True when the spec gave no `name:` and the model has Keras 2's default ("sequential" or
    /// "model"); Keras 3 names an unnamed functional model differently ("functional").
    public var nameIsDefault = false

    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }
    public var trainableParameterCount: Int { layers.reduce(0) { $0 + $1.trainableParameterCount } }
    public var nonTrainableParameterCount: Int { parameterCount - trainableParameterCount }

    /// The first input, one sample (the only one of a Sequential model).
    public var input: TensorType { inputs[0].type }

    /// The first output, one sample.
    public var output: TensorType { layers[outputs[0]].output }

    /// The type of a tensor of this model.
    public func type(of tensor: TensorSource) -> TensorType {
        switch tensor {
        case .input(let index): inputs[index].type
        case .layer(let index): layers[index].output
        }
    }

    /// The input's or layer's name.
    public func name(of tensor: TensorSource) -> String {
        switch tensor {
        case .input(let index): inputs[index].name
        case .layer(let index): layers[index].name
        }
    }

    /// The layers that read `tensor`, once per reading edge, in model order.
    public func consumers(of tensor: TensorSource) -> [Int] {
        layers.indices.flatMap { index in layers[index].sources.filter { $0 == tensor }.map { _ in index } }
    }

    /// `consumers(of: .layer(i))` for every layer i, in one pass over the edges (calling it per
    /// layer visits every layer for each, quadratic in a 10,000-layer model).
    public var layerConsumers: [[Int]] {
        var consumers = Array(repeating: [Int](), count: layers.count)
        for (index, layer) in layers.enumerated() {
            for case .layer(let producer) in layer.sources { consumers[producer].append(index) }
        }
        return consumers
    }
}

/// A tensor of the graph: a model input or a layer's output.
public enum TensorSource: Sendable, Hashable {
    case input(Int)
    case layer(Int)
}

/// One input of a model.
public struct ModelInput: Sendable {
    /// The input layer's name (the `inputs:` key).
    public var name: String
    /// One sample: token ids when an Embedding reads it (or `dtype: int32`), float32 otherwise.
    public var type: TensorType
    /// Where the input was declared.
    public var range: SourceRange

    public init(name: String, type: TensorType, range: SourceRange) {
        self.name = name
        self.type = type
        self.range = range
    }
}

/// One checked layer.
public struct TypedLayer: Sendable {
    /// Keras's name: explicit, or automatic (`lstm_1`).
    public var name: String
    public var descriptor: LayerDescriptor
    public var arguments: ResolvedArguments
    /// The tensors the layer reads, in call order (one, or a merge layer's list).
    public var sources: [TensorSource]
    /// The types of those tensors, one sample each.
    public var inputs: [TensorType]
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
    /// input_dim of the Embedding this layer is or wraps (TimeDistributed(Embedding)), the bound of
    /// the token ids it reads; nil for other layers.
    public var embeddingInputDim: Int? {
        if descriptor.kind == .embedding { return arguments.optionalInt("input_dim") }
        var inner = self.inner
        while let current = inner {
            if current.descriptor.kind == .embedding { return current.arguments.optionalInt("input_dim") }
            inner = current.inner
        }
        return nil
    }
    /// The first (for most layers the only) input.
    public var input: TensorType { inputs[0] }
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
    /// What each model output is trained and measured with, in the model's output order.
    public var outputs: [OutputObjective]

    public init(optimizer: Component, outputs: [OutputObjective]) {
        self.optimizer = optimizer
        self.outputs = outputs
    }

    /// Every metric in the order Keras logs them: each output's, in output order.
    public var metrics: [Metric] { outputs.flatMap(\.metrics) }

    /// The first output's loss (a model with one output has exactly one).
    public var loss: Component { outputs.compactMap(\.loss)[0] }

    /// The names Keras logs per epoch, as Keras 2 names them: `loss`, then with several outputs
    /// `<output>_loss` for each output with a loss, then the metrics (`accuracy`, or `<output>_accuracy`).
    public var loggedNames: [String] {
        ["loss"] + outputs.compactMap(\.lossLoggedName) + metrics.map(\.loggedName)
    }

    /// A named thing with checked arguments (an optimizer, a loss, a callback).
    public struct Component: Sendable {
        public var descriptor: ComponentDescriptor
        public var arguments: ResolvedArguments
        public var range: SourceRange
        /// The name as the spec wrote it (`mse`), when written as a name; Keras files keep it so.
        public var spelling: String? = nil
        /// Arguments written as a learning-rate schedule (an optimizer's `learning_rate`,
        /// LearningRateScheduler's `schedule`), by argument name.
        public var schedules: [String: Component] = [:]
    }

    /// A metric and the name it is logged under (`accuracy`, `val_accuracy`).
    public struct Metric: Sendable {
        public var descriptor: ComponentDescriptor
        public var arguments: ResolvedArguments
        public var loggedName: String
        public var range: SourceRange
        public var spelling: String? = nil
        /// Listed under `weighted_metrics`: it weighs each sample by its sample_weight (or class_weight),
        /// where `metrics` count every sample once, as Keras does.
        public var weighted = false
    }

    /// One output's loss, its weight in the total and its metrics.
    public struct OutputObjective: Sendable {
        /// The output layer's name.
        public var name: String
        /// Nil when `loss` is a mapping that leaves this output out: it is then not trained.
        public var loss: Component?
        /// Its weight in the total loss (`loss_weights`), 1 by default.
        public var weight: Double
        public var metrics: [Metric]
        /// `<output>_loss` when the model has several outputs, as Keras logs each one unweighted.
        public var lossLoggedName: String?

        public init(name: String, loss: Component?, weight: Double = 1, metrics: [Metric] = [], lossLoggedName: String? = nil) {
            self.name = name
            self.loss = loss
            self.weight = weight
            self.metrics = metrics
            self.lossLoggedName = lossLoggedName
        }
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

    /// `class_weight`: the weight of class i's training samples (keys 0 … n−1, as Keras requires).
    public var classWeights: [Double]?

    public init(arguments: ResolvedArguments, validationSplit: Double? = nil, callbacks: [CompileConfig.Component] = []) {
        self.arguments = arguments
        self.validationSplit = validationSplit
        self.callbacks = callbacks
    }
    public var callbacks: [CompileConfig.Component]

    public var epochs: Int { arguments.int("epochs") }
    public var batchSize: Int { arguments.int("batch_size") }
}
