/*
 * Hard links and symlinks: creating them, readlink (truncating into short buffers), following
 * and not following, dangling links, loops giving ELOOP, and links that point out of the
 * directory (or the mount) never leading there.
 */
#include "check.h"

static int sb;

static int exists(const char *path) {
  __wasi_filestat_t st;
  return stat_path(sb, path, 0, &st) == 0;
}

static int try_open(int dir, const char *path, int lookup, int oflags) {
  int fd;
  int e = open_at(dir, path, lookup, oflags, __WASI_RIGHTS_FD_READ, 0, 0, &fd);
  if (fd >= 0) (void)__wasi_fd_close(fd);
  return e;
}

#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW

int main(void) {
  sb = preopen("/sandbox");
  int ro = preopen("/ro");
  int e, fd;
  size_t n;
  char buf[64];
  __wasi_filestat_t st, st2;

  make_file(sb, "file.txt", "data");
  (void)__wasi_path_create_directory(sb, "dir");
  make_file(sb, "dir/inner.txt", "inner");

  /* Hard links: one inode, two names, shared contents. */
  e = __wasi_path_link(sb, 0, "file.txt", sb, "hard.txt");
  stat_path(sb, "file.txt", 0, &st);
  stat_path(sb, "hard.txt", 0, &st2);
  check("link.create", e == 0 && st.ino == st2.ino && st.nlink == 2, "SUCCESS, same inode, nlink 2", "%s, nlink %llu",
    errno_name(e), (unsigned long long)st.nlink);
  open_at(sb, "hard.txt", 0, 0, FILE_RW, 0, 0, &fd);
  write_all(fd, "DA", 2, &n);
  (void)__wasi_fd_close(fd);
  open_at(sb, "file.txt", 0, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd);
  e = read_some(fd, buf, sizeof buf, &n);
  (void)__wasi_fd_close(fd);
  check_str("link.shared_contents", buf, e == 0 ? n : 0, "DAta");
  check_errno("link.target_exists", __wasi_path_link(sb, 0, "file.txt", sb, "hard.txt"), __WASI_ERRNO_EXIST);
  check_errno("link.onto_itself", __wasi_path_link(sb, 0, "file.txt", sb, "file.txt"), __WASI_ERRNO_EXIST);
  check_errno("link.onto_dir", __wasi_path_link(sb, 0, "file.txt", sb, "dir"), __WASI_ERRNO_EXIST);
  check_errno_in("link.of_dir", __wasi_path_link(sb, 0, "dir", sb, "dirlink"), ANY_OF(__WASI_ERRNO_PERM, __WASI_ERRNO_ACCES));
  check_errno("link.target_slash", __wasi_path_link(sb, 0, "file.txt", sb, "slash/"), __WASI_ERRNO_NOENT);
  check_errno("link.missing_source", __wasi_path_link(sb, 0, "nothing", sb, "x"), __WASI_ERRNO_NOENT);
  check_errno("link.into_subdir", __wasi_path_link(sb, 0, "file.txt", sb, "dir/third.txt"), 0);
  stat_path(sb, "file.txt", 0, &st);
  check_u64("link.nlink_three", st.nlink, 3);
  check_errno_in("link.across_mounts", __wasi_path_link(ro, 0, "file.txt", sb, "stolen.txt"), ANY_OF(__WASI_ERRNO_XDEV, __WASI_ERRNO_ROFS));
  check("link.across_mounts_nothing_made", !exists("stolen.txt"), "nothing made", "%s", exists("stolen.txt") ? "made" : "nothing made");

  /* Symlinks: made, read back, truncated into short buffers without a trailing NUL. */
  check_errno("symlink.create", __wasi_path_symlink("file.txt", sb, "sym"), 0);
  memset(buf, 0, sizeof buf);
  e = __wasi_path_readlink(sb, "sym", (uint8_t *)buf, sizeof buf, &n);
  check_str("symlink.readlink", buf, e == 0 ? n : 0, "file.txt");
  memset(buf, '#', sizeof buf);
  e = __wasi_path_readlink(sb, "sym", (uint8_t *)buf, 4, &n);
  check("symlink.readlink_truncates", e == 0 && n == 4 && memcmp(buf, "file", 4) == 0 && buf[4] == '#',
    "SUCCESS, 4 bytes \"file\", nothing past them", "%s, %zu bytes \"%.4s\"", errno_name(e), n, buf);
  e = __wasi_path_readlink(sb, "sym", (uint8_t *)buf, 0, &n);
  check("symlink.readlink_empty_buffer", e == 0 && n == 0, "SUCCESS, 0 bytes", "%s, %zu bytes", errno_name(e), n);
  check_errno("symlink.readlink_not_a_link", __wasi_path_readlink(sb, "file.txt", (uint8_t *)buf, sizeof buf, &n), __WASI_ERRNO_INVAL);
  check_errno("symlink.readlink_missing", __wasi_path_readlink(sb, "nothing", (uint8_t *)buf, sizeof buf, &n), __WASI_ERRNO_NOENT);
  check_errno("symlink.exists", __wasi_path_symlink("x", sb, "sym"), __WASI_ERRNO_EXIST);
  check_errno("symlink.over_dir", __wasi_path_symlink("x", sb, "dir"), __WASI_ERRNO_EXIST);
  check_errno_in("symlink.over_file_slash", __wasi_path_symlink("x", sb, "file.txt/"), ANY_OF(__WASI_ERRNO_NOTDIR, __WASI_ERRNO_EXIST));
  check_errno("symlink.new_slash", __wasi_path_symlink("x", sb, "newlink/"), __WASI_ERRNO_NOENT);

  /* Following: by path_open with LOOKUP_SYMLINK_FOLLOW; not following: ELOOP on the link itself. */
  check_errno("symlink.open_follow", try_open(sb, "sym", FOLLOW, 0), 0);
  check_errno("symlink.open_nofollow", try_open(sb, "sym", 0, 0), __WASI_ERRNO_LOOP);
  (void)__wasi_path_symlink("dir", sb, "dsym");
  check_errno("symlink.open_dir_follow", try_open(sb, "dsym", FOLLOW, __WASI_OFLAGS_DIRECTORY), 0);
  check_errno_in("symlink.open_dir_nofollow", try_open(sb, "dsym", 0, __WASI_OFLAGS_DIRECTORY), ANY_OF(__WASI_ERRNO_LOOP, __WASI_ERRNO_NOTDIR));
  check_errno("symlink.intermediate_always_followed", try_open(sb, "dsym/inner.txt", 0, 0), 0);
  check_errno("symlink.file_link_as_dir", try_open(sb, "sym", FOLLOW, __WASI_OFLAGS_DIRECTORY), __WASI_ERRNO_NOTDIR);
  check_errno_in("symlink.file_link_slash", try_open(sb, "sym/", 0, 0), ANY_OF(__WASI_ERRNO_NOTDIR, __WASI_ERRNO_NOENT));
  stat_path(sb, "sym", 0, &st);
  stat_path(sb, "sym", FOLLOW, &st2);
  check("symlink.stat", st.filetype == __WASI_FILETYPE_SYMBOLIC_LINK && st2.filetype == __WASI_FILETYPE_REGULAR_FILE,
    "the link without follow, the file with it", "%d and %d", st.filetype, st2.filetype);

  /* A chain of ten links resolves. */
  char from[16], to[16];
  (void)__wasi_path_symlink("file.txt", sb, "chain0");
  for (int i = 1; i < 10; i++) {
    snprintf(from, sizeof from, "chain%d", i - 1);
    snprintf(to, sizeof to, "chain%d", i);
    (void)__wasi_path_symlink(from, sb, to);
  }
  check_errno("symlink.chain_of_ten", try_open(sb, "chain9", FOLLOW, 0), 0);

  /* Dangling links: reported as missing when followed, creatable through with O_CREAT. */
  check_errno("symlink.dangling_create", __wasi_path_symlink("target.txt", sb, "dangling"), 0);
  check_errno("symlink.dangling_follow", try_open(sb, "dangling", FOLLOW, 0), __WASI_ERRNO_NOENT);
  check_errno("symlink.dangling_nofollow", try_open(sb, "dangling", 0, 0), __WASI_ERRNO_LOOP);
  check_errno("symlink.dangling_stat_nofollow", stat_path(sb, "dangling", 0, &st), 0);
  check_errno("symlink.dangling_stat_follow", stat_path(sb, "dangling", FOLLOW, &st), __WASI_ERRNO_NOENT);
  check_errno("symlink.dangling_excl", try_open(sb, "dangling", FOLLOW, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL), __WASI_ERRNO_EXIST);
  e = try_open(sb, "dangling", FOLLOW, __WASI_OFLAGS_CREAT);
  check("symlink.dangling_creat_makes_target", e == 0 && exists("target.txt"), "SUCCESS, target.txt made",
    "%s, %s", errno_name(e), exists("target.txt") ? "made" : "not made");
  check_errno("symlink.link_to_symlink", __wasi_path_link(sb, 0, "dangling", sb, "hardsym"), 0);
  stat_path(sb, "hardsym", 0, &st);
  check_u64("symlink.link_to_symlink_type", st.filetype, __WASI_FILETYPE_SYMBOLIC_LINK);

  /* Loops: ELOOP, when followed and when the loop sits in the middle of a path. */
  (void)__wasi_path_symlink("self", sb, "self");
  check_errno("symlink.loop_self", try_open(sb, "self", FOLLOW, 0), __WASI_ERRNO_LOOP);
  (void)__wasi_path_symlink("pong", sb, "ping");
  (void)__wasi_path_symlink("ping", sb, "pong");
  check_errno("symlink.loop_pair", try_open(sb, "ping", FOLLOW, 0), __WASI_ERRNO_LOOP);
  check_errno("symlink.loop_intermediate", try_open(sb, "ping/x", 0, 0), __WASI_ERRNO_LOOP);
  check_errno("symlink.loop_stat", stat_path(sb, "ping", FOLLOW, &st), __WASI_ERRNO_LOOP);
  check_errno("symlink.loop_unlink", __wasi_path_unlink_file(sb, "self"), 0);

  /* Out of the directory and out of the mount: never followed there. */
  check_errno_in("symlink.absolute_refused", __wasi_path_symlink("/ro/file.txt", sb, "abs"),
    ANY_OF(__WASI_ERRNO_PERM, __WASI_ERRNO_NOTCAPABLE, __WASI_ERRNO_NOENT, __WASI_ERRNO_INVAL));
  check_errno_in("symlink.absolute_never_followed", try_open(sb, "abs", FOLLOW, 0),
    ANY_OF(__WASI_ERRNO_NOENT, __WASI_ERRNO_PERM, __WASI_ERRNO_NOTCAPABLE));
  /* A link whose target leaves the mount: refusing to make it is as good as never following it. */
  e = __wasi_path_symlink("../ro/file.txt", sb, "up");
  check_errno_in("symlink.dotdot_create", e, ANY_OF(0, __WASI_ERRNO_NOTCAPABLE, __WASI_ERRNO_PERM));
  const int *never = e == 0 ? ANY_OF(__WASI_ERRNO_NOTCAPABLE, __WASI_ERRNO_PERM) : ANY_OF(__WASI_ERRNO_NOENT);
  check_errno_in("symlink.dotdot_out_of_mount", try_open(sb, "up", FOLLOW, 0), never);
  int w;
  check_errno_in("symlink.dotdot_write_out_of_mount", open_at(sb, "up", FOLLOW, 0, __WASI_RIGHTS_FD_WRITE, 0, 0, &w), never);
  check_errno("symlink.dotdot_inside_create", __wasi_path_symlink("../file.txt", sb, "dir/toparent"), 0);
  check_errno("symlink.dotdot_inside_mount", try_open(sb, "dir/toparent", FOLLOW, 0), 0);
  int sub;
  open_at(sb, "dir", 0, __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_PATH_FILESTAT_GET, __WASI_RIGHTS_FD_READ, 0, &sub);
  check_errno_in("symlink.dotdot_out_of_fd", try_open(sub, "toparent", FOLLOW, 0), ANY_OF(__WASI_ERRNO_NOTCAPABLE, __WASI_ERRNO_PERM));
  check_errno_in("symlink.dotdot_out_of_fd_stat", stat_path(sub, "toparent", FOLLOW, &st), ANY_OF(__WASI_ERRNO_NOTCAPABLE, __WASI_ERRNO_PERM));
  (void)__wasi_fd_close(sub);
  e = __wasi_path_symlink("../..", sb, "dir/way_up");
  check_errno_in("symlink.dir_out_of_mount_create", e, ANY_OF(0, __WASI_ERRNO_NOTCAPABLE, __WASI_ERRNO_PERM));
  never = e == 0 ? ANY_OF(__WASI_ERRNO_NOTCAPABLE, __WASI_ERRNO_PERM) : ANY_OF(__WASI_ERRNO_NOENT);
  check_errno_in("symlink.dir_out_of_mount", try_open(sb, "dir/way_up/ro", 0, __WASI_OFLAGS_DIRECTORY), never);
  return done("links");
}
