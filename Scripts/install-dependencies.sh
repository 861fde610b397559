#!/bin/sh
# Installs what modelc needs beyond the Swift toolchain, only if it is missing:
# libyaml, OpenBLAS, zlib, Graphviz and HDF5 (headers and pkg-config files) and pkg-config itself. Debian/Ubuntu (apt-get).
# Graphviz: libgraphviz-dev brings libgvc6, whose layout (dot) and render (svg, png through cairo) plugins
# `modelc plot` uses in-process; libgvc6 registers them on install (its config6a, what `dot -c` writes).
set -eu

if ! command -v swift >/dev/null 2>&1; then
    echo "modelc: the Swift toolchain (swift) is not on PATH; install Swift 6 first" >&2
    exit 1
fi

if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists yaml-0.1 openblas zlib libgvc hdf5; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    run_as_root=""
elif command -v sudo >/dev/null 2>&1; then
    run_as_root="sudo"
else
    echo "modelc: libyaml-dev, libopenblas-dev, zlib1g-dev, libgraphviz-dev, libhdf5-dev or pkg-config are missing and there is no sudo; install them as root" >&2
    exit 1
fi

echo "modelc: installing libyaml-dev, libopenblas-dev, zlib1g-dev, libgraphviz-dev, libhdf5-dev and pkg-config" >&2
$run_as_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive $run_as_root apt-get install -y -qq libyaml-dev libopenblas-dev zlib1g-dev libgraphviz-dev libhdf5-dev pkg-config >/dev/null
