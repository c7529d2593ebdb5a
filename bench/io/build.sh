#!/usr/bin/env bash
# Rebuild the syscall-heavy benchmark programs: bench/io/<name>.c -> <name>.wasm
# (kept apart from bench/programs, whose CPU-bound programs measure fuel overhead).
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CC="${CC:-clang}"
# shellcheck source=examples/wasi-cc.sh
source "$DIR/../../examples/wasi-cc.sh"
require_wasi_cc "$CC"
for src in "$DIR"/*.c; do
  name="$(basename "$src" .c)"
  "$CC" --target=wasm32-wasi -O2 -s -Wall -Wextra -o "$DIR/$name.wasm" "$src"
  echo "built bench/io/$name.wasm"
done
