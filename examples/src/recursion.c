/*
 * recursion — unbounded recursion, to test stack exhaustion handling.
 *
 * stdout: "recursing" (flushed), then the program recurses until the engine
 * traps.  It never prints anything else and never exits normally.
 *
 * Each frame keeps a volatile local array and uses the callee's result after
 * the call returns, so the call is not a tail call and cannot be turned into
 * a loop by the optimiser.  The array lives on wasm32's shadow stack in
 * linear memory (32 bytes per frame); build.sh links with an 8 MiB shadow
 * stack placed first in memory, so the engine's call stack (a few MiB of
 * native stack, well under 262144 frames) runs out first and the engine
 * reports a stack overflow (V8: RangeError "Maximum call stack size
 * exceeded").  On an engine with a deeper call stack the shadow stack runs
 * past address 0 instead, which traps as an out-of-bounds memory access.
 * Linear memory starts at about 8.1 MiB because of that stack.
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
