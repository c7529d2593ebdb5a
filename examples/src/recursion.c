/*
 * recursion — unbounded recursion, to test stack exhaustion handling.
 *
 * stdout: "recursing" (flushed), then the program recurses until the engine
 * traps (call stack exhausted, or the shadow stack in linear memory runs
 * past address 0 and faults).  It never prints anything else.
 *
 * Each frame keeps a volatile local array and uses the callee's result after
 * the call returns, so the call is not a tail call and cannot be turned into
 * a loop by the optimiser.  Built with --stack-first so that overflowing the
 * linear-memory shadow stack faults cleanly instead of corrupting globals.
 */
#include <stdio.h>

/* The recursion is unbounded on purpose. */
#pragma clang diagnostic ignored "-Winfinite-recursion"

static unsigned long deeper(unsigned long depth) {
    volatile unsigned char frame[32];
    for (int i = 0; i < 32; i++) frame[i] = (unsigned char)(depth + i);
    unsigned long below = deeper(depth + 1);
    return below + frame[depth % 32];
}

int main(void) {
    puts("recursing");
    fflush(stdout);
    unsigned long r = deeper(0);
    printf("unreachable: %lu\n", r); /* keeps the result live */
    return 0;
}
