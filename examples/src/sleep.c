/*
 * sleep — block in the host without burning CPU, to test wall-clock timeouts.
 *
 * Usage: sleep [MS]          (default 60000 ms)
 * stdout: "sleeping MS ms" (flushed), then "woke up" after the sleep
 * nanosleep() is implemented by wasi-libc as a poll_oneoff clock subscription.
 * If nanosleep fails: "nanosleep: errno=<n> (<strerror>)", exit 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv) {
    long ms = argc > 1 ? atol(argv[1]) : 60000;
    if (ms < 0) ms = 0;
    printf("sleeping %ld ms\n", ms);
    fflush(stdout);

    struct timespec req = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };
    if (nanosleep(&req, NULL) != 0) {
        int e = errno;
        printf("nanosleep: errno=%d (%s)\n", e, strerror(e));
        return 1;
    }
    puts("woke up");
    return 0;
}
