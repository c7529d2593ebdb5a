/**
 * Fuel-metering overhead in the browser: each CPU-bound program plain and instrumented (ample
 * fuel), run in a Web Worker with the plain shim, in pairs (which goes first alternates), and the
 * ratio is the median of the pairs' ratios, so that slow drifts of a shared machine hit both sides.
 */
const programs = import.meta.glob('../programs/*.wasm', { query: '?url', import: 'default', eager: true }) as Record<string, string>;

export interface OverheadRow {
  program: string;
  plainMs: number;
  meteredMs: number;
  /** Median of metered / plain over the pairs. */
  ratio: number;
}

const REPS = 11;

function runInWorker(bytes: Uint8Array, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./overhead-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<{ ms: number } | { error: string }>) => {
      worker.terminate();
      if ('error' in e.data) reject(new Error(`${name}: ${e.data.error}`));
      else resolve(e.data.ms);
    };
    worker.postMessage({ bytes, name });
  });
}

async function main(): Promise<void> {
  const { instrument } = await import('../../src/core/instrument/index.ts');
  const rows: OverheadRow[] = [];
  for (const [path, url] of Object.entries(programs).sort()) {
    const name = path.split('/').pop()!.replace('.wasm', '');
    const plain = new Uint8Array(await (await fetch(url)).arrayBuffer());
    const metered = instrument(plain, { fuel: 1n << 60n, memoryLimitPages: null }).bytes;
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
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    rows.push({ program: name, plainMs: median(plainTimes), meteredMs: median(meteredTimes), ratio: median(ratios) });
  }
  (window as unknown as { __bench: unknown }).__bench = rows;
  document.getElementById('status')!.textContent = 'done';
}

main().catch((e) => {
  (window as unknown as { __bench: unknown }).__bench = { error: String(e) };
});
