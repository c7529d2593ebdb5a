/**
 * Fuel-metering overhead in the browser: each CPU-bound program plain and instrumented (ample
 * fuel), run in a Web Worker with the plain shim, in pairs (which goes first alternates), and the
 * ratio is the median of the pairs' ratios, so that slow drifts of a shared machine hit both sides.
 * Twice: compiled afresh in each worker (a first run: V8 has no on-stack replacement for wasm, so a
 * program's one long call stays in baseline code), and compiled once and handed to each worker, as
 * the page's module cache does for a re-run (the code V8 optimised during earlier runs is reused,
 * as in the Node figures).
 */
const programs = import.meta.glob('../programs/*.wasm', { query: '?url', import: 'default', eager: true }) as Record<string, string>;

export interface OverheadRow {
  program: string;
  plainMs: number;
  meteredMs: number;
  /** Median of metered / plain over the pairs, each run compiling its module. */
  ratio: number;
  /** The same with modules compiled once and reused by every run. */
  ratioReused: number;
}

const REPS = 11;

function runInWorker(code: Uint8Array | WebAssembly.Module, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./overhead-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<{ ms: number } | { error: string }>) => {
      worker.terminate();
      if ('error' in e.data) reject(new Error(`${name}: ${e.data.error}`));
      else resolve(e.data.ms);
    };
    worker.postMessage(code instanceof WebAssembly.Module ? { module: code, name } : { bytes: code, name });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** REPS runs of each, in alternating order: the medians and the median of the pairs' ratios. */
async function pairs(plain: Uint8Array | WebAssembly.Module, metered: Uint8Array | WebAssembly.Module, name: string) {
  const plainTimes: number[] = [];
  const meteredTimes: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < REPS; i++) {
    if (i % 2 === 0) {
      plainTimes.push(await runInWorker(plain, name));
      meteredTimes.push(await runInWorker(metered, name));
    } else {
      meteredTimes.push(await runInWorker(metered, name));
      plainTimes.push(await runInWorker(plain, name));
    }
    ratios.push(meteredTimes[i] / plainTimes[i]);
  }
  return { plainMs: median(plainTimes), meteredMs: median(meteredTimes), ratio: median(ratios) };
}

async function main(): Promise<void> {
  const { instrument } = await import('../../src/core/instrument/index.ts');
  const rows: OverheadRow[] = [];
  for (const [path, url] of Object.entries(programs).sort()) {
    const name = path.split('/').pop()!.replace('.wasm', '');
    const plain = new Uint8Array(await (await fetch(url)).arrayBuffer());
    const metered = instrument(plain, { fuel: 1n << 60n, memoryLimitPages: null }).bytes;
    const fresh = await pairs(plain, metered, name);
    const reused = await pairs(await WebAssembly.compile(plain), await WebAssembly.compile(metered as Uint8Array<ArrayBuffer>), name);
    rows.push({ program: name, plainMs: fresh.plainMs, meteredMs: fresh.meteredMs, ratio: fresh.ratio, ratioReused: reused.ratio });
  }
  (window as unknown as { __bench: unknown }).__bench = rows;
  document.getElementById('status')!.textContent = 'done';
}

main().catch((e) => {
  (window as unknown as { __bench: unknown }).__bench = { error: String(e) };
});
