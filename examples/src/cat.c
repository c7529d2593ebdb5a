/*
 * cat — copy files to stdout.
 *
 * Usage: cat [FILE...]      (default: /data/input.txt)
 * stdout: the file contents, byte for byte
 * stderr: on failure, "cat: <path>: <op> errno=<n> (<strerror>)"
 * exit status: 0 if every file was copied, 1 if any failed
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int fail(const char *path, const char *op) {
    int e = errno;
    fprintf(stderr, "cat: %s: %s errno=%d (%s)\n", path, op, e, strerror(e));
    return 1;
}

/* Write all of buf to stdout, retrying short writes. */
static int write_all(const char *buf, size_t len) {
    while (len > 0) {
        ssize_t w = write(STDOUT_FILENO, buf, len);
        if (w < 0) return -1;
        buf += w;
        len -= (size_t)w;
    }
    return 0;
}

static int cat_file(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return fail(path, "open");
    char buf[4096];
    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r < 0) { int rc = fail(path, "read"); close(fd); return rc; }
        if (r == 0) break;
        if (write_all(buf, (size_t)r) < 0) { int rc = fail("<stdout>", "write"); close(fd); return rc; }
    }
    close(fd);
    return 0;
}

int main(int argc, char **argv) {
    int status = 0;
    if (argc < 2) {
        status |= cat_file("/data/input.txt");
    } else {
        for (int i = 1; i < argc; i++) status |= cat_file(argv[i]);
    }
    return status;
}
