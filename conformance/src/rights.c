/*
 * Rights and fdflags: what fd_fdstat_get reports for preopens, stdio and opened files; narrowing
 * with fd_fdstat_set_rights (never widening); every call refusing a descriptor that lacks its
 * right; fdflags given at open or set later, reported and honoured.
 */
#include "check.h"

/* What a preopened directory holds at least (the WASI testsuite's path_open_preopen list). */
#define DIR_BASE_NEEDED (__WASI_RIGHTS_PATH_CREATE_DIRECTORY | __WASI_RIGHTS_PATH_CREATE_FILE | \
  __WASI_RIGHTS_PATH_LINK_SOURCE | __WASI_RIGHTS_PATH_LINK_TARGET | __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_FD_READDIR | \
  __WASI_RIGHTS_PATH_READLINK | __WASI_RIGHTS_PATH_RENAME_SOURCE | __WASI_RIGHTS_PATH_RENAME_TARGET | \
  __WASI_RIGHTS_PATH_SYMLINK | __WASI_RIGHTS_PATH_REMOVE_DIRECTORY | __WASI_RIGHTS_PATH_UNLINK_FILE | \
  __WASI_RIGHTS_PATH_FILESTAT_GET | __WASI_RIGHTS_PATH_FILESTAT_SET_TIMES | __WASI_RIGHTS_FD_FILESTAT_GET | \
  __WASI_RIGHTS_FD_FILESTAT_SET_TIMES)
#define DIR_INHERITING_NEEDED (DIR_BASE_NEEDED | __WASI_RIGHTS_FD_DATASYNC | __WASI_RIGHTS_FD_READ | \
  __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS | __WASI_RIGHTS_FD_SYNC | __WASI_RIGHTS_FD_TELL | \
  __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_ADVISE | __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_FILESTAT_GET | \
  __WASI_RIGHTS_FD_FILESTAT_SET_SIZE | __WASI_RIGHTS_FD_FILESTAT_SET_TIMES | __WASI_RIGHTS_POLL_FD_READWRITE)
#define DIR_ALL (DIR_BASE_NEEDED | __WASI_RIGHTS_PATH_FILESTAT_SET_SIZE)

static int sb;

static __wasi_fdstat_t fdstat(int fd) {
  __wasi_fdstat_t st;
  memset(&st, 0, sizeof st);
  (void)__wasi_fd_fdstat_get(fd, &st);
  return st;
}

/* A descriptor of `path` with all the rights the test files get, less `drop`. */
static int file_without(uint64_t drop) {
  int fd;
  open_at(sb, "data.txt", 0, 0, FILE_RW, 0, 0, &fd);
  __wasi_fdstat_t st = fdstat(fd);
  (void)__wasi_fd_fdstat_set_rights(fd, st.fs_rights_base & ~drop, st.fs_rights_inheriting);
  return fd;
}

/* A descriptor of directory "d" with every directory right, less `drop`. */
static int dir_without(uint64_t drop) {
  int fd;
  open_at(sb, "d", 0, __WASI_OFLAGS_DIRECTORY, DIR_ALL, DIR_INHERITING_NEEDED, 0, &fd);
  __wasi_fdstat_t st = fdstat(fd);
  (void)__wasi_fd_fdstat_set_rights(fd, st.fs_rights_base & ~drop, st.fs_rights_inheriting);
  return fd;
}

int main(void) {
  sb = preopen("/sandbox");
  int e, fd;
  __wasi_fdstat_t st;
  __wasi_filesize_t pos;
  __wasi_filestat_t fst;
  size_t n;
  char buf[16];

  /* The preopen. */
  st = fdstat(sb);
  check_u64("fdstat.preopen.filetype", st.fs_filetype, __WASI_FILETYPE_DIRECTORY);
  check_u64("fdstat.preopen.flags", st.fs_flags, 0);
  check("fdstat.preopen.base", (st.fs_rights_base & DIR_BASE_NEEDED) == DIR_BASE_NEEDED, "the directory rights",
    "missing 0x%llx", (unsigned long long)(DIR_BASE_NEEDED & ~st.fs_rights_base));
  check("fdstat.preopen.inheriting", (st.fs_rights_inheriting & DIR_INHERITING_NEEDED) == DIR_INHERITING_NEEDED,
    "the directory and file rights", "missing 0x%llx", (unsigned long long)(DIR_INHERITING_NEEDED & ~st.fs_rights_inheriting));
  check("fdstat.preopen.not_a_file", (st.fs_rights_base & (__WASI_RIGHTS_FD_FILESTAT_SET_SIZE | __WASI_RIGHTS_FD_SEEK)) == 0,
    "no set_size or seek right on a directory", "base 0x%llx", (unsigned long long)st.fs_rights_base);

  /* stdio. */
  st = fdstat(0);
  check("fdstat.stdin.read", (st.fs_rights_base & __WASI_RIGHTS_FD_READ) != 0, "FD_READ", "base 0x%llx", (unsigned long long)st.fs_rights_base);
  st = fdstat(1);
  check("fdstat.stdout.write", (st.fs_rights_base & __WASI_RIGHTS_FD_WRITE) != 0, "FD_WRITE", "base 0x%llx", (unsigned long long)st.fs_rights_base);

  /* Opened files get what they ask for, as far as the directory allows. */
  make_file(sb, "data.txt", "0123456789");
  open_at(sb, "data.txt", 0, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd);
  st = fdstat(fd);
  check("fdstat.file.filetype", st.fs_filetype == __WASI_FILETYPE_REGULAR_FILE, "REGULAR_FILE", "%d", st.fs_filetype);
  check("rights.read_only_open", (st.fs_rights_base & __WASI_RIGHTS_FD_READ) && !(st.fs_rights_base & __WASI_RIGHTS_FD_WRITE),
    "FD_READ without FD_WRITE", "base 0x%llx", (unsigned long long)st.fs_rights_base);
  check_errno_in("rights.read_only_open.write", write_all(fd, "x", 1, &n), ANY_OF(__WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE));
  (void)__wasi_fd_close(fd);
  open_at(sb, "data.txt", 0, 0, __WASI_RIGHTS_FD_WRITE, 0, 0, &fd);
  check_errno_in("rights.write_only_open.read", read_some(fd, buf, 4, &n), ANY_OF(__WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE));
  (void)__wasi_fd_close(fd);

  /* Narrowing: allowed, reported, never undone. */
  open_at(sb, "data.txt", 0, 0, FILE_RW, FILE_RW, 0, &fd);
  e = __wasi_fd_fdstat_set_rights(fd, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK, 0);
  st = fdstat(fd);
  check("rights.narrow", e == 0 && st.fs_rights_base == (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK) && st.fs_rights_inheriting == 0,
    "SUCCESS, reported exactly", "%s, base 0x%llx, inheriting 0x%llx", errno_name(e), (unsigned long long)st.fs_rights_base,
    (unsigned long long)st.fs_rights_inheriting);
  check_errno("rights.widen", __wasi_fd_fdstat_set_rights(fd, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_WRITE, 0),
    __WASI_ERRNO_NOTCAPABLE);
  check_errno("rights.widen_inheriting", __wasi_fd_fdstat_set_rights(fd, __WASI_RIGHTS_FD_READ, __WASI_RIGHTS_FD_READ),
    __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(fd);

  /* Every fd_* call needs its right. */
  fd = file_without(__WASI_RIGHTS_FD_READ);
  check_errno_in("rights.fd_read", read_some(fd, buf, 4, &n), ANY_OF(__WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE));
  (void)__wasi_fd_close(fd);
  fd = file_without(__WASI_RIGHTS_FD_WRITE);
  check_errno_in("rights.fd_write", write_all(fd, "x", 1, &n), ANY_OF(__WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE));
  (void)__wasi_fd_close(fd);
  fd = file_without(__WASI_RIGHTS_FD_READ);
  {
    __wasi_iovec_t iov = { (uint8_t *)buf, 4 };
    check_errno_in("rights.fd_pread", __wasi_fd_pread(fd, &iov, 1, 0, &n), ANY_OF(__WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE));
  }
  (void)__wasi_fd_close(fd);
  fd = file_without(__WASI_RIGHTS_FD_WRITE);
  {
    __wasi_ciovec_t iov = { (const uint8_t *)"x", 1 };
    check_errno_in("rights.fd_pwrite", __wasi_fd_pwrite(fd, &iov, 1, 0, &n), ANY_OF(__WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE));
  }
  (void)__wasi_fd_close(fd);
  fd = file_without(__WASI_RIGHTS_FD_SEEK);
  check_errno("rights.fd_seek", __wasi_fd_seek(fd, 1, __WASI_WHENCE_SET, &pos), __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(fd);
  fd = file_without(__WASI_RIGHTS_FD_TELL);
  check_errno("rights.fd_tell", __wasi_fd_tell(fd, &pos), __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(fd);
  fd = file_without(__WASI_RIGHTS_FD_ADVISE);
  check_errno("rights.fd_advise", __wasi_fd_advise(fd, 0, 4, __WASI_ADVICE_NORMAL), __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(fd);
  fd = file_without(__WASI_RIGHTS_FD_ALLOCATE);
  check_errno("rights.fd_allocate", __wasi_fd_allocate(fd, 0, 100), __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(fd);
  fd = file_without(__WASI_RIGHTS_FD_DATASYNC);
  check_errno("rights.fd_datasync", __wasi_fd_datasync(fd), __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(fd);
  fd = file_without(__WASI_RIGHTS_FD_SYNC);
  check_errno("rights.fd_sync", __wasi_fd_sync(fd), __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(fd);
  fd = file_without(__WASI_RIGHTS_FD_FILESTAT_GET);
  check_errno("rights.fd_filestat_get", __wasi_fd_filestat_get(fd, &fst), __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(fd);
  fd = file_without(__WASI_RIGHTS_FD_FILESTAT_SET_SIZE);
  check_errno("rights.fd_filestat_set_size", __wasi_fd_filestat_set_size(fd, 2), __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(fd);
  fd = file_without(__WASI_RIGHTS_FD_FILESTAT_SET_TIMES);
  check_errno("rights.fd_filestat_set_times", __wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW), __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(fd);
  fd = file_without(__WASI_RIGHTS_FD_FDSTAT_SET_FLAGS);
  check_errno("rights.fd_fdstat_set_flags", __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND), __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(fd);
  fd = file_without(0);
  check_u64("rights.file_intact", (uint64_t)(__wasi_fd_filestat_get(fd, &fst) == 0 ? fst.size : 999), 10);
  (void)__wasi_fd_close(fd);

  /* Every path_* call needs its right on the directory it starts from. */
  (void)__wasi_path_create_directory(sb, "d");
  (void)__wasi_path_create_directory(sb, "d/empty");
  make_file(sb, "d/file.txt", "abc");
  (void)__wasi_path_symlink("file.txt", sb, "d/link");
  int d;
  d = dir_without(__WASI_RIGHTS_PATH_OPEN);
  check_errno("rights.path_open", open_at(d, "file.txt", 0, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd), __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(d);
  d = dir_without(__WASI_RIGHTS_PATH_CREATE_FILE);
  check_errno("rights.path_open_create", open_at(d, "new.txt", 0, __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ, 0, 0, &fd), __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(d);
  d = dir_without(__WASI_RIGHTS_PATH_FILESTAT_SET_SIZE);
  check_errno_in("rights.path_open_truncate", open_at(d, "file.txt", 0, __WASI_OFLAGS_TRUNC, 0, 0, 0, &fd),
    ANY_OF(__WASI_ERRNO_NOTCAPABLE, __WASI_ERRNO_PERM));
  (void)__wasi_fd_close(d);
  d = dir_without(__WASI_RIGHTS_PATH_CREATE_DIRECTORY);
  check_errno("rights.path_create_directory", __wasi_path_create_directory(d, "newdir"), __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(d);
  d = dir_without(__WASI_RIGHTS_PATH_FILESTAT_GET);
  check_errno("rights.path_filestat_get", stat_path(d, "file.txt", 0, &fst), __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(d);
  d = dir_without(__WASI_RIGHTS_PATH_FILESTAT_SET_TIMES);
  check_errno("rights.path_filestat_set_times", __wasi_path_filestat_set_times(d, 0, "file.txt", 0, 0, __WASI_FSTFLAGS_MTIM_NOW),
    __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(d);
  d = dir_without(__WASI_RIGHTS_PATH_READLINK);
  check_errno("rights.path_readlink", __wasi_path_readlink(d, "link", (uint8_t *)buf, sizeof buf, &n), __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(d);
  d = dir_without(__WASI_RIGHTS_PATH_SYMLINK);
  check_errno("rights.path_symlink", __wasi_path_symlink("file.txt", d, "link2"), __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(d);
  d = dir_without(__WASI_RIGHTS_PATH_UNLINK_FILE);
  check_errno("rights.path_unlink_file", __wasi_path_unlink_file(d, "file.txt"), __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(d);
  d = dir_without(__WASI_RIGHTS_PATH_REMOVE_DIRECTORY);
  check_errno("rights.path_remove_directory", __wasi_path_remove_directory(d, "empty"), __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(d);
  d = dir_without(__WASI_RIGHTS_PATH_RENAME_SOURCE);
  check_errno("rights.path_rename_source", __wasi_path_rename(d, "file.txt", sb, "moved.txt"), __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(d);
  d = dir_without(__WASI_RIGHTS_PATH_RENAME_TARGET);
  check_errno("rights.path_rename_target", __wasi_path_rename(sb, "data.txt", d, "moved.txt"), __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(d);
  d = dir_without(__WASI_RIGHTS_PATH_LINK_SOURCE);
  check_errno("rights.path_link_source", __wasi_path_link(d, 0, "file.txt", sb, "hard.txt"), __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(d);
  d = dir_without(__WASI_RIGHTS_PATH_LINK_TARGET);
  check_errno("rights.path_link_target", __wasi_path_link(sb, 0, "data.txt", d, "hard.txt"), __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(d);
  d = dir_without(__WASI_RIGHTS_FD_READDIR);
  check_errno("rights.fd_readdir", __wasi_fd_readdir(d, (uint8_t *)buf, sizeof buf, 0, &n), __WASI_ERRNO_NOTCAPABLE);
  (void)__wasi_fd_close(d);
  __wasi_filestat_t a, b;
  int ea = stat_path(sb, "d/file.txt", 0, &a);
  int eb = stat_path(sb, "d/empty", 0, &b);
  check("rights.tree_intact", ea == 0 && eb == 0 && a.size == 3, "d/file.txt (3 bytes) and d/empty still there",
    "%s, %s, size %llu", errno_name(ea), errno_name(eb), (unsigned long long)a.size);

  /* What a directory may pass on: its inheriting rights bound what files under it get. */
  open_at(sb, "d", 0, __WASI_OFLAGS_DIRECTORY, DIR_ALL, __WASI_RIGHTS_FD_READ, 0, &d);
  e = open_at(d, "file.txt", 0, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd);
  check_errno("rights.inherited_read", e, 0);
  if (fd >= 0) (void)__wasi_fd_close(fd);
  e = open_at(d, "file.txt", 0, 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0, 0, &fd);
  /* Asking for more than the directory passes on: refused (uvwasi) or granted without it (wasmtime). */
  check("rights.beyond_inheriting", e == __WASI_ERRNO_NOTCAPABLE || (e == 0 && !(fdstat(fd).fs_rights_base & __WASI_RIGHTS_FD_WRITE)),
    "NOTCAPABLE, or a descriptor without FD_WRITE", "%s, base 0x%llx", errno_name(e),
    fd >= 0 ? (unsigned long long)fdstat(fd).fs_rights_base : 0ull);
  if (fd >= 0) {
    check_errno_in("rights.beyond_inheriting_write", write_all(fd, "x", 1, &n), ANY_OF(__WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE));
    (void)__wasi_fd_close(fd);
  } else {
    check("rights.beyond_inheriting_write", 1, "no descriptor to write to", "%s", "refused at open");
  }
  (void)__wasi_fd_close(d);

  /* fdflags at open: reported. */
  open_at(sb, "flags.txt", 0, __WASI_OFLAGS_CREAT, FILE_RW, 0, __WASI_FDFLAGS_APPEND, &fd);
  check_u64("fdflags.open.append", fdstat(fd).fs_flags, __WASI_FDFLAGS_APPEND);
  (void)__wasi_fd_close(fd);
  open_at(sb, "flags.txt", 0, 0, FILE_RW, 0, __WASI_FDFLAGS_NONBLOCK, &fd);
  check_u64("fdflags.open.nonblock", fdstat(fd).fs_flags, __WASI_FDFLAGS_NONBLOCK);
  (void)__wasi_fd_close(fd);
  e = open_at(sb, "flags.txt", 0, 0, FILE_RW, 0, __WASI_FDFLAGS_APPEND | __WASI_FDFLAGS_SYNC, &fd);
  check("fdflags.open.sync", e == 0 && (fdstat(fd).fs_flags & __WASI_FDFLAGS_SYNC), "SUCCESS, SYNC reported",
    "%s, flags 0x%x", errno_name(e), fd >= 0 ? fdstat(fd).fs_flags : 0);
  if (fd >= 0) (void)__wasi_fd_close(fd);
  e = open_at(sb, "flags.txt", 0, 0, FILE_RW, 0, __WASI_FDFLAGS_DSYNC, &fd);
  check("fdflags.open.dsync", e == 0 && (fdstat(fd).fs_flags & __WASI_FDFLAGS_DSYNC), "SUCCESS, DSYNC reported",
    "%s, flags 0x%x", errno_name(e), fd >= 0 ? fdstat(fd).fs_flags : 0);
  if (fd >= 0) (void)__wasi_fd_close(fd);
  e = open_at(sb, "flags.txt", 0, 0, FILE_RW, 0, __WASI_FDFLAGS_RSYNC, &fd);
  check("fdflags.open.rsync", e == 0 && (fdstat(fd).fs_flags & __WASI_FDFLAGS_RSYNC), "SUCCESS, RSYNC reported",
    "%s, flags 0x%x", errno_name(e), fd >= 0 ? fdstat(fd).fs_flags : 0);
  if (fd >= 0) (void)__wasi_fd_close(fd);
  check_errno("fdflags.open.unknown", open_at(sb, "flags.txt", 0, 0, FILE_RW, 0, 1 << 7, &fd), __WASI_ERRNO_INVAL);

  /* fdflags later: set, reported, honoured (APPEND moves every write to the end). */
  open_at(sb, "flags.txt", 0, __WASI_OFLAGS_TRUNC, FILE_RW, 0, 0, &fd);
  write_all(fd, "abc", 3, &n);
  e = __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND);
  check("fdflags.set.append", e == 0 && fdstat(fd).fs_flags == __WASI_FDFLAGS_APPEND, "SUCCESS, APPEND reported",
    "%s, flags 0x%x", errno_name(e), fdstat(fd).fs_flags);
  (void)__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos);
  write_all(fd, "Z", 1, &n);
  memset(buf, 0, sizeof buf);
  {
    __wasi_iovec_t iov = { (uint8_t *)buf, sizeof buf };
    (void)__wasi_fd_pread(fd, &iov, 1, 0, &n);
  }
  check_str("fdflags.set.append_honoured", buf, n, "abcZ");
  e = __wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_NONBLOCK);
  check("fdflags.set.nonblock", e == 0 && fdstat(fd).fs_flags == __WASI_FDFLAGS_NONBLOCK, "SUCCESS, NONBLOCK only",
    "%s, flags 0x%x", errno_name(e), fdstat(fd).fs_flags);
  (void)__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos);
  write_all(fd, "Y", 1, &n);
  {
    __wasi_iovec_t iov = { (uint8_t *)buf, sizeof buf };
    (void)__wasi_fd_pread(fd, &iov, 1, 0, &n);
  }
  check_str("fdflags.set.append_off", buf, n, "YbcZ");
  e = __wasi_fd_fdstat_set_flags(fd, 0);
  check("fdflags.set.clear", e == 0 && fdstat(fd).fs_flags == 0, "SUCCESS, no flags", "%s, flags 0x%x", errno_name(e), fdstat(fd).fs_flags);
  check_errno("fdflags.set.unknown", __wasi_fd_fdstat_set_flags(fd, 1 << 9), __WASI_ERRNO_INVAL);
  (void)__wasi_fd_close(fd);
  e = __wasi_fd_fdstat_set_flags(1, __WASI_FDFLAGS_NONBLOCK);
  check("fdflags.set.stdout", e == 0 && (fdstat(1).fs_flags & __WASI_FDFLAGS_NONBLOCK), "SUCCESS, NONBLOCK reported",
    "%s, flags 0x%x", errno_name(e), fdstat(1).fs_flags);
  return done("rights");
}
