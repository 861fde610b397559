#!/bin/bash
# Checks that modelc's time-series windows (a split's `window:`) are Keras's, with
# Scripts/timeseries-keras-check.py: for a set of sequence_length / sequence_stride / sampling_rate /
# horizon / start_index / end_index combinations over CSV and .npy series, compares the arrays
# `modelc prepare` writes with keras.utils.timeseries_dataset_from_array's windows and targets,
# checks that modelc refuses what Keras refuses, and that the training script `modelc export
# --script` writes cuts the same windows (its --check-arrays).
# Uses a Python environment outside the sources: $MODELC_KERAS_VENV, else /root/kvenv when it has
# keras, else $HOME/.cache/modelc-keras-venv (created with keras and tensorflow-cpu from PyPI).
# Builds modelc in debug unless --release is given.
# Usage: bash Scripts/timeseries-keras-check.sh [--release] [--keep DIR]
# Exit status: 0 when every case agrees, 1 otherwise. Not needed by the build or the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
configuration=debug
args=()
for arg in "$@"; do
    if [ "$arg" = "--release" ]; then configuration=release; else args+=("$arg"); fi
done
venv=${MODELC_KERAS_VENV:-}
if [ -z "$venv" ]; then
    if /root/kvenv/bin/python -c 'import keras, tensorflow' 2>/dev/null; then venv=/root/kvenv; else venv=$HOME/.cache/modelc-keras-venv; fi
fi
if ! "$venv/bin/python" -c 'import keras, tensorflow' 2>/dev/null; then
    echo "creating $venv (keras and tensorflow-cpu from PyPI)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet keras tensorflow-cpu
fi
echo "using $venv: $("$venv/bin/python" -c 'import importlib.metadata as m; print("keras", m.version("keras"), "tensorflow", m.version("tensorflow"))' 2>/dev/null)"
echo "building modelc ($configuration)"
swift build -c "$configuration" --product modelc 2>&1 | tail -n 1
modelc=$(swift build -c "$configuration" --show-bin-path)/modelc
"$venv/bin/python" Scripts/timeseries-keras-check.py --modelc "$modelc" ${args[@]+"${args[@]}"}
