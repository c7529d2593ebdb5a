#!/usr/bin/env bash
# Rebuild the attack fixtures: attacks/src/<name>.c or .wat -> attacks/wasm/<name>.wasm (committed;
# the tests read them). Programs that try to get around the sandbox's controls; not in the page's
# gallery. examples/build.sh runs this too.
#
#   bash attacks/build.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CC="${CC:-clang}"
OUT="$ROOT/attacks/wasm"
mkdir -p "$OUT"
shopt -s nullglob
c_sources=("$ROOT"/attacks/src/*.c)
wat_sources=("$ROOT"/attacks/src/*.wat)
if ((${#c_sources[@]})); then
  # shellcheck source=examples/wasi-cc.sh
  source "$ROOT/examples/wasi-cc.sh"
  require_wasi_cc "$CC"
fi
WAT2WASM="$(command -v wat2wasm || echo "$ROOT/node_modules/.bin/wat2wasm")"
for src in "${c_sources[@]}"; do
  name="$(basename "$src" .c)"
  "$CC" --target=wasm32-wasi -O2 -s -Wall -Wextra -o "$OUT/$name.wasm" "$src"
  echo "built attacks/wasm/$name.wasm ($(wc -c <"$OUT/$name.wasm") bytes)"
done
for src in "${wat_sources[@]}"; do
  name="$(basename "$src" .wat)"
  "$WAT2WASM" --enable-all -o "$OUT/$name.wasm" "$src"
  echo "built attacks/wasm/$name.wasm ($(wc -c <"$OUT/$name.wasm") bytes)"
done
