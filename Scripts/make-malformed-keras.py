#!/usr/bin/env python3
"""Writes Tests/Fixtures/keras/malformed/: damaged, hostile or foreign .h5 and .keras files that modelc's Keras
reader must refuse with a clear message, without crashing, hanging or writing anything.

    python Scripts/make-malformed-keras.py [--out DIR]

Needs h5py and numpy only (the Python of Scripts/make-keras-fixtures.sh's environment has both). Every file
derives from the Keras-written fixture seq_simple_rnn_time_distributed/ (its tf_keras.h5 and keras3.keras), so
the tests can run each through `modelc predict` with that case's spec and inputs. What each file holds and what
modelc must say is in DIR/README.md (kept by hand; the script checks every file it lists exists).
The output is deterministic: zip timestamps are fixed and h5py writes no times (track_times=False).
"""
import argparse
import io
import os
import shutil
import zipfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures", "keras")
BASE = os.path.join(FIXTURES, "seq_simple_rnn_time_distributed")
WEIGHT = "model_weights/out/out/kernel:0"  # a weight tf_keras.h5 holds (the last Dense's kernel)
STAMP = (1980, 1, 1, 0, 0, 0)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(out, name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


def edited_h5(out, name, edit):
    """A copy of the real tf_keras.h5, changed in place by edit(h5py.File)."""
    import h5py
    path = os.path.join(out, name)
    shutil.copyfile(os.path.join(BASE, "tf_keras.h5"), path)
    with h5py.File(path, "r+") as f:
        edit(f)


def replace_weight(f, make):
    """Deletes the real weight and puts make(group, name) in its place (HDF5 keeps the freed space, which is
    why the files below stay the size of the original)."""
    group_path, name = WEIGHT.rsplit("/", 1)
    del f[WEIGHT]
    make(f[group_path], name)


def h5_files(out):
    import h5py
    import numpy as np

    real = read(os.path.join(BASE, "tf_keras.h5"))
    write(out, "truncated.h5", real[: len(real) // 2])

    def not_json(f):
        f.attrs["model_config"] = "{'class_name': 'Sequential', 'config': {"  # Python's repr, and cut off
    edited_h5(out, "config_not_json.h5", not_json)

    def soft_link(f):
        f["model_weights/out/out/alias:0"] = h5py.SoftLink("/" + WEIGHT)
    edited_h5(out, "soft_link.h5", soft_link)

    def external_link(f):
        # The target does not exist: a reader must refuse the link without following it.
        f["model_weights/out/out/elsewhere:0"] = h5py.ExternalLink("elsewhere.h5", "/weights")
    edited_h5(out, "external_link.h5", external_link)

    def huge(f):
        # 2.5e9 float32 = 10 GB declared, nothing written: contiguous storage is allocated late, so the file
        # holds no data for it at all.
        replace_weight(f, lambda group, name: group.create_dataset(name, shape=(2_500_000_000,), dtype="f4",
                                                                   track_times=False))
    edited_h5(out, "huge_dataset.h5", huge)

    def huge_2d(f):
        # 10 GB again, but every axis small enough to pass a per-axis bound: only the bytes stored can tell.
        replace_weight(f, lambda group, name: group.create_dataset(name, shape=(50_000, 50_000), dtype="f4",
                                                                   track_times=False))
    edited_h5(out, "huge_dataset_2d.h5", huge_2d)

    def strings(f):
        replace_weight(f, lambda group, name: group.create_dataset(
            name, data=np.array(["0.1", "0.2", "0.3"], dtype=h5py.string_dtype()), track_times=False))
    edited_h5(out, "string_weights.h5", strings)

    def lzf(f):
        # LZF (HDF5 filter id 32000) is built into h5py itself, not a plugin; libhdf5 alone cannot decode it.
        def make(group, name):
            group.create_dataset(name, data=np.ones((12, 1), "f4"), compression="lzf", chunks=(12, 1),
                                 track_times=False)
        replace_weight(f, make)
    edited_h5(out, "lzf_filter.h5", lzf)

    with h5py.File(os.path.join(out, "not_keras.h5"), "w", track_order=False) as f:
        f.create_dataset("measurements", data=np.arange(6, dtype="f4").reshape(2, 3), track_times=False)
        f.attrs["instrument"] = "thermometer"


def zip_of(members, compression=zipfile.ZIP_STORED):
    """A zip of (name, bytes) in order, with fixed timestamps."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=STAMP)
            info.compress_type = compression
            z.writestr(info, data)
    return buffer.getvalue()


def keras_files(out):
    with zipfile.ZipFile(os.path.join(BASE, "keras3.keras")) as z:
        real = {name: z.read(name) for name in ("metadata.json", "config.json", "model.weights.h5")}
    metadata, config, weights = real["metadata.json"], real["config.json"], real["model.weights.h5"]

    write(out, "zip_slip.keras", zip_of([("metadata.json", metadata), ("config.json", config),
                                         ("model.weights.h5", weights), ("../evil.txt", b"written outside\n")]))
    write(out, "absolute_path.keras", zip_of([("metadata.json", metadata), ("config.json", config),
                                              ("model.weights.h5", weights), ("/abs.txt", b"written at /\n")]))
    write(out, "no_config.keras", zip_of([("metadata.json", metadata), ("model.weights.h5", weights)]))
    write(out, "truncated_config.keras", zip_of([("metadata.json", metadata), ("config.json", config[: len(config) // 2]),
                                                 ("model.weights.h5", weights)]))
    deep = b'{"module": "keras", "class_name": "Sequential", "config": ' + b"[" * 10_000 + b"]" * 10_000 + b"}"
    write(out, "deep_json.keras", zip_of([("metadata.json", metadata), ("config.json", deep),
                                          ("model.weights.h5", weights)]))
    write(out, "no_weights.keras", zip_of([("metadata.json", metadata), ("config.json", config)]))
    write(out, "truncated_weights.keras", zip_of([("metadata.json", metadata), ("config.json", config),
                                                  ("model.weights.h5", weights[: len(weights) // 2])]))
    # 300 MB of blanks after the real config: valid JSON once inflated, ~290 KB deflated (deflate's ratio
    # tops out near 1032:1). The central directory states the true size.
    write(out, "zip_bomb.keras", bomb(metadata, config, weights))
    # The same trick with a lying header: 10 MB of blanks declared as 1,000 bytes.
    write(out, "zip_bomb_lying_size.keras", lying_bomb(metadata, weights))
    whole = zip_of([("metadata.json", metadata), ("config.json", config), ("model.weights.h5", weights)])
    directory = whole.rfind(b"PK\x01\x02", 0, whole.find(b"PK\x05\x06"))
    first_directory = whole.find(b"PK\x01\x02")
    assert 0 < first_directory <= directory
    write(out, "truncated_zip.keras", whole[:first_directory])


def bomb(metadata, config, weights):
    """config.json = the real config followed by 300 MB of blanks, deflated by streaming (so memory stays small)."""
    size = 300 << 20
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    crc = zlib.crc32(config)
    chunks = [compressor.compress(config)]
    block = b" " * (1 << 20)
    for _ in range((size - len(config)) >> 20):
        chunks.append(compressor.compress(block))
        crc = zlib.crc32(block, crc)
    tail = b" " * ((size - len(config)) & ((1 << 20) - 1))
    chunks.append(compressor.compress(tail))
    crc = zlib.crc32(tail, crc)
    chunks.append(compressor.flush())
    return raw_zip([("metadata.json", metadata, 0, None, None), ("config.json", b"".join(chunks), 8, size, crc),
                    ("model.weights.h5", weights, 0, None, None)])


def lying_bomb(metadata, weights):
    blanks = b" " * (10 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = compressor.compress(b"{}" + blanks) + compressor.flush()
    return raw_zip([("metadata.json", metadata, 0, None, None), ("config.json", data, 8, 1000, zlib.crc32(b"{}" + blanks)),
                    ("model.weights.h5", weights, 0, None, None)])


def raw_zip(members):
    """A zip written by hand from (name, stored bytes, method, declared size or None, crc or None), so sizes
    and CRCs can be stated as they are (or as a liar would state them)."""
    import struct
    body, directory = b"", b""
    for name, data, method, size, crc in members:
        size = len(data) if size is None else size
        crc = zlib.crc32(data) if crc is None else crc
        encoded = name.encode()
        offset = len(body)
        # DOS date 1980-01-01 00:00: time 0, date (0 << 9) | (1 << 5) | 1.
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(data), size,
                             len(encoded), 0)
        body += header + encoded + data
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(data), size,
                                 len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), len(body), 0)
    return body + directory + end


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(FIXTURES, "malformed"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    h5_files(args.out)
    keras_files(args.out)
    listed = os.path.join(args.out, "README.md")
    if os.path.exists(listed):
        text = read(listed).decode()
        for name in sorted(os.listdir(args.out)):
            if name != "README.md" and f"`{name}`" not in text:
                print(f"warning: README.md does not describe {name}")
    for name in sorted(os.listdir(args.out)):
        print(f"{os.path.getsize(os.path.join(args.out, name)):>9}  {name}")


if __name__ == "__main__":
    main()
