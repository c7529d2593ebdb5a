/*
 * A read-only mount (/ro: file.txt, dir/inner.txt): reading works, every change is refused with
 * EROFS (the one errno this sandbox gives for it), including through a descriptor opened for
 * reading, a rename or link from the writable mount, or a symlink pointing into /ro.
 */
#include "check.h"

int main(void) {
  int ro = preopen("/ro");
  int sb = preopen("/sandbox");
  int e, fd;
  size_t n;
  char buf[64];
  __wasi_filestat_t st;
#define ROFS __WASI_ERRNO_ROFS

  /* Reading. */
  e = open_at(ro, "file.txt", 0, 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_FILESTAT_GET, 0, 0, &fd);
  check_errno("ro.open_read", e, 0);
  e = read_some(fd, buf, sizeof buf, &n);
  check_str("ro.read", buf, e == 0 ? n : 0, "read only data\n");
  e = stat_path(ro, "dir/inner.txt", 0, &st);
  check("ro.stat", e == 0 && st.size == 6, "SUCCESS, 6 bytes", "%s, %llu bytes", errno_name(e), (unsigned long long)st.size);
  {
    uint8_t dbuf[512];
    e = __wasi_fd_readdir(ro, dbuf, sizeof dbuf, 0, &n);
    check("ro.readdir", e == 0 && n > 0, "SUCCESS, entries", "%s, %zu bytes", errno_name(e), n);
  }
  __wasi_fdstat_t fst;
  (void)__wasi_fd_fdstat_get(ro, &fst);
  check("ro.rights_say_so", (fst.fs_rights_base & (__WASI_RIGHTS_PATH_CREATE_FILE | __WASI_RIGHTS_PATH_UNLINK_FILE)) == 0,
    "no create or unlink right on the read-only preopen", "base 0x%llx", (unsigned long long)fst.fs_rights_base);

  /* Writes through a descriptor opened for reading. */
  check_errno("ro.fd_write", write_all(fd, "x", 1, &n), ROFS);
  {
    __wasi_ciovec_t iov = { (const uint8_t *)"x", 1 };
    check_errno("ro.fd_pwrite", __wasi_fd_pwrite(fd, &iov, 1, 0, &n), ROFS);
  }
  check_errno("ro.fd_filestat_set_size", __wasi_fd_filestat_set_size(fd, 0), ROFS);
  check_errno("ro.fd_allocate", __wasi_fd_allocate(fd, 0, 100), ROFS);
  check_errno("ro.fd_filestat_set_times", __wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW), ROFS);
  (void)__wasi_fd_close(fd);

  /* Opening for a change. */
  check_errno("ro.open_write", open_at(ro, "file.txt", 0, 0, __WASI_RIGHTS_FD_WRITE, 0, 0, &fd), ROFS);
  check_errno("ro.open_append", open_at(ro, "file.txt", 0, 0, __WASI_RIGHTS_FD_READ, 0, __WASI_FDFLAGS_APPEND, &fd), ROFS);
  check_errno("ro.open_trunc", open_at(ro, "file.txt", 0, __WASI_OFLAGS_TRUNC, __WASI_RIGHTS_FD_READ, 0, 0, &fd), ROFS);
  check_errno("ro.open_create", open_at(ro, "new.txt", 0, __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ, 0, 0, &fd), ROFS);

  /* Changes by path. */
  check_errno("ro.mkdir", __wasi_path_create_directory(ro, "newdir"), ROFS);
  check_errno("ro.rmdir", __wasi_path_remove_directory(ro, "dir"), ROFS);
  check_errno("ro.unlink", __wasi_path_unlink_file(ro, "file.txt"), ROFS);
  check_errno("ro.rename_within", __wasi_path_rename(ro, "file.txt", ro, "moved.txt"), ROFS);
  check_errno("ro.link_within", __wasi_path_link(ro, 0, "file.txt", ro, "hard.txt"), ROFS);
  check_errno("ro.symlink", __wasi_path_symlink("file.txt", ro, "sym"), ROFS);
  check_errno("ro.path_set_times", __wasi_path_filestat_set_times(ro, 0, "file.txt", 0, 0, __WASI_FSTFLAGS_MTIM_NOW), ROFS);
  int sub;
  open_at(ro, "dir", 0, __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_PATH_CREATE_FILE |
    __WASI_RIGHTS_PATH_UNLINK_FILE, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0, &sub);
  check_errno("ro.subdir_create", open_at(sub, "x.txt", 0, __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, 0, &fd), ROFS);
  check_errno("ro.subdir_unlink", __wasi_path_unlink_file(sub, "inner.txt"), ROFS);
  (void)__wasi_fd_close(sub);

  /* From the writable mount. */
  make_file(sb, "mine.txt", "mine");
  check_errno("ro.rename_into", __wasi_path_rename(sb, "mine.txt", ro, "mine.txt"), ROFS);
  check_errno("ro.rename_out_of", __wasi_path_rename(ro, "file.txt", sb, "taken.txt"), ROFS);
  check_errno_in("ro.link_into", __wasi_path_link(sb, 0, "mine.txt", ro, "mine.txt"), ANY_OF(ROFS, __WASI_ERRNO_XDEV));
  /* A link into /ro from the writable mount: never a way in (refusing to make it will do too). */
  e = __wasi_path_symlink("../ro/file.txt", sb, "escape");
  check_errno_in("ro.symlink_escape_create", e, ANY_OF(0, __WASI_ERRNO_NOTCAPABLE, __WASI_ERRNO_PERM));
  const int *never = e == 0 ? ANY_OF(__WASI_ERRNO_NOTCAPABLE, __WASI_ERRNO_PERM) : ANY_OF(__WASI_ERRNO_NOENT);
  check_errno_in("ro.symlink_escape_write",
    open_at(sb, "escape", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, 0, __WASI_RIGHTS_FD_WRITE, 0, 0, &fd), never);
  check_errno_in("ro.symlink_escape_trunc",
    open_at(sb, "escape", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, __WASI_OFLAGS_TRUNC, 0, 0, 0, &fd), never);

  /* Nothing changed. */
  e = open_at(ro, "file.txt", 0, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd);
  n = 0;
  if (e == 0) {
    (void)read_some(fd, buf, sizeof buf, &n);
    (void)__wasi_fd_close(fd);
  }
  check_str("ro.contents_intact", buf, n, "read only data\n");
  int present = stat_path(ro, "dir/inner.txt", 0, &st) == 0 && stat_path(ro, "new.txt", 0, &st) != 0 &&
    stat_path(ro, "newdir", 0, &st) != 0 && stat_path(ro, "mine.txt", 0, &st) != 0 && stat_path(ro, "moved.txt", 0, &st) != 0;
  check("ro.tree_intact", present, "dir/inner.txt there; new.txt, newdir, mine.txt, moved.txt not", "%s", present ? "as before" : "changed");
  return done("readonly");
}
