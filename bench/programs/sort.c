/*
 * sort — CPU-bound benchmark: sort pseudo-random ints twice, with libc qsort
 * and with a hand-written top-down mergesort, and check they agree.
 *
 * Usage: sort [COUNT]     (default 500000)
 * stdout: "sort count=N match=yes min=<m> max=<M> checksum=<16 hex digits>"
 * (match=no and exit 1 if the two sorts disagree or the result is unsorted)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_int(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* Sort a[lo..hi) using tmp as scratch space of the same size as a. */
static void merge_sort(int32_t *a, int32_t *tmp, size_t lo, size_t hi) {
    if (hi - lo < 2) return;
    if (hi - lo <= 16) { /* insertion sort for short runs */
        for (size_t i = lo + 1; i < hi; i++) {
            int32_t v = a[i];
            size_t j = i;
            while (j > lo && a[j - 1] > v) { a[j] = a[j - 1]; j--; }
            a[j] = v;
        }
        return;
    }
    size_t mid = lo + (hi - lo) / 2;
    merge_sort(a, tmp, lo, mid);
    merge_sort(a, tmp, mid, hi);
    size_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi) tmp[k++] = a[j] < a[i] ? a[j++] : a[i++];
    while (i < mid) tmp[k++] = a[i++];
    while (j < hi) tmp[k++] = a[j++];
    memcpy(a + lo, tmp + lo, (hi - lo) * sizeof *a);
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 500000;
    if (n < 1) n = 1;
    int32_t *orig = malloc((size_t)n * sizeof *orig);
    int32_t *q = malloc((size_t)n * sizeof *q);
    int32_t *m = malloc((size_t)n * sizeof *m);
    int32_t *tmp = malloc((size_t)n * sizeof *tmp);
    if (!orig || !q || !m || !tmp) { fputs("sort: out of memory\n", stderr); return 1; }

    uint64_t s = 0x9E3779B97F4A7C15ull; /* xorshift64* */
    for (long i = 0; i < n; i++) {
        s ^= s >> 12; s ^= s << 25; s ^= s >> 27;
        orig[i] = (int32_t)((s * 2685821657736338717ull) >> 32);
    }
    memcpy(q, orig, (size_t)n * sizeof *q);
    memcpy(m, orig, (size_t)n * sizeof *m);

    qsort(q, (size_t)n, sizeof *q, cmp_int);
    merge_sort(m, tmp, 0, (size_t)n);

    int ok = memcmp(q, m, (size_t)n * sizeof *q) == 0;
    uint64_t h = 1469598103934665603ull; /* FNV-1a over the sorted values */
    for (long i = 0; i < n; i++) {
        if (i && q[i - 1] > q[i]) ok = 0;
        h = (h ^ (uint32_t)q[i]) * 1099511628211ull;
    }
    printf("sort count=%ld match=%s min=%d max=%d checksum=%016llx\n", n, ok ? "yes" : "no",
           (int)q[0], (int)q[n - 1], (unsigned long long)h);
    return ok ? 0 : 1;
}
