import ModelC

/// Moves a network's weights to and from safetensors files, named `<layer>/<weight>` with Keras's
/// weight names and layouts.
public enum WeightsFile {
    public static func tensors(of network: Network) -> [(name: String, tensor: SafeTensors.Tensor)] {
        network.parameters.map { ($0.name, SafeTensors.Tensor(shape: $0.shape, values: $0.value.array)) }
    }

    /// Writes every weight (atomically): a Keras file for a `.keras` or `.h5` name, as Keras's
    /// ModelCheckpoint does (the whole model, or with `weightsOnly` the weights as `save_weights`
    /// writes them), safetensors for any other name.
    public static func save(_ network: Network, to path: String, weightsOnly: Bool = false, optimizer: Optimizer? = nil) throws(DataError) {
        if let format = KerasFileFormat(path: path) {
            let named = Dictionary(uniqueKeysWithValues: tensors(of: network).map { ($0.name, $0.tensor) })
            let bytes = weightsOnly && format == .h5
                ? try KerasWriter.encodeWeights(network.model, tensors: named, path: path)
                : try KerasWriter.encode(network.model, tensors: named, format: format, optimizer: optimizer)
            try AtomicFile.write(bytes, to: path)
            return
        }
        try AtomicFile.write(SafeTensors.encode(tensors(of: network), metadata: ["producer": "modelc", "model": network.model.name]), to: path)
    }

    /// Reads weights into the network from a safetensors file or a Keras file (`.keras`, `.h5`,
    /// told apart by their contents). Every weight must be present with its exact shape; a missing,
    /// extra or misshaped tensor is refused by name and nothing is changed.
    public static func load(_ network: Network, from path: String) throws(WeightsError) {
        try load(network, tensors: tensors(for: network.model, from: path), file: path)
    }

    /// The weights in `path` under modelc's names: a safetensors file as it is, a Keras file
    /// matched to `model` as Keras's `load_weights` matches it.
    public static func tensors(for model: TypedModel, from path: String) throws(WeightsError) -> [String: SafeTensors.Tensor] {
        let bytes: [UInt8]
        do {
            bytes = try DataFile.read(path, what: "the weights file", origin: .commandLine)
        } catch {
            throw WeightsError(error.description)
        }
        if HDF5Reader.isHDF5(bytes) || bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            do {
                return try KerasFile.decode(bytes, path: path).tensors(for: model)
            } catch {
                throw WeightsError(error.description)
            }
        }
        return try SafeTensors.decode(bytes, file: path)
    }

    public static func load(_ network: Network, tensors: [String: SafeTensors.Tensor], file: String) throws(WeightsError) {
        let expected = Set(network.parameters.map(\.name))
        if let extra = tensors.keys.sorted().first(where: { !expected.contains($0) }) {
            throw WeightsError("\(file) has a tensor '\(FileExcerpts.name(extra, limit: 60))' that this model does not have; the model's weights are \(network.parameters.map(\.name).joined(separator: ", "))")
        }
        for parameter in network.parameters {
            guard let tensor = tensors[parameter.name] else {
                throw WeightsError("\(file) lacks the tensor '\(parameter.name)' (\(parameter.shape))")
            }
            guard tensor.shape == parameter.shape else {
                throw WeightsError("\(file): tensor '\(parameter.name)' is shaped \(tensor.shape) but the model needs \(parameter.shape)")
            }
        }
        for parameter in network.parameters {
            let values = tensors[parameter.name]!.values
            if !values.isEmpty {
                values.withUnsafeBufferPointer { parameter.value.base.update(from: $0.baseAddress!, count: values.count) }
            }
        }
    }
}
