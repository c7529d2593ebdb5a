/*
 * clock_random — show what the host reports for clocks and randomness.
 *
 * stdout (values vary from run to run, the labels do not):
 *   realtime: <sec>.<nsec 9 digits> s
 *   monotonic: <sec>.<nsec 9 digits> s
 *   monotonic again: <sec>.<nsec> s (delta <ns> ns)
 *   realtime resolution: <ns> ns
 *   monotonic resolution: <ns> ns
 *   getentropy(16): <32 hex digits>
 *   arc4random_buf(8): <16 hex digits>
 *   arc4random: 0x<8 hex digits>
 * Any failing call prints "<call>: errno=<n> (<strerror>)" instead.
 *
 * Uses clock_time_get, clock_res_get and random_get.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* wasi-libc ships arc4random in libc.a but its stdlib.h hides the
 * declarations (upstream-only block), so declare them here. */
uint32_t arc4random(void);
void arc4random_buf(void *buf, size_t n);

static void print_errno(const char *what) {
    int e = errno;
    printf("%s: errno=%d (%s)\n", what, e, strerror(e));
}

static void print_hex(const char *label, const unsigned char *b, size_t n) {
    printf("%s: ", label);
    for (size_t i = 0; i < n; i++) printf("%02x", b[i]);
    putchar('\n');
}

int main(void) {
    struct timespec rt, m1, m2, res;

    if (clock_gettime(CLOCK_REALTIME, &rt) == 0)
        printf("realtime: %lld.%09ld s\n", (long long)rt.tv_sec, rt.tv_nsec);
    else
        print_errno("clock_gettime(CLOCK_REALTIME)");

    if (clock_gettime(CLOCK_MONOTONIC, &m1) == 0)
        printf("monotonic: %lld.%09ld s\n", (long long)m1.tv_sec, m1.tv_nsec);
    else
        print_errno("clock_gettime(CLOCK_MONOTONIC)");

    if (clock_gettime(CLOCK_MONOTONIC, &m2) == 0) {
        long long delta = (long long)(m2.tv_sec - m1.tv_sec) * 1000000000LL + (m2.tv_nsec - m1.tv_nsec);
        printf("monotonic again: %lld.%09ld s (delta %lld ns)\n", (long long)m2.tv_sec, m2.tv_nsec, delta);
    } else {
        print_errno("clock_gettime(CLOCK_MONOTONIC) again");
    }

    if (clock_getres(CLOCK_REALTIME, &res) == 0)
        printf("realtime resolution: %lld ns\n", (long long)res.tv_sec * 1000000000LL + res.tv_nsec);
    else
        print_errno("clock_getres(CLOCK_REALTIME)");

    if (clock_getres(CLOCK_MONOTONIC, &res) == 0)
        printf("monotonic resolution: %lld ns\n", (long long)res.tv_sec * 1000000000LL + res.tv_nsec);
    else
        print_errno("clock_getres(CLOCK_MONOTONIC)");

    unsigned char buf[16];
    if (getentropy(buf, sizeof buf) == 0)
        print_hex("getentropy(16)", buf, sizeof buf);
    else
        print_errno("getentropy(16)");

    /* arc4random aborts (rather than returning an error) if random_get fails. */
    unsigned char small[8];
    arc4random_buf(small, sizeof small);
    print_hex("arc4random_buf(8)", small, sizeof small);
    printf("arc4random: 0x%08x\n", (unsigned)arc4random());
    return 0;
}
