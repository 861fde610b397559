#!/bin/sh
# Builds modelc (release) and runs the main job: check every spec in Specs/, print the functional
# two_inputs model's summary and draw it (runs/two_inputs.svg), then train the seed's
# many-to-one LSTM (its data is written inline in the spec) and show its summary, progress, final
# metrics and the prediction for 7, 8, 9 (files in runs/many_to_one/); then, with ../shared beside the
# project, the IMDB LSTM from raw reviews (files in runs/imdb_lstm/).
set -eu
cd "$(dirname "$0")/.."
sh Scripts/install-dependencies.sh
swift build -c release --product modelc
# modelc-hdf5 reads Keras .h5/.keras files in a process of its own; it lives beside modelc.
swift build -c release --product modelc-hdf5
modelc=.build/release/modelc
# The specs and, with ../shared beside the project, the data files they name (read and checked as
# train reads them); without the data, the specs alone.
if [ -d ../shared/datasets ]; then
    "$modelc" check Specs/*.yaml --data ../shared/datasets
else
    "$modelc" check Specs/*.yaml --no-data
fi
# A functional model: Keras's graph summary and its picture.
"$modelc" summary Specs/two_inputs.yaml
"$modelc" plot Specs/two_inputs.yaml --output runs/two_inputs.svg
"$modelc" train Specs/many_to_one.yaml

# The seeds' central experiment, when the shared IMDB reviews are beside the project: train the
# LSTM from raw text to early stopping, score the test reviews, and read two new reviews.
if [ -f ../shared/datasets/imdb/train.csv ]; then
    "$modelc" train Specs/imdb_lstm.yaml --data ../shared/datasets --run-dir runs/imdb_lstm --overwrite
    "$modelc" evaluate Specs/imdb_lstm.yaml --data ../shared/datasets --weights runs/imdb_lstm/weights.safetensors
    "$modelc" predict Specs/imdb_lstm.yaml --weights runs/imdb_lstm/weights.safetensors \
        --text "A wonderful film: moving, funny and beautifully acted." \
        --text "Boring and predictable, a waste of two hours."
    # Its best model as the Keras files the seeds save (ModelCheckpoint('best-lstm-model.h5')), and
    # the .h5 read back into a spec that predicts the same.
    "$modelc" export Specs/imdb_lstm.yaml --weights runs/imdb_lstm/best.safetensors --output runs/imdb_lstm/best-lstm-model.h5
    "$modelc" export Specs/imdb_lstm.yaml --weights runs/imdb_lstm/best.safetensors --output runs/imdb_lstm/best-lstm-model.keras
    "$modelc" import runs/imdb_lstm/best-lstm-model.h5 --output runs/imdb_lstm/imported.yaml --weights-output runs/imdb_lstm/imported.safetensors
    "$modelc" predict runs/imdb_lstm/imported.yaml --weights runs/imdb_lstm/imported.safetensors \
        --vocabulary runs/imdb_lstm/vocabulary.json --text "A wonderful film: moving, funny and beautifully acted."
fi
