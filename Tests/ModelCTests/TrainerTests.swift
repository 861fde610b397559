import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// A scripted stand-in for a running fit, recording what callbacks do to it.
final class RecordingControl: TrainingControl {
    var learningRate = 0.1
    var stopTraining = false
    var weights: Float = 0
    var saved: [String] = []
    var said: [String] = []

    func snapshot(into snapshot: inout [Buffer]) {
        if snapshot.isEmpty { snapshot = [Buffer(count: 1)] }
        snapshot[0][0] = weights
    }

    func restore(from snapshot: [Buffer]) { weights = snapshot[0][0] }
    func saveWeights(to path: String, weightsOnly: Bool) throws(DataError) { saved.append(path) }
    func say(_ line: String) { said.append(line) }
}

@Suite struct CallbackTests {
    /// One folder for every callback of this suite (the recording control writes nothing there).
    nonisolated(unsafe) static let runDirectory = try! RunDirectory(NSTemporaryDirectory() + "modelc-callbacks-\(getpid())")

    static func callback(_ yaml: String) throws -> Callback {
        let spec = "input: [2]\nlayers: [Dense 1]\ncompile: {loss: mse, metrics: [accuracy]}\nfit: {validation: {split: 0.5}, callbacks: [\(yaml)]}\n"
        let fit = try #require(TestSupport.model(spec)?.fit)
        return try Callbacks.make(fit.callbacks, runDirectory: runDirectory, loggedNames: ["loss", "accuracy", "val_loss", "val_accuracy"])[0]
    }

    /// Runs epochs with the given monitored values; weights follow the epoch number.
    static func run(_ callback: Callback, _ values: [Double], monitor: String = "val_loss") -> (RecordingControl, Int) {
        let control = RecordingControl()
        callback.trainBegin()
        var epochs = 0
        for (epoch, value) in values.enumerated() {
            control.weights = Float(epoch)
            var logs = [monitor: value]
            try? callback.epochEnd(epoch, logs: &logs, control: control)
            epochs += 1
            if control.stopTraining { break }
        }
        callback.trainEnd(control: control)
        return (control, epochs)
    }

    @Test func earlyStoppingStopsAfterPatienceAndRestoresTheBestEpoch() throws {
        let (control, epochs) = Self.run(try Self.callback("EarlyStopping: {patience: 2, restore_best_weights: true, verbose: 1}"),
                                          [1.0, 0.8, 0.9, 0.95, 0.5])
        #expect(epochs == 4)
        #expect(control.weights == 1)
        #expect(control.said == ["Epoch 4: early stopping", "Restoring model weights from the end of the best epoch: 2."])
    }

    @Test func earlyStoppingHonoursMinDeltaModeBaselineAndStart() throws {
        // Improvements smaller than min_delta do not count.
        #expect(Self.run(try Self.callback("EarlyStopping: {patience: 1, min_delta: 0.1}"), [1.0, 0.95, 0.92, 0.5]).1 == 2)
        // Accuracy is maximized in auto mode.
        #expect(Self.run(try Self.callback("EarlyStopping: {monitor: val_accuracy, patience: 1}"), [0.5, 0.6, 0.55, 0.9], monitor: "val_accuracy").1 == 3)
        // Improving epochs never stop training, but below a baseline they do not reset the wait,
        // so the first non-improving epoch after patience epochs stops (Keras's rule).
        #expect(Self.run(try Self.callback("EarlyStopping: {patience: 2, baseline: 0.1}"), [1.0, 0.9, 0.8, 0.7]).1 == 4)
        #expect(Self.run(try Self.callback("EarlyStopping: {patience: 2, baseline: 0.1}"), [1.0, 0.9, 0.95, 0.7]).1 == 3)
        // Nothing is watched before start_from_epoch.
        #expect(Self.run(try Self.callback("EarlyStopping: {patience: 0, start_from_epoch: 2}"), [1.0, 2.0, 3.0, 4.0]).1 == 4)
        // Without restore_best_weights the last weights stay.
        #expect(Self.run(try Self.callback("EarlyStopping: {patience: 1}"), [1.0, 0.8, 0.9, 0.95]).0.weights == 2)
    }

    @Test func modelCheckpointWritesOnlyOnImprovement() throws {
        let (control, _) = Self.run(try Self.callback("ModelCheckpoint: {filepath: top.safetensors, save_best_only: true}"),
                                    [1.0, 0.8, 0.9, 0.7, 0.75])
        #expect(control.saved == Array(repeating: Self.runDirectory.path + "/best.safetensors", count: 3).map { $0.replacingOccurrences(of: "best.", with: "top.") })
        let (every, _) = Self.run(try Self.callback("ModelCheckpoint: {filepath: 'w-{epoch:02d}-{val_loss:.2f}.safetensors'}"), [1.0, 0.8])
        #expect(every.saved == ["w-01-1.00.safetensors", "w-02-0.80.safetensors"].map { Self.runDirectory.path + "/" + $0 })
    }

    @Test func checkpointPathsMayOnlyUseLoggedNames() throws {
        #expect(throws: DataError.self) { try CheckpointPath.validate("{val_acc}.safetensors", loggedNames: ["loss", "val_loss"]) }
        #expect(throws: DataError.self) { try CheckpointPath.validate("{epoch:.2d}.safetensors", loggedNames: ["loss"]) }
        #expect(try CheckpointPath.format("e{epoch}-{loss:.3f}", epoch: 7, logs: ["loss": 0.12345]) == "e7-0.123")
    }

    @Test func reduceLearningRateOnPlateauWithCooldownAndFloor() throws {
        let callback = try Self.callback("ReduceLROnPlateau: {factor: 0.5, patience: 1, cooldown: 2, min_lr: 0.02}")
        let control = RecordingControl()
        callback.trainBegin()
        var rates: [Double] = []
        for (epoch, value) in [1.0, 1.0, 1.0, 1.0, 1.0, 1.0].enumerated() {
            var logs = ["val_loss": value]
            try callback.epochEnd(epoch, logs: &logs, control: control)
            #expect(logs["lr"] != nil)
            rates.append(control.learningRate)
        }
        // 0.1 → 0.05 at epoch 2; one epoch of cooldown (Keras counts the cooldown down before it
        // checks); 0.025 at epoch 4; cooldown; then the floor 0.02.
        #expect(rates == [0.1, 0.05, 0.05, 0.025, 0.025, 0.02])
    }
}

@Suite struct TrainerTests {
    static let regression = """
        input: [3]
        layers:
          - Dense 8 tanh
          - Dropout 0.1
          - Dense 1
        compile: {optimizer: {Adam: {learning_rate: 0.01}}, loss: mse, metrics: [mae]}
        fit: {epochs: 3, batch_size: 5, seed: 3}
        """

    static func dataset(rows: Int) -> Dataset {
        var random = RandomSource(seed: 99)
        let x = (0..<(rows * 3)).map { _ in random.nextUnitFloat() * 2 - 1 }
        let y: [Float] = (0..<rows).map { (row: Int) -> Float in
            let a: Float = x[row * 3], b: Float = x[row * 3 + 1], c: Float = x[row * 3 + 2]
            return a - 2 * b + 0.5 * c
        }
        return Dataset(x: x, y: y, rows: rows, sampleShape: [3], targetShape: [1])
    }

    static func train(threads: Int, seed: UInt64 = 3, rows: Int = 23) throws -> (Network, History, FitOutcome) {
        let model = try #require(TestSupport.model(regression))
        let network = try Network(model: model, sampleShape: [3], threads: threads)
        Initializers.initialize(network, seed: seed)
        let trainer = Trainer(network: network, compile: try #require(model.compile), seed: seed, write: { _ in })
        let (history, outcome) = trainer.fit(dataset(rows: rows), validation: dataset(rows: 7), epochs: 3, batchSize: 5, shuffle: true,
                                             verbose: 0, dynamicProgress: false, callbacks: [])
        return (network, history, outcome)
    }

    /// The trainer's finiteness check (before and after each update) sees every element.
    @Test func finiteCheckSeesEveryElement() {
        let buffer = Buffer((0..<1003).map { Float($0) - 500 })
        #expect(buffer.isFinite)
        buffer[7] = .greatestFiniteMagnitude
        buffer[8] = -.greatestFiniteMagnitude
        buffer[9] = .leastNonzeroMagnitude
        #expect(buffer.isFinite)
        for index in [0, 511, 1002] {
            for bad in [Float.nan, .infinity, -.infinity, -Float.nan] {
                let saved = buffer[index]
                buffer[index] = bad
                #expect(!buffer.isFinite, "\(bad) at \(index)")
                buffer[index] = saved
            }
        }
        #expect(Buffer(count: 0).isFinite)
    }

    @Test func sameSeedGivesIdenticalWeightsWhateverTheThreadCount() throws {
        let one = try Self.train(threads: 1).0
        let again = try Self.train(threads: 1).0
        let two = try Self.train(threads: 2).0
        let four = try Self.train(threads: 4).0
        let bytes = SafeTensors.encode(WeightsFile.tensors(of: one))
        #expect(SafeTensors.encode(WeightsFile.tensors(of: again)) == bytes)
        #expect(SafeTensors.encode(WeightsFile.tensors(of: two)) == bytes)
        #expect(SafeTensors.encode(WeightsFile.tensors(of: four)) == bytes)
        #expect(SafeTensors.encode(WeightsFile.tensors(of: try Self.train(threads: 1, seed: 4).0)) != bytes)
    }

    @Test func historyLogsLossMetricsAndValidationPerEpoch() throws {
        let (_, history, outcome) = try Self.train(threads: 2)
        #expect(outcome == .completed)
        #expect(history.names == ["loss", "mae", "val_loss", "val_mae"])
        #expect(history.epochs.count == 3 && history.seconds.count == 3)
        let losses = history.values("loss").compactMap { $0 }
        #expect(losses.count == 3 && losses[2] < losses[0])
        #expect(history.csv.hasPrefix("epoch,loss,mae,val_loss,val_mae,seconds\n1,"))
        #expect(history.csv.split(separator: "\n").count == 4)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(history.json.utf8)) as? [String: Any])
        #expect((json["val_mae"] as? [Double])?.count == 3)
        #expect((json["epoch"] as? [Int]) == [1, 2, 3])
        let svg = LearningCurves.svg(history, title: "regression")
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 4)
        #expect(svg.contains(">loss</text>") && svg.contains(">mae</text>") && svg.contains(">validation</text>"))
    }

    /// The legend sits in the right-hand corner the late epochs leave free: at the bottom of a rising
    /// accuracy panel, at the top of a falling loss panel.
    @Test func learningCurveLegendsAvoidTheLateEpochs() {
        var history = History()
        for epoch in 0..<10 {
            let progress = Double(epoch) / 9
            history.append([("loss", 0.7 - 0.3 * progress), ("accuracy", 0.5 + 0.3 * progress),
                            ("val_loss", 0.7 - 0.25 * progress), ("val_accuracy", 0.5 + 0.28 * progress)], seconds: 1)
        }
        let svg = LearningCurves.svg(history, title: "t")
        let legendYs = svg.split(separator: "\n").filter { $0.hasSuffix(">train</text>") }.compactMap { line -> Double? in
            guard let start = line.range(of: "y=\"")?.upperBound, let end = line[start...].firstIndex(of: "\"") else { return nil }
            return Double(line[start..<end])
        }
        #expect(legendYs.count == 2)
        // Panels start at y = 56 and are 176 high: loss's legend near the top, accuracy's near the bottom.
        #expect(legendYs.count == 2 && legendYs[0] < 56 + 40 && legendYs[1] > 56 + 176 - 40)
    }

    @Test func evaluationIsTheBatchWeightedMeanInInferenceMode() throws {
        let model = try #require(TestSupport.model(Self.regression))
        let network = try Network(model: model, sampleShape: [3], threads: 1)
        Initializers.initialize(network, seed: 1)
        let trainer = Trainer(network: network, compile: try #require(model.compile), seed: 1, write: { _ in })
        let data = Self.dataset(rows: 11)
        let whole = trainer.evaluate(data, batchSize: 11)
        let batched = trainer.evaluate(data, batchSize: 4)
        for (a, b) in zip(whole, batched) {
            #expect(a.0 == b.0)
            #expect(abs(a.1 - b.1) < 1e-6)
        }
        // Inference ignores dropout, so evaluating twice gives the same numbers.
        #expect(trainer.evaluate(data, batchSize: 4).map(\.1) == batched.map(\.1))
        let predictions = Inference.predict(network, data, batchSize: 3)
        var squared = 0.0
        for row in 0..<11 { squared += pow(Double(predictions[row] - data.y![row]), 2) }
        #expect(abs(squared / 11 - whole[0].1) < 1e-5)
    }

    @Test func aNonFiniteLossStopsBeforeTheUpdate() throws {
        let spec = "input: [3]\nlayers: [Dense 1]\ncompile: {optimizer: {SGD: {learning_rate: 1.0e+30}}, loss: mse}\nfit: {epochs: 5}\n"
        let model = try #require(TestSupport.model(spec))
        let network = try Network(model: model, sampleShape: [3], threads: 1)
        Initializers.initialize(network, seed: 1)
        var lines: [String] = []
        let trainer = Trainer(network: network, compile: try #require(model.compile), seed: 1, write: { lines.append($0) })
        let (_, outcome) = trainer.fit(Self.dataset(rows: 20), validation: nil, epochs: 5, batchSize: 4, shuffle: false,
                                       verbose: 0, dynamicProgress: false, callbacks: [])
        guard case .nonFiniteLoss(let epoch, let step) = outcome else { Issue.record("outcome \(outcome)"); return }
        #expect(lines.contains { $0.contains("at epoch \(epoch), step \(step)") })
        #expect(network.parameters.allSatisfy { $0.value.array.allSatisfy(\.isFinite) })
        #expect(network.parameters.allSatisfy { $0.value.array.allSatisfy { abs($0) < 1e10 } })
    }

    /// Training stops with the weights of the last step whose loss was finite.
    @Test(arguments: [
        // A huge but finite update, whose next loss overflows: that update is undone.
        (1.0e+30, "loss became infinite at epoch 1, step 2"),
        // An update that overflows the weights themselves is undone at once.
        (3.0e+38, "the update at epoch 1, step 1 made weights NaN or infinite"),
    ])
    func nonFiniteTrainingKeepsTheLastGoodWeights(_ rate: Double, _ message: String) throws {
        let spec = "input: [3]\nlayers: [Dense 1]\ncompile: {optimizer: {SGD: {learning_rate: \(rate)}}, loss: mse}\nfit: {epochs: 5}\n"
        let model = try #require(TestSupport.model(spec))
        let network = try Network(model: model, sampleShape: [3], threads: 1)
        Initializers.initialize(network, seed: 1)
        let before = network.parameters.map(\.value.array)
        var lines: [String] = []
        let trainer = Trainer(network: network, compile: try #require(model.compile), seed: 1, write: { lines.append($0) })
        var data = Self.dataset(rows: 20)
        data.y = data.y!.map { $0 * 100 }
        let (_, outcome) = trainer.fit(data, validation: nil, epochs: 5, batchSize: 4, shuffle: false,
                                       verbose: 0, dynamicProgress: false, callbacks: [])
        guard case .nonFiniteLoss = outcome else { Issue.record("outcome \(outcome)"); return }
        #expect(lines.contains { $0.hasPrefix(message) }, "\(lines)")
        #expect(network.parameters.map(\.value.array) == before)
    }

    @Test func stopRequestsEndTrainingAfterTheCurrentStep() throws {
        let model = try #require(TestSupport.model(Self.regression))
        let network = try Network(model: model, sampleShape: [3], threads: 1)
        Initializers.initialize(network, seed: 1)
        var steps = 0
        let trainer = Trainer(network: network, compile: try #require(model.compile), seed: 1, write: { _ in },
                              shouldStop: { steps += 1; return steps == 3 })
        let (history, outcome) = trainer.fit(Self.dataset(rows: 40), validation: nil, epochs: 10, batchSize: 5, shuffle: true,
                                             verbose: 0, dynamicProgress: false, callbacks: [])
        #expect(outcome == .interrupted(epoch: 1, step: 3))
        #expect(history.epochs.count == 1)
    }

    @Test func progressLinesLookLikeKeras() {
        #expect(ProgressBar.bar(313, of: 313) == "313/313 [==============================]")
        #expect(ProgressBar.bar(1, of: 313) == "  1/313 [..............................]")
        #expect(ProgressBar.bar(157, of: 313) == "157/313 [==============>...............]")
        #expect(ProgressBar.values([("loss", 0.53434), ("accuracy", 0.77111), ("tiny", 0.00012)])
                == " - loss: 0.5343 - accuracy: 0.7711 - tiny: 1.2000e-04")
        #expect(ProgressBar.formatTime(0.003, unit: "step") == " 3ms/step")
        #expect(ProgressBar.formatTime(1.4, unit: "step") == " 1s/step")
        #expect(ProgressBar.formatTime(0.00004, unit: "step") == " 40us/step")
        var lines: [String] = []
        let bar = ProgressBar(steps: 4, verbose: 1, dynamic: false, write: { lines.append($0) })
        bar.update(2, values: [("loss", 1)])
        bar.update(4, values: [("loss", 0.5)], final: true)
        // Off a terminal only the epoch's last line is written.
        #expect(lines.count == 1)
        #expect(lines[0].hasPrefix("4/4 [==============================] - 0s "))
        #expect(lines[0].hasSuffix("/step - loss: 0.5000\n"))
    }

    /// On a 70-column terminal every redraw stays on one row (cut to 69 columns), and the epoch's
    /// final line is written whole.
    @Test func redrawsFitTheTerminalWidth() throws {
        var lines: [String] = []
        let bar = ProgressBar(steps: 313, verbose: 1, dynamic: true, columns: { 70 }, write: { lines.append($0) })
        let values = [("loss", 0.69312), ("accuracy", 0.5012), ("val_loss", 0.6931), ("val_accuracy", 0.5)]
        bar.update(100, values: values)
        let redraw = try #require(lines.last)
        #expect(redraw.hasPrefix("\r100/313 [========>.....................] - ETA: "))
        #expect(redraw.count == 1 + 69, "cut to one column short of the width: \(redraw)")
        #expect(!redraw.contains("\n"))
        bar.update(313, values: values, final: true)
        let final = try #require(lines.last)
        #expect(final.hasSuffix(" - val_accuracy: 0.5000\n"), "the final line is whole")
        // Without a known width nothing is cut.
        var wide: [String] = []
        let unknown = ProgressBar(steps: 313, verbose: 1, dynamic: true, columns: { nil }, write: { wide.append($0) })
        unknown.update(100, values: values)
        #expect(wide.last?.hasSuffix(" - val_accuracy: 0.5000") == true)
    }
}

/// Learning-curve axes: nice ticks with gridlines, every epoch on the x axis, labels whole, a log
/// scale for losses that fall over orders of magnitude, the learning rate's panel, the restored epoch.
struct LearningCurveTests {
    static func history(_ rows: [[(String, Double)]]) -> History {
        var history = History()
        for row in rows { history.append(row, seconds: 1) }
        return history
    }

    @Test func axesHaveNiceTicksAndWholeLabels() {
        #expect(ChartAxis.niceStep(0.13) == 0.2 && ChartAxis.niceStep(3) == 5 && ChartAxis.niceStep(0.0007) == 0.001)
        let axis = ChartAxis(low: 0.00815, high: 0.0123, floorAtZero: true)
        #expect(axis.ticks.first! <= 0.00815 && axis.ticks.last! >= 0.0123)
        #expect(axis.ticks.map(axis.label) == ["0.008", "0.010", "0.012", "0.014"])
        let log = ChartAxis(low: 0.07, high: 30, logarithmic: true)
        #expect(log.logarithmic && log.ticks == [0.01, 0.1, 1, 10, 100])
        #expect(log.ticks.map(log.label) == ["0.01", "0.1", "1", "10", "100"])
        #expect(LearningCurves.epochTicks(7) == [1, 2, 3, 4, 5, 6, 7])
        #expect(LearningCurves.epochTicks(100) == [1, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100])
        #expect(LearningCurves.epochTicks(37) == [1, 5, 10, 15, 20, 25, 30, 37])
    }

    @Test func curvesMarkTheRestoredEpochShowTheRateAndUseALogScale() {
        let falling = Self.history((0..<30).map { epoch in
            [("loss", 30 * pow(0.7, Double(epoch))), ("lr", epoch < 10 ? 0.01 : 0.005)]
        })
        let svg = LearningCurves.svg(falling, title: "t", restoredEpoch: 12)
        #expect(svg.contains(">loss (log scale)</text>"))
        #expect(svg.contains(">learning rate</text>"))
        #expect(svg.contains(">restored (epoch 12)</text>"))
        #expect(svg.contains("stroke=\"#e6e6e6\""), "gridlines")
        // Every y label starts right of the canvas edge (about 7 px per character at 12 px).
        for line in svg.split(separator: "\n") where line.contains("text-anchor=\"end\" fill=\"#555\"") {
            let x = Double(line.split(separator: "\"")[1])!
            let label = line.split(separator: ">")[1].split(separator: "<")[0]
            #expect(x - 7 * Double(label.count) >= 0, "\(label) would be cut")
        }
        let steady = Self.history((0..<5).map { _ in [("loss", 0.5), ("lr", 0.01)] })
        let plain = LearningCurves.svg(steady, title: "t")
        #expect(!plain.contains("learning rate") && !plain.contains("log scale") && !plain.contains("restored"))
    }
}
