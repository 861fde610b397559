/// The fixed part of the script `modelc export --script` writes (after the PLAN_JSON, KERAS_B64 and
/// H5_B64 literals TrainScript renders): argument parsing first (the strategy picks the backend,
/// which must be set before keras is imported), then modelc's data reading, tokenizer, vocabulary
/// and validation split replicated in Python, then the strategy, the callbacks, fit and the outputs
/// in modelc's formats. Python 3.10+, numpy, and keras / tensorflow / tf_keras / jax imported only
/// by the strategy that needs them.
enum TrainScriptPython {
    static let body = #"""
import argparse
import base64
import csv
import io
import json
import math
import os
import re
import struct
import sys
import tempfile
import time
import unicodedata

PLAN = json.loads(PLAN_JSON)
STRATEGIES = ("none", "mirrored", "multiworker", "jax")


class ScriptError(Exception):
    """A problem with the data or the arguments, reported as `error: ...` with exit status 1."""


def say(message):
    print(message, flush=True)


# ---------------------------------------------------------------------------------------------
# Command line, read before anything imports keras: the strategy picks the backend.

def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        description="Train the Keras 3 model %r exported by modelc on the spec's data, with its compile "
                    "and fit settings and callbacks, under a distribution strategy." % PLAN["model"],
        epilog="Outputs in --output DIR: model.keras, weights.safetensors (modelc names), history.json and "
               "history.csv (modelc's format), best.safetensors and the spec's checkpoints. "
               "modelc reads them back: modelc predict SPEC --weights DIR/model.keras ...")
    parser.add_argument("--strategy", choices=STRATEGIES, default="none",
                        help="none: plain fit; mirrored: tf.distribute.MirroredStrategy (TensorFlow backend, local "
                             "GPUs or --cpu-devices); multiworker: tf.distribute.MultiWorkerMirroredStrategy over the "
                             "hosts TF_CONFIG names (uses tf_keras); jax: keras.distribution.DataParallel (JAX backend)")
    parser.add_argument("--cpu-devices", type=int, metavar="N",
                        help="split the CPU into N logical devices (mirrored, jax) to try data parallelism anywhere")
    parser.add_argument("--devices", metavar="LIST",
                        help="jax: the devices to use, a count (first N) or ids such as cpu:0,cpu:1 (default all)")
    parser.add_argument("--epochs", type=int, metavar="N", help="epochs (default the spec's fit.epochs: %d)" % PLAN["fit"]["epochs"])
    parser.add_argument("--data", metavar="DIR",
                        help="root of the spec's relative data paths (default $MODELC_DATA, else %s)" % PLAN["spec_folder"])
    parser.add_argument("--output", metavar="DIR", help="folder for model.keras, weights.safetensors and the history")
    parser.add_argument("--dump-arrays", metavar="DIR",
                        help="only write the arrays training would see, named as `modelc prepare` names them, and stop")
    parser.add_argument("--check-arrays", metavar="DIR",
                        help="only compare the arrays training would see with those `modelc prepare` wrote to DIR")
    parser.add_argument("--coordinator", metavar="HOST:PORT", help="jax on several hosts: process 0's address")
    parser.add_argument("--num-processes", type=int, metavar="N", help="jax on several hosts: how many processes")
    parser.add_argument("--process-id", type=int, metavar="I", help="jax on several hosts: this process's index")
    args = parser.parse_args(argv)
    if args.dump_arrays is None and args.check_arrays is None and args.output is None:
        parser.error("--output DIR is required (the folder that receives model.keras and history.json)")
    if args.epochs is not None and args.epochs < 1:
        parser.error("--epochs must be at least 1, not %d" % args.epochs)
    if args.cpu_devices is not None:
        if args.cpu_devices < 1:
            parser.error("--cpu-devices must be at least 1, not %d" % args.cpu_devices)
        if args.strategy not in ("mirrored", "jax"):
            parser.error("--cpu-devices splits the CPU for --strategy mirrored or jax, not %s" % args.strategy)
    if args.devices is not None and args.strategy != "jax":
        parser.error("--devices chooses JAX devices; it needs --strategy jax")
    several = [args.coordinator, args.num_processes, args.process_id]
    if any(value is not None for value in several):
        if args.strategy != "jax":
            parser.error("--coordinator, --num-processes and --process-id start JAX on several hosts; they need --strategy jax")
        if any(value is None for value in several):
            parser.error("JAX on several hosts needs all of --coordinator, --num-processes and --process-id")
        if args.num_processes < 1 or not 0 <= args.process_id < args.num_processes:
            parser.error("--process-id must be in 0..%d" % (args.num_processes - 1))
    if args.strategy == "multiworker" and args.dump_arrays is None and args.check_arrays is None and "TF_CONFIG" not in os.environ:
        parser.error("--strategy multiworker reads the cluster from TF_CONFIG, which is not set; see docs/distributed.md")
    return args


def configure_environment(args):
    """Environment variables that must be set before TensorFlow, JAX or Keras is imported."""
    if args.strategy in ("mirrored", "multiworker"):
        os.environ["KERAS_BACKEND"] = "tensorflow"
    if args.strategy == "multiworker":
        # Keras 3 cannot train under MultiWorkerMirroredStrategy yet (keras-team/keras#20585): tf_keras can.
        os.environ["TF_USE_LEGACY_KERAS"] = "1"
    if args.strategy == "jax":
        os.environ["KERAS_BACKEND"] = "jax"
        if args.cpu_devices:
            flags = [flag for flag in os.environ.get("XLA_FLAGS", "").split()
                     if not flag.startswith("--xla_force_host_platform_device_count")]
            os.environ["XLA_FLAGS"] = " ".join(flags + ["--xla_force_host_platform_device_count=%d" % args.cpu_devices])
            os.environ.setdefault("JAX_PLATFORMS", "cpu")


def data_root(args):
    if args.data is not None:
        return args.data
    return os.environ.get("MODELC_DATA", PLAN["spec_folder"])


# ---------------------------------------------------------------------------------------------
# Data, read exactly as modelc reads it (Sources/ModelRun/Data, Text, Training/ValidationSplit).

def np():
    import numpy
    return numpy


KINDS = {"float32": "<f4", "float64": "<f8", "int32": "<i4", "int64": "<i8"}


class Array:
    """An array as modelc holds it: float32 values, a shape, and the dtype it came with."""

    def __init__(self, values, kind):
        numpy = np()
        self.values = numpy.asarray(values, dtype=numpy.float32)
        self.kind = kind

    @property
    def shape(self):
        return list(self.values.shape)

    @property
    def rows(self):
        return self.values.shape[0] if self.values.ndim else 1

    def take(self, indices):
        return Array(self.values[np().asarray(indices, dtype=np().int64)], self.kind)

    def encoded(self):
        """The values in the dtype modelc writes (`modelc prepare`'s .npy files)."""
        numpy = np()
        if self.kind in ("int32", "int64"):
            return numpy.rint(self.values.astype(numpy.float64)).astype(KINDS[self.kind])
        return self.values.astype(KINDS[self.kind])


def resolve(path, root):
    if path.startswith("/") or not root:
        return path
    return root + "/" + path


def read_bytes(path, what):
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise ScriptError("%s not found: %s" % (what, path))
    except OSError as error:
        raise ScriptError("cannot read %s %s: %s" % (what, path, error.strerror))


def numpy_kind(array, path):
    numpy = np()
    for kind, code in KINDS.items():
        if array.dtype == numpy.dtype(code):
            return kind
    raise ScriptError("%s holds %s values; modelc reads float32, float64, int32 and int64 arrays" % (path, array.dtype))


def read_array(source, root):
    numpy = np()
    if "inline" in source:
        values = numpy.asarray(source["inline"], dtype=numpy.float64).reshape(source["shape"])
        return Array(values, "int64" if source["integers"] else "float32")
    if "npy" in source:
        path = resolve(source["npy"], root)
        read_bytes(path, "the .npy file")
        array = numpy.load(path, allow_pickle=False)
        return Array(array, numpy_kind(array, path))
    path = resolve(source["npz"], root)
    read_bytes(path, "the .npz file")
    with numpy.load(path, allow_pickle=False) as archive:
        if source["member"] not in archive.files:
            raise ScriptError("%s has no array '%s'; it holds %s" % (path, source["member"], ", ".join(sorted(archive.files))))
        array = archive[source["member"]]
    return Array(array, numpy_kind(array, path))


RECORD = re.compile(r'(?:"[^"]*"|[^"\r\n])*')


def csv_records(text, path):
    """(line, record text) of every non-blank record: records end at LF, CR LF or CR outside quotes."""
    records = []
    position, line, length = 0, 1, len(text)
    while position < length:
        match = RECORD.match(text, position)
        end = match.end()
        if end < length and text[end] == '"':
            raise ScriptError("%s line %d opens a quoted field that is never closed" % (path, line))
        record = text[position:end]
        if record.strip(" \t"):
            records.append((line, record))
        line += record.count("\n") + record.count("\r") - record.count("\r\n") + 1
        position = end + (2 if text.startswith("\r\n", end) else 1)
    return records


def csv_fields(record, trim):
    if '"' not in record:
        fields = record.split(",")
    else:
        fields = next(csv.reader(io.StringIO(record, newline="")), [])
    if trim:
        fields = [field.strip(" \t") if '"' not in record else field.strip() for field in fields]
    return fields


def read_text_file(path, what):
    data = read_bytes(path, what)
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        raise ScriptError("%s is UTF-16 text; save it as UTF-8" % path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ScriptError("%s is not UTF-8 text; save it as UTF-8" % path)


INTEGER = re.compile(r"[+-]?[0-9]+\Z")


def parse_number(cell, place, column):
    if not cell or "_" in cell:
        raise ScriptError("%s, column '%s' %s; modelc reads numeric columns only" %
                          (place, column, "is empty" if not cell else "holds \"%s\", which is not a number" % cell))
    try:
        return float(cell)
    except ValueError:
        raise ScriptError("%s, column '%s' holds \"%s\", which is not a number; modelc reads numeric columns only" % (place, column, cell))


def numeric_columns(path, groups):
    """One array per group of column names: [rows] for one column, else [rows, columns]."""
    text = read_text_file(path, "the CSV file")
    records = csv_records(text, path)
    if not records:
        raise ScriptError("%s is empty; a CSV file needs a header row naming the columns" % path)
    header = csv_fields(records[0][1], trim=True)
    indices = []
    for group in groups:
        wanted = []
        for name in group:
            if name not in header:
                raise ScriptError("%s has no column named '%s'; its columns are %s" % (path, name, ", ".join(header)))
            wanted.append(header.index(name))
        indices.append(wanted)
    values = [[] for _ in groups]
    integers = [True for _ in groups]
    for row, (line, record) in enumerate(records[1:], start=1):
        fields = csv_fields(record, trim=True)
        place = "%s line %d (data row %d)" % (path, line, row)
        if len(fields) != len(header):
            raise ScriptError("%s has %d fields but the header names %d columns" % (place, len(fields), len(header)))
        for group, columns in enumerate(indices):
            for column in columns:
                cell = fields[column]
                values[group].append(parse_number(cell, place, header[column]))
                if integers[group] and not INTEGER.match(cell):
                    integers[group] = False
    rows = len(records) - 1
    if rows == 0:
        raise ScriptError("%s has a header row but no data rows" % path)
    arrays = []
    for group, columns in enumerate(indices):
        shape = [rows] if len(columns) == 1 else [rows, len(columns)]
        arrays.append(Array(np().asarray(values[group], dtype=np().float64).reshape(shape),
                            "int64" if integers[group] and values[group] else "float32"))
    return arrays


def numeric_csv(path, features, labels):
    """A `{csv, features, labels}` split: x [rows, features], y [rows] or [rows, labels]."""
    text = read_text_file(path, "the CSV file")
    records = csv_records(text, path)
    if not records:
        raise ScriptError("%s is empty; a CSV file needs a header row naming the columns" % path)
    header = csv_fields(records[0][1], trim=True)
    if features is None:
        features = [name for name in header if name not in labels]
    x, y = numeric_columns(path, [features, labels])
    if len(features) == 1:
        x = Array(x.values.reshape([x.rows, 1]), x.kind)
    return x, y


class TextTable:
    def __init__(self, texts, labels, source):
        self.texts = texts
        self.labels = labels
        self.source = source

    def take(self, indices):
        return TextTable([self.texts[i] for i in indices],
                         None if self.labels is None else [self.labels[i] for i in indices], self.source)


def label_values(texts, classes, place):
    labels = []
    for row, text in enumerate(texts):
        if classes is not None:
            if text not in classes:
                raise ScriptError("%s: label '%s' is not a known class; the classes are %s" % (place(row), text, ", ".join(classes)))
            labels.append(float(classes.index(text)))
        else:
            try:
                value = float(text)
            except ValueError:
                value = float("nan")
            if "_" in text or not math.isfinite(value):
                raise ScriptError("%s: label '%s' is not a number; give `classes: [...]` on the split" % (place(row), text))
            labels.append(value)
    return labels


def text_csv(path, text_column, label_column, classes):
    text = read_text_file(path, "the text file")
    records = csv_records(text, path)
    if not records:
        raise ScriptError("%s is empty; it needs a header row and one row per text" % path)
    names = [name.strip() for name in csv_fields(records[0][1], trim=False)]
    for column in [text_column] + ([label_column] if label_column is not None else []):
        if column not in names:
            raise ScriptError("%s has no column '%s'; its columns are %s" % (path, column, ", ".join(names)))
    text_index = names.index(text_column)
    label_index = names.index(label_column) if label_column is not None else None
    rows = records[1:]
    if not rows:
        raise ScriptError("%s has a header but no rows" % path)
    texts, label_texts = [], []
    for row, (line, record) in enumerate(rows, start=1):
        cells = csv_fields(record, trim=False)
        if len(cells) != len(names):
            raise ScriptError("%s line %d (data row %d) has %d fields but the header has %d" % (path, line, row, len(cells), len(names)))
        texts.append(cells[text_index])
        if label_index is not None:
            label_texts.append(cells[label_index].strip())
    labels = None
    if label_index is not None:
        labels = label_values(label_texts, classes, lambda row: "%s line %d (data row %d)" % (path, rows[row][0], row + 1))
    return TextTable(texts, labels, path)


def text_directory(path, classes):
    if not os.path.isdir(path):
        raise ScriptError("text folder not found: %s" % path)
    found = sorted(name for name in os.listdir(path) if not name.startswith(".") and os.path.isdir(os.path.join(path, name)))
    names = classes if classes is not None else found
    texts, labels = [], []
    for index, name in enumerate(names):
        if name not in found:
            raise ScriptError("%s has no folder for class '%s'; its folders are %s" % (path, name, ", ".join(found)))
        folder = path + "/" + name
        for file in sorted(f for f in os.listdir(folder) if f.endswith(".txt") and not f.startswith(".")):
            texts.append(read_text_file(folder + "/" + file, "the text file"))
            labels.append(float(index))
    if not texts:
        raise ScriptError("%s has no .txt files in its class folders" % path)
    return TextTable(texts, labels, path)


def read_text_source(split, root):
    if "directory" in split:
        return text_directory(resolve(split["directory"], root), split["classes"])
    return text_csv(resolve(split["csv"], root), split["text"], split["labels"], split["classes"])


# Tokenizer (Sources/ModelRun/Text/Tokenizer.swift): <br /> tags are blanks; letters, digits and
# marks of every script and the apostrophe make words; everything else separates; apostrophes
# (' and its typographic forms) are stripped from a word's ends; letters are lowercased one by one.

LINE_BREAK = re.compile(r"<[bB][rR][ /]*>")
# What each character becomes before splitting at blanks: separators a blank, typographic
# apostrophes an apostrophe, word characters themselves. Filled as characters are first seen.
TRANSLATION = {code: " " for code in range(128) if not (chr(code).isalnum() or chr(code) == "'")}
TRANSLATION.update({0x2019: "'", 0x02BC: "'"})
SEEN = set(chr(code) for code in range(128)) | {"\u2019", "\u02bc"}


def is_word_character(char):
    """Letters, digits and marks of any script (Swift: isAlphabetic, numericType, mark categories)."""
    code = ord(char)
    return char.isalnum() or unicodedata.category(char).startswith("M") or 0x24B6 <= code <= 0x24E9 \
        or 0x1F130 <= code <= 0x1F149 or 0x1F150 <= code <= 0x1F169 or 0x1F170 <= code <= 0x1F189


def lower_each(text):
    # str.lower() of a whole text applies Greek final sigma; modelc lowercases each letter alone.
    if "\u03a3" not in text:
        return text.lower()
    return "".join(char.lower() for char in text)


def words(text, lowercase):
    text = LINE_BREAK.sub(" ", text)
    if lowercase:
        text = lower_each(text)
    new = set(text).difference(SEEN)
    if new:
        for char in new:
            if not is_word_character(char):
                TRANSLATION[ord(char)] = " "
        SEEN.update(new)
    result = []
    for word in text.translate(TRANSLATION).split():
        word = word.strip("'")
        if word:
            result.append(word)
    return result


class Vocabulary:
    START, OOV, FIRST = 1, 2, 3

    def __init__(self, words_, settings, length, distinct=0):
        self.words = words_
        self.settings = settings
        self.length = length
        self.distinct = distinct
        self.ids = {}
        for rank, word in enumerate(words_):
            self.ids.setdefault(word, rank + self.FIRST)

    @staticmethod
    def build(texts, settings, length):
        """Words ranked by count in `texts`, ties by first appearance, the num_words - 3 first kept."""
        counts = {}
        tokenized = []
        for text in texts:
            sequence = words(text, settings["lowercase"])
            tokenized.append(sequence)
            for word in sequence:
                counts[word] = counts.get(word, 0) + 1
        ranked = sorted(counts, key=lambda word: -counts[word])
        if settings["num_words"] is not None:
            ranked = ranked[:max(0, settings["num_words"] - Vocabulary.FIRST)]
        vocabulary = Vocabulary(ranked, settings, length, distinct=len(counts))
        return vocabulary, vocabulary.rows(tokenized)

    def sequences(self, texts):
        return self.rows([words(text, self.settings["lowercase"]) for text in texts])

    def rows(self, tokenized):
        """pad_sequences of [1] + ids: [texts, length], int32."""
        numpy = np()
        length, ids = self.length, self.ids
        rows = numpy.full((len(tokenized), length), self.settings["value"], dtype=numpy.float32)
        pre_truncate = self.settings["truncating"] == "pre"
        pre_pad = self.settings["padding"] == "pre"
        for row, sequence in enumerate(tokenized):
            sequence = [self.START] + [ids.get(word, self.OOV) for word in sequence]
            kept = min(len(sequence), length)
            start = len(sequence) - kept if pre_truncate else 0
            at = length - kept if pre_pad else 0
            rows[row, at:at + kept] = sequence[start:start + kept]
        return Array(rows, "int32")

    def json(self):
        settings = self.settings
        return json.dumps({
            "format": "modelc vocabulary", "version": 1, "num_words": settings["num_words"], "maxlen": self.length,
            "padding": settings["padding"], "truncating": settings["truncating"], "value": settings["value"],
            "lowercase": settings["lowercase"], "start_id": self.START, "out_of_vocabulary_id": self.OOV,
            "first_word_id": self.FIRST, "words": self.words}, separators=(",", ":"), ensure_ascii=False) + "\n"


# Validation split (Sources/ModelRun/Training/ValidationSplit.swift): SplitMix64 seeded with the
# stream path [0x5B117], Swift's shuffle (Fisher-Yates from the front, Lemire's bounded integers).

MASK = (1 << 64) - 1


def mix(value):
    z = value & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


class RandomSource:
    def __init__(self, seed, path):
        mixed = mix(seed ^ 0x6A09E667F3BCC908)
        for component in path:
            mixed = mix(mixed ^ mix((component + 0x9E3779B97F4A7C15) & MASK))
        self.state = mixed

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        return mix(self.state)

    def below(self, bound):
        product = self.next() * bound
        if product & MASK < bound:
            threshold = ((1 << 64) - bound) % bound
            while product & MASK < threshold:
                product = self.next() * bound
        return product >> 64

    def shuffle(self, items):
        amount, current = len(items), 0
        while amount > 1:
            pick = self.below(amount)
            amount -= 1
            items[current], items[current + pick] = items[current + pick], items[current]
            current += 1


def swift_round(value):
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


def split_indices(rows, fraction, seed, stratify, labels, width):
    """(train rows, validation rows): the last rows, or with a seed shuffled (and stratified) ones."""
    cut = int(rows * (1 - fraction))
    if seed is None:
        return list(range(cut)), list(range(cut, rows))
    random = RandomSource(seed, [0x5B117])
    order = list(range(rows))
    random.shuffle(order)
    if not stratify or labels is None:
        return order[:cut], order[cut:]
    flat = np().asarray(labels, dtype=np().float32).reshape(-1)

    def class_of(row):
        if width <= 1:
            return swift_round(float(flat[row]))
        values = flat[row * width:(row + 1) * width]
        best = 0
        for index in range(1, width):
            if values[index] > values[best]:
                best = index
        return best

    groups = {}
    for row in order:
        groups.setdefault(class_of(row), []).append(row)
    keys = sorted(groups)
    total = rows - cut
    shares = [(key, len(groups[key]) * total / rows) for key in keys]
    quotas = {key: int(exact) for key, exact in shares}
    missing = total - sum(quotas.values())
    shares.sort(key=lambda share: (share[1] - int(share[1]), -share[0]), reverse=True)
    for key, _ in shares:
        if missing <= 0:
            break
        quotas[key] += 1
        missing -= 1
    held = set()
    for key in keys:
        held.update(groups[key][:quotas[key]])
    return [row for row in order if row not in held], [row for row in order if row in held]


class Split:
    """One split: an array per model input, one per output (None without labels)."""

    def __init__(self, inputs, targets):
        self.inputs = inputs
        self.targets = targets

    @property
    def rows(self):
        return self.inputs[0].rows

    def take(self, indices):
        return Split([a.take(indices) for a in self.inputs], [None if t is None else t.take(indices) for t in self.targets])


def conform(split):
    """A trailing axis of size 1 added or dropped where only that differs from the input's shape."""
    for index, array in enumerate(split.inputs):
        declared = PLAN["inputs"][index]["shape"]
        sample = array.shape[1:]
        fits = all(d is None or s == d for s, d in zip(sample, declared))
        if len(sample) + 1 == len(declared) and declared[-1] == 1 and fits:
            split.inputs[index] = Array(array.values.reshape(array.shape + [1]), array.kind)
        elif len(sample) == len(declared) + 1 and sample[-1] == 1 and fits:
            split.inputs[index] = Array(array.values.reshape(array.shape[:-1]), array.kind)


def text_length(input_index):
    maxlen = PLAN["data"]["text"]["maxlen"]
    if maxlen is not None:
        return maxlen
    shape = PLAN["inputs"][input_index]["shape"]
    return shape[0] if shape and shape[0] is not None else 1


def named_parts(split, root):
    """A named split's arrays with the text input left out, its texts and the text input's index."""
    text_input = next(i for i, t in enumerate(split["x"]) if "text" in t)
    column = split["x"][text_input]
    table = text_csv(resolve(column["csv"], root), column["text"], None, None)
    tensors = [t for i, t in enumerate(split["x"]) if i != text_input] + [t for t in split["y"] if t is not None]
    arrays = read_tensors(tensors, root)
    inputs = []
    for index in range(len(split["x"])):
        inputs.append(None if index == text_input else arrays.pop(0))
    targets = [None if t is None else arrays.pop(0) for t in split["y"]]
    for array in inputs + targets:
        if array is not None and array.rows != len(table.texts):
            raise ScriptError("a tensor has %d rows but %s[%s] has %d texts; every input and output needs one row per sample"
                              % (array.rows, column["csv"], column["text"], len(table.texts)))
    return Split(inputs, targets), table, text_input


def read_tensors(tensors, root):
    groups = {}
    for tensor in tensors:
        if "columns" in tensor:
            groups.setdefault(tensor["csv"], []).append(tensor["columns"])
    columns = {path: numeric_columns(resolve(path, root), wanted) for path, wanted in sorted(groups.items())}
    arrays = []
    for tensor in tensors:
        if "array" in tensor:
            arrays.append(read_array(tensor["array"], root))
        elif "columns" in tensor:
            arrays.append(columns[tensor["csv"]].pop(0))
        else:
            raise ScriptError("%s[%s] is text, which only one input of a split may read" % (tensor["csv"], tensor["text"]))
    return arrays


def timeseries_windows(x, y, window, split_name, source):
    """The windows modelc cuts (Sources/ModelRun/Data/TimeseriesWindows.swift): Keras's
    timeseries_dataset_from_array(series, targets[offset:], ...) with offset = (sequence_length - 1)
    * sampling_rate + horizon, unshuffled and unbatched, stacked into arrays."""
    numpy = np()
    length, stride, rate = window["sequence_length"], window["sequence_stride"], window["sampling_rate"]
    start, end = window["start_index"], window["end_index"]
    rows = x.rows
    what = "data %s window" % split_name
    if y is not None and y.rows != rows:
        raise ScriptError("%s: %s has %d rows but its targets have %d" % (what, source, rows, y.rows))
    offset = (length - 1) * rate + window["horizon"]
    # Keras's own count, and the windows Keras would fail on while iterating (their target past the series).
    count = (rows if end is None else end) - start - (length - 1) * rate
    if y is not None:
        count = min(count, max(0, rows - offset))
    if count <= 0:
        raise ScriptError("%s: %s has %d rows, too few for one window (and its target)" % (what, source, rows))
    last = ((count - 1) // stride) * stride
    if y is not None and start + last >= rows - offset:
        raise ScriptError("%s: the target of the last window lies past the series (%s has %d rows); set end_index to at most %d"
                          % (what, source, rows, rows - window["horizon"]))
    targets = None if y is None else y.values[offset:]
    try:
        try:
            from keras.utils import timeseries_dataset_from_array
        except ImportError:
            from tf_keras.utils import timeseries_dataset_from_array
        dataset = timeseries_dataset_from_array(x.values, targets, sequence_length=length, sequence_stride=stride,
                                                sampling_rate=rate, batch_size=None, shuffle=False,
                                                start_index=start or None, end_index=end)
        samples = list(dataset.as_numpy_iterator())
        if y is None:
            windows, labels = numpy.stack(samples), None
        else:
            windows = numpy.stack([sample[0] for sample in samples])
            labels = numpy.stack([sample[1] for sample in samples])
    except ImportError:
        # No TensorFlow for tf.data: the same windows by slicing.
        firsts = list(range(start, start + count, stride))
        windows = numpy.stack([x.values[first:first + length * rate:rate] for first in firsts])
        labels = None if y is None else numpy.stack([y.values[first + offset] for first in firsts])
    return Array(windows, x.kind), None if labels is None else Array(labels, y.kind)


def read_plain(split, root, split_name="train"):
    """An arrays, numeric CSV or named split without text."""
    if split["kind"] == "windowed":
        series = read_plain(split["series"], root, split_name)
        source = split["series"].get("path") or split["series"].get("x", {}).get("npy") or "the series"
        x, y = timeseries_windows(series.inputs[0], series.targets[0], split["window"], split_name, source)
        return Split([x], [y])
    if split["kind"] == "arrays":
        return Split([read_array(split["x"], root)], [None if split["y"] is None else read_array(split["y"], root)])
    if split["kind"] == "csv":
        if split.get("classes"):
            raise ScriptError("%s: class names in a label column (classes: %s) are read by modelc train, not by this script; "
                              "write the labels as class numbers for Keras" % (split["path"], ", ".join(split["classes"])))
        x, y = numeric_csv(resolve(split["path"], root), split["features"], split["labels"])
        return Split([x], [y])
    arrays = read_tensors(split["x"] + [t for t in split["y"] if t is not None], root)
    inputs = arrays[:len(split["x"])]
    rest = arrays[len(split["x"]):]
    return Split(inputs, [None if t is None else rest.pop(0) for t in split["y"]])


def is_named_text(split):
    return split["kind"] == "named" and any("text" in t for t in split["x"])


def load_data(root):
    """train, validation and test splits as modelc's train (and prepare) sees them, and the vocabulary."""
    data, fit = PLAN["data"], PLAN["fit"]
    train_spec = data["train"]
    if train_spec is None:
        raise ScriptError("the spec has no training data (data.train)")
    validation_spec, test_spec = data["validation"], data["test"]
    settings = data["text"]
    vocabulary = None
    validation = None
    holdout = fit["validation"]
    if train_spec["kind"] == "text":
        table = read_text_source(train_spec, root)
        validation_table = None
        if validation_spec is not None:
            if validation_spec["kind"] != "text":
                raise ScriptError("validation data must be text like the training data")
            validation_table = read_text_source(validation_spec, root)
        elif holdout is not None:
            train_rows, validation_rows = split_indices(len(table.texts), holdout["split"], holdout["seed"],
                                                        holdout["stratify"], table.labels, 1)
            validation_table, table = table.take(validation_rows), table.take(train_rows)
        vocabulary, x = Vocabulary.build(table.texts, settings, text_length(0))

        def as_split(t, rows):
            return Split([rows], [None if t.labels is None else Array(t.labels, "int32")])
        train = as_split(table, x)
        if validation_table is not None:
            validation = as_split(validation_table, vocabulary.sequences(validation_table.texts))
    elif is_named_text(train_spec):
        train, table, text_input = named_parts(train_spec, root)
        validation_parts = None
        if validation_spec is not None:
            if not is_named_text(validation_spec):
                raise ScriptError("validation data must read text like the training data")
            validation_parts = named_parts(validation_spec, root)[:2]
        elif holdout is not None:
            first = train.targets[0] if train.targets else None
            width = int(np().prod(first.shape[1:])) if first is not None else 1
            train_rows, validation_rows = split_indices(len(table.texts), holdout["split"], holdout["seed"], holdout["stratify"],
                                                        None if first is None else first.values, width)
            validation_parts = (take_named(train, validation_rows), table.take(validation_rows))
            train, table = take_named(train, train_rows), table.take(train_rows)
        vocabulary, x = Vocabulary.build(table.texts, settings, text_length(text_input))
        train.inputs[text_input] = x
        conform(train)
        if validation_parts is not None:
            validation, texts = validation_parts
            validation.inputs[text_input] = vocabulary.sequences(texts.texts)
            conform(validation)
    else:
        train = read_plain(train_spec, root)
        conform(train)
        if validation_spec is not None:
            validation = read_further(validation_spec, root, None, "validation")
        elif holdout is not None:
            first = train.targets[0]
            width = int(np().prod(first.shape[1:])) if first is not None else 1
            train_rows, validation_rows = split_indices(train.rows, holdout["split"], holdout["seed"], holdout["stratify"],
                                                        None if first is None else first.values, width)
            train, validation = train.take(train_rows), train.take(validation_rows)
    if validation is not None and (train.rows == 0 or validation.rows == 0):
        raise ScriptError("the validation split leaves no %s samples; change fit.validation.split"
                          % ("training" if train.rows == 0 else "validation"))
    test = read_further(test_spec, root, vocabulary, "test") if test_spec is not None else None
    return train, validation, test, vocabulary


def take_named(split, rows):
    return Split([None if a is None else a.take(rows) for a in split.inputs],
                 [None if t is None else t.take(rows) for t in split.targets])


def read_further(split, root, vocabulary, split_name="validation"):
    """A validation or test split read as the training data was, texts through its vocabulary."""
    if is_named_text(split) or split["kind"] == "text":
        if vocabulary is None:
            raise ScriptError("this split is text, which needs the vocabulary of the training texts")
        if split["kind"] == "text":
            table = read_text_source(split, root)
            return Split([vocabulary.sequences(table.texts)], [None if table.labels is None else Array(table.labels, "int32")])
        result, table, text_input = named_parts(split, root)
        result.inputs[text_input] = vocabulary.sequences(table.texts)
        conform(result)
        return result
    result = read_plain(split, root, split_name)
    conform(result)
    return result


def prepared_files(train, validation, test):
    """{file name: array} as `modelc prepare` names its files."""
    several_inputs = len(PLAN["inputs"]) > 1
    several_outputs = len(PLAN["outputs"]) > 1
    files = {}
    for name, split in (("train", train), ("validation", validation), ("test", test)):
        if split is None:
            continue
        for array, spec in zip(split.inputs, PLAN["inputs"]):
            files["x_%s%s.npy" % (name, "_" + spec["name"] if several_inputs else "")] = array
        for array, output in zip(split.targets, PLAN["outputs"]):
            if array is not None:
                files["y_%s%s.npy" % (name, "_" + output if several_outputs else "")] = array
    return files


def dump_arrays(directory, files, vocabulary):
    numpy = np()
    os.makedirs(directory, exist_ok=True)
    for name, array in files.items():
        with AtomicWrite(os.path.join(directory, name)) as handle:
            numpy.save(handle, array.encoded(), allow_pickle=False)
        say("wrote %s %s %s" % (os.path.join(directory, name), tuple(array.shape), array.kind))
    if vocabulary is not None:
        with AtomicWrite(os.path.join(directory, "vocabulary.json")) as handle:
            handle.write(vocabulary.json().encode("utf-8"))
        say("wrote %s (%d words)" % (os.path.join(directory, "vocabulary.json"), len(vocabulary.words)))


def check_arrays(directory, files):
    """Compares with `modelc prepare`'s files: the same names, shapes, dtypes and values."""
    numpy = np()
    problems = []
    present = sorted(f for f in os.listdir(directory) if f.endswith(".npy"))
    for name in sorted(set(present) - set(files)):
        problems.append("%s: modelc prepare wrote it, this script has no such array" % name)
    for name, array in sorted(files.items()):
        path = os.path.join(directory, name)
        if not os.path.exists(path):
            problems.append("%s: missing in %s" % (name, directory))
            continue
        theirs = numpy.load(path, allow_pickle=False)
        mine = array.encoded()
        if theirs.shape != mine.shape or theirs.dtype != mine.dtype:
            problems.append("%s: modelc %s %s, script %s %s" % (name, theirs.shape, theirs.dtype, mine.shape, mine.dtype))
        elif not numpy.array_equal(theirs, mine, equal_nan=theirs.dtype.kind == "f"):
            differ = numpy.argwhere(theirs != mine)
            problems.append("%s: %d values differ, first at %s (modelc %r, script %r)" % (
                name, len(differ), tuple(differ[0]), theirs[tuple(differ[0])].item(), mine[tuple(differ[0])].item()))
        else:
            say("same: %s %s %s" % (name, mine.shape, mine.dtype))
    for problem in problems:
        say("DIFFERENT: " + problem)
    return not problems


class AtomicWrite:
    """A file written beside its target and renamed over it, so no torn file is ever left."""

    def __init__(self, path):
        self.path = path

    def __enter__(self):
        folder = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(folder, exist_ok=True)
        descriptor, self.temporary = tempfile.mkstemp(prefix=".train-tmp-", dir=folder)
        self.handle = os.fdopen(descriptor, "wb")
        return self.handle

    def __exit__(self, kind, value, traceback):
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        if kind is None:
            os.replace(self.temporary, self.path)
        else:
            os.unlink(self.temporary)
        return False


# ---------------------------------------------------------------------------------------------
# Weights and history in modelc's formats.

def modelc_tensors(model):
    """(modelc name, float32 array) of every weight, from the Keras layers holding them."""
    numpy = np()
    tensors = []
    for weight in PLAN["weights"]:
        layer = model.get_layer(weight["layer"])
        variables = layer.weights
        if weight["index"] >= len(variables):
            raise ScriptError("Keras layer %s has %d weights; modelc expects %s at position %d"
                              % (weight["layer"], len(variables), weight["name"], weight["index"]))
        value = numpy.asarray(variables[weight["index"]].numpy() if hasattr(variables[weight["index"]], "numpy")
                              else variables[weight["index"]], dtype=numpy.float32)
        if list(value.shape) != weight["shape"]:
            raise ScriptError("weight %s is shaped %s in Keras but %s in modelc" % (weight["name"], list(value.shape), weight["shape"]))
        tensors.append((weight["name"], value))
    return tensors


def assign_tensors(model, tensors):
    by_name = dict(tensors)
    for weight in PLAN["weights"]:
        model.get_layer(weight["layer"]).weights[weight["index"]].assign(by_name[weight["name"]])


def write_safetensors(path, tensors):
    numpy = np()
    header, blobs, offset = {}, [], 0
    for name, value in tensors:
        data = numpy.ascontiguousarray(value, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(value.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with AtomicWrite(path) as handle:
        handle.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def modelc_history(keras_history, seconds):
    """History.swift's names and order: loss, metrics, val_ of both, then lr (Keras 3 says learning_rate)."""
    logged = PLAN["logged_names"]
    known = logged + ["val_" + name for name in logged] + ["lr"]
    renamed = [("lr" if key in ("learning_rate", "lr") else key, values) for key, values in keras_history.items()]
    renamed.sort(key=lambda pair: known.index(pair[0]) if pair[0] in known else len(known))
    epochs = len(seconds)

    def number(value):
        value = float(value)
        return value if math.isfinite(value) else None
    columns = [(name, [number(v) for v in values][:epochs]) for name, values in renamed]
    return columns


def history_json(columns, seconds):
    pairs = [("epoch", list(range(1, len(seconds) + 1)))] + columns + [("seconds", seconds)]
    return "{" + ",".join(json.dumps(key) + ":" + json.dumps(value, separators=(",", ":")) for key, value in pairs) + "}\n"


def history_csv(columns, seconds):
    lines = [",".join(["epoch"] + [name for name, _ in columns] + ["seconds"])]
    for epoch in range(len(seconds)):
        cells = [str(epoch + 1)] + ["" if epoch >= len(v) or v[epoch] is None else repr(v[epoch]) for _, v in columns]
        lines.append(",".join(cells + [repr(seconds[epoch])]))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Keras: the strategy, the model, the callbacks, fit.

def setup_strategy(args):
    """(keras module, strategy scope or None, description, whether this process writes the outputs)."""
    if args.strategy == "none":
        import keras
        return keras, None, "no distribution strategy (%s backend)" % keras.backend.backend(), True
    if args.strategy == "mirrored":
        import tensorflow as tf
        if args.cpu_devices:
            cpus = tf.config.list_physical_devices("CPU")
            tf.config.set_logical_device_configuration(cpus[0], [tf.config.LogicalDeviceConfiguration()] * args.cpu_devices)
            devices = ["/cpu:%d" % index for index in range(args.cpu_devices)]
            strategy = tf.distribute.MirroredStrategy(devices=devices)
        else:
            strategy = tf.distribute.MirroredStrategy()
        import keras
        return keras, strategy, "tf.distribute.MirroredStrategy over %d replicas (%s)" % (
            strategy.num_replicas_in_sync, ", ".join(strategy.extended.worker_devices)), True
    if args.strategy == "multiworker":
        import tensorflow as tf
        import tf_keras
        strategy = tf.distribute.MultiWorkerMirroredStrategy()
        config = json.loads(os.environ["TF_CONFIG"])
        task = config.get("task", {})
        cluster = config.get("cluster", {})
        chief = task.get("type") == "chief" or ("chief" not in cluster and task.get("type") == "worker" and task.get("index", 0) == 0)
        return tf_keras, strategy, "tf.distribute.MultiWorkerMirroredStrategy, %d replicas in sync, this task %s %s (tf_keras %s)" % (
            strategy.num_replicas_in_sync, task.get("type"), task.get("index"), tf_keras.__version__), chief
    import keras
    if args.coordinator is not None:
        keras.distribution.initialize(job_addresses=args.coordinator, num_processes=args.num_processes, process_id=args.process_id)
    devices = keras.distribution.list_devices()
    if args.devices:
        if args.devices.isdigit():
            count = int(args.devices)
            if not 1 <= count <= len(devices):
                raise ScriptError("--devices %d: there are %d devices (%s)" % (count, len(devices), ", ".join(devices)))
            devices = devices[:count]
        else:
            wanted = [d.strip() for d in args.devices.split(",") if d.strip()]
            unknown = [d for d in wanted if d not in devices]
            if unknown:
                raise ScriptError("--devices names %s, which is not among %s" % (", ".join(unknown), ", ".join(devices)))
            devices = wanted
    keras.distribution.set_distribution(keras.distribution.DataParallel(devices=devices))
    args.jax_devices = len(devices)
    process = args.process_id or 0
    return keras, None, "keras.distribution.DataParallel over %d devices (%s)" % (len(devices), ", ".join(devices)), process == 0


def load_model(K, multiworker):
    """The embedded model, compiled (Keras 3 reads the .keras file; tf_keras the .h5)."""
    import warnings
    # The exported file has no optimizer state yet: Keras says so, and builds it at the first step.
    warnings.filterwarnings("ignore", message="Skipping variable loading for optimizer")
    folder = tempfile.mkdtemp(prefix="modelc-model-")
    try:
        path = os.path.join(folder, "model.h5" if multiworker else "model.keras")
        with open(path, "wb") as handle:
            handle.write(base64.b64decode(H5_B64 if multiworker else KERAS_B64))
        return K.models.load_model(path)
    finally:
        for name in os.listdir(folder):
            os.unlink(os.path.join(folder, name))
        os.rmdir(folder)


def filtered(cls, arguments):
    import inspect
    accepted = inspect.signature(cls.__init__).parameters
    return {key: value for key, value in arguments.items() if key in accepted}


def make_callbacks(K, fit, output, has_validation, writes):
    class EpochTimer(K.callbacks.Callback):
        """Wall time per epoch, validation included (History.swift's `seconds`)."""

        def __init__(self):
            super().__init__()
            self.seconds = []

        def on_epoch_begin(self, epoch, logs=None):
            self.started = time.time()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.time() - self.started)

    class SafetensorsCheckpoint(K.callbacks.Callback):
        """ModelCheckpoint as modelc runs it: `filepath.format(epoch=epoch + 1, **logs)` in the output
        folder, modelc's weight names, only improvements with save_best_only."""

        def __init__(self, arguments):
            super().__init__()
            self.template = arguments["filepath"]
            self.monitor = arguments.get("monitor", "val_loss")
            self.verbose = arguments.get("verbose", 0)
            self.best_only = arguments.get("save_best_only", False)
            mode = arguments.get("mode", "auto")
            self.greater = mode == "max" or (mode == "auto" and ("acc" in self.monitor or self.monitor.startswith("fmeasure")))
            self.best = -math.inf if self.greater else math.inf

        def on_epoch_end(self, epoch, logs=None):
            logs = {key: float(value) for key, value in (logs or {}).items()}
            path = os.path.join(output, self.template.format(epoch=epoch + 1, **logs))
            if self.best_only:
                current = logs.get(self.monitor)
                if current is None or not (current > self.best if self.greater else current < self.best):
                    return
                if self.verbose:
                    say("Epoch %d: %s improved from %.5f to %.5f, saving model to %s" % (epoch + 1, self.monitor, self.best, current, path))
                self.best = current
            elif self.verbose:
                say("Epoch %d: saving model to %s" % (epoch + 1, path))
            if writes:
                write_safetensors(path, modelc_tensors(self.model))

    timer = EpochTimer()
    callbacks = [timer]
    for callback in fit["callbacks"]:
        name, arguments = callback["class"], dict(callback["arguments"])
        if name == "ModelCheckpoint":
            callbacks.append(SafetensorsCheckpoint(arguments))
        elif name == "BackupAndRestore":
            arguments["backup_dir"] = os.path.join(output, arguments["backup_dir"])
            callbacks.append(K.callbacks.BackupAndRestore(**filtered(K.callbacks.BackupAndRestore, arguments)))
        elif name == "LearningRateScheduler":
            # modelc's schedule is one of Keras's LearningRateSchedule classes, called at the epoch.
            given = callback["schedules"]["schedule"]
            schedule = getattr(K.optimizers.schedules, given["class"])(**{key: value for key, value in given["arguments"].items()
                                                                         if value is not None or key != "name"})
            callbacks.append(K.callbacks.LearningRateScheduler(lambda epoch: float(schedule(epoch)),
                                                               verbose=arguments.get("verbose", 0)))
        elif name == "CSVLogger":
            # As modelc writes it: relative to the run's output folder.
            arguments["filename"] = os.path.join(output, arguments["filename"])
            callbacks.append(K.callbacks.CSVLogger(**filtered(K.callbacks.CSVLogger, arguments)))
        elif name == "TensorBoard":
            # log_dir, like modelc's, inside the run's output folder.
            arguments["log_dir"] = os.path.join(output, arguments.get("log_dir", "logs"))
            callbacks.append(K.callbacks.TensorBoard(**filtered(K.callbacks.TensorBoard, arguments)))
        else:
            cls = getattr(K.callbacks, name)
            callbacks.append(cls(**filtered(cls, arguments)))
    # modelc always keeps the best epoch's weights in best.safetensors.
    callbacks.append(SafetensorsCheckpoint({"filepath": "best.safetensors", "monitor": "val_loss" if has_validation else "loss",
                                            "save_best_only": True, "mode": "min"}))
    return callbacks, timer


def keras_arrays(split, model_inputs=True):
    numpy = np()

    def cast(array, spec):
        return array.values.astype(numpy.int32) if spec is not None and spec["token_ids"] else array.values
    xs = [cast(a, s) for a, s in zip(split.inputs, PLAN["inputs"])]
    ys = [t.values for t in split.targets if t is not None]
    x = xs[0] if len(xs) == 1 else xs
    if not ys:
        y = None
    elif len(split.targets) == 1:
        y = ys[0]
    else:
        y = {name: t.values for name, t in zip(PLAN["outputs"], split.targets) if t is not None}
    return x, y


def check_divisible(batch, devices, splits):
    """DataParallel splits every batch evenly over the devices, the last (partial) batch included."""
    for name, split in splits:
        if split is None:
            continue
        sizes = {min(batch, split.rows)} | ({split.rows % batch} - {0})
        uneven = sorted(size for size in sizes if size % devices)
        if uneven:
            raise ScriptError(
                "keras.distribution.DataParallel splits each batch evenly over its %d devices, but the %s data (%d samples, "
                "batch size %d) has a batch of %d; use --devices with a count dividing %s, or --strategy mirrored, which "
                "takes uneven batches" % (devices, name, split.rows, batch, uneven[0],
                                          " and ".join(str(size) for size in sorted(sizes))))


def train(args, train_split, validation, test, vocabulary):
    fit = PLAN["fit"]
    if PLAN["data"]["sample_weights"]:
        raise ScriptError("the spec weighs the samples of %s (sample_weight), which modelc train reads and this script does not; "
                          "train with modelc, or pass sample_weight to Keras's fit yourself" % ", ".join(PLAN["data"]["sample_weights"]))
    output = os.path.abspath(args.output)
    K, strategy, description, writes = setup_strategy(args)
    say("strategy: " + description)
    if fit["seed"] is not None:
        K.utils.set_random_seed(fit["seed"])
    if strategy is not None:
        with strategy.scope():
            model = load_model(K, args.strategy == "multiworker")
    else:
        model = load_model(K, False)
    epochs = args.epochs or fit["epochs"]
    batch = fit["batch_size"]
    if args.strategy == "jax":
        check_divisible(batch, args.jax_devices, [("training", train_split), ("validation", validation), ("test", test)])
    callbacks, timer = make_callbacks(K, fit, output, validation is not None, writes)
    say("training on %d samples%s; global batch size %d, %d epochs, shuffle %s, seed %s" % (
        train_split.rows, ", validating on %d" % validation.rows if validation is not None else "", batch, epochs,
        "on" if fit["shuffle"] else "off", fit["seed"]))
    x, y = keras_arrays(train_split)
    validation_data = keras_arrays(validation) if validation is not None else None
    class_weight = None if fit["class_weight"] is None else dict(enumerate(fit["class_weight"]))
    history = model.fit(x, y, batch_size=batch, epochs=epochs, shuffle=fit["shuffle"], verbose=fit["verbose"],
                        validation_data=validation_data, callbacks=callbacks, class_weight=class_weight)
    seconds = timer.seconds
    columns = modelc_history(history.history, seconds)
    if test is not None:
        tx, ty = keras_arrays(test)
        results = model.evaluate(tx, ty, batch_size=batch, verbose=0, return_dict=True)
        say("test: " + " - ".join("%s: %.4f" % (key, float(value)) for key, value in results.items()))
    if not writes:
        say("not the chief: the chief writes the outputs")
        return
    os.makedirs(output, exist_ok=True)
    if vocabulary is not None:
        # Beside the weights, where `modelc evaluate` and `predict --text` look for it.
        with AtomicWrite(os.path.join(output, "vocabulary.json")) as handle:
            handle.write(vocabulary.json().encode("utf-8"))
    tensors = modelc_tensors(model)
    write_safetensors(os.path.join(output, "weights.safetensors"), tensors)
    if args.strategy == "multiworker":
        # tf_keras writes .h5; model.keras comes from the embedded Keras 3 file with the trained weights.
        model.save(os.path.join(output, "model.h5"))
        import keras
        keras_model = load_model(keras, False)
        assign_tensors(keras_model, tensors)
        keras_model.save(os.path.join(output, "model.keras"))
    else:
        model.save(os.path.join(output, "model.keras"))
    with AtomicWrite(os.path.join(output, "history.json")) as handle:
        handle.write(history_json(columns, seconds).encode("utf-8"))
    with AtomicWrite(os.path.join(output, "history.csv")) as handle:
        handle.write(history_csv(columns, seconds).encode("utf-8"))
    if columns:
        say("final: " + " - ".join("%s: %.4f" % (name, values[-1]) for name, values in columns if values and values[-1] is not None))
    say("wrote %s/: %s" % (output, ", ".join(sorted(os.listdir(output)))))


def main(argv):
    args = parse_arguments(argv)
    configure_environment(args)
    try:
        root = data_root(args)
        say("data root: %s" % root)
        train_split, validation, test, vocabulary = load_data(root)
        if vocabulary is not None:
            say("vocabulary: %d words kept of %d in the training texts, sequences of %d" % (
                len(vocabulary.words), vocabulary.distinct, vocabulary.length))
        if args.dump_arrays is not None or args.check_arrays is not None:
            files = prepared_files(train_split, validation, test)
            if args.dump_arrays is not None:
                dump_arrays(args.dump_arrays, files, vocabulary)
            if args.check_arrays is not None:
                return 0 if check_arrays(args.check_arrays, files) else 1
            return 0
        train(args, train_split, validation, test, vocabulary)
        return 0
    except ScriptError as error:
        print("error: %s" % error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""#
}
