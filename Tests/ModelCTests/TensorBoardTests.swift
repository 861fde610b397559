import Foundation
import SwiftProtobuf
import Testing
@testable import ModelC
@testable import ModelRun

/// Keras's TensorBoard callback as modelc runs it: TFRecord framing with CRC-32C, Event and Summary
/// messages (swift-protobuf), tf_keras's folders, tags and steps, batch scalars, resume.
struct TensorBoardTests {
    static func spec(epochs: Int = 3, tensorBoard: String = "TensorBoard: {log_dir: tb}", validation: Bool = true) -> String {
        """
        input: [2]
        layers: [Dense 1 sigmoid]
        compile: {optimizer: sgd, loss: binary_crossentropy, metrics: [accuracy]}
        fit:
          epochs: \(epochs)
          batch_size: 2
          verbose: 0
          seed: 1
        \(validation ? "  validation: {split: 0.4}\n" : "")  callbacks:
            - \(tensorBoard)
        data:
          train: {x: [[0, 1], [1, 0], [1, 1], [0, 0], [1, 1], [0, 1], [1, 0], [0, 0]], y: [1, 1, 0, 0, 0, 1, 1, 0]}

        """
    }

    /// One scalar as read back: its tag, step and float32 value.
    struct Scalar: Equatable, CustomStringConvertible {
        var tag: String
        var step: Int64
        var value: Float
        var description: String { "\(tag)@\(step)=\(value)" }
    }

    /// The one event file in `folder`: its name and events, both CRCs of every record verified.
    static func eventFile(_ folder: String) throws -> (name: String, events: [Tensorflow_Event]) {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(names.count == 1, "\(folder): \(names)")
        let name = try #require(names.first)
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: folder + "/" + name)))
        let events = try TFRecord.records(bytes, file: name).map { try Tensorflow_Event(serializedBytes: $0) }
        return (name, events)
    }

    /// The scalars of `events` (tf.summary v2 form: a float32 scalar tensor of the scalars plugin).
    static func scalars(_ events: [Tensorflow_Event]) -> [Scalar] {
        events.compactMap { event in
            guard let value = event.summary.value.first, value.metadata.pluginData.pluginName == "scalars",
                  value.tensor.dtype == .dtFloat, value.tensor.tensorContent.count == 4 else { return nil }
            let bits = value.tensor.tensorContent.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
            return Scalar(tag: value.tag, step: event.step, value: Float(bitPattern: bits))
        }
    }

    /// history.json's columns.
    static func history(_ run: String) throws -> [String: [Double]] {
        let data = try #require(FileManager.default.contents(atPath: run + "/history.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return object.compactMapValues { ($0 as? [Any])?.compactMap { ($0 as? NSNumber)?.doubleValue } }
    }

    @Test func crc32cMatchesKnownVectors() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8]()) == 0)
        // RFC 3720 (iSCSI) B.4: 32 bytes of zeros, of ones, ascending and descending.
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).map { UInt8(31 - $0) }) == 0x113F_DB5C)
        let crc = CRC32C.checksum(Array("123456789".utf8))
        #expect(CRC32C.masked(Array("123456789".utf8)) == ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8)
    }

    @Test func framingRoundTripsAndDamageIsFound() throws {
        let records: [[UInt8]] = [[], Array("brain".utf8), [UInt8](repeating: 7, count: 300)]
        let bytes = records.flatMap(TFRecord.frame)
        #expect(bytes.count == records.reduce(0) { $0 + $1.count + 16 })
        #expect(try TFRecord.records(bytes) == records)
        for offset in [3, 9, 25, bytes.count - 1] {
            var damaged = bytes
            damaged[offset] ^= 0x10
            #expect(throws: DataError.self) { try TFRecord.records(damaged) }
        }
        #expect(throws: DataError.self) { try TFRecord.records(Array(bytes.dropLast(2))) }
    }

    /// A file tf_keras 2.21 wrote (Dense model, update_freq=2, two epochs of two steps, write_graph
    /// off) reads with modelc's framing and messages: what modelc writes is checked against the same.
    @Test func readsTheFileTFKerasWrote() throws {
        let path = TestSupport.packageRoot + "/Tests/Fixtures/tensorboard/tf_keras_train.v2"
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: path)))
        let events = try TFRecord.records(bytes, file: path).map { try Tensorflow_Event(serializedBytes: $0) }
        #expect(events.first?.fileVersion == "brain.Event:2")
        let read = Self.scalars(events)
        #expect(read.map { "\($0.tag)@\($0.step)" } == ["batch_loss@2", "batch_accuracy@2", "epoch_loss@0", "epoch_accuracy@0",
                                                        "batch_loss@4", "batch_accuracy@4", "epoch_loss@1", "epoch_accuracy@1"])
        #expect(read[2].value == Float(0.8034173846244812) && read[3].value == 0.25)
        // modelc's encoding of the same scalar is byte for byte tf_keras's, wall time aside.
        var mine = TensorBoardEvents.scalar("epoch_loss", 0.8034173846244812, step: 0, wallTime: events[3].wallTime)
        #expect(try mine.serializedBytes() == events[3].serializedBytes() as [UInt8])
        mine.step = 1
        #expect(try mine.serializedBytes() != events[3].serializedBytes() as [UInt8])
    }

    @Test func writesKerasFoldersTagsAndSteps() throws {
        let folder = try TestSupport.temporaryDirectory("tensorboard")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try RunSupport.train(Self.spec(), in: folder)
        #expect(run.code == 0, "\(run.error)")
        #expect(run.out.contains("history.csv") && run.out.contains(", tb/\n"), "\(run.out)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/run/tb").sorted() == ["train", "validation"])
        let history = try Self.history(folder + "/run")
        let (trainName, train) = try Self.eventFile(folder + "/run/tb/train")
        #expect(trainName.wholeMatch(of: /events\.out\.tfevents\.\d+\.[^.\/]+(\.[^.\/]+)*\.\d+\.\d+\.v2/) != nil, "\(trainName)")
        #expect(trainName.contains(".\(getpid()).") && trainName.hasSuffix(".v2"))
        #expect(train.first?.fileVersion == "brain.Event:2" && train.first?.summary.value.isEmpty == true)
        #expect(train.first.map { $0.wallTime == $0.wallTime.rounded(.down) && $0.wallTime > 1.7e9 } == true)
        // write_graph: the model's Keras config at step 0, for the graph plugin.
        let graph = try #require(train.dropFirst().first?.summary.value.first)
        #expect(graph.tag == "keras" && graph.metadata.pluginData.pluginName == "graph_keras_model" && graph.tensor.dtype == .dtString)
        let json: Data = try #require(graph.tensor.stringVal.first)
        let config = try JSONSerialization.jsonObject(with: json) as? [String: Any]
        #expect(config?["class_name"] as? String == "Sequential" && config?["config"] != nil)
        // epoch_<name> per epoch at step = epoch from 0, in compile's order, values history's float32s.
        var expected: [Scalar] = []
        for epoch in 0..<3 {
            for name in ["loss", "accuracy"] { expected.append(Scalar(tag: "epoch_" + name, step: Int64(epoch), value: Float(history[name]![epoch]))) }
        }
        #expect(Self.scalars(train) == expected)
        #expect(!Self.scalars(train).contains { $0.tag.contains("learning_rate") || $0.tag.hasPrefix("epoch_val_") })
        // Validation: evaluation_<name>_vs_iterations at the optimizer's iterations, then epoch_<name>.
        let (_, validation) = try Self.eventFile(folder + "/run/tb/validation")
        #expect(validation.first?.fileVersion == "brain.Event:2")
        let steps = 2 // 4 training rows (Keras's split keeps floor(8 · 0.6)) in batches of 2
        var expectedValidation: [Scalar] = []
        for epoch in 0..<3 {
            for name in ["loss", "accuracy"] {
                expectedValidation.append(Scalar(tag: "evaluation_\(name)_vs_iterations", step: Int64((epoch + 1) * steps),
                                                 value: Float(history["val_" + name]![epoch])))
            }
            for name in ["loss", "accuracy"] {
                expectedValidation.append(Scalar(tag: "epoch_" + name, step: Int64(epoch), value: Float(history["val_" + name]![epoch])))
            }
        }
        #expect(Self.scalars(validation) == expectedValidation)
    }

    @Test func noValidationFolderWithoutValidationAndNoGraphWhenOff() throws {
        let folder = try TestSupport.temporaryDirectory("tensorboard-plain")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try RunSupport.train(Self.spec(epochs: 1, tensorBoard: "TensorBoard: {write_graph: false, histogram_freq: 0}", validation: false), in: folder)
        #expect(run.code == 0, "\(run.error)")
        // log_dir defaults to logs, as in Keras.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/run/logs") == ["train"])
        let (_, train) = try Self.eventFile(folder + "/run/logs/train")
        #expect(train.count == 3 && Self.scalars(train).map(\.tag) == ["epoch_loss", "epoch_accuracy"])
    }

    /// With a schedule as the optimizer's learning_rate, tf_keras adds epoch_learning_rate: the
    /// schedule at the iterations after the epoch.
    @Test func aScheduledRateIsLoggedAsEpochLearningRate() throws {
        let folder = try TestSupport.temporaryDirectory("tensorboard-schedule")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let spec = Self.spec(epochs: 2, tensorBoard: "TensorBoard: {write_graph: false}", validation: false)
            .replacingOccurrences(of: "optimizer: sgd", with: "optimizer: {SGD: {learning_rate: {ExponentialDecay: {initial_learning_rate: 0.1, decay_steps: 4, decay_rate: 0.5}}}}")
        let run = try RunSupport.train(spec, in: folder)
        #expect(run.code == 0, "\(run.error)")
        let rates = Self.scalars(try Self.eventFile(folder + "/run/logs/train").events).filter { $0.tag == "epoch_learning_rate" }
        // 8 rows at batch 2: 4 steps per epoch, so 0.1·0.5^(4/4) and 0.1·0.5^(8/4).
        #expect(rates == [Scalar(tag: "epoch_learning_rate", step: 0, value: 0.05), Scalar(tag: "epoch_learning_rate", step: 1, value: 0.025)])
    }

    @Test func batchScalarsAreRunningMeansAtTheGlobalStep() throws {
        let folder = try TestSupport.temporaryDirectory("tensorboard-batch")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try RunSupport.train(Self.spec(epochs: 3, tensorBoard: "TensorBoard: {update_freq: batch, write_graph: false}"), in: folder)
        #expect(run.code == 0, "\(run.error)")
        let history = try Self.history(folder + "/run")
        let scalars = Self.scalars(try Self.eventFile(folder + "/run/logs/train").events)
        let batches = scalars.filter { $0.tag.hasPrefix("batch_") }
        // Two steps an epoch: global steps 1 to 6, counted across epochs.
        #expect(batches.map { "\($0.tag)@\($0.step)" } == (1...6).flatMap { ["batch_loss@\($0)", "batch_accuracy@\($0)"] })
        // The last step's running mean is the epoch's value; each epoch's batches come before it.
        for epoch in 0..<3 {
            let last = batches.filter { $0.step == Int64(2 * (epoch + 1)) }
            #expect(last.map(\.value) == [Float(history["loss"]![epoch]), Float(history["accuracy"]![epoch])])
        }
        #expect(scalars.map(\.tag).prefix(6) == ["batch_loss", "batch_accuracy", "batch_loss", "batch_accuracy", "epoch_loss", "epoch_accuracy"])
        // A mid-epoch step's value is the running mean of the epoch so far, not the epoch's.
        let first = try #require(batches.first)
        #expect(first.value != Float(history["loss"]![0]))
        // update_freq N: every Nth global step.
        let every = try RunSupport.train(Self.spec(epochs: 3, tensorBoard: "TensorBoard: {update_freq: 3, write_graph: false}"),
                                         in: folder, options: TrainOptions(runDirectory: folder + "/every"))
        #expect(every.code == 0, "\(every.error)")
        let sparse = Self.scalars(try Self.eventFile(folder + "/every/logs/train").events).filter { $0.tag.hasPrefix("batch_") }
        #expect(sparse.map { "\($0.tag)@\($0.step)" } == ["batch_loss@3", "batch_accuracy@3", "batch_loss@6", "batch_accuracy@6"])
        #expect(sparse.map(\.value) == batches.filter { $0.step % 3 == 0 }.map(\.value))
    }

    /// A run stopped mid-epoch and resumed continues the same files, the unfinished epoch's batch
    /// scalars cut off, so the files hold what an uninterrupted run's hold.
    @Test func aResumedRunContinuesTheSameFiles() throws {
        let folder = try TestSupport.temporaryDirectory("tensorboard-resume")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let spec = Self.spec(epochs: 3, tensorBoard: "TensorBoard: {log_dir: tb, update_freq: batch}")
        try spec.write(toFile: folder + "/spec.yaml", atomically: true, encoding: .utf8)
        #expect(RunSupport.train(folder + "/spec.yaml", TrainOptions(runDirectory: folder + "/whole")).code == 0)
        var steps = 0
        let cut = RunSupport.train(folder + "/spec.yaml", TrainOptions(runDirectory: folder + "/cut"), shouldStop: {
            steps += 1
            return steps == 5
        })
        #expect(cut.code == 130)
        let (cutName, cutEvents) = try Self.eventFile(folder + "/cut/tb/train")
        // The interrupted epoch's batch (step 5, in the third epoch) was written when training ended.
        #expect(Self.scalars(cutEvents).filter { $0.tag == "batch_loss" }.map(\.step) == [1, 2, 3, 4, 5])
        let resumed = RunSupport.train(folder + "/spec.yaml", TrainOptions(resume: folder + "/cut"))
        #expect(resumed.code == 0, "\(resumed.error)")
        let (name, events) = try Self.eventFile(folder + "/cut/tb/train")
        #expect(name == cutName)
        let whole = Self.scalars(try Self.eventFile(folder + "/whole/tb/train").events)
        #expect(Self.scalars(events) == whole)
        #expect(events.filter { !$0.fileVersion.isEmpty }.count == 1 && events.filter { $0.summary.value.first?.tag == "keras" }.count == 1)
        #expect(Self.scalars(try Self.eventFile(folder + "/cut/tb/validation").events)
                == Self.scalars(try Self.eventFile(folder + "/whole/tb/validation").events))
    }

    @Test func aFailedWriteStopsTheRunAndLeavesWholeRecords() throws {
        let folder = try TestSupport.temporaryDirectory("tensorboard-fail")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.spec(epochs: 3).write(toFile: folder + "/spec.yaml", atomically: true, encoding: .utf8)
        let train = folder + "/run/tb/train"
        var steps = 0
        let run = RunSupport.train(folder + "/spec.yaml", TrainOptions(runDirectory: folder + "/run"), shouldStop: {
            steps += 1
            // In the second epoch, before its end: the write at its end stops halfway.
            if steps == 4 { AtomicFile.injectedFailures.withLock { $0[train] = ENOSPC } }
            return false
        })
        AtomicFile.injectedFailures.withLock { $0[train] = nil }
        #expect(run.code == 1)
        #expect(run.error.contains("No space left on device") && run.error.contains("tfevents"), "\(run.error)")
        // The half-written records were cut off: the file reads whole, with the first epoch only.
        let (_, events) = try Self.eventFile(train)
        #expect(Self.scalars(events).map { "\($0.tag)@\($0.step)" } == ["epoch_loss@0", "epoch_accuracy@0"])
    }

    @Test func refusesWhatItDoesNotWriteAndPathsOutsideTheRun() {
        func errors(_ callback: String) -> [String] { TestSupport.errors(Self.spec(tensorBoard: callback)) }
        #expect(errors("TensorBoard: {log_dir: tb, update_freq: 3}").isEmpty)
        #expect(errors("TensorBoard").isEmpty)
        #expect(errors("TensorBoard: {log_dir: .}").isEmpty && errors("TensorBoard: {log_dir: runs/tb}").isEmpty)
        #expect(errors("TensorBoard: {histogram_freq: 1}").contains { $0.contains("histogram_freq") && $0.contains("at most 0") })
        #expect(errors("TensorBoard: {update_freq: often}").contains { $0.contains("update_freq") && $0.contains("epoch, batch") })
        #expect(errors("TensorBoard: {update_freq: 0}").contains { $0.contains("update_freq") && $0.contains("at least 1") })
        #expect(errors("TensorBoard: {write_images: true}").contains { $0.contains("write_images") })
        #expect(errors("TensorBoard: {profile_batch: 2}").contains { $0.contains("profile_batch") })
        for path in ["../tb", "/tmp/tb", "a/../../tb"] {
            #expect(errors("TensorBoard: {log_dir: '\(path)'}").contains { $0.contains("must stay inside the run directory") }, "\(path)")
        }
        #expect(errors("TensorBoard: {log_dir: history.csv}").contains { $0.contains("one of the run's own files") })
    }

    @Test func theRunTimeRefusesPathsOutsideTheRunToo() throws {
        let folder = try TestSupport.temporaryDirectory("tensorboard-path")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let directory = try RunDirectory(folder)
        for path in ["../tb", "/tmp/tb"] {
            let arguments = ResolvedArguments(values: ["log_dir": .string(path), "update_freq": .string("epoch"), "write_graph": .bool(true)])
            #expect(throws: DataError.self) { try TensorBoard(arguments, directory: directory, loggedNames: ["loss"], modelConfig: nil) }
        }
    }
}
