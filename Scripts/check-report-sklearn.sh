#!/bin/bash
# Checks the statistics of `modelc evaluate --report` against scikit-learn with Scripts/check-report-sklearn.py:
# the hand-worked cases of the Swift tests, and tiny models trained by modelc (binary, multi-class with sparse and
# one-hot labels, tied scores, two-column regression) scored by sklearn on `modelc predict`'s outputs.
# Creates its Python environment first when missing, outside the sources: $MODELC_REPORT_VENV, default
# $HOME/.cache/modelc-report-venv (numpy and scikit-learn from PyPI). Builds modelc in debug.
# Usage: bash Scripts/check-report-sklearn.sh [--verbose]    Exit status 0 when every check agrees. Not needed by the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${MODELC_REPORT_VENV:-$HOME/.cache/modelc-report-venv}
if ! "$venv/bin/python" -c 'import sklearn, numpy' 2>/dev/null; then
    echo "creating $venv (numpy, scikit-learn from PyPI)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet numpy scikit-learn
fi
echo "building modelc (debug)"
swift build --product modelc 2>&1 | tail -n 1
"$venv/bin/python" Scripts/check-report-sklearn.py "$(swift build --show-bin-path)/modelc" "$@"
