#!/usr/bin/env python3
"""Checks `modelc summary --layout tf-keras` and `--layout keras3` against tf_keras (2.13 and later) and Keras 3.
Scripts/keras-summary-layouts.sh makes the virtual environment (outside the repository) and runs this with it:

    python Scripts/keras-summary-layouts.py --modelc PATH [--record] [SPEC_OR_DIR...]

Every spec is built as a model in tf_keras and in Keras 3 (each in a worker process of its own: the two do not
share a process), and the model's `model.summary()` is printed to a standard output that is a file, not a
terminal, with COLUMNS unset (Keras 3 sizes its table by the terminal: off one it is 76 cells wide). The two
texts are compared byte for byte with `modelc summary SPEC --layout tf-keras` and `--layout keras3`.

A spec in the keyword form (every layer `{Class: {arguments}}`, such as the reference cases of
../shared/keras-cases and Tests/Fixtures/summary-layouts/*.yaml) is built fresh from its arguments, so layers
without a `name` get each framework's own automatic name and an unnamed model its default name. A spec with
shorthand layers (`LSTM 8`, most of Specs/) is first written by `modelc export` as a .keras file (loaded by
Keras 3) and an .h5 file (loaded by tf_keras); its names are then modelc's.

Default specs: Specs/*.yaml, Tests/Fixtures/summary-layouts/*.yaml, ../shared/keras-cases/summary/*.yaml and
../shared/keras-cases/graph-summary/*.yaml. --record writes what Keras printed as the test fixtures:
Tests/Fixtures/summary-layouts/cases.json (case name -> spec path, relative to the repository; specs from
outside the repository are copied in as NAME.yaml; cases recorded before and not named now are kept) and
NAME.tf-keras.txt, NAME.keras3.txt, and memory-sizes.json (byte counts through both readable_memory_size). Prints one line per
mismatch (and one per model a framework refuses to build, skipped) and a closing `N passed, N failed` line;
exit status 1 when any summary differed.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures", "summary-layouts")
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "keras-cases")
LAYOUTS = {"tf_keras": "tf-keras", "keras3": "keras3"}
MERGES = ("Concatenate", "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Dot")
WRAPPERS = ("Bidirectional", "TimeDistributed")
MARK = "\x1e@@case "


# ----------------------------------------------------------------------------------------------------
# Building a model from a keyword-form spec (runs in a worker, with `keras` the framework's module)
# ----------------------------------------------------------------------------------------------------

def is_keyword_form(spec):
    return all(isinstance(entry, dict) and len(entry) == 1 for entry in spec.get("layers", []))


def keras_layer(keras, cls, args):
    kw = dict(args or {})
    for key in ("inputs", "input_shape", "input_length"):
        kw.pop(key, None)
    if cls in WRAPPERS:
        (inner_cls, inner_args), = kw.pop("layer").items()
        return getattr(keras.layers, cls)(keras_layer(keras, inner_cls, inner_args), **kw)
    if "target_shape" in kw:
        kw["target_shape"] = tuple(kw["target_shape"])
    if cls == "Dot" and isinstance(kw.get("axes"), list):
        kw["axes"] = tuple(kw["axes"])
    return getattr(keras.layers, cls)(**kw)


def reads_ids(cls, args):
    """An Embedding (or a wrapper of one) reads int32 token ids."""
    while cls in WRAPPERS:
        (cls, args), = args["layer"].items()
    return cls == "Embedding"


def build_keyword(keras, spec):
    entries = [next(iter(entry.items())) for entry in spec["layers"]]
    name = {"name": spec["name"]} if "name" in spec else {}
    if "inputs" not in spec:
        cls, args = entries[0]
        args = args or {}
        shape = spec.get("input") or args.get("input_shape") or [args["input_length"]]
        dtype = "int32" if reads_ids(cls, args) else "float32"
        layers = [keras.Input(shape=tuple(shape), dtype=dtype)] + [keras_layer(keras, c, a) for c, a in entries]
        model = keras.Sequential(layers, **name)
        return model
    readers = {}
    for cls, args in entries:
        refs = (args or {}).get("inputs")
        for ref in refs if isinstance(refs, list) else [refs]:
            if ref is not None and reads_ids(cls, args or {}):
                readers[ref] = True
    tensors, inputs = {}, []
    for input_name, shape in spec["inputs"].items():
        dtype = "int32" if readers.get(input_name) else "float32"
        if isinstance(shape, dict):
            dtype, shape = shape.get("dtype", dtype), shape["shape"]
        tensors[input_name] = keras.Input(shape=tuple(shape), name=input_name, dtype=dtype)
        inputs.append(tensors[input_name])
    # As modelc reads a spec: the first layer without `inputs` reads the first input, and without
    # `outputs` the last layer is the output.
    previous = next(iter(spec["inputs"]))
    for cls, args in entries:
        layer = keras_layer(keras, cls, args)
        refs = (args or {}).get("inputs", previous)
        sources = [tensors[r] for r in refs] if isinstance(refs, list) else [tensors[refs]]
        tensors[layer.name] = layer(sources if cls in MERGES else sources[0])
        previous = layer.name
    names = spec.get("outputs", [previous])
    outputs = [tensors[o] for o in (names if isinstance(names, list) else [names])]
    return keras.Model(inputs=inputs, outputs=outputs[0] if len(outputs) == 1 else outputs, **name)


def worker(framework, jobs_path):
    """Prints each job's summary to standard output (a file), each after a marker line."""
    import yaml
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if framework == "tf_keras":
        import tensorflow as tf
        tf.get_logger().setLevel("ERROR")
        import tf_keras as keras
    else:
        import keras
    for job in json.load(open(jobs_path, encoding="utf-8")):
        keras.backend.clear_session()  # automatic names count from the start for each model
        print(MARK + job["name"], flush=True)
        try:
            if job["export"]:
                path = job["export"][framework]
                model = keras.models.load_model(path, compile=False)
            else:
                model = build_keyword(keras, yaml.safe_load(open(job["spec"], encoding="utf-8")))
            model.summary()
        except Exception as error:  # noqa: BLE001 - reported as that case's failure
            print(f"{MARK}error {type(error).__name__}: {error}")
        sys.stdout.flush()


def size_samples():
    """Byte counts for the size formatter's fixture: unit boundaries, exact ties (1.125 KB), sizes whose
    last digit rounds, the PB limit and past it, counts a double cannot hold, and a seeded spread."""
    import random
    samples = [0, 1, 4, 48, 1020, 1023, 1024, 1025, 1152, 1408, 1664, 2047, 2048, 10240, 35236, 1048063,
               1048575, 1048576, 1048577, 4202500, 1073741823, 1073741824, 1120000000, (1 << 40) - 1, 1 << 40,
               (1 << 50) - 1, 1 << 50, (1 << 60) - 1, 1 << 60, (1 << 60) * 5, (1 << 53) + 1, (1 << 63) - 1]
    rng = random.Random(7)
    for bits in range(4, 63, 3):
        samples += [rng.randrange(1 << bits), 1024 ** (bits // 10) * (2 * rng.randrange(1, 500) + 1) * 5 // 1000]
    return sorted(set(samples))


def sizes_worker(framework):
    """Prints [bytes, formatted] for each sample, as that framework's summary would pass the bytes in."""
    import numpy as np
    if framework == "tf_keras":
        from tf_keras.src.utils.layer_utils import readable_memory_size
        print(json.dumps([[n, readable_memory_size(np.int64(n))] for n in size_samples()]))
    else:
        from keras.src.utils.summary_utils import readable_memory_size
        print(json.dumps([[n, readable_memory_size(n * 8 / 8)] for n in size_samples()]))


def record_sizes():
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    found = {}
    for framework in LAYOUTS:
        run = subprocess.run([sys.executable, os.path.abspath(__file__), "--sizes", framework], check=True,
                             capture_output=True, text=True, env=env)
        found[framework] = json.loads(run.stdout.strip().splitlines()[-1])
    rows = [[n, tf, k3] for (n, tf), (_, k3) in zip(found["tf_keras"], found["keras3"])]
    with open(os.path.join(FIXTURES, "memory-sizes.json"), "w", encoding="utf-8") as f:
        f.write("[\n" + ",\n".join(json.dumps(row) for row in rows) + "\n]\n")
    print(f"recorded {len(rows)} sizes from both readable_memory_size functions")


def run_worker(framework, jobs_path):
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "TF_USE_LEGACY_KERAS")}
    env["PYTHONIOENCODING"] = "utf-8"
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", framework, "--jobs", jobs_path],
                       stdin=subprocess.DEVNULL, stdout=out, check=True, env=env)
        out.seek(0)
        text = out.read()
    results, name = {}, None
    for chunk in text.split(MARK)[1:]:
        head, _, body = chunk.partition("\n")
        if head.startswith("error ") and name is not None:
            results[name] = {"error": head[6:]}
        else:
            name = head
            results[name] = {"text": body}
    return results


# ----------------------------------------------------------------------------------------------------
# The driver: which specs, exports for shorthand specs, modelc's output, comparison and recording
# ----------------------------------------------------------------------------------------------------

def case_list(paths):
    """(case name, spec path) for every spec named or found in the folders."""
    if not paths:
        paths = [os.path.join(ROOT, "Specs"), FIXTURES, os.path.join(SHARED, "summary"),
                 os.path.join(SHARED, "graph-summary")]
    cases = []
    for path in paths:
        if os.path.isdir(path):
            files = sorted(os.path.join(path, f) for f in os.listdir(path) if f.endswith(".yaml"))
        else:
            files = [path]
        for file in files:
            folder = os.path.basename(os.path.dirname(os.path.abspath(file)))
            stem = os.path.splitext(os.path.basename(file))[0]
            name = stem if os.path.abspath(os.path.dirname(file)) == FIXTURES else f"{folder}-{stem}"
            cases.append((name, os.path.abspath(file)))
    # A shared case copied into the fixtures has the same name as the original: check it once.
    seen = set()
    return [case for case in cases if not (case[0] in seen or seen.add(case[0]))]


def modelc_summary(modelc, spec, layout):
    run = subprocess.run([modelc, "summary", spec, "--layout", layout], capture_output=True, text=True,
                         stdin=subprocess.DEVNULL)
    return run.stdout if run.returncode == 0 else None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("specs", nargs="*")
    parser.add_argument("--modelc")
    parser.add_argument("--record", action="store_true")
    parser.add_argument("--worker", choices=sorted(LAYOUTS))
    parser.add_argument("--jobs")
    parser.add_argument("--sizes", choices=sorted(LAYOUTS))
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.jobs)
        return 0
    if args.sizes:
        sizes_worker(args.sizes)
        return 0
    if args.record:
        record_sizes()
    import yaml
    work = tempfile.mkdtemp(prefix="keras-summary-layouts-")
    try:
        jobs = []
        for name, spec in case_list(args.specs):
            job = {"name": name, "spec": spec, "export": None}
            if not is_keyword_form(yaml.safe_load(open(spec, encoding="utf-8"))):
                job["export"] = {"keras3": os.path.join(work, name + ".keras"),
                                 "tf_keras": os.path.join(work, name + ".h5")}
                for path in job["export"].values():
                    subprocess.run([args.modelc, "export", spec, "--output", path], check=True,
                                   capture_output=True, stdin=subprocess.DEVNULL)
            jobs.append(job)
        jobs_path = os.path.join(work, "jobs.json")
        json.dump(jobs, open(jobs_path, "w", encoding="utf-8"))
        keras_outputs = {framework: run_worker(framework, jobs_path) for framework in LAYOUTS}
        passed = failed = skipped = 0
        # Recording some specs keeps the other recorded cases whose specs are still there.
        manifest_path = os.path.join(FIXTURES, "cases.json")
        manifest = json.load(open(manifest_path, encoding="utf-8")) if os.path.exists(manifest_path) else {}
        manifest = {k: v for k, v in manifest.items() if os.path.exists(os.path.join(ROOT, v))}
        for job in jobs:
            for framework, layout in LAYOUTS.items():
                result = keras_outputs[framework].get(job["name"], {"error": "no output"})
                mine = modelc_summary(args.modelc, job["spec"], layout)
                if "error" in result:
                    # Not a summary to compare: Keras 3 refuses some models tf_keras builds (a
                    # Bidirectional of a go_backwards layer).
                    print(f"SKIP {job['name']} {layout}: {framework} could not build it: {result['error']}")
                    skipped += 1
                elif mine != result["text"]:
                    print(f"FAIL {job['name']} {layout}: modelc differs from {framework}")
                    for want, got in zip((result["text"] + "\n" * 99).splitlines(), (mine or "").splitlines()):
                        if want != got:
                            print(f"  keras : {want!r}\n  modelc: {got!r}")
                            break
                    failed += 1
                else:
                    passed += 1
                if args.record and "text" in result:
                    with open(os.path.join(FIXTURES, f"{job['name']}.{layout}.txt"), "w", encoding="utf-8") as f:
                        f.write(result["text"])
            spec = job["spec"]
            if args.record and not spec.startswith(ROOT + os.sep):
                copy = os.path.join(FIXTURES, job["name"] + ".yaml")
                shutil.copyfile(spec, copy)
                spec = copy
            manifest[job["name"]] = os.path.relpath(spec, ROOT)
        if args.record:
            with open(manifest_path, "w", encoding="utf-8") as f:
                json.dump(manifest, f, indent=1, sort_keys=True)
                f.write("\n")
        print(f"checked {len(jobs)} models against {', '.join(LAYOUTS)} ({2 * len(jobs)} summaries)")
        print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
        return 1 if failed else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
