;; net_probe: tries the WASI calls a network client or a signal would need, straight from
;; WebAssembly text, with no libc in the way, and prints the errno each one returns.
;;
;;   sock_accept(3), sock_send(1), sock_recv(0), sock_shutdown(1), proc_raise(SIGTERM)
;;
;; Preview1 has no way to open a socket, so without a filter these fail with EBADF (no such fd)
;; or ENOTSOCK (the fd is not a socket). Under a WASI call filter that denies them (the basic
;; profile does) each returns ENOSYS (52) without running, and the audit log names the rule.
;; stdout, one line per call:  "<call>: errno=<n>", then "done".
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_accept" (func $sock_accept (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_send" (func $sock_send (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_recv" (func $sock_recv (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_shutdown" (func $sock_shutdown (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_raise" (func $proc_raise (param i32) (result i32)))
  (memory (export "memory") 1)

  ;; 0..63: scratch (iovec at 0, nwritten at 8, digits at 16..31)
  (data (i32.const 64) "sock_accept: errno=")    ;; 19 bytes
  (data (i32.const 96) "sock_send: errno=")      ;; 17 bytes
  (data (i32.const 128) "sock_recv: errno=")     ;; 17 bytes
  (data (i32.const 160) "sock_shutdown: errno=") ;; 21 bytes
  (data (i32.const 192) "proc_raise: errno=")    ;; 18 bytes
  (data (i32.const 224) "done\n")                ;; 5 bytes
  (data (i32.const 240) "\n")

  ;; write(1, ptr, len)
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  ;; print an unsigned number in decimal, then a newline
  (func $print_num (param $n i32) (local $p i32)
    (local.set $p (i32.const 32))
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digits (local.get $n)))
    (call $print (local.get $p) (i32.sub (i32.const 32) (local.get $p)))
    (call $print (i32.const 240) (i32.const 1)))

  (func (export "_start")
    (call $print (i32.const 64) (i32.const 19))
    (call $print_num (call $sock_accept (i32.const 3) (i32.const 0) (i32.const 48)))
    (call $print (i32.const 96) (i32.const 17))
    (call $print_num (call $sock_send (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 48)))
    (call $print (i32.const 128) (i32.const 17))
    (call $print_num (call $sock_recv (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 48) (i32.const 52)))
    (call $print (i32.const 160) (i32.const 21))
    (call $print_num (call $sock_shutdown (i32.const 1) (i32.const 2)))
    (call $print (i32.const 192) (i32.const 18))
    (call $print_num (call $proc_raise (i32.const 15)))
    (call $print (i32.const 224) (i32.const 5))))
