#!/bin/sh
# Regenerates Sources/ModelRun/TensorBoard/Generated/*.pb.swift from the trimmed TensorFlow protos in
# Protos/ (the TensorBoard callback's Event and Summary messages). The generated files are
# committed: building modelc needs neither protoc nor the plugin, only this script does.
#
# Needs `protoc` (Debian: apt-get install -y protobuf-compiler) and `protoc-gen-swift` of the
# swift-protobuf version Package.swift uses (1.39.0), built outside the repository:
#   git clone --branch 1.39.0 https://github.com/apple/swift-protobuf /tmp/swift-protobuf
#   (cd /tmp/swift-protobuf && swift build -c release --product protoc-gen-swift)
#   PROTOC_GEN_SWIFT=/tmp/swift-protobuf/.build/release/protoc-gen-swift sh Scripts/generate-protobuf.sh
set -eu
cd "$(dirname "$0")/.."
plugin="${PROTOC_GEN_SWIFT:-$(command -v protoc-gen-swift || true)}"
if [ -z "$plugin" ] || [ ! -x "$plugin" ]; then
    echo "protoc-gen-swift not found: set PROTOC_GEN_SWIFT to its path (see the comment at the top of this script)" >&2
    exit 1
fi
command -v protoc >/dev/null || { echo "protoc not found (Debian: apt-get install -y protobuf-compiler)" >&2; exit 1; }
out=Sources/ModelRun/TensorBoard/Generated
mkdir -p "$out"
# Public: tests (and tools on ModelRun) decode the files they write with the same messages.
protoc --plugin=protoc-gen-swift="$plugin" --proto_path=Protos \
    --swift_opt=Visibility=Public --swift_opt=FileNaming=DropPath \
    --swift_out="$out" \
    Protos/tensorflow/event.proto Protos/tensorflow/summary.proto Protos/tensorflow/tensor.proto
echo "wrote $(ls "$out"/*.pb.swift | tr '\n' ' ')"
