/*
 * loop — an infinite CPU loop, to test fuel metering and wall-clock timeouts.
 *
 * stdout: "looping forever" (flushed before the loop starts)
 * Never returns: the host must stop it (fuel exhausted, timeout or kill).
 * The counter is volatile so the compiler cannot delete or shortcut the loop.
 */
#include <stdio.h>

int main(void) {
    puts("looping forever");
    fflush(stdout);
    volatile unsigned long long counter = 0;
    for (;;) counter++;
}
