#!/usr/bin/env python3
"""Writes the Keras-made fixture files of modelc's Keras import/export tests under Tests/Fixtures/keras/.

Scripts/make-keras-fixtures.sh makes the pinned virtual environment (outside the repository) and runs this
script with it. Keras 3 and tf_keras (Keras 2) cannot share one process, so the script runs itself twice:

    python Scripts/make-keras-fixtures.py [--out DIR]          # both backends, then a table of what it made
    python Scripts/make-keras-fixtures.py --backend keras3 --out DIR --handoff TMP
    python Scripts/make-keras-fixtures.py --backend tf_keras --out DIR --handoff TMP   # TF_USE_LEGACY_KERAS=1
    python Scripts/make-keras-fixtures.py --check-modelc .build/debug/modelc [--out DIR]

Every case is described once (CASES below) as data; the same description builds the Keras 3 model, the
tf_keras model and the modelc spec, so the three cannot drift apart. Per case, in DIR/<case>/:

    spec.yaml                 the modelc spec (keyword form, every layer named as in Keras, compile section)
    case.json                 inputs, outputs, Keras's parameter counts, the fit settings and data seed
    keras3.keras              Keras 3 model.save() after compile and one epoch of fit (optimizer included)
    keras3.config.json        config.json of that zip, pretty-printed with sorted keys
    keras3.metadata.json      metadata.json of that zip, the same way
    keras3.weights-tree.json  every object of the zip's model.weights.h5, in h5py's visit order
    tf_keras.h5               the same model in tf_keras, compiled and fit once, then given the Keras 3 weights
    tf_keras.h5-tree.json     every object of tf_keras.h5, in h5py's visit order
    weights.safetensors       the Keras 3 weights in modelc's naming (<layer>/<weight>, F32 little endian)
    x.npy | x.npz             3 samples (int32 token ids for an input an Embedding reads, float32 otherwise)
    y.keras3.npy|.npz         Keras 3 predict(x) in inference mode (.npz: one array per output name)
    y.tf_keras.npy|.npz       tf_keras predict(x) from tf_keras.h5's weights

DIR/refused/ holds models modelc must refuse to import (Lambda, a registered custom class, Conv2D, a
kernel_regularizer) with their config.json for humans.
"""
import argparse
import io
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(ROOT, "Tests", "Fixtures", "keras")
FIT_SAMPLES = 8
FIT_BATCH = 4
PREDICT_SAMPLES = 3
MERGES = ("Concatenate", "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Dot")
WRAPPERS = ("Bidirectional", "TimeDistributed")


# ----------------------------------------------------------------------------------------------------
# The cases, as data. A layer is (class, name, arguments); `inputs` (functional only) names what it reads,
# default the entry before it. A wrapper's `layer` argument is itself such a layer.
# ----------------------------------------------------------------------------------------------------

def lay(cls, name, inputs=None, **args):
    return {"class": cls, "name": name, "inputs": inputs, "args": args}


CASES = [
    {
        "case": "seq_embedding_lstm", "model": "embedding_lstm", "seed": 101,
        "input": {"shape": [5], "dtype": "int32", "vocab": 20},
        "layers": [
            lay("Embedding", "emb", input_dim=20, output_dim=4, embeddings_initializer="he_uniform"),
            lay("SpatialDropout1D", "spatial_drop", rate=0.2),
            lay("LSTM", "lstm_seq", units=3, return_sequences=True, unit_forget_bias=False,
                kernel_initializer="he_normal", recurrent_initializer="orthogonal"),
            lay("LSTM", "lstm_back", units=3, go_backwards=True, kernel_initializer="he_normal"),
            lay("Dense", "out", units=1, activation="sigmoid", kernel_initializer="he_normal"),
        ],
        "compile": {"optimizer": ("Adam", {"learning_rate": 0.005, "beta_1": 0.8}),
                    "loss": "binary_crossentropy", "metrics": ["accuracy"]},
    },
    {
        "case": "seq_gru", "model": "gru_stack", "seed": 102,
        "input": {"shape": [5, 3], "dtype": "float32"},
        "layers": [
            lay("GRU", "gru_after", units=3, return_sequences=True, reset_after=True, go_backwards=True),
            lay("GRU", "gru_before", units=3, reset_after=False, kernel_initializer="he_normal",
                bias_initializer="random_uniform"),
            lay("Dense", "probs", units=3, activation="softmax"),
        ],
        "compile": {"optimizer": ("RMSprop", {"learning_rate": 0.01, "rho": 0.8}),
                    "loss": "categorical_crossentropy", "metrics": ["accuracy"]},
    },
    {
        "case": "seq_simple_rnn_time_distributed", "model": "rnn_td", "seed": 103,
        "input": {"shape": [4, 3], "dtype": "float32"},
        "layers": [
            lay("SimpleRNN", "rnn", units=3, activation="relu", use_bias=False, return_sequences=True),
            lay("TimeDistributed", "td", layer=lay("Dense", "td_dense", units=2, activation="tanh",
                                                   bias_initializer="random_uniform")),
            lay("Flatten", "flat"),
            lay("Dense", "out", units=1),
        ],
        "compile": {"optimizer": ("SGD", {"learning_rate": 0.05, "momentum": 0.9}),
                    "loss": "mse", "metrics": ["mae"]},
    },
    {
        "case": "seq_bidirectional", "model": "bidirectional_stack", "seed": 104,
        "input": {"shape": [5, 2], "dtype": "float32"},
        "layers": [
            lay("Bidirectional", "bi_rnn", merge_mode="mul",
                layer=lay("SimpleRNN", "rnn_inner", units=2, return_sequences=True, kernel_initializer="he_normal")),
            lay("Bidirectional", "bi_lstm", merge_mode="concat",
                layer=lay("LSTM", "lstm_inner", units=2, return_sequences=True, kernel_initializer="he_normal")),
            lay("Bidirectional", "bi_gru", merge_mode="sum",
                layer=lay("GRU", "gru_inner", units=2, return_sequences=True, reset_after=False,
                          kernel_initializer="he_normal")),
            lay("Bidirectional", "bi_last", merge_mode="ave",
                layer=lay("LSTM", "lstm_last", units=2, kernel_initializer="he_normal")),
            lay("Dense", "out", units=1, activation="sigmoid", kernel_initializer="he_normal"),
        ],
        "compile": {"optimizer": ("Adam", {"learning_rate": 0.01, "amsgrad": True}),
                    "loss": "binary_crossentropy", "metrics": ["accuracy"]},
    },
    {
        "case": "seq_conv1d_pooling", "model": "conv_pooling", "seed": 105,
        "input": {"shape": [5, 2], "dtype": "float32"},
        "layers": [
            lay("Conv1D", "conv_same", filters=3, kernel_size=2, padding="same", activation="relu",
                kernel_initializer="he_normal"),
            lay("Conv1D", "conv_dilated", filters=2, kernel_size=2, padding="causal", dilation_rate=2),
            lay("MaxPooling1D", "max_pool", pool_size=2, strides=1, padding="same"),
            lay("Conv1D", "conv_strided", filters=3, kernel_size=3, strides=2, padding="same", use_bias=False),
            lay("AveragePooling1D", "avg_pool", pool_size=2, strides=1),
            lay("GlobalMaxPooling1D", "global_max", keepdims=True),
            lay("Flatten", "flat"),
            lay("Dense", "out", units=2, activation="softmax"),
        ],
        "compile": {"optimizer": ("Adagrad", {"learning_rate": 0.05, "initial_accumulator_value": 0.2}),
                    "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]},
    },
    {
        "case": "seq_norm_reshape", "model": "norm_reshape", "seed": 106,
        "input": {"shape": [4], "dtype": "float32"},
        "layers": [
            lay("BatchNormalization", "bn", momentum=0.9, epsilon=0.01),
            lay("Dense", "dense_a", units=4, activation="elu", kernel_initializer="he_normal"),
            lay("Dropout", "drop", rate=0.25),
            lay("Reshape", "reshape", target_shape=[2, 2]),
            lay("LayerNormalization", "ln", axis=-1, epsilon=1e-5),
            lay("Flatten", "flat"),
            lay("RepeatVector", "repeat", n=3),
            lay("GlobalAveragePooling1D", "global_avg"),
            lay("Activation", "act", activation="swish"),
            lay("Dense", "out", units=1),
        ],
        "compile": {"optimizer": ("SGD", {"learning_rate": 0.02, "momentum": 0.9, "nesterov": True}),
                    "loss": "huber", "metrics": ["mae"]},
    },
    {
        "case": "fn_two_inputs", "model": "two_inputs", "seed": 107,
        "inputs": {"tokens": {"shape": [5], "dtype": "int32", "vocab": 20},
                   "feats": {"shape": [4], "dtype": "float32"}},
        "layers": [
            lay("Embedding", "emb", "tokens", input_dim=20, output_dim=3),
            lay("GlobalAveragePooling1D", "pool"),
            lay("Dense", "tok_dense", units=3, activation="tanh"),
            lay("Dense", "feat_dense", "feats", units=3, activation="relu", use_bias=False),
            lay("Concatenate", "concat", ["tok_dense", "feat_dense"], axis=-1),
            lay("Multiply", "mul", ["tok_dense", "feat_dense"]),
            lay("Subtract", "sub", ["tok_dense", "mul"]),
            lay("Concatenate", "concat_all", ["concat", "sub"], axis=1),
            lay("Dense", "out", units=1, activation="sigmoid"),
        ],
        "outputs": ["out"],
        "compile": {"optimizer": ("RMSprop", {"learning_rate": 0.003, "rho": 0.85, "momentum": 0.1}),
                    "loss": "binary_crossentropy", "metrics": ["accuracy"]},
    },
    {
        "case": "fn_two_outputs", "model": "two_outputs", "seed": 108,
        "inputs": {"seq": {"shape": [4, 3], "dtype": "float32"}},
        "layers": [
            lay("LSTM", "enc", "seq", units=3, return_sequences=True),
            lay("GlobalMaxPooling1D", "gmax"),
            lay("Dense", "cls", units=3, activation="softmax"),
            lay("GlobalAveragePooling1D", "gavg", "enc"),
            lay("Dense", "reg", units=1),
        ],
        "outputs": ["cls", "reg"],
        "compile": {"optimizer": ("Adam", {"learning_rate": 0.002, "beta_2": 0.99}),
                    "loss": {"cls": "categorical_crossentropy", "reg": "mse"},
                    "loss_weights": {"cls": 1.0, "reg": 0.5},
                    "metrics": {"cls": ["accuracy"], "reg": ["mae"]}},
    },
    {
        "case": "fn_residual", "model": "residual", "seed": 109,
        "inputs": {"x": {"shape": [4], "dtype": "float32"}},
        "layers": [
            lay("Dense", "proj", "x", units=4, activation="relu", kernel_initializer="he_normal"),
            lay("Dense", "proj2", units=4, kernel_initializer="orthogonal"),
            lay("Add", "residual", ["x", "proj2"]),
            lay("BatchNormalization", "bn", momentum=0.8, epsilon=1e-4, scale=False),
            lay("Activation", "act", activation="relu"),
            lay("Dense", "out", units=2, activation="softmax"),
        ],
        "outputs": ["out"],
        "compile": {"optimizer": ("SGD", {"learning_rate": 0.1, "momentum": 0.5}),
                    "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]},
    },
    {
        "case": "fn_merges", "model": "merges", "seed": 110,
        "inputs": {"a": {"shape": [3], "dtype": "float32"}, "b": {"shape": [3], "dtype": "float32"},
                   "c": {"shape": [2, 3], "dtype": "float32"}},
        "layers": [
            lay("Dense", "da", "a", units=3),
            lay("Dense", "db", "b", units=3, activation="tanh"),
            lay("Average", "avg", ["da", "db", "a"]),
            lay("Maximum", "max", ["da", "db"]),
            lay("Minimum", "min", ["da", "b"]),
            lay("Add", "add", ["avg", "max", "min"]),
            lay("Dot", "dot", ["add", "db"], axes=1),
            lay("Dot", "cos", ["da", "db"], axes=1, normalize=True),
            lay("Dense", "dc", "c", units=3),
            lay("Dot", "seq_dot", ["dc", "c"], axes=[2, 2]),
            lay("Flatten", "flat"),
            lay("Concatenate", "concat", ["dot", "cos", "add", "flat"]),
            lay("Dense", "out", units=1),
        ],
        "outputs": ["out"],
        "compile": {"optimizer": ("Adam", {"learning_rate": 0.005, "beta_1": 0.8, "epsilon": 1e-6}),
                    "loss": "mse", "metrics": ["mae"]},
    },
]


def case_inputs(case):
    """[(name, spec)] in the model's input order; a Sequential case's one input is named 'input'."""
    if "inputs" in case:
        return list(case["inputs"].items())
    return [("input", case["input"])]


def is_functional(case):
    return "inputs" in case


# ----------------------------------------------------------------------------------------------------
# The modelc spec
# ----------------------------------------------------------------------------------------------------

def yaml_scalar(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        text = repr(v)
        return text if any(c in text for c in ".eEn") else text + ".0"
    s = str(v)
    if s.replace("_", "a").isalnum() and not s[0].isdigit() and s.lower() not in (
            "true", "false", "null", "yes", "no", "on", "off"):
        return s
    return "'" + s.replace("'", "''") + "'"


def yaml_flow(v):
    if isinstance(v, dict):
        return "{" + ", ".join(f"{yaml_scalar(k)}: {yaml_flow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(yaml_flow(x) for x in v) + "]"
    return yaml_scalar(v)


def spec_layer(layer, functional):
    """The keyword form {Class: {arguments, name, inputs}}; a wrapped layer takes no `inputs`."""
    args = {}
    for key, value in layer["args"].items():
        args[key] = spec_layer(value, False) if key == "layer" else value
    args["name"] = layer["name"]
    if functional and layer["inputs"] is not None:
        args["inputs"] = layer["inputs"]
    return {layer["class"]: args}


def spec_text(case):
    lines = [f"# Written by Scripts/make-keras-fixtures.py: the modelc spec of keras3.keras and tf_keras.h5.",
             f"name: {yaml_scalar(case['model'])}"]
    if is_functional(case):
        lines.append("inputs:")
        for name, spec in case_inputs(case):
            lines.append(f"  {name}: {yaml_flow(spec['shape'])}")
    else:
        lines.append(f"input: {yaml_flow(case['input']['shape'])}")
    lines.append("layers:")
    for layer in case["layers"]:
        lines.append(f"  - {yaml_flow(spec_layer(layer, is_functional(case)))}")
    if is_functional(case):
        lines.append(f"outputs: {yaml_flow(case['outputs'])}")
    comp = case["compile"]
    cls, kw = comp["optimizer"]
    section = {"optimizer": {cls: kw}, "loss": comp["loss"]}
    if "loss_weights" in comp:
        section["loss_weights"] = comp["loss_weights"]
    section["metrics"] = comp["metrics"]
    lines.append("compile:")
    for key, value in section.items():
        lines.append(f"  {key}: {yaml_flow(value)}")
    lines.append(f"fit: {yaml_flow({'epochs': 1, 'batch_size': FIT_BATCH, 'shuffle': False})}")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------------------------------
# Building, data, weights: shared by both backends (`K` is the keras or the tf_keras module)
# ----------------------------------------------------------------------------------------------------

def make_layer(K, layer):
    args = dict(layer["args"])
    if "layer" in args:
        args["layer"] = make_layer(K, args["layer"])
    if "target_shape" in args:
        args["target_shape"] = tuple(args["target_shape"])
    if layer["class"] == "Dot" and isinstance(args.get("axes"), list):
        args["axes"] = tuple(args["axes"])
    return getattr(K.layers, layer["class"])(name=layer["name"], **args)


def build(K, case):
    if not is_functional(case):
        spec = case["input"]
        model = K.Sequential([K.Input(shape=tuple(spec["shape"]), dtype=spec["dtype"])]
                             + [make_layer(K, layer) for layer in case["layers"]], name=case["model"])
        return model
    tensors = {}
    for name, spec in case_inputs(case):
        tensors[name] = K.Input(shape=tuple(spec["shape"]), dtype=spec["dtype"], name=name)
    previous = None
    for layer in case["layers"]:
        reads = layer["inputs"] if layer["inputs"] is not None else previous
        source = [tensors[n] for n in reads] if isinstance(reads, list) else tensors[reads]
        tensors[layer["name"]] = make_layer(K, layer)(source)
        previous = layer["name"]
    return K.Model(inputs=[tensors[n] for n, _ in case_inputs(case)],
                   outputs=[tensors[n] for n in case["outputs"]], name=case["model"])


def compile_model(K, model, case):
    comp = case["compile"]
    cls, kw = comp["optimizer"]
    extra = {"loss_weights": comp["loss_weights"]} if "loss_weights" in comp else {}
    model.compile(optimizer=getattr(K.optimizers, cls)(**kw), loss=comp["loss"], metrics=comp["metrics"],
                  **extra)


def output_names(case):
    return case["outputs"] if is_functional(case) else [case["layers"][-1]["name"]]


def output_units(case, name):
    layer = next(layer for layer in case["layers"] if layer["name"] == name)
    return layer["args"]["units"]


def make_x(np, case, samples, rng):
    xs = {}
    for name, spec in case_inputs(case):
        shape = (samples, *spec["shape"])
        if spec["dtype"] == "int32":
            xs[name] = rng.integers(0, spec["vocab"], size=shape).astype(np.int32)
        else:
            xs[name] = rng.standard_normal(shape).astype(np.float32)
    return xs


def make_y(np, case, samples, rng):
    comp_loss = case["compile"]["loss"]
    ys = {}
    for name in output_names(case):
        loss = comp_loss[name] if isinstance(comp_loss, dict) else comp_loss
        units = output_units(case, name)
        if loss == "binary_crossentropy":
            ys[name] = rng.integers(0, 2, size=(samples, units)).astype(np.float32)
        elif loss == "categorical_crossentropy":
            ys[name] = np.eye(units, dtype=np.float32)[rng.integers(0, units, size=samples)]
        elif loss == "sparse_categorical_crossentropy":
            ys[name] = rng.integers(0, units, size=(samples,)).astype(np.int32)
        else:
            ys[name] = rng.standard_normal((samples, units)).astype(np.float32)
    return ys


def model_arg(case, arrays, names):
    """What fit/predict take: the one array, or a dict by name."""
    return arrays[names[0]] if len(names) == 1 else {n: arrays[n] for n in names}


def fit_and_data(np, K, model, case):
    rng = np.random.default_rng(case["seed"])
    x_fit = make_x(np, case, FIT_SAMPLES, rng)
    y_fit = make_y(np, case, FIT_SAMPLES, rng)
    x_pred = make_x(np, case, PREDICT_SAMPLES, rng)
    in_names = [n for n, _ in case_inputs(case)]
    model.fit(model_arg(case, x_fit, in_names), model_arg(case, y_fit, output_names(case)),
              epochs=1, batch_size=FIT_BATCH, shuffle=False, verbose=0)
    return x_pred


def predict(np, model, case, x_pred):
    in_names = [n for n, _ in case_inputs(case)]
    y = model.predict(model_arg(case, x_pred, in_names), verbose=0)
    if not isinstance(y, (list, tuple)):
        y = [y]
    return {n: np.asarray(a, dtype=np.float32) for n, a in zip(output_names(case), y)}


def save_arrays(np, path_stem, arrays):
    """One array as .npy, several as .npz by name; returns the file name written."""
    if len(arrays) == 1:
        np.save(path_stem + ".npy", next(iter(arrays.values())))
        return os.path.basename(path_stem) + ".npy"
    np.savez(path_stem + ".npz", **arrays)
    return os.path.basename(path_stem) + ".npz"


def load_arrays(np, case_dir, stem):
    if os.path.exists(os.path.join(case_dir, stem + ".npy")):
        return {"only": np.load(os.path.join(case_dir, stem + ".npy"))}
    with np.load(os.path.join(case_dir, stem + ".npz")) as z:
        return {k: z[k] for k in z.files}


def param_counts(np, model):
    def count(ws):
        return int(sum(int(np.prod(w.shape)) for w in ws))
    return {"total": count(model.weights), "trainable": count(model.trainable_weights),
            "non_trainable": count(model.non_trainable_weights)}


def short_name(weight):
    """Keras 3's weight.name is already 'kernel'; tf_keras's is 'scope/.../kernel:0'."""
    return weight.name.split("/")[-1].split(":")[0]


def modelc_weights(np, model):
    """[(modelc name, array)]: <layer>/<weight>; Bidirectional adds forward/ or backward/;
    TimeDistributed keeps its inner layer's weights under the wrapper's name."""
    named = []
    for layer in model.layers:
        if type(layer).__name__ == "Bidirectional":
            parts = [("forward/", layer.forward_layer), ("backward/", layer.backward_layer)]
        else:
            parts = [("", layer)]
        for prefix, part in parts:
            for w in part.weights:
                named.append((f"{layer.name}/{prefix}{short_name(w)}", np.asarray(w.numpy(), dtype="<f4")))
    return named


def write_safetensors(path, tensors):
    """The safetensors format by hand: 8-byte little-endian header length, JSON header (padded with blanks
    to a multiple of 8, as the reference implementation does), then the raw little-endian data."""
    header, blobs, offset = {}, [], 0
    for name, array in tensors:
        data = array.astype("<f4").tobytes(order="C")
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


# ----------------------------------------------------------------------------------------------------
# HDF5 trees
# ----------------------------------------------------------------------------------------------------

def jsonable(value):
    import numpy as np
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()] if value.ndim else jsonable(value.item())
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return jsonable(value.item())
    if isinstance(value, float) and value != value:
        return "nan"
    return value


def attr_entry(h5py, obj, key):
    """An attribute's value with its exact HDF5 type: numpy dtype, dataspace, and for strings whether they are
    variable-length, their character set and (fixed-length) size and padding."""
    aid = obj.attrs.get_id(key)
    htype = aid.get_type()
    space = aid.get_space().get_simple_extent_type()
    classes = {h5py.h5t.STRING: "string", h5py.h5t.INTEGER: "integer", h5py.h5t.FLOAT: "float",
               h5py.h5t.COMPOUND: "compound", h5py.h5t.ENUM: "enum", h5py.h5t.ARRAY: "array",
               h5py.h5t.VLEN: "vlen", h5py.h5t.OPAQUE: "opaque", h5py.h5t.REFERENCE: "reference"}
    entry = {"dtype": aid.dtype.str, "shape": list(aid.shape) if aid.shape is not None else None,
             "dataspace": {h5py.h5s.SCALAR: "scalar", h5py.h5s.SIMPLE: "simple", h5py.h5s.NULL: "null"}[space],
             "h5_class": classes.get(htype.get_class(), str(htype.get_class()))}
    if htype.get_class() == h5py.h5t.STRING:
        pads = {h5py.h5t.STR_NULLTERM: "nullterm", h5py.h5t.STR_NULLPAD: "nullpad",
                h5py.h5t.STR_SPACEPAD: "spacepad"}
        entry["string"] = {
            "variable_length": bool(htype.is_variable_str()),
            "encoding": "utf-8" if htype.get_cset() == h5py.h5t.CSET_UTF8 else "ascii",
            "size": None if htype.is_variable_str() else htype.get_size(),
            "padding": pads.get(htype.get_strpad(), str(htype.get_strpad())),
        }
    elif htype.get_class() in (h5py.h5t.INTEGER, h5py.h5t.FLOAT):
        entry["size"] = htype.get_size()
    entry["value"] = None if space == h5py.h5s.NULL else jsonable(obj.attrs[key])
    return entry


def h5_tree(h5file):
    import h5py
    entries = []

    def add(path, obj):
        entry = {"path": path, "kind": "dataset" if isinstance(obj, h5py.Dataset) else "group"}
        if isinstance(obj, h5py.Dataset):
            entry["dtype"] = obj.dtype.str
            entry["shape"] = list(obj.shape)
            entry["chunks"] = list(obj.chunks) if obj.chunks else None
            entry["compression"] = obj.compression
        entry["attrs"] = {key: attr_entry(h5py, obj, key) for key in obj.attrs.keys()}
        entries.append(entry)

    add("/", h5file)
    h5file.visititems(lambda name, obj: add("/" + name, obj))
    return entries


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=2, sort_keys=True)
        f.write("\n")


# ----------------------------------------------------------------------------------------------------
# Keras 3
# ----------------------------------------------------------------------------------------------------

def quiet(tf):
    """TensorFlow's retracing warnings and tf_keras's 'HDF5 is legacy' notice say nothing about the fixtures."""
    import warnings
    tf.get_logger().setLevel("ERROR")
    warnings.filterwarnings("ignore", message=".*HDF5 file via `model.save\\(\\)`.*")


def run_keras3(out, handoff, only):
    import h5py
    import keras
    import numpy as np
    import tensorflow as tf

    quiet(tf)

    for case in CASES:
        if only and case["case"] not in only:
            continue
        case_dir = os.path.join(out, case["case"])
        os.makedirs(case_dir, exist_ok=True)
        keras.backend.clear_session()
        keras.utils.set_random_seed(case["seed"])
        tf.random.set_seed(case["seed"])
        model = build(keras, case)
        compile_model(keras, model, case)
        x_pred = fit_and_data(np, keras, model, case)
        model.save(os.path.join(case_dir, "keras3.keras"))
        with zipfile.ZipFile(os.path.join(case_dir, "keras3.keras")) as z:
            write_json(os.path.join(case_dir, "keras3.config.json"), json.loads(z.read("config.json")))
            write_json(os.path.join(case_dir, "keras3.metadata.json"), json.loads(z.read("metadata.json")))
            with h5py.File(io.BytesIO(z.read("model.weights.h5")), "r") as f:
                write_json(os.path.join(case_dir, "keras3.weights-tree.json"), h5_tree(f))
        named = modelc_weights(np, model)
        write_safetensors(os.path.join(case_dir, "weights.safetensors"), named)
        x_file = save_arrays(np, os.path.join(case_dir, "x"), x_pred)
        y = predict(np, model, case, x_pred)
        y_file = save_arrays(np, os.path.join(case_dir, "y.keras3"), y)
        np.savez(os.path.join(handoff, case["case"] + ".npz"),
                 **{f"w{i:03d}": w for i, w in enumerate(model.get_weights())})
        with open(os.path.join(case_dir, "spec.yaml"), "w") as f:
            f.write(spec_text(case))
        info = {
            "case": case["case"], "model": case["model"],
            "kind": "functional" if is_functional(case) else "sequential",
            "inputs": [{"name": n, "shape": s["shape"], "dtype": s["dtype"]} for n, s in case_inputs(case)],
            "outputs": output_names(case),
            "x": x_file, "y_keras3": y_file,
            "keras3_params": param_counts(np, model),
            "keras3_layer_params": {layer.name: int(layer.count_params()) for layer in model.layers},
            "modelc_weights": [name for name, _ in named],
            "compile": {"optimizer": {case["compile"]["optimizer"][0]: case["compile"]["optimizer"][1]},
                        **{k: v for k, v in case["compile"].items() if k != "optimizer"}},
            "fit": {"samples": FIT_SAMPLES, "batch_size": FIT_BATCH, "epochs": 1, "shuffle": False,
                    "data_seed": case["seed"]},
            "versions": {"keras": keras.__version__, "tensorflow": tf.__version__, "h5py": h5py.__version__,
                         "numpy": np.__version__},
        }
        write_json(os.path.join(case_dir, "case.json"), info)
    if not only or "refused" in only:
        refused_keras3(os.path.join(out, "refused"))


def refused_keras3(out):
    import h5py  # noqa: F401
    import keras
    import numpy as np

    os.makedirs(out, exist_ok=True)

    @keras.saving.register_keras_serializable(package="fixtures")
    class Doubling(keras.layers.Layer):
        """A custom layer class modelc cannot know: y = 2x."""
        def call(self, x):
            return x * 2.0

    L = keras.layers
    models = {
        "lambda": [L.Dense(2, name="dense"), L.Lambda(lambda t: t * 2.0, name="times_two")],
        "custom_layer": [L.Dense(2, name="dense"), Doubling(name="doubling")],
        "conv2d": [L.Reshape((2, 2, 1), name="reshape"), L.Conv2D(2, 2, name="conv2d"),
                   L.Flatten(name="flat")],
        "kernel_regularizer": [L.Dense(2, name="dense", kernel_regularizer=keras.regularizers.l2(0.01))],
    }
    rng = np.random.default_rng(7)
    for name, layers in models.items():
        keras.backend.clear_session()
        keras.utils.set_random_seed(7)
        model = keras.Sequential([keras.Input((4,))] + layers + [L.Dense(1, name="out")], name=name)
        model.compile(optimizer="adam", loss="mse")
        model.fit(rng.standard_normal((8, 4)).astype("f4"), rng.standard_normal((8, 1)).astype("f4"),
                  epochs=1, batch_size=FIT_BATCH, verbose=0)
        path = os.path.join(out, name + ".keras")
        model.save(path)
        with zipfile.ZipFile(path) as z:
            write_json(os.path.join(out, name + ".config.json"), json.loads(z.read("config.json")))


# ----------------------------------------------------------------------------------------------------
# tf_keras
# ----------------------------------------------------------------------------------------------------

def run_tf_keras(out, handoff, only):
    import h5py
    import numpy as np
    import tensorflow as tf
    import tf_keras

    quiet(tf)

    for case in CASES:
        if only and case["case"] not in only:
            continue
        case_dir = os.path.join(out, case["case"])
        tf_keras.backend.clear_session()
        tf_keras.utils.set_random_seed(case["seed"])
        tf.random.set_seed(case["seed"])
        model = build(tf_keras, case)
        compile_model(tf_keras, model, case)
        fit_and_data(np, tf_keras, model, case)  # the optimizer's slots exist after this
        with np.load(os.path.join(handoff, case["case"] + ".npz")) as z:
            weights = [z[k] for k in sorted(z.files)]
        model.set_weights(weights)  # the Keras 3 model's weights after its fit, so both files hold the same
        path = os.path.join(case_dir, "tf_keras.h5")
        model.save(path, save_format="h5")
        with h5py.File(path, "r") as f:
            write_json(os.path.join(case_dir, "tf_keras.h5-tree.json"), h5_tree(f))
        x_pred = load_arrays(np, case_dir, "x")
        if "only" in x_pred:
            x_pred = {case_inputs(case)[0][0]: x_pred["only"]}
        y = predict(np, model, case, x_pred)
        y_file = save_arrays(np, os.path.join(case_dir, "y.tf_keras"), y)
        y3 = load_arrays(np, case_dir, "y.keras3")
        if "only" in y3:
            y3 = {output_names(case)[0]: y3["only"]}
        info_path = os.path.join(case_dir, "case.json")
        with open(info_path) as f:
            info = json.load(f)
        info["y_tf_keras"] = y_file
        info["tf_keras_params"] = param_counts(np, model)
        info["max_abs_diff_keras3_tf_keras"] = float(max(np.max(np.abs(y[n] - y3[n])) for n in y))
        info["versions"]["tf_keras"] = tf_keras.__version__
        write_json(info_path, info)
    if not only or "refused" in only:
        refused_tf_keras(os.path.join(out, "refused"))


def refused_tf_keras(out):
    import numpy as np
    import tf_keras

    os.makedirs(out, exist_ok=True)
    tf_keras.backend.clear_session()
    tf_keras.utils.set_random_seed(7)
    L = tf_keras.layers
    model = tf_keras.Sequential([tf_keras.Input((4,)), L.Dense(2, name="dense"),
                                 L.Lambda(lambda t: t * 2.0, name="times_two"), L.Dense(1, name="out")],
                                name="lambda")
    model.compile(optimizer="adam", loss="mse")
    rng = np.random.default_rng(7)
    model.fit(rng.standard_normal((8, 4)).astype("f4"), rng.standard_normal((8, 1)).astype("f4"),
              epochs=1, batch_size=FIT_BATCH, verbose=0)
    model.save(os.path.join(out, "lambda.h5"), save_format="h5")


# ----------------------------------------------------------------------------------------------------
# Driver, table, and the optional check against a modelc binary
# ----------------------------------------------------------------------------------------------------

def table(out, only):
    rows = [("case", "kind", "params k3/tfk", "max|y3-ytfk|", "files", "KiB")]
    total = 0
    for case in CASES:
        if only and case["case"] not in only:
            continue
        case_dir = os.path.join(out, case["case"])
        with open(os.path.join(case_dir, "case.json")) as f:
            info = json.load(f)
        files = sorted(os.listdir(case_dir))
        size = sum(os.path.getsize(os.path.join(case_dir, n)) for n in files)
        total += size
        rows.append((case["case"], info["kind"],
                     f"{info['keras3_params']['total']}/{info['tf_keras_params']['total']}",
                     f"{info['max_abs_diff_keras3_tf_keras']:.2e}", str(len(files)), f"{size / 1024:.0f}"))
    refused = os.path.join(out, "refused")
    if os.path.isdir(refused):
        files = sorted(os.listdir(refused))
        size = sum(os.path.getsize(os.path.join(refused, n)) for n in files)
        total += size
        rows.append(("refused", "-", "-", "-", str(len(files)), f"{size / 1024:.0f}"))
        for name in files:
            rows.append(("", "", "", "", name, ""))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    print(f"total {total / 1024:.0f} KiB in {out}")


def check_modelc(binary, out, only):
    """Runs `modelc check`, `summary --format json` and `predict` on every case and compares with Keras."""
    import numpy as np
    failures = 0
    for case in CASES:
        if only and case["case"] not in only:
            continue
        case_dir = os.path.join(out, case["case"])
        spec = os.path.join(case_dir, "spec.yaml")
        with open(os.path.join(case_dir, "case.json")) as f:
            info = json.load(f)
        problems = []
        checked = subprocess.run([binary, "check", spec], capture_output=True, text=True)
        if checked.returncode != 0 or "0 errors, 0 warnings" not in checked.stdout:
            problems.append(f"check: exit {checked.returncode} {checked.stdout.strip()} {checked.stderr.strip()}")
        summary = subprocess.run([binary, "summary", spec, "--format", "json"], capture_output=True, text=True)
        if summary.returncode != 0:
            problems.append(f"summary: exit {summary.returncode} {summary.stderr.strip()}")
        else:
            got = json.loads(summary.stdout)
            totals = {k: got.get(k + "_params") for k in ("total", "trainable", "non_trainable")}
            if totals != info["keras3_params"]:
                problems.append(f"params: modelc {totals} keras {info['keras3_params']}")
            per_layer = {row["name"]: row["params"] for row in got["layers"]}
            if got["functional"]:  # Keras's functional model.layers holds its InputLayers
                per_layer.update({row["name"]: 0 for row in got["inputs"]})
            if per_layer != info["keras3_layer_params"]:
                problems.append(f"layer params: modelc {per_layer} keras {info['keras3_layer_params']}")
        with tempfile.TemporaryDirectory() as tmp:
            x = load_arrays(np, case_dir, "x")
            args = [binary, "predict", spec, "--weights", os.path.join(case_dir, "weights.safetensors")]
            for name, array in x.items():
                path = os.path.join(tmp, f"{name}.npy")
                np.save(path, array)
                args += ["--input", path if name == "only" else f"{name}={path}"]
            several = len(info["outputs"]) > 1
            y_path = os.path.join(tmp, "y.npz" if several else "y.npy")
            args += ["--output", y_path]
            run = subprocess.run(args, capture_output=True, text=True)
            diff = None
            if run.returncode != 0:
                problems.append(f"predict: exit {run.returncode} {run.stderr.strip()}")
            else:
                y3 = load_arrays(np, case_dir, "y.keras3")
                if several:
                    with np.load(y_path) as z:
                        got = {k: z[k] for k in z.files}
                else:
                    got = {"only": np.load(y_path)}
                if set(got) != set(y3):
                    problems.append(f"predict: outputs {sorted(got)} but keras {sorted(y3)}")
                else:
                    diff = max(float(np.max(np.abs(got[k].astype(np.float64) - y3[k]))) for k in y3)
                    if diff > 1e-5:
                        problems.append(f"predict: max |modelc - keras3| = {diff:.3g} > 1e-5")
        failures += bool(problems)
        status = "ok" if not problems else "FAIL"
        print(f"{case['case']:34} {status:4}  params {info['keras3_params']['total']:4}  "
              f"max|modelc-keras3| {'-' if diff is None else f'{diff:.2e}'}")
        for p in problems:
            print("    " + p)
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=DEFAULT_OUT)
    parser.add_argument("--backend", choices=["keras3", "tf_keras"])
    parser.add_argument("--handoff", help="folder where the Keras 3 pass leaves get_weights() for tf_keras")
    parser.add_argument("--only", nargs="*", help="case names (and/or 'refused') to make; default all")
    parser.add_argument("--check-modelc", metavar="MODELC", help="compare a modelc binary with the fixtures")
    args = parser.parse_args()
    out = os.path.abspath(args.out)
    only = set(args.only or [])
    if args.check_modelc:
        sys.exit(1 if check_modelc(args.check_modelc, out, only) else 0)
    if args.backend == "keras3":
        return run_keras3(out, args.handoff, only)
    if args.backend == "tf_keras":
        return run_tf_keras(out, args.handoff, only)

    # Both passes, each in its own process: tf_keras needs TF_USE_LEGACY_KERAS=1 before TensorFlow loads.
    os.makedirs(out, exist_ok=True)
    for name in [c["case"] for c in CASES] + ["refused"]:
        if (not only or name in only) and os.path.isdir(os.path.join(out, name)):
            shutil.rmtree(os.path.join(out, name))  # no stale files from an earlier run
    with tempfile.TemporaryDirectory() as handoff:
        for backend, legacy in (("keras3", "0"), ("tf_keras", "1")):
            env = dict(os.environ, TF_USE_LEGACY_KERAS=legacy, KERAS_BACKEND="tensorflow")
            command = [sys.executable, os.path.abspath(__file__), "--backend", backend, "--out", out,
                       "--handoff", handoff]
            if only:
                command += ["--only", *sorted(only)]
            subprocess.run(command, env=env, check=True)
    table(out, only)


if __name__ == "__main__":
    main()
