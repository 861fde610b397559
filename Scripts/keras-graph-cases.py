#!/usr/bin/env python3
"""Generates Keras reference cases for functional (graph) models, in the formats of the shared sample's
graph-summary/, graph-forward/ and graph-train/ folders (see shared/keras-cases/README.md).

Needs Keras 2 (tf_keras) on TensorFlow; Scripts/keras-graph-cases.sh makes such a virtual environment
outside the repository (../keras-venv) and runs this script with it.

    python Scripts/keras-graph-cases.py OUTDIR [--count N] [--seed S] [--kinds summary,forward,train]
    python Scripts/keras-graph-cases.py --check SAMPLE_DIR

OUTDIR/graph-summary/caseNNN.{yaml,txt,json}, OUTDIR/graph-forward/caseNNN.{yaml,safetensors,x.npz,y.npz}
and OUTDIR/graph-train/caseNNN.{yaml,init.safetensors,x.npz,y.npz,json,after.safetensors}: N cases of each
kind (default 30). Every case is a random functional model that was built, summarised and run (predict or
fit) by Keras without error; invalid random draws are discarded and drawn again. The same seed and count
give the same cases.

--check SAMPLE_DIR rebuilds every case of a sample folder (such as shared/keras-cases) with this script's
own model builder, weight naming and summary capture, and compares with what the sample stored: summary
text and JSON, predictions from the stored weights, and training from the stored initial weights.
"""
import argparse
import collections
import json
import os
import re
import struct
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf_keras as keras  # noqa: E402

tf.get_logger().setLevel("ERROR")
L = keras.layers

MERGES = ("Concatenate", "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Dot")
RECURRENT = ("SimpleRNN", "LSTM", "GRU")
WRAPPERS = ("Bidirectional", "TimeDistributed")


class Invalid(Exception):
    """A random draw that Keras (or this generator's own limits) refuses; the case is drawn again."""


# ----------------------------------------------------------------------------------------------------
# YAML: writing the spec in the samples' style, and reading that style back (for --check)
# ----------------------------------------------------------------------------------------------------

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# words a YAML 1.2 reader takes for booleans or null, and those a YAML 1.1 reader would (quoted for both)
_YAML_WORDS = {"true", "false", "null", "yes", "no", "on", "off", "~"}


def yaml_scalar(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        text = repr(float(v))
        return text if re.search(r"[.eE]", text) else text + ".0"
    s = str(v)
    if _PLAIN.match(s) and s.lower() not in _YAML_WORDS:
        return s
    return "'" + s.replace("'", "''") + "'"


def yaml_flow(v):
    if isinstance(v, dict):
        return "{" + ", ".join(f"{yaml_scalar(k)}: {yaml_flow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(yaml_flow(x) for x in v) + "]"
    return yaml_scalar(v)


def parse_flow(text):
    """Reads one YAML flow value of the kind the samples use (mappings, lists, plain or quoted scalars)."""
    pos = 0

    def skip():
        nonlocal pos
        while pos < len(text) and text[pos] in " \t":
            pos += 1

    def scalar(raw):
        if re.fullmatch(r"[-+]?[0-9]+", raw):
            return int(raw)
        if re.fullmatch(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?", raw):
            return float(raw)
        if raw in ("true", "True", "TRUE"):
            return True
        if raw in ("false", "False", "FALSE"):
            return False
        if raw in ("null", "Null", "NULL", "~", ""):
            return None
        return raw

    def value():
        nonlocal pos
        skip()
        c = text[pos]
        if c == "{":
            pos += 1
            out = {}
            skip()
            if text[pos] == "}":
                pos += 1
                return out
            while True:
                k = value()
                skip()
                assert text[pos] == ":", text
                pos += 1
                out[k] = value()
                skip()
                if text[pos] == ",":
                    pos += 1
                    continue
                assert text[pos] == "}", text
                pos += 1
                return out
        if c == "[":
            pos += 1
            out = []
            skip()
            if text[pos] == "]":
                pos += 1
                return out
            while True:
                out.append(value())
                skip()
                if text[pos] == ",":
                    pos += 1
                    continue
                assert text[pos] == "]", text
                pos += 1
                return out
        if c in "'\"":
            q = c
            pos += 1
            buf = ""
            while True:
                if text[pos] == q:
                    if q == "'" and pos + 1 < len(text) and text[pos + 1] == "'":
                        buf += "'"
                        pos += 2
                        continue
                    pos += 1
                    return buf
                if q == '"' and text[pos] == "\\":
                    buf += text[pos + 1]
                    pos += 2
                    continue
                buf += text[pos]
                pos += 1
        start = pos
        while pos < len(text) and text[pos] not in ",]}" and not (
            text[pos] == ":" and (pos + 1 == len(text) or text[pos + 1] in " \t")
        ):
            pos += 1
        return scalar(text[start:pos].strip())

    v = value()
    skip()
    assert pos == len(text), f"trailing text in {text!r}"
    return v


def read_spec_yaml(path):
    """Parses a graph spec written in the samples' form into (name, [(input, shape)], [entries], outputs)."""
    name, inputs, entries, outputs = None, [], [], []
    section = None
    for line in open(path, encoding="utf-8").read().splitlines():
        line = re.sub(r"\s+#.*$", "", line)
        if not line.strip():
            continue
        if not line.startswith(" "):
            key, _, rest = line.partition(":")
            rest = rest.strip()
            section = key
            if key == "name":
                name = str(parse_flow(rest))
            elif key == "outputs":
                outputs = [str(o) for o in parse_flow(rest)]
            continue
        if section == "inputs":
            key, _, rest = line.strip().partition(": ")
            inputs.append((str(parse_flow(key)), [int(d) for d in parse_flow(rest)]))
        elif section == "layers":
            cls, _, rest = line.strip()[2:].partition(":")
            args = parse_flow(rest.strip()) if rest.strip() else None
            entries.append((cls.strip(), dict(args or {})))
    return name, inputs, entries, outputs


# ----------------------------------------------------------------------------------------------------
# Keras: layers from keyword arguments, weights under the modelc names, summary capture
# ----------------------------------------------------------------------------------------------------

def keras_layer(cls, args, name=None):
    """Creates a Keras layer from its keyword-form arguments (wrapped layers first, without a name)."""
    kw = dict(args)
    if cls in WRAPPERS:
        (inner_cls, inner_args), = kw.pop("layer").items()
        inner = keras_layer(inner_cls, inner_args or {})
        if name is not None:
            kw["name"] = name
        return getattr(L, cls)(inner, **kw)
    if "target_shape" in kw:
        kw["target_shape"] = tuple(kw["target_shape"])
    if cls == "Dot" and isinstance(kw.get("axes"), list):
        kw["axes"] = tuple(kw["axes"])
    if name is not None:
        kw["name"] = name
    return getattr(L, cls)(**kw)


def short_weight_name(variable):
    return variable.name.split("/")[-1].split(":")[0]


def model_weights(model):
    """(modelc name, variable) for every weight: `<layer>/<weight>`, Bidirectional `<layer>/forward/<w>`."""
    out = []
    for layer in model.layers:
        if isinstance(layer, L.InputLayer):
            continue
        if isinstance(layer, L.Bidirectional):
            for side, sub in (("forward", layer.forward_layer), ("backward", layer.backward_layer)):
                out += [(f"{layer.name}/{side}/{short_weight_name(v)}", v) for v in sub.weights]
        else:
            out += [(f"{layer.name}/{short_weight_name(v)}", v) for v in layer.weights]
    names = [n for n, _ in out]
    if len(set(names)) != len(names):
        raise Invalid("two weights with one name")
    return out


def write_safetensors(path, items):
    header, blobs, offset = {}, [], 0
    for name, array in items:
        a = np.ascontiguousarray(np.asarray(array, dtype="<f4"))
        b = a.tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def read_safetensors(path):
    b = open(path, "rb").read()
    n = struct.unpack("<Q", b[:8])[0]
    header = json.loads(b[8:8 + n])
    out = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        s, e = v["data_offsets"]
        out[k] = np.frombuffer(b[8 + n + s:8 + n + e], "<f4").reshape(v["shape"])
    return out


_TOTALS = re.compile(r"^(Total params|Trainable params|Non-trainable params): (\d+)(?: \(.*\))?$")


def summary_facts(model):
    """The summary text in the seed form, the raw totals lines, the layout and the JSON rows."""
    lines = []
    model.summary(print_fn=lambda line, *a, **k: lines.append(line))
    raw, text, totals = [], [], []
    for line in lines:
        m = _TOTALS.match(line)
        if m:
            raw.append(line)
            totals.append(int(m.group(2)))
            line = f"{m.group(1)}: {int(m.group(2)):,}"
        text.append(line)
    if len(raw) != 3:
        raise Invalid("unexpected summary totals")
    layout = "sequential-like" if lines[1] == "_" * 65 else "functional"
    relevant = []
    for v in model._nodes_by_depth.values():
        relevant += v
    rows = []
    for layer in model.layers:
        connections = []
        for node in layer._inbound_nodes:
            if relevant and node not in relevant:
                continue
            for inbound_layer, node_index, tensor_index, _ in node.iterate_inbound():
                connections.append(f"{inbound_layer.name}[{node_index}][{tensor_index}]")
        rows.append({"name": layer.name, "type": layer.__class__.__name__, "shape": str(layer.output_shape),
                     "params": layer.count_params(), "connected_to": connections})
    return "\n".join(text) + "\n", raw, layout, rows, totals


def summary_json(model, outputs):
    text, raw, layout, rows, totals = summary_facts(model)
    doc = {"model": model.name, "layout": layout, "rows": rows, "total": totals[0], "trainable": totals[1],
           "non_trainable": totals[2], "outputs": list(outputs), "keras_totals_raw": raw}
    return text, doc


def build_from_entries(model_name, inputs, entries, outputs):
    """Builds a functional model from spec entries in spec order.

    inputs: [(name, shape, is_ids)] in the model's input order; entries: [(cls, args, explicit name or None,
    [references])] where a reference is an input name or an earlier entry's final name, or an int index of
    an earlier entry; outputs are references too. Returns (model, final names of the entries)."""
    tensors = {}
    input_tensors = []
    for name, shape, is_ids in inputs:
        t = keras.Input(shape=tuple(shape), name=name, dtype="int32" if is_ids else "float32")
        tensors[name] = t
        input_tensors.append(t)
    finals = []
    for i, (cls, args, explicit, refs) in enumerate(entries):
        layer = keras_layer(cls, args, explicit)
        ins = [tensors[finals[r]] if isinstance(r, int) else tensors[r] for r in refs]
        tensors[layer.name] = layer(ins if cls in MERGES else ins[0])
        finals.append(layer.name)
    all_names = [n for n, _, _ in inputs] + finals
    if len(set(all_names)) != len(all_names):
        raise Invalid("duplicate layer names")
    outs = [tensors[finals[o]] if isinstance(o, int) else tensors[o] for o in outputs]
    model = keras.Model(inputs=input_tensors, outputs=outs, name=model_name)
    return model, finals


def optimizer_from(spec):
    (cls, args), = spec.items()
    return getattr(keras.optimizers, cls)(**args)


def as_list(v):
    return v if isinstance(v, list) else [v]


# ----------------------------------------------------------------------------------------------------
# Random graphs
# ----------------------------------------------------------------------------------------------------

UNITS = [1, 2, 3, 4, 5, 6, 8, 10, 16, 24, 32, 64]
RNN_UNITS = [1, 2, 3, 4, 8, 10, 16, 32]
FILTERS = [1, 2, 4, 8, 16, 32]
ACTS = [(None, 30), ("linear", 6), ("relu", 12), ("tanh", 10), ("sigmoid", 8), ("softmax", 4), ("selu", 5),
        ("elu", 4), ("gelu", 4), ("swish", 4), ("softplus", 4), ("softsign", 2), ("hard_sigmoid", 2)]
LAYER_ACTS = ["relu", "tanh", "sigmoid", "softmax", "elu", "selu", "gelu", "swish", "softplus", "softsign",
              "hard_sigmoid", "linear"]
MODEL_NAMES = [("model", 30), ("model_1", 8), ("functional_1", 8), ("graph", 6), ("model_a", 6),
               ("two_tower", 4), ("multi_input_net", 4), ("sentiment_and_rating", 4),
               ("a_model_with_a_rather_long_name_for_the_summary", 5), ("functional", 3),
               ("encoder_decoder_with_auxiliary_heads_v2", 3), ("true", 0.5), ("null", 0.5), ("2024", 0.5),
               ("my model", 0.5), ("model: v2", 0.5)]
LAYER_NAMES = ["seq_enc", "skip", "gate", "reg", "rating", "pool", "aux", "cls", "out", "head", "hidden",
               "enc", "feat", "x1", "x2", "mix", "trunk", "side", "right", "left", "joint", "merged", "score",
               "label", "proj_a", "proj_b", "vec_enc", "attention_scores", "block2_dense", "ctx", "emb",
               "residual", "tower_a", "tower_b", "fusion", "logits",
               "classification_head_output", "regression_head_with_a_long_name",
               "shared_sequence_encoder_output", "a_rather_long_projection_name",
               "very_long_intermediate_representation", "lstm_5", "dense_9", "concatenate_3", "add_2",
               "conv1d_4", "dot_7", "gru_3", "block.1", "layer-2", "yes", "null", "true", "007"]
HEAD_NAMES = ["out", "head", "reg", "cls", "aux", "label", "rating", "score", "logits",
              "classification_head_output", "regression_head_with_a_long_name"]
IDS_NAMES = ["tokens", "words", "chars", "query_ids", "review_text_token_ids", "token_ids_of_the_document"]
SEQ_NAMES = ["feats", "frames", "series", "signal", "sensor_sequence_readings", "audio_frames_per_window"]
VEC_NAMES = ["stats", "side_info", "numeric", "auxiliary_numeric_features", "dense_features"]


class Node:
    def __init__(self, nid, cls, args, inputs, shape, is_ids=False):
        self.id, self.cls, self.args, self.inputs, self.shape, self.is_ids = nid, cls, args, inputs, shape, is_ids
        self.explicit = None
        self.vocab = None  # for id inputs: the smallest input_dim of the Embeddings reading them

    @property
    def is_input(self):
        return self.cls == "Input"


class Draw:
    """One random functional model, drawn with Keras checking every layer as it is added."""

    def __init__(self, rng, kind):
        self.rng, self.kind = rng, kind
        self.train = kind == "train"
        self.nodes, self.tensors = [], {}

    # -- random helpers ---------------------------------------------------------------------------------
    def p(self, prob):
        return self.rng.random() < prob

    def pick(self, items):
        return items[int(self.rng.integers(len(items)))]

    def wpick(self, pairs):
        w = np.array([x[1] for x in pairs], dtype=float)
        return pairs[int(self.rng.choice(len(pairs), p=w / w.sum()))][0]

    def act(self, args, key="activation", allow_softmax=True):
        a = self.wpick(ACTS)
        if a == "softmax" and not allow_softmax:
            a = "tanh"
        if a is not None:
            args[key] = a

    # -- graph building -------------------------------------------------------------------------------
    def add_input(self, shape, is_ids):
        nid = len(self.nodes)
        node = Node(nid, "Input", {}, [], tuple(shape), is_ids)
        self.nodes.append(node)
        self.tensors[nid] = keras.Input(shape=tuple(shape), dtype="int32" if is_ids else "float32")
        return nid

    def add(self, cls, args, inputs):
        inputs = as_list(inputs)
        for i in inputs:
            if self.nodes[i].is_ids and cls != "Embedding":
                raise Invalid("token ids only feed an Embedding")
        try:
            layer = keras_layer(cls, args)
            ins = [self.tensors[i] for i in inputs]
            t = layer(ins if cls in MERGES else ins[0])
        except Exception as e:  # noqa: BLE001 - any refusal by Keras makes the draw invalid
            raise Invalid(f"{cls}: {e}") from None
        shape = tuple(t.shape[1:])
        if any(d is None or d < 1 for d in shape):
            raise Invalid(f"{cls} gives shape {shape}")
        if int(np.prod(shape)) > 20000:
            raise Invalid("too large an activation")
        nid = len(self.nodes)
        self.nodes.append(Node(nid, cls, args, inputs, shape))
        self.tensors[nid] = t
        return nid

    def shape(self, x):
        return self.nodes[x].shape

    def kind_of(self, x):
        n = self.nodes[x]
        if n.is_ids:
            return "ids"
        return "seq" if len(n.shape) == 2 else "vec"

    # -- layer factories ------------------------------------------------------------------------------
    def dense(self, x, units=None, act=True):
        args = {"units": units if units is not None else self.pick(UNITS)}
        if act:
            self.act(args, allow_softmax=args["units"] > 1)
        if self.p(0.08):
            args["use_bias"] = False
        if self.p(0.04):
            args["trainable"] = False
        return self.add("Dense", args, x)

    def rnn_args(self, cls, units, return_sequences, timesteps):
        args = {"units": units}
        if return_sequences:
            args["return_sequences"] = True
        elif self.p(0.1):
            args["return_sequences"] = False
        if self.p(0.15):
            args["activation"] = "relu" if timesteps <= 21 and self.p(0.4) else "tanh"
        if self.p(0.08):
            args["use_bias"] = False
        if not self.train and self.p(0.25):
            args["dropout"] = self.pick([0.1, 0.2, 0.3])
        if not self.train and self.p(0.2):
            args["recurrent_dropout"] = self.pick([0.1, 0.2])
        if cls == "GRU":
            r = self.rng.random()
            if r < 0.3:
                args["reset_after"] = False
            elif r < 0.55:
                args["reset_after"] = True
        if cls == "LSTM" and self.p(0.05):
            args["unit_forget_bias"] = False
        if self.p(0.05):
            args["go_backwards"] = True
        return args

    def rnn(self, x, return_sequences, units=None):
        cls = self.pick(RECURRENT)
        units = units if units is not None else self.pick(RNN_UNITS)
        args = self.rnn_args(cls, units, return_sequences, self.shape(x)[0])
        if self.p(0.03):
            args["trainable"] = False
        return self.add(cls, args, x)

    def bidirectional(self, x, return_sequences, units=None, merge_mode=None):
        cls = self.pick(RECURRENT)
        if merge_mode is None:
            merge_mode = self.wpick([(None, 35), ("concat", 15), ("sum", 17), ("mul", 16), ("ave", 17)])
        if units is None:
            units = self.pick(RNN_UNITS)
        inner = self.rnn_args(cls, units, return_sequences, self.shape(x)[0])
        args = {"layer": {cls: inner}}
        if merge_mode is not None:
            args["merge_mode"] = merge_mode
        return self.add("Bidirectional", args, x)

    def time_distributed(self, x, units=None):
        inner = {"units": units if units is not None else self.pick(UNITS)}
        self.act(inner, allow_softmax=inner["units"] > 1)
        if self.p(0.1):
            inner["use_bias"] = False
        return self.add("TimeDistributed", {"layer": {"Dense": inner}}, x)

    def conv1d(self, x, filters=None, keep_len=False):
        T = self.shape(x)[0]
        args = {"filters": filters if filters is not None else self.pick(FILTERS),
                "kernel_size": self.pick([1, 1, 2, 3, 3, 5])}
        if keep_len:
            if args["kernel_size"] > 1:
                args["padding"] = self.pick(["same", "same", "causal"])
            elif self.p(0.3):
                args["padding"] = self.pick(["valid", "same"])
        else:
            if self.p(0.25) and T >= 4:
                args["strides"] = 2
            pad = self.wpick([(None, 35), ("valid", 15), ("same", 40), ("causal", 10)])
            if pad is not None:
                args["padding"] = pad
            if "strides" not in args and args["kernel_size"] > 1 and self.p(0.1):
                args["dilation_rate"] = 2
        if keep_len and args["kernel_size"] > 1 and self.p(0.1):
            args["dilation_rate"] = 2
        self.act(args)
        if self.p(0.08):
            args["use_bias"] = False
        return self.add("Conv1D", args, x)

    def pooling(self, x):
        cls = self.pick(["MaxPooling1D", "AveragePooling1D"])
        args = {"pool_size": self.pick([2, 2, 3])}
        if self.p(0.2):
            args["strides"] = self.pick([1, 2])
        if self.p(0.25):
            args["padding"] = self.pick(["same", "valid"])
        return self.add(cls, args, x)

    def norm(self, x):
        if self.p(0.5):
            args = {}
            if self.p(0.2):
                args["momentum"] = self.pick([0.9, 0.8, 0.5])
            if self.p(0.1):
                args["epsilon"] = self.pick([0.01, 1e-05])
            if self.p(0.06):
                args["center"] = False
            if self.p(0.06):
                args["scale"] = False
            if self.p(0.05) and len(self.shape(x)) == 2:
                args["axis"] = 1
            if self.p(0.04):
                args["trainable"] = False
            return self.add("BatchNormalization", args, x)
        args = {}
        if self.p(0.1):
            args["epsilon"] = self.pick([1e-06, 0.01])
        if self.p(0.06):
            args["center"] = False
        if self.p(0.06):
            args["scale"] = False
        if self.p(0.06) and len(self.shape(x)) == 2:
            args["axis"] = self.pick([[1, 2], 1])
        return self.add("LayerNormalization", args, x)

    def activation(self, x):
        return self.add("Activation", {"activation": self.pick(LAYER_ACTS)}, x)

    def dropout(self, x, spatial=False):
        rate = self.pick([0.1, 0.2, 0.25, 0.3, 0.5])
        return self.add("SpatialDropout1D" if spatial else "Dropout", {"rate": rate}, x)

    # -- transitions ----------------------------------------------------------------------------------
    def seq_to_seq(self, x, keep_len=False):
        T, F = self.shape(x)
        options = [("dense", 14), ("td", 7), ("conv", 10), ("rnn", 8), ("bi", 6), ("norm", 8), ("act", 5)]
        if not self.train:
            options += [("dropout", 3), ("spatial", 3)]
        if not keep_len:
            options += [("pool", 6 if T >= 2 else 0), ("reshape", 3)]
        op = self.wpick(options)
        if op == "dense":
            return self.dense(x)
        if op == "td":
            return self.time_distributed(x)
        if op == "conv":
            return self.conv1d(x, keep_len=keep_len)
        if op == "rnn":
            return self.rnn(x, True)
        if op == "bi":
            return self.bidirectional(x, True)
        if op == "norm":
            return self.norm(x)
        if op == "act":
            return self.activation(x)
        if op == "dropout":
            return self.dropout(x)
        if op == "spatial":
            return self.dropout(x, spatial=True)
        if op == "pool":
            return self.pooling(x)
        # reshape (T, F) to another sequence of the same size
        n = T * F
        choices = [[F, T]] + [[n // k, k] for k in (2, 4, 8) if n % k == 0 and n // k > 1 and k != F]
        target = self.pick(choices)
        if self.p(0.2):
            target = [-1, target[1]]
        return self.add("Reshape", {"target_shape": target}, x)

    def seq_to_vec(self, x):
        T, F = self.shape(x)
        options = [("gmax", 10), ("gavg", 10), ("rnn", 10), ("bi", 7), ("flatten", 8 if T * F <= 4096 else 0),
                   ("reshape", 2 if T * F <= 4096 else 0)]
        op = self.wpick(options)
        if op == "gmax" or op == "gavg":
            return self.add("GlobalMaxPooling1D" if op == "gmax" else "GlobalAveragePooling1D", {}, x)
        if op == "rnn":
            return self.rnn(x, False)
        if op == "bi":
            return self.bidirectional(x, False)
        if op == "flatten":
            return self.add("Flatten", {}, x)
        return self.add("Reshape", {"target_shape": [-1] if self.p(0.3) else [T * F]}, x)

    def vec_to_vec(self, x):
        options = [("dense", 20), ("norm", 6), ("act", 4), ("flatten", 1)]
        if not self.train:
            options.append(("dropout", 4))
        op = self.wpick(options)
        if op == "dense":
            return self.dense(x)
        if op == "norm":
            return self.norm(x)
        if op == "act":
            return self.activation(x)
        if op == "flatten":
            return self.add("Flatten", {}, x)
        return self.dropout(x)

    def vec_to_seq(self, x):
        (F,) = self.shape(x)
        splits = [[a, F // a] for a in (2, 3, 4, 5, 8) if F % a == 0 and F // a > 1]
        if splits and self.p(0.35):
            target = self.pick(splits)
            if self.p(0.2):
                target = [target[0], -1]
            return self.add("Reshape", {"target_shape": target}, x)
        return self.add("RepeatVector", {"n": self.pick([2, 3, 4, 5])}, x)

    def embedding(self, x):
        vocab = self.wpick([(50, 3), (100, 1), (500, 4), (1000, 3), (10000, 1)])
        node = self.nodes[x]
        node.vocab = vocab if node.vocab is None else min(node.vocab, vocab)
        return self.add("Embedding", {"input_dim": vocab, "output_dim": self.pick([4, 8, 16, 32])}, x)

    def step(self, x, keep_kind=False):
        k = self.kind_of(x)
        if k == "ids":
            return self.embedding(x)
        if k == "seq":
            if keep_kind or self.p(0.62):
                return self.seq_to_seq(x, keep_len=keep_kind)
            return self.seq_to_vec(x)
        if keep_kind or self.p(0.87):
            return self.vec_to_vec(x)
        return self.vec_to_seq(x)

    def grow(self, x, n, keep_kind=False):
        for _ in range(n):
            x = self.step(x, keep_kind)
        return x

    def to_vec(self, x):
        return self.seq_to_vec(x) if self.kind_of(x) == "seq" else x

    def width(self, x):
        return self.shape(x)[-1]

    def to_width(self, x, W):
        """Projects x to last-axis width W, keeping its kind (and a sequence's length)."""
        if self.kind_of(x) == "vec":
            return self.dense(x, W)
        op = self.wpick([("dense", 40), ("td", 18), ("conv", 20), ("rnn", 10), ("bi", 12)])
        if op == "dense":
            return self.dense(x, W)
        if op == "td":
            return self.time_distributed(x, W)
        if op == "conv":
            return self.conv1d(x, W, keep_len=True)
        if op == "rnn":
            return self.rnn(x, True, units=W)
        if W % 2 == 0 and self.p(0.4):
            return self.bidirectional(x, True, units=W // 2, merge_mode=self.pick([None, "concat"]))
        return self.bidirectional(x, True, units=W, merge_mode=self.pick(["sum", "mul", "ave"]))

    # -- merges ---------------------------------------------------------------------------------------
    def elementwise(self, cls, xs):
        seq_T = {self.shape(x)[0] for x in xs if self.kind_of(x) == "seq"}
        mode = "seq" if len(seq_T) == 1 and self.p(0.6) else "vec"
        if mode == "seq":
            T = seq_T.pop()
            xs = [self.add("RepeatVector", {"n": T}, x) if self.kind_of(x) == "vec" else x for x in xs]
        else:
            xs = [self.to_vec(x) for x in xs]
        widths = [self.width(x) for x in xs]
        if len(set(widths)) > 1 or self.p(0.4):
            W = self.pick(widths) if self.p(0.5) else self.pick(UNITS[1:])
            xs = [self.to_width(x, W) if (self.width(x) != W or self.p(0.25)) else x for x in xs]
        args = {}
        return self.add(cls, args, xs)

    def concatenate(self, xs):
        kinds = {self.kind_of(x) for x in xs}
        args = {}
        seq_T = {self.shape(x)[0] for x in xs if self.kind_of(x) == "seq"}
        if kinds == {"seq", "vec"} and len(seq_T) == 1 and self.p(0.4):
            T = seq_T.pop()
            xs = [self.add("RepeatVector", {"n": T}, x) if self.kind_of(x) == "vec" else x for x in xs]
            kinds = {"seq"}
        if kinds == {"seq"} and self.p(0.75):
            Ts = {self.shape(x)[0] for x in xs}
            if len(Ts) > 1 or self.p(0.35):
                # along the time axis: equal feature widths
                args["axis"] = self.pick([1, 1, -2])
                widths = [self.width(x) for x in xs]
                if len(set(widths)) > 1:
                    W = self.pick(widths)
                    xs = [self.to_width(x, W) if self.width(x) != W else x for x in xs]
            else:
                a = self.wpick([(None, 60), (-1, 25), (2, 15)])
                if a is not None:
                    args["axis"] = a
        else:
            xs = [self.to_vec(x) for x in xs]
            a = self.wpick([(None, 65), (-1, 20), (1, 15)])
            if a is not None:
                args["axis"] = a
        return self.add("Concatenate", args, xs)

    def dot(self, xs):
        a, b = xs
        args = {}
        ka, kb = self.kind_of(a), self.kind_of(b)
        if {ka, kb} == {"seq", "vec"} and self.p(0.45):
            # repeat the vector along the sequence's time axis to dot two sequences
            T = self.shape(a if ka == "seq" else b)[0]
            a, b = [self.add("RepeatVector", {"n": T}, x) if self.kind_of(x) == "vec" else x for x in (a, b)]
        if self.kind_of(a) == "seq" and self.kind_of(b) == "seq" and self.p(0.85):
            (Ta, Fa), (Tb, Fb) = self.shape(a), self.shape(b)
            mode = self.wpick([("last", 5), ("time", 3 if Ta == Tb else 0), ("cross", 2)])
            if mode == "last":
                if Fa != Fb or self.p(0.3):
                    W = self.pick([Fa, Fb, self.pick([2, 4, 8, 16])])
                    a = a if Fa == W and self.p(0.5) else self.to_width(a, W)
                    b = b if Fb == W and self.p(0.5) else self.to_width(b, W)
                args["axes"] = self.pick([2, -1, [2, 2], [-1, -1], [2, -1]])
            elif mode == "time":
                args["axes"] = self.pick([1, [1, 1]])
            else:
                b = self.to_width(b, Ta)  # b: (Tb, Ta)
                args["axes"] = self.pick([[1, 2], [1, -1]])
        else:
            a, b = self.to_vec(a), self.to_vec(b)
            wa, wb = self.width(a), self.width(b)
            if wa != wb or self.p(0.3):
                W = self.pick([wa, wb, self.pick(UNITS[2:])])
                a = a if wa == W and self.p(0.5) else self.dense(a, W)
                b = b if wb == W and self.p(0.5) else self.dense(b, W)
            args["axes"] = self.pick([1, 1, -1, [1, 1], [-1, -1]])
        r = self.rng.random()
        if r < 0.35:
            args["normalize"] = True
        elif r < 0.6:
            args["normalize"] = False
        return self.add("Dot", args, [a, b])

    def merge(self, cls, xs):
        if cls == "Dot":
            return self.dot(xs)
        if cls == "Concatenate":
            return self.concatenate(xs)
        return self.elementwise(cls, xs)

    def pick_merge(self):
        return self.wpick([("Concatenate", 20), ("Add", 17), ("Subtract", 10), ("Multiply", 11), ("Average", 10),
                           ("Maximum", 9), ("Minimum", 9), ("Dot", 14)])

    def residual(self, x):
        """A fork that merges again: two routes from x projected to one width, then (mostly) Add."""
        W = self.width(x) if self.p(0.5) else self.pick(UNITS[1:])
        route_a = self.grow(x, int(self.rng.integers(0, 2)), keep_kind=True)
        if route_a == x and self.width(x) == W and self.p(0.6) and not self.nodes[x].is_input:
            a = x
        else:
            a = self.to_width(route_a, W)
        b = self.to_width(self.grow(x, int(self.rng.integers(1, 3)), keep_kind=True), W)
        cls = self.wpick([("Add", 70), ("Average", 6), ("Multiply", 6), ("Maximum", 6), ("Minimum", 5),
                          ("Subtract", 7)])
        pair = [a, b] if self.p(0.5) else [b, a]
        if cls != "Subtract" and self.p(0.15):
            pair.append(self.to_width(self.grow(x, 1, keep_kind=True), W))
        return self.add(cls, {}, pair)

    def seq_fork_merge(self, x):
        """A sequence forked into two routes that keep its length, merged again by a 3-D Dot or Concatenate."""
        a = self.grow(x, int(self.rng.integers(0 if not self.nodes[x].is_input else 1, 2)), keep_kind=True)
        b = self.grow(x, int(self.rng.integers(1, 3)), keep_kind=True)
        if a == b:
            b = self.step(b, keep_kind=True)
        pair = [a, b] if self.p(0.5) else [b, a]
        if self.p(0.6):
            return self.dot(pair)
        return self.concatenate(pair)

    def fork(self, x):
        if self.kind_of(x) == "seq" and self.p(0.35):
            return self.seq_fork_merge(x)
        return self.residual(x)

    def head(self, x):
        if self.kind_of(x) == "seq" and self.p(0.55):
            x = self.seq_to_vec(x)
        role = self.wpick([("bin", 35), ("cat", 30), ("reg", 35)])
        if role == "bin":
            return self.add("Dense", {"units": 1, "activation": "sigmoid"}, x)
        if role == "cat":
            return self.add("Dense", {"units": self.pick([2, 3, 4, 5, 10]), "activation": "softmax"}, x)
        args = {"units": self.pick([1, 2, 3, 4, 5, 10])}
        a = self.wpick([(None, 50), ("linear", 15), ("relu", 15), ("tanh", 20)])
        if a:
            args["activation"] = a
        return self.add("Dense", args, x)

    # -- the whole graph ------------------------------------------------------------------------------
    def draw(self):
        rng = self.rng
        n_in = self.wpick([(1, 42), (2, 38), (3, 20)])
        n_out = self.wpick([(1, 45), (2, 35), (3, 20)])
        shared_T = self.pick([3, 4, 10, 20, 21]) if self.p(0.5) else None
        kinds = [self.wpick([("ids", 35), ("seq", 40), ("vec", 25)]) for _ in range(n_in)]
        order = list(range(n_in))  # the order inputs are created in is not the model's input order
        xs = []
        for k in kinds:
            if k == "ids":
                shape = [shared_T if shared_T and self.p(0.5) else self.pick([3, 5, 10, 20, 21, 50, 100])]
            elif k == "seq":
                T = shared_T if shared_T and self.p(0.7) else self.pick([3, 4, 10, 20, 21, 100])
                shape = [T, self.pick([1, 2, 6, 8])]
            else:
                shape = [self.pick([3, 4, 5, 8])]
            xs.append(self.add_input(shape, k == "ids"))
        self.input_ids = xs
        outputs = []
        chain = n_in == 1 and self.p(0.35)
        if chain:
            x = self.grow(xs[0], int(rng.integers(2, 7)))
            mids = [n.id for n in self.nodes if not n.is_input and n.id != x]
            if self.p(0.4):
                x = self.head(x)
            outputs.append(x)
            extra = int(rng.integers(0, 3)) if mids else 0
            for m in rng.permutation(mids)[:min(extra, n_out - 1 if n_out > 1 else extra)]:
                outputs.append(int(m))
        else:
            branches = []
            for x in xs:
                b = x
                if self.kind_of(b) == "ids":
                    b = self.embedding(b)
                b = self.grow(b, int(rng.integers(0, 3)))
                if self.p(0.2):
                    b = self.fork(b)
                branches.append(b)
            if n_in == 1:
                if self.p(0.5):
                    branches = [self.fork(branches[0])]
                else:
                    root = branches[0]
                    b1 = self.grow(root, int(rng.integers(1, 3)))
                    b2 = self.grow(root, int(rng.integers(0 if not self.nodes[root].is_input else 1, 3)))
                    branches = [b1, b2] if b1 != b2 else [b1]
            while len(branches) > 1:
                if len(outputs) < n_out - 1 and self.p(0.15):
                    # a branch that ends in an output of its own instead of merging
                    i = int(rng.integers(len(branches)))
                    b = branches.pop(i)
                    if self.nodes[b].is_input or self.p(0.6):
                        b = self.head(self.grow(b, int(rng.integers(0, 2))) if not self.nodes[b].is_input
                                      else self.step(b))
                    outputs.append(b)
                    continue
                cls = self.pick_merge()
                k = 2 if cls in ("Subtract", "Dot") or len(branches) == 2 or self.p(0.5) else 3
                idx = sorted(rng.choice(len(branches), size=k, replace=False).tolist())
                group = [branches[i] for i in idx]
                rng.shuffle(group)
                m = self.merge(cls, group)
                branches = [b for i, b in enumerate(branches) if i not in idx] + [m]
                if self.p(0.3):
                    branches[-1] = self.grow(branches[-1], 1)
            f = self.grow(branches[0], int(rng.integers(0, 3)))
            if self.p(0.15):
                f = self.fork(f)
            if self.nodes[f].is_input:
                f = self.step(f)
            budget = n_out - len(outputs)
            heads = int(rng.integers(0, budget + 1))
            if heads == 0:
                outputs.append(f)
            else:
                for _ in range(heads):
                    outputs.append(self.head(f))
            while len(outputs) < n_out:
                layers = [n.id for n in self.nodes if not n.is_input and n.id not in outputs]
                merges = [i for i in layers if self.nodes[i].cls in MERGES]
                if self.p(0.35):
                    src = self.pick(merges) if merges and self.p(0.5) else self.pick(layers)
                    outputs.append(src)  # an intermediate layer as an output
                else:
                    src = self.pick(layers + self.input_ids[:1])
                    b = self.grow(src, int(rng.integers(0, 2))) if not self.nodes[src].is_input else self.step(src)
                    outputs.append(self.head(b) if self.p(0.7) else b)
        # every layer must lead to an output, and every leaf must be one
        consumers = collections.Counter(i for n in self.nodes for i in n.inputs)
        leaves = [n.id for n in self.nodes if not n.is_input and consumers[n.id] == 0]
        if set(leaves) - set(outputs) or len(set(outputs)) != len(outputs):
            raise Invalid("dangling layer")
        if any(self.nodes[o].is_input for o in outputs):
            raise Invalid("an input as an output")
        if len([n for n in self.nodes if not n.is_input]) > 24:
            raise Invalid("too many layers")
        self.outputs = outputs
        self.model_input_order = [int(i) for i in rng.permutation(self.input_ids)]

    # -- names and spec order -------------------------------------------------------------------------
    def spec_order(self):
        done = set(self.input_ids)
        layers = [n for n in self.nodes if not n.is_input]
        order, last = [], None
        while len(order) < len(layers):
            ready = [n.id for n in layers if n.id not in done and all(i in done for i in n.inputs)]
            follow = [i for i in ready if last is not None and last in self.nodes[i].inputs]
            nxt = self.pick(follow) if follow and self.p(0.55) else self.pick(ready)
            order.append(nxt)
            done.add(nxt)
            last = nxt
        return order

    def name_things(self):
        used = set()
        names_in = {}
        style = self.p(0.35)
        pools = {"ids": list(IDS_NAMES), "seq": list(SEQ_NAMES), "vec": list(VEC_NAMES)}
        for pos, i in enumerate(self.model_input_order):
            if style:
                name = f"input_{pos + 1}"
            else:
                cands = [c for c in pools[self.kind_of(i)] if c not in used]
                name = self.pick(cands)
            used.add(name)
            names_in[i] = name
        for n in self.nodes:
            n.explicit = None
            if n.is_input:
                continue
            if n.id in self.outputs and n.cls == "Dense" and self.p(0.5):
                cands = [c for c in HEAD_NAMES if c not in used]
            elif self.p(0.28):
                cands = [c for c in LAYER_NAMES if c not in used]
            else:
                continue
            n.explicit = self.pick(cands)
            used.add(n.explicit)
        self.input_names = names_in
        self.model_name = self.wpick(MODEL_NAMES)


def case_arrays(rng, inputs, batch):
    x = {}
    for name, shape, is_ids, vocab in inputs:
        if is_ids:
            x[name] = rng.integers(0, vocab, size=(batch, *shape)).astype(np.int32)
        else:
            x[name] = rng.standard_normal((batch, *shape)).astype(np.float32)
    return x


def loss_for(layer, shape):
    inner = layer.layer if isinstance(layer, L.TimeDistributed) else layer
    act = getattr(inner, "activation", None)
    act_name = getattr(act, "__name__", None) if act is not None else None
    if isinstance(inner, (L.Dense, L.Conv1D, L.Activation)):
        if act_name == "sigmoid" and shape[-1] == 1:
            return "binary_crossentropy"
        if act_name == "softmax" and shape[-1] > 1:
            return "categorical_crossentropy"
    return "mse"


def targets(rng, loss, shape, batch):
    if loss == "binary_crossentropy":
        return rng.integers(0, 2, size=(batch, *shape)).astype(np.float32)
    if loss == "categorical_crossentropy":
        idx = rng.integers(0, shape[-1], size=(batch, *shape[:-1]))
        return np.eye(shape[-1], dtype=np.float32)[idx]
    return rng.standard_normal((batch, *shape)).astype(np.float32)


def draw_optimizer(rng):
    def pick(xs):
        return xs[int(rng.integers(len(xs)))]

    cls = pick(["SGD", "SGD", "RMSprop", "Adam", "Adam", "AdamW", "Adagrad", "Nadam"])
    if cls == "SGD":
        args = {"learning_rate": pick([0.01, 0.05, 0.1])}
        r = rng.random()
        if r < 0.35:
            args["momentum"] = pick([0.5, 0.9])
        elif r < 0.6:
            args["momentum"] = 0.9
            args["nesterov"] = True
    elif cls == "Adagrad":
        args = {"learning_rate": pick([0.05, 0.1, 0.01])}
        if rng.random() < 0.15:
            args["initial_accumulator_value"] = 0.5
    else:
        args = {"learning_rate": pick([0.001, 0.005, 0.01, 0.02])}
        if cls == "Adam" and rng.random() < 0.35:
            args["amsgrad"] = True
        if cls == "AdamW":
            r = rng.random()
            if r < 0.5:
                args["weight_decay"] = pick([0.01, 0.1])
            elif r < 0.65:
                args["amsgrad"] = True
        if cls == "RMSprop":
            r = rng.random()
            if r < 0.15:
                args["rho"] = 0.95
            elif r < 0.3:
                args["momentum"] = 0.5
            elif r < 0.4:
                args["centered"] = True
    return {cls: args}


# ----------------------------------------------------------------------------------------------------
# One case
# ----------------------------------------------------------------------------------------------------

def make_case(rng, kind, tf_seed):
    """Draws until a model builds and runs; returns everything to write."""
    attempts = 0
    while True:
        attempts += 1
        if attempts > 500:
            raise RuntimeError("no valid draw in 500 attempts")
        keras.backend.clear_session()
        d = Draw(rng, kind)
        try:
            d.draw()
        except Invalid:
            continue
        for _ in range(4):
            d.name_things()
            order = d.spec_order()
            try:
                result = realise(d, order, kind, rng, tf_seed)
            except Invalid:
                continue
            result["attempts"] = attempts
            return result


def realise(d, order, kind, rng, tf_seed):
    keras.backend.clear_session()
    keras.utils.set_random_seed(tf_seed)
    nodes = d.nodes
    inputs = [(d.input_names[i], list(nodes[i].shape), nodes[i].is_ids) for i in d.model_input_order]
    pos_of = {nid: k for k, nid in enumerate(order)}

    def ref(i):
        return d.input_names[i] if nodes[i].is_input else pos_of[i]

    entries = [(nodes[i].cls, nodes[i].args, nodes[i].explicit, [ref(j) for j in nodes[i].inputs]) for i in order]
    try:
        model, finals = build_from_entries(d.model_name, inputs, entries, [pos_of[o] for o in d.outputs])
    except Invalid:
        raise
    except Exception as e:  # noqa: BLE001
        raise Invalid(str(e)) from None
    name_of = {nid: finals[k] for k, nid in enumerate(order)}
    out_names = [name_of[o] for o in d.outputs]
    if model.count_params() > 1_500_000:
        raise Invalid("too many parameters")

    # the spec text
    lines = [f"name: {yaml_scalar(d.model_name)}", "inputs:"]
    lines += [f"  {yaml_scalar(n)}: {yaml_flow(s)}" for n, s, _ in inputs]
    lines.append("layers:")
    prev = None
    for k, nid in enumerate(order):
        n = nodes[nid]
        body = dict(n.args)
        if n.explicit is not None:
            body["name"] = n.explicit
        refs = [d.input_names[j] if nodes[j].is_input else name_of[j] for j in n.inputs]
        omit = (n.cls not in MERGES and len(n.inputs) == 1 and prev is not None and n.inputs[0] == prev
                and d.p(0.6))
        if not omit:
            body["inputs"] = refs if n.cls in MERGES else refs[0]
        lines.append(f"  - {n.cls}: {yaml_flow(body)}")
        prev = nid
    lines.append(f"outputs: {yaml_flow(out_names)}")
    spec_text = "\n".join(lines) + "\n"

    vocab = {d.input_names[i]: nodes[i].vocab for i in d.model_input_order}
    arr_inputs = [(n, s, ids, vocab[n]) for n, s, ids in inputs]
    consumed = {j for n in nodes for j in n.inputs}
    result = {"yaml": spec_text, "model": model, "outputs": out_names, "inputs": inputs,
              "layers": [(nodes[i].cls, nodes[i].args) for i in order],
              "spec_names": finals, "explicit": [nodes[i].explicit for i in order if nodes[i].explicit],
              "keras_names": [l.name for l in model.layers if not isinstance(l, L.InputLayer)],
              "inner_outputs": [name_of[o] for o in d.outputs if o in consumed],
              "merge_outputs": [name_of[o] for o in d.outputs if nodes[o].cls in MERGES],
              "merge_ranks": [(nodes[i].cls, len(nodes[nodes[i].inputs[0]].shape) + 1, len(nodes[i].inputs))
                              for i in order if nodes[i].cls in MERGES],
              "input_kinds": [d.kind_of(i) for i in d.model_input_order],
              "omitted_inputs": sum(1 for line in lines if line.startswith("  - ") and "inputs:" not in line)}
    try:
        if kind == "summary":
            text, doc = summary_json(model, out_names)
            x = case_arrays(rng, arr_inputs, 2)
            ys = as_list(model.predict(x, verbose=0))
            if not all(np.all(np.isfinite(y)) for y in ys):
                raise Invalid("non-finite output")
            result.update(txt=text, json=doc, layout=doc["layout"])
        elif kind == "forward":
            for name, v in model_weights(model):
                a = v.numpy()
                if name.endswith("moving_variance"):
                    a = np.abs(a + 0.5 + rng.normal(0.0, 0.1, a.shape)) + 0.05
                else:
                    a = a + rng.normal(0.0, 0.1, a.shape)
                v.assign(a.astype(np.float32))
            weights = [(n, v.numpy()) for n, v in model_weights(model)]
            x = case_arrays(rng, arr_inputs, 5)
            ys = as_list(model.predict(x, verbose=0))
            if len(ys) != len(out_names) or not all(np.all(np.isfinite(y)) for y in ys):
                raise Invalid("non-finite output")
            if max(float(np.abs(y).max()) for y in ys) > 1e6:
                raise Invalid("huge output")
            result.update(weights=weights, x=x, y={n: y.astype(np.float32) for n, y in zip(out_names, ys)},
                          layout=summary_facts(model)[2])
        else:
            if not model.trainable_weights:
                raise Invalid("nothing to train")
            init = [(n, v.numpy().copy()) for n, v in model_weights(model)]
            x = case_arrays(rng, arr_inputs, 8)
            losses, ys = {}, {}
            for name, layer_out in zip(out_names, model.outputs):
                layer = model.get_layer(name)
                shape = tuple(layer_out.shape[1:])
                losses[name] = loss_for(layer, shape)
                ys[name] = targets(rng, losses[name], shape, 8)
            weights_ = {n: (1.0 if rng.random() < 0.7 else float(rng.choice([0.25, 0.5, 2.0]))) for n in out_names}
            opt = draw_optimizer(rng)
            model.compile(optimizer=optimizer_from(opt), loss=losses, loss_weights=weights_)
            hist = model.fit(x, ys, batch_size=4, epochs=2, shuffle=False, verbose=0)
            after = [(n, v.numpy().copy()) for n, v in model_weights(model)]
            doc = {"optimizer": opt, "loss": losses, "loss_weights": weights_, "batch_size": 4, "epochs": 2,
                   "shuffle": False, "keras_loss_history": [float(v) for v in hist.history["loss"]]}
            if len(out_names) > 1:
                doc["keras_output_loss_history"] = {n: [float(v) for v in hist.history[f"{n}_loss"]]
                                                    for n in out_names}
            flat = doc["keras_loss_history"] + [v for h in doc.get("keras_output_loss_history", {}).values()
                                                for v in h]
            if not all(np.isfinite(flat)) or not all(np.all(np.isfinite(a)) for _, a in after):
                raise Invalid("training diverged")
            result.update(init=init, after=after, x=x, y=ys, json=doc, layout=summary_facts(model)[2])
    except Invalid:
        raise
    except Exception as e:  # noqa: BLE001
        raise Invalid(f"run: {e}") from None
    return result


# ----------------------------------------------------------------------------------------------------
# Writing, coverage, main
# ----------------------------------------------------------------------------------------------------

def write_json(path, doc):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)


def write_case(outdir, kind, idx, r):
    folder = os.path.join(outdir, f"graph-{kind}")
    os.makedirs(folder, exist_ok=True)
    stem = os.path.join(folder, f"case{idx:03d}")
    with open(stem + ".yaml", "w", encoding="utf-8") as f:
        f.write(r["yaml"])
    if kind == "summary":
        with open(stem + ".txt", "w", encoding="utf-8") as f:
            f.write(r["txt"])
        write_json(stem + ".json", r["json"])
    elif kind == "forward":
        write_safetensors(stem + ".safetensors", r["weights"])
        np.savez(stem + ".x.npz", **r["x"])
        np.savez(stem + ".y.npz", **r["y"])
    else:
        write_safetensors(stem + ".init.safetensors", r["init"])
        np.savez(stem + ".x.npz", **r["x"])
        np.savez(stem + ".y.npz", **r["y"])
        write_json(stem + ".json", r["json"])
        write_safetensors(stem + ".after.safetensors", r["after"])
    return stem


def features(r):
    """Names of the features a case exercises, for the coverage table."""
    f = collections.Counter()
    for cls, args in r["layers"]:
        f[f"layer {cls}"] += 1
        if cls in WRAPPERS:
            (inner, iargs), = args["layer"].items()
            f[f"layer {cls}({inner})"] += 1
            if cls == "Bidirectional":
                f[f"Bidirectional merge_mode={args.get('merge_mode', 'default')}"] += 1
            args = dict(iargs, **{k: v for k, v in args.items() if k != "layer"})
            cls = inner
        if cls == "GRU":
            f[f"GRU reset_after={args.get('reset_after', 'default')}"] += 1
        if cls == "Dot":
            ax = args["axes"]
            f[f"Dot axes {'pair' if isinstance(ax, list) else 'int'}"] += 1
            f[f"Dot normalize={args.get('normalize', 'default')}"] += 1
        if cls == "Concatenate" and "axis" in args:
            f[f"Concatenate axis={args['axis']}"] += 1
        if "activation" in args:
            f[f"activation {args['activation']}"] += 1
        for k in ("dropout", "recurrent_dropout", "trainable", "go_backwards", "return_sequences", "strides",
                  "dilation_rate", "padding", "momentum", "epsilon", "center", "scale", "axis", "use_bias"):
            if k in args:
                f[f"arg {cls}.{k}" if k in ("axis", "padding") else f"arg {k}"] += 1
    for cls, rank, n in r["merge_ranks"]:
        f[f"{cls} of {n} {rank}-D inputs"] += 1
        f[f"merge of {'sequences' if rank == 3 else 'vectors' if rank == 2 else f'{rank}-D tensors'}"] += 1
    f[f"layout {r['layout']}"] += 1
    f[f"inputs {len(r['inputs'])}"] += 1
    f[f"outputs {len(r['outputs'])}"] += 1
    for k in r["input_kinds"]:
        f[f"input kind {k}"] += 1
    if r["spec_names"] != r["keras_names"]:
        f["spec order differs from summary order"] += 1
    if r["inner_outputs"]:
        f["output that feeds other layers (mid-graph)"] += 1
    if r["merge_outputs"]:
        f["output that is a merge layer"] += 1
    if any(len(n) > 25 for n in r["explicit"]):
        f["explicit layer name over 25 characters"] += 1
    if r["explicit"]:
        f["explicit layer names"] += 1
    if len(r["explicit"]) < len(r["spec_names"]):
        f["automatic layer names"] += 1
    if r["omitted_inputs"]:
        f["entries without inputs (previous entry)"] += 1
    if len(r["model"].name) > 25:
        f["model name over 25 characters"] += 1
    if any(len(n) > 25 for n, _, _ in r["inputs"]):
        f["input name over 25 characters"] += 1
    if kind_of_case(r) == "train":
        (opt, oargs), = r["json"]["optimizer"].items()
        f[f"optimizer {opt}" + "".join(f" {k}" for k in oargs if k != "learning_rate")] += 1
        for loss in r["json"]["loss"].values():
            f[f"loss {loss}"] += 1
        if any(w != 1.0 for w in r["json"]["loss_weights"].values()):
            f["loss_weights not 1.0"] += 1
    return f


def kind_of_case(r):
    return "train" if "after" in r else ("forward" if "weights" in r else "summary")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir", nargs="?")
    ap.add_argument("--count", type=int, default=30, help="cases of each kind (default 30)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--kinds", default="summary,forward,train")
    ap.add_argument("--check", metavar="SAMPLE_DIR", help="compare this script's pipeline with a sample")
    a = ap.parse_args()
    tf.config.threading.set_intra_op_parallelism_threads(2)
    tf.config.threading.set_inter_op_parallelism_threads(2)
    if a.check:
        sys.exit(check(a.check))
    if not a.outdir:
        ap.error("OUTDIR is required")
    kinds = [k for k in a.kinds.split(",") if k]
    cases = {k: collections.Counter() for k in kinds}  # cases of each kind using each feature
    uses = collections.Counter()  # uses of each feature over all cases
    started = time.time()
    for ki, kind in enumerate(("summary", "forward", "train")):
        if kind not in kinds:
            continue
        t_kind = time.time()
        for idx in range(a.count):
            t0 = time.time()
            rng = np.random.default_rng([a.seed, ki, idx])
            r = make_case(rng, kind, tf_seed=(a.seed * 1000003 + ki * 10007 + idx) % (2 ** 31))
            stem = write_case(a.outdir, kind, idx, r)
            f = features(r)
            cases[kind].update({k: 1 for k in f})
            uses.update(f)
            merges = sorted({c for c, _ in r["layers"] if c in MERGES})
            extra = ""
            if kind == "train":
                (opt,), = [tuple(r["json"]["optimizer"])]
                extra = f" {opt} loss={r['json']['keras_loss_history'][-1]:.4f}"
            print(f"{os.path.relpath(stem, a.outdir)}: {r['model'].name!r} inputs={len(r['inputs'])} "
                  f"outputs={len(r['outputs'])} layers={len(r['layers'])} params={r['model'].count_params()} "
                  f"{r['layout']} merges={','.join(merges) or '-'}{extra} "
                  f"(draws {r['attempts']}, {time.time() - t0:.1f}s)", flush=True)
            keras.backend.clear_session()
        print(f"graph-{kind}: {a.count} cases in {time.time() - t_kind:.0f}s", flush=True)
    print(f"done in {time.time() - started:.0f}s: {a.count} cases of each of {', '.join(kinds)} in {a.outdir}")
    width = max(len(k) for k in uses) if uses else 10
    print(f"{'feature':<{width}}  " + "  ".join(f"{k:>7}" for k in kinds) + "     uses")
    for k in sorted(uses):
        print(f"{k:<{width}}  " + "  ".join(f"{cases[kind][k]:>7}" for kind in kinds) + f"  {uses[k]:>7}")


# ----------------------------------------------------------------------------------------------------
# --check: rebuild a sample's cases with this pipeline
# ----------------------------------------------------------------------------------------------------

def build_spec(path):
    name, inputs, raw_entries, outputs = read_spec_yaml(path)
    ids = set()
    entries = []
    for k, (cls, args) in enumerate(raw_entries):
        args = dict(args)
        explicit = args.pop("name", None)
        refs = args.pop("inputs", None)
        refs = [k - 1] if refs is None else [str(r) for r in as_list(refs)]
        inner = next(iter(args["layer"])) if cls in WRAPPERS else cls
        if inner == "Embedding":
            ids.update(r for r in refs if isinstance(r, str))
        entries.append((cls, args, None if explicit is None else str(explicit), refs))
    keras.backend.clear_session()
    model, finals = build_from_entries(name, [(n, s, n in ids) for n, s in inputs], entries, outputs)
    return model, outputs


def check(sample):
    failures, checked = [], 0

    def fail(what):
        failures.append(what)
        print("FAIL", what, flush=True)

    for folder in ("graph-summary", "graph-forward", "graph-train"):
        d = os.path.join(sample, folder)
        if not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            if not f.endswith(".yaml"):
                continue
            stem = os.path.join(d, f[:-5])
            checked += 1
            model, outputs = build_spec(stem + ".yaml")
            text, doc = summary_json(model, outputs)
            if folder == "graph-summary":
                want = open(stem + ".txt", encoding="utf-8").read()
                if [l.rstrip() for l in want.splitlines()] != [l.rstrip() for l in text.splitlines()]:
                    fail(f"{stem}.txt differs")
                if text != want:
                    fail(f"{stem}.txt differs in blanks")
                want_doc = json.load(open(stem + ".json"))
                if want_doc != doc:
                    fail(f"{stem}.json differs: " + ", ".join(k for k in want_doc if want_doc[k] != doc.get(k)))
                print(f"ok {stem} ({doc['layout']})", flush=True)
                continue
            wfile = stem + (".safetensors" if folder == "graph-forward" else ".init.safetensors")
            stored = read_safetensors(wfile)
            mine = model_weights(model)
            if [n for n, _ in mine] != list(stored):
                fail(f"{wfile}: weight names {[n for n, _ in mine]} != {list(stored)}")
                continue
            for n, v in mine:
                v.assign(stored[n])
            xz = np.load(stem + ".x.npz")
            x = {k: xz[k] for k in xz.files}
            if folder == "graph-forward":
                ys = as_list(model.predict(x, verbose=0))
                yz = np.load(stem + ".y.npz")
                if list(yz.files) != outputs:
                    fail(f"{stem}.y.npz members {yz.files} != outputs {outputs}")
                worst = max(float(np.max(np.abs(y - yz[o]) / (1e-4 + 1e-4 * np.abs(yz[o])))) for o, y in zip(outputs, ys))
                if worst > 0.01:
                    fail(f"{stem}: predictions differ ({worst:.3g} of the tolerance)")
                print(f"ok {stem} predict, worst {worst:.2e} of the tolerance", flush=True)
            else:
                doc = json.load(open(stem + ".json"))
                yz = np.load(stem + ".y.npz")
                model.compile(optimizer=optimizer_from(doc["optimizer"]), loss=doc["loss"],
                              loss_weights=doc["loss_weights"])
                hist = model.fit(x, {k: yz[k] for k in yz.files}, batch_size=doc["batch_size"],
                                 epochs=doc["epochs"], shuffle=doc["shuffle"], verbose=0)
                got = [float(v) for v in hist.history["loss"]]
                if not np.allclose(got, doc["keras_loss_history"], rtol=1e-5, atol=1e-6):
                    fail(f"{stem}: loss history {got} != {doc['keras_loss_history']}")
                for o, h in doc.get("keras_output_loss_history", {}).items():
                    if not np.allclose([float(v) for v in hist.history[f"{o}_loss"]], h, rtol=1e-5, atol=1e-6):
                        fail(f"{stem}: {o} loss history differs")
                after = read_safetensors(stem + ".after.safetensors")
                worst = max((float(np.max(np.abs(v.numpy() - after[n]) / (1e-4 + 1e-3 * np.abs(after[n]))))
                             for n, v in model_weights(model)), default=0.0)
                if worst > 0.01:
                    fail(f"{stem}: trained weights differ ({worst:.3g} of the tolerance)")
                print(f"ok {stem} fit, worst weight {worst:.2e} of the tolerance", flush=True)
    print(f"checked {checked} sample cases: {checked - len(set(f.split(':')[0] for f in failures))} agree, "
          f"{len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    main()
