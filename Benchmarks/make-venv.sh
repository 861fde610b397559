#!/bin/sh
# Creates the Python environment the speed benchmark compares against (Keras 2 on TensorFlow CPU,
# and PyTorch), from PyPI, in a folder outside the sources. Not needed by the project or its tests.
# Usage: sh Benchmarks/make-venv.sh [folder, default ../.bench-venv]
set -eu
cd "$(dirname "$0")/.."
venv=${1:-../.bench-venv}
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet tensorflow-cpu tf_keras torch numpy
echo "created $venv: $("$venv/bin/python" -c 'import tensorflow, tf_keras, torch; print("tensorflow", tensorflow.__version__, "tf_keras", tf_keras.__version__, "torch", torch.__version__)')"
