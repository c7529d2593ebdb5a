/*
 * Descriptor numbers: EBADF for a closed one in every fd call, ENOTDIR for a file given as a
 * directory, the lowest free number reused, fd_renumber, fd_close on a preopen, prestat.
 */
#include "check.h"

int main(void) {
  int sb = preopen("/sandbox");
  int ro = preopen("/ro");
  int e, a, b, c;
  size_t n;
  char buf[32];
  __wasi_filesize_t pos;
  __wasi_filestat_t st;
  __wasi_fdstat_t fst;
  const int closed = 100;

  /* EBADF: a number that is not open. */
  check_errno("fds.badf.fd_read", read_some(closed, buf, 4, &n), __WASI_ERRNO_BADF);
  check_errno("fds.badf.fd_write", write_all(closed, "x", 1, &n), __WASI_ERRNO_BADF);
  {
    __wasi_iovec_t iov = { (uint8_t *)buf, 4 };
    check_errno("fds.badf.fd_pread", __wasi_fd_pread(closed, &iov, 1, 0, &n), __WASI_ERRNO_BADF);
    __wasi_ciovec_t ciov = { (const uint8_t *)"x", 1 };
    check_errno("fds.badf.fd_pwrite", __wasi_fd_pwrite(closed, &ciov, 1, 0, &n), __WASI_ERRNO_BADF);
  }
  check_errno("fds.badf.fd_seek", __wasi_fd_seek(closed, 0, __WASI_WHENCE_SET, &pos), __WASI_ERRNO_BADF);
  check_errno("fds.badf.fd_tell", __wasi_fd_tell(closed, &pos), __WASI_ERRNO_BADF);
  check_errno("fds.badf.fd_close", __wasi_fd_close(closed), __WASI_ERRNO_BADF);
  check_errno("fds.badf.fd_fdstat_get", __wasi_fd_fdstat_get(closed, &fst), __WASI_ERRNO_BADF);
  check_errno("fds.badf.fd_fdstat_set_flags", __wasi_fd_fdstat_set_flags(closed, 0), __WASI_ERRNO_BADF);
  check_errno("fds.badf.fd_fdstat_set_rights", __wasi_fd_fdstat_set_rights(closed, 0, 0), __WASI_ERRNO_BADF);
  check_errno("fds.badf.fd_filestat_get", __wasi_fd_filestat_get(closed, &st), __WASI_ERRNO_BADF);
  check_errno("fds.badf.fd_filestat_set_size", __wasi_fd_filestat_set_size(closed, 0), __WASI_ERRNO_BADF);
  check_errno("fds.badf.fd_filestat_set_times", __wasi_fd_filestat_set_times(closed, 0, 0, 0), __WASI_ERRNO_BADF);
  check_errno("fds.badf.fd_advise", __wasi_fd_advise(closed, 0, 0, 0), __WASI_ERRNO_BADF);
  check_errno("fds.badf.fd_allocate", __wasi_fd_allocate(closed, 0, 1), __WASI_ERRNO_BADF);
  check_errno("fds.badf.fd_datasync", __wasi_fd_datasync(closed), __WASI_ERRNO_BADF);
  check_errno("fds.badf.fd_sync", __wasi_fd_sync(closed), __WASI_ERRNO_BADF);
  check_errno("fds.badf.fd_readdir", __wasi_fd_readdir(closed, (uint8_t *)buf, sizeof buf, 0, &n), __WASI_ERRNO_BADF);
  {
    __wasi_prestat_t ps;
    check_errno("fds.badf.fd_prestat_get", __wasi_fd_prestat_get(closed, &ps), __WASI_ERRNO_BADF);
  }
  check_errno("fds.badf.fd_prestat_dir_name", __wasi_fd_prestat_dir_name(closed, (uint8_t *)buf, sizeof buf), __WASI_ERRNO_BADF);
  check_errno("fds.badf.fd_renumber", __wasi_fd_renumber(closed, sb), __WASI_ERRNO_BADF);
  check_errno("fds.badf.path_open", open_at(closed, "x", 0, 0, 0, 0, 0, &a), __WASI_ERRNO_BADF);
  check_errno("fds.badf.path_create_directory", __wasi_path_create_directory(closed, "x"), __WASI_ERRNO_BADF);
  check_errno("fds.badf.path_filestat_get", stat_path(closed, "x", 0, &st), __WASI_ERRNO_BADF);
  check_errno("fds.badf.path_unlink_file", __wasi_path_unlink_file(closed, "x"), __WASI_ERRNO_BADF);
  check_errno("fds.badf.path_symlink", __wasi_path_symlink("a", closed, "x"), __WASI_ERRNO_BADF);
  check_errno("fds.badf.path_rename", __wasi_path_rename(closed, "a", sb, "x"), __WASI_ERRNO_BADF);
  check_errno("fds.badf.path_link", __wasi_path_link(sb, 0, "a", closed, "x"), __WASI_ERRNO_BADF);

  /* ENOTDIR: a file's descriptor where a directory's is wanted. */
  make_file(sb, "file.txt", "contents");
  open_at(sb, "file.txt", 0, 0, FILE_RW, 0, 0, &a);
#define NOTDIR_OR_CAP ANY_OF(__WASI_ERRNO_NOTDIR, __WASI_ERRNO_NOTCAPABLE)
  check_errno_in("fds.notdir.path_open", open_at(a, "x", 0, __WASI_OFLAGS_CREAT, 0, 0, 0, &b), NOTDIR_OR_CAP);
  check_errno_in("fds.notdir.path_create_directory", __wasi_path_create_directory(a, "x"), NOTDIR_OR_CAP);
  check_errno_in("fds.notdir.path_filestat_get", stat_path(a, "x", 0, &st), NOTDIR_OR_CAP);
  check_errno_in("fds.notdir.path_unlink_file", __wasi_path_unlink_file(a, "x"), NOTDIR_OR_CAP);
  check_errno_in("fds.notdir.path_remove_directory", __wasi_path_remove_directory(a, "x"), NOTDIR_OR_CAP);
  check_errno_in("fds.notdir.path_readlink", __wasi_path_readlink(a, "x", (uint8_t *)buf, sizeof buf, &n), NOTDIR_OR_CAP);
  check_errno_in("fds.notdir.path_symlink", __wasi_path_symlink("y", a, "x"), NOTDIR_OR_CAP);
  check_errno_in("fds.notdir.path_rename", __wasi_path_rename(a, "x", sb, "y"), NOTDIR_OR_CAP);
  check_errno_in("fds.notdir.path_filestat_set_times", __wasi_path_filestat_set_times(a, 0, "x", 0, 0, 0), NOTDIR_OR_CAP);
  check_errno_in("fds.notdir.fd_readdir", __wasi_fd_readdir(a, (uint8_t *)buf, sizeof buf, 0, &n), ANY_OF(__WASI_ERRNO_NOTDIR, __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE));
  /* An open descriptor that is not a preopen: wasmtime says EBADF, uvwasi EINVAL; the spec is silent. */
#define NOT_PREOPEN ANY_OF(__WASI_ERRNO_BADF, __WASI_ERRNO_INVAL)
  check_errno_in("fds.notdir.prestat_of_file", ({ __wasi_prestat_t ps; __wasi_fd_prestat_get(a, &ps); }), NOT_PREOPEN);
  (void)__wasi_fd_close(a);

  /* Closing: once; the lowest free number comes back. */
  open_at(sb, "file.txt", 0, 0, __WASI_RIGHTS_FD_READ, 0, 0, &a);
  open_at(sb, "file.txt", 0, 0, __WASI_RIGHTS_FD_READ, 0, 0, &b);
  check_errno("fds.close", __wasi_fd_close(a), 0);
  check_errno("fds.close_twice", __wasi_fd_close(a), __WASI_ERRNO_BADF);
  check_errno("fds.closed_is_closed", __wasi_fd_fdstat_get(a, &fst), __WASI_ERRNO_BADF);
  open_at(sb, "file.txt", 0, 0, __WASI_RIGHTS_FD_READ, 0, 0, &c);
  check("fds.number_reused", c == a, "the closed number again", "%d after closing %d", c, a);
  (void)__wasi_fd_close(b);
  (void)__wasi_fd_close(c);

  /* fd_renumber. */
  make_file(sb, "one.txt", "1");
  make_file(sb, "two.txt", "22");
  open_at(sb, "one.txt", 0, 0, FILE_RW, 0, 0, &a);
  open_at(sb, "two.txt", 0, 0, FILE_RW, 0, 0, &b);
  e = __wasi_fd_renumber(a, b);
  check_errno("fds.renumber", e, 0);
  check("fds.renumber.moves", __wasi_fd_filestat_get(b, &st) == 0 && st.size == 1, "b now names one.txt", "size %llu",
    (unsigned long long)st.size);
  check_errno("fds.renumber.source_closed", __wasi_fd_fdstat_get(a, &fst), __WASI_ERRNO_BADF);
  check_errno("fds.renumber.to_closed", __wasi_fd_renumber(b, closed), __WASI_ERRNO_BADF);
  check_errno("fds.renumber.from_closed", __wasi_fd_renumber(closed, b), __WASI_ERRNO_BADF);
  e = __wasi_fd_renumber(b, b);
  check("fds.renumber.same", e == 0 && __wasi_fd_fdstat_get(b, &fst) == 0, "SUCCESS, still open", "%s", errno_name(e));
  open_at(sb, "two.txt", 0, 0, FILE_RW, 0, 0, &c);
  e = __wasi_fd_renumber(c, 0);
  (void)__wasi_fd_fdstat_get(0, &fst);
  check("fds.renumber.over_stdin", e == 0 && fst.fs_filetype == __WASI_FILETYPE_REGULAR_FILE, "SUCCESS, fd 0 is the file",
    "%s, type %d", errno_name(e), fst.fs_filetype);
  e = read_some(0, buf, sizeof buf, &n);
  check_str("fds.renumber.over_stdin_reads", buf, e == 0 ? n : 0, "22");

  /* prestat: preopens only; the name, and what a short buffer gets. */
  __wasi_prestat_t ps;
  e = __wasi_fd_prestat_get(sb, &ps);
  check("fds.prestat", e == 0 && ps.tag == __WASI_PREOPENTYPE_DIR && ps.u.dir.pr_name_len == 8, "SUCCESS, a directory, name length 8",
    "%s, tag %d, length %zu", errno_name(e), ps.tag, ps.u.dir.pr_name_len);
  memset(buf, 0, sizeof buf);
  e = __wasi_fd_prestat_dir_name(sb, (uint8_t *)buf, sizeof buf);
  check_str("fds.prestat_dir_name", buf, e == 0 ? strlen(buf) : 0, "/sandbox");
  check_errno_in("fds.prestat_dir_name_short", __wasi_fd_prestat_dir_name(sb, (uint8_t *)buf, 3),
    ANY_OF(__WASI_ERRNO_NAMETOOLONG, __WASI_ERRNO_INVAL));
  check_errno_in("fds.prestat_stdout", __wasi_fd_prestat_get(1, &ps), NOT_PREOPEN);

  /* A preopen can be renumbered over, and closed; its number then says nothing. */
  open_at(sb, "one.txt", 0, 0, FILE_RW, 0, 0, &a);
  e = __wasi_fd_renumber(a, ro);
  check("fds.renumber_over_preopen", e == 0 && __wasi_fd_fdstat_get(ro, &fst) == 0 && fst.fs_filetype == __WASI_FILETYPE_REGULAR_FILE,
    "SUCCESS, the number now names the file", "%s, type %d", errno_name(e), fst.fs_filetype);
  check_errno_in("fds.renumber_over_preopen_prestat", __wasi_fd_prestat_get(ro, &ps), NOT_PREOPEN);
  check_errno("fds.close_preopen", __wasi_fd_close(ro), 0);
  check_errno("fds.closed_preopen_is_closed", __wasi_fd_prestat_get(ro, &ps), __WASI_ERRNO_BADF);
  return done("fds");
}
