;; start_loop: an endless loop in the start function, which runs while the module is instantiated,
;; before the host has an instance to read the fuel counter from. It must end as fuel exhaustion.
(module
  (memory (export "memory") 1)
  (global $n (mut i32) (i32.const 0))
  (func $spin (loop $l (global.set $n (i32.add (global.get $n) (i32.const 1))) (br $l)))
  (start $spin)
  (func (export "_start")))
