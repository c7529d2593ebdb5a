/*
 * write_files — exercise the write side of a read-write mount.
 *
 * Usage: write_files [DIR]          (default /out)
 * Steps, one stdout line each, "<step>: ok ..." or "<step>: errno=<n> (<strerror>)":
 *   1. create DIR/hello.txt containing "written by wasm\n"
 *   2. append "log line 1\n" to DIR/log.txt (O_APPEND|O_CREAT)
 *   3. append "log line 2\n" to DIR/log.txt
 *   4. mkdir DIR/sub                  (an existing directory counts as ok)
 *   5. create DIR/sub/nested.txt containing "nested file\n"
 *   6. rename DIR/hello.txt -> DIR/renamed.txt
 * Then lists DIR (and DIR/sub), sorted, with sizes: "entry <name> <type> size=<n>"
 * (at most 64 entries per directory),
 * and finishes with "failed=K".  Exit status 0 if every step succeeded, else 1.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures = 0;
static char dir[1024];

static void report_errno(const char *step) {
    int e = errno;
    printf("%s: errno=%d (%s)\n", step, e, strerror(e));
    failures++;
}

/* Build "<dir>/<rel>" in a static buffer (one of two, so two paths can coexist). */
static const char *path_in(const char *rel) {
    static char bufs[2][2048];
    static int which = 0;
    which ^= 1;
    snprintf(bufs[which], sizeof bufs[which], "%s/%s", dir, rel);
    return bufs[which];
}

/* open(flags) + write(text) + close, reporting a single line for the step. */
static void write_step(const char *step, const char *rel, int flags, const char *text) {
    int fd = open(path_in(rel), flags, 0644);
    if (fd < 0) { report_errno(step); return; }
    size_t len = strlen(text);
    ssize_t w = write(fd, text, len);
    if (w < 0) { report_errno(step); close(fd); return; }
    if (close(fd) != 0) { report_errno(step); return; }
    printf("%s: ok (%zd bytes)\n", step, w);
}

static int cmp_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* List "<dir>/<rel>" (or dir itself), names sorted so the output is stable. */
static void list_dir(const char *rel) {
    char base[2048];
    snprintf(base, sizeof base, "%s", rel ? path_in(rel) : dir);
    DIR *d = opendir(base);
    if (!d) { report_errno("list"); return; }
    char *names[64];
    size_t n = 0;
    struct dirent *de;
    while (n < 64 && (de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) names[n++] = strdup(de->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, cmp_name);
    for (size_t i = 0; i < n; i++) {
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", base, names[i]);
        struct stat st;
        if (stat(full, &st) != 0) { report_errno("stat"); free(names[i]); continue; }
        printf("entry %s%s%s %s size=%lld\n", rel ? rel : "", rel ? "/" : "", names[i],
               S_ISDIR(st.st_mode) ? "dir" : S_ISREG(st.st_mode) ? "file" : "other",
               (long long)st.st_size);
        free(names[i]);
    }
}

int main(int argc, char **argv) {
    snprintf(dir, sizeof dir, "%s", argc > 1 ? argv[1] : "/out");
    printf("writing into %s\n", dir);

    write_step("create hello.txt", "hello.txt", O_WRONLY | O_CREAT | O_TRUNC, "written by wasm\n");
    write_step("append log.txt #1", "log.txt", O_WRONLY | O_CREAT | O_APPEND, "log line 1\n");
    write_step("append log.txt #2", "log.txt", O_WRONLY | O_CREAT | O_APPEND, "log line 2\n");

    if (mkdir(path_in("sub"), 0755) == 0)
        puts("mkdir sub: ok");
    else if (errno == EEXIST)
        puts("mkdir sub: ok (already exists)");
    else
        report_errno("mkdir sub");

    write_step("create sub/nested.txt", "sub/nested.txt", O_WRONLY | O_CREAT | O_TRUNC, "nested file\n");

    const char *from = path_in("hello.txt");
    const char *to = path_in("renamed.txt");
    if (rename(from, to) == 0)
        puts("rename hello.txt -> renamed.txt: ok");
    else
        report_errno("rename hello.txt -> renamed.txt");

    list_dir(NULL);
    list_dir("sub");
    printf("failed=%d\n", failures);
    return failures ? 1 : 0;
}
