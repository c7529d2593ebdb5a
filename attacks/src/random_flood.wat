;; random_flood: asks the host for 16 MiB of random bytes, over and over, writing one "." to stdout
;; after each call, forever. Host calls were once charged 1 fuel each: a thousand of these cost
;; 11,000 fuel and minutes of host CPU. Now each call pays for its bytes before the host starts.
(module
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 257)
  ;; iovec at 0: one byte "." at 16
  (data (i32.const 0) "\10\00\00\00\01\00\00\00")
  (data (i32.const 16) ".")
  (func (export "_start")
    (loop $again
      (drop (call $random_get (i32.const 65536) (i32.const 16777216)))
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
      (br $again))))
