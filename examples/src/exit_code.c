/*
 * exit_code — exit with a chosen status, to test how the host reports it.
 *
 * Usage: exit_code [N]      (default N = 42)
 * stdout: nothing
 * stderr: "exiting with N"
 * exit status: N (passed to proc_exit)
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    int code = argc > 1 ? atoi(argv[1]) : 42;
    fprintf(stderr, "exiting with %d\n", code);
    exit(code);
}
