/// How a scalar was written. Only plain scalars are resolved to numbers, booleans and null;
/// a quoted `"8"` stays a string.
public enum ScalarStyle: Sendable, Equatable {
    case plain
    case singleQuoted
    case doubleQuoted
    case literal
    case folded
}

/// A YAML node with its source range: the tree libyaml's events describe, aliases already resolved.
public struct YAMLNode: Sendable {
    public enum Content: Sendable {
        case scalar(String, ScalarStyle)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    public var content: Content
    public var range: SourceRange
    /// An explicit standard tag (`!!str`, `!!int`, ...) in its short form, if one was written.
    public var tag: String?

    public init(_ content: Content, range: SourceRange, tag: String? = nil) {
        self.content = content
        self.range = range
        self.tag = tag
    }

    /// The text of a scalar node, nil for collections.
    public var scalarText: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    /// A short noun for messages: "a mapping", "a list", "a string".
    public var kindDescription: String {
        switch content {
        case .scalar: "a scalar"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }
}

public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode
}
