/*
 * hello — the smallest possible WASI program.
 *
 * Prints exactly one line, "Hello from WebAssembly!", to stdout and exits 0.
 * Uses only fd_write and proc_exit under the hood.
 */
#include <stdio.h>

int main(void) {
    puts("Hello from WebAssembly!");
    return 0;
}
