import Foundation
import ModelC

/// Samples in memory: x [rows, sample...] and y [rows, target...], float32.
public struct Dataset: Sendable {
    public var x: [Float]
    public var y: [Float]?
    public var rows: Int
    public var sampleShape: [Int]
    public var targetShape: [Int]

    public init(x: [Float], y: [Float]?, rows: Int, sampleShape: [Int], targetShape: [Int]) {
        self.x = x
        self.y = y
        self.rows = rows
        self.sampleShape = sampleShape
        self.targetShape = targetShape
    }

    public var sampleSize: Int { sampleShape.reduce(1, *) }
    public var targetSize: Int { targetShape.reduce(1, *) }
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
}

/// Runs Keras's `fit`, `evaluate` and `predict` on a network.
public final class Trainer: TrainingControl {
    public let network: Network
    public let loss: LossFunction
    public let metrics: MetricSet
    public let optimizer: Optimizer
    let seed: UInt64
    let write: (String) -> Void
    /// Polled after every step; true stops training after the current step (Ctrl-C).
    let shouldStop: () -> Bool
    public var stopTraining = false
    /// The final layer, when the loss reads its pre-activation (Keras's logits path).
    let logitsLayer: ActivatedLayer?

    // Batch buffers, allocated once.
    var xBatch = Buffer(count: 0)
    var yBatch = Buffer(count: 0)
    var outputGradient = Buffer(count: 0)
    /// The weights before the current step's update, for rolling back an update that overflows.
    var lastGoodWeights: [Buffer] = []

    public init(network: Network, compile: CompileConfig, seed: UInt64, write: @escaping (String) -> Void,
                shouldStop: @escaping () -> Bool = { false }) {
        self.network = network
        self.seed = seed
        self.write = write
        self.shouldStop = shouldStop
        let last = network.layers.last as? ActivatedLayer
        loss = LossFunction(compile.loss, outputShape: network.outputShape, finalActivation: last?.activation)
        logitsLayer = loss.usesLogits ? last : nil
        logitsLayer?.outputGradientIsPreactivation = true
        metrics = MetricSet(compile.metrics, loss: compile.loss, outputShape: network.outputShape)
        optimizer = Optimizer(compile.optimizer, parameters: network.parameters)
    }

    public var learningRate: Double {
        get { optimizer.learningRate }
        set { optimizer.learningRate = newValue }
    }

    func reserve(batch: Int) {
        network.reserve(capacity: batch)
        if xBatch.count < batch * network.inputSize {
            xBatch = Buffer(count: batch * network.inputSize)
            yBatch = Buffer(count: batch * max(loss.targetShape.reduce(1, *), 1))
            outputGradient = Buffer(count: batch * network.outputSize)
        }
    }

    /// Copies rows `order[range]` of `data` into the batch buffers.
    func gather(_ data: Dataset, _ order: [Int], _ range: Range<Int>) {
        let sample = data.sampleSize, target = data.targetSize
        for (row, index) in order[range].enumerated() {
            data.x.withUnsafeBufferPointer { xBatch.at(row * sample).update(from: $0.baseAddress! + index * sample, count: sample) }
            if let y = data.y {
                y.withUnsafeBufferPointer { yBatch.at(row * target).update(from: $0.baseAddress! + index * target, count: target) }
            }
        }
    }

    /// A pass seed unique to (run seed, epoch, step), so dropout masks never repeat.
    func passSeed(epoch: Int, step: Int) -> UInt64 {
        RandomSource(seed: seed, path: [0xD20_0D0, UInt64(epoch), UInt64(step)]).state
    }

    // MARK: fit

    /// Keras's `fit`: shuffled batches, metrics as running means, validation at each epoch's end,
    /// callbacks after it. Returns the history and how training ended.
    public func fit(_ train: Dataset, validation: Dataset?, epochs: Int, batchSize: Int, shuffle: Bool, verbose: Int,
                    dynamicProgress: Bool, callbacks: [Callback]) -> (History, FitOutcome) {
        reserve(batch: min(batchSize, max(train.rows, validation?.rows ?? 0)))
        var history = History()
        var outcome = FitOutcome.completed
        var order = Array(0..<train.rows)
        let steps = (train.rows + batchSize - 1) / batchSize
        for callback in callbacks { callback.trainBegin() }
        stopTraining = false
        epochLoop: for epoch in 0..<epochs {
            let started = ProgressBar.now()
            if verbose > 0 { write("Epoch \(epoch + 1)/\(epochs)\n") }
            if shuffle {
                var random = RandomSource(seed: seed, path: [0x5_4F_F1E, UInt64(epoch)])
                order.shuffle(using: &random)
            }
            let progress = ProgressBar(steps: steps, verbose: verbose, dynamic: dynamicProgress, write: write)
            metrics.reset()
            var lossSum = 0.0
            var seen = 0
            for step in 0..<steps {
                let range = (step * batchSize)..<min((step + 1) * batchSize, train.rows)
                gather(train, order, range)
                let batch = range.count
                let pass = Pass(training: true, batch: batch, executor: network.executor, seed: passSeed(epoch: epoch, step: step))
                let predictions = network.forward(xBatch, pass)
                let value = loss.evaluate(predictions: predictions, logits: logitsLayer?.preactivation, targets: yBatch,
                                          batch: batch, gradient: outputGradient)
                // A loss float32 cannot hold is as broken as NaN (Keras computes it in float32).
                let lossBroken = !(abs(value) <= Double(Float.greatestFiniteMagnitude))
                if !lossBroken { network.backward(outputGradient, pass) }
                if lossBroken || !allFinite(\.gradient) {
                    // Stop before applying this step's update. A broken loss condemns the weights it
                    // was computed with, so the previous update is undone too; broken gradients from a
                    // finite loss leave those weights standing.
                    if lossBroken, !lastGoodWeights.isEmpty { restore(from: lastGoodWeights) }
                    outcome = .nonFiniteLoss(epoch: epoch + 1, step: step + 1)
                    if verbose > 0 { write("\n") }
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
                metrics.update(predictions: predictions, targets: yBatch, batch: batch)
                lossSum += value * Double(batch)
                seen += batch
                let last = step == steps - 1
                if !last, progress.wantsIntermediateUpdate {
                    progress.update(step + 1, values: [("loss", lossSum / Double(seen))] + metrics.results)
                }
                if shouldStop() {
                    outcome = .interrupted(epoch: epoch + 1, step: step + 1)
                    let running = [("loss", lossSum / Double(seen))] + metrics.results
                    progress.update(step + 1, values: running, final: true)
                    write("interrupted at epoch \(epoch + 1), step \(step + 1); writing the weights and history so far\n")
                    history.append(running, seconds: ProgressBar.now() - started)
                    break epochLoop
                }
            }
            var logs = [("loss", lossSum / Double(max(seen, 1)))] + metrics.results
            if let validation {
                logs += evaluate(validation, batchSize: batchSize).map { ("val_" + $0.0, $0.1) }
            }
            progress.update(steps, values: logs, final: true)
            var logTable = Dictionary(logs, uniquingKeysWith: { $1 })
            for callback in callbacks {
                do {
                    try callback.epochEnd(epoch, logs: &logTable, control: self)
                } catch {
                    write("warning: \(error.description)\n")
                }
            }
            if let rate = logTable["lr"] { logs.append(("lr", rate)) }
            history.append(logs, seconds: ProgressBar.now() - started)
            if stopTraining {
                outcome = .stoppedEarly(epoch: epoch + 1)
                break
            }
        }
        for callback in callbacks { callback.trainEnd(control: self) }
        return (history, outcome)
    }

    /// False when a trainable weight (or, with `\.gradient`, its gradient) holds NaN or ±infinity.
    func allFinite(_ buffer: KeyPath<Parameter, Buffer>) -> Bool {
        network.parameters.allSatisfy { !$0.trainable || $0[keyPath: buffer].isFinite }
    }

    // MARK: evaluate and predict

    /// Loss and metrics over `data` in inference mode, batch by batch (Keras's `evaluate`).
    public func evaluate(_ data: Dataset, batchSize: Int) -> [(String, Double)] {
        reserve(batch: min(batchSize, data.rows))
        metrics.reset()
        let order = Array(0..<data.rows)
        var lossSum = 0.0
        var start = 0
        while start < data.rows {
            let range = start..<min(start + batchSize, data.rows)
            gather(data, order, range)
            let pass = Pass(training: false, batch: range.count, executor: network.executor)
            let predictions = network.forward(xBatch, pass)
            lossSum += loss.evaluate(predictions: predictions, logits: logitsLayer?.preactivation, targets: yBatch,
                                     batch: range.count, gradient: nil) * Double(range.count)
            metrics.update(predictions: predictions, targets: yBatch, batch: range.count)
            start = range.upperBound
        }
        return [("loss", lossSum / Double(max(data.rows, 1)))] + metrics.results
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

    public func saveWeights(to path: String) throws(DataError) {
        try WeightsFile.save(network, to: path)
    }

    public func say(_ line: String) { write(line + "\n") }
}

/// Inference over a dataset in batches, no loss or optimizer needed (`predict`).
public enum Inference {
    /// Outputs for every row of `data`'s x: [rows, outputShape...].
    public static func predict(_ network: Network, _ data: Dataset, batchSize: Int) -> [Float] {
        let batch = max(1, min(batchSize, data.rows))
        network.reserve(capacity: batch)
        let input = Buffer(count: batch * network.inputSize)
        var result = [Float](repeating: 0, count: data.rows * network.outputSize)
        var start = 0
        while start < data.rows {
            let rows = min(batch, data.rows - start)
            data.x.withUnsafeBufferPointer { input.base.update(from: $0.baseAddress! + start * data.sampleSize, count: rows * data.sampleSize) }
            let output = network.forward(input, Pass(training: false, batch: rows, executor: network.executor))
            result.withUnsafeMutableBufferPointer { ($0.baseAddress! + start * network.outputSize).update(from: output.base, count: rows * network.outputSize) }
            start += rows
        }
        return result
    }
}
