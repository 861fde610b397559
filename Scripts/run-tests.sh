#!/bin/sh
# Runs every test. Reads ../shared (Keras cases, seeds) beside the project root.
set -eu
cd "$(dirname "$0")/.."
sh Scripts/install-dependencies.sh
swift build --build-tests
swift test --skip-build
