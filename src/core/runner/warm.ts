/**
 * Warming a spare worker before its run. A fresh worker runs the engine's code for the first time:
 * V8 compiles each function lazily on its first call, so the first run in a worker costs ~15 ms
 * more than the next would (measured on hello). A spare worker is idle until the next Run, so it
 * spends that time on a run of its own: the module below (trusted, ours, a few fd_write calls
 * and a return), instrumented, compiled and run through the same path as a guest, its output
 * thrown away. The worker still serves exactly one guest run: the kill at the deadline is
 * always a fresh worker's, and nothing of the warm-up is shared with the guest (it had its own
 * instance, memory and filesystem).
 */
import type { RunPlan } from './protocol.ts';
import { compileForRun } from './prepare.ts';
import { runInWorker } from './worker.ts';

/** The warm-up module's source (warm.test.ts checks the bytes are this text assembled). */
export const WARM_MODULE_WAT = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\\10\\00\\00\\00\\03\\00\\00\\00")
  (data (i32.const 16) "ok\\0a")
  (func (export "_start")
    (local $i i32)
    (loop $l
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 4))))))`;

export const WARM_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0c, 0x02, 0x60, 0x04, 0x7f, 0x7f, 0x7f,
  0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00, 0x02, 0x23, 0x01, 0x16, 0x77, 0x61, 0x73, 0x69, 0x5f, 0x73,
  0x6e, 0x61, 0x70, 0x73, 0x68, 0x6f, 0x74, 0x5f, 0x70, 0x72, 0x65, 0x76, 0x69, 0x65, 0x77, 0x31,
  0x08, 0x66, 0x64, 0x5f, 0x77, 0x72, 0x69, 0x74, 0x65, 0x00, 0x00, 0x03, 0x02, 0x01, 0x01, 0x05,
  0x03, 0x01, 0x00, 0x01, 0x07, 0x13, 0x02, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00,
  0x06, 0x5f, 0x73, 0x74, 0x61, 0x72, 0x74, 0x00, 0x01, 0x0a, 0x20, 0x01, 0x1e, 0x01, 0x01, 0x7f,
  0x03, 0x40, 0x41, 0x01, 0x41, 0x00, 0x41, 0x01, 0x41, 0x08, 0x10, 0x00, 0x1a, 0x20, 0x00, 0x41,
  0x01, 0x6a, 0x22, 0x00, 0x41, 0x04, 0x49, 0x0d, 0x00, 0x0b, 0x0b, 0x0b, 0x16, 0x02, 0x00, 0x41,
  0x00, 0x0b, 0x08, 0x10, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x41, 0x10, 0x0b, 0x03,
  0x6f, 0x6b, 0x0a,
]);

/**
 * One throw-away run of WARM_MODULE under `plan` (the engine sends a default policy's plan). It
 * returns normally (no proc_exit, which would park the thread), and any failure is ignored: a
 * warm-up only ever saves time.
 */
export async function warmUp(plan: RunPlan): Promise<void> {
  try {
    const compiled = await compileForRun(WARM_MODULE, plan.fuel, plan.memoryLimitPages);
    if (!compiled.ok) return;
    const facts = { imports: [], exports: [], instrumented: compiled.instrumented, memory: compiled.memory, startExport: compiled.startExport };
    await runInWorker({ type: 'start', module: compiled.module, facts, bytes: null, plan, stdinRing: null }, { post: () => undefined });
  } catch {
    // nothing to do: the guest's run takes the cold path
  }
}
