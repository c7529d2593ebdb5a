#!/usr/bin/env bash
# Rebuild the syscall-heavy benchmark programs: bench/io/<name>.c -> <name>.wasm
# (kept apart from bench/programs, whose CPU-bound programs measure fuel overhead).
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CC="${CC:-clang}"
if ! command -v "$CC" >/dev/null 2>&1; then
  echo "error: '$CC' not found. Install: apt-get install -y clang lld wasi-libc libclang-rt-dev-wasm32" >&2
  exit 1
fi
for src in "$DIR"/*.c; do
  name="$(basename "$src" .c)"
  "$CC" --target=wasm32-wasi -O2 -s -Wall -Wextra -o "$DIR/$name.wasm" "$src"
  echo "built bench/io/$name.wasm"
done
