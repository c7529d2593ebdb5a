/*
 * fs_tour — walk a directory tree and print what is there.
 *
 * Usage: fs_tour [DIR]         (default "/")
 * stdout, one line per entry, depth-first, names sorted (strcmp) per directory:
 *     <type> <size> <path>
 * where type is dir, file, symlink or other, and size is st_size in bytes.
 * Failures print "<path>: errno=<n> (<strerror>)" and the walk continues.
 * Ends with "dirs=D files=F other=O errors=E".
 *
 * WASI has no real "/": a program only sees its preopened directories
 * (mounts).  If opening "/" fails, fs_tour asks the host for the list of
 * preopens (fd_prestat_get / fd_prestat_dir_name) and tours each mount.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <wasi/api.h>

static int ndirs = 0, nfiles = 0, nother = 0, nerrors = 0;

static void fail(const char *path) {
    int e = errno;
    printf("%s: errno=%d (%s)\n", path, e, strerror(e));
    nerrors++;
}

static int cmp_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read all names in dir (minus . and ..) into a sorted, malloc'd array. */
static char **read_sorted(DIR *d, size_t *count) {
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **grown = realloc(names, cap * sizeof *names);
            if (!grown) break;
            names = grown;
        }
        names[n++] = strdup(de->d_name);
    }
    if (n) qsort(names, n, sizeof *names, cmp_name);
    *count = n;
    return names;
}

static void walk(const char *dir, int depth) {
    if (depth > 32) { printf("%s: too deep, skipped\n", dir); return; }
    DIR *d = opendir(dir);
    if (!d) { fail(dir); return; }
    size_t n;
    char **names = read_sorted(d, &n);
    closedir(d);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        size_t dl = strlen(dir);
        snprintf(path, sizeof path, "%s%s%s", dir, (dl && dir[dl - 1] == '/') ? "" : "/", names[i]);
        free(names[i]);
        struct stat st;
        if (lstat(path, &st) != 0) { fail(path); continue; }
        const char *type = S_ISDIR(st.st_mode) ? "dir" : S_ISREG(st.st_mode) ? "file"
                         : S_ISLNK(st.st_mode) ? "symlink" : "other";
        printf("%-7s %10lld %s\n", type, (long long)st.st_size, path);
        if (S_ISDIR(st.st_mode)) { ndirs++; walk(path, depth + 1); }
        else if (S_ISREG(st.st_mode)) nfiles++;
        else nother++;
    }
    free(names);
}

/* Tour every preopened directory, as reported by the host. */
static void walk_preopens(void) {
    int mounts = 0;
    for (__wasi_fd_t fd = 3;; fd++) {
        __wasi_prestat_t ps;
        __wasi_errno_t err = __wasi_fd_prestat_get(fd, &ps);
        if (err == __WASI_ERRNO_BADF) break; /* no more preopens */
        if (err != 0 || ps.tag != __WASI_PREOPENTYPE_DIR) continue;
        size_t len = ps.u.dir.pr_name_len;
        char *name = calloc(1, len + 1);
        if (!name || __wasi_fd_prestat_dir_name(fd, (uint8_t *)name, len) != 0) { free(name); continue; }
        struct stat st;
        long long size = stat(name, &st) == 0 ? (long long)st.st_size : 0;
        printf("%-7s %10lld %s   (mount, fd %u)\n", "dir", size, name, (unsigned)fd);
        ndirs++;
        mounts++;
        walk(name, 1);
        free(name);
    }
    if (mounts == 0) puts("no preopened directories");
}

int main(int argc, char **argv) {
    const char *root = argc > 1 ? argv[1] : "/";
    printf("tour of %s\n", root);
    DIR *probe = opendir(root);
    if (probe) {
        closedir(probe);
        walk(root, 0);
    } else if (!strcmp(root, "/")) {
        int e = errno;
        printf("/: errno=%d (%s); listing preopened mounts instead\n", e, strerror(e));
        walk_preopens();
    } else {
        fail(root);
    }
    printf("dirs=%d files=%d other=%d errors=%d\n", ndirs, nfiles, nother, nerrors);
    return 0;
}
