/*
 * args_* and environ_*: counts and buffer sizes in bytes (UTF-8, NUL-terminated), the strings
 * themselves, nothing written past the buffer the sizes call asked for.
 * The runner passes argv = [args_env.wasm, first, héllo wörld, ""] and env ALPHA=1, UNICODE=ünï, EMPTY=.
 */
#include "check.h"

static const char *const ARGV[] = { "args_env.wasm", "first", "h\xc3\xa9llo w\xc3\xb6rld", "" };
static const char *const ENVP[] = { "ALPHA=1", "UNICODE=\xc3\xbcn\xc3\xaf", "EMPTY=" };

static size_t total_size(const char *const *list, size_t n) {
  size_t size = 0;
  for (size_t i = 0; i < n; i++) size += strlen(list[i]) + 1;
  return size;
}

static const char *at(uint8_t **ptrs, size_t i) {
  return (const char *)ptrs[i];
}

int main(void) {
  size_t count = 0, size = 0;
  uint8_t *ptrs[8];
  uint8_t buf[300];

  check_errno("args.sizes_get", __wasi_args_sizes_get(&count, &size), 0);
  check_u64("args.count", count, 4);
  check_u64("args.buf_size", size, total_size(ARGV, 4));
  if (count == 4 && size < sizeof buf) {
    memset(buf, 0xAA, sizeof buf);
    check_errno("args.get", __wasi_args_get(ptrs, buf), 0);
    check_str("args.argv0", at(ptrs, 0), strlen(at(ptrs, 0)), ARGV[0]);
    check_str("args.ascii", at(ptrs, 1), strlen(at(ptrs, 1)), ARGV[1]);
    check_str("args.utf8", at(ptrs, 2), strlen(at(ptrs, 2)), ARGV[2]);
    check_str("args.empty", at(ptrs, 3), strlen(at(ptrs, 3)), ARGV[3]);
    check("args.nul_terminated", buf[size - 1] == 0, "the last byte is NUL", "byte %d", buf[size - 1]);
    check("args.no_overrun", buf[size] == 0xAA, "nothing written past the reported size", "next byte 0x%02x", buf[size]);
  }

  count = size = 0;
  check_errno("environ.sizes_get", __wasi_environ_sizes_get(&count, &size), 0);
  check_u64("environ.count", count, 3);
  check_u64("environ.buf_size", size, total_size(ENVP, 3));
  if (count == 3 && size < sizeof buf) {
    memset(buf, 0xAA, sizeof buf);
    check_errno("environ.get", __wasi_environ_get(ptrs, buf), 0);
    check_str("environ.ascii", at(ptrs, 0), strlen(at(ptrs, 0)), ENVP[0]);
    check_str("environ.utf8", at(ptrs, 1), strlen(at(ptrs, 1)), ENVP[1]);
    check_str("environ.empty_value", at(ptrs, 2), strlen(at(ptrs, 2)), ENVP[2]);
    check("environ.nul_terminated", buf[size - 1] == 0, "the last byte is NUL", "byte %d", buf[size - 1]);
    check("environ.no_overrun", buf[size] == 0xAA, "nothing written past the reported size", "next byte 0x%02x", buf[size]);
  }
  return done("args_env");
}
