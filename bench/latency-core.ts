/**
 * Run-latency measurements shared by the Node and the browser benchmark: the same code, given a
 * worker spawner and a baseline that runs the module directly on the calling thread.
 */
import { Engine, parseDocument, type SpawnWorker } from '../src/core/index.ts';

export interface LatencyFigures {
  /** Plain in-thread instantiate + run of hello from a compiled module (no sandbox), median ms. */
  baselineMs: number;
  /** First run on a fresh engine: worker start, compile, run. */
  firstRunMs: number;
  /** Re-run of the same module: cached compile, prewarmed worker, median ms. */
  cachedRerunMs: number;
  /** From the deadline to the result of a killed busy loop, median ms. */
  killLatencyMs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function measureLatency(spawn: SpawnWorker, hello: Uint8Array, loop: Uint8Array,
  baseline: () => Promise<number>, reps = 15): Promise<LatencyFigures> {
  const baselines: number[] = [];
  for (let i = 0; i < reps; i++) baselines.push(await baseline());

  const cold = new Engine(spawn);
  const config = parseDocument({});
  let t = performance.now();
  const first = await cold.run({ module: hello, moduleName: 'hello.wasm', config }).result;
  const firstRunMs = performance.now() - t;
  if (!first.ok || first.result.stdout !== 'Hello from WebAssembly!\n') throw new Error('hello did not run');
  cold.dispose();

  const warm = new Engine(spawn, { prewarm: true });
  await warm.run({ module: hello, moduleName: 'hello.wasm', config }).result;
  const reruns: number[] = [];
  for (let i = 0; i < reps; i++) {
    await pause(400); // a person pressing Run again: the spare worker has booted meanwhile
    t = performance.now();
    const r = await warm.run({ module: hello, moduleName: 'hello.wasm', config }).result;
    reruns.push(performance.now() - t);
    if (!r.ok || !r.result.module.cached) throw new Error('re-run did not use the cached module');
  }

  const kills: number[] = [];
  const timeout = 200;
  // Ample fuel, so that the wall-clock deadline is what stops the loop.
  const loopConfig = parseDocument({ timeout_ms: timeout, fuel: 1e15 });
  await warm.run({ module: loop, moduleName: 'loop.wasm', config: loopConfig }).result;
  for (let i = 0; i < Math.min(reps, 8); i++) {
    await pause(400);
    t = performance.now();
    const r = await warm.run({ module: loop, moduleName: 'loop.wasm', config: loopConfig }).result;
    const end = performance.now();
    if (!r.ok || r.result.outcome.kind !== 'timeout') throw new Error('loop was not killed by the timeout');
    const begin = r.result.audit.events.find((e) => e.kind === 'lifecycle' && e.event === 'exec_begin');
    if (begin === undefined) throw new Error('no exec_begin event');
    kills.push(end - t - begin.time - timeout);
  }
  warm.dispose();
  return { baselineMs: median(baselines), firstRunMs, cachedRerunMs: median(reruns), killLatencyMs: median(kills) };
}
