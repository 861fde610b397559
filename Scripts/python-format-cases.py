#!/usr/bin/env python3
"""Writes Tests/Fixtures/python-format.json: what Python's str.format and format() produce for the
values and format specs Keras users write in ModelCheckpoint file names, so the tests of modelc's own
formatter (Sources/ModelC/Format) compare against Python itself rather than against expectations
typed by hand. Every expected string or error in the fixture comes from running the expression here.

    python3 Scripts/python-format-cases.py          # rewrites the fixture (same seed, same cases)

Sections (doubles travel as the hex of their IEEE bits, so nothing is lost in JSON):
  repr:      [bits, repr(x)]                               shortest round-trip digits and str()
  float:     [bits, [[spec, result or null, error or null], ...]]   format(x, spec)
  int:       [value, [[spec, result or null, error or null], ...]]  format(n, spec)
  string:    [text, [[spec, result or null, error or null], ...]]   format(s, spec) (after !s / !r)
  logs:      {name: bits}                                  the logged values the templates read
  templates: [template, epoch, result or null, error or null]
             template.format(epoch=epoch, **logs), as Keras's ModelCheckpoint calls it
Widths and precisions stay at most 64, modelc's bound.
"""
import json
import math
import os
import random
import struct
import sys

random.seed(20240611)


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0].to_bytes(8, "big").hex()


def from_bits(value):
    return struct.unpack("<d", value.to_bytes(8, "little"))[0]


def outcome(function):
    try:
        return [function(), None]
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError) as error:
        return [None, type(error).__name__ + ": " + str(error)]


def interesting_doubles():
    values = [0.0, -0.0, 0.5, 0.125, 0.375, 2.675, 1.005, 1.5, 2.5, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, math.pi, math.e,
              1e-5, 1e-4, 0.0001234, 1e15, 1e16, 1e17, 9999999999999998.0, 1e22, 1e23, 2e16 + 8, 123456789.0,
              0.123456789, 5e-324, 2.2250738585072014e-308, 2.225073858507201e-308, 1.7976931348623157e308,
              float("inf"), float("-inf"), float("nan"), 9.5, 99.5, 0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65,
              1234.5, 1234567.0, 12345678.9, 0.000015, 0.9999999, 0.99999999999999999, 1.0, 2.0, 10.0, 100.0,
              -1.5, -0.0001, -123.456, 4.35, 0.045, 1.25, 1.35, 7.0e-10, 3.0e100, 0.6931471805599453,
              float(2 ** 53), float(2 ** 53 + 2), float(2 ** 60), float(2 ** 63), float(2 ** 64), float(10 ** 21),
              0.001, 0.0010000000474974513, 0.009999999776482582, 0.10000000149011612]
    # Powers of ten and two, and their neighbours: exponent thresholds and carries.
    for exponent in range(-25, 26):
        x = 10.0 ** exponent
        values += [x, math.nextafter(x, 0), math.nextafter(x, math.inf)]
    for exponent in range(-1074, 1024, 37):
        values.append(2.0 ** exponent)
    # Float32 values seen as doubles (Keras logs float32 losses as Python floats).
    for _ in range(80):
        values.append(struct.unpack("<f", struct.pack("<f", random.uniform(0, 3)))[0])
    # Decimals with few digits, and halfway cases of them.
    for _ in range(80):
        digits = random.randint(1, 6)
        values.append(round(random.uniform(0, 10 ** random.randint(0, 4)), digits))
        values.append(random.randint(0, 10 ** 6) / 10 ** digits + 5 / 10 ** (digits + 1))
    # Large integers as doubles: ties between shortest candidates.
    for _ in range(60):
        values.append(float(random.randint(2 ** 53, 2 ** 70)))
    # Random bit patterns over every exponent.
    for _ in range(250):
        values.append(from_bits(random.getrandbits(63)))
    return [v for v in values if not math.isnan(v)] + [float("nan")]


def float_specs():
    fills = ["", "<", ">", "^", "=", "*<", "*>", "*^", "*=", "0<", "0=", "0^", "x>"]
    signs = ["", "+", "-", " "]
    zs = ["", "", "", "z"]
    alts = ["", "", "#"]
    zeros = ["", "", "0"]
    widths = ["", "", "1", "8", "12", "20"]
    groupings = ["", "", "", ",", "_"]
    precisions = ["", "", ".0", ".1", ".2", ".3", ".4", ".6", ".10", ".17", ".20"]
    types = ["", "", "f", "f", "e", "g", "F", "E", "G", "%", "d", "n", "s", "x", "c", "r"]
    specs = {"", ".2f", ".4f", ".3e", ".2%", "g", ".0f", ".1f", "08.3f", "+.2f", ".5g", ".12g", ".17g", ".0e",
             ".0g", ".0", ".1", ".3", "#.0f", "#g", "#.3g", "#", ",", "_.2f", ",.2f", "020,.2f", "z.2f", "z.0f",
             "010", "010.4", "-^12.3e", "=+12.2f", " .3f", ".64f", ".64e", "64.2f", ".2", ".0%", "e", "E", "%"}
    while len(specs) < 160:
        specs.add(random.choice(fills) + random.choice(signs) + random.choice(zs) + random.choice(alts)
                  + random.choice(zeros) + random.choice(widths) + random.choice(groupings)
                  + random.choice(precisions) + random.choice(types))
    return sorted(specs)


def int_specs():
    specs = {"", "d", "02d", "03d", "04d", "05d", "x", "X", "#x", "#X", "o", "#o", "b", "#b", "_b", "_x", ",", "_",
             ",d", "08,", "08,d", "010_", "+d", " d", "-d", "+05d", "=+6d", "*^7", "<5", ">5", "^5", "0<5", "0>5",
             "x<4", ".2f", ".0f", "e", ".2e", "g", "%", ".1%", "f", "F", "E", "G", ".2", "c", "s", "n", "z", "zd",
             "#d", ",x", ",b", "_o", ".3d", "064d", "#010x", "#_b", "+#x", "0=8", "=8", "z.2f", "#.0f", "#g",
             "#e", "010.3f", ",.2f", "_f", "12,.1%"}
    fills = ["", "<", ">", "^", "=", "*<", "0>", "_^"]
    signs = ["", "+", "-", " "]
    alts = ["", "", "#"]
    zeros = ["", "", "0"]
    widths = ["", "", "2", "3", "6", "10"]
    groupings = ["", "", "", ",", "_"]
    types = ["", "d", "d", "x", "X", "o", "b", "e", "f", "g", "%", "G", "c", "s", "n"]
    precisions = ["", "", "", ".2"]
    while len(specs) < 140:
        specs.add(random.choice(fills) + random.choice(signs) + random.choice(alts) + random.choice(zeros)
                  + random.choice(widths) + random.choice(groupings) + random.choice(precisions) + random.choice(types))
    return sorted(specs)


def string_specs():
    return ["", "s", ">8", "<8", "^9", "*^9", "08", ">08", ".3", ">10.2", "+", " ", "#", ",", "=8", "d", "z", "010s",
            "x<6s", ".0", "^3"]


def main():
    doubles = interesting_doubles()
    fixture = {"repr": [], "float": [], "int": [], "string": [], "logs": [], "templates": []}
    for x in doubles:
        fixture["repr"].append([bits(x), repr(x)])
    specs = float_specs()
    # Every spec on a spread of values, and a spread of specs on every value.
    spread = [0.0, -0.0, 0.5, 2.675, 1234567.891, -0.000123, 1e16, 1e-7, float("inf"), float("nan"), 99.995, 1e300,
              0.0010000000474974513]
    precise = [".%df" % p for p in range(0, 21)] + [".%de" % p for p in range(0, 18)] + [".%dg" % p for p in range(0, 18)] \
        + [".%d%%" % p for p in range(0, 6)] + [".%d" % p for p in range(0, 18)] + ["", "g", "e", "f", "%", "#.3g", "#"]
    cases = {}
    for x in spread:
        cases[bits(x)] = (x, list(specs))
    for x in doubles:
        cases.setdefault(bits(x), (x, []))[1].extend(random.sample(precise, 5))
    for key, (x, chosen) in cases.items():
        fixture["float"].append([key, [[spec] + outcome(lambda: format(x, spec)) for spec in chosen]])
    for n in [0, 1, 7, 42, 255, 12345, 1234567, 2 ** 53 + 1, -1, -1234567]:
        fixture["int"].append([n, [[spec] + outcome(lambda: format(n, spec)) for spec in int_specs()]])
    for text in ["7", "0.5", "1e-05", "inf", "12345"]:
        fixture["string"].append([text, [[spec] + outcome(lambda: format(text, spec)) for spec in string_specs()]])
    logs = {"loss": 0.123456789, "val_loss": 2.675, "accuracy": 0.5, "val_accuracy": 1e-05, "lr": 0.0010000000474974513,
            "out_mae": 1234.5}
    fixture["logs"] = [[name, bits(value)] for name, value in logs.items()]
    templates = ["weights.safetensors", "e{epoch}.safetensors", "e{epoch:02d}-{val_loss:.2f}.safetensors",
                 "{epoch:03d}_{loss:.4f}_{val_accuracy:.3%}", "{loss}-{val_loss}-{accuracy}-{val_accuracy}-{lr}",
                 "{{epoch}}-{epoch}", "{{{epoch}}}", "}}{epoch}{{", "{epoch!s}", "{epoch!r:>4}", "{loss!s:.4}",
                 "{loss!a}", "{epoch!s:05}", "{epoch:.2f}", "{epoch:e}", "{loss:e}", "{loss:g}", "{out_mae:,.1f}",
                 "{epoch:x}-{epoch:#b}", "{epoch:_^9}", "{loss:=+10.3f}", "{epoch:}", "{loss:}", "{epoch!s:}",
                 # Python refuses these; modelc must too.
                 "{loss:d}", "{epoch", "epoch}", "{epoch}}", "{{epoch}", "{epoch!}", "{epoch!x}", "{epoch!s:d}",
                 "{epoch!sx}", "{loss[0]}", "{0}", "{}", "{epoch:.2d}", "{epoch:s}", "{loss:s}", "{epoch:zd}",
                 "{epoch:,x}", "{epoch:.}", "{epoch:abc}", "{missing}", "{val_los}", "{loss!s:=5}", "{loss!s:+}",
                 "{loss!r:#}", "{epoch:_,d}", "{epoch:,_d}", "{", "}", "{:d}", "{!s}", "{epoch:{", "{epoch{}",
                 # Python accepts these, modelc refuses them on purpose (see CheckpointTemplate).
                 "{epoch.real}", "{epoch:c}", "{epoch:n}", "{loss:n}", "{epoch:{w}}", "{epoch:065d}", "{loss:.65f}"]
    for template in templates:
        for epoch in [1, 7, 12]:
            fixture["templates"].append([template, epoch] + outcome(lambda: template.format(epoch=epoch, **logs)))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "python-format.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        handle.write("{\n")
        for index, (key, rows) in enumerate(fixture.items()):
            handle.write(json.dumps(key) + ": [\n")
            handle.write(",\n".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in rows))
            handle.write("\n]" + (",\n" if index < len(fixture) - 1 else "\n"))
        handle.write("}\n")
    print("wrote %s with Python %s: %s" % (os.path.normpath(path), sys.version.split()[0],
                                           ", ".join("%d %s" % (len(rows), key) for key, rows in fixture.items())))


main()
