/*
 * ro_attack — try every mutating filesystem operation against a read-only mount.
 *
 * Usage: ro_attack [RO_DIR [RW_DIR]]      (default RO_DIR=/data, no RW_DIR)
 * RO_DIR is expected to contain input.txt and keep/file.txt.  If RW_DIR (a
 * writable mount) is given, the program also tries to move a file from it
 * into RO_DIR.
 *
 * Each attempt prints exactly one stdout line:
 *     <op>: ok
 *     <op>: errno=<n> (<strerror>)
 * On a correctly read-only mount every attempt fails (typically errno=69
 * "Read-only file system", 76 "Capabilities insufficient", 8 "Bad file
 * descriptor" for writes through a read-only fd, or 44 "No such file or
 * directory" where an earlier step was refused).  Then it shows reading still works:
 *     read: ok N bytes
 *     stat: ok size=N
 * and ends with "denied=K allowed=M" (K failed attempts, M succeeded ones).
 * Exit status 0 when every attempt was denied, 1 otherwise.
 *
 * Everything uses the plain POSIX calls that wasi-libc maps onto WASI
 * (path_open, fd_write, fd_pwrite, fd_filestat_set_size, fd_allocate,
 * fd/path_filestat_set_times, path_unlink_file, path_remove_directory,
 * path_create_directory, path_rename, path_link, path_symlink).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *ro = "/data";
static int denied = 0, allowed = 0;

/* Record one attempt: rc == 0 means the operation was allowed. */
static void result(const char *op, int rc, int err) {
    if (rc == 0) {
        printf("%s: ok\n", op);
        allowed++;
    } else {
        printf("%s: errno=%d (%s)\n", op, err, strerror(err));
        denied++;
    }
}

/* Path "<ro>/<rel>" in one of a few rotating static buffers. */
static const char *P(const char *rel) {
    static char bufs[4][2048];
    static int which = 0;
    which = (which + 1) % 4;
    snprintf(bufs[which], sizeof bufs[which], "%s/%s", ro, rel);
    return bufs[which];
}

/* Try open(path, flags); if it unexpectedly succeeds, close the fd again. */
static void try_open(const char *op, const char *rel, int flags) {
    int fd = open(P(rel), flags, 0644);
    int err = errno;
    result(op, fd < 0 ? -1 : 0, err);
    if (fd >= 0) close(fd);
}

/* Find an existing empty subdirectory of the mount; returns 1 and fills name. */
static int find_empty_dir(char *name, size_t len) {
    DIR *d = opendir(ro);
    if (!d) return 0;
    struct dirent *de;
    int found = 0;
    while (!found && (de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        struct stat st;
        if (stat(P(de->d_name), &st) != 0 || !S_ISDIR(st.st_mode)) continue;
        DIR *sub = opendir(P(de->d_name));
        if (!sub) continue;
        int entries = 0;
        struct dirent *se;
        while ((se = readdir(sub)) != NULL)
            if (strcmp(se->d_name, ".") && strcmp(se->d_name, "..")) entries++;
        closedir(sub);
        if (entries == 0) {
            snprintf(name, len, "%s", de->d_name);
            found = 1;
        }
    }
    closedir(d);
    return found;
}

int main(int argc, char **argv) {
    if (argc > 1) ro = argv[1];
    const char *rw = argc > 2 ? argv[2] : NULL;
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("attacking read-only mount %s\n", ro);
    int rc, err;

    /* --- opening for writing ------------------------------------------- */
    try_open("open O_WRONLY input.txt", "input.txt", O_WRONLY);
    try_open("open O_RDWR input.txt", "input.txt", O_RDWR);
    try_open("open O_WRONLY|O_APPEND input.txt", "input.txt", O_WRONLY | O_APPEND);
    try_open("open O_CREAT newfile.txt", "newfile.txt", O_WRONLY | O_CREAT | O_EXCL);
    try_open("open O_WRONLY|O_TRUNC input.txt", "input.txt", O_WRONLY | O_TRUNC);
    try_open("open O_RDONLY|O_TRUNC input.txt", "input.txt", O_RDONLY | O_TRUNC);

    /* --- mutating through a read-only fd -------------------------------- */
    int fd = open(P("input.txt"), O_RDONLY);
    if (fd < 0) {
        err = errno;
        printf("setup open O_RDONLY input.txt: errno=%d (%s)\n", err, strerror(err));
    } else {
        errno = 0;
        rc = write(fd, "pwned\n", 6) < 0 ? -1 : 0;
        result("write ro-fd", rc, errno);

        errno = 0;
        rc = pwrite(fd, "pwned\n", 6, 0) < 0 ? -1 : 0;
        result("pwrite ro-fd", rc, errno);

        errno = 0;
        rc = ftruncate(fd, 0);
        result("ftruncate ro-fd", rc, errno);

        /* posix_fallocate returns the error number instead of setting errno */
        err = posix_fallocate(fd, 0, 1 << 20);
        result("posix_fallocate ro-fd", err ? -1 : 0, err);

        struct timespec ts[2] = { { 0, 0 }, { 0, 0 } }; /* set both times to the epoch */
        errno = 0;
        rc = futimens(fd, ts);
        result("futimens ro-fd", rc, errno);
        close(fd);
    }

    {
        struct timespec ts[2] = { { 0, 0 }, { 0, 0 } };
        errno = 0;
        rc = utimensat(AT_FDCWD, P("input.txt"), ts, 0);
        result("utimensat input.txt", rc, errno);
    }

    /* --- directories ----------------------------------------------------- */
    errno = 0;
    rc = mkdir(P("newdir"), 0755);
    result("mkdir newdir", rc, errno);

    char empty[256];
    if (find_empty_dir(empty, sizeof empty)) {
        char op[300];
        snprintf(op, sizeof op, "rmdir %s (empty)", empty);
        errno = 0;
        rc = rmdir(P(empty));
        result(op, rc, errno);
    } else {
        /* no empty directory in the mount: try the one we attempted to create */
        errno = 0;
        rc = rmdir(P("newdir"));
        result("rmdir newdir (empty)", rc, errno);
    }

    errno = 0;
    rc = rmdir(P("keep"));
    result("rmdir keep (non-empty)", rc, errno);

    errno = 0;
    rc = unlink(P("keep/file.txt"));
    result("unlink keep/file.txt", rc, errno);

    /* --- links ----------------------------------------------------------- */
    errno = 0;
    rc = link(P("input.txt"), P("hardlink.txt"));
    result("link input.txt -> hardlink.txt", rc, errno);

    errno = 0;
    rc = symlink("input.txt", P("symlink.txt"));
    result("symlink symlink.txt -> input.txt", rc, errno);

    /* --- renames --------------------------------------------------------- */
    if (rw) {
        char outside[2048];
        snprintf(outside, sizeof outside, "%s/outside.txt", rw);
        int ofd = open(outside, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (ofd < 0) {
            err = errno;
            printf("setup create %s: errno=%d (%s)\n", outside, err, strerror(err));
        } else {
            (void)!write(ofd, "smuggled in\n", 12);
            close(ofd);
            char op[2200];
            snprintf(op, sizeof op, "rename %s -> moved_in.txt", outside);
            errno = 0;
            rc = rename(outside, P("moved_in.txt"));
            result(op, rc, errno);
        }
    }

    errno = 0;
    rc = rename(P("input.txt"), P("moved.txt"));
    result("rename input.txt -> moved.txt", rc, errno);

    errno = 0;
    rc = unlink(P("input.txt"));
    result("unlink input.txt", rc, errno);

    /* --- reading must still work ----------------------------------------- */
    fd = open(P("input.txt"), O_RDONLY);
    if (fd < 0) {
        err = errno;
        printf("read: errno=%d (%s)\n", err, strerror(err));
    } else {
        char buf[4096];
        long total = 0;
        ssize_t r;
        while ((r = read(fd, buf, sizeof buf)) > 0) total += r;
        if (r < 0) {
            err = errno;
            printf("read: errno=%d (%s)\n", err, strerror(err));
        } else {
            printf("read: ok %ld bytes\n", total);
        }
        close(fd);
    }

    struct stat st;
    if (stat(P("input.txt"), &st) == 0) {
        printf("stat: ok size=%lld\n", (long long)st.st_size);
    } else {
        err = errno;
        printf("stat: errno=%d (%s)\n", err, strerror(err));
    }

    printf("denied=%d allowed=%d\n", denied, allowed);
    return allowed ? 1 : 0;
}
