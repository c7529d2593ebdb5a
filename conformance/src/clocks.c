/*
 * clock_res_get and clock_time_get for the four clocks (the CPU-time ones measured, not zero),
 * an unknown clock id, sched_yield and random_get.
 */
#include "check.h"

static volatile uint64_t sink;

/* Spin for `ms` of monotonic time, so the CPU clocks have something to measure. */
static void busy(uint64_t ms) {
  uint64_t until = mono_ns() + ms * 1000000ull;
  while (mono_ns() < until) {
    for (int i = 0; i < 1000; i++) sink += (uint64_t)i * 2654435761u;
  }
}

static int res_ok(__wasi_clockid_t id, __wasi_timestamp_t *res) {
  *res = 0;
  return __wasi_clock_res_get(id, res);
}

static int all_zero(const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) if (p[i]) return 0;
  return 1;
}

int main(void) {
  __wasi_timestamp_t res, t, t2;
  int e;

  /* Resolutions: each clock has one, a positive number of nanoseconds of at most one second. */
  e = res_ok(__WASI_CLOCKID_REALTIME, &res);
  check("clock.res.realtime", e == 0 && res > 0 && res <= 1000000000ull, "SUCCESS, 0 < res <= 1 s", "%s, %llu ns", errno_name(e), (unsigned long long)res);
  e = res_ok(__WASI_CLOCKID_MONOTONIC, &res);
  check("clock.res.monotonic", e == 0 && res > 0 && res <= 1000000000ull, "SUCCESS, 0 < res <= 1 s", "%s, %llu ns", errno_name(e), (unsigned long long)res);
  e = res_ok(__WASI_CLOCKID_PROCESS_CPUTIME_ID, &res);
  check("clock.res.process_cputime", e == 0 && res > 0 && res <= 1000000000ull, "SUCCESS, 0 < res <= 1 s", "%s, %llu ns", errno_name(e), (unsigned long long)res);
  e = res_ok(__WASI_CLOCKID_THREAD_CPUTIME_ID, &res);
  check("clock.res.thread_cputime", e == 0 && res > 0 && res <= 1000000000ull, "SUCCESS, 0 < res <= 1 s", "%s, %llu ns", errno_name(e), (unsigned long long)res);
  check_errno("clock.res.unknown_id", __wasi_clock_res_get(4, &res), __WASI_ERRNO_INVAL);

  /* Readings. */
  e = __wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &t);
  check("clock.time.realtime", e == 0 && t > 1577836800000000000ull && t < 4102444800000000000ull,
    "SUCCESS, a date between 2020 and 2100", "%s, %llu", errno_name(e), (unsigned long long)t);
  e = __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t);
  check("clock.time.monotonic", e == 0 && t > 0, "SUCCESS, nonzero", "%s, %llu", errno_name(e), (unsigned long long)t);
  check_errno("clock.time.unknown_id", __wasi_clock_time_get(7, 1, &t), __WASI_ERRNO_INVAL);

  int backwards = 0;
  uint64_t prev = mono_ns();
  for (int i = 0; i < 10000; i++) {
    uint64_t now = mono_ns();
    if (now < prev) backwards++;
    prev = now;
  }
  check("clock.monotonic.never_decreases", backwards == 0, "no reading below the one before", "%d backwards steps in 10000 readings", backwards);

  /* CPU clocks: measured. Before and after 30 ms of work, they must have moved. */
  __wasi_timestamp_t p1 = 0, p2 = 0, th1 = 0, th2 = 0;
  int ep = __wasi_clock_time_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, 1, &p1);
  int et = __wasi_clock_time_get(__WASI_CLOCKID_THREAD_CPUTIME_ID, 1, &th1);
  busy(30);
  ep |= __wasi_clock_time_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, 1, &p2);
  et |= __wasi_clock_time_get(__WASI_CLOCKID_THREAD_CPUTIME_ID, 1, &th2);
  check("clock.time.process_cputime", ep == 0 && p2 > 0, "SUCCESS, nonzero", "%s, %llu", errno_name(ep), (unsigned long long)p2);
  check("clock.time.thread_cputime", et == 0 && th2 > 0, "SUCCESS, nonzero", "%s, %llu", errno_name(et), (unsigned long long)th2);
  check("clock.process_cputime.measures_work", p2 > p1 && p2 - p1 >= 5000000ull,
    "at least 5 ms more after 30 ms of work", "+%llu ns", (unsigned long long)(p2 - p1));
  check("clock.thread_cputime.measures_work", th2 > th1 && th2 - th1 >= 5000000ull,
    "at least 5 ms more after 30 ms of work", "+%llu ns", (unsigned long long)(th2 - th1));

  /* Realtime and monotonic move together over a short sleep. */
  t = real_ns();
  t2 = mono_ns();
  sleep_ns(20000000ull);
  uint64_t dr = real_ns() - t, dm = mono_ns() - t2;
  check("clock.realtime.advances", dr >= 15000000ull && dr < 5000000000ull, "about 20 ms over a 20 ms sleep", "+%llu ns", (unsigned long long)dr);
  check("clock.monotonic.advances", dm >= 20000000ull && dm < 5000000000ull, "at least 20 ms over a 20 ms sleep", "+%llu ns", (unsigned long long)dm);

  check_errno("sched_yield", __wasi_sched_yield(), 0);

  /* random_get: fills the buffer, differently each time, for any length. */
  uint8_t a[32], b[32];
  memset(a, 0, sizeof a);
  memset(b, 0, sizeof b);
  int ea = __wasi_random_get(a, sizeof a);
  int eb = __wasi_random_get(b, sizeof b);
  check("random.fills", ea == 0 && eb == 0 && !all_zero(a, sizeof a), "SUCCESS and bytes that are not all zero", "%s/%s", errno_name(ea), errno_name(eb));
  check("random.differs", memcmp(a, b, sizeof a) != 0, "two draws differ", "%s", memcmp(a, b, sizeof a) ? "different" : "identical");
  check_errno("random.zero_length", __wasi_random_get(a, 0), 0);
  static uint8_t big[100000];
  e = __wasi_random_get(big, sizeof big);
  check("random.large", e == 0 && !all_zero(big + sizeof big - 1024, 1024), "SUCCESS, the last KiB filled too",
    "%s, last KiB %s", errno_name(e), all_zero(big + sizeof big - 1024, 1024) ? "all zero" : "filled");
  return done("clocks");
}
