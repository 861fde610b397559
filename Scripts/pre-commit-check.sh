#!/bin/sh
# The pre-commit hook `modelc-check` (.pre-commit-hooks.yaml): `modelc check` on the staged spec files.
# modelc is $MODELC, else `modelc` on PATH, else built (release) in the hook's own checkout once.
set -eu
if [ -n "${MODELC:-}" ]; then
    modelc="$MODELC"
elif command -v modelc >/dev/null 2>&1; then
    modelc=modelc
else
    here=$(cd "$(dirname "$0")/.." && pwd)
    if [ ! -x "$here/.build/release/modelc" ]; then
        echo "modelc-check: building modelc in $here (once)" >&2
        (cd "$here" && sh Scripts/install-dependencies.sh && swift build -c release --product modelc >&2)
    fi
    modelc="$here/.build/release/modelc"
fi
exec "$modelc" check --color never "$@"
