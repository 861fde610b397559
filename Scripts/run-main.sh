#!/bin/sh
# Builds modelc (release) and runs the main job on the specs in Specs/: check them all, then print
# the seed IMDB model's summary, Keras's table plus modelc's cost table.
set -eu
cd "$(dirname "$0")/.."
sh Scripts/install-dependencies.sh
swift build -c release --product modelc
modelc=.build/release/modelc
"$modelc" check Specs/*.yaml
"$modelc" summary --cost Specs/imdb_lstm.yaml
