#!/bin/sh
# modelc lsp with a real client: Neovim (Debian's neovim, 0.7), headless, driven by lsp-neovim.lua.
# Installs neovim when missing; needs a built modelc (MODELC, default .build/debug/modelc).
set -eu
cd "$(dirname "$0")/.."
if ! command -v nvim >/dev/null 2>&1; then
    root=""; [ "$(id -u)" = 0 ] || root=sudo
    echo "modelc: installing neovim for the editor test" >&2
    $root apt-get install -y -qq neovim >/dev/null 2>&1 || { $root apt-get update -qq && DEBIAN_FRONTEND=noninteractive $root apt-get install -y -qq neovim >/dev/null; }
fi
MODELC="${MODELC:-$(pwd)/.build/debug/modelc}"
folder=$(mktemp -d)
trap 'rm -rf "$folder"' EXIT
# The second LSTM needs the first to return sequences; line 7 is where completion is asked.
cat > "$folder/spec.yaml" <<'SPEC'
input: [10]
layers:
  - Embedding 500x16
  - LSTM 8
  - LSTM 4
  - Dense 1 sigmoid
  - 
SPEC
MODELC="$MODELC" SPEC="$folder/spec.yaml" timeout 60 nvim --headless -u NONE -i NONE -n -c "luafile Scripts/lsp-neovim.lua" 2>&1
