/// What flows between layers: one sample's shape (the batch axis left out) and its element type.
public struct TensorType: Sendable, Equatable {
    public enum Element: Sendable, Equatable {
        /// Integer token ids, what Embedding looks up.
        case tokenIDs
        /// float32 features.
        case float
    }

    /// Sizes without the batch axis; nil marks a size unknown until data arrives.
    public var shape: [Int?]
    public var element: Element

    public init(_ shape: [Int?], _ element: Element = .float) {
        self.shape = shape
        self.element = element
    }

    /// As Keras prints an output shape, batch axis included: `(None, 100, 16)`.
    public var kerasDescription: String {
        let sizes = ["None"] + shape.map { $0.map(String.init) ?? "None" }
        return "(" + sizes.joined(separator: ", ") + (sizes.count == 1 ? ",)" : ")")
    }

    /// Rank counting the batch axis, as Keras's "expected ndim=3" does.
    public var kerasRank: Int { shape.count + 1 }

    /// Product of all sizes, nil if any is unknown.
    public func elementCount() throws(ShapeError) -> Int? {
        var total = 1
        for size in shape {
            guard let size else { return nil }
            total = try checkedProduct(total, size)
        }
        return total
    }
}

/// One weight tensor a layer owns, named and laid out as Keras stores it.
public struct WeightDecl: Sendable, Equatable {
    /// Keras's name (`kernel`, `recurrent_kernel`, `bias`, `embeddings`, `gamma`, ...);
    /// wrappers prefix it (`forward/kernel`).
    public var name: String
    public var shape: [Int]
    public var trainable: Bool
    /// Keras initializer name, as the runtime will draw it.
    public var initializer: String
    /// The argument that chose the initializer (`kernel_initializer`), for messages.
    public var initializerArgument: String

    public init(_ name: String, _ shape: [Int], trainable: Bool = true, initializer: String, initializerArgument: String) {
        self.name = name
        self.shape = shape
        self.trainable = trainable
        self.initializer = initializer
        self.initializerArgument = initializerArgument
    }

    /// A weight initialized as the layer's `argument` says.
    public init(_ name: String, _ shape: [Int], trainable: Bool = true, initializedBy argument: String, _ arguments: ResolvedArguments) {
        self.init(name, shape, trainable: trainable, initializer: arguments.string(argument), initializerArgument: argument)
    }

    /// Why Keras would refuse this weight's initializer for its shape, if it would.
    public var initializerProblem: String? {
        switch initializer {
        case "identity" where shape.count != 2:
            "identity initializes only 2-D weights, but \(name) is \(shape)"
        case "orthogonal" where shape.count < 2:
            "orthogonal initializes only weights of 2 or more dimensions, but \(name) is \(shape)"
        default:
            nil
        }
    }

    public var elementCount: Int { shape.reduce(1, *) }
}

/// A layer's typing for one input: what its shape rule derives.
public struct LayerTyping: Sendable {
    public var output: TensorType
    public var weights: [WeightDecl]
    /// Multiply-adds of weight products for one sample; nil when a length is unknown.
    public var multiplyAdds: Int?
    /// The activation applied last, when the layer applies one (for loss/output checks).
    public var activation: Activation?
    /// The wrapped layer's typing, for wrappers.
    public var inner: InnerTyping?
    /// What the runtime allocates besides the output (memory estimate); nil when a size is unknown.
    public var workspace: Workspace?

    public init(output: TensorType, weights: [WeightDecl] = [], multiplyAdds: Int? = 0,
                activation: Activation? = nil, inner: InnerTyping? = nil, workspace: Workspace? = .nothing) {
        self.output = output
        self.weights = weights
        self.multiplyAdds = multiplyAdds
        self.activation = activation
        self.inner = inner
        self.workspace = workspace
    }
}

/// A wrapped layer as its wrapper sees it: the input it gets (per timestep for TimeDistributed) and its typing.
public final class InnerTyping: Sendable {
    public let input: TensorType
    public let typing: LayerTyping

    public init(input: TensorType, typing: LayerTyping) {
        self.input = input
        self.typing = typing
    }
}

/// The wrapped layer, as a wrapper's shape rule can use it (itself possibly a wrapper).
public final class InnerLayer: Sendable {
    public let descriptor: LayerDescriptor
    public let arguments: ResolvedArguments
    /// The wrapped layer's own auto or explicit name (used in messages).
    public let name: String
    /// What this layer wraps in turn, for nested wrappers.
    public let inner: InnerLayer?

    public init(descriptor: LayerDescriptor, arguments: ResolvedArguments, name: String, inner: InnerLayer?) {
        self.descriptor = descriptor
        self.arguments = arguments
        self.name = name
        self.inner = inner
    }

    /// Types the wrapped layer on `input`.
    public func typing(_ input: TensorType) throws(ShapeError) -> LayerTyping {
        try descriptor.rule.derive(LayerInputs(arguments: arguments, types: [input], sources: [], inner: inner))
    }
}

/// Everything a shape rule reads: the arguments and the type of every tensor the layer is called
/// on, in order (one for most layers, a list for merge layers), as Keras's `compute_output_shape`
/// takes a shape or a list of shapes.
public struct LayerInputs: Sendable {
    public let arguments: ResolvedArguments
    public let types: [TensorType]
    /// Where each input comes from, for messages: `from lstm`, `from the input`; empty when unknown.
    public let sources: [String]
    public let inner: InnerLayer?

    public init(arguments: ResolvedArguments, types: [TensorType], sources: [String], inner: InnerLayer?) {
        self.arguments = arguments
        self.types = types
        self.sources = sources
        self.inner = inner
    }

    /// `from lstm` for input `index`, or `from input index` when sources are unknown.
    public func source(_ index: Int) -> String {
        index < sources.count ? sources[index] : "from input \(index + 1)"
    }
}

/// How many tensors a layer reads; the checker enforces it before the shape rule runs.
public enum Arity: Sendable, Equatable {
    /// One tensor, as every layer but the merge layers.
    case one
    /// A list of at least this many (Keras's merge layers take a list of one or more).
    case atLeast(Int)
    /// A list of exactly this many (Subtract, Dot).
    case exactly(Int)

    public func accepts(_ count: Int) -> Bool {
        switch self {
        case .one: count == 1
        case .atLeast(let minimum): count >= minimum
        case .exactly(let exact): count == exact
        }
    }

    /// True for layers that take a list of tensors.
    public var takesList: Bool { self != .one }
}

/// A layer's shape rule: what it derives from the list of its input types, and how many it takes.
public struct ShapeRule: Sendable {
    public let arity: Arity
    public let derive: @Sendable (LayerInputs) throws(ShapeError) -> LayerTyping

    public init(arity: Arity, _ derive: @escaping @Sendable (LayerInputs) throws(ShapeError) -> LayerTyping) {
        self.arity = arity
        self.derive = derive
    }
}

/// The rule of a layer that reads one tensor, written on that tensor alone.
public func single(_ rule: @escaping @Sendable (LayerInput) throws(ShapeError) -> LayerTyping) -> ShapeRule {
    ShapeRule(arity: .one) { inputs throws(ShapeError) in
        guard let first = inputs.types.first else { throw .message("needs an input") }
        return try rule(LayerInput(arguments: inputs.arguments, input: first, inner: inputs.inner))
    }
}

/// What a one-input shape rule reads.
public struct LayerInput: Sendable {
    public let arguments: ResolvedArguments
    public let input: TensorType
    public let inner: InnerLayer?

    public init(arguments: ResolvedArguments, input: TensorType, inner: InnerLayer?) {
        self.arguments = arguments
        self.input = input
        self.inner = inner
    }

    public var shape: [Int?] { input.shape }
}

/// The roles the checker needs to know about beyond shapes.
public enum LayerTrait: Sendable, Hashable {
    /// SimpleRNN, LSTM, GRU: what Bidirectional accepts, and what `return_sequences` hints name.
    case recurrent
    /// Bidirectional, TimeDistributed: takes `layer:`.
    case wrapper
    /// Embedding: looks up token ids, so it must come first.
    case tokenLookup
    /// Keeps the time axis out of its output unless told otherwise (for hints).
    case collapsesTime
    /// Concatenate, Add, ..., Dot: reads a list of tensors.
    case merge
}

/// Which layer implementation the runtime builds; one case per catalogue entry.
public enum LayerKind: String, Sendable, CaseIterable {
    case embedding, dense, simpleRNN, lstm, gru, bidirectional, timeDistributed
    case dropout, spatialDropout1D, flatten, activation, reshape, repeatVector
    case conv1D, maxPooling1D, averagePooling1D, globalMaxPooling1D, globalAveragePooling1D
    case batchNormalization, layerNormalization
    case concatenate, add, subtract, multiply, average, maximum, minimum, dot
}

/// One layer class, declared once: its arguments, shorthand binding, shape rule and weights.
/// The checker, the summary, the reference in Grammar.md and the runtime all read this.
public struct LayerDescriptor: Sendable {
    public let kind: LayerKind
    /// Keras's class name, as the summary prints it.
    public let className: String
    /// Other class names Keras accepts for the same layer (`MaxPool1D`).
    public let aliases: [String]
    public let doc: String
    /// Layer-specific arguments in Keras's order; `LayerDescriptor.commonArguments` apply to all.
    public let ownArguments: [ArgumentDecl]
    /// Argument names the shorthand's bare values fill, in order.
    public let positional: [String]
    /// Choice arguments whose values the shorthand accepts as bare words (`relu`, `same`).
    public let words: [String]
    public let traits: Set<LayerTrait>
    /// Derives output, weights and cost from the arguments and the inputs.
    public let rule: ShapeRule
    /// Shorthand examples for Grammar.md, each with its keyword-form meaning checked by tests.
    public let examples: [String]
    /// How Keras's config writes this layer (keys modelc fixes at Keras's default), for export and import.
    public let keras: KerasForm

    public init(kind: LayerKind, className: String, aliases: [String] = [], doc: String,
                arguments: [ArgumentDecl], positional: [String] = [], words: [String] = [],
                traits: Set<LayerTrait> = [], examples: [String] = [], keras: KerasForm = KerasForm(), rule: ShapeRule) {
        self.kind = kind
        self.className = className
        self.aliases = aliases
        self.doc = doc
        self.ownArguments = arguments
        self.positional = positional
        self.words = words
        self.traits = traits
        self.examples = examples
        self.keras = keras
        self.rule = rule
    }

    /// Arguments every layer accepts.
    public static let commonArguments: [ArgumentDecl] = [
        ArgumentDecl("name", .text(.layerName), default: .null,
                     "The layer's name; default: the class in snake_case with `_1`, `_2`, ... for repeats."),
        ArgumentDecl("trainable", .bool, default: .bool(true),
                     "false freezes every weight of the layer (counted as non-trainable)."),
        ArgumentDecl("input_shape", .optional(.shape(allowsInferred: false, allowsUnknown: true)), default: .null,
                     "First layer only: the sample shape, instead of the top-level `input`."),
    ]

    /// All accepted arguments: the layer's own, then the common ones.
    public var arguments: [ArgumentDecl] { ownArguments + Self.commonArguments }

    /// Keras's automatic name stem: the class name in snake_case (`SimpleRNN` → `simple_rnn`).
    public var autoName: String { snakeCase(className) }

    public func has(_ trait: LayerTrait) -> Bool { traits.contains(trait) }
}

/// Keras's `to_snake_case`: split before a capital that starts a lowercase run, and between a
/// lowercase letter and a capital, then lowercase (`GlobalAveragePooling1D` → `global_average_pooling1d`).
public func snakeCase(_ name: String) -> String {
    let chars = Array(name)
    func isUpper(_ c: Character) -> Bool { c.isASCII && c.isUppercase }
    func isLowerOrDigit(_ c: Character) -> Bool { c.isASCII && (c.isLowercase || c.isNumber) }
    func isLower(_ c: Character) -> Bool { c.isASCII && c.isLowercase }
    // First pass: "(.)([A-Z][a-z0-9]+)" → "\1_\2", non-overlapping, left to right.
    var first: [Character] = []
    var index = 0
    while index < chars.count {
        if index + 2 < chars.count, isUpper(chars[index + 1]), isLowerOrDigit(chars[index + 2]) {
            var end = index + 2
            while end < chars.count, isLowerOrDigit(chars[end]) { end += 1 }
            first.append(chars[index])
            first.append("_")
            first.append(contentsOf: chars[(index + 1)..<end])
            index = end
        } else {
            first.append(chars[index])
            index += 1
        }
    }
    // Second pass: "([a-z])([A-Z])" → "\1_\2".
    var second: [Character] = []
    for (position, character) in first.enumerated() {
        if position > 0, isLower(first[position - 1]), isUpper(character) { second.append("_") }
        second.append(character)
    }
    return String(second).lowercased()
}

/// Why a layer cannot take its input. The checker adds the layer's name and a hint.
public enum ShapeError: Error, Sendable, Equatable {
    /// Input rank (batch axis counted) is not what the layer needs.
    case rank(expected: RankRequirement, meaning: String)
    /// Embedding after a layer that produces float features.
    case needsTokenIDs
    /// A wrapper got a layer it cannot wrap.
    case cannotWrap(String)
    /// A problem best shown at one argument.
    case argument(String, String)
    /// Any other problem, shown at the layer.
    case message(String)
    /// Sizes whose product does not fit in 64 bits.
    case overflow
}

/// How many axes (batch included) a layer's input may have.
public enum RankRequirement: Sendable, Equatable {
    case exactly(Int)
    case atLeast(Int)

    func accepts(_ rank: Int) -> Bool {
        switch self {
        case .exactly(let n): rank == n
        case .atLeast(let n): rank >= n
        }
    }

    var phrase: String {
        switch self {
        case .exactly(let n): "a \(n)-D input"
        case .atLeast(let n): "an input of at least \(n) dimensions"
        }
    }
}

/// `a * b`, or `.overflow` instead of a trap.
public func checkedProduct(_ a: Int, _ b: Int) throws(ShapeError) -> Int {
    let (value, overflow) = a.multipliedReportingOverflow(by: b)
    if overflow { throw .overflow }
    return value
}

/// `a + b`, or `.overflow` instead of a trap.
public func checkedSum(_ a: Int, _ b: Int) throws(ShapeError) -> Int {
    let (value, overflow) = a.addingReportingOverflow(b)
    if overflow { throw .overflow }
    return value
}

/// Product of all values, or `.overflow`.
public func checkedProduct(_ values: [Int]) throws(ShapeError) -> Int {
    var total = 1
    for value in values { total = try checkedProduct(total, value) }
    return total
}

extension LayerInput {
    /// Throws unless the input rank (batch counted) meets `requirement`.
    public func requireRank(_ requirement: RankRequirement, _ meaning: String) throws(ShapeError) {
        if !requirement.accepts(input.kerasRank) {
            throw .rank(expected: requirement, meaning: meaning)
        }
    }

    /// The last size, which must be known (Keras needs it to build weights).
    public func definedLastSize(for layer: String) throws(ShapeError) -> Int {
        guard let last = shape.last else {
            throw .rank(expected: .atLeast(2), meaning: "(batch, ..., features)")
        }
        guard let size = last else {
            throw .message("needs the last input size to be known to build its weights, but gets \(input.kerasDescription); give it in `input`")
        }
        return size
    }

    /// Multiply-adds for `perStep` repeated over every size but the last, nil if one is unknown.
    public func repeatedOverLeadingAxes(_ perStep: Int) throws(ShapeError) -> Int? {
        var total = perStep
        for size in shape.dropLast() {
            guard let size else { return nil }
            total = try checkedProduct(total, size)
        }
        return total
    }
}
