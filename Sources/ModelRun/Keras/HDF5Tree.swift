/// An HDF5 file's content as far as Keras's files use it: groups with attributes, and numeric
/// datasets. Keras's `.h5` files and the `model.weights.h5` inside a `.keras` archive are trees of
/// this kind; `HDF5Writer` makes a file of one and `HDF5Reader` reads one back, within limits.
public struct HDF5Group: Sendable, Equatable {
    /// In the order written; HDF5 lists them by name when read back.
    public var attributes: [HDF5Attribute]
    public var children: [(name: String, node: HDF5Node)]

    public init(attributes: [HDF5Attribute] = [], children: [(name: String, node: HDF5Node)] = []) {
        self.attributes = attributes
        self.children = children
    }

    public static func == (a: HDF5Group, b: HDF5Group) -> Bool {
        a.attributes == b.attributes && a.children.map(\.name) == b.children.map(\.name)
            && zip(a.children, b.children).allSatisfy { $0.node == $1.node }
    }

    /// The child at `name`, one path component.
    public subscript(child name: String) -> HDF5Node? { children.first { $0.name == name }?.node }

    /// The group at a `/`-separated path below this one (`layers/dense/vars`).
    public func group(at path: String) -> HDF5Group? {
        var current = self
        for component in path.split(separator: "/") {
            guard case .group(let next)? = current[child: String(component)] else { return nil }
            current = next
        }
        return current
    }

    public func attribute(_ name: String) -> HDF5Attribute.Value? { attributes.first { $0.name == name }?.value }

    /// Adds (or replaces) a child group, creating the groups on the way: `set(group, at: "a/b")`.
    public mutating func set(_ node: HDF5Node, at path: String) {
        var components = path.split(separator: "/").map(String.init)
        guard let first = components.first else { return }
        components.removeFirst()
        let index = children.firstIndex { $0.name == first }
        if components.isEmpty {
            if let index { children[index].node = node } else { children.append((first, node)) }
            return
        }
        var inner: HDF5Group
        if let index, case .group(let existing) = children[index].node { inner = existing } else { inner = HDF5Group() }
        inner.set(node, at: components.joined(separator: "/"))
        if let index { children[index].node = .group(inner) } else { children.append((first, .group(inner))) }
    }
}

public indirect enum HDF5Node: Sendable, Equatable {
    case group(HDF5Group)
    case dataset(HDF5Dataset)
}

/// A dataset: a shape (empty for a scalar) and its values in row-major order.
public struct HDF5Dataset: Sendable, Equatable {
    public enum Values: Sendable, Equatable {
        /// IEEE float32, little endian on disk (`<f4`), what Keras stores weights as.
        case float32([Float])
        /// Signed 64-bit integers (`<i8`), as Keras 3 stores an optimizer's `iterations`.
        case int64([Int64])

        public var count: Int {
            switch self {
            case .float32(let values): values.count
            case .int64(let values): values.count
            }
        }
    }

    public var shape: [Int]
    public var values: Values
    public var attributes: [HDF5Attribute]

    public init(shape: [Int], values: Values, attributes: [HDF5Attribute] = []) {
        self.shape = shape
        self.values = values
        self.attributes = attributes
    }

    /// The values as float32, converting integers (for Keras's iteration counters).
    public var floats: [Float] {
        switch values {
        case .float32(let values): values
        case .int64(let values): values.map(Float.init)
        }
    }
}

/// One attribute. Keras's files hold text as variable-length strings, UTF-8 or ASCII, scalars or
/// 1-D lists; the kind is kept so that a file modelc writes has the types Keras's own has.
public struct HDF5Attribute: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        /// A scalar variable-length UTF-8 string (h5py's `str`).
        case string(String)
        /// A scalar variable-length ASCII string (h5py's `bytes` of text, as tf_keras's JSON configs).
        case asciiString(String)
        /// A 1-D list of variable-length UTF-8 strings.
        case stringList([String])
        /// A 1-D list of variable-length ASCII strings (tf_keras's `layer_names`, `weight_names`).
        case asciiStringList([String])
        /// An empty float64 list: what numpy makes of `[]`, as tf_keras writes a layer's empty `weight_names`.
        case emptyList
        case int(Int64)
        case double(Double)

        /// The text of a string-valued attribute, whatever its kind.
        public var text: String? {
            switch self {
            case .string(let text), .asciiString(let text): text
            default: nil
            }
        }

        /// The items of a list-valued attribute (an empty list for `emptyList`).
        public var texts: [String]? {
            switch self {
            case .stringList(let items), .asciiStringList(let items): items
            case .emptyList: []
            default: nil
            }
        }
    }

    public var name: String
    public var value: Value

    public init(_ name: String, _ value: Value) {
        self.name = name
        self.value = value
    }
}
