;; sleep_forever: one poll_oneoff that asks to sleep for an hour. Under a policy with fuel and no
;; timeout, waiting was free and the run never ended; now the sleep is charged 1 fuel per ns asked
;; for, before it starts.
(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; subscription at 64: userdata 1, tag clock (0), clock id monotonic (1), timeout 3.6e12 ns, relative
  (data (i32.const 64) "\01\00\00\00\00\00\00\00" "\00\00\00\00\00\00\00\00" "\01\00\00\00\00\00\00\00" "\00\a0\b8\30\46\03\00\00" "\00\00\00\00\00\00\00\00" "\00\00\00\00\00\00\00\00")
  (data (i32.const 0) "\20\00\00\00\06\00\00\00")
  (data (i32.const 32) "awake\n")
  (func (export "_start")
    (drop (call $poll (i32.const 64) (i32.const 256) (i32.const 1) (i32.const 512)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
