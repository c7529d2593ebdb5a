/*
 * fib — CPU-bound benchmark: naive doubly-recursive Fibonacci (call heavy).
 *
 * Usage: fib [N]     (default 39)
 * stdout: "fib n=N result=F(N) calls=C"
 */
#include <stdio.h>
#include <stdlib.h>

static unsigned long long calls = 0;

/* noinline keeps the recursion a real call tree at -O2. */
__attribute__((noinline)) static unsigned long long fib(int n) {
    calls++;
    return n < 2 ? (unsigned long long)n : fib(n - 1) + fib(n - 2);
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 39;
    unsigned long long r = fib(n);
    printf("fib n=%d result=%llu calls=%llu\n", n, r, calls);
    return 0;
}
