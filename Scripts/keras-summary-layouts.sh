#!/bin/bash
# Checks `modelc summary --layout tf-keras` and `--layout keras3` against tf_keras 2.13+ and Keras 3 themselves:
# Scripts/keras-summary-layouts.py builds every model in both, prints their summaries and compares them with
# modelc's, byte for byte. Creates the Python environment first, from PyPI, outside the sources
# ($KERAS_LAYOUTS_VENV, default ~/.cache/modelc/keras-layouts-venv) when it is missing. Not needed by the
# project's build or tests: the recorded outputs are the fixtures in Tests/Fixtures/summary-layouts.
# Usage: bash Scripts/keras-summary-layouts.sh [--record] [SPEC_OR_DIR...]
#   default specs: Specs/*.yaml, Tests/Fixtures/summary-layouts/*.yaml and ../shared/keras-cases/{summary,graph-summary}
#   --record rewrites the fixtures' recorded Keras outputs (Tests/Fixtures/summary-layouts/NAME.{tf-keras,keras3}.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${KERAS_LAYOUTS_VENV:-$HOME/.cache/modelc/keras-layouts-venv}
if ! "$venv/bin/python" -c 'import tensorflow, tf_keras, keras, yaml' 2>/dev/null; then
    echo "creating $venv (tensorflow-cpu, tf_keras, keras, pyyaml from PyPI)"
    mkdir -p "$(dirname "$venv")"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet tensorflow-cpu tf_keras keras pyyaml
fi
echo "using $("$venv/bin/python" -c 'import importlib.metadata, tensorflow, tf_keras, keras, rich; print("tensorflow", tensorflow.__version__, "tf_keras", tf_keras.__version__, "keras", keras.__version__, "rich", importlib.metadata.version("rich"))' 2>/dev/null)"
swift build --product modelc >/dev/null 2>&1 || swift build --product modelc
modelc="$(swift build --show-bin-path)/modelc"
# Keras 3's table is as wide as the terminal allows; off a terminal with COLUMNS unset it is 76 cells.
unset COLUMNS LINES
# TensorFlow's start-up notices (CUDA, CPU features, oneDNN) go to stderr; keep only the rest of it.
"$venv/bin/python" Scripts/keras-summary-layouts.py --modelc "$modelc" "$@" \
    2> >(grep -v -e 'cudart_stub' -e 'absl::InitializeLog' -e 'cpu_feature_guard' -e 'rebuild TensorFlow' \
        -e 'cuInit' -e 'oneDNN' -e 'port.cc' >&2)
