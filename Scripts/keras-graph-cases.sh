#!/bin/bash
# Generates Keras reference cases for functional models (graph-summary/, graph-forward/, graph-train/ in the
# formats of shared/keras-cases) with Scripts/keras-graph-cases.py, in Keras 2 (tf_keras) on TensorFlow CPU.
# Creates that Python environment first, from PyPI, outside the sources (../keras-venv) when it is missing.
# Not needed by the project's build or tests.
# Usage: bash Scripts/keras-graph-cases.sh OUTDIR [COUNT [SEED]]   (COUNT cases of each kind, default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ]; then
    echo "usage: bash Scripts/keras-graph-cases.sh OUTDIR [COUNT [SEED]]" >&2
    exit 2
fi
out=$1
count=${2:-30}
seed=${3:-1}
venv=../keras-venv
if ! "$venv/bin/python" -c 'import tensorflow, tf_keras, numpy' 2>/dev/null; then
    echo "creating $venv (tensorflow-cpu, tf_keras, numpy from PyPI)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet tensorflow-cpu tf_keras numpy
fi
echo "using $("$venv/bin/python" -c 'import tensorflow, tf_keras, numpy; print("tensorflow", tensorflow.__version__, "tf_keras", tf_keras.__version__, "numpy", numpy.__version__)' 2>/dev/null)"
# TensorFlow's start-up notices (CUDA, CPU features) go to stderr; keep only the rest of it.
"$venv/bin/python" Scripts/keras-graph-cases.py "$out" --count "$count" --seed "$seed" \
    2> >(grep -v -e 'cudart_stub' -e 'absl::InitializeLog' -e 'cpu_feature_guard' -e 'rebuild TensorFlow' \
        -e 'cuInit' >&2)
for kind in summary forward train; do
    if [ -d "$out/graph-$kind" ]; then
        echo "$out/graph-$kind: $(ls "$out/graph-$kind" | grep -c '\.yaml$') cases, $(ls "$out/graph-$kind" | wc -l) files"
    fi
done
