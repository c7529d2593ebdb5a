/*
 * fsops: a filesystem attack driver. Runs the operations given as arguments, in order, and
 * prints one line per operation: "<op> <path>: ok" or "<op> <path>: <error> (errno N)". It never
 * stops at an error, so one run can try many things and the test reads what each one did.
 *
 *   write PATH TEXT        create or truncate PATH and write TEXT
 *   append PATH TEXT       append TEXT (creating PATH)
 *   cat PATH               print PATH's contents
 *   mkdir PATH | rmdir PATH | rm PATH
 *   mv OLD NEW             rename
 *   symlink TARGET PATH
 *   truncate PATH SIZE     create PATH and ftruncate it to SIZE bytes
 *   allocate PATH SIZE     create PATH and posix_fallocate SIZE bytes
 *   fill PATH BYTES        write BYTES bytes in 64 KiB pieces; says how many landed
 *   files DIR N            create N empty files DIR/f0 ... DIR/f(N-1); says how many were made
 *   many DIR N BYTES       create N files DIR/m0 ... each holding BYTES bytes; says how many
 *   bombtrunc DIR N SIZE   create N files each ftruncated to SIZE; says how many succeeded
 *   deep DIR DEPTH         DEPTH nested directories with 200-byte names, then a file at the bottom
 *   sleep MS               wait (the host may change things meanwhile)
 *   ls DIR                 list names (sorted by the order readdir gives)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void report(const char *op, const char *path, int ok) {
  if (ok) printf("%s %s: ok\n", op, path);
  else printf("%s %s: %s (errno %d)\n", op, path, strerror(errno), errno);
}

static int write_all(int fd, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, buf, len);
    if (n < 0) return 0;
    buf += n;
    len -= (size_t)n;
  }
  return 1;
}

static int put(const char *path, const char *text, int flags) {
  int fd = open(path, O_WRONLY | O_CREAT | flags, 0644);
  if (fd < 0) return 0;
  int ok = write_all(fd, text, strlen(text));
  int saved = errno;
  close(fd);
  errno = saved;
  return ok;
}

int main(int argc, char **argv) {
  static char chunk[65536];
  for (int i = 1; i < argc; i++) {
    const char *op = argv[i];
    const char *a = i + 1 < argc ? argv[i + 1] : "";
    const char *b = i + 2 < argc ? argv[i + 2] : "";
    const char *c = i + 3 < argc ? argv[i + 3] : "";
    if (strcmp(op, "write") == 0) { report(op, a, put(a, b, O_TRUNC)); i += 2; }
    else if (strcmp(op, "append") == 0) { report(op, a, put(a, b, O_APPEND)); i += 2; }
    else if (strcmp(op, "cat") == 0) {
      FILE *f = fopen(a, "r");
      if (f == NULL) report(op, a, 0);
      else {
        int ch;
        printf("cat %s: ", a);
        while ((ch = fgetc(f)) != EOF) putchar(ch);
        printf("\n");
        fclose(f);
      }
      i += 1;
    }
    else if (strcmp(op, "mkdir") == 0) { report(op, a, mkdir(a, 0755) == 0); i += 1; }
    else if (strcmp(op, "rmdir") == 0) { report(op, a, rmdir(a) == 0); i += 1; }
    else if (strcmp(op, "rm") == 0) { report(op, a, unlink(a) == 0); i += 1; }
    else if (strcmp(op, "mv") == 0) { report(op, a, rename(a, b) == 0); i += 2; }
    else if (strcmp(op, "symlink") == 0) { report(op, b, symlink(a, b) == 0); i += 2; }
    else if (strcmp(op, "truncate") == 0 || strcmp(op, "allocate") == 0) {
      int fd = open(a, O_WRONLY | O_CREAT, 0644);
      int ok = fd >= 0;
      if (ok && op[0] == 't') ok = ftruncate(fd, (off_t)strtoll(b, NULL, 10)) == 0;
      if (ok && op[0] == 'a') {
        int r = posix_fallocate(fd, 0, (off_t)strtoll(b, NULL, 10));
        if (r != 0) errno = r;
        ok = r == 0;
      }
      int saved = errno;
      if (fd >= 0) close(fd);
      errno = saved;
      report(op, a, ok);
      i += 2;
    }
    else if (strcmp(op, "fill") == 0) {
      long long want = strtoll(b, NULL, 10), done = 0;
      memset(chunk, 'x', sizeof chunk);
      int fd = open(a, O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int ok = fd >= 0;
      while (ok && done < want) {
        size_t n = want - done < (long long)sizeof chunk ? (size_t)(want - done) : sizeof chunk;
        ssize_t w = write(fd, chunk, n);
        if (w < 0) ok = 0;
        else done += w;
      }
      int saved = errno;
      if (fd >= 0) close(fd);
      errno = saved;
      printf("fill %s: %lld bytes written\n", a, done);
      report(op, a, ok);
      i += 2;
    }
    else if (strcmp(op, "files") == 0 || strcmp(op, "bombtrunc") == 0) {
      int bomb = op[0] == 'b';
      long n = strtol(b, NULL, 10), made = 0;
      long long size = bomb ? strtoll(c, NULL, 10) : 0;
      char path[512];
      int ok = 1;
      for (long k = 0; k < n && ok; k++) {
        snprintf(path, sizeof path, "%s/f%ld", a, k);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) { ok = 0; break; }
        if (bomb && ftruncate(fd, (off_t)size) != 0) ok = 0;
        int saved = errno;
        close(fd);
        errno = saved;
        if (ok) made++;
      }
      printf("%s %s: %ld made\n", op, a, made);
      report(op, a, ok);
      i += bomb ? 3 : 2;
    }
    else if (strcmp(op, "many") == 0) {
      long n = strtol(b, NULL, 10), made = 0;
      size_t size = (size_t)strtol(c, NULL, 10);
      if (size > sizeof chunk) size = sizeof chunk;
      memset(chunk, 'm', size);
      char path[512];
      int ok = 1;
      for (long k = 0; k < n && ok; k++) {
        snprintf(path, sizeof path, "%s/m%ld", a, k);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) { ok = 0; break; }
        ok = write_all(fd, chunk, size);
        int saved = errno;
        close(fd);
        errno = saved;
        if (ok) made++;
      }
      printf("many %s: %ld made\n", a, made);
      report(op, a, ok);
      i += 3;
    }
    else if (strcmp(op, "deep") == 0) {
      static char path[65536];
      long depth = strtol(b, NULL, 10);
      char name[201];
      memset(name, 'd', 200);
      name[200] = 0;
      snprintf(path, sizeof path, "%s", a);
      int ok = 1;
      for (long k = 0; k < depth && ok; k++) {
        strncat(path, "/", sizeof path - strlen(path) - 1);
        strncat(path, name, sizeof path - strlen(path) - 1);
        ok = mkdir(path, 0755) == 0;
      }
      if (ok) {
        strncat(path, "/bottom.txt", sizeof path - strlen(path) - 1);
        ok = put(path, "bottom\n", O_TRUNC);
      }
      printf("deep %s: %zu-byte path\n", a, strlen(path));
      report(op, a, ok);
      i += 2;
    }
    else if (strcmp(op, "sleep") == 0) {
      long ms = strtol(a, NULL, 10);
      struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
      nanosleep(&ts, NULL);
      printf("sleep %s: ok\n", a);
      i += 1;
    }
    else if (strcmp(op, "ls") == 0) {
      DIR *d = opendir(a);
      if (d == NULL) report(op, a, 0);
      else {
        struct dirent *e;
        printf("ls %s:", a);
        while ((e = readdir(d)) != NULL) {
          if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) printf(" %s", e->d_name);
        }
        printf("\n");
        closedir(d);
      }
      i += 1;
    }
    else { printf("unknown operation %s\n", op); return 2; }
    fflush(stdout);
  }
  return 0;
}
