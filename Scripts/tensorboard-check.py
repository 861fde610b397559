"""Reads the event files of a modelc run with TensorBoard's own readers (see tensorboard-check.sh)."""
import argparse
import csv
import glob
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

from tensorboard.backend.event_processing import event_accumulator, event_file_loader
from tensorboard.util import tensor_util

SPEC = """\
input: [3]
layers: [Dense 4 relu, Dense 1 sigmoid]
compile: {optimizer: adam, loss: binary_crossentropy, metrics: [accuracy]}
fit:
  epochs: 3
  batch_size: 4
  verbose: 0
  seed: 7
  validation: {split: 0.25}
  callbacks:
    - ReduceLROnPlateau: {patience: 1}
    - TensorBoard: {log_dir: tb, update_freq: batch}
data:
  train:
    x: [[0, 0, 1], [0, 1, 0], [1, 0, 0], [1, 1, 0], [0, 1, 1], [1, 0, 1], [1, 1, 1], [0, 0, 0],
        [1, 1, 0], [0, 0, 1], [1, 0, 1], [0, 1, 0], [1, 1, 1], [0, 0, 0], [0, 1, 1], [1, 0, 0]]
    y: [0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0]
"""

failures = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        failures.append(what)


def f32(value):
    return struct.unpack("<f", struct.pack("<f", float(value)))[0]


def read_history(path):
    with open(path) as handle:
        rows = list(csv.DictReader(handle))
    return {name: [float(row[name]) for row in rows] for name in rows[0] if name not in ("epoch", "seconds")}


def accumulate(folder):
    accumulator = event_accumulator.EventAccumulator(folder, size_guidance={event_accumulator.TENSORS: 0})
    accumulator.Reload()
    return accumulator


def values(accumulator, tag):
    return [(event.step, float(tensor_util.make_ndarray(event.tensor_proto))) for event in accumulator.Tensors(tag)]


def serve(logdir):
    """TensorBoard's server on loopback; its scalars API for each run's tags."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "tensorboard.main", "--logdir", logdir, "--host", "127.0.0.1", "--port", str(port),
               "--load_fast", "false", "--reload_interval", "1"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        tags = None
        for _ in range(60):
            try:
                with urllib.request.urlopen(base + "/data/plugin/scalars/tags", timeout=2) as response:
                    tags = json.load(response)
                if tags.get("train") and tags.get("validation"):
                    break
            except OSError:
                pass
            time.sleep(0.5)
        results = {}
        for run, run_tags in (tags or {}).items():
            for tag in run_tags:
                url = f"{base}/data/plugin/scalars/scalars?run={run}&tag={tag}"
                with urllib.request.urlopen(url, timeout=5) as response:
                    results[(run, tag)] = [(step, value) for _, step, value in json.load(response)]
        graph = None
        try:
            with urllib.request.urlopen(base + "/data/plugin/graphs/info", timeout=5) as response:
                info = json.load(response)
            if info.get("train", {}).get("tags", {}).get("keras", {}).get("conceptual_graph"):
                url = base + "/data/plugin/graphs/graph?run=train&tag=keras&conceptual=true"
                with urllib.request.urlopen(url, timeout=5) as response:
                    graph = response.read().decode()
        except OSError:
            pass
        return tags or {}, results, graph
    finally:
        server.terminate()
        server.wait(timeout=10)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--modelc", required=True)
    parser.add_argument("--keep", help="work in this folder and keep it")
    parser.add_argument("--no-server", action="store_true", help="skip the check through TensorBoard's HTTP server")
    options = parser.parse_args()
    work = options.keep or tempfile.mkdtemp(prefix="modelc-tensorboard-")
    os.makedirs(work, exist_ok=True)
    try:
        spec = os.path.join(work, "spec.yaml")
        with open(spec, "w") as handle:
            handle.write(SPEC)
        run = os.path.join(work, "run")
        shutil.rmtree(run, ignore_errors=True)
        trained = subprocess.run([options.modelc, "train", spec, "--run-dir", run], capture_output=True, text=True)
        check(trained.returncode == 0, f"modelc train exits 0 ({trained.stderr.strip()[-300:]})")
        if trained.returncode != 0:
            return 1
        history = read_history(os.path.join(run, "history.csv"))
        epochs = len(history["loss"])
        train_rows, batch = 12, 4
        steps = (train_rows + batch - 1) // batch
        print(f"history.csv: {epochs} epochs, columns {', '.join(history)}")
        logdir = os.path.join(run, "tb")
        check(sorted(os.listdir(logdir)) == ["train", "validation"], f"{logdir} holds train/ and validation/: {sorted(os.listdir(logdir))}")
        for folder in ("train", "validation"):
            names = os.listdir(os.path.join(logdir, folder))
            check(len(names) == 1 and names[0].startswith("events.out.tfevents.") and names[0].endswith(".v2"),
                  f"{folder}/ holds one event file: {names}")
            # event_file_loader reads the raw records (TFRecord framing with both CRCs checked by its reader).
            events = list(event_file_loader.LegacyEventFileLoader(os.path.join(logdir, folder, names[0])).Load())
            check(events[0].file_version == "brain.Event:2", f"{folder}: the first event is file_version brain.Event:2 ({len(events)} events)")

        train = accumulate(os.path.join(logdir, "train"))
        validation = accumulate(os.path.join(logdir, "validation"))
        train_tags, validation_tags = sorted(train.Tags()["tensors"]), sorted(validation.Tags()["tensors"])
        print(f"train tags (EventAccumulator): {', '.join(train_tags)}")
        print(f"validation tags (EventAccumulator): {', '.join(validation_tags)}")
        logged = [name for name in history if not name.startswith("val_")]
        check(set(train_tags) == {"keras"} | {"epoch_" + n for n in logged} | {"batch_loss", "batch_accuracy"},
              "train tags: keras, epoch_<logged name> (lr included: ReduceLROnPlateau runs first), batch_loss, batch_accuracy")
        check(set(validation_tags) == {"epoch_loss", "epoch_accuracy", "evaluation_loss_vs_iterations", "evaluation_accuracy_vs_iterations"},
              "validation tags: epoch_loss, epoch_accuracy, evaluation_<name>_vs_iterations")
        for name in logged:
            got = values(train, "epoch_" + name)
            want = [(epoch, f32(value)) for epoch, value in enumerate(history[name])]
            check(got == want, f"train epoch_{name}: steps {[s for s, _ in got]}, values {[round(v, 6) for _, v in got]} = history.csv {name}")
        for name in ("loss", "accuracy"):
            got = values(validation, "epoch_" + name)
            want = [(epoch, f32(value)) for epoch, value in enumerate(history["val_" + name])]
            check(got == want, f"validation epoch_{name}: steps {[s for s, _ in got]}, values {[round(v, 6) for _, v in got]} = history.csv val_{name}")
            got = values(validation, f"evaluation_{name}_vs_iterations")
            want = [((epoch + 1) * steps, f32(value)) for epoch, value in enumerate(history["val_" + name])]
            check(got == want, f"validation evaluation_{name}_vs_iterations: steps {[s for s, _ in got]} = val_{name}")
        batches = values(train, "batch_loss")
        check([s for s, _ in batches] == list(range(1, epochs * steps + 1)), f"train batch_loss at global steps {[s for s, _ in batches]}")
        last = [value for step, value in batches if step % steps == 0]
        check(last == [f32(v) for v in history["loss"]], "the last batch_loss of each epoch (the running mean) = the epoch's loss")
        graph = train.Tensors("keras")[0]
        model = json.loads(tensor_util.make_ndarray(graph.tensor_proto).item())
        check(graph.step == 0 and model.get("class_name") == "Sequential",
              f"train keras: the model config (class {model.get('class_name')}, {len(model['config']['layers'])} layers) at step 0")

        if not options.no_server:
            tags, served, graph_info = serve(logdir)
            print(f"TensorBoard server runs: {', '.join(sorted(tags))}; scalar tags: " +
                  "; ".join(f"{run}: {', '.join(sorted(t))}" for run, t in sorted(tags.items())))
            got = served.get(("train", "epoch_loss"), [])
            check([(s, f32(v)) for s, v in got] == [(e, f32(v)) for e, v in enumerate(history["loss"])],
                  f"served train epoch_loss = history.csv loss: {[(s, round(v, 6)) for s, v in got]}")
            got = served.get(("validation", "epoch_accuracy"), [])
            check([(s, f32(v)) for s, v in got] == [(e, f32(v)) for e, v in enumerate(history["val_accuracy"])],
                  f"served validation epoch_accuracy = history.csv val_accuracy: {[(s, round(v, 6)) for s, v in got]}")
            check(len(served.get(("train", "batch_loss"), [])) == epochs * steps, f"served train batch_loss: {epochs * steps} points")
            nodes = [line.split('"')[1] for line in (graph_info or "").splitlines() if line.startswith("  name: ")]
            classes = [line.split('"')[1] for line in (graph_info or "").splitlines() if line.startswith("      s: ")]
            check(nodes == ["sequential/dense_input", "sequential/dense", "sequential/dense_1"] and classes == ["InputLayer", "Dense", "Dense"],
                  f"the graphs plugin draws the train run's Keras model (tag keras): nodes {nodes}, classes {classes}")
    finally:
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{'all checks passed' if not failures else str(len(failures)) + ' check(s) failed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
