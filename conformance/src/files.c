/*
 * Regular files and streams: read, write, seek, tell, pread, pwrite, scatter/gather, holes,
 * set_size, allocate, advise, sync, APPEND; what a directory descriptor and stdio refuse.
 */
#include "check.h"

static int sb;

static size_t pread_all(int fd, char *buf, size_t len, uint64_t at) {
  __wasi_iovec_t iov = { (uint8_t *)buf, len };
  size_t n = 0;
  if (__wasi_fd_pread(fd, &iov, 1, at, &n) != 0) return 0;
  return n;
}

static uint64_t size_of(int fd) {
  __wasi_filestat_t st;
  return __wasi_fd_filestat_get(fd, &st) == 0 ? st.size : (uint64_t)-1;
}

static uint64_t tell(int fd) {
  __wasi_filesize_t pos = (uint64_t)-1;
  (void)__wasi_fd_tell(fd, &pos);
  return pos;
}

static int all_zero(const char *p, size_t n) {
  for (size_t i = 0; i < n; i++) if (p[i]) return 0;
  return 1;
}

int main(void) {
  sb = preopen("/sandbox");
  int fd, e;
  size_t n;
  __wasi_filesize_t pos;
  char buf[256];

  e = open_at(sb, "f.txt", 0, __WASI_OFLAGS_CREAT, FILE_RW, 0, 0, &fd);
  check_errno("files.create", e, 0);
  e = write_all(fd, "hello world", 11, &n);
  check("files.write", e == 0 && n == 11, "SUCCESS, 11 bytes", "%s, %zu bytes", errno_name(e), n);
  check_u64("files.tell_after_write", tell(fd), 11);
  e = __wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos);
  check("files.seek_set", e == 0 && pos == 0, "SUCCESS, 0", "%s, %llu", errno_name(e), (unsigned long long)pos);
  e = read_some(fd, buf, 5, &n);
  check_str("files.read", buf, e == 0 ? n : 0, "hello");
  check_u64("files.tell_after_read", tell(fd), 5);
  e = read_some(fd, buf, 100, &n);
  check_str("files.read_short", buf, e == 0 ? n : 0, " world");
  e = read_some(fd, buf, 100, &n);
  check("files.read_at_eof", e == 0 && n == 0, "SUCCESS, 0 bytes", "%s, %zu bytes", errno_name(e), n);
  e = __wasi_fd_seek(fd, -3, __WASI_WHENCE_CUR, &pos);
  check("files.seek_cur", e == 0 && pos == 8, "SUCCESS, 8", "%s, %llu", errno_name(e), (unsigned long long)pos);
  e = __wasi_fd_seek(fd, -5, __WASI_WHENCE_END, &pos);
  check("files.seek_end", e == 0 && pos == 6, "SUCCESS, 6", "%s, %llu", errno_name(e), (unsigned long long)pos);
  check_errno("files.seek_negative", __wasi_fd_seek(fd, -100, __WASI_WHENCE_CUR, &pos), __WASI_ERRNO_INVAL);
  check_u64("files.seek_negative_keeps_offset", tell(fd), 6);
  check_errno("files.seek_bad_whence", __wasi_fd_seek(fd, 0, 7, &pos), __WASI_ERRNO_INVAL);

  /* Past the end: seeking is fine, writing there leaves a hole of zeros. */
  e = __wasi_fd_seek(fd, 100, __WASI_WHENCE_SET, &pos);
  check("files.seek_past_end", e == 0 && pos == 100, "SUCCESS, 100", "%s, %llu", errno_name(e), (unsigned long long)pos);
  e = read_some(fd, buf, 10, &n);
  check("files.read_past_end", e == 0 && n == 0, "SUCCESS, 0 bytes", "%s, %zu bytes", errno_name(e), n);
  write_all(fd, "X", 1, &n);
  check_u64("files.hole.size", size_of(fd), 101);
  n = pread_all(fd, buf, 256, 0);
  check("files.hole.zeros", n == 101 && all_zero(buf + 11, 89) && buf[100] == 'X', "bytes 11..99 zero, X at 100",
    "%zu bytes read", n);

  /* pread and pwrite leave the offset alone. */
  (void)__wasi_fd_seek(fd, 3, __WASI_WHENCE_SET, &pos);
  n = pread_all(fd, buf, 4, 6);
  check_str("files.pread", buf, n, "worl");
  check_u64("files.pread_keeps_offset", tell(fd), 3);
  check_u64("files.pread_past_end", pread_all(fd, buf, 4, 500), 0);
  {
    __wasi_ciovec_t iov = { (const uint8_t *)"HELLO", 5 };
    e = __wasi_fd_pwrite(fd, &iov, 1, 0, &n);
    check("files.pwrite", e == 0 && n == 5, "SUCCESS, 5 bytes", "%s, %zu bytes", errno_name(e), n);
  }
  check_u64("files.pwrite_keeps_offset", tell(fd), 3);
  n = pread_all(fd, buf, 11, 0);
  check_str("files.pwrite_content", buf, n, "HELLO world");
  {
    __wasi_ciovec_t iov = { (const uint8_t *)"end", 3 };
    e = __wasi_fd_pwrite(fd, &iov, 1, 200, &n);
  }
  check_u64("files.pwrite_extends", size_of(fd), 203);

  /* Scatter and gather. */
  {
    char a[3], b[4];
    __wasi_iovec_t iovs[2] = { { (uint8_t *)a, 3 }, { (uint8_t *)b, 4 } };
    (void)__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos);
    e = __wasi_fd_read(fd, iovs, 2, &n);
    check("files.readv", e == 0 && n == 7 && memcmp(a, "HEL", 3) == 0 && memcmp(b, "LO w", 4) == 0,
      "SUCCESS, 7 bytes: HEL + LO w", "%s, %zu bytes", errno_name(e), n);
    __wasi_ciovec_t out[3] = { { (const uint8_t *)"ab", 2 }, { (const uint8_t *)"", 0 }, { (const uint8_t *)"cd", 2 } };
    (void)__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos);
    e = __wasi_fd_write(fd, out, 3, &n);
    check("files.writev", e == 0 && n == 4, "SUCCESS, 4 bytes", "%s, %zu bytes", errno_name(e), n);
    n = pread_all(fd, buf, 6, 0);
    check_str("files.writev_content", buf, n, "abcdO ");
  }
  e = write_all(fd, "", 0, &n);
  check("files.write_empty", e == 0 && n == 0, "SUCCESS, 0 bytes", "%s, %zu bytes", errno_name(e), n);

  /* Size: shrink, grow with zeros, allocate (grows, never shrinks). */
  e = __wasi_fd_filestat_set_size(fd, 3);
  n = pread_all(fd, buf, 256, 0);
  check("files.set_size_shrink", e == 0 && size_of(fd) == 3 && n == 3 && memcmp(buf, "abc", 3) == 0,
    "SUCCESS, 3 bytes abc", "%s, size %llu", errno_name(e), (unsigned long long)size_of(fd));
  e = __wasi_fd_filestat_set_size(fd, 10);
  n = pread_all(fd, buf, 256, 0);
  check("files.set_size_grow", e == 0 && n == 10 && all_zero(buf + 3, 7), "SUCCESS, 10 bytes, zeros after abc",
    "%s, %zu bytes", errno_name(e), n);
  e = __wasi_fd_allocate(fd, 0, 20);
  check("files.allocate_grows", e == 0 && size_of(fd) == 20, "SUCCESS, size 20", "%s, size %llu", errno_name(e), (unsigned long long)size_of(fd));
  e = __wasi_fd_allocate(fd, 2, 3);
  check("files.allocate_never_shrinks", e == 0 && size_of(fd) == 20, "SUCCESS, size still 20", "%s, size %llu", errno_name(e),
    (unsigned long long)size_of(fd));
  e = __wasi_fd_allocate(fd, 18, 10);
  check("files.allocate_overlapping_end", e == 0 && size_of(fd) == 28, "SUCCESS, size 28", "%s, size %llu", errno_name(e),
    (unsigned long long)size_of(fd));
  check_errno("files.advise", __wasi_fd_advise(fd, 0, 10, __WASI_ADVICE_SEQUENTIAL), 0);
  check_errno("files.advise_dontneed", __wasi_fd_advise(fd, 0, 0, __WASI_ADVICE_DONTNEED), 0);
  check_errno("files.advise_unknown", __wasi_fd_advise(fd, 0, 10, 17), __WASI_ERRNO_INVAL);
  check_errno("files.datasync", __wasi_fd_datasync(fd), 0);
  check_errno("files.sync", __wasi_fd_sync(fd), 0);
  (void)__wasi_fd_close(fd);

  /* APPEND: every write lands at the end; the offset follows it. */
  make_file(sb, "log.txt", "one\n");
  open_at(sb, "log.txt", 0, 0, FILE_RW, 0, __WASI_FDFLAGS_APPEND, &fd);
  (void)__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos);
  write_all(fd, "two\n", 4, &n);
  n = pread_all(fd, buf, 256, 0);
  check_str("files.append_writes_at_end", buf, n, "one\ntwo\n");
  check_u64("files.append_offset", tell(fd), 8);
  {
    __wasi_ciovec_t iov = { (const uint8_t *)"3", 1 };
    e = __wasi_fd_pwrite(fd, &iov, 1, 0, &n);
  }
  uint64_t end = size_of(fd);
  check("files.append_pwrite", e == 0 && tell(fd) == 8 && (end == 8 || end == 9),
    "SUCCESS, offset unchanged (POSIX writes at 0, Linux at the end: either)", "%s, offset %llu, size %llu",
    errno_name(e), (unsigned long long)tell(fd), (unsigned long long)end);
  (void)__wasi_fd_close(fd);

  /* A large file written in pieces reads back whole. */
  open_at(sb, "big.bin", 0, __WASI_OFLAGS_CREAT, FILE_RW, 0, 0, &fd);
  static char chunk[65536];
  for (size_t i = 0; i < sizeof chunk; i++) chunk[i] = (char)(i * 7);
  int bad = 0;
  for (int i = 0; i < 32; i++) {
    if (write_all(fd, chunk, sizeof chunk, &n) != 0 || n != sizeof chunk) bad++;
  }
  n = pread_all(fd, buf, 16, 31 * sizeof chunk + 1000);
  check("files.large", bad == 0 && size_of(fd) == 32 * sizeof chunk && n == 16 && memcmp(buf, chunk + 1000, 16) == 0,
    "2 MiB written in 64 KiB pieces, read back", "%d failed writes, size %llu", bad, (unsigned long long)size_of(fd));
  (void)__wasi_fd_close(fd);

  /* A directory descriptor is not a file (the testsuite allows ISDIR, BADF or NOTCAPABLE). */
#define NOT_ON_DIR ANY_OF(__WASI_ERRNO_ISDIR, __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE)
  check_errno_in("files.dir.fd_read", read_some(sb, buf, 4, &n), NOT_ON_DIR);
  check_errno_in("files.dir.fd_write", write_all(sb, "x", 1, &n), NOT_ON_DIR);
  {
    __wasi_iovec_t iov = { (uint8_t *)buf, 4 };
    check_errno_in("files.dir.fd_pread", __wasi_fd_pread(sb, &iov, 1, 0, &n), NOT_ON_DIR);
    __wasi_ciovec_t ciov = { (const uint8_t *)"x", 1 };
    check_errno_in("files.dir.fd_pwrite", __wasi_fd_pwrite(sb, &ciov, 1, 0, &n), NOT_ON_DIR);
  }
  check_errno_in("files.dir.fd_seek", __wasi_fd_seek(sb, 0, __WASI_WHENCE_CUR, &pos), NOT_ON_DIR);
  check_errno_in("files.dir.fd_tell", __wasi_fd_tell(sb, &pos), NOT_ON_DIR);
  check_errno_in("files.dir.fd_allocate", __wasi_fd_allocate(sb, 0, 1), NOT_ON_DIR);
  check_errno_in("files.dir.fd_filestat_set_size", __wasi_fd_filestat_set_size(sb, 0),
    ANY_OF(__WASI_ERRNO_ISDIR, __WASI_ERRNO_INVAL, __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE));

  /* stdio: streams, not seekable. */
  check_errno_in("files.stdout.seek", __wasi_fd_seek(1, 0, __WASI_WHENCE_CUR, &pos), ANY_OF(__WASI_ERRNO_SPIPE, __WASI_ERRNO_NOTCAPABLE));
  check_errno_in("files.stdin.tell", __wasi_fd_tell(0, &pos), ANY_OF(__WASI_ERRNO_SPIPE, __WASI_ERRNO_NOTCAPABLE));
  e = write_all(1, "# a line on stdout\n", 19, &n);
  check("files.stdout.write", e == 0 && n == 19, "SUCCESS, 19 bytes", "%s, %zu bytes", errno_name(e), n);
  memset(buf, 0, sizeof buf);
  e = read_some(0, buf, sizeof buf, &n);
  check_str("files.stdin.read", buf, e == 0 ? n : 0, "stdin line\n");
  e = read_some(0, buf, sizeof buf, &n);
  check("files.stdin.eof", e == 0 && n == 0, "SUCCESS, 0 bytes at the end", "%s, %zu bytes", errno_name(e), n);
  return done("files");
}
