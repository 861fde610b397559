#!/bin/sh
# modelc lsp latency on a 200-layer spec (release build); not a test, not in CI.
set -eu
cd "$(dirname "$0")/.."
swift build -c release --product modelc >/dev/null
python3 Benchmarks/lsp-latency.py .build/release/modelc 200 40
