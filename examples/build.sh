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
APT_C="apt-get install -y clang lld wasi-libc libclang-rt-dev-wasm32"
APT_WAT="apt-get install -y wabt"
APT_RS="apt-get install -y rustc libstd-rust-dev-wasm32"

mkdir -p "$OUT"
shopt -s nullglob
c_sources=("$SRC"/*.c)
wat_sources=("$SRC"/*.wat)
rs_sources=("$SRC"/*.rs)

# --- toolchain checks -------------------------------------------------------
if ((${#c_sources[@]})); then
  if ! command -v "$CC" >/dev/null 2>&1; then
    echo "error: '$CC' not found. Install the WASI C toolchain with:" >&2
    echo "  $APT_C" >&2
    exit 1
  fi
  # clang alone is not enough: wasm-ld (lld), wasi-libc and the wasm32
  # compiler-rt builtins must be there too. Debian's layout needs
  # --target=wasm32-wasi (not wasm32-wasip1) and no --sysroot.
  probe_dir="$(mktemp -d)"
  trap 'rm -rf "$probe_dir"' EXIT
  printf '#include <stdio.h>\nint main(void){puts("ok");return 0;}\n' >"$probe_dir/probe.c"
  if ! "$CC" --target=wasm32-wasi -O2 -o "$probe_dir/probe.wasm" "$probe_dir/probe.c" >"$probe_dir/log" 2>&1; then
    cat "$probe_dir/log" >&2
    echo "error: '$CC' cannot build wasm32-wasi programs. Install the missing pieces with:" >&2
    echo "  $APT_C" >&2
    exit 1
  fi
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
