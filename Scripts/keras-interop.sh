#!/bin/bash
# Checks that modelc's Keras files and Keras's own agree (issue 12), with Scripts/keras-interop.py:
#   a. export: every reference model in ../shared/keras-cases exported to .keras and .h5 loads in Keras 3 and
#      tf_keras with modelc's parameter count and predictions within 1e-5 of `modelc predict`;
#   b. import: random models saved by Keras 3 (.keras) and tf_keras (.h5) imported with `modelc import` predict
#      within 1e-5 of Keras;
#   c. scale-out: the Keras training script `modelc export --script` writes, under Keras's distribution strategies,
#      and continuing in Keras from modelc's .keras checkpoints.
# Creates the Python environment first when it is missing, outside the sources: $MODELC_KERAS_VENV, default
# ../keras-interop-venv beside the project root. Builds modelc in debug unless --release is given (a debug
# build is enough: the models are small and every check compares numbers, not times).
# Usage: bash Scripts/keras-interop.sh [--release] [--parts a,b,c] [--only NAME...] [--keep DIR]
# Exit status: 0 when every check that could run passed, 1 otherwise. Not needed by the build or the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
configuration=debug
args=()
for arg in "$@"; do
    if [ "$arg" = "--release" ]; then configuration=release; else args+=("$arg"); fi
done
venv=${MODELC_KERAS_VENV:-../keras-interop-venv}
pins=(tensorflow-cpu==2.21.0 keras==3.15.1 tf_keras==2.21.0 h5py numpy jax)
# jax is optional (only the scale-out part's --strategy jax needs it); the other pins are required.
versions_ok='import importlib.metadata as m, sys
want = {"tensorflow-cpu": "2.21.0", "keras": "3.15.1", "tf_keras": "2.21.0"}
sys.exit(any(m.version(p) != v for p, v in want.items()) or not all(m.version(p) for p in ("h5py", "numpy")))'
if ! "$venv/bin/python" -c "$versions_ok" 2>/dev/null; then
    echo "creating $venv (${pins[*]} from PyPI)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet "${pins[@]}"
fi
echo "using $venv: $("$venv/bin/python" -c 'import importlib.metadata as m
def v(p):
    try: return m.version(p)
    except m.PackageNotFoundError: return "missing"
print(", ".join(p + " " + v(p) for p in ("tensorflow-cpu", "keras", "tf_keras", "h5py", "numpy", "jax")))')"
echo "building modelc ($configuration)"
swift build -c "$configuration" --product modelc 2>&1 | tail -n 3
modelc=$(swift build -c "$configuration" --show-bin-path)/modelc
# TensorFlow's start-up notices (CUDA, CPU features, absl) go to stderr; keep only the rest of it.
"$venv/bin/python" Scripts/keras-interop.py --modelc "$modelc" ${args[@]+"${args[@]}"} \
    2> >(grep -v -e 'cudart_stub' -e 'absl::InitializeLog' -e 'cpu_feature_guard' -e 'rebuild TensorFlow' \
        -e 'cuInit' -e 'oneDNN custom operations' -e 'TF_ENABLE_ONEDNN_OPTS' -e 'computation_placer' >&2)
