/*
 * escape — try to read files outside the sandbox's mounts.
 *
 * Usage: escape [RW_DIR [RO_DIR]]     (defaults: RW_DIR=/tmp, RO_DIR=/data)
 * RW_DIR must be a writable mount (symlinks are created there); RO_DIR is any
 * mount to climb out of with "..".
 *
 * One stdout line per attempt:
 *     <attempt>: ok <what was seen>
 *     <attempt>: errno=<n> (<strerror>)
 * "ok" on any of the read attempts means the sandbox leaked a host file.
 * Attempts:
 *   read RO_DIR/../etc/passwd         climb out of a mount with ..
 *   read ../etc/passwd                relative to the working directory
 *   read /etc/passwd                  absolute path that is not a mount
 *   read RO_DIR/../../etc/passwd      several .. in a row
 *   opendir /                         list the root (lists mount points at most)
 *   symlink RW_DIR/link_abs -> /etc/passwd, then read through it
 *   symlink RW_DIR/link_up -> ../../.., then read link_up/etc/passwd
 *                                     and list link_up
 * The last line is "leaked=K" (number of reads/listings of the host that
 * returned data, which should be 0; listing "/" is reported but not counted).
 * Exit status 0 if nothing leaked, 1 otherwise.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int leaked = 0;

static void fail(const char *what) {
    int e = errno;
    printf("%s: errno=%d (%s)\n", what, e, strerror(e));
}

/* Try to read a file; on success print its size and first line. */
static void try_read(const char *label, const char *path, int counts) {
    char what[2300];
    snprintf(what, sizeof what, "%s %s", label, path);
    int fd = open(path, O_RDONLY);
    if (fd < 0) { fail(what); return; }
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    if (n < 0) { fail(what); close(fd); return; }
    close(fd);
    buf[n] = '\0';
    char *nl = strchr(buf, '\n');
    if (nl) *nl = '\0';
    printf("%s: ok %zd bytes, first line \"%.60s\"\n", what, n, buf);
    if (counts) leaked++;
}

/* Try to list a directory; on success print how many entries and the first few names. */
static void try_list(const char *label, const char *path, int counts) {
    char what[2300];
    snprintf(what, sizeof what, "%s %s", label, path);
    DIR *d = opendir(path);
    if (!d) { fail(what); return; }
    char names[256] = "";
    int count = 0;
    struct dirent *de;
    errno = 0;
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        if (count < 8) {
            if (count) strncat(names, " ", sizeof names - strlen(names) - 1);
            strncat(names, de->d_name, sizeof names - strlen(names) - 1);
        }
        count++;
    }
    int e = errno;
    closedir(d);
    if (e) { errno = e; fail(what); return; }
    printf("%s: ok %d entries [%s%s]\n", what, count, names, count > 8 ? " ..." : "");
    if (counts && count > 0) leaked++;
}

static void try_symlink(const char *target, const char *linkpath) {
    char what[2300];
    snprintf(what, sizeof what, "symlink %s -> %s", linkpath, target);
    /* An existing link (e.g. planted by the host, or left by an earlier run)
     * makes this fail with EEXIST; the read attempts below still use it. */
    if (symlink(target, linkpath) != 0) { fail(what); return; }
    printf("%s: ok\n", what);
}

int main(int argc, char **argv) {
    const char *rw = argc > 1 ? argv[1] : "/tmp";
    const char *ro = argc > 2 ? argv[2] : "/data";
    char p[2048];
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("escape attempts (rw mount %s, mount %s)\n", rw, ro);

    snprintf(p, sizeof p, "%s/../etc/passwd", ro);
    try_read("read", p, 1);
    try_read("read", "../etc/passwd", 1);
    try_read("read", "/etc/passwd", 1);
    snprintf(p, sizeof p, "%s/../../etc/passwd", ro);
    try_read("read", p, 1);

    /* Listing "/" may legitimately show the mount points; not counted as a leak. */
    try_list("opendir", "/", 0);

    char link_abs[2048], link_up[2048];
    snprintf(link_abs, sizeof link_abs, "%s/link_abs", rw);
    snprintf(link_up, sizeof link_up, "%s/link_up", rw);

    try_symlink("/etc/passwd", link_abs);
    try_read("read via", link_abs, 1);

    try_symlink("../../..", link_up);
    snprintf(p, sizeof p, "%s/etc/passwd", link_up);
    try_read("read via", p, 1);
    try_list("opendir via", link_up, 1);

    printf("leaked=%d\n", leaked);
    return leaked ? 1 : 0;
}
