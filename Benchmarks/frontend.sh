#!/bin/sh
# Front-end timings for BENCHMARKS.md: `modelc summary` on a seed spec, `modelc check` over 1,000
# specs, and (when a Python with tf_keras is given) Keras building and summarizing the same model.
# Usage: sh Benchmarks/frontend.sh [path/to/python-with-tf_keras]
# Not a test and not run by CI. Uses hyperfine when installed (apt-get install hyperfine).
set -eu
cd "$(dirname "$0")/.."
swift build -c release --product modelc >/dev/null
modelc="$(pwd)/.build/release/modelc"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1,000 specs: the valid specs of Specs/ and ../shared/keras-cases, repeated under new names.
mkdir "$work/specs"
sources=$(ls Specs/*.yaml ../shared/keras-cases/*/*.yaml 2>/dev/null)
count=0
while [ "$count" -lt 1000 ]; do
    for source in $sources; do
        [ "$count" -ge 1000 ] && break
        cp "$source" "$work/specs/spec$count.yaml"
        count=$((count + 1))
    done
done

cat > "$work/keras_summary.py" <<'PY'
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tf_keras as keras
model = keras.Sequential([keras.Input(shape=(100,)), keras.layers.Embedding(500, 16),
                          keras.layers.LSTM(8), keras.layers.Dense(1, activation="sigmoid")])
model.summary()
PY

echo "machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
if command -v hyperfine >/dev/null 2>&1; then
    set -- "$modelc summary Specs/imdb_lstm.yaml" "$modelc check --no-data $work/specs" ${1:+"$1 $work/keras_summary.py"}
    hyperfine --warmup 3 --runs 30 --style basic -N "$1" "$2" 2>/dev/null || hyperfine --warmup 3 --runs 30 --style basic "$1" "$2"
    if [ $# -ge 3 ]; then hyperfine --warmup 1 --runs 5 --style basic "$3"; fi
else
    for command in "$modelc summary Specs/imdb_lstm.yaml" "$modelc check --no-data $work/specs"; do
        start=$(date +%s%N); $command >/dev/null; end=$(date +%s%N)
        echo "$command: $(( (end - start) / 1000000 )) ms (one run; install hyperfine for statistics)"
    done
fi
