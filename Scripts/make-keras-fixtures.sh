#!/bin/bash
# Regenerates Tests/Fixtures/keras/ (Keras-written .keras and .h5 files for modelc's Keras import/export tests)
# with Scripts/make-keras-fixtures.py, in pinned Keras 3 and tf_keras versions on TensorFlow CPU.
# Creates that Python environment first when it is missing, outside the sources: $MODELC_KERAS_VENV, default
# ../keras-fixtures-venv beside the project root. Not needed by the project's build or tests (CI only reads the
# committed files).
# Usage: bash Scripts/make-keras-fixtures.sh [--only CASE...]
#        bash Scripts/make-keras-fixtures.sh --check-modelc .build/debug/modelc   (compare modelc with them)
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${MODELC_KERAS_VENV:-../keras-fixtures-venv}
pins=(tensorflow-cpu==2.21.0 keras==3.15.1 tf_keras==2.21.0 h5py==3.14.0 numpy)
# The environment is usable only with exactly the pinned versions: others write other files.
versions_ok='import importlib.metadata as m, sys
want = {"tensorflow-cpu": "2.21.0", "keras": "3.15.1", "tf_keras": "2.21.0", "h5py": "3.14.0"}
sys.exit(any(m.version(p) != v for p, v in want.items()))'
if ! "$venv/bin/python" -c "$versions_ok" 2>/dev/null; then
    echo "creating $venv (${pins[*]} from PyPI)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet "${pins[@]}"
fi
echo "using $venv: $("$venv/bin/python" -c 'import importlib.metadata as m
print(", ".join(p + " " + m.version(p) for p in ("tensorflow-cpu", "keras", "tf_keras", "h5py", "numpy")))')"
# TensorFlow's start-up notices (CUDA, CPU features, absl) go to stderr; keep only the rest of it.
"$venv/bin/python" Scripts/make-keras-fixtures.py "$@" \
    2> >(grep -v -e 'cudart_stub' -e 'absl::InitializeLog' -e 'cpu_feature_guard' -e 'rebuild TensorFlow' \
        -e 'cuInit' -e 'oneDNN custom operations' -e 'TF_ENABLE_ONEDNN_OPTS' >&2)
