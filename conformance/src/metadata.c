/*
 * Metadata: timestamps kept and moved by reads, writes and metadata changes; set_times with
 * SET and NOW (EINVAL for both at once); nlink, inode numbers, devices, file types, sizes.
 */
#include "check.h"

#define MS 1000000ull
#define NEAR(t, now) ((t) + 5000 * MS >= (now) && (t) <= (now) + 5000 * MS)

static int sb;

static __wasi_filestat_t fstat_of(int fd) {
  __wasi_filestat_t st;
  memset(&st, 0, sizeof st);
  (void)__wasi_fd_filestat_get(fd, &st);
  return st;
}

static __wasi_filestat_t stat_of(const char *path, int follow) {
  __wasi_filestat_t st;
  stat_path(sb, path, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, &st);
  return st;
}

static unsigned long long ms(uint64_t ns) {
  return (unsigned long long)(ns / MS);
}

int main(void) {
  sb = preopen("/sandbox");
  int fd, e;
  size_t n;
  char buf[16];
  __wasi_filestat_t st, st2;

  /* A new file: its three times are now. */
  uint64_t t0 = real_ns();
  open_at(sb, "m.txt", 0, __WASI_OFLAGS_CREAT, FILE_RW, 0, 0, &fd);
  st = fstat_of(fd);
  check_u64("meta.file.filetype", st.filetype, __WASI_FILETYPE_REGULAR_FILE);
  check_u64("meta.file.size", st.size, 0);
  check_u64("meta.file.nlink", st.nlink, 1);
  check("meta.times.created", NEAR(st.atim, t0) && NEAR(st.mtim, t0) && NEAR(st.ctim, t0),
    "atim, mtim, ctim all within 5 s of the realtime clock", "atim %+lld ms, mtim %+lld ms, ctim %+lld ms from now",
    (long long)(st.atim - t0) / (long long)MS, (long long)(st.mtim - t0) / (long long)MS, (long long)(st.ctim - t0) / (long long)MS);

  /* Writing moves mtim and ctim, not atim. */
  sleep_ns(20 * MS);
  write_all(fd, "12345", 5, &n);
  st2 = fstat_of(fd);
  check("meta.write.mtim", st2.mtim > st.mtim, "later than before the write", "%+lld ms", (long long)(st2.mtim - st.mtim) / (long long)MS);
  check("meta.write.ctim", st2.ctim > st.ctim, "later than before the write", "%+lld ms", (long long)(st2.ctim - st.ctim) / (long long)MS);
  check("meta.write.atim_kept", st2.atim == st.atim, "unchanged", "%+lld ns", (long long)(st2.atim - st.atim));
  check_u64("meta.write.size", st2.size, 5);

  /* Reading moves atim only. */
  sleep_ns(20 * MS);
  __wasi_filesize_t pos;
  (void)__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos);
  read_some(fd, buf, 5, &n);
  st = fstat_of(fd);
  check("meta.read.atim", st.atim > st2.atim, "later than before the read", "%+lld ms", (long long)(st.atim - st2.atim) / (long long)MS);
  check("meta.read.mtim_kept", st.mtim == st2.mtim, "unchanged", "%+lld ns", (long long)(st.mtim - st2.mtim));

  /* set_times: exact values, NOW, both at once refused and harmless. */
  e = __wasi_fd_filestat_set_times(fd, 1000000000ull, 2000000000ull, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM);
  st = fstat_of(fd);
  check("meta.set_times.exact", e == 0 && st.atim == 1000000000ull && st.mtim == 2000000000ull,
    "SUCCESS, atim 1 s and mtim 2 s after the epoch", "%s, atim %llu ms, mtim %llu ms", errno_name(e), ms(st.atim), ms(st.mtim));
  check("meta.set_times.ctim", NEAR(st.ctim, real_ns()), "ctim set to now", "%+lld ms", (long long)(st.ctim - real_ns()) / (long long)MS);
  e = __wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_ATIM_NOW);
  st = fstat_of(fd);
  check("meta.set_times.atim_now", e == 0 && NEAR(st.atim, real_ns()), "SUCCESS, atim now", "%s, atim %+lld ms", errno_name(e),
    (long long)(st.atim - real_ns()) / (long long)MS);
  check_u64("meta.set_times.mtim_untouched", st.mtim, 2000000000ull);
  e = __wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW);
  st = fstat_of(fd);
  check("meta.set_times.mtim_now", e == 0 && NEAR(st.mtim, real_ns()), "SUCCESS, mtim now", "%s, mtim %+lld ms", errno_name(e),
    (long long)(st.mtim - real_ns()) / (long long)MS);
  e = __wasi_fd_filestat_set_times(fd, 5, 5, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW);
  check_errno("meta.set_times.atim_both", e, __WASI_ERRNO_INVAL);
  e = __wasi_fd_filestat_set_times(fd, 5, 5, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW);
  check_errno("meta.set_times.mtim_both", e, __WASI_ERRNO_INVAL);
  st2 = fstat_of(fd);
  check("meta.set_times.invalid_changes_nothing", st2.atim == st.atim && st2.mtim == st.mtim, "times as before",
    "atim %+lld ns, mtim %+lld ns", (long long)(st2.atim - st.atim), (long long)(st2.mtim - st.mtim));
  e = __wasi_path_filestat_set_times(sb, 0, "m.txt", 3000000000ull, 4000000000ull, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM);
  st = stat_of("m.txt", 0);
  check("meta.path_set_times", e == 0 && st.atim == 3000000000ull && st.mtim == 4000000000ull, "SUCCESS, atim 3 s, mtim 4 s",
    "%s, atim %llu ms, mtim %llu ms", errno_name(e), ms(st.atim), ms(st.mtim));
  check_errno("meta.path_set_times.both", __wasi_path_filestat_set_times(sb, 0, "m.txt", 0, 0,
    __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW), __WASI_ERRNO_INVAL);
  check_errno("meta.path_set_times.missing", __wasi_path_filestat_set_times(sb, 0, "nope", 0, 0, __WASI_FSTFLAGS_MTIM_NOW),
    __WASI_ERRNO_NOENT);

  /* Truncation moves mtim. */
  st = fstat_of(fd);
  e = __wasi_fd_filestat_set_size(fd, 2);
  st2 = fstat_of(fd);
  check("meta.truncate.mtim", e == 0 && st2.mtim > st.mtim && st2.size == 2, "SUCCESS, size 2, mtim later",
    "%s, size %llu, mtim %+lld ms", errno_name(e), (unsigned long long)st2.size, (long long)(st2.mtim - st.mtim) / (long long)MS);

  /* path and fd agree. */
  st = fstat_of(fd);
  st2 = stat_of("m.txt", 0);
  check("meta.fd_and_path_agree", st.ino == st2.ino && st.dev == st2.dev && st.size == st2.size && st.mtim == st2.mtim,
    "same dev, ino, size, mtim", "ino %llu/%llu", (unsigned long long)st.ino, (unsigned long long)st2.ino);
  (void)__wasi_fd_close(fd);

  /* Inodes: distinct per file, kept by rename, shared by a hard link; one device per mount. */
  make_file(sb, "other.txt", "x");
  st = stat_of("m.txt", 0);
  st2 = stat_of("other.txt", 0);
  check("meta.ino.distinct", st.ino != st2.ino, "two files, two inode numbers", "%llu and %llu",
    (unsigned long long)st.ino, (unsigned long long)st2.ino);
  check("meta.dev.same_mount", st.dev == st2.dev, "one device for one mount", "%llu and %llu",
    (unsigned long long)st.dev, (unsigned long long)st2.dev);
  (void)__wasi_path_rename(sb, "other.txt", sb, "renamed.txt");
  __wasi_filestat_t st3 = stat_of("renamed.txt", 0);
  check("meta.ino.kept_by_rename", st3.ino == st2.ino, "the same inode under the new name", "%llu then %llu",
    (unsigned long long)st2.ino, (unsigned long long)st3.ino);
  e = __wasi_path_link(sb, 0, "m.txt", sb, "hard.txt");
  st2 = stat_of("hard.txt", 0);
  st = stat_of("m.txt", 0);
  check("meta.link.same_ino", e == 0 && st.ino == st2.ino, "SUCCESS, the same inode", "%s, %llu and %llu", errno_name(e),
    (unsigned long long)st.ino, (unsigned long long)st2.ino);
  check_u64("meta.link.nlink", st.nlink, 2);
  (void)__wasi_path_unlink_file(sb, "hard.txt");
  check_u64("meta.unlink.nlink", stat_of("m.txt", 0).nlink, 1);

  /* A file unlinked while open: nlink 0, still readable through the descriptor. */
  open_at(sb, "m.txt", 0, 0, FILE_RW, 0, 0, &fd);
  (void)__wasi_path_unlink_file(sb, "m.txt");
  st = fstat_of(fd);
  check_u64("meta.unlinked_open.nlink", st.nlink, 0);
  memset(buf, 0, sizeof buf);
  {
    __wasi_iovec_t iov = { (uint8_t *)buf, sizeof buf };
    e = __wasi_fd_pread(fd, &iov, 1, 0, &n);
  }
  check_str("meta.unlinked_open.read", buf, e == 0 ? n : 0, "12");
  (void)__wasi_fd_close(fd);

  /* Directories: type, nlink = 2 + subdirectories, mtim moved by entries coming and going. */
  (void)__wasi_path_create_directory(sb, "dir");
  st = stat_of("dir", 0);
  check_u64("meta.dir.filetype", st.filetype, __WASI_FILETYPE_DIRECTORY);
  check_u64("meta.dir.nlink_empty", st.nlink, 2);
  sleep_ns(20 * MS);
  (void)__wasi_path_create_directory(sb, "dir/sub");
  st2 = stat_of("dir", 0);
  check_u64("meta.dir.nlink_subdir", st2.nlink, 3);
  check("meta.dir.mtim_on_create", st2.mtim > st.mtim, "later after an entry was added", "%+lld ms",
    (long long)(st2.mtim - st.mtim) / (long long)MS);
  make_file(sb, "dir/f", "");
  st = stat_of("dir", 0);
  sleep_ns(20 * MS);
  (void)__wasi_path_unlink_file(sb, "dir/f");
  st2 = stat_of("dir", 0);
  check("meta.dir.mtim_on_unlink", st2.mtim > st.mtim, "later after an entry was removed", "%+lld ms",
    (long long)(st2.mtim - st.mtim) / (long long)MS);
  (void)__wasi_path_remove_directory(sb, "dir/sub");
  check_u64("meta.dir.nlink_after_rmdir", stat_of("dir", 0).nlink, 2);

  /* Symlinks: their own type and size (the target's length), or the target's when followed. */
  (void)__wasi_path_symlink("renamed.txt", sb, "link");
  st = stat_of("link", 0);
  check_u64("meta.symlink.filetype", st.filetype, __WASI_FILETYPE_SYMBOLIC_LINK);
  check_u64("meta.symlink.size", st.size, strlen("renamed.txt"));
  st2 = stat_of("link", 1);
  check("meta.symlink.followed", st2.filetype == __WASI_FILETYPE_REGULAR_FILE && st2.ino == st3.ino,
    "the target's type and inode", "type %d, ino %llu", st2.filetype, (unsigned long long)st2.ino);
  e = __wasi_path_filestat_set_times(sb, 0, "link", 0, 7000000000ull, __WASI_FSTFLAGS_MTIM);
  st = stat_of("link", 0);
  st2 = stat_of("renamed.txt", 0);
  check("meta.symlink.set_times_nofollow", e == 0 && st.mtim == 7000000000ull && st2.mtim != 7000000000ull,
    "SUCCESS, the link's mtim set, the target's not", "%s, link %llu ms, target %llu ms", errno_name(e), ms(st.mtim), ms(st2.mtim));
  e = __wasi_path_filestat_set_times(sb, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "link", 0, 8000000000ull, __WASI_FSTFLAGS_MTIM);
  st2 = stat_of("renamed.txt", 0);
  check("meta.symlink.set_times_follow", e == 0 && st2.mtim == 8000000000ull, "SUCCESS, the target's mtim set",
    "%s, target %llu ms", errno_name(e), ms(st2.mtim));
  check_errno("meta.stat.trailing_slash_on_file", stat_path(sb, "renamed.txt/", 0, &st), __WASI_ERRNO_NOTDIR);
  check_errno("meta.stat.missing", stat_path(sb, "nope", 0, &st), __WASI_ERRNO_NOENT);
  return done("metadata");
}
