/*
 * stdin_echo — read all of stdin and write it back to stdout.
 *
 * stdout: exactly the bytes read from stdin
 * stderr: "read N bytes" once EOF is reached
 *         (or "stdin_echo: read errno=<n> (<strerror>)" on error, exit 1)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    char buf[4096];
    size_t total = 0;
    for (;;) {
        ssize_t r = read(STDIN_FILENO, buf, sizeof buf);
        if (r < 0) {
            int e = errno;
            fprintf(stderr, "stdin_echo: read errno=%d (%s)\n", e, strerror(e));
            return 1;
        }
        if (r == 0) break; /* EOF */
        total += (size_t)r;
        for (ssize_t off = 0; off < r;) {
            ssize_t w = write(STDOUT_FILENO, buf + off, (size_t)(r - off));
            if (w < 0) {
                int e = errno;
                fprintf(stderr, "stdin_echo: write errno=%d (%s)\n", e, strerror(e));
                return 1;
            }
            off += w;
        }
    }
    fprintf(stderr, "read %zu bytes\n", total);
    return 0;
}
