/*
 * No sockets in preview1 here: sock_* give EBADF for a closed descriptor and ENOTSOCK for any
 * other (as the WASI testsuite expects). proc_raise returns an errno: the program goes on.
 */
#include "check.h"

/* Dropped from <wasi/api.h> by wasi-libc, still one of the 46 calls of the snapshot. */
int32_t raw_proc_raise(int32_t signal) WASI_IMPORT("proc_raise");
#define SIGNAL_URG 22

int main(void) {
  int sb = preopen("/sandbox");
  make_file(sb, "f", "x");
  int f;
  open_at(sb, "f", 0, 0, __WASI_RIGHTS_FD_READ, 0, 0, &f);
  const int closed = 99;
  size_t n;
  __wasi_roflags_t roflags;
  __wasi_fd_t accepted;
  char buf[8];
  __wasi_iovec_t iov = { (uint8_t *)buf, sizeof buf };
  __wasi_ciovec_t ciov = { (const uint8_t *)"x", 1 };

  check_errno("sock.accept.stdin", __wasi_sock_accept(0, 0, &accepted), __WASI_ERRNO_NOTSOCK);
  check_errno("sock.accept.preopen", __wasi_sock_accept(sb, 0, &accepted), __WASI_ERRNO_NOTSOCK);
  check_errno("sock.accept.closed", __wasi_sock_accept(closed, 0, &accepted), __WASI_ERRNO_BADF);
  check_errno("sock.recv.file", __wasi_sock_recv(f, &iov, 1, 0, &n, &roflags), __WASI_ERRNO_NOTSOCK);
  check_errno("sock.recv.closed", __wasi_sock_recv(closed, &iov, 1, 0, &n, &roflags), __WASI_ERRNO_BADF);
  check_errno("sock.send.stdout", __wasi_sock_send(1, &ciov, 1, 0, &n), __WASI_ERRNO_NOTSOCK);
  check_errno("sock.send.closed", __wasi_sock_send(closed, &ciov, 1, 0, &n), __WASI_ERRNO_BADF);
  check_errno("sock.shutdown.stdout", __wasi_sock_shutdown(1, __WASI_SDFLAGS_RD), __WASI_ERRNO_NOTSOCK);
  check_errno("sock.shutdown.closed", __wasi_sock_shutdown(closed, __WASI_SDFLAGS_RD), __WASI_ERRNO_BADF);

  /* SIGURG, whose default action is to be ignored: harmless wherever it is delivered. */
  int e = raw_proc_raise(SIGNAL_URG);
  check("proc_raise.returns_errno", e != 0, "an errno: no signal is delivered in the sandbox", "%s", errno_name(e));
  check("proc_raise.program_goes_on", 1, "the program runs on", "%s", "still running");
  return done("sockets");
}
