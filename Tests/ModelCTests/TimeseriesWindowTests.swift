import Foundation
import Testing
@testable import ModelC
@testable import ModelRun

/// `window:` on a split: windows and targets as Keras's `timeseries_dataset_from_array(series,
/// series[(sequence_length - 1) * sampling_rate + horizon:], ...)` makes them, every value below
/// worked out by hand from a series whose rows hold their own index.
struct TimeseriesWindowTests {
    /// Rows 0..<rows, one column: row r holds r.
    static func series(_ rows: Int) -> NumpyArray {
        NumpyArray(shape: [rows, 1], values: (0..<rows).map(Float.init))
    }

    static func cut(_ rows: Int, _ window: TimeseriesWindow, targets: Bool = true) throws(DataError) -> (x: [[Float]], y: [Float]) {
        let series = series(rows)
        let (x, y) = try TimeseriesWindows.cut(series, targets: targets ? series : nil, window: window, split: "train", source: "s.csv")
        let length = window.sequenceLength
        let windows = (0..<x.rows).map { Array(x.values[($0 * length)..<(($0 + 1) * length)]) }
        #expect(x.shape == [windows.count, length, 1])
        return (windows, y?.values ?? [])
    }

    static func message(_ body: () throws(DataError) -> Void) -> String {
        do throws(DataError) { try body() } catch { return error.description }
        return ""
    }

    @Test func horizonOneTargetsTheStepAfterTheWindow() throws {
        // 10 rows, length 3: Keras counts min(10 - 2, len(series[3:]) = 7) = 7 windows.
        let (x, y) = try Self.cut(10, TimeseriesWindow(sequenceLength: 3))
        #expect(x == [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6], [5, 6, 7], [6, 7, 8]])
        #expect(y == [3, 4, 5, 6, 7, 8, 9])
    }

    @Test func horizonZeroTargetsTheWindowsLastRowAndThreeTheThirdAfter() throws {
        let (x0, y0) = try Self.cut(10, TimeseriesWindow(sequenceLength: 3, horizon: 0))
        #expect(x0.count == 8 && x0.last == [7, 8, 9])
        #expect(y0 == [2, 3, 4, 5, 6, 7, 8, 9])
        // series[5:] has 5 rows: 5 windows, targets 5..9.
        let (x3, y3) = try Self.cut(10, TimeseriesWindow(sequenceLength: 3, horizon: 3))
        #expect(x3 == [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6]])
        #expect(y3 == [5, 6, 7, 8, 9])
    }

    @Test func strideAndSamplingRate() throws {
        // 12 rows, length 3, rate 2 (a window spans 5 rows), stride 2, horizon 1: offset 5,
        // min(12 - 4, 7) = 7 start positions counted, every second one used: 0, 2, 4, 6.
        let (x, y) = try Self.cut(12, TimeseriesWindow(sequenceLength: 3, sequenceStride: 2, samplingRate: 2))
        #expect(x == [[0, 2, 4], [2, 4, 6], [4, 6, 8], [6, 8, 10]])
        #expect(y == [5, 7, 9, 11])
    }

    @Test func startAndEndIndex() throws {
        // Rows 2 to 8 (end_index 9 exclusive): 9 - 2 - 2 = 5 windows; the last window's target (9)
        // lies past end_index, as in Keras (only the windows' rows are bounded by it).
        let (x, y) = try Self.cut(12, TimeseriesWindow(sequenceLength: 3, startIndex: 2, endIndex: 9))
        #expect(x == [[2, 3, 4], [3, 4, 5], [4, 5, 6], [5, 6, 7], [6, 7, 8]])
        #expect(y == [5, 6, 7, 8, 9])
        // Horizon 0 with start_index: Keras's count leaves room, nothing past the series.
        let (x0, y0) = try Self.cut(10, TimeseriesWindow(sequenceLength: 3, horizon: 0, startIndex: 2))
        #expect(x0.first == [2, 3, 4] && x0.last == [7, 8, 9] && x0.count == 6)
        #expect(y0 == [4, 5, 6, 7, 8, 9])
    }

    @Test func theLastPartialWindowIsDroppedAsKerasDropsIt() throws {
        // 10 rows, length 4, stride 4, horizon 0: starts 0 and 4; one at 8 would need rows 8-11.
        let (x, y) = try Self.cut(10, TimeseriesWindow(sequenceLength: 4, sequenceStride: 4, horizon: 0))
        #expect(x == [[0, 1, 2, 3], [4, 5, 6, 7]])
        #expect(y == [3, 7])
        #expect(TimeseriesWindows.count(rows: 10, window: TimeseriesWindow(sequenceLength: 4, sequenceStride: 4, horizon: 0), targets: true) == 2)
        // Keras's docstring example: 99 rows, length 10, rate 2, stride 3, no targets: the last starts at 78.
        let doc = TimeseriesWindow(sequenceLength: 10, sequenceStride: 3, samplingRate: 2)
        let (windows, _) = try Self.cut(99, doc, targets: false)
        #expect(windows.first == [0, 2, 4, 6, 8, 10, 12, 14, 16, 18])
        #expect(windows.last == [78, 80, 82, 84, 86, 88, 90, 92, 94, 96])
        #expect(windows.count == 27)
    }

    @Test func severalFeatureAndTargetColumnsAndA1DSeries() throws {
        // Two features (r, 100 + r) and two targets (10 r, -r).
        let rows = 6
        let x = NumpyArray(shape: [rows, 2], values: (0..<rows).flatMap { [Float($0), Float(100 + $0)] })
        let y = NumpyArray(shape: [rows, 2], values: (0..<rows).flatMap { [Float(10 * $0), Float(-$0)] })
        let (windows, targets) = try TimeseriesWindows.cut(x, targets: y, window: TimeseriesWindow(sequenceLength: 2), split: "train", source: "w.csv")
        #expect(windows.shape == [4, 2, 2])
        #expect(Array(windows.values.prefix(8)) == [0, 100, 1, 101, 1, 101, 2, 102])
        #expect(targets?.shape == [4, 2])
        #expect(targets?.values == [20, -2, 30, -3, 40, -4, 50, -5])
        // A 1-D series gives windows [sequence_length], as Keras's.
        let line = NumpyArray(shape: [5], values: [0, 1, 2, 3, 4])
        let (flat, next) = try TimeseriesWindows.cut(line, targets: line, window: TimeseriesWindow(sequenceLength: 2), split: "train", source: "s.npy")
        #expect(flat.shape == [3, 2] && flat.values == [0, 1, 1, 2, 2, 3])
        #expect(next?.shape == [3] && next?.values == [2, 3, 4])
    }

    @Test func kerasArgumentErrorsNameTheSeriesRows() {
        func error(_ rows: Int, _ window: TimeseriesWindow) -> String {
            Self.message { () throws(DataError) in _ = try Self.cut(rows, window) }
        }
        #expect(error(10, TimeseriesWindow(sequenceLength: 3, startIndex: 10))
                == "data train window: start_index 10 must be lower than the series's length, but s.csv has 10 rows (rows 0 to 9)")
        #expect(error(10, TimeseriesWindow(sequenceLength: 3, endIndex: 10))
                == "data train window: end_index 10 must be lower than the series's length, as Keras's timeseries_dataset_from_array requires, but s.csv has 10 rows; leave end_index out (null) to read to the end")
        #expect(error(10, TimeseriesWindow(sequenceLength: 3, samplingRate: 10))
                == "data train window: sampling_rate 10 must be lower than the series's length, but s.csv has 10 rows")
        #expect(error(10, TimeseriesWindow(sequenceLength: 3, sequenceStride: 12))
                == "data train window: sequence_stride 12 must be lower than the series's length, but s.csv has 10 rows")
        #expect(error(10, TimeseriesWindow(sequenceLength: 6, samplingRate: 2))
                == "data train window: s.csv has 10 rows, too few for one window: sequence_length 6 × sampling_rate 2 spans 11 rows but rows 0 to 9 are 10; shorten the window or use more rows")
        #expect(error(10, TimeseriesWindow(sequenceLength: 10))
                == "data train window: s.csv has 10 rows, too few for one window and its target: sequence_length 10 × sampling_rate 1 spans 10 rows and the target lies horizon 1 after the last, row 10 of the series at the earliest")
        #expect(error(10, TimeseriesWindow(sequenceLength: 3, startIndex: 2))
                == "data train window: the target of the last window would be row 10, past the series (s.csv has 10 rows); Keras's timeseries_dataset_from_array counts windows from start_index 2 without room for the horizon and fails while iterating here; set end_index to at most 9")
        let series = Self.series(4)
        let mismatch = Self.message { () throws(DataError) in
            _ = try TimeseriesWindows.cut(series, targets: Self.series(3), window: TimeseriesWindow(sequenceLength: 2), split: "validation", source: "x.npy", targetSource: "y.npy")
        }
        #expect(mismatch == "data validation window: x.npy has 4 rows but its targets (y.npy) have 3; the targets are the series's own rows, one per time step")
    }

    // MARK: modelc check

    static func spec(input: String = "[4, 2]", units: Int = 1, train: String, validation: String? = nil) -> String {
        """
        layers:
          - LSTM: {units: 3, input_shape: \(input)}
          - Dense \(units)
        compile: {optimizer: adam, loss: mse}
        data:
          train: \(train)
        \(validation.map { "  validation: \($0)\n" } ?? "")
        """
    }

    @Test func theCheckerReadsTheWindowAndInheritsTrainsSettings() throws {
        let yaml = Self.spec(train: "{csv: w.csv, features: [a, b], labels: a, window: {sequence_length: 4, sampling_rate: 2, horizon: 0, end_index: 50}}",
                             validation: "{csv: w.csv, features: [a, b], labels: a, window: {start_index: 50}}")
        let model = try #require(TestSupport.model(yaml), "\(TestSupport.errors(yaml))")
        #expect(model.data?.train?.window == TimeseriesWindow(sequenceLength: 4, samplingRate: 2, horizon: 0, endIndex: 50))
        // start_index and end_index are the split's own; the rest comes from train.
        #expect(model.data?.validation?.window == TimeseriesWindow(sequenceLength: 4, samplingRate: 2, horizon: 0, startIndex: 50))
        guard case .windowed(.csv(_, let features, let labels, _), _)? = model.data?.train else {
            Issue.record("not a windowed csv split")
            return
        }
        // The target's past is an input: a feature may be a label.
        #expect(features == ["a", "b"] && labels == ["a"])
    }

    @Test func checkErrorsSayBothShapesAndWhatToChange() {
        #expect(TestSupport.errors(Self.spec(train: "{csv: w.csv, features: [a, b], labels: a, window: {sequence_length: 6}}"))
                == ["data train window gives samples shaped (6, 2) (sequence_length 6) but the model's input is (4, 2); set sequence_length to 4 or the input to [6, 2]"])
        #expect(TestSupport.errors(Self.spec(train: "{csv: w.csv, features: [a, b, c], labels: a, window: {sequence_length: 4}}"))
                == ["data train window gives samples shaped (4, 3) (3 feature columns) but the model's input is (4, 2); list 2 feature columns or set the input to [4, 3]"])
        #expect(TestSupport.errors(Self.spec(units: 1, train: "{csv: w.csv, features: [a, b], labels: [a, b], window: {sequence_length: 4}}"))
                == ["data train window's targets have 2 values (one per label column) but the output has 1 unit; give the last layer 2 units or list 1 label column"])
        #expect(TestSupport.errors("input: [4, 2, 1]\nlayers: [Flatten, Dense 1]\ncompile: {optimizer: adam, loss: mse}\ndata:\n  train: {csv: w.csv, features: [a, b], labels: a, window: {sequence_length: 4}}\n")
                == ["data train window gives samples shaped (4, 2) (sequence_length, features) but the model's input is (4, 2, 1); windows need an input of [sequence_length, features] (or [sequence_length] for a 1-D series)"])
        #expect(TestSupport.errors(Self.spec(train: "{csv: w.csv, labels: a, window: {horizon: 1}}"))
                == ["data train window needs sequence_length, the rows in one window, e.g. `window: {sequence_length: 4}`"])
        #expect(TestSupport.errors(Self.spec(train: "{csv: w.csv, labels: a, window: {sequence_length: 4, start_index: 5, end_index: 5}}"))
                == ["data train window end_index 5 must be higher than start_index 5 (Keras's timeseries_dataset_from_array refuses it): windows use the rows from start_index up to, not including, end_index"])
        #expect(TestSupport.errors(Self.spec(train: "{csv: w.csv, text: t, labels: a, window: {sequence_length: 4}}"))
                == ["data train window cuts a numeric series into windows; it reads `csv:` columns or `x:` arrays, not raw text, so remove this key or the window"])
        #expect(TestSupport.errors(Self.spec(train: "{csv: w.csv, labels: a, window: 4}"))
                == ["data train window is a mapping such as `{sequence_length: 24, horizon: 1}`"])
        #expect(TestSupport.errors(Self.spec(train: "{csv: w.csv, labels: a, window: {sequence_length: 4}}", validation: "{csv: v.csv, labels: a}"))
                == ["data validation reads CSV rows while train cuts its series into windows; add `window: {}` to cut this split like train (give start_index/end_index to choose its rows)"])
        #expect(TestSupport.errors(Self.spec(train: "{csv: w.csv, labels: a, window: {sequence_length: 4, sampling_rate: 0}}")).count == 1)
        // A 1-D series: windows [sequence_length] for an input [sequence_length] (or [sequence_length, 1]).
        #expect(TestSupport.errors("input: [4]\nlayers: [Dense 1]\ncompile: {optimizer: adam, loss: mse}\ndata:\n  train: {x: s.npy, y: s.npy, window: {sequence_length: 4}}\n").isEmpty)
        #expect(TestSupport.errors("input: [5]\nlayers: [Dense 1]\ncompile: {optimizer: adam, loss: mse}\ndata:\n  train: {x: s.npy, y: s.npy, window: {sequence_length: 4}}\n")
                == ["data train window gives samples shaped (4, features) (sequence_length 4) but the model's input is (5,); set sequence_length to 5 or the input to [4]"])
    }

    @Test func theDataFileCheckReportsTheRowsAtTheWindow() throws {
        let csv = "a,b\n" + (0..<8).map { "\($0),\($0 * 2)" }.joined(separator: "\n") + "\n"
        let spec = Self.spec(train: "{csv: w.csv, features: [a, b], labels: a, window: {sequence_length: 4}}",
                             validation: "{csv: w.csv, features: [a, b], labels: a, window: {start_index: 6, end_index: 7}}")
        let diagnostics = try DataFileCheckTests.diagnose(spec, files: ["w.csv": Array(csv.utf8)])
        let error = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(error.code == .dataContents)
        #expect(error.message == "data validation window: w.csv has 8 rows, too few for one window: sequence_length 4 × sampling_rate 1 spans 4 rows but rows 6 to 6 are 1; shorten the window or use more rows")
        // At the validation split's `window:` (line 7 of the spec).
        #expect(error.range.start.line == 7)
        // Arrays: their features are known once read.
        let arrays = "input: [3, 2]\nlayers: [LSTM 2, Dense 1]\ncompile: {optimizer: adam, loss: mse}\ndata:\n  train: {x: s.npy, y: t.npy, window: {sequence_length: 3}}\n"
        let wide = try DataFileCheckTests.diagnose(arrays, files: ["s.npy": DataFileCheckTests.npy([10, 3], (0..<30).map(Float.init)),
                                                                   "t.npy": DataFileCheckTests.npy([10], (0..<10).map(Float.init))])
        #expect(wide.map(\.message) == ["data train window: s.npy has 10 rows of 3 features, cut into windows shaped [3, 3] (sequence_length 3), but the model's input is [3, 2]; give x 2 features per row or set the input to [3, 3]"])
        #expect(wide.first?.range.start.line == 5)
        let fine = try DataFileCheckTests.diagnose(Self.spec(train: "{csv: w.csv, features: [a, b], labels: a, window: {sequence_length: 4}}"),
                                                   files: ["w.csv": Array(csv.utf8)])
        #expect(fine.isEmpty, "\(fine.map(\.message))")
    }

    @Test func theMemoryGuardCountsTheWindowsOfANpySeries() throws {
        let folder = try TestSupport.temporaryDirectory("series-memory")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try AtomicFile.write(NumpyArray(shape: [1000, 2], values: [Float](repeating: 0.5, count: 2000)).encoded(), to: folder + "/s.npy")
        let split = DataSplit.windowed(.arrays(x: .npy(path: "s.npy"), y: .npy(path: "s.npy")), TimeseriesWindow(sequenceLength: 50))
        let footprints = MemoryGuard.footprints(split, root: folder)
        // The series (x and y: the same file, 1000 × 2 float32 each) and its 950 windows of 50 × 2.
        let windows = try #require(footprints.first { $0.label == "s.npy windows" })
        #expect(windows.shape == [950, 50, 2])
        #expect(windows.resident == 4 * 950 * 50 * 2)
        // Too much for 256 kB, though the file itself is 8 kB.
        let refusal = Self.message { () throws(DataError) in
            try MemoryGuard.checkDataFiles([split], root: folder, maxMemory: 256 * 1024)
        }
        #expect(refusal.contains("s.npy windows alone declares (950, 50, 2) values"), "\(refusal)")
    }

    // MARK: train and prepare

    static func sine(_ rows: Int) -> String {
        "t,value\n" + (0..<rows).map { "\($0),\(String(format: "%.5f", sin(Double($0) * 0.4)))" }.joined(separator: "\n") + "\n"
    }

    @Test func anLSTMTrainsOnSineWindowsFromACSV() throws {
        let folder = try TestSupport.temporaryDirectory("series")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try AtomicFile.write(Self.sine(40), to: folder + "/sine.csv")
        let spec = """
            layers:
              - LSTM: {units: 4, input_shape: [6, 1]}
              - Dense 1
            compile: {optimizer: adam, loss: mse}
            fit: {epochs: 2, batch_size: 8, seed: 3}
            data:
              train: {csv: sine.csv, features: [value], labels: value, window: {sequence_length: 6, end_index: 30}}
              validation: {csv: sine.csv, features: [value], labels: value, window: {start_index: 30, end_index: 39}}

            """
        let printed = try RunSupport.train(spec, in: folder)
        #expect(printed.code == 0, "\(printed.error)")
        // 30 - 5 = 25 training windows; validation 39 - 30 - 5 = 4.
        #expect(printed.out.contains("training on 25 samples, validating on 4"), "\(printed.out)")
        let run = try TestSupport.run(["prepare", folder + "/spec.yaml", "--output", folder + "/arrays"])
        #expect(run.code == 0, "\(run.stderr)")
        #expect(run.stdout.contains("x_train.npy (25, 6, 1), y_train.npy (25,), x_validation.npy (4, 6, 1), y_validation.npy (4,)"), "\(run.stdout)")
        let x = try RunSupport.load(folder + "/arrays/x_validation.npy")
        let y = try RunSupport.load(folder + "/arrays/y_validation.npy")
        let values = (0..<40).map { Float(String(format: "%.5f", sin(Double($0) * 0.4)))! }
        // Validation window 0 holds rows 30-35, its target row 36.
        #expect(Array(x.values.prefix(6)) == Array(values[30...35]))
        #expect(y.values == Array(values[36...39]))
    }

    @Test func aValidationSplitHoldsOutTheLastWindows() throws {
        let folder = try TestSupport.temporaryDirectory("series-split")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Rows 0..<14 hold their index: 10 windows of 4 rows (horizon 1), the last 2 held out.
        try AtomicFile.write("v\n" + (0..<14).map(String.init).joined(separator: "\n") + "\n", to: folder + "/s.csv")
        try AtomicFile.write("""
            input: [4, 1]
            layers: [LSTM 2, Dense 1]
            compile: {optimizer: adam, loss: mse}
            fit: {validation: {split: 0.2}}
            data:
              train: {csv: s.csv, features: [v], labels: v, window: {sequence_length: 4}}

            """, to: folder + "/spec.yaml")
        let run = try TestSupport.run(["prepare", folder + "/spec.yaml", "--output", folder + "/arrays"])
        #expect(run.code == 0, "\(run.stderr)")
        let x = try RunSupport.load(folder + "/arrays/x_validation.npy")
        let y = try RunSupport.load(folder + "/arrays/y_validation.npy")
        #expect(x.shape == [2, 4, 1] && x.values == [8, 9, 10, 11, 9, 10, 11, 12])
        #expect(y.values == [12, 13])
        #expect(try RunSupport.load(folder + "/arrays/y_train.npy").values == (4..<12).map(Float.init))
    }

    @Test func theTrainingScriptCarriesTheWindow() throws {
        let folder = try TestSupport.temporaryDirectory("series-script")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let spec = folder + "/spec.yaml"
        try AtomicFile.write(Self.spec(train: "{csv: w.csv, features: [a, b], labels: a, window: {sequence_length: 4, sequence_stride: 2}}"), to: spec)
        let printed = TrainScriptTests.export(spec, script: folder + "/train.py")
        #expect(printed.code == 0, "\(printed.error)")
        let plan = try TrainScriptTests.plan(in: TestSupport.read(folder + "/train.py"))
        let train = try #require((plan["data"] as? [String: Any])?["train"] as? [String: Any])
        #expect(train["kind"] as? String == "windowed")
        let window = try #require(train["window"] as? [String: Any])
        #expect(window["sequence_length"] as? Int == 4 && window["sequence_stride"] as? Int == 2 && window["horizon"] as? Int == 1)
        #expect((train["series"] as? [String: Any])?["kind"] as? String == "csv")
        #expect(TestSupport.read(folder + "/train.py").contains("timeseries_dataset_from_array(x.values, targets"))
    }
}
