/**
 * Test support (the soundness tests and the instrument fuzz target): runs instrumented modules in
 * a worker thread, so that a module that does not stop, i.e. a metering bug, shows as a timeout
 * instead of hanging the test or the fuzzer. Imports are stubs: the work counter of counted.ts,
 * functions that return 0 (proc_exit ends the run), a memory of 16 pages, a table of 1024.
 */
import { Worker } from 'node:worker_threads';

export type Outcome =
  | 'returned'
  | 'exhausted'
  | 'trap'
  | 'stack-overflow'
  | 'exception'
  | 'exit'
  /** The start function trapped during instantiation: no instance to read the fuel from. */
  | 'instantiation-trap'
  /** The stub imports did not fit the module (their types are unknown to the runner). */
  | 'link-error'
  | 'timeout';

export interface CaseResult {
  outcome: Outcome;
  message: string;
  /** The `count.work` global (0 when the module does not import it). */
  work: bigint;
  /** The fuel globals, or null when there is no instance or no metering. */
  remaining: bigint | null;
  exhausted: boolean | null;
  millis: number;
}

export interface CaseOptions {
  /** Called first after instantiation (a deferred start function). */
  startExport: string | null;
  timeoutMs: number;
}

// Plain JavaScript: it runs as the worker's source, without a TypeScript loader.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
class Exit extends Error {}
function stubs(module, work) {
  const imports = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    const ns = (imports[imp.module] ??= {});
    if (imp.module === 'count' && imp.name === 'work') ns[imp.name] = work;
    else if (imp.kind === 'function') ns[imp.name] = imp.name === 'proc_exit' ? () => { throw new Exit('proc_exit'); } : () => 0;
    else if (imp.kind === 'memory') ns[imp.name] = new WebAssembly.Memory({ initial: 16 });
    else if (imp.kind === 'table') ns[imp.name] = new WebAssembly.Table({ element: 'anyfunc', initial: 1024 });
    else if (imp.kind === 'global') ns[imp.name] = 0;
    else ns[imp.name] = undefined;
  }
  return imports;
}
function fuelOf(instance) {
  const r = instance?.exports.__kavach_fuel_remaining;
  const f = instance?.exports.__kavach_fuel_exhausted;
  return r instanceof WebAssembly.Global && f instanceof WebAssembly.Global ? { remaining: r.value, exhausted: f.value === 1 } : { remaining: null, exhausted: null };
}
function classify(e, instance) {
  if (e instanceof Exit) return 'exit';
  if (e instanceof RangeError && /call stack/i.test(e.message)) return 'stack-overflow';
  if (typeof WebAssembly.Exception === 'function' && e instanceof WebAssembly.Exception) return 'exception';
  if (e instanceof WebAssembly.RuntimeError && fuelOf(instance).exhausted === true) return 'exhausted';
  return 'trap';
}
parentPort.on('message', ({ id, bytes, startExport }) => {
  const started = performance.now();
  const work = new WebAssembly.Global({ value: 'i64', mutable: true }, 0n);
  let instance = null;
  let outcome = 'returned';
  let message = '';
  try {
    const module = new WebAssembly.Module(bytes);
    try {
      instance = new WebAssembly.Instance(module, stubs(module, work));
    } catch (e) {
      outcome = e instanceof WebAssembly.LinkError || e instanceof TypeError ? 'link-error' : classify(e, null) === 'trap' ? 'instantiation-trap' : classify(e, null);
      message = String(e);
    }
    if (instance !== null) {
      const exports = instance.exports;
      const names = [];
      if (startExport !== null) names.push(startExport);
      if (typeof exports.main === 'function') names.push('main');
      else if (typeof exports._start === 'function') names.push('_start');
      else for (const [name, value] of Object.entries(exports)) if (typeof value === 'function' && name !== startExport) names.push(name);
      for (const name of names) {
        try {
          exports[name]();
          outcome = 'returned';
        } catch (e) {
          outcome = classify(e, instance);
          message = name + ': ' + String(e);
          if (outcome === 'exhausted' || outcome === 'exit' || name === startExport) break;
        }
      }
    }
  } catch (e) {
    outcome = 'trap';
    message = String(e);
  }
  parentPort.postMessage({ id, outcome, message, work: work.value, ...fuelOf(instance), millis: performance.now() - started });
});
`;

export class CaseRunner {
  private worker: Worker | null = null;
  private serial = 0;

  async run(bytes: Uint8Array, options: CaseOptions): Promise<CaseResult> {
    const worker = (this.worker ??= this.spawn());
    const id = ++this.serial;
    const started = performance.now();
    return new Promise<CaseResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        this.stop();
        resolve({ outcome: 'timeout', message: `no result after ${options.timeoutMs} ms`, work: 0n, remaining: null, exhausted: null, millis: performance.now() - started });
      }, options.timeoutMs);
      const onMessage = (m: CaseResult & { id: number }) => {
        if (m.id !== id) return;
        cleanup();
        const { id: _, ...result } = m;
        resolve(result);
      };
      const onError = (e: Error) => {
        cleanup();
        this.stop();
        reject(e);
      };
      const cleanup = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage({ id, bytes, startExport: options.startExport });
    });
  }

  /** Stops the worker (a new one starts on the next run). */
  stop(): void {
    void this.worker?.terminate();
    this.worker = null;
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref(); // a pending run keeps the process alive through its timer
    return worker;
  }
}
