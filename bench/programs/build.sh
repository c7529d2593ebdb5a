#!/usr/bin/env bash
# Rebuild the CPU-bound benchmark programs: bench/programs/<name>.c -> <name>.wasm
#
#   bash bench/programs/build.sh
#
# Built with -O2 and stripped, for wasm32-wasi (wasi-libc), like the examples.
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CC="${CC:-clang}"
# shellcheck source=examples/wasi-cc.sh
source "$DIR/../../examples/wasi-cc.sh"
require_wasi_cc "$CC"

shopt -s nullglob
built=0
for src in "$DIR"/*.c; do
  name="$(basename "$src" .c)"
  "$CC" --target=wasm32-wasi -O2 -s -Wall -Wextra -o "$DIR/$name.wasm" "$src"
  echo "built bench/programs/$name.wasm ($(wc -c <"$DIR/$name.wasm") bytes)"
  built=$((built + 1))
done
echo "built $built benchmark program(s)"
