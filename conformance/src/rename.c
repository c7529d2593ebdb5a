/*
 * path_rename: files and directories, onto new names and over existing ones (file over file,
 * directory over empty and non-empty directory, mismatched types), into its own subtree, two
 * names of one file, trailing slashes, between two directory descriptors and two mounts.
 */
#include "check.h"

static int sb;

static int exists(const char *path) {
  __wasi_filestat_t st;
  return stat_path(sb, path, 0, &st) == 0;
}

static uint64_t ino_of(const char *path) {
  __wasi_filestat_t st;
  return stat_path(sb, path, 0, &st) == 0 ? st.ino : 0;
}

static int read_text(const char *path, char *buf, size_t len) {
  int fd;
  size_t n = 0;
  if (open_at(sb, path, 0, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd) != 0) return 0;
  (void)read_some(fd, buf, len, &n);
  (void)__wasi_fd_close(fd);
  return (int)n;
}

int main(void) {
  sb = preopen("/sandbox");
  int ro = preopen("/ro");
  int e, n;
  char buf[64];

  /* Files. */
  make_file(sb, "a.txt", "A");
  uint64_t ino = ino_of("a.txt");
  e = __wasi_path_rename(sb, "a.txt", sb, "b.txt");
  check("rename.file", e == 0 && !exists("a.txt") && ino_of("b.txt") == ino, "SUCCESS, the same file under the new name only",
    "%s, old %s", errno_name(e), exists("a.txt") ? "still there" : "gone");
  make_file(sb, "c.txt", "C");
  e = __wasi_path_rename(sb, "b.txt", sb, "c.txt");
  n = read_text("c.txt", buf, sizeof buf);
  check("rename.file_over_file", e == 0 && !exists("b.txt") && n == 1 && buf[0] == 'A', "SUCCESS, the target replaced",
    "%s, c.txt holds %.*s", errno_name(e), n, buf);
  check_errno("rename.missing_source", __wasi_path_rename(sb, "nothing", sb, "x"), __WASI_ERRNO_NOENT);
  check_errno("rename.missing_target_parent", __wasi_path_rename(sb, "c.txt", sb, "nodir/c.txt"), __WASI_ERRNO_NOENT);
  e = __wasi_path_rename(sb, "c.txt", sb, "c.txt");
  check("rename.onto_itself", e == 0 && exists("c.txt"), "SUCCESS, nothing changes", "%s, %s", errno_name(e), exists("c.txt") ? "kept" : "lost");
  (void)__wasi_path_link(sb, 0, "c.txt", sb, "c2.txt");
  e = __wasi_path_rename(sb, "c.txt", sb, "c2.txt");
  check("rename.two_names_of_one_file", e == 0 && exists("c.txt") && exists("c2.txt"),
    "SUCCESS, both names kept (POSIX: do nothing)", "%s, c.txt %s, c2.txt %s", errno_name(e), exists("c.txt") ? "kept" : "gone",
    exists("c2.txt") ? "kept" : "gone");
  check_errno("rename.file_source_slash", __wasi_path_rename(sb, "c.txt/", sb, "d.txt"), __WASI_ERRNO_NOTDIR);
  check_errno("rename.file_target_slash", __wasi_path_rename(sb, "c.txt", sb, "d.txt/"), __WASI_ERRNO_NOTDIR);

  /* An open descriptor follows its file. */
  int fd;
  open_at(sb, "c.txt", 0, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd);
  e = __wasi_path_rename(sb, "c.txt", sb, "moved.txt");
  size_t got = 0;
  (void)read_some(fd, buf, sizeof buf, &got);
  check("rename.open_fd_survives", e == 0 && got == 1 && buf[0] == 'A', "SUCCESS, the descriptor still reads A", "%s, %zu bytes",
    errno_name(e), got);
  (void)__wasi_fd_close(fd);

  /* Directories. */
  (void)__wasi_path_create_directory(sb, "src");
  make_file(sb, "src/inside.txt", "in");
  e = __wasi_path_rename(sb, "src", sb, "dst");
  check("rename.dir", e == 0 && !exists("src") && exists("dst/inside.txt"), "SUCCESS, contents move along",
    "%s, dst/inside.txt %s", errno_name(e), exists("dst/inside.txt") ? "there" : "missing");
  (void)__wasi_path_create_directory(sb, "emptydir");
  e = __wasi_path_rename(sb, "dst", sb, "emptydir");
  check("rename.dir_over_empty_dir", e == 0 && !exists("dst") && exists("emptydir/inside.txt"), "SUCCESS, the empty one replaced",
    "%s", errno_name(e));
  (void)__wasi_path_create_directory(sb, "full");
  make_file(sb, "full/f", "f");
  (void)__wasi_path_create_directory(sb, "another");
  check_errno_in("rename.dir_over_nonempty_dir", __wasi_path_rename(sb, "another", sb, "full"),
    ANY_OF(__WASI_ERRNO_NOTEMPTY, __WASI_ERRNO_EXIST));
  check("rename.nonempty_kept", exists("full/f") && exists("another"), "both directories as they were", "%s",
    exists("full/f") && exists("another") ? "kept" : "changed");
  check_errno("rename.dir_over_file", __wasi_path_rename(sb, "another", sb, "moved.txt"), __WASI_ERRNO_NOTDIR);
  check_errno("rename.file_over_dir", __wasi_path_rename(sb, "moved.txt", sb, "another"), __WASI_ERRNO_ISDIR);
  (void)__wasi_path_create_directory(sb, "another/deeper");
  check_errno("rename.into_own_subtree", __wasi_path_rename(sb, "another", sb, "another/deeper/x"), __WASI_ERRNO_INVAL);
  check_errno("rename.onto_own_child", __wasi_path_rename(sb, "another", sb, "another/deeper"), __WASI_ERRNO_INVAL);
  e = __wasi_path_rename(sb, "another/", sb, "renamed/");
  check("rename.dir_trailing_slashes", e == 0 && exists("renamed/deeper"), "SUCCESS", "%s", errno_name(e));
  e = __wasi_path_rename(sb, "renamed", sb, "full/renamed");
  check("rename.dir_into_other_dir", e == 0 && exists("full/renamed/deeper"), "SUCCESS", "%s", errno_name(e));
  __wasi_filestat_t st;
  stat_path(sb, "full", 0, &st);
  check_u64("rename.dir_moves_nlink", st.nlink, 3);
  check_errno_in("rename.dot_source", __wasi_path_rename(sb, "full/.", sb, "dotmoved"),
    ANY_OF(__WASI_ERRNO_INVAL, __WASI_ERRNO_BUSY));
  check_errno_in("rename.dotdot_escape", __wasi_path_rename(sb, "moved.txt", sb, "../escaped.txt"),
    ANY_OF(__WASI_ERRNO_NOTCAPABLE, __WASI_ERRNO_PERM));

  /* Symlinks move as links. */
  (void)__wasi_path_symlink("moved.txt", sb, "ln");
  e = __wasi_path_rename(sb, "ln", sb, "ln2");
  stat_path(sb, "ln2", 0, &st);
  check("rename.symlink_itself", e == 0 && st.filetype == __WASI_FILETYPE_SYMBOLIC_LINK && exists("moved.txt"),
    "SUCCESS, the link moved, its target stays", "%s, type %d", errno_name(e), st.filetype);

  /* Between two descriptors of one mount. */
  int sub;
  e = open_at(sb, "full", 0, __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_PATH_RENAME_SOURCE | __WASI_RIGHTS_PATH_RENAME_TARGET |
    __WASI_RIGHTS_PATH_FILESTAT_GET, 0, 0, &sub);
  check_errno("rename.second_dir_fd", e, 0);
  e = __wasi_path_rename(sb, "moved.txt", sub, "fromtop.txt");
  check("rename.between_fds", e == 0 && exists("full/fromtop.txt"), "SUCCESS", "%s", errno_name(e));
  e = __wasi_path_rename(sub, "fromtop.txt", sb, "back.txt");
  check("rename.between_fds_back", e == 0 && exists("back.txt"), "SUCCESS", "%s", errno_name(e));
  (void)__wasi_fd_close(sub);

  /* Between mounts: a rename never crosses one (and never writes to the read-only one). */
  check_errno_in("rename.across_mounts", __wasi_path_rename(sb, "back.txt", ro, "back.txt"), ANY_OF(__WASI_ERRNO_XDEV, __WASI_ERRNO_ROFS));
  check("rename.across_mounts_kept", exists("back.txt"), "back.txt still in /sandbox", "%s", exists("back.txt") ? "kept" : "gone");
  return done("rename");
}
