#!/usr/bin/env bash
# Rebuild the attack fixtures: attacks/src/<name>.c -> attacks/<name>.wasm (committed; the tests
# read them). Programs that try to get around the sandbox's controls; not in the page's gallery.
#
#   bash attacks/build.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CC="${CC:-clang}"
# shellcheck source=examples/wasi-cc.sh
source "$ROOT/examples/wasi-cc.sh"
require_wasi_cc "$CC"
for src in "$ROOT"/attacks/src/*.c; do
  name="$(basename "$src" .c)"
  "$CC" --target=wasm32-wasi -O2 -s -Wall -Wextra -o "$ROOT/attacks/$name.wasm" "$src"
  echo "built attacks/$name.wasm ($(wc -c <"$ROOT/attacks/$name.wasm") bytes)"
done
