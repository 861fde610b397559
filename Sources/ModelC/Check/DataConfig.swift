/// Where training, validation and test data come from, as `data:` declares it. Paths are kept as
/// written; the executor resolves them against the spec's folder (or the data root it is given).
public struct DataConfig: Sendable {
    public var train: DataSplit?
    public var validation: DataSplit?
    public var test: DataSplit?
    /// How text splits become token ids (defaults when `data.text` is absent).
    public var text: TextPreprocessing
    /// Each split's `sample_weight` (one weight per sample) by split name: an array, or a column
    /// of the split's CSV file.
    public var sampleWeights: [String: TensorData] = [:]

    public init(train: DataSplit? = nil, validation: DataSplit? = nil, test: DataSplit? = nil,
                text: TextPreprocessing = TextPreprocessing()) {
        self.train = train
        self.validation = validation
        self.test = test
        self.text = text
    }

    /// True when any split is raw text (so the run needs a vocabulary).
    public var hasText: Bool {
        [train, validation, test].contains { split in
            if case .text? = split { return true }
            return split?.namedText != nil
        }
    }
}

/// Keras-style text preprocessing: tokenize, rank words by frequency in the training texts, keep
/// `num_words` as `imdb.load_data` does (0 padding, 1 start of sequence, 2 out of vocabulary, words
/// from 3), then `pad_sequences`.
public struct TextPreprocessing: Sendable, Equatable {
    /// Ids below this are kept; rarer words become 2. Nil keeps every word.
    public var numWords: Int?
    /// Sequence length after padding/truncation; nil uses the model's input length.
    public var maxlen: Int?
    /// `pre` or `post`: where padding goes.
    public var padding: String
    /// `pre` or `post`: which end of a long sequence is cut.
    public var truncating: String
    /// The padding id.
    public var value: Int
    public var lowercase: Bool

    public init(numWords: Int? = nil, maxlen: Int? = nil, padding: String = "pre", truncating: String = "pre",
                value: Int = 0, lowercase: Bool = true) {
        self.numWords = numWords
        self.maxlen = maxlen
        self.padding = padding
        self.truncating = truncating
        self.value = value
        self.lowercase = lowercase
    }
}

/// Raw text with labels: a CSV text column, or one folder per class as Keras's
/// `text_dataset_from_directory` reads them.
public struct TextSource: Sendable, Equatable {
    public enum Origin: Sendable, Equatable {
        /// `{csv: reviews.csv, text: review, labels: label}`
        case csv(path: String, textColumn: String, labelColumn: String?)
        /// `{directory: aclImdb/train}`: `<directory>/<class>/*.txt`
        case directory(path: String)
    }

    public var origin: Origin
    /// Class names in label order: for a directory, the folders to read (default: every folder,
    /// sorted); for a CSV, the label texts mapped to 0, 1, ... (default: labels are numbers).
    public var classes: [String]?

    public init(origin: Origin, classes: [String]? = nil) {
        self.origin = origin
        self.classes = classes
    }

    public var label: String {
        switch origin {
        case .csv(let path, _, _): path
        case .directory(let path): path
        }
    }
}

/// Sliding windows over one long series (rows = time steps), as Keras's
/// `timeseries_dataset_from_array(series, series[offset:], sequence_length, sequence_stride,
/// sampling_rate, start_index=start_index, end_index=end_index)` makes them, with the targets
/// `offset = (sequence_length - 1) * sampling_rate + horizon` rows on: window i starts at row
/// `start_index + i * sequence_stride` and holds rows `start + j * sampling_rate`, j < sequence_length;
/// its target is the targets' row `start + (sequence_length - 1) * sampling_rate + horizon`.
public struct TimeseriesWindow: Sendable, Equatable {
    public var sequenceLength: Int
    public var sequenceStride: Int
    public var samplingRate: Int
    /// Rows from the window's last row to its target: 1 the next step, 0 the last row itself.
    public var horizon: Int
    public var startIndex: Int
    /// Exclusive; nil reads to the end of the series (Keras's end_index=None).
    public var endIndex: Int?

    public init(sequenceLength: Int, sequenceStride: Int = 1, samplingRate: Int = 1, horizon: Int = 1,
                startIndex: Int = 0, endIndex: Int? = nil) {
        self.sequenceLength = sequenceLength
        self.sequenceStride = sequenceStride
        self.samplingRate = samplingRate
        self.horizon = horizon
        self.startIndex = startIndex
        self.endIndex = endIndex
    }

    /// The row of the series the target of the window starting at row 0 comes from: Keras's
    /// `targets = series[offset:]`.
    public var targetOffset: Int { (sequenceLength - 1) * samplingRate + horizon }

    /// Rows one window spans, first to last.
    public var span: Int { (sequenceLength - 1) * samplingRate + 1 }
}

/// One split: features and (usually) labels.
public indirect enum DataSplit: Sendable {
    /// `{x: ..., y: ...}` with each side an array source.
    case arrays(x: ArraySource, y: ArraySource?)
    /// `{csv: file.csv, features: [...], labels: [...]}`: numeric columns of one CSV file. `classes`
    /// (one label column) maps label texts to 0, 1, ... in that order; without it a label column of
    /// texts gets its sorted distinct training values as classes.
    case csv(path: String, features: [String]?, labels: [String], classes: [String]? = nil)
    /// Raw text, tokenized with `data.text`.
    case text(TextSource)
    /// One source per model input (`x: {tokens: ..., feats: ...}`) and per output (`y: {...}`, nil
    /// for an output without labels), in the model's input and output order.
    case named(x: [TensorData], y: [TensorData?])
    /// `window:` on an arrays or csv split: the split's rows are one series, cut into windows.
    case windowed(DataSplit, TimeseriesWindow)

    /// The split without its window.
    public var series: DataSplit {
        if case .windowed(let base, _) = self { return base }
        return self
    }

    public var window: TimeseriesWindow? {
        if case .windowed(_, let window) = self { return window }
        return nil
    }

    public var hasLabels: Bool {
        switch self {
        case .windowed(let base, _): base.hasLabels
        case .arrays(_, let y): y != nil
        case .csv: true
        case .text(let source):
            if case .csv(_, _, nil) = source.origin { false } else { true }
        case .named(_, let y): y.contains { $0 != nil }
        }
    }

    /// The text column one of the inputs reads, if any (a named split), with the input's index.
    public var namedText: (input: Int, path: String, column: String)? {
        guard case .named(let x, _) = self else { return nil }
        for (index, tensor) in x.enumerated() {
            if case .text(let path, let column) = tensor { return (index, path, column) }
        }
        return nil
    }
}

/// Where one input's or output's values come from in a named split.
public enum TensorData: Sendable, Equatable {
    /// A .npy file, an .npz member or inline values.
    case array(ArraySource)
    /// Numeric columns of a CSV file (one column gives [rows], several [rows, columns]).
    case columns(path: String, columns: [String])
    /// A CSV column of raw text, tokenized with `data.text` into the input's token ids.
    case text(path: String, column: String)

    public var label: String {
        switch self {
        case .array(let source): source.label
        case .columns(let path, let columns): "\(path)[\(columns.joined(separator: ", "))]"
        case .text(let path, let column): "\(path)[\(column)]"
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
                 "Features: a .npy path, `{file: data.npz, key: member}`, an inline nested list, or `{values: [...], shape: [...]}`; for a model with named inputs, a mapping from input names to such sources or to `{csv: file.csv, column(s): ...}` / `{csv: file.csv, text: column}`."),
    ArgumentDecl("y", .structured("array source"), default: .null, "Labels, in the same forms as x; a mapping from output names for a model with several outputs."),
    ArgumentDecl("csv", .text(.nonEmpty), default: .null, "A CSV file with a header row; numeric columns (instead of x and y)."),
    ArgumentDecl("features", .structured("list of column names"), default: .null, "CSV columns of x; default every column that is not a label; a mapping from input names to columns for several inputs."),
    ArgumentDecl("labels", .structured("column name or list of names"), default: .null, "CSV columns of y (one column with `text`); a mapping from output names to columns for several outputs."),
    ArgumentDecl("text", .text(.nonEmpty), default: .null, "With `csv`: the column of raw text, tokenized as `data.text` says."),
    ArgumentDecl("directory", .text(.nonEmpty), default: .null, "A folder with one subfolder of .txt files per class, as Keras's text_dataset_from_directory reads."),
    ArgumentDecl("classes", .structured("list of class names"), default: .null,
                 "Text labels in order: the class folders to read, or the CSV label texts that become 0, 1, ..."),
    ArgumentDecl("sample_weight", .structured("array source or column name"), default: .null,
                 "One weight ≥ 0 per sample, multiplying its loss (and weighted_metrics) as Keras's sample_weight: a CSV column of the split's file (not a feature then), or an array source as x."),
    ArgumentDecl("window", .structured("window settings"), default: .null,
                 "With `csv` or `x`: the rows are one time series, cut into windows [sequence_length, features] as Keras's timeseries_dataset_from_array does; its keys are under data windows."),
]

/// The keys of a split's `window`, Keras's `timeseries_dataset_from_array` arguments plus `horizon`.
public let timeseriesWindowArguments: [ArgumentDecl] = [
    ArgumentDecl("sequence_length", .optional(.int(min: 1, max: 1 << 24)), default: .null,
                 "Rows in one window (the model input's first axis); required on train, validation and test default to train's."),
    ArgumentDecl("sequence_stride", .int(min: 1, max: 1 << 30), default: .int(1), "Rows from one window's start to the next's."),
    ArgumentDecl("sampling_rate", .int(min: 1, max: 1 << 30), default: .int(1), "Rows from one step of a window to the next."),
    ArgumentDecl("horizon", .int(min: 0, max: 1 << 30), default: .int(1),
                 "Rows from a window's last row to its target: 1 the next step, 0 the last row itself (targets = series[(sequence_length - 1) * sampling_rate + horizon:])."),
    ArgumentDecl("start_index", .int(min: 0, max: Int(Int32.max)), default: .int(0), "The first row windows may use (Keras's start_index); not taken from train."),
    ArgumentDecl("end_index", .optional(.int(min: 1, max: Int(Int32.max))), default: .null,
                 "Rows from here on are not used in windows (exclusive, below the row count, as Keras's end_index); null reads to the end; not taken from train."),
]

/// The window keys a validation or test split takes from train's window when it does not write them.
public let inheritedWindowArguments = ["sequence_length", "sequence_stride", "sampling_rate", "horizon"]

/// The keys of `data.text`, Keras's preprocessing defaults.
public let textPreprocessingArguments: [ArgumentDecl] = [
    ArgumentDecl("num_words", .optional(.int(min: 4, max: Int(Int32.max))), default: .null,
                 "Keep ids below this, as imdb.load_data's num_words: the 0-3 reserved ids included; rarer words become 2."),
    ArgumentDecl("maxlen", .optional(.int(min: 1, max: 1 << 20)), default: .null, "Sequence length after pad_sequences; default the model's input length."),
    ArgumentDecl("padding", .choice(["pre", "post"]), default: .string("pre"), "Pad short sequences before (pre) or after (post)."),
    ArgumentDecl("truncating", .choice(["pre", "post"]), default: .string("pre"), "Cut long sequences at the start (pre) or end (post)."),
    ArgumentDecl("value", .int(min: 0, max: Int(Int32.max)), default: .int(0), "The padding id."),
    ArgumentDecl("lowercase", .bool, default: .bool(true), "Lowercase before splitting."),
]

/// The splits `data:` may name.
public let dataSplitNames = ["train", "validation", "test"]

/// The keys of `data` besides the splits.
public let dataSettingNames = ["text"]
