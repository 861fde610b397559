/// The two Keras generations whose files modelc writes and reads: Keras 3 (`.keras`) and tf_keras,
/// Keras 2 (legacy `.h5`). Their layer configs differ in a few keys and value forms.
public enum KerasFlavor: String, Sendable, CaseIterable {
    case keras3
    case tfKeras

    public static let both: Set<KerasFlavor> = [.keras3, .tfKeras]
}

/// A config key Keras writes for a layer that modelc has no argument for, with the one value
/// modelc supports (Keras's default): `kernel_regularizer: null`, `data_format: channels_last`.
/// Export writes it; import accepts the key at that value and refuses any other, naming it.
public struct KerasFixedKey: Sendable {
    public let name: String
    public let value: JSONValue
    public let flavors: Set<KerasFlavor>

    public init(_ name: String, _ value: JSONValue, _ flavors: Set<KerasFlavor> = KerasFlavor.both) {
        self.name = name
        self.value = value
        self.flavors = flavors
    }
}

/// A config key whose value Keras computes from the layer's arguments; import accepts any value.
public struct KerasDerivedKey: Sendable {
    public let name: String
    public let flavors: Set<KerasFlavor>
    public let value: @Sendable (ResolvedArguments) -> JSONValue

    public init(_ name: String, _ flavors: Set<KerasFlavor>, _ value: @escaping @Sendable (ResolvedArguments) -> JSONValue) {
        self.name = name
        self.flavors = flavors
        self.value = value
    }
}

/// How a layer's arguments appear in Keras's config, beyond "same name, same value".
public struct KerasForm: Sendable {
    /// Keys Keras writes that modelc has no argument for.
    public var fixed: [KerasFixedKey]
    /// modelc arguments a flavor's config does not have (Keras 3's Embedding has no `input_length`).
    public var absent: [String: Set<KerasFlavor>]
    /// How `axis` is written: Keras 3 keeps what was given, as an int (BatchNormalization) or a
    /// list (LayerNormalization); tf_keras writes the built layer's positive axes as a list.
    public var axis: AxisForm
    /// Keras 3's SpatialDropout1D takes no `trainable` and a plain dtype string.
    public var keras3Minimal: Bool
    /// Arguments whose null Keras writes resolved to another argument's value (pooling `strides`).
    public var nullMeans: [String: String]
    /// The cell a recurrent layer keeps its weights in (`lstm_cell`): Keras 3 stores them under
    /// `cell/vars`, tf_keras names them `<layer>/lstm_cell/kernel:0`.
    public var cell: String?
    /// A wrapper holding a forward and a backward copy of its layer (Bidirectional).
    public var twoDirections: Bool
    /// The keyword arguments Keras 3 records for a call of the layer in a functional model
    /// (`mask: null` for recurrent layers and wrappers, `training: false` for dropout).
    public var callKeywords: [(String, JSONValue)]
    /// Keras 3 records a build shape for layers with a `build` of their own; true for those
    /// without weights that have one (Flatten, RepeatVector), beside every layer with weights.
    public var keras3Builds: Bool
    /// Keys whose value Keras derives from the arguments (tf_keras Embedding's `batch_input_shape`).
    public var derived: [KerasDerivedKey]

    public enum AxisForm: Sendable {
        case asGiven
        case keras3Int
        case keras3List
    }

    public init(fixed: [KerasFixedKey] = [], absent: [String: Set<KerasFlavor>] = [:], axis: AxisForm = .asGiven,
                keras3Minimal: Bool = false, nullMeans: [String: String] = [:], cell: String? = nil,
                twoDirections: Bool = false, callKeywords: [(String, JSONValue)] = [], keras3Builds: Bool = false,
                derived: [KerasDerivedKey] = []) {
        self.fixed = fixed
        self.absent = absent
        self.axis = axis
        self.keras3Minimal = keras3Minimal
        self.nullMeans = nullMeans
        self.cell = cell
        self.twoDirections = twoDirections
        self.callKeywords = callKeywords
        self.keras3Builds = keras3Builds
        self.derived = derived
    }

    /// Regularizers and constraints of the named weights, all null (modelc has none), and
    /// `activity_regularizer` in the flavors that write it.
    public static func unregularized(_ weights: [String], activity: Set<KerasFlavor> = KerasFlavor.both) -> [KerasFixedKey] {
        weights.map { KerasFixedKey("\($0)_regularizer", .null) }
            + (activity.isEmpty ? [] : [KerasFixedKey("activity_regularizer", .null, activity)])
            + weights.map { KerasFixedKey("\($0)_constraint", .null) }
    }

    public static let channelsLast = KerasFixedKey("data_format", .string("channels_last"))
    public static let noQuantization = KerasFixedKey("quantization_config", .null, [.keras3])
    public static let noNoiseShape = KerasFixedKey("noise_shape", .null)
    public static let maskKeyword: [(String, JSONValue)] = [("mask", .null)]
    public static let trainingKeyword: [(String, JSONValue)] = [("training", .bool(false))]
}
