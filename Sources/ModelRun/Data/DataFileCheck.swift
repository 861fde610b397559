import Foundation
import ModelC

/// What `modelc check` finds in the data files a valid spec names, before any training: each file
/// exists (else a did-you-mean over its folder), and each split is read and checked exactly as
/// `train` reads and checks it (headers, dtypes, shapes against the inputs, CSV columns, labels
/// against the loss, NaN and infinity, row counts). A file larger than `scanLimit` is not read in
/// full: its header is checked and a note says its values were not. Every diagnostic points at the
/// spec's line that names the file (or the split), and its message still names the row or sample.
public enum DataFileCheck {
    /// Bytes of one file read in full; larger files get their header checked only.
    public static let scanLimit = 256 << 20

    /// The diagnostics of `result`'s data, relative paths under `root`.
    public static func diagnostics(_ result: SpecChecker.Result, root: String, scanLimit: Int = scanLimit) -> [Diagnostic] {
        guard let model = result.model, let data = model.data, let section = result.document?.data else { return [] }
        let splits: [(name: String, noun: String, split: DataSplit)] = [
            ("train", "training data", data.train), ("validation", "validation data", data.validation),
            ("test", "test data", data.test),
        ].compactMap { entry in entry.2.map { (entry.0, entry.1, $0) } }
        var diagnostics: [Diagnostic] = []
        var readable: [String: Bool] = [:]
        for (name, _, split) in splits {
            let splitRange = range(of: name, in: section)
            var ok = true
            for path in paths(of: split, weights: data.sampleWeights[name]) {
                if let problem = missing(path, root: root, spec: section, splitRange: splitRange) {
                    diagnostics.append(problem)
                    ok = false
                }
            }
            readable[name] = ok
        }
        // A split whose files all exist is read as train reads it (the validation split with the
        // training data, since a text validation split uses the training vocabulary).
        guard readable["train"] != false else { return diagnostics }
        var large: [String] = []
        for (name, _, split) in splits where readable[name] == true {
            for path in paths(of: split, weights: data.sampleWeights[name]) {
                let resolved = DataLoader.resolve(path, root: root)
                if let size = (try? FileManager.default.attributesOfItem(atPath: resolved))?[.size] as? Int, size > scanLimit {
                    large.append(path)
                    diagnostics.append(Diagnostic(.note, .dataNotScanned,
                        "\(path) is \(MemoryEstimate.text(Double(size))), more than `check` reads (\(MemoryEstimate.text(Double(scanLimit)))); its header was checked, its values were not (train checks them all)",
                        at: valueRange(path, in: section) ?? range(of: name, in: section) ?? section.range))
                    diagnostics += headerProblems(path: resolved, shown: path, split: split, model: model, section: section, splitName: name)
                }
            }
        }
        guard large.isEmpty else { return diagnostics }
        let losses = model.compile.map { compile in
            compile.outputs.enumerated().map { index, objective in
                objective.loss.map { loss in
                    let layer = model.layers[model.outputs[index]]
                    return LossFunction(loss, outputShape: layer.output.shape.map { $0 ?? 1 }, finalActivation: layer.activation)
                }
            }
        }
        let fit = model.fit ?? FitConfig.defaults
        do throws(DataError) {
            if let train = data.train {
                let sources = try TrainingSources.read(train, model: model, fit: fit, root: root)
                try DataLoader.checkShapes(sources.train, name: "training data", model: model)
                _ = try DataLoader.prepare(sources.train, name: "training data", model: model, losses: losses)
                if let validation = sources.validation {
                    _ = try DataLoader.prepare(validation, name: "validation data", model: model, losses: losses)
                }
                if let test = data.test, readable["test"] == true {
                    let raw = try TrainingSources.read(test, model: model, vocabulary: sources.vocabulary, classes: sources.train.classes, root: root,
                                                       weights: data.sampleWeights["test"], name: "test")
                    _ = try DataLoader.prepare(raw, name: "test data", model: model, losses: losses)
                }
            }
        } catch {
            diagnostics.append(located(error, splits: splits, section: section))
        }
        return diagnostics
    }

    /// A data error at the line of the file it names (or of its split, or the data section).
    static func located(_ error: DataError, splits: [(name: String, noun: String, split: DataSplit)],
                        section: Located<SpecValue>) -> Diagnostic {
        let message = error.description
        // A window's error ("data validation window: ...") at that split's window.
        for (name, _, split) in splits where split.window != nil && message.hasPrefix("data \(name) window") {
            if let at = section.entries?.first(where: { $0.key.value == name })?.value.entries?.first(where: { $0.key.value == "window" })?.key.range {
                return .error(.dataContents, message, at: at)
            }
        }
        // A name the message quotes ('c' of "has no column named 'c'") that the data section writes:
        // the most precise place.
        for quoted in message.split(separator: "'").enumerated().filter({ $0.offset % 2 == 1 }).map({ String($0.element) }) {
            if !quoted.isEmpty, let at = valueRange(quoted, in: section) { return .error(.dataContents, message, at: at) }
        }
        for (name, noun, split) in splits {
            let named = paths(of: split).sorted { $0.count > $1.count }.first { message.contains($0) }
            if let named, let at = valueRange(named, in: section) {
                return .error(.dataContents, message, at: at)
            }
            if message.contains(noun), let at = range(of: name, in: section) {
                return .error(.dataContents, message, at: at)
            }
        }
        return .error(.dataContents, message, at: section.range)
    }

    /// The file at `path` does not exist or is no regular file: a diagnostic with a did-you-mean over
    /// the names in its folder.
    static func missing(_ path: String, root: String, spec section: Located<SpecValue>, splitRange: SourceRange?) -> Diagnostic? {
        let resolved = DataLoader.resolve(path, root: root)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) { return nil }
        let at = valueRange(path, in: section) ?? splitRange ?? section.range
        let folder = (resolved as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let siblings = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
        var message = "data file \(Excerpt.escaped(path)) does not exist"
        message += root.isEmpty || path.hasPrefix("/") ? "" : " (looked for \(Excerpt.escaped(resolved)); relative paths start at the data root: --data DIR, MODELC_DATA, else the spec's folder)"
        var fixes: [Fix] = []
        if let guess = Suggestion.closest(to: name, among: siblings) {
            let replacement = (path as NSString).deletingLastPathComponent.isEmpty ? guess
                : (path as NSString).deletingLastPathComponent + "/" + guess
            message += "; did you mean '\(replacement)'?"
            if valueRange(path, in: section) != nil { fixes.append(.replace(at, path, with: replacement)) }
        } else if !FileManager.default.fileExists(atPath: folder.isEmpty ? "." : folder) {
            message += "; its folder \(Excerpt.escaped(folder)) does not exist either"
        }
        return .error(.dataFileMissing, message, at: at, fixes: fixes)
    }

    /// For a file too large to read here: the `.npy` header's sample shape against the model's input.
    static func headerProblems(path: String, shown: String, split: DataSplit, model: TypedModel,
                               section: Located<SpecValue>, splitName: String) -> [Diagnostic] {
        guard path.hasSuffix(".npy"), case .arrays(let x, _) = split, case .npy(let xPath) = x,
              DataLoader.resolve(xPath, root: "") == shown || xPath == shown,
              let peeked = NumpyArray.peekShape(path) else { return [] }
        let sample = Array(peeked.shape.dropFirst())
        guard !DataChecks.matches(sample, model.input.shape) else { return [] }
        return [.error(.dataContents,
                       "\(shown) holds samples of shape \(DataChecks.describe(sample)) (array shape \(DataChecks.describe(peeked.shape))), but the model's input shape is \(DataChecks.describe(model.input.shape))",
                       at: valueRange(shown, in: section) ?? section.range)]
    }

    /// Every file a split names, as written.
    static func paths(of split: DataSplit, weights: TensorData? = nil) -> [String] {
        func array(_ source: ArraySource?) -> [String] {
            switch source {
            case .npy(let path)?: [path]
            case .npz(let path, _)?: [path]
            default: []
            }
        }
        var result: [String]
        switch split {
        case .windowed(let base, _): result = paths(of: base)
        case .arrays(let x, let y): result = array(x) + array(y)
        case .csv(let path, _, _, _): result = [path]
        case .text(let source): result = [source.label]
        case .named(let x, let y):
            result = (x.map(Optional.some) + y).flatMap { tensor -> [String] in
                switch tensor {
                case .array(let source)?: array(source)
                case .columns(let path, _)?: [path]
                case .text(let path, _)?: [path]
                case nil: []
                }
            }
        }
        if case .array(let source)? = weights { result += array(source) }
        var seen = Set<String>()
        return result.filter { seen.insert($0).inserted }
    }

    /// The key of split `name` in the data section.
    static func range(of name: String, in section: Located<SpecValue>) -> SourceRange? {
        section.entries?.first { $0.key.value == name }?.key.range
    }

    /// The first string value equal to `path` anywhere in the data section: where the spec names it.
    static func valueRange(_ path: String, in section: Located<SpecValue>) -> SourceRange? {
        func search(_ node: Located<SpecValue>) -> SourceRange? {
            switch node.value {
            case .string(let text): return text == path ? node.range : nil
            case .mapping(let entries): return entries.lazy.compactMap { search($0.value) }.first
            case .list(let items): return items.lazy.compactMap(search).first
            default: return nil
            }
        }
        return search(section)
    }
}
