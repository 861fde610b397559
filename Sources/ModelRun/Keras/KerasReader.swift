import ModelC

/// A Keras file opened as data: its model config (JSON, never evaluated) and its weights tree.
/// `.keras` archives are read with the bounds-checked zip reader and never extracted, so member
/// names cannot point anywhere; the HDF5 parts go through `HDF5Reader`'s limits.
public struct KerasFile: Sendable {
    public let format: KerasFileFormat
    /// `config.json` (Keras 3) or the `model_config` attribute (tf_keras).
    public let config: JSONValue
    /// tf_keras's `training_config`, when the file has one.
    public let trainingConfig: JSONValue?
    /// Keras 3's `model.weights.h5`, or the whole tf_keras file.
    public let tree: HDF5Group
    public let path: String
    /// True for a file of weights without the model (`.weights.h5`, tf_keras's `save_weights`).
    public var weightsOnly: Bool { config == .null }
    /// The Keras version that wrote it (`metadata.json`, or the `keras_version` attribute).
    public var kerasVersion: String?

    /// What the bytes hold decides the format (a zip is `.keras`, HDF5 is `.h5`), not the name.
    public static func read(_ path: String) throws(DataError) -> KerasFile {
        let bytes = try DataFile.read(path, what: "the Keras file", origin: .commandLine)
        return try decode(bytes, path: path)
    }

    public static func decode(_ bytes: [UInt8], path: String) throws(DataError) -> KerasFile {
        let shown = DataFile.shown(path)
        if HDF5Reader.isHDF5(bytes) {
            let tree = try HDF5Reader.read(bytes, file: shown)
            guard let text = tree.attribute("model_config")?.text else {
                // Weights-only files: Keras 3's `.weights.h5` and tf_keras's `save_weights('w.h5')`.
                if tree.group(at: "layers") != nil || tree.group(at: "vars") != nil {
                    return KerasFile(format: .keras, config: .null, trainingConfig: nil, tree: tree, path: path, kerasVersion: nil)
                }
                if tree.attribute("layer_names") != nil {
                    return KerasFile(format: .h5, config: .null, trainingConfig: nil, tree: tree, path: path,
                                     kerasVersion: tree.attribute("keras_version")?.text)
                }
                throw DataError("\(shown) is an HDF5 file without a `model_config` attribute or Keras weights, so not a Keras file (tf_keras writes one with model.save('model.h5'))")
            }
            let config = try json(Array(text.utf8), what: "its model_config attribute", file: shown)
            let training = try tree.attribute("training_config")?.text.map { text throws(DataError) in
                try json(Array(text.utf8), what: "its training_config attribute", file: shown)
            }
            return KerasFile(format: .h5, config: config, trainingConfig: training, tree: tree, path: path,
                             kerasVersion: tree.attribute("keras_version")?.text)
        }
        let members: [ZipMembers.Member]
        do {
            members = try ZipMembers.list(bytes)
        } catch {
            throw DataError("\(shown) is neither a .keras archive (a zip) nor a tf_keras .h5 file: it \(error.reason.replacingOccurrences(of: " (numpy's .npz files are zip archives)", with: ""))")
        }
        for member in members where !isSafe(member.name) {
            throw DataError("\(shown) has a member named '\(FileExcerpts.name(member.name, limit: 80))', a path that leads outside the archive; a .keras file Keras wrote has only metadata.json, config.json and model.weights.h5")
        }
        func content(_ name: String, limit: Int) throws(DataError) -> [UInt8] {
            guard let member = members.first(where: { $0.name == name }) else {
                throw DataError("\(shown) has no \(name); a .keras archive holds metadata.json, config.json and model.weights.h5 (members: \(members.prefix(8).map { FileExcerpts.name($0.name, limit: 40) }.joined(separator: ", ")))")
            }
            do {
                return try ZipMembers.contents(of: member, in: bytes, limit: limit)
            } catch {
                // The zip reader's advice is for .npz data; a Keras member cannot be split.
                throw DataError("\(shown)[\(name)] \(error.reason.replacingOccurrences(of: ", so split the data into smaller files", with: ""))")
            }
        }
        let config = try json(content("config.json", limit: 256 << 20), what: "config.json", file: shown)
        let weightsName = "model.weights.h5"
        guard members.contains(where: { $0.name == weightsName }) else {
            if members.contains(where: { $0.name == "model.weights.npz" }) {
                throw DataError("\(shown) keeps its weights as model.weights.npz; modelc reads the default .h5 weights (save with model.save('model.keras'))")
            }
            throw DataError("\(shown) has no \(weightsName); a .keras archive holds metadata.json, config.json and model.weights.h5")
        }
        let tree = try HDF5Reader.read(content(weightsName, limit: 4 << 30), file: "\(shown)[\(weightsName)]")
        let metadata = members.contains { $0.name == "metadata.json" } ? try? json(content("metadata.json", limit: 1 << 20), what: "metadata.json", file: shown) : nil
        return KerasFile(format: .keras, config: config, trainingConfig: nil, tree: tree, path: path,
                         kerasVersion: metadata?["keras_version"]?.stringValue)
    }

    /// A relative path inside the archive without `..`, a drive or a leading slash.
    static func isSafe(_ name: String) -> Bool {
        if name.hasPrefix("/") || name.hasPrefix("\\") || name.contains(":") { return false }
        let parts = name.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        return !parts.contains("..") && !name.unicodeScalars.contains { $0.value < 0x20 }
    }

    static func json(_ bytes: [UInt8], what: String, file: String) throws(DataError) -> JSONValue {
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw DataError("\(file): \(what) is not valid JSON (\(error.description))")
        }
    }
}

extension KerasFile {
    /// This file's weights for `model`, under modelc's names, matched as Keras's `load_weights`
    /// matches them: by structure, not by layer name. Keras 3 files by the weight paths (class and
    /// position), tf_keras files by the order of the layers that have weights. Every weight must be
    /// there with its exact shape; the message names the layer and the path.
    public func tensors(for model: TypedModel) throws(DataError) -> [String: SafeTensors.Tensor] {
        let layout = KerasWeightLayout(model)
        let shown = DataFile.shown(path)
        var tensors: [String: SafeTensors.Tensor] = [:]
        switch format {
        case .keras:
            for weight in layout.weights {
                let path = "\(weight.keras3Group)/\(weight.keras3Index)"
                guard case .dataset(let dataset)? = tree.group(at: weight.keras3Group)?[child: String(weight.keras3Index)] else {
                    throw DataError("\(shown) has no weight at \(path), where Keras keeps '\(weight.name)' \(weight.shape) of this model; the file was saved from a model with other layers (compare `modelc import \(shown)` with the spec)")
                }
                guard dataset.shape == weight.shape else {
                    throw DataError("\(shown): the weight at \(path) is shaped \(dataset.shape), but '\(weight.name)' of this model is \(weight.shape)")
                }
                tensors[weight.name] = SafeTensors.Tensor(shape: dataset.shape, values: dataset.floats)
            }
        case .h5:
            guard let root = tree.group(at: "model_weights") ?? (tree.attribute("layer_names") != nil ? tree : nil),
                  let names = root.attribute("layer_names")?.texts else {
                throw DataError("\(shown) has no model_weights group with layer_names; it is not a model file tf_keras wrote")
            }
            var fileLayers: [(name: String, weights: [(String, HDF5Dataset)])] = []
            for name in names {
                guard let group = root.group(at: name) else { throw DataError("\(shown) lists layer '\(name)' in layer_names but has no group for it") }
                let weightNames = group.attribute("weight_names")?.texts ?? []
                var weights: [(String, HDF5Dataset)] = []
                for weightName in weightNames {
                    guard case .dataset(let dataset)? = pathNode(group, weightName) else {
                        throw DataError("\(shown) lists weight '\(weightName)' of layer '\(name)' but has no dataset for it")
                    }
                    weights.append((weightName, dataset))
                }
                if !weights.isEmpty { fileLayers.append((name, weights)) }
            }
            var modelLayers: [(name: String, weights: [KerasWeightLayout.Weight])] = []
            for name in layout.tfKerasLayers {
                let mine = layout.weights.filter { $0.tfKerasLayer == name }
                if !mine.isEmpty { modelLayers.append((name, mine)) }
            }
            guard fileLayers.count == modelLayers.count else {
                throw DataError("\(shown) has weights for \(fileLayers.count) layers (\(fileLayers.map(\.name).joined(separator: ", "))) but this model has \(modelLayers.count) layers with weights (\(modelLayers.map(\.name).joined(separator: ", "))); tf_keras matches them in order")
            }
            for (fileLayer, modelLayer) in zip(fileLayers, modelLayers) {
                guard fileLayer.weights.count == modelLayer.weights.count else {
                    throw DataError("\(shown): layer '\(fileLayer.name)' has \(fileLayer.weights.count) weights, but '\(modelLayer.name)' of this model has \(modelLayer.weights.count)")
                }
                for ((weightName, dataset), weight) in zip(fileLayer.weights, modelLayer.weights) {
                    guard dataset.shape == weight.shape else {
                        throw DataError("\(shown): weight '\(weightName)' of layer '\(fileLayer.name)' is shaped \(dataset.shape), but '\(weight.name)' of this model is \(weight.shape)")
                    }
                    tensors[weight.name] = SafeTensors.Tensor(shape: dataset.shape, values: dataset.floats)
                }
            }
        }
        return tensors
    }

    private func pathNode(_ group: HDF5Group, _ path: String) -> HDF5Node? {
        let parts = path.split(separator: "/").map(String.init)
        guard let last = parts.last else { return nil }
        return group.group(at: parts.dropLast().joined(separator: "/"))?[child: last]
    }
}
