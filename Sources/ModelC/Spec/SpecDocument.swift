/// A spec file as written: top-level sections with their source ranges, layers already split into
/// class name and arguments. Nothing here knows which layers or arguments exist; the checker does.
public struct SpecDocument: Sendable {
    public var name: Located<SpecValue>?
    /// `input:`, the Sequential form: one sample shape.
    public var input: Located<SpecValue>?
    /// `inputs:`, the functional form: named inputs, each a shape or `{shape, dtype}`.
    public var inputs: Located<SpecValue>?
    /// `outputs:`, the functional form's output layer names.
    public var outputs: Located<SpecValue>?
    /// The `layers:` key itself, for "no layers" errors.
    public var layersKey: SourceRange?
    public var layers: [LayerSpec] = []
    public var compile: Located<SpecValue>?
    public var fit: Located<SpecValue>?
    public var data: Located<SpecValue>?
    /// The whole document, for errors about something missing.
    public var range: SourceRange

    public init(range: SourceRange) {
        self.range = range
    }
}

/// One layer as written, in either form.
public struct LayerSpec: Sendable {
    public enum Form: Sendable {
        /// `Dense 1 sigmoid`
        case shorthand
        /// `Dense: {units: 1, activation: sigmoid}`
        case keyword
    }

    public var className: Located<String>
    public var form: Form
    public var arguments: [LayerArgument]
    /// The layer a wrapper wraps: `layer:` in the keyword form, the nested class in the shorthand.
    public var wrapped: WrappedLayer?
    /// `inputs:` (or the shorthand's `inputs=`): what this layer reads in a functional spec, with the
    /// range of its key. Kept apart from the arguments, which go to Keras's constructor.
    public var inputs: (key: SourceRange, value: Located<SpecValue>)?
    /// The whole layer entry.
    public var range: SourceRange

    public init(className: Located<String>, form: Form, arguments: [LayerArgument], wrapped: WrappedLayer?,
                inputs: (key: SourceRange, value: Located<SpecValue>)? = nil, range: SourceRange) {
        self.className = className
        self.form = form
        self.arguments = arguments
        self.wrapped = wrapped
        self.inputs = inputs
        self.range = range
    }
}

/// A wrapped layer and where its `layer:` key (or nested class name) was written.
public final class WrappedLayer: Sendable {
    public let layer: LayerSpec
    public let keyRange: SourceRange

    public init(layer: LayerSpec, keyRange: SourceRange) {
        self.layer = layer
        self.keyRange = keyRange
    }
}

/// An argument as written. The shorthand's bare items (`8`, `relu`, `return_sequences`) are bound
/// to argument names by the checker, which knows each layer's positional order and flags.
public enum LayerArgument: Sendable {
    case keyword(name: Located<String>, value: Located<SpecValue>)
    case bare(Located<SpecValue>)

    public var range: SourceRange {
        switch self {
        case .keyword(let name, let value): name.range.union(value.range)
        case .bare(let value): value.range
        }
    }
}

/// The top-level keys a spec may have, each with a one-line description for Grammar.md.
public enum SpecSection: String, CaseIterable, Sendable {
    case name
    case input
    case inputs
    case layers
    case outputs
    case compile
    case fit
    case data

    public var doc: String {
        switch self {
        case .name: "The model's name (any non-empty text), shown on the summary's first line. Default `sequential`, or `model` for a functional spec."
        case .input: "Sequential form: the shape of one sample without the batch axis, e.g. `[100]` or `[21, 1]`; `null` marks an unknown length."
        case .inputs: "Functional form: the model's inputs in order, each `name: [shape]` or `name: {shape: [...], dtype: int32|float32}`."
        case .layers: "The layers in order, each in the shorthand or the keyword form; in a functional spec each may name what it reads with `inputs`."
        case .outputs: "Functional form: the output layer names in order (one name or a list); default the last layer."
        case .compile: "Optimizer, loss and metrics, as Keras's `model.compile`."
        case .fit: "Training settings, as Keras's `model.fit`: epochs, batch size, validation, callbacks."
        case .data: "Training, validation and test data: arrays inline or in .npy/.npz files, or CSV columns; paths relative to the spec."
        }
    }
}
