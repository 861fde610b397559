import Foundation
import ModelC

/// Reads the splits `data:` names into memory and checks them against the model before any step.
public enum DataLoader {
    /// A path as written, resolved against the data root (the spec's folder unless `--data` says otherwise).
    public static func resolve(_ path: String, root: String) -> String {
        path.hasPrefix("/") ? path : (root.isEmpty ? path : root + "/" + path)
    }

    /// A split read from its files, not yet checked: one array per model input, one per output
    /// (nil where no labels were given), each with where it came from.
    public struct RawSplit {
        public var inputs: [NumpyArray]
        public var targets: [NumpyArray?]
        public var inputSources: [String]
        public var targetSources: [String?]
        /// The class names the labels were mapped from (a CSV label column of texts), in index order.
        public var classes: [String]?
        /// The split's sample_weight and where it was read from.
        public var weights: NumpyArray?
        public var weightSource: String?
        /// For windows cut from a series: the split's name, the window, and the series's shape.
        public var windowed: (split: String, window: TimeseriesWindow, series: [Int])?

        public init(inputs: [NumpyArray], targets: [NumpyArray?], inputSources: [String], targetSources: [String?]) {
            self.inputs = inputs
            self.targets = targets
            self.inputSources = inputSources
            self.targetSources = targetSources
        }

        /// One input and (optionally) one output.
        public init(x: NumpyArray, y: NumpyArray?, xSource: String, ySource: String?) {
            self.init(inputs: [x], targets: [y], inputSources: [xSource], targetSources: [ySource])
        }

        /// The first input and the first output's labels.
        public var x: NumpyArray {
            get { inputs[0] }
            set { inputs[0] = newValue }
        }
        public var y: NumpyArray? {
            get { targets.first ?? nil }
            set { if targets.isEmpty { targets = [newValue] } else { targets[0] = newValue } }
        }
        public var xSource: String { inputSources[0] }
        public var ySource: String? { targetSources.first ?? nil }
        public var rows: Int { inputs.first?.rows ?? 0 }
    }

    /// A split's sample weights as Keras takes them: one finite number ≥ 0 per sample ([rows] or [rows, 1]).
    static func sampleWeights(_ array: NumpyArray, rows: Int, name: String, source: String) throws(DataError) -> [Float] {
        guard array.rows == rows, array.shape.count == 1 || (array.shape.count == 2 && array.shape[1] == 1) else {
            throw DataError("The \(name)'s sample_weight (\(source)) has shape \(shapeText(array.shape)), but it needs one weight per sample: (\(rows),)")
        }
        if let bad = array.values.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
            throw DataError("The \(name)'s sample_weight (\(source)) holds \(array.values[bad]) at sample \(bad); weights are finite numbers ≥ 0")
        }
        return array.values
    }

    /// Reads `split` and its sample weights; a weight column of a CSV split is not a feature.
    public static func read(_ split: DataSplit, weights: TensorData?, root: String, classes known: [String]? = nil,
                            name: String = "train") throws(DataError) -> RawSplit {
        guard let weights else { return try read(split, root: root, classes: known, name: name) }
        var split = split
        if case .csv(let path, nil, let labels, let classes) = split, case .columns(_, let columns) = weights {
            let header = try NumericCSV.header(resolve(path, root: root))
            split = .csv(path: path, features: header.filter { !labels.contains($0) && !columns.contains($0) }, labels: labels, classes: classes)
        }
        var raw = try read(split, root: root, classes: known, name: name)
        raw.weights = try read([weights], root: root)[0]
        raw.weightSource = weights.label
        return raw
    }

    /// Reads one split's arrays (files relative to `root`).
    /// `classes`: the training split's class names, which a validation or test split's label texts
    /// must map to (the spec's `classes:` take precedence).
    /// `name` names the split ("train") in the messages of its window.
    public static func read(_ split: DataSplit, root: String, classes known: [String]? = nil, name: String = "train") throws(DataError) -> RawSplit {
        switch split {
        case .windowed(let base, let window):
            var raw: RawSplit
            if case .csv(let path, let features?, let labels, _) = base, features.contains(where: labels.contains) {
                // The target's past among the inputs: the columns are read as groups, which may overlap.
                let groups = try NumericCSV.readGroups(resolve(path, root: root), groups: [features, labels])
                var x = groups[0]
                if x.shape.count == 1 { x.shape.append(1) }
                raw = RawSplit(x: x, y: groups[1], xSource: path, ySource: path)
            } else {
                raw = try read(base, root: root, classes: known, name: name)
            }
            let (x, y) = try TimeseriesWindows.cut(raw.x, targets: raw.y, window: window, split: name,
                                                  source: raw.xSource, targetSource: raw.ySource)
            raw.windowed = (name, window, raw.x.shape)
            raw.x = x
            raw.y = y
            return raw
        case .arrays(let xSpec, let ySpec):
            let x = try array(xSpec, root: root)
            var y: NumpyArray?
            if let ySpec { y = try array(ySpec, root: root) }
            return RawSplit(x: x, y: y, xSource: xSpec.label, ySource: ySpec?.label)
        case .csv(let path, let features, let labels, let classes):
            let read = try NumericCSV.read(resolve(path, root: root), features: features, labels: labels, classes: classes ?? known)
            var raw = RawSplit(x: read.x, y: read.y, xSource: path, ySource: path)
            raw.classes = read.classes
            return raw
        case .text(let source):
            throw DataError("\(source.label) is text, which is read through the training run's vocabulary, not as arrays")
        case .named(let inputs, let targets):
            let arrays = try read(inputs + targets.compactMap { $0 }, root: root)
            let xs = Array(arrays.prefix(inputs.count))
            var rest = arrays.dropFirst(inputs.count)
            let ys = targets.map { tensor -> NumpyArray? in tensor == nil ? nil : rest.removeFirst() }
            return RawSplit(inputs: xs, targets: ys, inputSources: inputs.map(\.label),
                            targetSources: targets.map { $0?.label })
        }
    }

    /// Named tensors of a split, in order; the columns each CSV file holds are read in one pass.
    static func read(_ tensors: [TensorData], root: String) throws(DataError) -> [NumpyArray] {
        var groups: [String: [[String]]] = [:]
        for case .columns(let path, let names) in tensors { groups[path, default: []].append(names) }
        var columns: [String: [NumpyArray]] = [:]
        for (path, wanted) in groups.sorted(by: { $0.key < $1.key }) {
            columns[path] = try NumericCSV.readGroups(resolve(path, root: root), groups: wanted)
        }
        var arrays: [NumpyArray] = []
        for tensor in tensors {
            switch tensor {
            case .array(let source): arrays.append(try array(source, root: root))
            case .columns(let path, _): arrays.append(columns[path]!.removeFirst())
            case .text(let path, let column):
                throw DataError("\(path)[\(column)] is text, which is read through the training run's vocabulary, not as an array")
            }
        }
        return arrays
    }

    /// Checks a split against the model and the losses (shapes, ids, label ranges) and keeps it in
    /// memory. `name` is "training data", "validation data", "test data" or "input data" for
    /// messages: a noun without an article, since the messages begin "The \(name) ..."; labels are required
    /// (and checked against its loss) for every output with a loss, unless `losses` is nil (predict).
    public static func prepare(_ raw: RawSplit, name: String, model: TypedModel, losses: [LossFunction?]?) throws(DataError) -> Dataset {
        try checkWindows(raw, model: model)
        let several = model.inputs.count > 1
        for (index, x) in raw.inputs.enumerated() {
            let input = model.inputs[index]
            try DataChecks.checkInput(x, inputShape: input.type.shape, tokenIDs: input.type.element == .tokenIDs,
                                      vocabulary: vocabulary(model, input: index), name: name,
                                      source: raw.inputSources[index], inputName: several ? input.name : nil)
        }
        if let first = raw.inputs.first {
            for (index, x) in raw.inputs.enumerated().dropFirst() where x.rows != first.rows {
                throw DataError("The \(name) has \(first.rows) samples for input '\(model.inputs[0].name)' (\(raw.inputSources[0])) but \(x.rows) for input '\(model.inputs[index].name)' (\(raw.inputSources[index])); every input and output needs one row per sample, in the same order.")
            }
        }
        var targets: [[Float]?] = []
        var targetShapes: [[Int]] = []
        let outputNames = model.outputs.map { model.layers[$0].name }
        for (output, name_) in outputNames.enumerated() {
            let loss = losses.flatMap { output < $0.count ? $0[output] : nil }
            let shape = loss?.targetShape ?? model.layers[model.outputs[output]].output.shape.map { $0 ?? 0 }
            let y = output < raw.targets.count ? raw.targets[output] : nil
            guard let y else {
                if loss != nil {
                    let which = outputNames.count > 1 ? " for output '\(name_)'" : ""
                    throw DataError("The \(name) has no labels (y)\(which); training and evaluation need them")
                }
                targets.append(nil)
                targetShapes.append(shape)
                continue
            }
            var labels = y
            // Class labels read from texts are indices; a categorical loss wants them one-hot.
            if let classes = raw.classes, let loss, loss.targetShape.count == 1, loss.targetShape[0] > 1, y.sampleShape.isEmpty {
                guard classes.count <= loss.targetShape[0] else {
                    throw DataError("The \(name) (\(raw.targetSources[output] ?? "labels")) has \(classes.count) classes (\(classes.prefix(12).joined(separator: ", "))) but \(name_) has \(loss.targetShape[0]) units; give the last Dense one unit per class")
                }
                labels = oneHot(labels, classes: loss.targetShape[0])
            }
            let normalized = loss.map { normalizedTargets(labels, targetShape: $0.targetShape) } ?? labels
            try DataChecks.checkTarget(normalized, rows: raw.rows, targetShape: loss == nil ? nil : shape, name: name,
                                       xSource: raw.inputSources[0], source: raw.targetSources[output],
                                       outputName: outputNames.count > 1 ? name_ : nil)
            if let loss, let problem = loss.labelProblem(normalized.values, rows: normalized.rows) {
                throw DataError("The \(name) (\(raw.targetSources[output] ?? "labels")): \(problem)")
            }
            targets.append(normalized.values)
            targetShapes.append(loss?.targetShape ?? normalized.sampleShape)
        }
        var dataset = Dataset(inputs: raw.inputs.map(\.values), inputShapes: raw.inputs.map(\.sampleShape), targets: targets,
                              targetShapes: targetShapes, rows: raw.rows)
        if let weights = raw.weights { dataset.weights = try sampleWeights(weights, rows: raw.rows, name: name, source: raw.weightSource ?? "sample_weight") }
        return dataset
    }

    /// Every input's array against its input's shape, before a network is built for them: the
    /// network's own shape errors cannot say which file (or which input) the samples came from.
    public static func checkShapes(_ raw: RawSplit, name: String, model: TypedModel) throws(DataError) {
        try checkWindows(raw, model: model)
        let several = model.inputs.count > 1
        for (index, x) in raw.inputs.enumerated() where index < model.inputs.count {
            let input = model.inputs[index]
            try DataChecks.checkInputShape(x, inputShape: input.type.shape, name: name, source: raw.inputSources[index],
                                           inputName: several ? input.name : nil)
        }
    }

    /// Windows cut from a series against the model's input, in the window's terms: the series's
    /// rows and features, the windows' shape, and what to change.
    static func checkWindows(_ raw: RawSplit, model: TypedModel) throws(DataError) {
        guard let (split, window, series) = raw.windowed, let input = model.inputs.first?.type.shape else { return }
        let sample = raw.x.sampleShape
        guard !DataChecks.matches(sample, input) else { return }
        // tf_keras conforms a trailing axis of 1 (a 1-D series for an input [sequence_length, 1]).
        if sample.count + 1 == input.count, input.last == 1, DataChecks.matches(sample, Array(input.dropLast())) { return }
        if sample.count == input.count + 1, sample.last == 1, DataChecks.matches(Array(sample.dropLast()), input) { return }
        let features = series.count == 1 ? "one value" : "\(series.dropFirst().map(String.init).joined(separator: " × ")) \(series.count == 2 && series[1] == 1 ? "feature" : "features")"
        let wanted = input.count >= 2 ? input[1].map { "give x \($0) \($0 == 1 ? "feature" : "features") per row or " } ?? "" : ""
        throw DataError("data \(split) window: \(raw.xSource) has \(series[0]) rows of \(features), cut into windows shaped \(DataChecks.describe(sample)) (sequence_length \(window.sequenceLength)), but the model's input is \(DataChecks.describe(input)); \(wanted)set the input to \(DataChecks.describe(sample))")
    }

    /// One loss (or none, for predict).
    public static func prepare(_ raw: RawSplit, name: String, model: TypedModel, loss: LossFunction?) throws(DataError) -> Dataset {
        try prepare(raw, name: name, model: model, losses: loss.map { [$0] })
    }

    /// Gives each input array its input's shape where they differ only by a trailing axis of size 1,
    /// as tf_keras conforms inputs (features (N,) for an input [1], or (N, T) for [T, 1]).
    public static func conform(_ raw: inout RawSplit, to model: TypedModel) {
        for index in raw.inputs.indices where index < model.inputs.count {
            let sample = raw.inputs[index].sampleShape
            let declared = model.inputs[index].type.shape
            if sample.count + 1 == declared.count, declared.last == 1,
               zip(sample, declared).allSatisfy({ $1 == nil || $0 == $1 }) {
                raw.inputs[index].shape.append(1)
            } else if sample.count == declared.count + 1, sample.last == 1,
                      zip(sample, declared).allSatisfy({ $1 == nil || $0 == $1 }) {
                raw.inputs[index].shape.removeLast()
            }
        }
    }

    /// Index labels [N] as one-hot rows [N, width] (the caller has checked the indices fit).
    static func oneHot(_ y: NumpyArray, classes width: Int) -> NumpyArray {
        var values = [Float](repeating: 0, count: y.rows * width)
        for (row, label) in y.values.enumerated() where label >= 0 && Int(label) < width {
            values[row * width + Int(label)] = 1
        }
        return NumpyArray(shape: [y.rows, width], values: values, kind: .int64)
    }

    /// Keras accepts labels shaped (N,) for an output (N, 1) and (N, 1) for sparse labels (N,).
    static func normalizedTargets(_ y: NumpyArray, targetShape: [Int]) -> NumpyArray {
        var y = y
        let sample = y.sampleShape
        if sample.count + 1 == targetShape.count, targetShape.last == 1, Array(targetShape.dropLast()) == sample {
            y.shape.append(1)
        } else if sample.count == targetShape.count + 1, sample.last == 1, Array(sample.dropLast()) == targetShape {
            y.shape.removeLast()
        }
        return y
    }

    /// input_dim of the Embedding (wrapped or not) reading input `index`, the bound of valid token ids.
    static func vocabulary(_ model: TypedModel, input index: Int = 0) -> Int? {
        guard model.inputs[index].type.element == .tokenIDs else { return nil }
        return model.layers.filter { $0.sources.contains(.input(index)) }.compactMap(\.embeddingInputDim).min()
    }

    static func array(_ source: ArraySource, root: String) throws(DataError) -> NumpyArray {
        switch source {
        case .inline(let values, let shape, let integers):
            return NumpyArray(shape: shape, values: values.map(Float.init), kind: integers ? .int64 : .float32)
        case .npy(let path):
            let resolved = resolve(path, root: root)
            return try NumpyArray.read(resolved)
        case .npz(let path, let member):
            let resolved = resolve(path, root: root)
            let members = try NumpyArchive.read(resolved)
            guard let array = members[member] else {
                throw DataError("\(resolved) has no array '\(FileExcerpts.name(member, limit: 60))'; it holds \(FileExcerpts.list(members.keys.sorted()))")
            }
            return array
        }
    }
}

