/*
 * path_open: CREAT, EXCL, TRUNC and DIRECTORY in their combinations; trailing slashes; "." and
 * ".." inside a mount and above it; names with odd bytes; names too long; NUL and invalid
 * UTF-8 in a path.
 */
#include "check.h"

static int sb;

static int try_open(const char *path, int oflags, uint64_t rights) {
  int fd;
  int e = open_at(sb, path, 0, oflags, rights, 0, 0, &fd);
  if (fd >= 0) (void)__wasi_fd_close(fd);
  return e;
}

static uint64_t size_at(const char *path) {
  __wasi_filestat_t st;
  return stat_path(sb, path, 0, &st) == 0 ? st.size : (uint64_t)-1;
}

static int exists(const char *path) {
  __wasi_filestat_t st;
  return stat_path(sb, path, 0, &st) == 0;
}

/* Open `path` (raw bytes, explicit length) and close it again. */
static int try_raw(const char *path, size_t len, int oflags) {
  __wasi_fd_t fd;
  int e = raw_path_open(sb, 0, path, len, oflags, __WASI_RIGHTS_FD_READ, 0, 0, &fd);
  if (e == 0) (void)__wasi_fd_close(fd);
  return e;
}

/* Is `name` among the entries fd_readdir lists for the sandbox? */
static int listed(const char *name) {
  static uint8_t buf[16384];
  size_t used = 0;
  if (__wasi_fd_readdir(sb, buf, sizeof buf, 0, &used) != 0) return 0;
  for (size_t at = 0; at + sizeof(__wasi_dirent_t) <= used;) {
    __wasi_dirent_t d;
    memcpy(&d, buf + at, sizeof d);
    const char *entry = (const char *)buf + at + sizeof d;
    if (at + sizeof d + d.d_namlen > used) break;
    if (d.d_namlen == strlen(name) && memcmp(entry, name, d.d_namlen) == 0) return 1;
    at += sizeof d + d.d_namlen;
  }
  return 0;
}

#define R __WASI_RIGHTS_FD_READ
#define RW (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE)

int main(void) {
  sb = preopen("/sandbox");
  int e, fd;
  make_file(sb, "existing.txt", "contents");
  (void)__wasi_path_create_directory(sb, "dir");
  make_file(sb, "dir/inner.txt", "inner");

  /* The flags. */
  check_errno("open.missing", try_open("missing.txt", 0, R), __WASI_ERRNO_NOENT);
  check("open.missing_not_created", !exists("missing.txt"), "no file made", "%s", exists("missing.txt") ? "made" : "absent");
  e = try_open("new.txt", __WASI_OFLAGS_CREAT, RW);
  check("open.creat_new", e == 0 && size_at("new.txt") == 0, "SUCCESS, an empty file", "%s, size %lld", errno_name(e), (long long)size_at("new.txt"));
  e = try_open("existing.txt", __WASI_OFLAGS_CREAT, RW);
  check("open.creat_existing", e == 0 && size_at("existing.txt") == 8, "SUCCESS, contents kept", "%s, size %lld", errno_name(e),
    (long long)size_at("existing.txt"));
  check_errno("open.creat_excl_existing", try_open("existing.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, RW), __WASI_ERRNO_EXIST);
  check_errno("open.creat_excl_new", try_open("excl.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, RW), 0);
  check_errno("open.excl_alone_existing", try_open("existing.txt", __WASI_OFLAGS_EXCL, R), 0);
  check_errno("open.creat_excl_dir", try_open("dir", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, R), __WASI_ERRNO_EXIST);
  make_file(sb, "trunc.txt", "to be cut");
  e = try_open("trunc.txt", __WASI_OFLAGS_TRUNC, RW);
  check("open.trunc", e == 0 && size_at("trunc.txt") == 0, "SUCCESS, size 0", "%s, size %lld", errno_name(e), (long long)size_at("trunc.txt"));
  make_file(sb, "trunc.txt", "to be cut");
  e = try_open("trunc.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, RW);
  check("open.creat_trunc", e == 0 && size_at("trunc.txt") == 0, "SUCCESS, size 0", "%s, size %lld", errno_name(e), (long long)size_at("trunc.txt"));
  check_errno("open.trunc_missing", try_open("nothing.txt", __WASI_OFLAGS_TRUNC, RW), __WASI_ERRNO_NOENT);
  check_errno("open.trunc_dir", try_open("dir", __WASI_OFLAGS_TRUNC, R), __WASI_ERRNO_ISDIR);
  check_errno("open.directory_on_dir", try_open("dir", __WASI_OFLAGS_DIRECTORY, 0), 0);
  check_errno("open.directory_on_file", try_open("existing.txt", __WASI_OFLAGS_DIRECTORY, 0), __WASI_ERRNO_NOTDIR);
  check_errno("open.directory_missing", try_open("nodir", __WASI_OFLAGS_DIRECTORY, 0), __WASI_ERRNO_NOENT);
  e = try_open("newdir", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_DIRECTORY, 0);
  check("open.creat_directory", e == __WASI_ERRNO_INVAL && !exists("newdir"), "INVAL, nothing made (O_CREAT cannot make a directory)",
    "%s, %s", errno_name(e), exists("newdir") ? "something made" : "nothing made");
  check_errno("open.dir_for_writing", try_open("dir", 0, RW), __WASI_ERRNO_ISDIR);
  check_errno("open.dir_for_reading", try_open("dir", 0, R), 0);
  check_errno("open.unknown_oflags", try_open("existing.txt", 1 << 5, R), __WASI_ERRNO_INVAL);

  /*
   * Every combination of CREAT, EXCL, TRUNC and DIRECTORY on a missing name, a file and a
   * directory (POSIX and Linux: O_CREAT|O_DIRECTORY is EINVAL; O_CREAT or O_TRUNC on a directory
   * without O_DIRECTORY is EISDIR; EXCL without CREAT means nothing).
   */
  enum { MISSING, FILE_, DIR_ };
  static const struct { const char *name; int target, oflags; int want[3]; } matrix[] = {
#define C __WASI_OFLAGS_CREAT
#define X __WASI_OFLAGS_EXCL
#define T __WASI_OFLAGS_TRUNC
#define D __WASI_OFLAGS_DIRECTORY
#define OK 0
#define NOENT __WASI_ERRNO_NOENT
#define EXIST __WASI_ERRNO_EXIST
#define INVAL __WASI_ERRNO_INVAL
#define ISDIR __WASI_ERRNO_ISDIR
#define NOTDIR __WASI_ERRNO_NOTDIR
    { CHECK_NAME("open.matrix.missing.none"), MISSING, 0, { NOENT, -1 } },
    { CHECK_NAME("open.matrix.missing.creat"), MISSING, C, { OK, -1 } },
    { CHECK_NAME("open.matrix.missing.excl"), MISSING, X, { NOENT, -1 } },
    { CHECK_NAME("open.matrix.missing.creat_excl"), MISSING, C | X, { OK, -1 } },
    { CHECK_NAME("open.matrix.missing.trunc"), MISSING, T, { NOENT, -1 } },
    { CHECK_NAME("open.matrix.missing.creat_trunc"), MISSING, C | T, { OK, -1 } },
    { CHECK_NAME("open.matrix.missing.excl_trunc"), MISSING, X | T, { NOENT, -1 } },
    { CHECK_NAME("open.matrix.missing.creat_excl_trunc"), MISSING, C | X | T, { OK, -1 } },
    { CHECK_NAME("open.matrix.missing.dir"), MISSING, D, { NOENT, -1 } },
    { CHECK_NAME("open.matrix.missing.dir_creat"), MISSING, D | C, { INVAL, -1 } },
    { CHECK_NAME("open.matrix.missing.dir_excl"), MISSING, D | X, { NOENT, -1 } },
    { CHECK_NAME("open.matrix.missing.dir_creat_excl"), MISSING, D | C | X, { INVAL, -1 } },
    { CHECK_NAME("open.matrix.missing.dir_trunc"), MISSING, D | T, { NOENT, INVAL, -1 } },
    { CHECK_NAME("open.matrix.missing.dir_creat_trunc"), MISSING, D | C | T, { INVAL, -1 } },
    { CHECK_NAME("open.matrix.missing.dir_excl_trunc"), MISSING, D | X | T, { NOENT, INVAL, -1 } },
    { CHECK_NAME("open.matrix.missing.all"), MISSING, D | C | X | T, { INVAL, -1 } },
    { CHECK_NAME("open.matrix.file.none"), FILE_, 0, { OK, -1 } },
    { CHECK_NAME("open.matrix.file.creat"), FILE_, C, { OK, -1 } },
    { CHECK_NAME("open.matrix.file.excl"), FILE_, X, { OK, -1 } },
    { CHECK_NAME("open.matrix.file.creat_excl"), FILE_, C | X, { EXIST, -1 } },
    { CHECK_NAME("open.matrix.file.trunc"), FILE_, T, { OK, -1 } },
    { CHECK_NAME("open.matrix.file.creat_trunc"), FILE_, C | T, { OK, -1 } },
    { CHECK_NAME("open.matrix.file.excl_trunc"), FILE_, X | T, { OK, -1 } },
    { CHECK_NAME("open.matrix.file.creat_excl_trunc"), FILE_, C | X | T, { EXIST, -1 } },
    { CHECK_NAME("open.matrix.file.dir"), FILE_, D, { NOTDIR, -1 } },
    { CHECK_NAME("open.matrix.file.dir_creat"), FILE_, D | C, { INVAL, -1 } },
    { CHECK_NAME("open.matrix.file.dir_excl"), FILE_, D | X, { NOTDIR, -1 } },
    { CHECK_NAME("open.matrix.file.dir_creat_excl"), FILE_, D | C | X, { INVAL, -1 } },
    { CHECK_NAME("open.matrix.file.dir_trunc"), FILE_, D | T, { NOTDIR, INVAL, -1 } },
    { CHECK_NAME("open.matrix.file.dir_creat_trunc"), FILE_, D | C | T, { INVAL, -1 } },
    { CHECK_NAME("open.matrix.file.dir_excl_trunc"), FILE_, D | X | T, { NOTDIR, INVAL, -1 } },
    { CHECK_NAME("open.matrix.file.all"), FILE_, D | C | X | T, { INVAL, -1 } },
    { CHECK_NAME("open.matrix.dir.none"), DIR_, 0, { OK, -1 } },
    { CHECK_NAME("open.matrix.dir.creat"), DIR_, C, { ISDIR, -1 } },
    { CHECK_NAME("open.matrix.dir.excl"), DIR_, X, { OK, -1 } },
    { CHECK_NAME("open.matrix.dir.creat_excl"), DIR_, C | X, { EXIST, -1 } },
    { CHECK_NAME("open.matrix.dir.trunc"), DIR_, T, { ISDIR, -1 } },
    { CHECK_NAME("open.matrix.dir.creat_trunc"), DIR_, C | T, { ISDIR, -1 } },
    { CHECK_NAME("open.matrix.dir.excl_trunc"), DIR_, X | T, { ISDIR, -1 } },
    { CHECK_NAME("open.matrix.dir.creat_excl_trunc"), DIR_, C | X | T, { EXIST, -1 } },
    { CHECK_NAME("open.matrix.dir.dir"), DIR_, D, { OK, -1 } },
    { CHECK_NAME("open.matrix.dir.dir_creat"), DIR_, D | C, { INVAL, -1 } },
    { CHECK_NAME("open.matrix.dir.dir_excl"), DIR_, D | X, { OK, INVAL, -1 } },
    { CHECK_NAME("open.matrix.dir.dir_creat_excl"), DIR_, D | C | X, { INVAL, -1 } },
    { CHECK_NAME("open.matrix.dir.dir_trunc"), DIR_, D | T, { ISDIR, INVAL, -1 } },
    { CHECK_NAME("open.matrix.dir.dir_creat_trunc"), DIR_, D | C | T, { INVAL, -1 } },
    { CHECK_NAME("open.matrix.dir.dir_excl_trunc"), DIR_, D | X | T, { ISDIR, INVAL, -1 } },
    { CHECK_NAME("open.matrix.dir.all"), DIR_, D | C | X | T, { INVAL, -1 } },
#undef C
#undef X
#undef T
#undef D
#undef OK
#undef NOENT
#undef EXIST
#undef INVAL
#undef ISDIR
#undef NOTDIR
  };
  (void)__wasi_path_create_directory(sb, "m");
  for (size_t i = 0; i < sizeof matrix / sizeof matrix[0]; i++) {
    char path[32];
    if (matrix[i].target == MISSING) snprintf(path, sizeof path, "m/missing%zu", i);
    else if (matrix[i].target == FILE_) {
      make_file(sb, "m/file", "abc");
      snprintf(path, sizeof path, "m/file");
    } else {
      snprintf(path, sizeof path, "m/dir%zu", i);
      (void)__wasi_path_create_directory(sb, path);
    }
    check_errno_in(matrix[i].name, try_open(path, matrix[i].oflags, R), matrix[i].want);
  }

  /* What a descriptor reads: the file it names. */
  open_at(sb, "existing.txt", 0, 0, R, 0, 0, &fd);
  char buf[64];
  size_t n;
  e = read_some(fd, buf, sizeof buf, &n);
  check_str("open.reads_contents", buf, e == 0 ? n : 0, "contents");
  (void)__wasi_fd_close(fd);

  /* Trailing slashes: a file never, a directory always. */
  check_errno_in("open.slash_on_file", try_open("existing.txt/", 0, R), ANY_OF(__WASI_ERRNO_NOTDIR, __WASI_ERRNO_NOENT));
  check_errno_in("open.slashes_on_file", try_open("existing.txt///", 0, R), ANY_OF(__WASI_ERRNO_NOTDIR, __WASI_ERRNO_NOENT));
  check_errno("open.slash_on_dir", try_open("dir/", 0, 0), 0);
  check_errno("open.slashes_on_dir", try_open("dir///", 0, 0), 0);
  e = try_open("newfile/", __WASI_OFLAGS_CREAT, RW);
  check("open.creat_with_slash", e != 0 && !exists("newfile"), "an error, nothing made (Linux: EISDIR)",
    "%s, %s", errno_name(e), exists("newfile") ? "made" : "nothing made");

  /* "." and ".." inside the mount; never above it; never absolute. */
  check_errno("open.dot", try_open(".", __WASI_OFLAGS_DIRECTORY, 0), 0);
  check_errno("open.dir_dotdot", try_open("dir/..", __WASI_OFLAGS_DIRECTORY, 0), 0);
  e = try_open("dir/./../dir//inner.txt", 0, R);
  check_errno("open.dots_inside", e, 0);
  check_errno("open.dotdot_and_back", try_open("dir/../existing.txt", 0, R), 0);
  check_errno_in("open.dotdot_above", try_open("..", __WASI_OFLAGS_DIRECTORY, 0), ANY_OF(__WASI_ERRNO_NOTCAPABLE, __WASI_ERRNO_PERM));
  check_errno_in("open.dotdot_above_deep", try_open("dir/../../sandbox/existing.txt", 0, R),
    ANY_OF(__WASI_ERRNO_NOTCAPABLE, __WASI_ERRNO_PERM));
  check_errno_in("open.absolute", try_open("/sandbox/existing.txt", 0, R), ANY_OF(__WASI_ERRNO_NOTCAPABLE, __WASI_ERRNO_PERM));
  check_errno("open.empty_path", try_open("", 0, R), __WASI_ERRNO_NOENT);
  check_errno("open.through_file", try_open("existing.txt/x", 0, R), __WASI_ERRNO_NOTDIR);
  check_errno("open.through_missing", try_open("missing/x", 0, R), __WASI_ERRNO_NOENT);

  /* Names are any bytes of UTF-8 but "/" and NUL. */
  static const char *const odd[] = {
    "sp ace", "new\nline", "tab\there", "\xc3\xbcml\xc3\xa4ut", "\xe6\x97\xa5\xe6\x9c\xac", "emoji\xf0\x9f\x98\x80",
    "back\\slash", "col:on", "star*q?", "-dash", ".hidden", "..dots", "...", "quote\"s", "%percent", "\x01\x1f",
  };
  int made = 0, seen = 0, found = 0;
  for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
    if (try_open(odd[i], __WASI_OFLAGS_CREAT, RW) == 0) made++;
    if (exists(odd[i])) seen++;
    if (listed(odd[i])) found++;
  }
  int total = (int)(sizeof odd / sizeof odd[0]);
  check("open.odd_names.create", made == total, "all 16 created", "%d created", made);
  check("open.odd_names.stat", seen == total, "all 16 found by path_filestat_get", "%d found", seen);
  check("open.odd_names.readdir", found == total, "all 16 listed by fd_readdir", "%d listed", found);

  /* NAME_MAX is 255 bytes, counted in bytes, not characters. */
  char name[300];
  memset(name, 'n', 255);
  name[255] = 0;
  check_errno("open.name_255_bytes", try_open(name, __WASI_OFLAGS_CREAT, RW), 0);
  name[255] = 'n';
  name[256] = 0;
  check_errno("open.name_256_bytes", try_open(name, __WASI_OFLAGS_CREAT, RW), __WASI_ERRNO_NAMETOOLONG);
  for (int i = 0; i < 128; i++) memcpy(name + 2 * i, "\xc3\xa9", 2);
  name[256] = 0;
  check_errno("open.name_128_two_byte_chars", try_open(name, __WASI_OFLAGS_CREAT, RW), __WASI_ERRNO_NAMETOOLONG);
  check_errno("open.long_name_lookup", try_open(name, 0, R), __WASI_ERRNO_NAMETOOLONG);

  /* NUL ends a C string, not a WASI path: one inside is refused, never cut there. */
  check_errno_in("open.nul_inside", try_raw("existing.txt\0garbage", 20, 0),
    ANY_OF(__WASI_ERRNO_INVAL, __WASI_ERRNO_ILSEQ, __WASI_ERRNO_NOENT));
  check_errno_in("open.nul_trailing", try_raw("existing.txt\0", 13, 0), ANY_OF(__WASI_ERRNO_INVAL, __WASI_ERRNO_ILSEQ, __WASI_ERRNO_NOENT));
  e = try_raw("nul\0made", 8, __WASI_OFLAGS_CREAT);
  check("open.nul_create", e != 0 && !exists("nul"), "an error, nothing made", "%s, %s", errno_name(e), exists("nul") ? "\"nul\" made" : "nothing made");
  /* Paths are UTF-8 strings: bytes that are not UTF-8 are refused. */
  check_errno("open.invalid_utf8", try_raw("bad\xff\xfe", 5, __WASI_OFLAGS_CREAT), __WASI_ERRNO_ILSEQ);
  {
    __wasi_filestat_t st;
    check_errno("open.invalid_utf8_stat", raw_path_filestat_get(sb, 0, "\xc3(", 2, &st), __WASI_ERRNO_ILSEQ);
  }
  return done("open");
}
