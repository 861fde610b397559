/// Keras's activation functions, by the names Keras accepts in `activation=`.
public enum Activation: String, CaseIterable, Sendable {
    case relu
    case tanh
    case sigmoid
    case hard_sigmoid
    case softmax
    case linear
    case elu
    case selu
    case softplus
    case softsign
    case swish
    case gelu
    case exponential

    /// One line for Grammar.md, stating the formula Keras 2 uses.
    public var doc: String {
        switch self {
        case .relu: "max(x, 0)"
        case .tanh: "tanh(x)"
        case .sigmoid: "1 / (1 + exp(-x))"
        case .hard_sigmoid: "clip(0.2·x + 0.5, 0, 1) (Keras 2's piecewise-linear sigmoid)"
        case .softmax: "exp(x) / sum(exp(x)) over the last axis"
        case .linear: "x (also written `null`)"
        case .elu: "x if x > 0 else exp(x) - 1"
        case .selu: "1.0507 · (x if x > 0 else 1.67326 · (exp(x) - 1))"
        case .softplus: "log(exp(x) + 1)"
        case .softsign: "x / (|x| + 1)"
        case .swish: "x · sigmoid(x)"
        case .gelu: "0.5 · x · (1 + erf(x / √2)) (Keras's exact form, approximate=False)"
        case .exponential: "exp(x)"
        }
    }

    /// Outputs that are probabilities in [0, 1], as cross-entropy losses expect.
    public var producesProbabilities: Bool { self == .sigmoid || self == .softmax || self == .hard_sigmoid }
}

/// Keras initializer names accepted by `*_initializer` arguments.
public enum InitializerName {
    public static let all = [
        "zeros", "ones", "uniform", "random_uniform", "random_normal", "truncated_normal",
        "glorot_uniform", "glorot_normal", "he_uniform", "he_normal",
        "lecun_uniform", "lecun_normal", "orthogonal", "identity",
    ]
}
