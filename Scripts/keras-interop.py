#!/usr/bin/env python3
"""Checks modelc's Keras interoperability against Keras itself (issue 12). Scripts/keras-interop.sh makes the
virtual environment, builds modelc and runs this with it:

    python Scripts/keras-interop.py --modelc .build/debug/modelc [--parts a,b,c] [--only NAME...] [--keep DIR]
                                    [--report FILE.md] [--random N] [--seed S]

a. export: every reference model in ../shared/keras-cases (summary/, forward/, graph-summary/, graph-forward/)
   goes through `modelc export` to a Keras 3 .keras and a tf_keras .h5 file. Keras 3 loads the .keras file with
   keras.saving.load_model(path, safe_mode=True), tf_keras (TF_USE_LEGACY_KERAS=1, its own process) the .h5
   file; each must report modelc's parameter count (`modelc summary --format json`) and predict within 1e-5 of
   `modelc predict` on the same inputs. forward cases use their weights and inputs; summary cases are exported
   without --weights (fresh, seeded) and compared on random inputs (token ids below the smallest Embedding's
   input_dim), with `modelc predict --weights` reading the exported file itself. As a cross check, Keras 3 also
   loads the .h5 file (its legacy loader), compared the same way.
b. import: random models (Sequential and functional, in the style of Scripts/make-keras-fixtures.py, whose model
   builder this reuses) built, fit once and perturbed, saved by Keras 3 (.keras and legacy .h5) and by tf_keras
   (.h5); `modelc import M --output spec.yaml --weights-output w.safetensors` then `modelc predict` must match
   Keras's predictions within 1e-5. Reported as not runnable while modelc has no `import` command.
c. scale-out: `modelc export SPEC --script train.py` on an unshuffled copy of Specs/imdb_lstm.yaml, run with
   --strategy mirrored/multiworker/jax on the full IMDB: first-epoch loss within 1e-3 of `modelc train`'s, and
   the files it writes load back into `modelc predict`/`evaluate`. And continuing in Keras 3 (JAX and
   TensorFlow) from modelc's ModelCheckpoint .keras files reaches modelc's next epoch's weights within 1e-5.
   `--only scale-out` or `--only continue` runs one of the two.

Keras 3 and tf_keras cannot share a process, so the script runs itself as a worker per framework
(`--worker keras3|tf_keras --jobs FILE --results FILE`), each handling every model of a part in one process.
It prints one line per (case, check) that failed, and a table of figures per group; --report writes the full
table (case, check, result, largest difference) as Markdown. Exit status 1 when any check that ran failed.
"""
import argparse
import importlib.util
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES_ROOT = os.path.join(os.path.dirname(ROOT), "shared", "keras-cases")
GROUPS = ("summary", "forward", "graph-summary", "graph-forward")
TOLERANCE = 1e-5
LOSS_TOLERANCE = 1e-3
RANDOM_SAMPLES = 4
COMMAND_TIMEOUT = 600  # seconds; a modelc command that takes longer on these tiny models is a hang


def fixtures():
    """Scripts/make-keras-fixtures.py as a module: its layer descriptions, builder and spec writer."""
    spec = importlib.util.spec_from_file_location("make_keras_fixtures",
                                                  os.path.join(ROOT, "Scripts", "make-keras-fixtures.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ----------------------------------------------------------------------------------------------------
# Results
# ----------------------------------------------------------------------------------------------------

class Table:
    """Rows (group, case, check, result, largest difference); result is 'ok', 'FAIL: why' or 'not run: why'."""

    def __init__(self):
        self.rows = []

    def add(self, group, case, check, result, diff=None):
        result = " / ".join(line.strip() for line in result.splitlines() if line.strip())
        self.rows.append((group, case, check, result, diff))
        if result != "ok":
            print(f"  {case:28} {check:24} {result}" + ("" if diff is None else f"  (max diff {diff:.3g})"),
                  flush=True)

    def failed(self):
        return any(r[3].startswith("FAIL") for r in self.rows)

    def figures(self):
        """Per (group, check): tried, matched, not run, largest difference among the rows that ran."""
        keys = []
        for group, _, check, _, _ in self.rows:
            if (group, check) not in keys:
                keys.append((group, check))
        out = []
        for key in keys:
            rows = [r for r in self.rows if (r[0], r[2]) == key]
            ran = [r for r in rows if not r[3].startswith("not run")]
            diffs = [r[4] for r in ran if r[4] is not None]
            out.append((key[0], key[1], len(ran), sum(r[3] == "ok" for r in ran), len(rows) - len(ran),
                        max(diffs) if diffs else None))
        return out

    def print_figures(self):
        head = ("group", "check", "tried", "matched", "not run", "largest difference")
        body = [(g, c, str(t), str(m), str(n), "-" if d is None else f"{d:.2e}") for g, c, t, m, n, d in self.figures()]
        widths = [max(len(r[i]) for r in [head] + body) for i in range(len(head))]
        for r in [head] + body:
            print("  ".join(x.ljust(w) for x, w in zip(r, widths)).rstrip())

    def markdown(self):
        lines = ["| group | case | check | result | largest difference |", "|---|---|---|---|---|"]
        for g, case, check, result, diff in self.rows:
            lines.append(f"| {g} | {case} | {check} | {result.replace('|', '/')} | "
                         f"{'-' if diff is None else f'{diff:.2e}'} |")
        return "\n".join(lines) + "\n"


def max_diff(np, mine, theirs):
    """Largest |a - b| over every output both have, or an explanation (str) when they cannot be compared.
    One output each is compared whatever it is called (a .npy names none)."""
    if len(mine) == 1 and len(theirs) == 1:
        mine, theirs = {"output": next(iter(mine.values()))}, {"output": next(iter(theirs.values()))}
    if set(mine) != set(theirs):
        return f"outputs {sorted(mine)} vs Keras {sorted(theirs)}"
    worst = 0.0
    for name in theirs:
        a, b = np.asarray(mine[name], np.float64), np.asarray(theirs[name], np.float64)
        if a.shape != b.shape:
            return f"output {name} shaped {list(a.shape)} vs Keras {list(b.shape)}"
        if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
            return f"output {name} holds NaN or infinity"
        worst = max(worst, float(np.max(np.abs(a - b))) if a.size else 0.0)
    return worst


def judged(diff, params=None):
    """(result, diff) for a compared prediction; params is (modelc, keras) when the counts were compared."""
    if isinstance(diff, str):
        return "FAIL: " + diff, None
    if params is not None and params[0] != params[1]:
        return f"FAIL: {params[1]} parameters, modelc {params[0]}", diff
    return ("ok" if diff <= TOLERANCE else f"FAIL: predictions differ by more than {TOLERANCE:g}"), diff


def load_arrays(np, path):
    """{name: array} from .npz, {'': array} from .npy (one unnamed input or output)."""
    if path.endswith(".npy"):
        return {"": np.load(path)}
    with np.load(path) as z:
        return {k: z[k] for k in z.files}


# ----------------------------------------------------------------------------------------------------
# modelc
# ----------------------------------------------------------------------------------------------------

class Modelc:
    def __init__(self, binary):
        self.binary = os.path.abspath(binary)

    def run(self, *args):
        """(exit code, stdout, stderr); a timeout or a signal is reported as such (a finding, not a failure)."""
        try:
            done = subprocess.run([self.binary, *args], capture_output=True, text=True, timeout=COMMAND_TIMEOUT,
                                  cwd=ROOT)
        except subprocess.TimeoutExpired:
            return -1, "", f"HANG: no answer after {COMMAND_TIMEOUT} s"
        if done.returncode < 0:
            return done.returncode, done.stdout, f"CRASH: killed by signal {-done.returncode}; {done.stderr[-300:]}"
        return done.returncode, done.stdout, done.stderr

    def has(self, command, option=None):
        """Whether modelc has the subcommand (listed in `modelc --help`; an unknown one's --help prints the
        root help and exits 0) and, if given, the option (in the subcommand's --help)."""
        code, out, _ = self.run("--help")
        if code != 0 or not re.search(rf"^\s+{re.escape(command)}\s", out, re.MULTILINE):
            return False
        code, out, _ = self.run(command, "--help")
        return code == 0 and (option is None or option in out)

    def summary(self, spec):
        code, out, err = self.run("summary", spec, "--format", "json")
        if code != 0:
            raise RuntimeError(f"modelc summary: exit {code}: {said(err)}")
        return json.loads(out)

    def predict(self, np, spec, weights, x, functional, outputs, work):
        """modelc predict on inputs {name: array} (one `--input NAME=FILE` each for a functional model, else the
        one array); returns {output name: array}, '' naming the one output of a .npy."""
        os.makedirs(work, exist_ok=True)
        args = ["predict", spec, "--weights", weights]
        for name, array in x.items():
            path = os.path.join(work, f"x.{name or 'input'}.npy")
            np.save(path, array)
            args += ["--input", f"{name}={path}" if functional else path]
        out = os.path.join(work, "y.npz" if outputs > 1 else "y.npy")
        args += ["--output", out]
        code, _, err = self.run(*args)
        if code != 0:
            raise RuntimeError(f"modelc predict: exit {code}: {said(err)}")
        return load_arrays(np, out)


def said(err):
    """What a modelc command said: its `error:` lines (else the end of stderr), at most 400 characters."""
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    text = " / ".join(lines) if lines else err.strip()[-400:]
    return text[:400]


def summary_facts(summary):
    """(total parameters, functional?, output names, inputs [{name, shape, dtype}]) from
    `modelc summary --format json`."""
    return summary["total_params"], bool(summary["functional"]), list(summary["outputs"]), summary["inputs"]


def random_inputs(np, spec, inputs, seed):
    """RANDOM_SAMPLES samples per input: int32 ids below the smallest Embedding input_dim of the spec (so valid
    whatever Embedding reads them), floats in [-1, 1] otherwise."""
    with open(spec) as f:
        sizes = [int(v) for v in re.findall(r"input_dim:\s*(\d+)", f.read())]
    vocabulary = min(sizes) if sizes else 2
    rng = np.random.default_rng(seed)
    x = {}
    for entry in inputs:
        shape = (RANDOM_SAMPLES, *[d for d in entry["shape"] if d is not None])
        if entry["dtype"] == "int32":
            x[entry["name"]] = rng.integers(0, vocabulary, size=shape).astype(np.int32)
        else:
            x[entry["name"]] = rng.uniform(-1, 1, size=shape).astype(np.float32)
    return x


# ----------------------------------------------------------------------------------------------------
# Workers: one process per framework, every model of a part in it
# ----------------------------------------------------------------------------------------------------

def run_workers(framework, jobs, work, backend="tensorflow"):
    """Runs the jobs in a worker for `framework` (Keras 3 on `backend`); returns {job id: result}. A worker that
    dies leaves the jobs it had not finished marked with its exit."""
    jobs_path = os.path.join(work, f"jobs.{framework}.{backend}.json")
    results_path = os.path.join(work, f"results.{framework}.{backend}.jsonl")
    with open(jobs_path, "w") as f:
        json.dump(jobs, f)
    env = dict(os.environ, TF_USE_LEGACY_KERAS="1" if framework == "tf_keras" else "0", KERAS_BACKEND=backend)
    done = subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", framework, "--jobs", jobs_path,
                           "--results", results_path], env=env)
    results = {}
    if os.path.exists(results_path):
        with open(results_path) as f:
            for line in f:
                entry = json.loads(line)
                results[entry["id"]] = entry
    for job in jobs:
        results.setdefault(job["id"], {"id": job["id"], "error": f"{framework} worker exited {done.returncode}"})
    return results


def worker(framework, jobs_path, results_path):
    import numpy as np
    import tensorflow as tf
    tf.get_logger().setLevel("ERROR")
    import warnings
    warnings.filterwarnings("ignore")
    if framework == "tf_keras":
        import tf_keras as K
    else:
        import keras as K
    with open(jobs_path) as f:
        jobs = json.load(f)
    with open(results_path, "w") as results:
        for job in jobs:
            try:
                entry = {"id": job["id"], **globals()["job_" + job["kind"]](np, K, framework, job)}
            except Exception as error:  # noqa: BLE001 -- every failure is a row of the table
                entry = {"id": job["id"], "error": f"{type(error).__name__}: {str(error).strip()[:400]}"}
            results.write(json.dumps(entry) + "\n")
            results.flush()
            K.backend.clear_session()


def io_names(model):
    inputs = getattr(model, "input_names", None) or [t.name.split(":")[0] for t in model.inputs]
    outputs = getattr(model, "output_names", None) or [t._keras_history[0].name for t in model.outputs]
    return list(inputs), list(outputs)


def predict_named(np, model, x, in_names, out_names):
    """Keras's predict on {input name: array} (a list in the model's input order), as {output name: array}."""
    if len(in_names) == 1 and len(x) == 1:  # a Sequential model's input may be named otherwise in Keras
        ordered = list(x.values())
    else:
        missing = [n for n in in_names if n not in x]
        if missing:
            raise KeyError(f"Keras's inputs {in_names}, but the inputs are {sorted(x)}")
        ordered = [x[n] for n in in_names]
    y = model.predict(ordered if len(ordered) > 1 else ordered[0], verbose=0)
    if not isinstance(y, (list, tuple)):
        y = [y]
    return {n: np.asarray(a, np.float32) for n, a in zip(out_names, y)}


def job_load(np, K, framework, job):
    """Loads a file modelc exported, counts its parameters and predicts on the job's inputs."""
    if framework == "keras3":
        model = K.saving.load_model(job["model"], safe_mode=True)
    else:
        model = K.models.load_model(job["model"])
    in_names, out_names = io_names(model)
    y = predict_named(np, model, load_arrays(np, job["x"]), in_names, out_names)
    np.savez(job["y"], **y)
    return {"params": int(model.count_params()), "inputs": in_names, "outputs": out_names}


def job_build(np, K, framework, job):
    """Builds a random model from its description, fits it once, moves every weight off its value, saves it
    (job['formats']) and predicts on fresh inputs."""
    fx = fixtures()
    case = job["case"]
    K.utils.set_random_seed(case["seed"])
    model = fx.build(K, case)
    fx.compile_model(K, model, case)
    fx.fit_and_data(np, K, model, case)
    rng = np.random.default_rng(case["seed"] + 1)
    weights = []
    for w, value in zip(model.weights, model.get_weights()):
        moved = value + rng.normal(0, 0.2, value.shape).astype(value.dtype)
        weights.append(np.abs(moved) + 0.1 if "moving_variance" in w.name else moved)
    model.set_weights(weights)
    for path in job["save"]:
        if framework == "tf_keras":
            model.save(path, save_format="h5")
        else:
            model.save(path)
    in_names = [n for n, _ in fx.case_inputs(case)]
    x = fx.make_x(np, case, RANDOM_SAMPLES, rng)
    y = predict_named(np, model, x, in_names, fx.output_names(case))
    np.savez(job["x_out"], **x)
    np.savez(job["y"], **y)
    return {"params": int(model.count_params()), "inputs": in_names, "outputs": fx.output_names(case)}


# ----------------------------------------------------------------------------------------------------
# a. modelc export -> Keras
# ----------------------------------------------------------------------------------------------------

def reference_cases(only):
    cases = []
    for group in GROUPS:
        folder = os.path.join(CASES_ROOT, group)
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".yaml"):
                continue
            stem = name[:-5]
            label = f"{group}/{stem}"
            if only and label not in only and group not in only:
                continue
            weights = os.path.join(folder, stem + ".safetensors")
            x = next((os.path.join(folder, stem + e) for e in (".x.npy", ".x.npz")
                      if os.path.exists(os.path.join(folder, stem + e))), None)
            cases.append({"group": group, "label": label, "spec": os.path.join(folder, name),
                          "weights": weights if os.path.exists(weights) else None, "x": x})
    return cases


EXPORT_CHECKS = (("keras3", "keras", "keras3 .keras"), ("tf_keras", "h5", "tf_keras .h5"),
                 ("keras3", "h5", "keras3 .h5 (cross)"))


# Layers whose tf_keras .h5 config Keras 3's legacy loader refuses even in files tf_keras itself wrote (seen
# with Keras 3.15.1: the fixtures' seq_gru/tf_keras.h5, and a tf_keras Sequential of SpatialDropout1D saved to
# .h5), so the cross check cannot judge modelc there: (word of the error, why).
KERAS3_H5_LIMITS = (
    ("time_major", "Keras 3 refuses tf_keras's own recurrent configs (`time_major`)"),
    ("SpatialDropout1D", "Keras 3 refuses tf_keras's own SpatialDropout1D config (`trainable`)"),
)


def part_export(np, modelc, work, table, only):
    print("a. modelc export -> Keras 3 / tf_keras", flush=True)
    jobs = {"keras3": [], "tf_keras": []}
    prepared = []
    for index, case in enumerate(reference_cases(only)):
        folder = os.path.join(work, "export", case["label"].replace("/", "-"))
        os.makedirs(folder, exist_ok=True)
        try:
            facts = summary_facts(modelc.summary(case["spec"]))
        except RuntimeError as error:
            table.add(case["group"], case["label"], "modelc summary", f"FAIL: {error}")
            continue
        files = {}
        for ext in ("keras", "h5"):
            path = os.path.join(folder, "model." + ext)
            weights = ["--weights", case["weights"]] if case["weights"] else []
            code, _, err = modelc.run("export", case["spec"], "--output", path, *weights)
            if code != 0:
                table.add(case["group"], case["label"], f"export .{ext}", f"FAIL: exit {code}: {said(err)}")
            else:
                files[ext] = path
        if case["x"]:
            x = load_arrays(np, case["x"])
            if "" in x:  # one unnamed input: call it by the spec's input name
                x = {facts[3][0]["name"]: x[""]}
        else:
            x = random_inputs(np, case["spec"], facts[3], 1000 + index)
        x_path = os.path.join(folder, "x.npz")
        np.savez(x_path, **x)
        checks = []
        for framework, ext, check in EXPORT_CHECKS:
            if ext in files:
                job = {"id": f"{index}-{framework}-{ext}", "kind": "load", "model": files[ext], "x": x_path,
                       "y": os.path.join(folder, f"y.{framework}.{ext}.npz")}
                jobs[framework].append(job)
                checks.append((ext, check, job))
        prepared.append((case, facts, files, x, folder, checks))
    results = {}
    for framework in ("keras3", "tf_keras"):
        if jobs[framework]:
            results.update(run_workers(framework, jobs[framework], work))
    for case, (params, functional, outputs, inputs), files, x, folder, checks in prepared:
        mine_by_weights = {}
        for ext, check, job in checks:
            result = results[job["id"]]
            limit = next((why for word, why in KERAS3_H5_LIMITS if word in result.get("error", "")), None)
            if limit and check.endswith("(cross)"):
                table.add(case["group"], case["label"], check, "not run: " + limit)
                continue
            if "error" in result:
                table.add(case["group"], case["label"], check, "FAIL: " + result["error"])
                continue
            # modelc predicts with the case's weights, or (summary cases) with the weights in the file itself.
            weights = case["weights"] or files[ext]
            try:
                if weights not in mine_by_weights:
                    mine_by_weights[weights] = modelc.predict(
                        np, case["spec"], weights, x, functional, len(outputs),
                        os.path.join(folder, "modelc-" + os.path.basename(weights)))
                mine = mine_by_weights[weights]
            except RuntimeError as error:
                table.add(case["group"], case["label"], check, f"FAIL: {error}")
                continue
            if "" in mine:  # one output: modelc's .npy has no name
                mine = {outputs[0]: mine[""]}
            theirs = load_arrays(np, job["y"])
            table.add(case["group"], case["label"], check,
                      *judged(max_diff(np, mine, theirs), (params, result["params"])))


# ----------------------------------------------------------------------------------------------------
# b. Keras -> modelc import
# ----------------------------------------------------------------------------------------------------

ACTIVATIONS = ("linear", "relu", "tanh", "sigmoid", "elu", "swish", "softplus", "selu")


def random_sequential(fx, rng, seed):
    """A random Sequential case in make-keras-fixtures.py's description format, valid by construction:
    the layer pool depends on whether the running output is a sequence (T, F) or a vector (F)."""
    lay = fx.lay
    layers = []
    start = rng.choice(("ids", "sequence", "vector"))
    if start == "ids":
        vocab = rng.randint(8, 30)
        steps = rng.randint(3, 6)
        case_input = {"shape": [steps], "dtype": "int32", "vocab": vocab}
        layers.append(lay("Embedding", None, input_dim=vocab, output_dim=rng.randint(2, 5)))
        kind, steps_left = "sequence", steps
    elif start == "sequence":
        steps_left = rng.randint(3, 6)
        case_input = {"shape": [steps_left, rng.randint(1, 4)], "dtype": "float32"}
        kind = "sequence"
    else:
        case_input = {"shape": [rng.randint(2, 6)], "dtype": "float32"}
        kind, steps_left = "vector", None
    width = case_input["shape"][-1] if kind == "vector" else None
    for _ in range(rng.randint(1, 4)):
        if kind == "sequence":
            choice = rng.choice(("rnn", "rnn", "bidirectional", "conv", "pool", "td", "norm", "dropout", "to_vector"))
            if choice == "rnn" or choice == "bidirectional":
                cls = rng.choice(("LSTM", "GRU", "SimpleRNN"))
                sequences = rng.random() < 0.5
                args = {"units": rng.randint(2, 4), "return_sequences": sequences}
                if cls == "GRU":
                    args["reset_after"] = rng.random() < 0.5
                if choice == "rnn" and rng.random() < 0.3:  # Keras 3 refuses it inside a Bidirectional
                    args["go_backwards"] = True
                if rng.random() < 0.3:
                    args["use_bias"] = False
                if choice == "rnn":
                    layers.append(lay(cls, None, **args))
                    width = args["units"]
                else:
                    merge = rng.choice(("concat", "sum", "mul", "ave"))
                    layers.append(lay("Bidirectional", None, merge_mode=merge, layer=lay(cls, None, **args)))
                    width = args["units"] * (2 if merge == "concat" else 1)
                if not sequences:
                    kind = "vector"
            elif choice == "conv":
                padding = rng.choice(("same", "valid", "causal"))
                size = rng.randint(1, min(3, steps_left))
                layers.append(lay("Conv1D", None, filters=rng.randint(2, 4), kernel_size=size, padding=padding,
                                  activation=rng.choice(ACTIVATIONS)))
                steps_left = steps_left - size + 1 if padding == "valid" else steps_left
            elif choice == "pool" and steps_left >= 2:
                layers.append(lay(rng.choice(("MaxPooling1D", "AveragePooling1D")), None, pool_size=2))
                steps_left //= 2
            elif choice == "td":
                layers.append(lay("TimeDistributed", None, layer=lay("Dense", None, units=rng.randint(2, 4),
                                                                     activation=rng.choice(ACTIVATIONS))))
            elif choice == "norm":
                layers.append(lay(rng.choice(("LayerNormalization", "BatchNormalization")), None))
            elif choice == "dropout":
                layers.append(lay(rng.choice(("Dropout", "SpatialDropout1D")), None, rate=0.25))
            else:
                layers.append(lay(rng.choice(("GlobalAveragePooling1D", "GlobalMaxPooling1D", "Flatten")), None))
                kind = "vector"
        else:
            choice = rng.choice(("dense", "dense", "norm", "dropout", "activation", "repeat"))
            if choice == "dense":
                width = rng.randint(2, 6)
                layers.append(lay("Dense", None, units=width, activation=rng.choice(ACTIVATIONS),
                                  use_bias=rng.random() < 0.8))
            elif choice == "norm":
                layers.append(lay(rng.choice(("LayerNormalization", "BatchNormalization")), None))
            elif choice == "dropout":
                layers.append(lay("Dropout", None, rate=0.3))
            elif choice == "activation":
                layers.append(lay("Activation", None, activation=rng.choice(ACTIVATIONS)))
            else:
                steps_left = rng.randint(2, 3)
                layers.append(lay("RepeatVector", None, n=steps_left))
                kind = "sequence"
    if kind == "sequence":
        layers.append(lay(rng.choice(("GlobalAveragePooling1D", "Flatten")), None))
    units = rng.randint(1, 3)
    layers.append(lay("Dense", "out", units=units, activation="softmax" if units > 1 else rng.choice(ACTIVATIONS)))
    return {"case": f"seq{seed:03d}", "model": f"seq_{seed:03d}", "seed": seed, "input": case_input,
            "layers": layers, "compile": random_compile(rng, ["out"])}


def random_functional(fx, rng, seed):
    """Two inputs (token ids or floats), a branch each down to a vector of the same width, a merge, one or two
    Dense heads (the second may read a branch instead of the merge)."""
    lay = fx.lay
    width = rng.randint(2, 5)
    inputs, layers, ends = {}, [], []
    for branch in ("a", "b"):
        name = f"in_{branch}"
        kind = rng.choice(("ids", "sequence", "vector"))
        if kind == "ids":
            vocab = rng.randint(8, 20)
            inputs[name] = {"shape": [rng.randint(3, 5)], "dtype": "int32", "vocab": vocab}
            layers.append(lay("Embedding", f"{branch}_emb", name, input_dim=vocab, output_dim=3))
            layers.append(lay(rng.choice(("LSTM", "GRU", "SimpleRNN")), f"{branch}_rnn", units=width))
        elif kind == "sequence":
            inputs[name] = {"shape": [rng.randint(2, 4), rng.randint(1, 3)], "dtype": "float32"}
            layers.append(lay("Conv1D", f"{branch}_conv", name, filters=3, kernel_size=2, padding="same"))
            layers.append(lay("GlobalMaxPooling1D", f"{branch}_pool"))
            layers.append(lay("Dense", f"{branch}_dense", units=width, activation=rng.choice(ACTIVATIONS)))
        else:
            inputs[name] = {"shape": [rng.randint(2, 5)], "dtype": "float32"}
            layers.append(lay("Dense", f"{branch}_dense", name, units=width, activation=rng.choice(ACTIVATIONS)))
            if rng.random() < 0.5:
                layers.append(lay("BatchNormalization", f"{branch}_bn"))
        ends.append(layers[-1]["name"])
    merge = rng.choice(("Concatenate", "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"))
    layers.append(lay(merge, "merge", ends))
    layers.append(lay("Dense", "hidden", units=rng.randint(2, 5), activation=rng.choice(ACTIVATIONS)))
    layers.append(lay("Dense", "out", units=1, activation="sigmoid"))
    outputs = ["out"]
    if rng.random() < 0.5:
        layers.append(lay("Dense", "aux", rng.choice(["merge", ends[0]]), units=2, activation="softmax"))
        outputs.append("aux")
    return {"case": f"fn{seed:03d}", "model": f"fn_{seed:03d}", "seed": seed, "inputs": inputs,
            "layers": layers, "outputs": outputs, "compile": random_compile(rng, outputs)}


def random_compile(rng, outputs):
    optimizer = rng.choice((("Adam", {"learning_rate": 0.01}), ("SGD", {"learning_rate": 0.05, "momentum": 0.5}),
                            ("RMSprop", {"learning_rate": 0.01})))
    loss = "mse" if len(outputs) == 1 else {name: "mse" for name in outputs}
    return {"optimizer": optimizer, "loss": loss, "metrics": ["mae"] if len(outputs) == 1 else
            {name: ["mae"] for name in outputs}}


def part_import(np, modelc, work, table, count, seed, only):
    print("b. Keras 3 / tf_keras -> modelc import", flush=True)
    if not modelc.has("import"):
        reason = "not run: modelc has no `import` command yet"
        print(f"  {reason}; the models are still built and saved, so the Keras side is checked")
    else:
        reason = None
    fx = fixtures()
    rng = random.Random(seed)
    cases = []
    for i in range(count):
        make = random_sequential if i % 2 == 0 else random_functional
        case = make(fx, rng, seed + i)
        if not only or case["case"] in only:
            cases.append(case)
    folder = os.path.join(work, "import")
    os.makedirs(folder, exist_ok=True)
    # Keras 3 writes .keras and its legacy .h5 from one model; tf_keras builds the same description itself.
    makers = {"keras3": ["keras", "h5"], "tf_keras": ["h5"]}
    results = {}
    for framework, exts in makers.items():
        jobs = []
        for case in cases:
            stem = os.path.join(folder, f"{case['case']}.{framework}")
            jobs.append({"id": f"{case['case']}-{framework}", "kind": "build", "case": case,
                         "save": [f"{stem}.{ext}" for ext in exts], "x_out": stem + ".x.npz", "y": stem + ".y.npz"})
        results.update(run_workers(framework, jobs, work))
    for case in cases:
        with open(os.path.join(folder, case["case"] + ".description.json"), "w") as f:
            json.dump(case, f, indent=1)
        for framework, exts in makers.items():
            built = results[f"{case['case']}-{framework}"]
            stem = os.path.join(folder, f"{case['case']}.{framework}")
            for ext in exts:
                check = f"import {framework} .{ext}"
                if "error" in built:
                    table.add("import", case["case"], check, "FAIL: Keras could not build it: " + built["error"])
                    continue
                if reason:
                    table.add("import", case["case"], check, reason)
                    continue
                spec = f"{stem}.{ext}.spec.yaml"
                weights = f"{stem}.{ext}.safetensors"
                code, _, err = modelc.run("import", f"{stem}.{ext}", "--output", spec, "--weights-output", weights)
                if code != 0:
                    table.add("import", case["case"], check, f"FAIL: modelc import: exit {code}: {said(err)}")
                    continue
                try:
                    params, functional, outputs, _ = summary_facts(modelc.summary(spec))
                    x = load_arrays(np, stem + ".x.npz")
                    mine = modelc.predict(np, spec, weights, x, functional, len(outputs), f"{stem}.{ext}.modelc")
                except RuntimeError as error:
                    table.add("import", case["case"], check, f"FAIL: {error}")
                    continue
                if "" in mine:
                    mine = {outputs[0]: mine[""]}
                table.add("import", case["case"], check,
                          *judged(max_diff(np, mine, load_arrays(np, stem + ".y.npz")), (params, built["params"])))


# ----------------------------------------------------------------------------------------------------
# c. Scale-out: the Keras training script modelc writes
# ----------------------------------------------------------------------------------------------------

# ==== SCALE-OUT ===========================================================================================
# The training script `modelc export SPEC --script train.py` writes (docs/distributed.md):
#   python train.py --strategy none|mirrored|multiworker|jax [--cpu-devices N] [--epochs N] [--data DIR] --output DIR
# DIR receives model.keras, weights.safetensors, history.json (modelc's format: {"loss": [per epoch], ...}) and,
# for text data, vocabulary.json; it prints its test metrics as `test: accuracy: A - loss: L` (four digits).
SCALE_SPEC = "Specs/imdb_lstm.yaml"
SCALE_DATA = os.path.join(os.path.dirname(ROOT), "shared", "datasets")
SCALE_TIMEOUT = 3600
# train.py reports the test loss with four digits, modelc evaluate too: two roundings of values ~1e-6 apart.
PRINTED_TOLERANCE = 1.5e-4
PREDICT_SAMPLES = 16


def unshuffled_spec(folder):
    """SCALE_SPEC with `shuffle: false` under fit (so Keras and modelc see the same batches in the same order);
    the data paths stay relative to the data root given with --data."""
    with open(os.path.join(ROOT, SCALE_SPEC)) as f:
        text = f.read()
    changed = re.sub(r"^(fit:\n(?:  .*\n)*?)(  seed: 42\n)", r"\1\2  shuffle: false\n", text, count=1, flags=re.MULTILINE)
    if changed == text:
        raise RuntimeError(f"{SCALE_SPEC} has no `seed: 42` under fit to put `shuffle: false` beside")
    spec = os.path.join(folder, "imdb_lstm.noshuffle.yaml")
    with open(spec, "w") as f:
        f.write(changed)
    return spec


def scale_out(np, modelc, work, table):
    group = "scale-out"
    print("c. scale-out: modelc export --script, Keras distribution strategies", flush=True)
    strategies = ["mirrored", "multiworker", "jax"]
    if not modelc.has("export", "--script"):
        for strategy in strategies:
            table.add(group, "imdb_lstm", f"{strategy}: first-epoch loss", "not run: modelc export has no --script")
        return
    folder = os.path.join(work, "scale-out")
    os.makedirs(folder, exist_ok=True)
    spec = unshuffled_spec(folder)
    script = os.path.join(folder, "train.py")
    # Without --weights the script embeds the weights `modelc train` draws for fit.seed: the same start.
    code, _, err = modelc.run("export", spec, "--script", script)
    if code != 0:
        table.add(group, "imdb_lstm", "export --script", f"FAIL: exit {code}: {said(err)}")
        return
    run_dir = os.path.join(folder, "modelc-run")
    code, _, err = modelc.run("train", spec, "--run-dir", run_dir, "--epochs", "1", "--data", SCALE_DATA)
    if code != 0:
        table.add(group, "imdb_lstm", "modelc train 1 epoch", f"FAIL: exit {code}: {said(err)}")
        return
    with open(os.path.join(run_dir, "history.json")) as f:
        modelc_loss = json.load(f)["loss"][0]
    losses = {"modelc train": modelc_loss}
    # Neither the backend nor legacy Keras is chosen here: the script sets them for its strategy.
    base_env = {k: v for k, v in os.environ.items() if k not in ("KERAS_BACKEND", "TF_USE_LEGACY_KERAS", "XLA_FLAGS")}

    def launch(strategy, out, env=None, extra=()):
        args = [sys.executable, script, "--strategy", strategy, "--epochs", "1", "--data", SCALE_DATA,
                "--output", out, *extra]
        return subprocess.Popen(args, env=dict(base_env, **(env or {})), cwd=folder, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)

    finished = []  # (strategy, output folder, Keras's printed test loss)
    for strategy in strategies:
        check = f"{strategy}: first-epoch loss"
        out = os.path.join(folder, f"run.{strategy}")
        if strategy == "multiworker":
            ports = free_ports(2)
            cluster = {"worker": [f"localhost:{p}" for p in ports]}
            processes = []
            for index in range(2):
                tf_config = json.dumps({"cluster": cluster, "task": {"type": "worker", "index": index}})
                # Every worker runs the same command; worker 0 is the chief and its folder holds the result.
                processes.append(launch(strategy, out if index == 0 else f"{out}.worker{index}",
                                        {"TF_CONFIG": tf_config}))
        elif strategy == "jax" and importlib.util.find_spec("jax") is None:
            table.add(group, "imdb_lstm", check, "not run: jax is not installed in the environment")
            continue
        else:
            processes = [launch(strategy, out, extra=("--cpu-devices", "2"))]
        failure, outputs = None, []
        for process in processes:
            try:
                output, _ = process.communicate(timeout=SCALE_TIMEOUT)
            except subprocess.TimeoutExpired:
                for p in processes:
                    p.kill()
                failure = f"FAIL: no end after {SCALE_TIMEOUT} s"
                break
            outputs.append(output)
            with open(f"{out}.log" if len(outputs) == 1 else f"{out}.worker{len(outputs) - 1}.log", "w") as f:
                f.write(output)
            if process.returncode != 0 and failure is None:
                tail = [line for line in output.splitlines() if line.strip()][-3:]
                failure = f"FAIL: exit {process.returncode}: {' / '.join(tail)[-300:]}"
        if failure:
            table.add(group, "imdb_lstm", check, failure)
            continue
        try:
            with open(os.path.join(out, "history.json")) as f:
                keras_loss = json.load(f)["loss"][0]
        except (OSError, ValueError, KeyError, IndexError) as error:
            table.add(group, "imdb_lstm", check, f"FAIL: no first-epoch loss in {out}/history.json: {error}")
            continue
        losses[f"train.py --strategy {strategy}"] = keras_loss
        diff = abs(keras_loss - modelc_loss)
        table.add(group, "imdb_lstm", check,
                  "ok" if diff <= LOSS_TOLERANCE else f"FAIL: differs from modelc's by more than {LOSS_TOLERANCE:g}",
                  diff)
        printed = re.findall(r"^test: .*\bloss: ([0-9.]+)", outputs[0], re.MULTILINE)
        finished.append((strategy, out, float(printed[-1]) if printed else None))
    print("  first-epoch losses: " + ", ".join(f"{k} {v:.7f}" for k, v in losses.items()), flush=True)
    load_back(np, modelc, spec, folder, finished, table)


def load_back(np, modelc, spec, folder, finished, table):
    """Each strategy's final files in modelc: `modelc predict --weights` with model.keras and with
    weights.safetensors (and the multiworker chief's model.h5) against Keras 3's predict of model.keras, within
    1e-5, and `modelc evaluate --weights model.keras` against the test loss train.py printed."""
    group = "scale-out"
    if not finished:
        return
    x_path = os.path.join(folder, "reviews.x.npz")
    np.savez(x_path, input=np.random.default_rng(5).integers(0, 500, size=(PREDICT_SAMPLES, 100)).astype(np.int32))
    y_paths = {strategy: os.path.join(folder, f"keras.{strategy}.y.npz") for strategy, _, _ in finished}
    jobs = [{"id": strategy, "kind": "load", "model": os.path.join(out, "model.keras"), "x": x_path,
             "y": y_paths[strategy]} for strategy, out, _ in finished]
    keras = run_workers("keras3", jobs, folder)
    x = load_arrays(np, x_path)
    for strategy, out, printed in finished:
        files = ["model.keras", "weights.safetensors"] + (["model.h5"] if strategy == "multiworker" else [])
        theirs = keras[strategy]
        for name in files:
            check = f"{strategy}: {name} in modelc predict"
            if "error" in theirs:
                table.add(group, "imdb_lstm", check, f"FAIL: Keras 3 cannot load model.keras: {theirs['error']}")
                continue
            try:
                mine = modelc.predict(np, spec, os.path.join(out, name), x, False, 1,
                                      os.path.join(folder, f"modelc.{strategy}.{name}"))
            except RuntimeError as error:
                table.add(group, "imdb_lstm", check, f"FAIL: {error}")
                continue
            table.add(group, "imdb_lstm", check, *judged(max_diff(np, mine, load_arrays(np, y_paths[strategy]))))
        check = f"{strategy}: model.keras in modelc evaluate"
        code, said_out, err = modelc.run("evaluate", spec, "--data", SCALE_DATA, "--weights",
                                         os.path.join(out, "model.keras"))
        found = re.findall(r"\bloss: ([0-9.]+)", said_out)
        if code != 0 or not found:
            table.add(group, "imdb_lstm", check, f"FAIL: exit {code}: {said(err) or said_out.strip()[-200:]}")
        elif printed is None:
            table.add(group, "imdb_lstm", check, "FAIL: train.py printed no test loss to compare with")
        else:
            diff = abs(float(found[-1]) - printed)
            table.add(group, "imdb_lstm", check, "ok" if diff <= PRINTED_TOLERANCE else
                      f"FAIL: test loss {found[-1]}, train.py printed {printed:.4f}", diff)


def free_ports(count):
    import socket
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("localhost", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


# Continuing in Keras from modelc's checkpoints: modelc trains CONTINUE_EPOCHS epochs with ModelCheckpoint writing
# model-{epoch:02d}.keras (the compiled model with Adam's state); Keras 3 loads model-0N.keras, fits one more
# epoch on the same data, unshuffled, and must arrive at model-0(N+1).keras's weights within 1e-5. Keras 3 runs
# on JAX and on TensorFlow. On TensorFlow an Embedding's gradient is a tf.IndexedSlices with a row per looked-up
# id, and Keras 3's Adam squares those rows before they are summed (ops.square on IndexedSlices), so where an
# id repeats within a batch its second moment is not the square of its gradient; JAX's gradients are dense, as
# modelc's are. A TensorFlow row of a model with an Embedding that misses while the JAX row matched is therefore
# reported as "known", not as a failure.
CONTINUE_EPOCHS = 3
CONTINUE_BACKENDS = ("jax", "tensorflow")
CONTINUE_SPECS = {  # name: (input and layers, kind of x)
    "dense": ("input: [6]\nlayers:\n  - Dense 8 relu\n  - Dense 1 sigmoid\n", "vector"),
    "lstm": ("input: [7, 3]\nlayers:\n  - LSTM 5\n  - Dense 1 sigmoid\n", "sequence"),
    "embedding-lstm": ("input: [7]\nlayers:\n  - Embedding 20x4\n  - LSTM 5\n  - Dense 1 sigmoid\n", "ids"),
}
CONTINUE_FIT = f"""compile:
  optimizer: {{Adam: {{learning_rate: 0.01}}}}
  loss: binary_crossentropy
  metrics: [accuracy]
fit:
  epochs: {CONTINUE_EPOCHS}
  batch_size: 16
  shuffle: false
  seed: 3
  callbacks:
    - ModelCheckpoint: {{filepath: 'model-{{epoch:02d}}.keras', monitor: loss}}
data:
  train: {{x: x.npy, y: y.npy}}
"""


def continuation_data(np, kind):
    """100 samples (batches of 16: the last one, of 4, partial) and 0/1 labels that depend on x."""
    rng = np.random.default_rng(11)
    if kind == "ids":
        x = rng.integers(0, 20, size=(100, 7)).astype(np.int32)
        return x, (x[:, :3].sum(axis=1) > 28).astype(np.float32)[:, None]
    x = rng.normal(size=(100, 6) if kind == "vector" else (100, 7, 3)).astype(np.float32)
    flat = x.reshape(100, -1)
    return x, (flat[:, 0] + flat[:, 1] * flat[:, 2] > 0).astype(np.float32)[:, None]


def continuation(np, modelc, work, table):
    group = "continue"
    print("c. continuing in Keras 3 from modelc's .keras checkpoints", flush=True)
    folder = os.path.join(work, "continue")
    os.makedirs(folder, exist_ok=True)
    jobs = []
    for name, (layers, kind) in CONTINUE_SPECS.items():
        case = os.path.join(folder, name)
        os.makedirs(case, exist_ok=True)
        x, y = continuation_data(np, kind)
        np.save(os.path.join(case, "x.npy"), x)
        np.save(os.path.join(case, "y.npy"), y)
        spec = os.path.join(case, "spec.yaml")
        with open(spec, "w") as f:
            f.write(layers + CONTINUE_FIT)
        run_dir = os.path.join(case, "run")
        code, _, err = modelc.run("train", spec, "--run-dir", run_dir)
        if code != 0:
            table.add(group, name, "modelc train", f"FAIL: exit {code}: {said(err)}")
            continue
        for epoch in range(1, CONTINUE_EPOCHS):
            start, expected = (os.path.join(run_dir, f"model-{e:02d}.keras") for e in (epoch, epoch + 1))
            jobs.append({"id": f"{name}-{epoch}", "kind": "continue", "case": name, "epoch": epoch,
                         "embedding": kind == "ids", "start": start, "expected": expected,
                         "x": os.path.join(case, "x.npy"), "y": os.path.join(case, "y.npy"), "batch_size": 16})
    results = {backend: run_workers("keras3", jobs, folder, backend) for backend in CONTINUE_BACKENDS}
    for job in jobs:
        for backend in CONTINUE_BACKENDS:
            check = f"{backend}: epoch {job['epoch'] + 1} from model-{job['epoch']:02d}.keras"
            entry = results[backend][job["id"]]
            if "error" in entry:
                table.add(group, job["case"], check, "FAIL: " + entry["error"])
                continue
            diff = entry["diff"]
            jax_entry = results["jax"][job["id"]]
            jax_matched = "error" not in jax_entry and jax_entry["diff"] <= TOLERANCE
            if diff <= TOLERANCE:
                result = "ok"
            elif backend == "tensorflow" and job["embedding"] and jax_matched:
                result = "known: Keras 3's Adam on TensorFlow squares an Embedding's gradient rows before summing"
            else:
                result = f"FAIL: weights differ by more than {TOLERANCE:g} from modelc's epoch {job['epoch'] + 1}"
            table.add(group, job["case"], check, result, diff)


def job_continue(np, K, framework, job):
    """Loads modelc's checkpoint (compiled, with its optimizer state), fits one epoch unshuffled and returns the
    largest difference to the weights of modelc's next checkpoint."""
    model = K.saving.load_model(job["start"])
    iterations = int(np.asarray(model.optimizer.iterations))
    if iterations == 0:
        raise ValueError(f"{job['start']} carries no optimizer state (iterations 0)")
    model.fit(np.load(job["x"]), np.load(job["y"]), batch_size=job["batch_size"], epochs=1, shuffle=False, verbose=0)
    expected = K.saving.load_model(job["expected"])
    diff = max(float(np.max(np.abs(a - b))) for a, b in zip(model.get_weights(), expected.get_weights()))
    return {"diff": diff, "iterations": iterations}
# ==== END OF SCALE-OUT ==================================================================================


# ----------------------------------------------------------------------------------------------------
# Driver
# ----------------------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modelc", help="the modelc executable")
    parser.add_argument("--parts", default="a,b,c", help="which parts to run: a (export), b (import), c (scale-out)")
    parser.add_argument("--only", nargs="*", help="case labels (forward/case003), groups (graph-forward) or random "
                                                  "model names (seq000, fn001) to run; default all")
    parser.add_argument("--random", type=int, default=12, help="how many random models part b builds")
    parser.add_argument("--seed", type=int, default=2000, help="seed of part b's random models")
    parser.add_argument("--keep", help="keep the working files in this folder (default: a temporary one)")
    parser.add_argument("--report", help="write the full table as Markdown to this file")
    parser.add_argument("--worker", choices=["keras3", "tf_keras"], help=argparse.SUPPRESS)
    parser.add_argument("--jobs", help=argparse.SUPPRESS)
    parser.add_argument("--results", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.jobs, args.results)
    if not args.modelc:
        parser.error("--modelc is required")
    import numpy as np
    modelc = Modelc(args.modelc)
    parts = set(args.parts.split(","))
    only = set(args.only or [])
    work = os.path.abspath(args.keep) if args.keep else tempfile.mkdtemp(prefix="modelc-keras-interop-")
    os.makedirs(work, exist_ok=True)
    table = Table()
    try:
        if "a" in parts:
            part_export(np, modelc, work, table, only)
        if "b" in parts:
            part_import(np, modelc, work, table, args.random, args.seed, only)
        if "c" in parts:
            # --only scale-out or --only continue runs one of part c's two halves.
            if not only or "continue" in only:
                continuation(np, modelc, work, table)
            if not only or "scale-out" in only:
                scale_out(np, modelc, work, table)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print()
    table.print_figures()
    if args.report:
        with open(args.report, "w") as f:
            f.write(table.markdown())
        print(f"wrote {args.report}")
    sys.exit(1 if table.failed() else 0)


if __name__ == "__main__":
    main()
