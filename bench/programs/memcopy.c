/*
 * memcopy — memory-bound benchmark: streaming copies and strided reads over
 * arrays much larger than the CPU caches.
 *
 * Usage: memcopy [PASSES]     (default 12)
 * Two 16 MiB arrays.  Each pass: memcpy the source into the destination,
 * stream through the destination summing words, then read it again with a
 * large prime stride (cache-hostile), and finally perturb one source word
 * with the running sum so every pass depends on the previous one.
 * stdout: "memcopy passes=N bytes=B checksum=<16 hex digits>"
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORDS (4u * 1024 * 1024) /* 4 Mi uint32 = 16 MiB */
#define STRIDE 1031u             /* words; prime, about 4 KiB apart */

int main(int argc, char **argv) {
    long passes = argc > 1 ? atol(argv[1]) : 12;
    uint32_t *src = malloc(WORDS * sizeof *src);
    uint32_t *dst = malloc(WORDS * sizeof *dst);
    if (!src || !dst) { fputs("memcopy: out of memory\n", stderr); return 1; }

    uint32_t x = 88172645u;
    for (uint32_t i = 0; i < WORDS; i++) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        src[i] = x;
    }

    uint64_t sum = 0;
    for (long p = 0; p < passes; p++) {
        memcpy(dst, src, WORDS * sizeof *dst);

        /* sequential read */
        for (uint32_t i = 0; i < WORDS; i++) sum += dst[i];

        /* strided read: every word once, visited STRIDE words apart */
        for (uint32_t start = 0; start < STRIDE; start++)
            for (uint32_t i = start; i < WORDS; i += STRIDE) sum = sum * 31 + dst[i];

        src[(uint32_t)sum % WORDS] ^= (uint32_t)(sum >> 32);
    }
    printf("memcopy passes=%ld bytes=%u checksum=%016llx\n", passes,
           (unsigned)(WORDS * sizeof *src), (unsigned long long)sum);
    free(src);
    free(dst);
    return 0;
}
