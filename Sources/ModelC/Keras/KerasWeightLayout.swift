/// Where each of a model's weights lives in Keras's files, beside modelc's own name for it
/// (`<layer>/<weight>`, `<layer>/forward/<weight>` inside a Bidirectional).
///
/// Keras 3 (`model.weights.h5`) numbers weights, not names them: `layers/<class_snake>[_N]/vars/<i>`,
/// N counting layers of the same class in `model.layers` order (input layers included for a
/// functional model), i the weight's position in the layer; a recurrent layer keeps them in its
/// cell (`cell/vars`), a Bidirectional in `forward_layer` and `backward_layer`, a TimeDistributed
/// in `layer`. Every object on the way has a `vars` group whose `name` attribute is its name.
/// tf_keras (`.h5`) keeps `model_weights/<layer>/<variable name>` with names such as
/// `bidirectional/forward_lstm/lstm_cell/kernel:0`, listed in the `weight_names` attribute in order.
public struct KerasWeightLayout: Sendable {
    public struct Weight: Sendable, Equatable {
        /// modelc's name, the key of a weights file.
        public let name: String
        public let shape: [Int]
        /// The `vars` group (`layers/lstm/cell/vars`) and the index in it.
        public let keras3Group: String
        public let keras3Index: Int
        /// The tf_keras layer group (`dense`) and the variable's name in it (`dense/kernel:0`).
        public let tfKerasLayer: String
        public let tfKerasName: String
        public let trainable: Bool
    }

    /// A Keras 3 object with a `vars` group: its path and name.
    public struct Saveable: Sendable, Equatable {
        public let path: String
        public let name: String
    }

    public let weights: [Weight]
    public let saveables: [Saveable]
    /// tf_keras's `layer_names`: every layer of `model.layers`, in order.
    public let tfKerasLayers: [String]

    public init(_ model: TypedModel) {
        var weights: [Weight] = []
        var saveables: [Saveable] = [Saveable(path: "", name: model.name)]
        var tfKerasLayers: [String] = []
        var used: [String: Int] = [:]
        func unique(_ stem: String) -> String {
            if let count = used[stem] {
                used[stem] = count + 1
                return "\(stem)_\(count + 1)"
            }
            used[stem] = 0
            return stem
        }
        for node in KerasConfigWriter.kerasOrder(model) {
            switch node {
            case .input(let index):
                guard model.isFunctional else { continue }
                saveables.append(Saveable(path: "layers/" + unique("input_layer"), name: model.inputs[index].name))
                tfKerasLayers.append(model.inputs[index].name)
            case .layer(let index):
                let layer = model.layers[index]
                let path = "layers/" + unique(layer.descriptor.autoName)
                tfKerasLayers.append(layer.name)
                saveables.append(Saveable(path: path, name: layer.name))
                let place = Place(layer: layer.name, keras3: path, tfKeras: layer.name)
                place.add(layer.descriptor, name: layer.name, inner: layer.inner, weights: layer.weights,
                          prefix: "", into: &weights, saveables: &saveables)
            }
        }
        self.weights = weights
        self.saveables = saveables
        self.tfKerasLayers = tfKerasLayers
    }

    /// Walks one layer's objects, nested layers included.
    private struct Place {
        let layer: String
        let keras3: String
        let tfKeras: String

        func add(_ descriptor: LayerDescriptor, name: String, inner: TypedInnerLayer?, weights declared: [WeightDecl],
                 prefix: String, into weights: inout [Weight], saveables: inout [Saveable]) {
            if let inner, descriptor.keras.twoDirections {
                for direction in ["forward", "backward"] {
                    let innerName = "\(direction)_\(inner.name)"
                    saveables.append(Saveable(path: "\(keras3)/\(direction)_layer", name: innerName))
                    let place = Place(layer: layer, keras3: "\(keras3)/\(direction)_layer", tfKeras: "\(tfKeras)/\(innerName)")
                    let mine = declared.filter { $0.name.hasPrefix(direction + "/") }.map { weight in
                        var renamed = weight
                        renamed.name = String(weight.name.dropFirst(direction.count + 1))
                        return renamed
                    }
                    place.add(inner.descriptor, name: innerName, inner: inner.inner, weights: mine,
                              prefix: "\(prefix)\(direction)/", into: &weights, saveables: &saveables)
                }
                return
            }
            if let inner {
                saveables.append(Saveable(path: "\(keras3)/layer", name: inner.name))
                let place = Place(layer: layer, keras3: "\(keras3)/layer", tfKeras: tfKeras)
                place.add(inner.descriptor, name: inner.name, inner: inner.inner, weights: declared,
                          prefix: prefix, into: &weights, saveables: &saveables)
                return
            }
            var group = "\(keras3)/vars"
            var scope = tfKeras
            if let cell = descriptor.keras.cell {
                saveables.append(Saveable(path: "\(keras3)/cell", name: cell))
                group = "\(keras3)/cell/vars"
                scope += "/" + cell
            }
            for (index, weight) in declared.enumerated() {
                weights.append(Weight(name: "\(layer)/\(prefix)\(weight.name)", shape: weight.shape, keras3Group: group,
                                      keras3Index: index, tfKerasLayer: layer, tfKerasName: "\(scope)/\(weight.name):0",
                                      trainable: weight.trainable))
            }
        }
    }
}
