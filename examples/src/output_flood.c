/*
 * output_flood — write lines to stdout forever, to test output capture limits.
 *
 * stdout: "line N: ..." lines of exactly 80 bytes each (79 chars + newline),
 *         N counting up from 0, never stopping on its own.
 * If a write fails (e.g. the host closed stdout) it prints
 * "output_flood: write errno=<n> (<strerror>) after N lines" to stderr and
 * exits 1.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    char line[128];
    for (unsigned long long n = 0;; n++) {
        int len = snprintf(line, sizeof line, "line %llu: ", n);
        /* pad with a repeating alphabet to 79 chars, then newline */
        while (len < 79) { line[len] = (char)('a' + (len % 26)); len++; }
        line[len++] = '\n';
        if (write(STDOUT_FILENO, line, (size_t)len) < 0) {
            int e = errno;
            fprintf(stderr, "output_flood: write errno=%d (%s) after %llu lines\n", e, strerror(e), n);
            return 1;
        }
    }
}
