/// Where training, validation and test data come from, as `data:` declares it. Paths are kept as
/// written; the executor resolves them against the spec's folder (or the data root it is given).
public struct DataConfig: Sendable {
    public var train: DataSplit?
    public var validation: DataSplit?
    public var test: DataSplit?

    public init(train: DataSplit? = nil, validation: DataSplit? = nil, test: DataSplit? = nil) {
        self.train = train
        self.validation = validation
        self.test = test
    }
}

/// One split: features and (usually) labels.
public enum DataSplit: Sendable {
    /// `{x: ..., y: ...}` with each side an array source.
    case arrays(x: ArraySource, y: ArraySource?)
    /// `{csv: file.csv, features: [...], labels: [...]}`: numeric columns of one CSV file.
    case csv(path: String, features: [String]?, labels: [String])

    public var hasLabels: Bool {
        switch self {
        case .arrays(_, let y): y != nil
        case .csv: true
        }
    }
}

/// An array written inline or stored in a file.
public enum ArraySource: Sendable, Equatable {
    /// Values in C order with their shape (first axis: samples); `integers` when every value was written as one.
    case inline(values: [Double], shape: [Int], integers: Bool)
    /// A numpy `.npy` file.
    case npy(path: String)
    /// One member of a numpy `.npz` archive.
    case npz(path: String, member: String)

    /// How the source reads in messages: the path, `data.npz[x_train]`, or "inline values".
    public var label: String {
        switch self {
        case .inline: "inline values"
        case .npy(let path): path
        case .npz(let path, let member): "\(path)[\(member)]"
        }
    }
}

/// The keys of one data split.
public let dataSplitArguments: [ArgumentDecl] = [
    ArgumentDecl("x", .structured("array source"), default: .null,
                 "Features: a .npy path, `{file: data.npz, key: member}`, an inline nested list, or `{values: [...], shape: [...]}`."),
    ArgumentDecl("y", .structured("array source"), default: .null, "Labels, in the same forms as x."),
    ArgumentDecl("csv", .text(.nonEmpty), default: .null, "A CSV file with a header row; numeric columns (instead of x and y)."),
    ArgumentDecl("features", .structured("list of column names"), default: .null, "CSV columns of x; default every column that is not a label."),
    ArgumentDecl("labels", .structured("column name or list of names"), default: .null, "CSV columns of y."),
]

/// The splits `data:` may name.
public let dataSplitNames = ["train", "validation", "test"]
