/*
 * The conformance suite's one helper: each check prints one line
 *
 *     CHECK <name>: <observed> => PASS
 *     CHECK <name>: <observed> => FAIL (expected <expected>)
 *
 * with the expected value written here, from the WASI preview1 spec (and the WASI testsuite
 * where the spec is silent). The runner counts the lines; a check that never prints (the
 * program died first) counts as failed. Raw calls come from <wasi/api.h> so that libc hides
 * nothing.
 */
#ifndef CONFORMANCE_CHECK_H
#define CONFORMANCE_CHECK_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

static const char *const ERRNO_NAMES[] = {
  "SUCCESS", "2BIG", "ACCES", "ADDRINUSE", "ADDRNOTAVAIL", "AFNOSUPPORT", "AGAIN", "ALREADY",
  "BADF", "BADMSG", "BUSY", "CANCELED", "CHILD", "CONNABORTED", "CONNREFUSED", "CONNRESET",
  "DEADLK", "DESTADDRREQ", "DOM", "DQUOT", "EXIST", "FAULT", "FBIG", "HOSTUNREACH", "IDRM",
  "ILSEQ", "INPROGRESS", "INTR", "INVAL", "IO", "ISCONN", "ISDIR", "LOOP", "MFILE", "MLINK",
  "MSGSIZE", "MULTIHOP", "NAMETOOLONG", "NETDOWN", "NETRESET", "NETUNREACH", "NFILE", "NOBUFS",
  "NODEV", "NOENT", "NOEXEC", "NOLCK", "NOLINK", "NOMEM", "NOMSG", "NOPROTOOPT", "NOSPC", "NOSYS",
  "NOTCONN", "NOTDIR", "NOTEMPTY", "NOTRECOVERABLE", "NOTSOCK", "NOTSUP", "NOTTY", "NXIO",
  "OVERFLOW", "OWNERDEAD", "PERM", "PIPE", "PROTO", "PROTONOSUPPORT", "PROTOTYPE", "RANGE", "ROFS",
  "SPIPE", "SRCH", "STALE", "TIMEDOUT", "TXTBSY", "XDEV", "NOTCAPABLE",
};

static inline const char *errno_name(int e) {
  static char other[16];
  if (e >= 0 && e < (int)(sizeof ERRNO_NAMES / sizeof ERRNO_NAMES[0])) return ERRNO_NAMES[e];
  snprintf(other, sizeof other, "E%d", e);
  return other;
}

static int checks_failed;

/* The general form: `ok` decides; `expected` says what the spec wants, in words. */
__attribute__((format(printf, 4, 5)))
static inline void check(const char *name, int ok, const char *expected, const char *observed_fmt, ...) {
  char observed[512];
  va_list ap;
  va_start(ap, observed_fmt);
  vsnprintf(observed, sizeof observed, observed_fmt, ap);
  va_end(ap);
  if (ok) printf("CHECK %s: %s => PASS\n", name, observed);
  else {
    printf("CHECK %s: %s => FAIL (expected %s)\n", name, observed, expected);
    checks_failed++;
  }
  fflush(stdout);
}

/* A check name written in a table rather than at a check*() call (the manifest finds both). */
#define CHECK_NAME(name) name

/* An errno, one expected value. */
static inline void check_errno(const char *name, int got, int want) {
  check(name, got == want, errno_name(want), "%s", errno_name(got));
}

/* An errno where the spec (or its testsuite) allows either of two. */
static inline void check_errno2(const char *name, int got, int want1, int want2) {
  char expected[64];
  snprintf(expected, sizeof expected, "%s or %s", errno_name(want1), errno_name(want2));
  check(name, got == want1 || got == want2, expected, "%s", errno_name(got));
}

static inline void check_u64(const char *name, uint64_t got, uint64_t want) {
  char expected[32];
  snprintf(expected, sizeof expected, "%llu", (unsigned long long)want);
  check(name, got == want, expected, "%llu", (unsigned long long)got);
}

/* Text as a printable, one-line C string literal: what check_str shows. */
static inline void quote(char *out, size_t size, const char *text, size_t len) {
  size_t o = 0;
  out[o++] = '"';
  for (size_t i = 0; i < len && o + 6 < size; i++) {
    unsigned char c = (unsigned char)text[i];
    if (c == '\n') o += (size_t)snprintf(out + o, size - o, "\\n");
    else if (c == '"' || c == '\\') o += (size_t)snprintf(out + o, size - o, "\\%c", c);
    else if (c < 0x20 || c == 0x7f) o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
    else out[o++] = (char)c;
  }
  out[o++] = '"';
  out[o] = 0;
}

static inline void check_str(const char *name, const char *got, size_t got_len, const char *want) {
  char observed[256], expected[256];
  quote(observed, sizeof observed, got, got_len);
  quote(expected, sizeof expected, want, strlen(want));
  check(name, got_len == strlen(want) && memcmp(got, want, got_len) == 0, expected, "%s", observed);
}

/* An errno where the spec allows any of several (the WASI testsuite's lists); `wants` ends with -1. */
static inline void check_errno_in(const char *name, int got, const int *wants) {
  char expected[128] = "";
  int ok = 0;
  for (int i = 0; wants[i] >= 0; i++) {
    if (got == wants[i]) ok = 1;
    if (i > 0) strncat(expected, " or ", sizeof expected - strlen(expected) - 1);
    strncat(expected, errno_name(wants[i]), sizeof expected - strlen(expected) - 1);
  }
  check(name, ok, expected, "%s", errno_name(got));
}
#define ANY_OF(...) ((const int[]){__VA_ARGS__, -1})

/*
 * The raw imports, for calls whose path must carry an explicit length (a NUL inside it, bytes
 * that are not UTF-8): the <wasi/api.h> wrappers take C strings.
 */
#define WASI_IMPORT(name) __attribute__((__import_module__("wasi_snapshot_preview1"), __import_name__(name)))
int32_t raw_path_open(int32_t fd, int32_t dirflags, const char *path, size_t path_len, int32_t oflags,
  uint64_t base, uint64_t inheriting, int32_t fdflags, __wasi_fd_t *opened) WASI_IMPORT("path_open");
int32_t raw_path_filestat_get(int32_t fd, int32_t flags, const char *path, size_t path_len,
  __wasi_filestat_t *st) WASI_IMPORT("path_filestat_get");
int32_t raw_path_create_directory(int32_t fd, const char *path, size_t path_len) WASI_IMPORT("path_create_directory");
int32_t raw_path_symlink(const char *old, size_t old_len, int32_t fd, const char *path, size_t path_len) WASI_IMPORT("path_symlink");

/* The preopened directory named `path` (e.g. "/sandbox"), or -1. */
static inline int preopen(const char *path) {
  for (int fd = 3; fd < 64; fd++) {
    __wasi_prestat_t st;
    if (__wasi_fd_prestat_get(fd, &st) != 0 || st.tag != __WASI_PREOPENTYPE_DIR) continue;
    char name[256];
    size_t len = st.u.dir.pr_name_len;
    if (len >= sizeof name || __wasi_fd_prestat_dir_name(fd, (uint8_t *)name, len) != 0) continue;
    name[len] = 0;
    if (strcmp(name, path) == 0) return fd;
  }
  return -1;
}

/* Rights most files are opened with in these programs. */
#define FILE_RW (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL | \
  __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE | __WASI_RIGHTS_FD_FILESTAT_SET_TIMES | \
  __WASI_RIGHTS_FD_ADVISE | __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_SYNC | __WASI_RIGHTS_FD_DATASYNC | \
  __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS | __WASI_RIGHTS_POLL_FD_READWRITE)

/* path_open with a C string path; returns the errno, the new fd in *out (or -1). */
static inline int open_at(int dir, const char *path, int lookup, int oflags, uint64_t base, uint64_t inheriting, int fdflags, int *out) {
  __wasi_fd_t fd = (__wasi_fd_t)-1;
  int e = __wasi_path_open(dir, lookup, path, oflags, base, inheriting, fdflags, &fd);
  *out = e == 0 ? (int)fd : -1;
  return e;
}

/* Create (or truncate) `path` under `dir` with `text` as contents; returns the errno. */
static inline int make_file(int dir, const char *path, const char *text) {
  int fd;
  int e = open_at(dir, path, 0, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, FILE_RW, 0, 0, &fd);
  if (e) return e;
  __wasi_ciovec_t iov = { (const uint8_t *)text, strlen(text) };
  size_t n;
  e = __wasi_fd_write(fd, &iov, 1, &n);
  (void)__wasi_fd_close(fd);
  return e;
}

static inline int write_all(int fd, const void *data, size_t len, size_t *n) {
  __wasi_ciovec_t iov = { data, len };
  return __wasi_fd_write(fd, &iov, 1, n);
}

static inline int read_some(int fd, void *data, size_t len, size_t *n) {
  __wasi_iovec_t iov = { data, len };
  return __wasi_fd_read(fd, &iov, 1, n);
}

/* Monotonic now in nanoseconds. */
static inline uint64_t mono_ns(void) {
  __wasi_timestamp_t t = 0;
  (void)__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t);
  return t;
}

static inline uint64_t real_ns(void) {
  __wasi_timestamp_t t = 0;
  (void)__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &t);
  return t;
}

/* Sleep through poll_oneoff on a relative monotonic clock. */
static inline void sleep_ns(uint64_t ns) {
  __wasi_subscription_t sub;
  memset(&sub, 0, sizeof sub);
  sub.u.tag = __WASI_EVENTTYPE_CLOCK;
  sub.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  sub.u.u.clock.timeout = ns;
  __wasi_event_t ev;
  size_t n;
  (void)__wasi_poll_oneoff(&sub, &ev, 1, &n);
}

static inline int stat_path(int dir, const char *path, int lookup, __wasi_filestat_t *st) {
  memset(st, 0, sizeof *st);
  return __wasi_path_filestat_get(dir, lookup, path, st);
}

/* Ends a program: one summary line the runner ignores, exit 0 whatever happened. */
static inline int done(const char *program) {
  printf("# %s: %d failed\n", program, checks_failed);
  return 0;
}

#endif
