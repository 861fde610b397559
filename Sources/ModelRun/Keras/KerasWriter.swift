import Foundation
import ModelC

/// Which Keras file a path names, by its suffix: `.keras` (Keras 3) or `.h5`/`.hdf5` (tf_keras).
public enum KerasFileFormat: String, Sendable {
    case keras
    case h5

    public init?(path: String) {
        let lowered = path.lowercased()
        if lowered.hasSuffix(".keras") { self = .keras }
        else if lowered.hasSuffix(".h5") || lowered.hasSuffix(".hdf5") { self = .h5 }
        else { return nil }
    }

    public var flavor: KerasFlavor { self == .keras ? .keras3 : .tfKeras }
}

/// Writes a checked model and its weights as a Keras file: a Keras 3 `.keras` archive or a
/// tf_keras `.h5`, each as Keras itself lays it out (KerasConfigWriter, KerasWeightLayout), so
/// `keras.models.load_model` (safe mode on) gives the same model, compiled, with these weights.
public enum KerasWriter {
    /// The Keras version whose layout the files follow (the `keras_version` they declare).
    public static let keras3Version = "3.15.1"
    public static let tfKerasVersion = "2.21.0"

    /// The file's bytes; `tensors` are modelc-named weights (every weight of the model, exact shapes).
    /// `optimizer`: a training's optimizer state, stored in a `.keras` file's `optimizer/vars` as
    /// Keras 3 keeps it (tf_keras `.h5` files are written without `optimizer_weights`).
    public static func encode(_ model: TypedModel, tensors: [String: SafeTensors.Tensor], format: KerasFileFormat,
                              optimizer: Optimizer? = nil, date: Date = Date(), checkOnly: Bool = false) throws(DataError) -> [UInt8] {
        let layout = KerasWeightLayout(model)
        for weight in layout.weights {
            guard let tensor = tensors[weight.name] else { throw DataError("the weights lack '\(weight.name)' (\(weight.shape))") }
            guard tensor.shape == weight.shape else {
                throw DataError("the weight '\(weight.name)' is shaped \(tensor.shape) but the model needs \(weight.shape)")
            }
        }
        if checkOnly { return [] }
        switch format {
        case .keras: return try archive(model, layout: layout, tensors: tensors, optimizer: optimizer, date: date)
        case .h5: return try HDF5Writer.image(of: legacyTree(model, layout: layout, tensors: tensors))
        }
    }

    /// A weights-only file, as Keras's `save_weights` writes it: Keras 3's `.weights.h5` (the tree of
    /// `model.weights.h5`) or, for another `.h5` name, tf_keras's (the `model_weights` group as the root).
    public static func encodeWeights(_ model: TypedModel, tensors: [String: SafeTensors.Tensor], path: String) throws(DataError) -> [UInt8] {
        let layout = KerasWeightLayout(model)
        _ = try encode(model, tensors: tensors, format: .h5, checkOnly: true)
        if path.lowercased().hasSuffix(".weights.h5") {
            return try HDF5Writer.image(of: keras3Tree(model, layout: layout, tensors: tensors))
        }
        guard case .group(let weights)? = legacyTree(model, layout: layout, tensors: tensors)[child: "model_weights"] else {
            throw DataError("the weights could not be laid out")
        }
        return try HDF5Writer.image(of: weights)
    }

    public static func write(_ model: TypedModel, tensors: [String: SafeTensors.Tensor], to path: String) throws(DataError) {
        guard let format = KerasFileFormat(path: path) else {
            throw DataError("\(path) names no Keras file format; end it in .keras (Keras 3) or .h5 (tf_keras)")
        }
        try AtomicFile.write(encode(model, tensors: tensors, format: format), to: path)
    }

    /// `model.weights.h5` of a `.keras` archive.
    static func keras3Tree(_ model: TypedModel, layout: KerasWeightLayout, tensors: [String: SafeTensors.Tensor]) -> HDF5Group {
        var root = HDF5Group()
        // Groups exist for every layer even when empty, so `layers` is made first as Keras does.
        root.set(.group(HDF5Group()), at: "layers")
        for saveable in layout.saveables {
            let vars = saveable.path.isEmpty ? "vars" : saveable.path + "/vars"
            root.set(.group(HDF5Group(attributes: [HDF5Attribute("name", .string(saveable.name))])), at: vars)
        }
        for weight in layout.weights {
            let tensor = tensors[weight.name]!
            root.set(.dataset(HDF5Dataset(shape: tensor.shape, values: .float32(tensor.values))), at: "\(weight.keras3Group)/\(weight.keras3Index)")
        }
        return root
    }

    static func archive(_ model: TypedModel, layout: KerasWeightLayout, tensors: [String: SafeTensors.Tensor],
                        optimizer: Optimizer?, date: Date) throws(DataError) -> [UInt8] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd@HH:mm:ss"
        let metadata = JSONValue.object([("keras_version", .string(keras3Version)), ("date_saved", .string(formatter.string(from: date))),
                                         ("producer", .string("modelc \(modelcVersion)"))])
        let config = KerasConfigWriter.model(model, flavor: .keras3)
        var tree = keras3Tree(model, layout: layout, tensors: tensors)
        if let optimizer, let compile = model.compile {
            tree.set(.group(HDF5Group(attributes: [HDF5Attribute("name", .string(snakeCase(compile.optimizer.descriptor.className)))])),
                     at: "optimizer/vars")
            for (index, dataset) in optimizer.keras3Variables().enumerated() { tree.set(.dataset(dataset), at: "optimizer/vars/\(index)") }
        }
        let weights = try HDF5Writer.image(of: tree)
        let members: [(String, [UInt8])] = [
            ("metadata.json", Array(metadata.rendered(indent: nil).utf8)),
            ("config.json", Array(config.rendered(indent: nil).utf8)),
            ("model.weights.h5", weights),
        ]
        return try ZipMembers.stored(members, date: date, what: ".keras")
    }

    /// A tf_keras `.h5` file: the config and compile settings as attributes, the weights under `model_weights`.
    static func legacyTree(_ model: TypedModel, layout: KerasWeightLayout, tensors: [String: SafeTensors.Tensor]) -> HDF5Group {
        var root = HDF5Group(attributes: [
            HDF5Attribute("backend", .string("tensorflow")),
            HDF5Attribute("keras_version", .string(tfKerasVersion)),
            HDF5Attribute("model_config", .asciiString(KerasConfigWriter.model(model, flavor: .tfKeras).rendered(indent: nil))),
        ])
        if let training = KerasConfigWriter.trainingConfig(model) {
            root.attributes.append(HDF5Attribute("training_config", .asciiString(training.rendered(indent: nil))))
        }
        var weights = HDF5Group(attributes: [
            HDF5Attribute("backend", .asciiString("tensorflow")),
            HDF5Attribute("keras_version", .asciiString(tfKerasVersion)),
            HDF5Attribute("layer_names", .asciiStringList(layout.tfKerasLayers)),
        ])
        for layer in layout.tfKerasLayers {
            let mine = layout.weights.filter { $0.tfKerasLayer == layer }
            var group = HDF5Group(attributes: [HDF5Attribute("weight_names", mine.isEmpty ? .emptyList : .asciiStringList(mine.map(\.tfKerasName)))])
            for weight in mine {
                let tensor = tensors[weight.name]!
                group.set(.dataset(HDF5Dataset(shape: tensor.shape, values: .float32(tensor.values))), at: weight.tfKerasName)
            }
            weights.children.append((layer, .group(group)))
        }
        weights.children.append(("top_level_model_weights", .group(HDF5Group(attributes: [HDF5Attribute("weight_names", .emptyList)]))))
        root.children.append(("model_weights", .group(weights)))
        return root
    }
}
