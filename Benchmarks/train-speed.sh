#!/bin/sh
# Seconds per epoch (validation included) of the IMDB models in modelc, Keras and PyTorch, measured
# side by side on identical tokenized arrays: 20,000 training and 5,000 validation reviews, num_words
# 500, maxlen 100, batch 64, RMSprop 1e-4, binary cross-entropy, accuracy. Systems alternate within
# each run; the table shows per-epoch medians (each run's first epoch, which includes warm-up, left
# out) and how many times faster modelc is.
# Usage: sh Benchmarks/train-speed.sh [python-with-tf_keras-and-torch] [runs, default 3] [epochs, default 4] [raw-results-file]
# Without a Python argument only modelc runs. Make one with Benchmarks/make-venv.sh. Not a test, not in CI.
set -eu
cd "$(dirname "$0")/.."
python=${1:-}
runs=${2:-3}
epochs=${3:-4}
keep=${4:-}
swift build -c release --product modelc >/dev/null
modelc="$(pwd)/.build/release/modelc"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$modelc" prepare Specs/imdb_lstm.yaml --data ../shared/datasets --output "$work/arrays"
for variant in lstm gru stacked bilstm; do
    case $variant in
        lstm) layers="LSTM 8" ;;
        gru) layers="GRU 8" ;;
        stacked) layers="LSTM 8 return_sequences, LSTM 8" ;;
        bilstm) layers="Bidirectional LSTM 16" ;;
    esac
    cat > "$work/$variant.yaml" <<SPEC
input: [100]
layers: [Embedding 500x16, $layers, Dense 1 sigmoid]
compile: {optimizer: {RMSprop: {learning_rate: 1.0e-4}}, loss: binary_crossentropy, metrics: [accuracy]}
fit: {epochs: $epochs, batch_size: 64, seed: 42, verbose: 0}
data:
  train: {x: arrays/x_train.npy, y: arrays/y_train.npy}
  validation: {x: arrays/x_validation.npy, y: arrays/y_validation.npy}
SPEC
done

has_torch=no
if [ -n "$python" ] && "$python" -c "import torch" 2>/dev/null; then has_torch=yes; fi
results="$work/results.txt"
: > "$results"
run=1
while [ "$run" -le "$runs" ]; do
    for variant in lstm gru stacked bilstm; do
        "$modelc" train "$work/$variant.yaml" --run-dir "$work/run" >/dev/null
        python3 -c "
import json, sys
h = json.load(open('$work/run/history.json'))
for epoch, (seconds, accuracy) in enumerate(zip(h['seconds'], h['val_accuracy']), 1):
    print('modelc $variant $run', epoch, seconds, accuracy)" >> "$results"
        if [ -n "$python" ]; then
            "$python" Benchmarks/keras_imdb.py "$variant" "$work/arrays" "$epochs" | sed "s/^epoch/keras $variant $run/" >> "$results"
            if [ "$has_torch" = yes ]; then
                "$python" Benchmarks/torch_imdb.py "$variant" "$work/arrays" "$epochs" | sed "s/^epoch/pytorch $variant $run/" >> "$results"
            fi
        fi
    done
    run=$((run + 1))
done

if [ -n "$keep" ]; then cp "$results" "$keep"; fi
python3 - "$results" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
times, accuracy, per_run = {}, {}, {}
for system, variant, run, epoch, seconds, acc in rows:
    if int(epoch) > 1:
        times.setdefault((system, variant), []).append(float(seconds))
        per_run.setdefault((system, variant, run), []).append(float(seconds))
    accuracy.setdefault((system, variant), []).append(float(acc))
systems = [s for s in ("modelc", "pytorch", "keras") if any(k[0] == s for k in times)]
variants = ["lstm", "gru", "stacked", "bilstm"]
print("seconds per epoch, median (min-max); last val_accuracy")
print("| system | " + " | ".join(variants) + " |")
print("|---|" + "---|" * len(variants))
for system in systems:
    cells = []
    for variant in variants:
        t = times.get((system, variant))
        cells.append(f"{statistics.median(t):.3f} ({min(t):.3f}-{max(t):.3f}); {accuracy[(system, variant)][-1]:.3f}" if t else "")
    print(f"| {system} | " + " | ".join(cells) + " |")
for other in systems[1:]:
    cells = []
    for variant in variants:
        a, b = times.get(("modelc", variant)), times.get((other, variant))
        cells.append(f"{statistics.median(b) / statistics.median(a):.1f}x" if a and b else "")
    print(f"| modelc faster than {other} | " + " | ".join(cells) + " |")
# The machine's speed drifts between runs; systems alternate within a run, so the ratio of each
# run's medians compares them under the same conditions.
for other in systems[1:]:
    cells = []
    for variant in variants:
        ratios = [statistics.median(per_run[(other, variant, run)]) / statistics.median(per_run[("modelc", variant, run)])
                  for (system, v, run) in per_run if system == "modelc" and v == variant and (other, variant, run) in per_run]
        cells.append(f"{statistics.median(ratios):.1f}x ({min(ratios):.1f}-{max(ratios):.1f})" if ratios else "")
    print(f"| per-run ratio to {other}, median (min-max) | " + " | ".join(cells) + " |")
PY
