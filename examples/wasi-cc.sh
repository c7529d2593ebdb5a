# Sourced by the build scripts: check that $CC can build wasm32-wasi programs, or say how to get
# the toolchain. clang alone is not enough: wasm-ld (lld), wasi-libc and the wasm32 compiler-rt
# builtins must be there too. Debian's layout needs --target=wasm32-wasi (not wasm32-wasip1) and
# no --sysroot.
APT_C="apt-get install -y clang lld wasi-libc libclang-rt-dev-wasm32"

require_wasi_cc() {
  local cc="$1"
  if ! command -v "$cc" >/dev/null 2>&1; then
    echo "error: '$cc' not found. Install the WASI C toolchain with:" >&2
    echo "  $APT_C" >&2
    exit 1
  fi
  local probe_dir
  probe_dir="$(mktemp -d)"
  printf '#include <stdio.h>\nint main(void){puts("ok");return 0;}\n' >"$probe_dir/probe.c"
  if ! "$cc" --target=wasm32-wasi -O2 -o "$probe_dir/probe.wasm" "$probe_dir/probe.c" >"$probe_dir/log" 2>&1; then
    cat "$probe_dir/log" >&2
    rm -rf "$probe_dir"
    echo "error: '$cc' cannot build wasm32-wasi programs. Install the missing pieces with:" >&2
    echo "  $APT_C" >&2
    exit 1
  fi
  rm -rf "$probe_dir"
}
