import Foundation
import ModelC

/// Refuses a run before it allocates what the machine cannot give: a Dense of 10^9 units or a
/// batch of 16 million sequences would otherwise end in `Fatal error: failed to allocate` after
/// tens of seconds and gigabytes. The estimate is `MemoryEstimator`'s (the catalogue's rules and the
/// runtime's copies); the limit is `--max-memory` when given, else the memory available now.
enum MemoryGuard {
    /// The largest batch: fit.batch_size's bound in the catalogue, which --batch-size obeys too.
    static let largestBatch: Int = {
        if case .int(_, let maximum) = fitArguments.first(where: { $0.name == "batch_size" })?.type { return maximum }
        return 1 << 24
    }()

    /// The bytes a run may use, and how to say where that bound comes from.
    struct Limit {
        var bytes: Double
        var explicit: Bool

        init(_ maxMemory: Double?) {
            bytes = maxMemory ?? MemorySize.available()
            explicit = maxMemory != nil
        }

        var phrase: String {
            explicit ? "--max-memory allows \(MemorySize.text(bytes))" : "only \(MemorySize.text(bytes)) is available"
        }

        var raise: String {
            explicit ? "or raise --max-memory" : "or give --max-memory to allow more (at the risk of swapping or being killed)"
        }
    }

    static func checkBatch(_ batchSize: Int?) throws(DataError) {
        if let batchSize, batchSize > largestBatch {
            throw DataError("--batch-size \(batchSize) is larger than modelc runs (at most \(largestBatch), as for fit.batch_size); a batch larger than the data is the whole data, so give at most the number of samples")
        }
    }

    // MARK: data files

    /// What one data file will hold once read: its values as float32, and the file's bytes while
    /// it is read (read once and copied).
    struct FileFootprint {
        var label: String
        var shape: [Int]
        var resident: Double
        var transient: Double
    }

    /// The `.npy` files of `split` whose headers can be read, and their footprints.
    static func footprints(_ split: DataSplit?, root: String) -> [FileFootprint] {
        guard let split else { return [] }
        var sources: [ArraySource] = []
        if case .windowed(let base, let window) = split {
            // The series and its windows: each row copied about sequence_length / sequence_stride times.
            let series = footprints(base, root: root)
            guard case .arrays(let x, let y) = base, case .npy(let path) = x,
                  let footprint = series.first(where: { $0.label == path }) else { return series }
            return series + [windowed(footprint, window: window, targets: y != nil)]
        }
        switch split {
        case .windowed: break
        case .arrays(let x, let y): sources = [x] + (y.map { [$0] } ?? [])
        case .named(let x, let y):
            for case .array(let source) in x + y.compactMap({ $0 }) { sources.append(source) }
        case .csv, .text: break
        }
        return sources.compactMap { source in
            guard case .npy(let path) = source else { return nil }
            guard let peeked = NumpyArray.peekShape(DataLoader.resolve(path, root: root)) else { return nil }
            let values = peeked.shape.reduce(1.0) { $0 * Double($1) }
            return FileFootprint(label: path, shape: peeked.shape, resident: 4 * values, transient: 2 * peeked.fileBytes)
        }
    }

    /// The windows cut from the series `footprint` describes: [windows, sequence_length, ...].
    static func windowed(_ footprint: FileFootprint, window: TimeseriesWindow, targets: Bool) -> FileFootprint {
        let rows = footprint.shape.first ?? 0
        let count = TimeseriesWindows.count(rows: rows, window: window, targets: targets) ?? 0
        let shape = [count, window.sequenceLength] + footprint.shape.dropFirst()
        let values = shape.reduce(1.0) { $0 * Double($1) }
        return FileFootprint(label: "\(footprint.label) windows", shape: shape, resident: 4 * values, transient: 0)
    }

    /// The footprint of a `.npy` file given on the command line, if its header can be read.
    static func footprint(file path: String) -> FileFootprint? {
        guard let peeked = NumpyArray.peekShape(path) else { return nil }
        let values = peeked.shape.reduce(1.0) { $0 * Double($1) }
        return FileFootprint(label: path, shape: peeked.shape, resident: 4 * values, transient: 2 * peeked.fileBytes)
    }

    /// Before any data is read: refuses data files whose headers already say they need more than
    /// the limit (with the model's own weights, which come on top). `files` are paths given on the
    /// command line.
    static func checkDataFiles(_ splits: [DataSplit?], files: [String] = [], root: String, maxMemory: Double?) throws(DataError) {
        let files = splits.flatMap { footprints($0, root: root) } + Set(files).sorted().compactMap(footprint(file:))
        guard !files.isEmpty else { return }
        let resident = files.reduce(0) { $0 + $1.resident }
        let peak = resident + (files.map(\.transient).max() ?? 0)
        let limit = Limit(maxMemory.map { min($0, absoluteLimit) })
        guard peak > limit.bytes else { return }
        let largest = files.max { $0.resident < $1.resident }!
        let shape = "(" + largest.shape.map(String.init).joined(separator: ", ") + (largest.shape.count == 1 ? ",)" : ")")
        throw DataError("the data files need about \(MemorySize.text(peak)) of memory to read (\(largest.label) alone declares \(shape) values, \(MemorySize.text(largest.resident)) as float32), but \(limit.phrase); use a smaller sample of the data \(limit.raise)")
    }

    // MARK: the run

    /// Beyond any machine, whatever --max-memory says; below it no buffer's size overflows an Int.
    static let absoluteLimit = 0x1p60

    /// Refuses `estimate` when it exceeds the limit, naming its largest parts and layer.
    static func check(_ estimate: MemoryEstimate, what: String, model: TypedModel, batchSize: Int, maxMemory: Double?) throws(DataError) {
        let limit = Limit(maxMemory.map { min($0, absoluteLimit) })
        guard estimate.total > limit.bytes else { return }
        throw DataError(refusal(estimate, what: what, model: model, batchSize: batchSize, limit: limit))
    }

    static func refusal(_ estimate: MemoryEstimate, what: String, model: TypedModel, batchSize: Int, limit: Limit) -> String {
        let shown = estimate.parts.prefix(4).map { "\($0.name) \(MemorySize.text($0.bytes))" }
        let parts = shown.joined(separator: ", ") + (estimate.parts.count > shown.count ? ", …" : "")
        var advice: [String] = []
        let batchWise = estimate.bytes(of: "activations") + estimate.bytes(of: "batch buffers")
        if let (index, bytes) = estimate.largestLayer, bytes > estimate.total / 2, bytes > batchWise {
            let layer = model.layers[index]
            let sizes = (layer.inner?.descriptor ?? layer.descriptor).positional
            advice.append("\(layer.name) (\(layer.className)) alone needs \(MemorySize.text(bytes)): "
                          + (sizes.isEmpty ? "give it smaller sizes" : "lower its \(sizes.joined(separator: " or "))"))
        }
        if batchWise > estimate.total / 4 {
            advice.append("lower the batch size (\(batchSize) now, \(estimate.capacity) sample\(estimate.capacity == 1 ? "" : "s") at once)\(model.inputs.contains { $0.type.shape.count > 1 } ? " or the sequence length" : "")")
        }
        if estimate.bytes(of: "data") > estimate.total / 4 { advice.append("use a smaller sample of the data") }
        if advice.isEmpty { advice.append("use a smaller model or batch size") }
        return "\(what) needs about \(MemorySize.text(estimate.total)) of memory (\(parts)), but \(limit.phrase); "
            + advice.joined(separator: ", ") + ", " + limit.raise
    }

    /// Bytes the arrays of `split` hold.
    static func bytes(_ split: DataLoader.RawSplit?) -> Double {
        guard let split else { return 0 }
        return (split.inputs + split.targets.compactMap { $0 }).reduce(0) { $0 + 4 * Double($1.values.count) }
    }

    // MARK: entry points (the commands call these)

    /// The training inputs' footprints in the model's input order, when every one is a `.npy` file
    /// whose header can be read.
    static func inputFootprints(_ split: DataSplit?, model: TypedModel, root: String) -> [FileFootprint]? {
        let sources: [ArraySource]
        if case .windowed(.arrays(.npy(let path), let y), let window)? = split {
            guard model.inputs.count == 1, let footprint = footprint(file: DataLoader.resolve(path, root: root)) else { return nil }
            return [windowed(footprint, window: window, targets: y != nil)]
        }
        switch split {
        case .arrays(let x, _)?: sources = [x]
        case .named(let x, _)?:
            var arrays: [ArraySource] = []
            for tensor in x {
                guard case .array(let source) = tensor else { return nil }
                arrays.append(source)
            }
            sources = arrays
        default: return nil
        }
        var found: [FileFootprint] = []
        for source in sources {
            guard case .npy(let path) = source, let footprint = footprint(file: DataLoader.resolve(path, root: root)) else { return nil }
            found.append(footprint)
        }
        return found.count == model.inputs.count ? found : nil
    }

    /// `train`, before reading anything: the batch size, the data files' headers and, when the
    /// training inputs' headers give every sample shape and the rows, the whole run.
    static func beforeReading(_ model: TypedModel, options: TrainOptions, root: String) throws(DataError) {
        try checkBatch(options.batchSize)
        let splits = [model.data?.train, model.data?.validation, model.data?.test]
        try checkDataFiles(splits, root: root, maxMemory: options.maxMemory)
        guard let inputs = inputFootprints(model.data?.train, model: model, root: root), let rows = inputs[0].shape.first else { return }
        let files = splits.flatMap { footprints($0, root: root) }
        let data = files.reduce(0) { $0 + $1.resident } + (files.map(\.transient).max() ?? 0)
        let batchSize = options.batchSize ?? model.fit?.batchSize ?? 32
        let testRows = footprints(model.data?.test, root: root).first?.shape.first ?? 0
        let estimate = MemoryEstimator.estimate(model, purpose: .training, capacity: min(batchSize, max(rows, testRows, 1)),
                                                sampleShapes: inputs.map { Array($0.shape.dropFirst()) }, dataBytes: data,
                                                initialWeights: options.initialWeights != nil)
        if estimate.activationsKnown {
            try check(estimate, what: "training", model: model, batchSize: batchSize, maxMemory: options.maxMemory)
        }
    }

    /// Bytes reading a text split takes while its texts are tokenized: `modelc prepare` on the IMDB
    /// CSVs peaked at 2.2 times their size (the texts as Strings, their words and ids).
    static func textBytes(_ split: DataSplit?, root: String) -> Double {
        var path: String?
        if case .text(let source)? = split, case .csv(let file, _, _) = source.origin { path = file }
        if let text = split?.namedText { path = text.path }
        guard let path, let attributes = try? FileManager.default.attributesOfItem(atPath: DataLoader.resolve(path, root: root)),
              let size = attributes[.size] as? NSNumber else { return 0 }
        return 2.2 * size.doubleValue
    }

    /// `train`, with the training data read and before the network is built: the whole run.
    static func beforeBuilding(_ model: TypedModel, sources: TrainingSources, fit: FitConfig, options: TrainOptions,
                               root: String) throws(DataError) {
        let train = sources.train
        let batchSize = options.batchSize ?? fit.batchSize
        // The test data is read after training, while the network is alive, and evaluated in
        // batches as large: its rows from a .npy header, else assumed as many as the training data.
        let test = footprints(model.data?.test, root: root)
        let testRows = model.data?.test == nil ? 0 : test.first?.shape.first ?? train.rows + (sources.validation?.rows ?? 0)
        let rows = max(train.rows, sources.validation?.rows ?? 0, testRows)
        // A validation split not applied yet copies every row once more.
        let splitCopy = sources.validation == nil && !sources.splitApplied && fit.validationSplit != nil ? bytes(train) : 0
        // Reading the training texts has already peaked; the allocator mostly keeps what it freed,
        // so that peak stays in the process's resident memory (measured on IMDB).
        let texts = textBytes(model.data?.train, root: root) + textBytes(model.data?.validation, root: root)
        let data = bytes(train) + bytes(sources.validation) + splitCopy + texts
            + test.reduce(0) { $0 + $1.resident } + max(test.map(\.transient).max() ?? 0, textBytes(model.data?.test, root: root))
        let estimate = MemoryEstimator.estimate(model, purpose: .training, capacity: min(batchSize, max(rows, 1)),
                                                sampleShapes: train.inputs.map(\.sampleShape), dataBytes: data,
                                                initialWeights: options.initialWeights != nil)
        try check(estimate, what: "training", model: model, batchSize: batchSize, maxMemory: options.maxMemory)
    }

    /// `evaluate` and `predict`, before reading: the files given, or the spec's test data.
    static func beforeReading(_ model: TypedModel, files: NamedFiles..., useTestData: Bool, root: String,
                              maxMemory: Double?) throws(DataError) {
        let paths = files.flatMap { $0.entries.flatMap { [$0.path, $0.written] } }
        try checkDataFiles(useTestData ? [model.data?.test] : [], files: paths, root: root, maxMemory: maxMemory)
    }

    /// `evaluate` and `predict`, with their data read and before the network is built.
    static func beforeInference(_ model: TypedModel, data: DataLoader.RawSplit, batchSize: Int, predicting: Bool,
                                maxMemory: Double?) throws(DataError) {
        try checkBatch(batchSize)
        let purpose: MemoryEstimate.Purpose = predicting ? .prediction(rows: data.rows) : .evaluation
        let estimate = MemoryEstimator.estimate(model, purpose: purpose, capacity: min(batchSize, max(data.rows, 1)),
                                                sampleShapes: data.inputs.map(\.sampleShape), dataBytes: bytes(data))
        try check(estimate, what: predicting ? "predicting" : "evaluating", model: model, batchSize: batchSize, maxMemory: maxMemory)
    }
}
