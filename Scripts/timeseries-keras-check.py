"""Compares modelc's time-series windows with Keras's timeseries_dataset_from_array (see
timeseries-keras-check.sh): for each combination of window arguments, writes a series (a CSV with
two features and one or two target columns, or a 1-D / 2-D .npy), a spec whose train split has that
`window:`, runs `modelc prepare` and compares x_train.npy / y_train.npy with the windows and targets
`keras.utils.timeseries_dataset_from_array(series, targets[(sequence_length - 1) * sampling_rate +
horizon:], ...)` yields (unshuffled, unbatched). Where Keras refuses the arguments (or fails while
iterating), modelc must refuse them too. Then the Keras training script `modelc export --script`
writes must cut the same windows (`train.py --check-arrays`)."""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import keras  # noqa: E402

ROWS = 40

# (name, source, sequence_length, sequence_stride, sampling_rate, horizon, start_index, end_index)
CASES = [
    ("defaults", "csv1", 5, 1, 1, 1, 0, None),
    ("horizon 0", "csv1", 5, 1, 1, 0, 0, None),
    ("horizon 3", "csv1", 5, 1, 1, 3, 0, None),
    ("stride 3", "csv1", 4, 3, 1, 1, 0, None),
    ("sampling rate 2", "csv1", 4, 1, 2, 1, 0, None),
    ("stride 2, rate 3, horizon 2", "csv1", 3, 2, 3, 2, 0, None),
    ("start 5, end 30", "csv1", 6, 1, 1, 1, 5, 30),
    ("start 7, end 35, stride 4, horizon 0", "csv1", 5, 4, 1, 0, 7, 35),
    ("end 39 (the last row Keras allows)", "csv1", 5, 1, 1, 1, 0, 39),
    ("last partial window dropped", "csv1", 7, 5, 1, 0, 0, None),
    ("two target columns", "csv2", 5, 2, 1, 1, 0, None),
    ("1-D .npy series", "npy1", 6, 1, 1, 1, 0, None),
    ("1-D .npy series, rate 2, start 3, end 33", "npy1", 4, 1, 2, 2, 3, 33),
    ("2-D .npy series, 3 features", "npy2", 4, 2, 1, 1, 0, None),
    # Keras refuses these (or fails while iterating): modelc must refuse them too.
    ("start_index with horizon, no end_index", "csv1", 5, 1, 1, 1, 5, None),
    ("end_index = rows", "csv1", 5, 1, 1, 1, 0, ROWS),
    ("start_index = rows", "csv1", 5, 1, 1, 1, ROWS, None),
    ("window longer than the series", "csv1", 30, 1, 2, 1, 0, None),
    ("stride = rows", "csv1", 5, ROWS, 1, 1, 0, None),
]


def series(kind):
    """(features [rows, f] or [rows], targets [rows] or [rows, t]), halves so float32 is exact."""
    t = np.arange(ROWS, dtype=np.float64)
    a, b = t * 0.5, 100 - t * 1.5
    if kind == "csv1":
        return np.stack([a, b], axis=1), a
    if kind == "csv2":
        return np.stack([a, b], axis=1), np.stack([a, b], axis=1)
    if kind == "npy1":
        return a, a
    c = np.sin(t).round(3)
    return np.stack([a, b, c], axis=1), a


def keras_windows(data, targets, length, stride, rate, horizon, start, end):
    offset = (length - 1) * rate + horizon
    dataset = keras.utils.timeseries_dataset_from_array(
        data.astype(np.float32), targets.astype(np.float32)[offset:], sequence_length=length, sequence_stride=stride,
        sampling_rate=rate, batch_size=None, shuffle=False, start_index=start or None, end_index=end)
    samples = list(dataset.as_numpy_iterator())
    if not samples:
        raise ValueError("the dataset is empty: no window fits")
    return np.stack([s[0] for s in samples]), np.stack([s[1] for s in samples])


def write_case(folder, kind, length, stride, rate, horizon, start, end):
    data, targets = series(kind)
    window = "{sequence_length: %d, sequence_stride: %d, sampling_rate: %d, horizon: %d, start_index: %d, end_index: %s}" % (
        length, stride, rate, horizon, start, "null" if end is None else end)
    if kind.startswith("csv"):
        with open(os.path.join(folder, "series.csv"), "w") as handle:
            handle.write("a,b\n")
            for row in data:
                handle.write("%r,%r\n" % (float(row[0]), float(row[1])))
        labels = "[a]" if kind == "csv1" else "[a, b]"
        split = "{csv: series.csv, features: [a, b], labels: %s, window: %s}" % (labels, window)
        model = "input: [%d, 2]\nlayers: [Flatten, Dense %d]\n" % (length, 1 if kind == "csv1" else 2)
    else:
        np.save(os.path.join(folder, "x.npy"), data.astype(np.float32))
        np.save(os.path.join(folder, "y.npy"), targets.astype(np.float32))
        split = "{x: x.npy, y: y.npy, window: %s}" % window
        model = "input: [%d]\nlayers: [Dense 1]\n" % length if kind == "npy1" else \
            "input: [%d, 3]\nlayers: [Flatten, Dense 1]\n" % length
    spec = model + "compile: {optimizer: adam, loss: mse}\nfit: {epochs: 1}\ndata:\n  train: %s\n" % split
    with open(os.path.join(folder, "spec.yaml"), "w") as handle:
        handle.write(spec)
    return data, targets


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--modelc", required=True)
    parser.add_argument("--keep", metavar="DIR")
    args = parser.parse_args()
    root = args.keep or tempfile.mkdtemp(prefix="modelc-timeseries-")
    print("keras %s (backend %s), %d cases over a series of %d rows" % (keras.__version__, keras.backend.backend(), len(CASES), ROWS))
    failures = 0
    for index, (name, kind, length, stride, rate, horizon, start, end) in enumerate(CASES):
        folder = os.path.join(root, "case%02d" % index)
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        data, targets = write_case(folder, kind, length, stride, rate, horizon, start, end)
        arguments = "L=%d stride=%d rate=%d horizon=%d start=%d end=%s" % (length, stride, rate, horizon, start, end)
        try:
            expected = keras_windows(data, targets, length, stride, rate, horizon, start, end)
            keras_error = None
        except Exception as error:  # Keras's ValueError, or tf's error while iterating
            expected, keras_error = None, "%s: %s" % (type(error).__name__, str(error).split("\n")[0][:90])
        run = subprocess.run([args.modelc, "prepare", os.path.join(folder, "spec.yaml"), "--output", os.path.join(folder, "arrays")],
                             capture_output=True, text=True)
        if expected is None:
            ok = run.returncode != 0
            message = (run.stderr.strip().splitlines() or ["(nothing)"])[-1]
            print("%s %-42s %s\n      keras: %s\n      modelc: %s" % ("ok  " if ok else "FAIL", name, arguments, keras_error, message[:220]))
            failures += not ok
            continue
        if run.returncode != 0:
            print("FAIL %-42s %s: modelc prepare failed: %s" % (name, arguments, run.stderr.strip()[-300:]))
            failures += 1
            continue
        x = np.load(os.path.join(folder, "arrays", "x_train.npy"))
        y = np.load(os.path.join(folder, "arrays", "y_train.npy"))
        kx, ky = expected
        same = x.shape == kx.shape and y.shape == ky.shape and np.array_equal(x, kx) and np.array_equal(y, ky)
        # The training script modelc exports must cut the same windows.
        script = os.path.join(folder, "train.py")
        export = subprocess.run([args.modelc, "export", os.path.join(folder, "spec.yaml"), "--script", script], capture_output=True, text=True)
        check = subprocess.run([sys.executable, script, "--check-arrays", os.path.join(folder, "arrays")], capture_output=True, text=True,
                               env=dict(os.environ, KERAS_BACKEND=keras.backend.backend())) if export.returncode == 0 else export
        script_ok = check.returncode == 0
        ok = same and script_ok
        failures += not ok
        print("%s %-42s %s: %d windows x %s y %s, equal to Keras's: %s; exported script's windows: %s" % (
            "ok  " if ok else "FAIL", name, arguments, x.shape[0], x.shape, y.shape, "yes" if same else "NO (keras x %s y %s)" % (kx.shape, ky.shape),
            "same" if script_ok else "DIFFER: " + (check.stdout + check.stderr).strip()[-300:]))
    print("%d of %d cases agree with Keras" % (len(CASES) - failures, len(CASES)))
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
