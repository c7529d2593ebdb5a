/*
 * memory_bomb — allocate until the memory cap stops us.
 *
 * Allocates 1 MiB blocks with malloc and writes one byte in every 4 KiB page
 * of each block (so the memory is really committed, not just reserved).
 * malloc grows linear memory with memory.grow; when the host refuses (memory
 * cap, or the 4 GiB wasm32 limit) malloc returns NULL.
 *
 * stderr: "allocated N MiB" every 16 MiB
 * stdout: "malloc failed after N MiB"
 * exit status: 3
 * The blocks are deliberately never freed.
 */
#include <stdio.h>
#include <stdlib.h>

#define BLOCK (1024 * 1024)
#define PAGE 4096

int main(void) {
    unsigned long mib = 0;
    for (;;) {
        volatile char *p = malloc(BLOCK);
        if (!p) break;
        for (size_t off = 0; off < BLOCK; off += PAGE) p[off] = (char)(mib + off);
        mib++;
        if (mib % 16 == 0) fprintf(stderr, "allocated %lu MiB\n", mib);
    }
    printf("malloc failed after %lu MiB\n", mib);
    return 3;
}
