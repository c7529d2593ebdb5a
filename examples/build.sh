#!/usr/bin/env bash
# Rebuild every example WASI program from examples/src into public/examples.
#
#   bash examples/build.sh            (or: npm run examples)
#
# Sources: examples/src/<name>.c   -> clang --target=wasm32-wasi (wasi-libc)
#          examples/src/<name>.wat -> wat2wasm
#          examples/src/<name>.rs  -> rustc --target wasm32-wasi
# Output:  public/examples/<name>.wasm, optimised (-O2) and stripped.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/examples/src"
OUT="$ROOT/public/examples"
CC="${CC:-clang}"
# shellcheck source=examples/wasi-cc.sh
source "$ROOT/examples/wasi-cc.sh"
APT_WAT="apt-get install -y wabt"
APT_RS="apt-get install -y rustc libstd-rust-dev-wasm32"

mkdir -p "$OUT"
shopt -s nullglob
c_sources=("$SRC"/*.c)
wat_sources=("$SRC"/*.wat)
rs_sources=("$SRC"/*.rs)

# --- toolchain checks -------------------------------------------------------
if ((${#c_sources[@]})); then
  require_wasi_cc "$CC"
fi
if ((${#wat_sources[@]})) && ! command -v wat2wasm >/dev/null 2>&1; then
  echo "error: wat2wasm not found. Install it with:" >&2
  echo "  $APT_WAT" >&2
  exit 1
fi
RUSTC="${RUSTC:-/usr/bin/rustc}"
if ((${#rs_sources[@]})) && ! [ -x "$RUSTC" ]; then
  echo "error: $RUSTC not found. Install Rust for wasm32-wasi with:" >&2
  echo "  $APT_RS" >&2
  exit 1
fi

# --- per-program extra flags ------------------------------------------------
extra_cflags() {
  case "$1" in
    # An 8 MiB linear-memory shadow stack (32 bytes per frame here) outlasts
    # the engine's own call stack, so the run ends in a real call-stack
    # overflow (V8: RangeError "Maximum call stack size exceeded").  The stack
    # goes first in memory so that, on an engine with a deeper call stack,
    # running off its end faults at address 0 instead of overwriting globals.
    recursion) echo "-Wl,--stack-first -Wl,-z,stack-size=8388608" ;;
    *) echo "" ;;
  esac
}

# --- build ------------------------------------------------------------------
built=0
for src in "${c_sources[@]}"; do
  name="$(basename "$src" .c)"
  # shellcheck disable=SC2046
  "$CC" --target=wasm32-wasi -O2 -s -Wall -Wextra $(extra_cflags "$name") -o "$OUT/$name.wasm" "$src"
  echo "built public/examples/$name.wasm ($(wc -c <"$OUT/$name.wasm") bytes)"
  built=$((built + 1))
done
for src in "${wat_sources[@]}"; do
  name="$(basename "$src" .wat)"
  wat2wasm -o "$OUT/$name.wasm" "$src"
  echo "built public/examples/$name.wasm ($(wc -c <"$OUT/$name.wasm") bytes)"
  built=$((built + 1))
done
for src in "${rs_sources[@]}"; do
  name="$(basename "$src" .rs)"
  "$RUSTC" --target wasm32-wasi -C opt-level=2 -C panic=abort -C strip=symbols -o "$OUT/$name.wasm" "$src"
  echo "built public/examples/$name.wasm ($(wc -c <"$OUT/$name.wasm") bytes)"
  built=$((built + 1))
done
echo "built $built example(s) into public/examples"
bash "$ROOT/attacks/build.sh"
