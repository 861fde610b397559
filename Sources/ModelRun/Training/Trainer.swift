import Foundation
import ModelC

/// Samples in memory: one array per model input ([rows, input...]) and one per output
/// ([rows, target...], absent without labels), float32.
public struct Dataset: Sendable {
    public var inputs: [[Float]]
    public var inputShapes: [[Int]]
    public var targets: [[Float]?]
    public var targetShapes: [[Int]]
    public var rows: Int
    /// One weight per row (sample_weight, times class_weight for training data), nil when every
    /// row counts once.
    public var weights: [Float]?

    public init(inputs: [[Float]], inputShapes: [[Int]], targets: [[Float]?], targetShapes: [[Int]], rows: Int) {
        self.inputs = inputs
        self.inputShapes = inputShapes
        self.targets = targets
        self.targetShapes = targetShapes
        self.rows = rows
    }

    /// One input and one output.
    public init(x: [Float], y: [Float]?, rows: Int, sampleShape: [Int], targetShape: [Int]) {
        self.init(inputs: [x], inputShapes: [sampleShape], targets: [y], targetShapes: [targetShape], rows: rows)
    }

    /// The first input and the first output's targets.
    public var x: [Float] {
        get { inputs[0] }
        set { inputs[0] = newValue }
    }
    public var y: [Float]? {
        get { targets.first ?? nil }
        set { targets[0] = newValue }
    }
    public var sampleShape: [Int] { inputShapes[0] }
    public var targetShape: [Int] { targetShapes.first ?? [] }
    public var sampleSize: Int { sampleShape.reduce(1, *) }
    public var targetSize: Int { targetShape.reduce(1, *) }
    public var inputSizes: [Int] { inputShapes.map { $0.reduce(1, *) } }
    public var targetSizes: [Int] { targetShapes.map { $0.reduce(1, *) } }
}

/// Why training stopped or could not start.
public struct TrainingError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// How a fit ended.
public enum FitOutcome: Sendable, Equatable {
    case completed
    case stoppedEarly(epoch: Int)
    case interrupted(epoch: Int, step: Int)
    case nonFiniteLoss(epoch: Int, step: Int)
    /// A callback's file (or the epoch-end hook's) could not be written; training stopped there.
    case writeFailed(epoch: Int, message: String)
}

/// Where a fit starts when it continues an earlier one: the epochs done and their history, and
/// each callback's state (in the fit's callback order).
public struct FitStart {
    public var completedEpochs: Int
    public var history: History
    public var callbacks: [CallbackState]

    public init(completedEpochs: Int, history: History, callbacks: [CallbackState]) {
        self.completedEpochs = completedEpochs
        self.history = history
        self.callbacks = callbacks
    }
}

/// What a fit hands over at the end of each completed epoch, after its callbacks ran.
public struct FitProgress {
    public var completedEpochs: Int
    public var history: History
    public var callbacks: [CallbackState]
    /// True when no further epoch follows (the last one, or a callback stopped training).
    public var finished: Bool
}

/// One model output as training sees it: its loss and weight, its metrics and its batch of targets.
final class OutputHead {
    /// The output layer (an index into the network's layers).
    let layer: Int
    let loss: LossFunction?
    let weight: Double
    let metrics: MetricSet
    /// `<output>_loss` when the model has several outputs.
    let lossLoggedName: String?
    /// The output layer when its loss reads the pre-activation (Keras's logits path).
    let logitsLayer: ActivatedLayer?
    /// dL/dz for a logits loss on a layer other layers read too: [capacity, output...].
    var logitGradient: Buffer?
    /// Targets of the batch: [capacity, target...].
    var targets = Buffer(count: 0)
    /// Σ loss · rows over the epoch so far (unweighted), for `<output>_loss`.
    var lossSum = 0.0

    init(layer: Int, objective: CompileConfig.OutputObjective, network: Network) {
        self.layer = layer
        let shape = network.layers[layer].outputShape
        let activated = network.layers[layer] as? ActivatedLayer
        loss = objective.loss.map { LossFunction($0, outputShape: shape, finalActivation: activated?.activation) }
        weight = objective.weight
        metrics = MetricSet(objective.metrics, loss: objective.loss, outputShape: shape)
        lossLoggedName = objective.lossLoggedName
        logitsLayer = loss?.usesLogits == true ? activated : nil
    }

    /// Target values per sample: the loss's target shape, or the output's without a loss.
    func targetShape(_ network: Network) -> [Int] { loss?.targetShape ?? network.layers[layer].outputShape }
}

/// Runs Keras's `fit`, `evaluate` and `predict` on a network.
public final class Trainer: TrainingControl {
    public let network: Network
    /// Each output's loss (nil for an output trained by none), in output order.
    public var losses: [LossFunction?] { heads.map(\.loss) }
    /// The first output's loss.
    public var loss: LossFunction { heads.compactMap(\.loss)[0] }
    public let optimizer: Optimizer
    let heads: [OutputHead]
    let seed: UInt64
    let write: (String) -> Void
    /// Polled after every step; true stops training after the current step (Ctrl-C).
    let shouldStop: () -> Bool
    public var stopTraining = false

    // Batch buffers, allocated once.
    var inputBatches: [Buffer] = []
    var reservedBatch = 0
    /// The batch's sample weights [capacity], valid when `batchWeighted` (the data has weights).
    var batchWeights = Buffer(count: 0)
    var batchWeighted = false
    /// The weights before the current step's update, for rolling back an update that overflows.
    var lastGoodWeights: [Buffer] = []

    public init(network: Network, compile: CompileConfig, seed: UInt64, write: @escaping (String) -> Void,
                shouldStop: @escaping () -> Bool = { false }) {
        self.network = network
        self.seed = seed
        self.write = write
        self.shouldStop = shouldStop
        heads = zip(network.outputs, compile.outputs).map { OutputHead(layer: $0, objective: $1, network: network) }
        for head in heads {
            guard let layer = head.logitsLayer else { continue }
            // Nothing else reads the layer: the loss hands it dL/dz in place of dL/dy. Otherwise its
            // readers' dL/dy goes through f' and the loss's dL/dz is added after.
            if network.consumers[head.layer].isEmpty {
                layer.outputGradientIsPreactivation = true
            } else {
                let gradient = Buffer(count: 0)
                head.logitGradient = gradient
                layer.logitGradient = gradient
            }
        }
        optimizer = Optimizer(compile.optimizer, parameters: network.parameters)
    }

    public var learningRate: Double {
        get { optimizer.learningRate }
        set { optimizer.learningRate = newValue }
    }

    func reserve(batch: Int) {
        network.reserve(capacity: batch)
        guard batch > reservedBatch else { return }
        reservedBatch = batch
        inputBatches = network.inputSizes.map { Buffer(count: batch * $0) }
        batchWeights = Buffer(count: batch)
        for head in heads {
            head.targets = Buffer(count: batch * max(head.targetShape(network).reduce(1, *), 1))
            if let layer = head.logitsLayer, head.logitGradient != nil {
                let gradient = Buffer(count: batch * network.layers[head.layer].outputShape.reduce(1, *))
                head.logitGradient = gradient
                layer.logitGradient = gradient
            }
        }
    }

    /// Copies rows `order[range]` of `data` into the batch buffers.
    func gather(_ data: Dataset, _ order: [Int], _ range: Range<Int>) {
        batchWeighted = data.weights != nil
        if let weights = data.weights {
            for (row, index) in order[range].enumerated() { batchWeights[row] = weights[index] }
        }
        for (input, values) in data.inputs.enumerated() {
            let size = data.inputSizes[input], target = inputBatches[input]
            values.withUnsafeBufferPointer { source in
                for (row, index) in order[range].enumerated() {
                    target.at(row * size).update(from: source.baseAddress! + index * size, count: size)
                }
            }
        }
        for (output, head) in heads.enumerated() {
            guard output < data.targets.count, let values = data.targets[output] else { continue }
            let size = data.targetSizes[output]
            values.withUnsafeBufferPointer { source in
                for (row, index) in order[range].enumerated() {
                    head.targets.at(row * size).update(from: source.baseAddress! + index * size, count: size)
                }
            }
        }
    }

    /// Runs the losses on the last forward pass: the weighted total, and (with `gradient`) each
    /// loss's dL/dy (or dL/dz) written where backward reads it. Adds each output's loss into its sum.
    func applyLosses(batch: Int, gradient: Bool) -> Double {
        var total = 0.0
        for head in heads {
            guard let loss = head.loss else { continue }
            let target = gradient ? (head.logitGradient ?? network.outputGradients[head.layer]) : nil
            let value = loss.evaluate(predictions: network.layers[head.layer].output, logits: head.logitsLayer?.preactivation,
                                      targets: head.targets, batch: batch, gradient: target, weight: head.weight,
                                      sampleWeights: batchWeighted ? UnsafePointer(batchWeights.base) : nil)
            head.lossSum += value * Double(batch)
            total += head.weight * value
        }
        return total
    }

    /// The running values of an epoch: loss, each output's loss, the metrics.
    func running(lossSum: Double, seen: Int) -> [(String, Double)] {
        let rows = Double(max(seen, 1))
        var values = [("loss", lossSum / rows)]
        for head in heads { if let name = head.lossLoggedName { values.append((name, head.lossSum / rows)) } }
        for head in heads { values += head.metrics.results }
        return values
    }

    func resetEpoch() {
        for head in heads {
            head.metrics.reset()
            head.lossSum = 0
        }
    }

    func updateMetrics(batch: Int) {
        for head in heads {
            head.metrics.update(predictions: network.layers[head.layer].output, targets: head.targets, batch: batch,
                                weights: batchWeighted ? UnsafePointer(batchWeights.base) : nil)
        }
    }

    /// A pass seed unique to (run seed, epoch, step), so dropout masks never repeat.
    func passSeed(epoch: Int, step: Int) -> UInt64 {
        RandomSource(seed: seed, path: [0xD20_0D0, UInt64(epoch), UInt64(step)]).state
    }

    // MARK: fit

    /// Keras's `fit`: shuffled batches, metrics as running means, validation at each epoch's end,
    /// callbacks after it. Returns the history and how training ended.
    ///
    /// With `start`, the fit continues an earlier one after its completed epochs (the weights and
    /// optimizer restored by the caller); `epochEnded` runs after each epoch's callbacks, and a
    /// throw from it (or from a callback) stops training with `.writeFailed`.
    public func fit(_ train: Dataset, validation: Dataset?, epochs: Int, batchSize: Int, shuffle: Bool, verbose: Int,
                    dynamicProgress: Bool, callbacks: [Callback], start: FitStart? = nil,
                    epochEnded: ((FitProgress) throws(DataError) -> Void)? = nil) -> (History, FitOutcome) {
        reserve(batch: min(batchSize, max(train.rows, validation?.rows ?? 0)))
        var history = start?.history ?? History()
        var outcome = FitOutcome.completed
        var order = Array(0..<train.rows)
        let steps = (train.rows + batchSize - 1) / batchSize
        // Callbacks that run after steps; none (the usual case) costs one check per step.
        let batchCallbacks = callbacks.compactMap { $0 as? BatchCallback }
        for callback in callbacks { callback.trainBegin() }
        for (callback, state) in zip(callbacks, start?.callbacks ?? []) { callback.loadState(state) }
        stopTraining = false
        let firstEpoch = min(start?.completedEpochs ?? 0, epochs)
        // Each epoch shuffles the previous epoch's order: replay the epochs already done.
        for epoch in 0..<firstEpoch where shuffle { shuffleOrder(&order, epoch: epoch) }
        epochLoop: for epoch in firstEpoch..<epochs {
            let started = ProgressBar.now()
            if verbose > 0 { write("Epoch \(epoch + 1)/\(epochs)\n") }
            // Keras's progress logger is the first callback: the epoch line comes before theirs.
            for callback in callbacks { callback.epochBegin(epoch, control: self) }
            if shuffle { shuffleOrder(&order, epoch: epoch) }
            let progress = ProgressBar(steps: steps, verbose: verbose, dynamic: dynamicProgress, write: write)
            resetEpoch()
            var lossSum = 0.0
            var seen = 0
            for step in 0..<steps {
                let range = (step * batchSize)..<min((step + 1) * batchSize, train.rows)
                gather(train, order, range)
                let batch = range.count
                let pass = Pass(training: true, batch: batch, executor: network.executor, seed: passSeed(epoch: epoch, step: step))
                network.forward(inputs: inputBatches, pass)
                network.beginBackward(pass)
                let value = applyLosses(batch: batch, gradient: true)
                // A loss float32 cannot hold is as broken as NaN (Keras computes it in float32).
                let lossBroken = !(abs(value) <= Double(Float.greatestFiniteMagnitude))
                if !lossBroken { network.backward(pass) }
                if lossBroken || !allFinite(\.gradient) {
                    // Stop before applying this step's update. A broken loss condemns the weights it
                    // was computed with, so the previous update is undone too; broken gradients from a
                    // finite loss leave those weights standing.
                    if lossBroken, !lastGoodWeights.isEmpty { restore(from: lastGoodWeights) }
                    outcome = .nonFiniteLoss(epoch: epoch + 1, step: step + 1)
                    if verbose > 0 { write("\n") }
                    // TerminateOnNaN's on_train_batch_end line (the batch counted from 0 in the epoch).
                    if lossBroken, callbacks.contains(where: { $0 is TerminateOnNaN }) {
                        write("Batch \(step): Invalid loss, terminating training\n")
                    }
                    let what = lossBroken ? "loss became \(value.isNaN ? "NaN" : "infinite")" : "gradients became NaN or infinite"
                    write("\(what) at epoch \(epoch + 1), step \(step + 1); training stopped with the weights of the last finite step\n")
                    break epochLoop
                }
                // An update can overflow even from finite gradients (a huge learning rate, or Keras's
                // Nadam with a single variable); keep the weights from before it if it does.
                snapshot(into: &lastGoodWeights)
                optimizer.step()
                guard allFinite(\.value) else {
                    restore(from: lastGoodWeights)
                    outcome = .nonFiniteLoss(epoch: epoch + 1, step: step + 1)
                    if verbose > 0 { write("\n") }
                    write("the update at epoch \(epoch + 1), step \(step + 1) made weights NaN or infinite (is the learning rate too high?); training stopped with the weights from before it\n")
                    break epochLoop
                }
                updateMetrics(batch: batch)
                lossSum += value * Double(batch)
                seen += batch
                if !batchCallbacks.isEmpty {
                    let global = optimizer.iterations
                    let wanting = batchCallbacks.filter { $0.wantsBatch(global) }
                    if !wanting.isEmpty {
                        let values = running(lossSum: lossSum, seen: seen)
                        do {
                            for callback in wanting { try callback.batchEnd(global, logs: values) }
                        } catch {
                            outcome = .writeFailed(epoch: epoch + 1, message: error.description)
                            if verbose > 0 { write("\n") }
                            break epochLoop
                        }
                    }
                }
                let last = step == steps - 1
                if !last, progress.wantsIntermediateUpdate {
                    progress.update(step + 1, values: running(lossSum: lossSum, seen: seen))
                }
                if shouldStop() {
                    outcome = .interrupted(epoch: epoch + 1, step: step + 1)
                    let values = running(lossSum: lossSum, seen: seen)
                    progress.update(step + 1, values: values, final: true)
                    write("interrupted at epoch \(epoch + 1), step \(step + 1); writing the weights and history so far\n")
                    history.append(values, seconds: ProgressBar.now() - started, unfinished: "\(step + 1)/\(steps)")
                    break epochLoop
                }
            }
            var logs = running(lossSum: lossSum, seen: seen)
            if let validation {
                logs += evaluate(validation, batchSize: batchSize).map { ("val_" + $0.0, $0.1) }
            }
            progress.update(steps, values: logs, final: true)
            var logTable = Dictionary(logs, uniquingKeysWith: { $1 })
            var failure: DataError?
            for callback in callbacks where failure == nil {
                do {
                    try callback.epochEnd(epoch, logs: &logTable, control: self)
                } catch {
                    failure = error
                }
            }
            if let rate = logTable["lr"] { logs.append(("lr", rate)) }
            history.append(logs, seconds: ProgressBar.now() - started)
            if failure == nil, let epochEnded {
                do {
                    try epochEnded(FitProgress(completedEpochs: epoch + 1, history: history, callbacks: callbacks.map { $0.saveState() },
                                               finished: stopTraining || epoch + 1 == epochs))
                } catch {
                    failure = error
                }
            }
            if let failure {
                // The first failed write ends the run; what was written before it stays as it was.
                outcome = .writeFailed(epoch: epoch + 1, message: failure.description)
                break
            }
            if stopTraining {
                outcome = .stoppedEarly(epoch: epoch + 1)
                break
            }
        }
        for callback in callbacks { callback.trainEnd(control: self) }
        return (history, outcome)
    }

    func shuffleOrder(_ order: inout [Int], epoch: Int) {
        var random = RandomSource(seed: seed, path: [0x5_4F_F1E, UInt64(epoch)])
        order.shuffle(using: &random)
    }

    /// False when a trainable weight (or, with `\.gradient`, its gradient) holds NaN or ±infinity.
    func allFinite(_ buffer: KeyPath<Parameter, Buffer>) -> Bool {
        network.parameters.allSatisfy { !$0.trainable || $0[keyPath: buffer].isFinite }
    }

    // MARK: evaluate and predict

    /// Loss and metrics over `data` in inference mode, batch by batch (Keras's `evaluate`).
    public func evaluate(_ data: Dataset, batchSize: Int) -> [(String, Double)] {
        reserve(batch: min(batchSize, data.rows))
        resetEpoch()
        let order = Array(0..<data.rows)
        var lossSum = 0.0
        var start = 0
        while start < data.rows {
            let range = start..<min(start + batchSize, data.rows)
            gather(data, order, range)
            let pass = Pass(training: false, batch: range.count, executor: network.executor)
            network.forward(inputs: inputBatches, pass)
            lossSum += applyLosses(batch: range.count, gradient: false) * Double(range.count)
            updateMetrics(batch: range.count)
            start = range.upperBound
        }
        return running(lossSum: lossSum, seen: data.rows)
    }

    // MARK: TrainingControl

    public func snapshot(into snapshot: inout [Buffer]) {
        if snapshot.count != network.parameters.count {
            snapshot = network.parameters.map { Buffer(count: $0.count) }
        }
        for (buffer, parameter) in zip(snapshot, network.parameters) { buffer.copy(from: parameter.value) }
    }

    public func restore(from snapshot: [Buffer]) {
        for (buffer, parameter) in zip(snapshot, network.parameters) { parameter.value.copy(from: buffer) }
    }

    public func saveWeights(to path: String, weightsOnly: Bool) throws(DataError) {
        // A .keras checkpoint carries the optimizer's state, as Keras's ModelCheckpoint saves it.
        try WeightsFile.save(network, to: path, weightsOnly: weightsOnly, optimizer: optimizer)
    }

    public func say(_ line: String) { write(line + "\n") }

    public var iterations: Int { optimizer.iterations }
    public var scheduledLearningRate: Double? { optimizer.schedule.map { Double($0.rate(at: optimizer.iterations)) } }
}

/// Inference over a dataset in batches, no loss or optimizer needed (`predict`).
public enum Inference {
    /// Every output for every row of `data`'s inputs: one [rows, outputShapes[i]...] array per output.
    public static func predictAll(_ network: Network, _ data: Dataset, batchSize: Int) -> [[Float]] {
        let batch = max(1, min(batchSize, data.rows))
        network.reserve(capacity: batch)
        let inputs = network.inputSizes.map { Buffer(count: batch * $0) }
        let sizes = network.outputShapes.map { $0.reduce(1, *) }
        var results = sizes.map { [Float](repeating: 0, count: data.rows * $0) }
        var start = 0
        while start < data.rows {
            let rows = min(batch, data.rows - start)
            for (index, values) in data.inputs.enumerated() {
                let size = data.inputSizes[index]
                values.withUnsafeBufferPointer { inputs[index].base.update(from: $0.baseAddress! + start * size, count: rows * size) }
            }
            network.forward(inputs: inputs, Pass(training: false, batch: rows, executor: network.executor))
            for (index, size) in sizes.enumerated() {
                let output = network.output(index)
                results[index].withUnsafeMutableBufferPointer { ($0.baseAddress! + start * size).update(from: output.base, count: rows * size) }
            }
            start += rows
        }
        return results
    }

    /// The first output for every row: [rows, outputShape...].
    public static func predict(_ network: Network, _ data: Dataset, batchSize: Int) -> [Float] {
        predictAll(network, data, batchSize: batchSize)[0]
    }
}
