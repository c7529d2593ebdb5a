/*
 * args_* and environ_*: counts and buffer sizes in bytes (UTF-8, NUL-terminated), the strings
 * themselves, nothing written past the buffer the sizes call asked for.
 * The runner passes argv = [args_env.wasm, first, héllo wörld, ""] and env ALPHA=1, UNICODE=ünï, EMPTY=.
 */
#include "check.h"

/* One list (argv or environ): what it should hold and the names of its checks. */
typedef struct {
  size_t count;
  const char *const *want;
  __wasi_errno_t (*sizes)(size_t *, size_t *);
  __wasi_errno_t (*get)(uint8_t **, uint8_t *);
  const char *sizes_check, *count_check, *size_check, *get_check, *nul_check, *overrun_check;
  const char *value_checks[4];
} List;

static const char *const ARGV[] = { "args_env.wasm", "first", "h\xc3\xa9llo w\xc3\xb6rld", "" };
static const char *const ENVP[] = { "ALPHA=1", "UNICODE=\xc3\xbcn\xc3\xaf", "EMPTY=" };

static const List LISTS[] = {
  { 4, ARGV, __wasi_args_sizes_get, __wasi_args_get,
    CHECK_NAME("args.sizes_get"), CHECK_NAME("args.count"), CHECK_NAME("args.buf_size"), CHECK_NAME("args.get"),
    CHECK_NAME("args.nul_terminated"), CHECK_NAME("args.no_overrun"),
    { CHECK_NAME("args.argv0"), CHECK_NAME("args.ascii"), CHECK_NAME("args.utf8"), CHECK_NAME("args.empty") } },
  { 3, ENVP, __wasi_environ_sizes_get, __wasi_environ_get,
    CHECK_NAME("environ.sizes_get"), CHECK_NAME("environ.count"), CHECK_NAME("environ.buf_size"), CHECK_NAME("environ.get"),
    CHECK_NAME("environ.nul_terminated"), CHECK_NAME("environ.no_overrun"),
    { CHECK_NAME("environ.ascii"), CHECK_NAME("environ.utf8"), CHECK_NAME("environ.empty_value") } },
};

int main(void) {
  for (size_t l = 0; l < sizeof LISTS / sizeof LISTS[0]; l++) {
    const List *list = &LISTS[l];
    size_t count = 0, size = 0, want_size = 0;
    uint8_t *ptrs[8];
    uint8_t buf[300];
    for (size_t i = 0; i < list->count; i++) want_size += strlen(list->want[i]) + 1;
    check_errno(list->sizes_check, list->sizes(&count, &size), 0);
    check_u64(list->count_check, count, list->count);
    check_u64(list->size_check, size, want_size);
    if (count != list->count || size >= sizeof buf) continue;
    memset(buf, 0xAA, sizeof buf);
    check_errno(list->get_check, list->get(ptrs, buf), 0);
    for (size_t i = 0; i < list->count; i++) {
      const char *got = (const char *)ptrs[i];
      check_str(list->value_checks[i], got, strlen(got), list->want[i]);
    }
    check(list->nul_check, buf[size - 1] == 0, "the last byte is NUL", "byte %d", buf[size - 1]);
    check(list->overrun_check, buf[size] == 0xAA, "nothing written past the reported size", "next byte 0x%02x", buf[size]);
  }
  return done("args_env");
}
