#!/usr/bin/env bash
# Rebuild the CPU-bound benchmark programs: bench/programs/<name>.c -> <name>.wasm
#
#   bash bench/programs/build.sh
#
# Built with -O2 and stripped, for wasm32-wasi (wasi-libc), like the examples.
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CC="${CC:-clang}"
APT_C="apt-get install -y clang lld wasi-libc libclang-rt-dev-wasm32"

if ! command -v "$CC" >/dev/null 2>&1; then
  echo "error: '$CC' not found. Install the WASI C toolchain with:" >&2
  echo "  $APT_C" >&2
  exit 1
fi
probe_dir="$(mktemp -d)"
trap 'rm -rf "$probe_dir"' EXIT
printf '#include <stdio.h>\nint main(void){puts("ok");return 0;}\n' >"$probe_dir/probe.c"
if ! "$CC" --target=wasm32-wasi -O2 -o "$probe_dir/probe.wasm" "$probe_dir/probe.c" >"$probe_dir/log" 2>&1; then
  cat "$probe_dir/log" >&2
  echo "error: '$CC' cannot build wasm32-wasi programs. Install the missing pieces with:" >&2
  echo "  $APT_C" >&2
  exit 1
fi

shopt -s nullglob
built=0
for src in "$DIR"/*.c; do
  name="$(basename "$src" .c)"
  "$CC" --target=wasm32-wasi -O2 -s -Wall -Wextra -o "$DIR/$name.wasm" "$src"
  echo "built bench/programs/$name.wasm ($(wc -c <"$DIR/$name.wasm") bytes)"
  built=$((built + 1))
done
echo "built $built benchmark program(s)"
