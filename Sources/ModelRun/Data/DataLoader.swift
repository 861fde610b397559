import Foundation
import ModelC

/// Reads the splits `data:` names into memory and checks them against the model before any step.
public enum DataLoader {
    /// A path as written, resolved against the data root (the spec's folder unless `--data` says otherwise).
    public static func resolve(_ path: String, root: String) -> String {
        path.hasPrefix("/") ? path : (root.isEmpty ? path : root + "/" + path)
    }

    /// A split read from its files, not yet checked.
    public struct RawSplit {
        public var x: NumpyArray
        public var y: NumpyArray?
        public var xSource: String
        public var ySource: String?
    }

    /// Reads one split's arrays (files relative to `root`).
    public static func read(_ split: DataSplit, root: String) throws(DataError) -> RawSplit {
        switch split {
        case .arrays(let xSpec, let ySpec):
            let x = try array(xSpec, root: root)
            var y: NumpyArray?
            if let ySpec { y = try array(ySpec, root: root) }
            return RawSplit(x: x, y: y, xSource: xSpec.label, ySource: ySpec?.label)
        case .csv(let path, let features, let labels):
            let read = try NumericCSV.read(resolve(path, root: root), features: features, labels: labels)
            return RawSplit(x: read.x, y: read.y, xSource: path, ySource: path)
        case .text(let source):
            throw DataError("\(source.label) is text, which is read through the training run's vocabulary, not as arrays")
        }
    }

    /// Checks a split against the model and the loss (shapes, ids, label ranges) and keeps it in
    /// memory. `name` is "training data", "validation data", ... for messages; labels are required
    /// (and checked against the loss) unless `loss` is nil (predict).
    public static func prepare(_ raw: RawSplit, name: String, model: TypedModel, loss: LossFunction?) throws(DataError) -> Dataset {
        if loss != nil, raw.y == nil {
            throw DataError("\(name) has no labels (y); training and evaluation need them")
        }
        let targets = loss.flatMap { loss in raw.y.map { normalizedTargets($0, targetShape: loss.targetShape) } }
        try DataChecks.check(x: raw.x, y: targets, inputShape: model.input.shape, tokenIDs: model.input.element == .tokenIDs,
                             vocabulary: vocabulary(model), targetShape: targets == nil ? nil : loss?.targetShape, name: name,
                             xSource: raw.xSource, ySource: raw.ySource)
        if let targets, let loss, let problem = loss.labelProblem(targets.values, rows: targets.rows) {
            throw DataError("\(name) (\(raw.ySource ?? "labels")): \(problem)")
        }
        return Dataset(x: raw.x.values, y: targets?.values, rows: raw.x.rows, sampleShape: raw.x.sampleShape,
                       targetShape: targets?.sampleShape ?? loss?.targetShape ?? [])
    }

    /// Gives x the model's input shape where they differ only by a trailing axis of size 1, as
    /// tf_keras conforms inputs (features (N,) for an input [1], or (N, T) for [T, 1]).
    public static func conform(_ raw: inout RawSplit, to model: TypedModel) {
        let sample = raw.x.sampleShape
        let declared = model.input.shape
        if sample.count + 1 == declared.count, declared.last == 1,
           zip(sample, declared).allSatisfy({ $1 == nil || $0 == $1 }) {
            raw.x.shape.append(1)
        } else if sample.count == declared.count + 1, sample.last == 1,
                  zip(sample, declared).allSatisfy({ $1 == nil || $0 == $1 }) {
            raw.x.shape.removeLast()
        }
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

    /// input_dim of a first Embedding (wrapped or not), the bound of valid token ids.
    static func vocabulary(_ model: TypedModel) -> Int? {
        guard model.input.element == .tokenIDs, let first = model.layers.first else { return nil }
        var arguments = first.arguments
        var inner = first.inner
        while first.descriptor.kind != .embedding, let next = inner {
            arguments = next.arguments
            if next.descriptor.kind == .embedding { break }
            inner = next.inner
        }
        return arguments.optionalInt("input_dim")
    }

    static func array(_ source: ArraySource, root: String) throws(DataError) -> NumpyArray {
        switch source {
        case .inline(let values, let shape, let integers):
            return NumpyArray(shape: shape, values: values.map(Float.init), kind: integers ? .int64 : .float32)
        case .npy(let path):
            let resolved = resolve(path, root: root)
            return try NumpyArray.decode(AtomicFile.read(resolved, what: "data file"), file: resolved)
        case .npz(let path, let member):
            let resolved = resolve(path, root: root)
            let members = try NumpyArchive.read(resolved)
            guard let array = members[member] else {
                throw DataError("\(resolved) has no array '\(member)'; it holds \(members.keys.sorted().joined(separator: ", "))")
            }
            return array
        }
    }

    /// Arrays given on the command line (`--input`, `--labels`).
    public static func read(input: String, labels: String?) throws(DataError) -> RawSplit {
        let x = try NumpyArray.decode(AtomicFile.read(input, what: "input file"), file: input)
        var y: NumpyArray?
        if let labels { y = try NumpyArray.decode(AtomicFile.read(labels, what: "labels file"), file: labels) }
        return RawSplit(x: x, y: y, xSource: input, ySource: labels)
    }
}

