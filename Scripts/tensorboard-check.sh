#!/bin/bash
# Checks that TensorBoard itself reads the event files modelc's TensorBoard callback writes, with
# Scripts/tensorboard-check.py: trains a small spec (validation split, update_freq batch, write_graph)
# and reads log_dir/train and log_dir/validation with TensorBoard's EventAccumulator and
# event_file_loader, comparing every tag, step and value with the run's history.csv; then serves
# the folder with TensorBoard on loopback and reads the scalars through its HTTP API.
# Creates the Python environment first when it is missing, outside the sources:
# $MODELC_TENSORBOARD_VENV, default $HOME/.cache/modelc-tensorboard-venv (the `tensorboard` PyPI package).
# Builds modelc in debug unless --release is given.
# Usage: bash Scripts/tensorboard-check.sh [--release] [--keep DIR] [--no-server]
# Exit status: 0 when every check passed, 1 otherwise. Not needed by the build or the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
configuration=debug
args=()
for arg in "$@"; do
    if [ "$arg" = "--release" ]; then configuration=release; else args+=("$arg"); fi
done
venv=${MODELC_TENSORBOARD_VENV:-$HOME/.cache/modelc-tensorboard-venv}
if ! "$venv/bin/python" -c 'import tensorboard.backend.event_processing.event_accumulator' 2>/dev/null; then
    echo "creating $venv (tensorboard from PyPI)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet tensorboard
fi
echo "using $venv: tensorboard $("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("tensorboard"))')"
echo "building modelc ($configuration)"
swift build -c "$configuration" --product modelc 2>&1 | tail -n 1
modelc=$(swift build -c "$configuration" --show-bin-path)/modelc
"$venv/bin/python" Scripts/tensorboard-check.py --modelc "$modelc" ${args[@]+"${args[@]}"}
