;; atomic_wait: a shared memory and memory.atomic.wait32 with an endless timeout (-1). Nothing
;; will ever notify it: under a policy with fuel and no timeout, waiting was free and the run never
;; ended. Now a wait pays for its timeout before it starts, and an endless one cannot be paid for.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1 1 shared)
  (data (i32.const 0) "\10\00\00\00\08\00\00\00")
  (data (i32.const 16) "waiting\n")
  (func (export "_start")
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (memory.atomic.wait32 (i32.const 64) (i32.const 0) (i64.const -1)))))
