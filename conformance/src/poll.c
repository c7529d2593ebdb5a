/*
 * poll_oneoff: no subscriptions, clocks (relative and absolute, several at once, the CPU
 * clocks), fd readiness on files and stdio, mixes of both, a closed fd, an unknown event type.
 */
#include "check.h"

static __wasi_subscription_t clock_sub(uint64_t userdata, __wasi_clockid_t id, uint64_t timeout, int abstime) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = userdata;
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = id;
  s.u.u.clock.timeout = timeout;
  s.u.u.clock.flags = abstime ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0;
  return s;
}

static __wasi_subscription_t fd_sub(uint64_t userdata, int type, int fd) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = userdata;
  s.u.tag = type;
  s.u.u.fd_read.file_descriptor = fd;
  return s;
}

static __wasi_event_t events[8];
static size_t nevents;
static uint64_t waited_ns;

static int poll(const __wasi_subscription_t *subs, size_t n) {
  memset(events, 0xEE, sizeof events);
  nevents = 99;
  uint64_t start = mono_ns();
  int e = __wasi_poll_oneoff(subs, events, n, &nevents);
  waited_ns = mono_ns() - start;
  return e;
}

static const __wasi_event_t *find(uint64_t userdata) {
  for (size_t i = 0; i < nevents && i < 8; i++) if (events[i].userdata == userdata) return &events[i];
  return NULL;
}

#define MS 1000000ull

int main(void) {
  int sb = preopen("/sandbox");
  int e;
  make_file(sb, "five.txt", "12345");
  int rfd, wfd;
  open_at(sb, "five.txt", 0, 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_POLL_FD_READWRITE, 0, 0, &rfd);
  open_at(sb, "out.txt", 0, __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_POLL_FD_READWRITE, 0, 0, &wfd);

  __wasi_subscription_t subs[4];
  subs[0] = clock_sub(1, __WASI_CLOCKID_MONOTONIC, 0, 0);
  e = __wasi_poll_oneoff(subs, events, 0, &nevents);
  check_errno("poll.no_subscriptions", e, __WASI_ERRNO_INVAL);

  /* One relative clock. */
  subs[0] = clock_sub(0x1234, __WASI_CLOCKID_MONOTONIC, 10 * MS, 0);
  e = poll(subs, 1);
  check("poll.clock.one_event", e == 0 && nevents == 1, "SUCCESS, 1 event", "%s, %zu events", errno_name(e), nevents);
  check("poll.clock.event", events[0].userdata == 0x1234 && events[0].type == __WASI_EVENTTYPE_CLOCK && events[0].error == 0,
    "userdata 0x1234, type CLOCK, error SUCCESS", "userdata 0x%llx, type %d, error %s",
    (unsigned long long)events[0].userdata, events[0].type, errno_name(events[0].error));
  check("poll.clock.waits", waited_ns >= 10 * MS, "at least 10 ms", "%llu us", (unsigned long long)waited_ns / 1000);

  /* Absolute clocks: monotonic and realtime deadlines 15 ms ahead; one in the past. */
  subs[0] = clock_sub(2, __WASI_CLOCKID_MONOTONIC, mono_ns() + 15 * MS, 1);
  uint64_t before = mono_ns();
  e = poll(subs, 1);
  check("poll.abstime.monotonic", e == 0 && nevents == 1 && mono_ns() - before >= 14 * MS,
    "SUCCESS, 1 event, about 15 ms later", "%s, %zu events, %llu us", errno_name(e), nevents, (unsigned long long)waited_ns / 1000);
  subs[0] = clock_sub(3, __WASI_CLOCKID_REALTIME, real_ns() + 15 * MS, 1);
  e = poll(subs, 1);
  check("poll.abstime.realtime", e == 0 && nevents == 1 && waited_ns >= 10 * MS && waited_ns < 2000 * MS,
    "SUCCESS, 1 event, about 15 ms later", "%s, %zu events, %llu us", errno_name(e), nevents, (unsigned long long)waited_ns / 1000);
  subs[0] = clock_sub(4, __WASI_CLOCKID_MONOTONIC, 1, 1);
  e = poll(subs, 1);
  check("poll.abstime.past", e == 0 && nevents == 1 && events[0].userdata == 4 && waited_ns < 100 * MS,
    "SUCCESS, the event at once", "%s, %zu events, %llu us", errno_name(e), nevents, (unsigned long long)waited_ns / 1000);

  /* Two clocks: only the earlier fires. */
  subs[0] = clock_sub(10, __WASI_CLOCKID_MONOTONIC, 500 * MS, 0);
  subs[1] = clock_sub(11, __WASI_CLOCKID_MONOTONIC, 5 * MS, 0);
  e = poll(subs, 2);
  check("poll.two_clocks.earlier_fires", e == 0 && nevents == 1 && events[0].userdata == 11,
    "SUCCESS, 1 event, userdata 11", "%s, %zu events, userdata %llu", errno_name(e), nevents, (unsigned long long)events[0].userdata);
  check("poll.two_clocks.no_extra_wait", waited_ns < 400 * MS, "well under 500 ms", "%llu us", (unsigned long long)waited_ns / 1000);

  /* The CPU-time clocks can be waited on too. */
  subs[0] = clock_sub(12, __WASI_CLOCKID_PROCESS_CPUTIME_ID, 2 * MS, 0);
  e = poll(subs, 1);
  check("poll.clock.process_cputime", e == 0 && nevents == 1 && events[0].error == 0 && events[0].userdata == 12,
    "SUCCESS, 1 event without error", "%s, %zu events, error %s", errno_name(e), nevents, errno_name(events[0].error));
  subs[0] = clock_sub(13, 9, 1 * MS, 0);
  e = poll(subs, 1);
  check("poll.clock.unknown_id", e == __WASI_ERRNO_INVAL || (e == 0 && nevents == 1 && events[0].error == __WASI_ERRNO_INVAL),
    "INVAL, for the call or in its event", "%s, %zu events, error %s", errno_name(e), nevents, errno_name(events[0].error));

  /* fd readiness: a regular file is always ready; reading reports the bytes left. */
  subs[0] = fd_sub(20, __WASI_EVENTTYPE_FD_READ, rfd);
  e = poll(subs, 1);
  check("poll.fd_read.file", e == 0 && nevents == 1 && events[0].type == __WASI_EVENTTYPE_FD_READ && events[0].error == 0,
    "SUCCESS, 1 FD_READ event without error", "%s, %zu events, type %d, error %s", errno_name(e), nevents, events[0].type, errno_name(events[0].error));
  check_u64("poll.fd_read.file_nbytes", events[0].fd_readwrite.nbytes, 5);
  __wasi_filesize_t pos;
  (void)__wasi_fd_seek(rfd, 0, __WASI_WHENCE_END, &pos);
  e = poll(subs, 1);
  check("poll.fd_read.file_at_end", e == 0 && nevents == 1 && events[0].error == 0 && events[0].fd_readwrite.nbytes == 0,
    "ready, 0 bytes left", "%s, %zu events, error %s, nbytes %llu", errno_name(e), nevents, errno_name(events[0].error),
    (unsigned long long)events[0].fd_readwrite.nbytes);
  subs[0] = fd_sub(21, __WASI_EVENTTYPE_FD_WRITE, wfd);
  e = poll(subs, 1);
  check("poll.fd_write.file", e == 0 && nevents == 1 && events[0].type == __WASI_EVENTTYPE_FD_WRITE && events[0].error == 0,
    "SUCCESS, 1 FD_WRITE event without error", "%s, %zu events, type %d, error %s", errno_name(e), nevents, events[0].type, errno_name(events[0].error));

  /* stdio: stdin holds "stdin line\n" (11 bytes); stdout and stderr take writes. */
  subs[0] = fd_sub(30, __WASI_EVENTTYPE_FD_READ, 0);
  e = poll(subs, 1);
  check("poll.fd_read.stdin", e == 0 && nevents == 1 && events[0].userdata == 30 && events[0].error == 0,
    "SUCCESS, stdin ready", "%s, %zu events, error %s", errno_name(e), nevents, errno_name(events[0].error));
  subs[0] = fd_sub(31, __WASI_EVENTTYPE_FD_WRITE, 1);
  subs[1] = fd_sub(32, __WASI_EVENTTYPE_FD_WRITE, 2);
  e = poll(subs, 2);
  check("poll.fd_write.stdout_stderr", e == 0 && nevents == 2 && find(31) && find(32) && find(31)->error == 0 && find(32)->error == 0,
    "SUCCESS, both ready", "%s, %zu events", errno_name(e), nevents);

  /* A ready fd answers at once, however long the clock beside it. */
  subs[0] = clock_sub(40, __WASI_CLOCKID_MONOTONIC, 2000 * MS, 0);
  subs[1] = fd_sub(41, __WASI_EVENTTYPE_FD_READ, 0);
  e = poll(subs, 2);
  check("poll.mixed.fd_first", e == 0 && nevents == 1 && events[0].userdata == 41,
    "SUCCESS, only the fd event", "%s, %zu events, userdata %llu", errno_name(e), nevents, (unsigned long long)events[0].userdata);
  check("poll.mixed.no_wait", waited_ns < 1000 * MS, "no wait for the clock", "%llu us", (unsigned long long)waited_ns / 1000);
  /* ...and a clock already due is reported beside it. */
  subs[0] = clock_sub(42, __WASI_CLOCKID_MONOTONIC, 0, 0);
  subs[1] = fd_sub(43, __WASI_EVENTTYPE_FD_WRITE, 1);
  e = poll(subs, 2);
  check("poll.mixed.both_ready", e == 0 && nevents == 2 && find(42) && find(43),
    "SUCCESS, both events", "%s, %zu events", errno_name(e), nevents);
  subs[0] = fd_sub(50, __WASI_EVENTTYPE_FD_WRITE, 1);
  subs[1] = fd_sub(51, __WASI_EVENTTYPE_FD_READ, rfd);
  subs[2] = clock_sub(52, __WASI_CLOCKID_MONOTONIC, 1000 * MS, 0);
  e = poll(subs, 3);
  check("poll.three_subscriptions", e == 0 && nevents == 2 && find(50) && find(51) && waited_ns < 900 * MS,
    "SUCCESS, the two fd events, no wait", "%s, %zu events, %llu us", errno_name(e), nevents, (unsigned long long)waited_ns / 1000);

  /* A closed descriptor: its event carries EBADF. */
  subs[0] = fd_sub(60, __WASI_EVENTTYPE_FD_READ, 77);
  e = poll(subs, 1);
  check("poll.fd_closed", e == 0 && nevents == 1 && events[0].userdata == 60 && events[0].error == __WASI_ERRNO_BADF,
    "SUCCESS, 1 event with error BADF", "%s, %zu events, error %s", errno_name(e), nevents, errno_name(events[0].error));

  /* An event type that does not exist. */
  subs[0] = fd_sub(70, 9, 1);
  e = poll(subs, 1);
  check_errno("poll.unknown_eventtype", e, __WASI_ERRNO_INVAL);
  return done("poll");
}
