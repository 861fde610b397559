import ModelC

/// Cuts a series into windows exactly as Keras's `timeseries_dataset_from_array(series,
/// targets[offset:], sequence_length, sequence_stride, sampling_rate, start_index=..., end_index=...)`
/// does, `offset` being the window's `targetOffset`: Keras's argument checks (as messages that name
/// the split and the series's row count), its window count, and its order (no shuffling here).
/// The windows are materialized: each row is copied about sequence_length / sequence_stride times.
public enum TimeseriesWindows {
    /// The windows' first rows (in the series's rows), in order. `targets`: whether targets are
    /// taken (the count is then capped by them as Keras caps it). `split` names the split in messages
    /// ("train"), `source` the file.
    public static func starts(rows: Int, window: TimeseriesWindow, targets: Bool, split: String, source: String) throws(DataError) -> [Int] {
        let what = "data \(split) window"
        let series = "\(source) has \(rows) \(rows == 1 ? "row" : "rows")"
        let start = window.startIndex
        if start > 0, start >= rows {
            throw DataError("\(what): start_index \(start) must be lower than the series's length, but \(series) (rows 0 to \(rows - 1))")
        }
        if let end = window.endIndex, end >= rows {
            throw DataError("\(what): end_index \(end) must be lower than the series's length, as Keras's timeseries_dataset_from_array requires, but \(series); leave end_index out (null) to read to the end")
        }
        if window.samplingRate >= rows {
            throw DataError("\(what): sampling_rate \(window.samplingRate) must be lower than the series's length, but \(series)")
        }
        if window.sequenceStride >= rows {
            throw DataError("\(what): sequence_stride \(window.sequenceStride) must be lower than the series's length, but \(series)")
        }
        let end = window.endIndex ?? rows
        var count = end - start - (window.sequenceLength - 1) * window.samplingRate
        let targetRows = max(0, rows - window.targetOffset)
        if targets { count = min(count, targetRows) }
        let available = end - start
        guard count > 0 else {
            if window.span <= available {
                throw DataError("\(what): \(series), too few for one window and its target: sequence_length \(window.sequenceLength) × sampling_rate \(window.samplingRate) spans \(window.span) rows and the target lies horizon \(window.horizon) after the last, row \(window.targetOffset) of the series at the earliest")
            }
            throw DataError("\(what): \(series), too few for one window: sequence_length \(window.sequenceLength) × sampling_rate \(window.samplingRate) spans \(window.span) rows but rows \(start) to \(end - 1) are \(available); shorten the window or use more rows")
        }
        let positions = Array(stride(from: 0, to: count, by: window.sequenceStride))
        // Keras caps the count by len(targets) but then indexes targets[start_index:], so a window
        // whose target lies past the series stops its iteration with an error.
        if targets, let last = positions.last, start + last >= targetRows {
            let lastTarget = start + last + window.targetOffset
            throw DataError("\(what): the target of the last window would be row \(lastTarget), past the series (\(series)); Keras's timeseries_dataset_from_array counts windows from start_index \(start) without room for the horizon and fails while iterating here; set end_index to at most \(rows - window.horizon)")
        }
        return positions.map { start + $0 }
    }

    /// The windows of `series` ([rows, ...] → [windows, sequence_length, ...]) and their targets
    /// (`targets` [rows, ...], aligned with the series: the target of a window is
    /// `targets[start + targetOffset]`).
    public static func cut(_ series: NumpyArray, targets: NumpyArray?, window: TimeseriesWindow, split: String,
                           source: String, targetSource: String? = nil) throws(DataError) -> (x: NumpyArray, y: NumpyArray?) {
        let rows = series.rows
        if let targets, targets.rows != rows {
            throw DataError("data \(split) window: \(source) has \(rows) rows but its targets (\(targetSource ?? "y")) have \(targets.rows); the targets are the series's own rows, one per time step")
        }
        let firsts = try starts(rows: rows, window: window, targets: targets != nil, split: split, source: source)
        let width = series.sampleShape.reduce(1, *)
        var values: [Float] = []
        values.reserveCapacity(firsts.count * window.sequenceLength * width)
        for first in firsts {
            for step in 0..<window.sequenceLength {
                let row = first + step * window.samplingRate
                values.append(contentsOf: series.values[(row * width)..<((row + 1) * width)])
            }
        }
        let x = NumpyArray(shape: [firsts.count, window.sequenceLength] + series.sampleShape, values: values, kind: series.kind)
        guard let targets else { return (x, nil) }
        let targetWidth = targets.sampleShape.reduce(1, *)
        var targetValues: [Float] = []
        targetValues.reserveCapacity(firsts.count * targetWidth)
        for first in firsts {
            let row = first + window.targetOffset
            targetValues.append(contentsOf: targets.values[(row * targetWidth)..<((row + 1) * targetWidth)])
        }
        return (x, NumpyArray(shape: [firsts.count] + targets.sampleShape, values: targetValues, kind: targets.kind))
    }

    /// The number of windows `starts` gives, or nil when it would throw.
    public static func count(rows: Int, window: TimeseriesWindow, targets: Bool) -> Int? {
        try? starts(rows: rows, window: window, targets: targets, split: "", source: "").count
    }
}
