/*
 * Directories: fd_readdir with "." and "..", cookies that resume and stay stable, buffers too
 * small for an entry; path_create_directory, path_remove_directory and path_unlink_file.
 */
#include "check.h"

static int sb;

typedef struct {
  char name[64];
  uint64_t next, ino;
  int type;
} Entry;

static Entry list[400];
static uint8_t big[65536];

/* Parse a fd_readdir buffer into `out`; returns the count of whole entries. */
static int parse(const uint8_t *buf, size_t used, Entry *out, int max) {
  int count = 0;
  for (size_t at = 0; at + sizeof(__wasi_dirent_t) <= used && count < max;) {
    __wasi_dirent_t d;
    memcpy(&d, buf + at, sizeof d);
    if (at + sizeof d + d.d_namlen > used) break;
    size_t len = d.d_namlen < 63 ? d.d_namlen : 63;
    memcpy(out[count].name, buf + at + sizeof d, len);
    out[count].name[len] = 0;
    out[count].next = d.d_next;
    out[count].ino = d.d_ino;
    out[count].type = d.d_type;
    count++;
    at += sizeof d + d.d_namlen;
  }
  return count;
}

/* Everything in `fd`, read with a big buffer from `cookie`. */
static int read_all(int fd, uint64_t cookie, size_t *used) {
  *used = 0;
  if (__wasi_fd_readdir(fd, big, sizeof big, cookie, used) != 0) return -1;
  return parse(big, *used, list, 400);
}

static const Entry *find(const char *name, int count) {
  for (int i = 0; i < count; i++) if (strcmp(list[i].name, name) == 0) return &list[i];
  return NULL;
}

static int count_named(const char *name, int count) {
  int k = 0;
  for (int i = 0; i < count; i++) if (strcmp(list[i].name, name) == 0) k++;
  return k;
}

static int open_dir(const char *path) {
  int fd;
  open_at(sb, path, 0, __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_PATH_OPEN, 0, 0, &fd);
  return fd;
}

int main(void) {
  sb = preopen("/sandbox");
  size_t used;
  int n, e;
  __wasi_filestat_t st, parent;

  /* An empty directory lists "." and "..", both directories, with their inode numbers. */
  (void)__wasi_path_create_directory(sb, "empty");
  int d = open_dir("empty");
  n = read_all(d, 0, &used);
  stat_path(sb, "empty", 0, &st);
  (void)__wasi_fd_filestat_get(sb, &parent);
  check("dirs.readdir.empty", n == 2 && find(".", n) && find("..", n), "exactly . and ..", "%d entries", n);
  const Entry *dot = find(".", n), *dotdot = find("..", n);
  check("dirs.readdir.dot", dot && dot->type == __WASI_FILETYPE_DIRECTORY && dot->ino == st.ino,
    "a directory with the directory's inode", "%s", dot ? "type or inode differ" : "missing");
  check("dirs.readdir.dotdot", dotdot && dotdot->type == __WASI_FILETYPE_DIRECTORY && dotdot->ino == parent.ino,
    "a directory with the parent's inode", "%s", dotdot ? "type or inode differ" : "missing");
  check("dirs.readdir.eof_short", used < sizeof big, "bufused below the buffer size: the end", "%zu of %zu", used, sizeof big);
  (void)__wasi_fd_close(d);

  /* A populated directory: every entry once, with its type and name length. */
  (void)__wasi_path_create_directory(sb, "pop");
  make_file(sb, "pop/a.txt", "a");
  make_file(sb, "pop/bb.txt", "bb");
  make_file(sb, "pop/ccc.txt", "ccc");
  (void)__wasi_path_create_directory(sb, "pop/sub");
  (void)__wasi_path_symlink("a.txt", sb, "pop/link");
  d = open_dir("pop");
  n = read_all(d, 0, &used);
  int once = count_named("a.txt", n) == 1 && count_named("bb.txt", n) == 1 && count_named("ccc.txt", n) == 1 &&
    count_named("sub", n) == 1 && count_named("link", n) == 1;
  check("dirs.readdir.every_entry_once", once, "a.txt, bb.txt, ccc.txt, sub, link once each", "%d entries", n);
  const Entry *a = find("a.txt", n), *sub = find("sub", n), *link = find("link", n);
  check("dirs.readdir.types", a && sub && link && a->type == __WASI_FILETYPE_REGULAR_FILE && sub->type == __WASI_FILETYPE_DIRECTORY &&
    link->type == __WASI_FILETYPE_SYMBOLIC_LINK, "file, directory, symlink", "%d/%d/%d", a ? a->type : -1, sub ? sub->type : -1,
    link ? link->type : -1);
  stat_path(sb, "pop/a.txt", 0, &st);
  check("dirs.readdir.ino_matches_stat", a && a->ino == st.ino, "d_ino equals the file's st_ino", "%llu vs %llu",
    a ? (unsigned long long)a->ino : 0ull, (unsigned long long)st.ino);

  /* Cookies: each entry's d_next resumes right after it, and the same listing gives the same cookies. */
  Entry first[16];
  int nfirst = n < 16 ? n : 16;
  memcpy(first, list, sizeof(Entry) * (size_t)nfirst);
  int resumes = 1;
  for (int i = 0; i + 1 < nfirst; i++) {
    int m = read_all(d, first[i].next, &used);
    if (m != nfirst - i - 1 || strcmp(list[0].name, first[i + 1].name) != 0) resumes = 0;
  }
  check("dirs.readdir.cookie_resumes", resumes, "reading from an entry's d_next starts at the next entry", "%s", resumes ? "yes" : "no");
  n = read_all(d, 0, &used);
  int same = n == nfirst;
  for (int i = 0; same && i < n; i++) same = list[i].next == first[i].next && strcmp(list[i].name, first[i].name) == 0;
  check("dirs.readdir.cookies_stable", same, "the same names and cookies on a second read", "%s", same ? "same" : "different");
  n = read_all(d, first[nfirst - 1].next, &used);
  check("dirs.readdir.past_end", n == 0 && used == 0, "nothing after the last cookie", "%d entries, %zu bytes", n, used);

  /* A buffer that cuts an entry is filled to the last byte with that entry's first bytes. */
  size_t full_used;
  read_all(d, 0, &full_used);
  uint8_t small[30];
  memset(small, 0xEE, sizeof small);
  e = __wasi_fd_readdir(d, small, sizeof small, 0, &used);
  check("dirs.readdir.cut_entry_fills", e == 0 && used == sizeof small, "bufused == buf_len (30)", "%s, %zu", errno_name(e), used);
  check("dirs.readdir.cut_entry_prefix", memcmp(small, big, sizeof small) == 0, "the first 30 bytes of the full listing",
    "%s", memcmp(small, big, sizeof small) ? "different bytes" : "same");
  uint8_t tiny[10];
  e = __wasi_fd_readdir(d, tiny, sizeof tiny, 0, &used);
  check("dirs.readdir.buffer_below_header", e == 0 && used == sizeof tiny && memcmp(tiny, big, sizeof tiny) == 0,
    "bufused 10, the header's first 10 bytes", "%s, %zu", errno_name(e), used);

  /* Reading the libc way with a 40-byte buffer: keep whole entries, resume at the last cookie. */
  int walked = 0, walk_ok = 1;
  uint64_t cookie = 0;
  for (int guard = 0; guard < 100; guard++) {
    uint8_t buf[40];
    e = __wasi_fd_readdir(d, buf, sizeof buf, cookie, &used);
    if (e != 0) { walk_ok = 0; break; }
    Entry got[4];
    int m = parse(buf, used, got, 4);
    if (m == 0) {
      if (used == sizeof buf) walk_ok = 0; /* an entry bigger than the buffer: not in this directory */
      break;
    }
    for (int i = 0; i < m; i++) {
      if (walked >= nfirst || strcmp(got[i].name, first[walked].name) != 0) walk_ok = 0;
      walked++;
    }
    cookie = got[m - 1].next;
    if (used < sizeof buf) break;
  }
  check("dirs.readdir.small_buffer_walk", walk_ok && walked == nfirst, "every entry, in order, once", "%d of %d", walked, nfirst);

  /* Removing an entry already read does not make a resumed listing skip or repeat others. */
  n = read_all(d, 0, &used);
  int cut = 1;
  while (cut < n - 1 && strcmp(list[cut - 1].name, "bb.txt") != 0 && strcmp(list[cut - 1].name, "ccc.txt") != 0) cut++;
  uint64_t resume = list[cut].next;
  Entry rest[16];
  int nrest = n - cut - 1;
  memcpy(rest, list + cut + 1, sizeof(Entry) * (size_t)nrest);
  char gone[80];
  snprintf(gone, sizeof gone, "pop/%s", list[cut - 1].name);
  (void)__wasi_path_unlink_file(sb, gone);
  int m = read_all(d, resume, &used);
  int kept = m == nrest;
  for (int i = 0; kept && i < m; i++) kept = strcmp(list[i].name, rest[i].name) == 0;
  check("dirs.readdir.cookie_after_unlink", kept, "the entries after the cookie, unchanged", "%d of %d", m, nrest);
  (void)__wasi_fd_close(d);

  /* Many entries, read in pieces. */
  (void)__wasi_path_create_directory(sb, "many");
  char path[64];
  for (int i = 0; i < 300; i++) {
    snprintf(path, sizeof path, "many/entry-%03d", i);
    make_file(sb, path, "");
  }
  d = open_dir("many");
  static char seen[300];
  memset(seen, 0, sizeof seen);
  int total = 0, dup = 0;
  cookie = 0;
  for (int guard = 0; guard < 1000; guard++) {
    uint8_t buf[256];
    if (__wasi_fd_readdir(d, buf, sizeof buf, cookie, &used) != 0) break;
    Entry got[16];
    int k = parse(buf, used, got, 16);
    for (int i = 0; i < k; i++) {
      int idx;
      if (sscanf(got[i].name, "entry-%d", &idx) == 1 && idx >= 0 && idx < 300) {
        if (seen[idx]) dup++;
        seen[idx] = 1;
        total++;
      }
    }
    if (k == 0 || used < sizeof buf) break;
    cookie = got[k - 1].next;
  }
  check("dirs.readdir.many", total == 300 && dup == 0, "300 entries, none twice", "%d entries, %d repeated", total, dup);
  (void)__wasi_fd_close(d);

  /* fd_readdir on something that is not a directory. */
  int f;
  open_at(sb, "pop/a.txt", 0, 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR, 0, 0, &f);
  /* NOTCAPABLE too: FD_READDIR means nothing on a file, so its descriptor does not hold it. */
  check_errno_in("dirs.readdir.on_file", __wasi_fd_readdir(f, big, 100, 0, &used),
    ANY_OF(__WASI_ERRNO_NOTDIR, __WASI_ERRNO_BADF, __WASI_ERRNO_NOTCAPABLE));
  (void)__wasi_fd_close(f);

  /* path_create_directory. */
  check_errno("dirs.mkdir", __wasi_path_create_directory(sb, "made"), 0);
  check_errno("dirs.mkdir.exists", __wasi_path_create_directory(sb, "made"), __WASI_ERRNO_EXIST);
  check_errno("dirs.mkdir.over_file", __wasi_path_create_directory(sb, "pop/a.txt"), __WASI_ERRNO_EXIST);
  check_errno("dirs.mkdir.missing_parent", __wasi_path_create_directory(sb, "nope/child"), __WASI_ERRNO_NOENT);
  check_errno("dirs.mkdir.under_file", __wasi_path_create_directory(sb, "pop/a.txt/child"), __WASI_ERRNO_NOTDIR);
  check_errno("dirs.mkdir.trailing_slash", __wasi_path_create_directory(sb, "made2/"), 0);
  check_errno("dirs.mkdir.dot", __wasi_path_create_directory(sb, "."), __WASI_ERRNO_EXIST);
  (void)__wasi_path_symlink("nowhere", sb, "dangling");
  check_errno("dirs.mkdir.over_dangling_symlink", __wasi_path_create_directory(sb, "dangling"), __WASI_ERRNO_EXIST);
  check_errno("dirs.mkdir.dangling_target_not_made", stat_path(sb, "nowhere", 0, &st), __WASI_ERRNO_NOENT);

  /* path_remove_directory. */
  make_file(sb, "made/x", "");
  check_errno("dirs.rmdir.not_empty", __wasi_path_remove_directory(sb, "made"), __WASI_ERRNO_NOTEMPTY);
  check_errno("dirs.rmdir.file", __wasi_path_remove_directory(sb, "made/x"), __WASI_ERRNO_NOTDIR);
  check_errno_in("dirs.rmdir.file_slash", __wasi_path_remove_directory(sb, "made/x/"), ANY_OF(__WASI_ERRNO_NOTDIR, __WASI_ERRNO_NOENT));
  check_errno("dirs.rmdir.missing", __wasi_path_remove_directory(sb, "gone"), __WASI_ERRNO_NOENT);
  (void)__wasi_path_symlink("made2", sb, "dirlink");
  check_errno("dirs.rmdir.symlink_to_dir", __wasi_path_remove_directory(sb, "dirlink"), __WASI_ERRNO_NOTDIR);
  check_errno("dirs.rmdir.symlink_target_kept", stat_path(sb, "made2", 0, &st), 0);
  check_errno("dirs.rmdir.dot", __wasi_path_remove_directory(sb, "made/."), __WASI_ERRNO_INVAL);
  check_errno_in("dirs.rmdir.dotdot", __wasi_path_remove_directory(sb, "made/.."), ANY_OF(__WASI_ERRNO_NOTEMPTY, __WASI_ERRNO_INVAL));
  check_errno("dirs.rmdir.trailing_slash", __wasi_path_remove_directory(sb, "made2/"), 0);
  (void)__wasi_path_unlink_file(sb, "made/x");
  check_errno("dirs.rmdir.empty", __wasi_path_remove_directory(sb, "made"), 0);
  check_errno("dirs.rmdir.gone", stat_path(sb, "made", 0, &st), __WASI_ERRNO_NOENT);

  /* path_unlink_file. */
  (void)__wasi_path_create_directory(sb, "keep");
  make_file(sb, "victim", "v");
  check_errno("dirs.unlink.dir", __wasi_path_unlink_file(sb, "keep"), __WASI_ERRNO_ISDIR);
  check_errno("dirs.unlink.dir_slash", __wasi_path_unlink_file(sb, "keep/"), __WASI_ERRNO_ISDIR);
  check_errno("dirs.unlink.file_slash", __wasi_path_unlink_file(sb, "victim/"), __WASI_ERRNO_NOTDIR);
  check_errno("dirs.unlink.missing", __wasi_path_unlink_file(sb, "nobody"), __WASI_ERRNO_NOENT);
  check_errno("dirs.unlink.file", __wasi_path_unlink_file(sb, "victim"), 0);
  check_errno("dirs.unlink.gone", stat_path(sb, "victim", 0, &st), __WASI_ERRNO_NOENT);
  check_errno("dirs.unlink.symlink", __wasi_path_unlink_file(sb, "pop/link"), 0);
  check_errno("dirs.unlink.symlink_target_kept", stat_path(sb, "pop/a.txt", 0, &st), 0);
  check_errno("dirs.unlink.dangling_symlink", __wasi_path_unlink_file(sb, "dangling"), 0);
  return done("dirs");
}
