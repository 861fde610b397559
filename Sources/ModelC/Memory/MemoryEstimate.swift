/// How much memory a run of a model needs, as the runtime allocates it: every part in bytes, for
/// batch buffers of `capacity` samples. Arithmetic is in Doubles, so absurd sizes give an absurd
/// estimate instead of an overflow trap, and nothing is allocated to find out.
///
/// What the runtime keeps (ModelRun), and so what is counted:
/// - every weight 6 times: its value, its gradient and one gradient per batch chunk (Parameter);
/// - training: the optimizer's slots and one scratch weight (Optimizer), one copy of all weights to
///   roll back a broken update (Trainer), one more for EarlyStopping's restore_best_weights;
/// - every layer's output and its gradient, the model inputs' gradients (Network.reserve), and
///   what each layer keeps besides (the catalogue's `Workspace`);
/// - the batch buffers: inputs and targets (Trainer);
/// - passing peaks: initializing (orthogonal weights factor a matrix of doubles), loading weights
///   (the file's bytes and the decoded tensors) and saving them with the resume state (tensors and
///   the encoded file of weights, last-good weights and slots);
/// - predictions of every row for predict, kept, encoded and copied;
/// - and the program itself.
public struct MemoryEstimate: Sendable {
    public struct Part: Sendable, Equatable {
        public var name: String
        public var bytes: Double
    }

    public enum Purpose: Sendable, Equatable {
        case training
        /// evaluate: the network and a trainer for the loss (which builds the optimizer's slots).
        case evaluation
        /// predict: the network alone, and every row's outputs.
        case prediction(rows: Int)
    }

    /// Nonzero parts, largest first.
    public var parts: [Part]
    /// Samples the batch buffers hold.
    public var capacity: Int
    /// False when a size is unknown until data arrives; the parts then leave out activations.
    public var activationsKnown: Bool
    /// The layer needing the most: its weights with every copy, its output, gradient and workspace.
    public var largestLayer: (index: Int, bytes: Double)?

    public var total: Double { parts.reduce(0) { $0 + $1.bytes } }

    public func bytes(of name: String) -> Double { parts.first { $0.name == name }?.bytes ?? 0 }

    /// `44.7 GiB`, `512 MiB`, `3.06 KiB`, `8 GiB`, `12 bytes`: at most three significant digits.
    public static func text(_ bytes: Double) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = bytes
        var unit = 0
        while value >= 1023.5, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(Int(value.rounded())) bytes" }
        let decimals = value < 9.995 ? 2 : value < 99.95 ? 1 : 0
        var scaled = Int((value * (decimals == 2 ? 100 : decimals == 1 ? 10 : 1)).rounded())
        var places = decimals
        while places > 0, scaled % 10 == 0 {
            scaled /= 10
            places -= 1
        }
        var digits = String(scaled)
        if places > 0 {
            while digits.count <= places { digits = "0" + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -places))
        }
        return digits + " " + units[unit]
    }
}

public enum MemoryEstimator {
    /// What `modelc` itself occupies before any model: code, the Swift runtime, Foundation and
    /// OpenBLAS's buffers (peak RSS of training a 49-weight model, measured with /usr/bin/time).
    public static let programBytes = 28.0 * 0x1p20

    /// The estimate for `model` run for `purpose` with batch buffers of `capacity` samples.
    /// `sampleShapes` (one per input) replace the sizes the spec leaves unknown, as the data does;
    /// `dataBytes` is what the data arrays hold in memory (0 when not counted). `initialWeights`:
    /// the run starts by loading a weights file.
    public static func estimate(_ model: TypedModel, purpose: MemoryEstimate.Purpose, capacity: Int,
                                sampleShapes: [[Int]]? = nil, dataBytes: Double = 0,
                                initialWeights: Bool = false) -> MemoryEstimate {
        let layers = typings(model, sampleShapes: sampleShapes)
        let batch = Double(max(capacity, 1))
        let training = purpose == .training
        var weightValues = 0.0, trainableValues = 0.0, largestTrainable = 0.0, largestOrthogonal = 0.0
        var activationValues = 0.0, activationsKnown = true
        var perLayer: [Double] = []
        let slots = model.compile.map { Double($0.optimizer.descriptor.slots($0.optimizer.arguments)) } ?? 0
        let restoresBest = model.fit?.callbacks.contains {
            $0.descriptor.className == "EarlyStopping" && $0.arguments.bool("restore_best_weights")
        } == true
        let snapshots = training ? 1.0 + (restoresBest ? 1 : 0) : 0
        let usesSlots = purpose == .training || purpose == .evaluation
        for (index, layer) in model.layers.enumerated() {
            var own = 0.0, ownTrainable = 0.0
            for weight in layer.weights {
                let count = weight.shape.reduce(1.0) { $0 * Double($1) }
                own += count
                if weight.trainable {
                    ownTrainable += count
                    largestTrainable = max(largestTrainable, count)
                }
                if weight.initializer == "orthogonal" { largestOrthogonal = max(largestOrthogonal, count) }
            }
            weightValues += own
            trainableValues += ownTrainable
            var values = own * (Double(1 + 1 + Workspace.batchChunks) + snapshots) + (usesSlots ? ownTrainable * slots : 0)
            // The layer's share of writing the resume state (see "saving weights" below).
            if purpose == .training { values += 2 * (2 * own + ownTrainable * slots) }
            if let typing = layers[index], let output = typing.output.valueCount, let workspace = typing.workspace {
                // Output and its gradient, and what the layer keeps besides.
                let activations = 2 * batch * output + workspace.values(batch, tokenVocabulary(model, reader: index))
                activationValues += activations
                values += activations
            } else {
                activationsKnown = false
            }
            perLayer.append(values)
        }
        var inputValues = 0.0
        for (index, input) in model.inputs.enumerated() {
            let count = sampleShapes.flatMap { index < $0.count ? $0[index].reduce(1.0) { $0 * Double($1) } : nil }
                ?? input.type.valueCount
            guard let count else { activationsKnown = false; continue }
            inputValues += count
        }
        var targetValues = 0.0
        for output in model.outputs {
            targetValues += layers[output]?.output.valueCount ?? 0
        }

        let bytes = 4.0
        var prediction: Int?
        if case .prediction(let rows) = purpose { prediction = rows }
        // Allocated from building the network to the end of the run.
        var resident: [MemoryEstimate.Part] = [
            .init(name: "modelc itself", bytes: programBytes),
            .init(name: "weights", bytes: weightValues * bytes),
            .init(name: "gradients", bytes: weightValues * Double(1 + Workspace.batchChunks) * bytes),
            .init(name: "data", bytes: dataBytes),
        ]
        // Allocated once the run starts (trainer, batch buffers), with the passing peak of saving.
        var running: [MemoryEstimate.Part] = []
        if usesSlots, let optimizer = model.compile?.optimizer {
            running.append(.init(name: "\(optimizer.descriptor.className) slots", bytes: (trainableValues * slots + largestTrainable) * bytes))
        }
        if training { running.append(.init(name: "weight copies", bytes: weightValues * snapshots * bytes)) }
        if activationsKnown {
            // Every layer's output, gradient and workspace, and the inputs' gradients.
            running.append(.init(name: "activations", bytes: (activationValues + batch * inputValues) * bytes))
            running.append(.init(name: "batch buffers", bytes: batch * (inputValues + (prediction == nil ? targetValues : 0)) * bytes))
        }
        if let rows = prediction {
            let outputs = model.outputs.reduce(0.0) { $0 + (layers[$1]?.output.valueCount ?? 0) }
            running.append(.init(name: "predictions", bytes: 3 * Double(rows) * outputs * bytes))
        }
        // Each epoch end also writes the resume state: weights, the weights before the last update
        // and every slot, copied out, then encoded.
        if training {
            running.append(.init(name: "saving weights and the resume state", bytes: 2 * (2 * weightValues + trainableValues * slots) * bytes))
        }
        // Before the run's buffers exist: initializing (orthogonal weights factor a matrix of
        // doubles: the matrix, its reflectors and Q) or loading a weights file (its bytes read,
        // converted, and the decoded tensors).
        let loads = initialWeights || !training
        let before = max(training ? 24 * largestOrthogonal : 0, loads ? 3 * weightValues * bytes : 0)
        if before > running.reduce(0, { $0 + $1.bytes }) {
            running = [.init(name: loads ? "loading weights" : "initializing weights", bytes: before)]
        }
        resident += running
        let parts = resident
        let largest = perLayer.indices.max { perLayer[$0] < perLayer[$1] }
        return MemoryEstimate(parts: parts.filter { $0.bytes > 0 }.sorted { $0.bytes > $1.bytes }, capacity: capacity,
                              activationsKnown: activationsKnown,
                              largestLayer: largest.map { ($0, perLayer[$0] * bytes) })
    }

    /// Each layer's typing on the data's sample shapes (or the spec's own sizes), as Network
    /// builds them; nil where a layer cannot be typed on them.
    static func typings(_ model: TypedModel, sampleShapes: [[Int]]?) -> [LayerTyping?] {
        var types: [TensorSource: TensorType] = [:]
        for (index, input) in model.inputs.enumerated() {
            if let shapes = sampleShapes, index < shapes.count, shapes[index].count == input.type.shape.count {
                types[.input(index)] = TensorType(shapes[index].map { Optional($0) }, input.type.element)
            } else {
                types[.input(index)] = input.type
            }
        }
        var result: [LayerTyping?] = []
        for (index, layer) in model.layers.enumerated() {
            let inputs = layer.sources.compactMap { types[$0] }
            var typing: LayerTyping?
            if inputs.count == layer.sources.count {
                typing = try? layer.descriptor.rule.derive(LayerInputs(arguments: layer.arguments, types: inputs, sources: [],
                                                                       inner: layer.inner.map(innerLayer)))
            }
            types[.layer(index)] = typing?.output
            result.append(typing)
        }
        return result
    }

    static func innerLayer(_ typed: TypedInnerLayer) -> InnerLayer {
        InnerLayer(descriptor: typed.descriptor, arguments: typed.arguments, name: typed.name, inner: typed.inner.map(innerLayer))
    }

    /// The vocabulary of an Embedding whose output only layer `reader` reads (and no model output
    /// is), on sequences of token ids: the runtime then lets a recurrent reader look tokens up in a
    /// projected table (RecurrentTokenProjection).
    static func tokenVocabulary(_ model: TypedModel, reader: Int) -> Double? {
        let layer = model.layers[reader]
        guard layer.sources.count == 1, case .layer(let producer) = layer.sources[0] else { return nil }
        let embedding = model.layers[producer]
        guard embedding.descriptor.has(.tokenLookup), embedding.input.shape.count == 1, !model.outputs.contains(producer),
              model.consumers(of: .layer(producer)).count == 1, let vocabulary = embedding.arguments.optionalInt("input_dim")
        else { return nil }
        return Double(vocabulary)
    }
}
