;; catch_exit: calls proc_exit(7) inside a catch_all (legacy exception handling, as C++ `catch (...)`
;; compiles), then writes "survived" and exits 3. proc_exit used to throw a JavaScript exception,
;; which catch_all catches; the exit must be final whatever the module does.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\10\00\00\00\09\00\00\00")
  (data (i32.const 16) "survived\n")
  (func (export "_start")
    (try
      (do (call $exit (i32.const 7)))
      (catch_all))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $exit (i32.const 3))))
