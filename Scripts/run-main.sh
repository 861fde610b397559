#!/bin/sh
# Builds modelc (release) and runs the main job: check every spec in Specs/, then train the seed's
# many-to-one LSTM (its data is written inline in the spec) and show its summary, progress, final
# metrics and the prediction for 7, 8, 9; the run's files go to runs/many_to_one/.
set -eu
cd "$(dirname "$0")/.."
sh Scripts/install-dependencies.sh
swift build -c release --product modelc
modelc=.build/release/modelc
"$modelc" check Specs/*.yaml
"$modelc" train Specs/many_to_one.yaml
