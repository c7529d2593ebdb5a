/** Run latency (first run, cached re-run) and kill latency, in Node and in Chromium. */
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';
import { openSync, closeSync } from 'node:fs';
import { spawnNodeWorker } from '../../src/core/runner/node/spawn-node.ts';
import { measureLatency, type LatencyFigures } from '../latency-core.ts';
import { withChromiumPage } from '../browser.ts';
import type { Figure, Section, Suite } from '../types.ts';

const root = new URL('../../', import.meta.url);
const read = (p: string) => new Uint8Array(readFileSync(new URL(p, root)));

function figures(f: LatencyFigures, baselineName: string): Figure[] {
  return [
    { name: `baseline: ${baselineName}`, value: f.baselineMs, unit: 'ms' },
    { name: 'hello, first run (worker start + compile + run)', value: f.firstRunMs, unit: 'ms' },
    { name: 'hello, cached re-run (a fresh, warmed-up worker per run)', value: f.cachedRerunMs, unit: 'ms', target: '<= 5 (issue 14)', ok: f.cachedRerunMs <= 5 },
    { name: 'hello, cached re-run / baseline', value: f.cachedRerunMs / f.baselineMs, unit: 'ratio' },
    { name: 'kill latency (deadline to result)', value: f.killLatencyMs, unit: 'ms', target: '< 50', ok: f.killLatencyMs < 50 },
  ];
}

async function node(): Promise<Section> {
  const hello = read('public/examples/hello.wasm');
  const loop = read('public/examples/loop.wasm');
  const compiled = await WebAssembly.compile(hello as Uint8Array<ArrayBuffer>);
  const devNull = openSync('/dev/null', 'w');
  const baseline = async () => {
    const t = performance.now();
    const wasi = new WASI({ version: 'preview1', args: ['hello.wasm'], env: {}, stdout: devNull, returnOnExit: true });
    const instance = await WebAssembly.instantiate(compiled, wasi.getImportObject() as WebAssembly.Imports);
    wasi.start(instance);
    return performance.now() - t;
  };
  const f = await measureLatency(spawnNodeWorker, hello, loop, baseline);
  closeSync(devNull);
  return { title: 'Run and kill latency', runtime: `Node ${process.versions.node}`, figures: figures(f, 'node:wasi in-process, compiled module') };
}

async function chromium(): Promise<Section> {
  return withChromiumPage('bench/browser/vite.config.ts', async (page, version) => {
    await page.goto('/index.html');
    await page.waitForFunction(() => (window as unknown as { __bench?: unknown }).__bench !== undefined, null, { timeout: 120_000 });
    const result = await page.evaluate(() => (window as unknown as { __bench: LatencyFigures | { error: string } }).__bench);
    if ('error' in result) throw new Error(`browser bench failed: ${result.error}`);
    return { title: 'Run and kill latency', runtime: version, figures: figures(result, 'browser_wasi_shim on the page thread, compiled module') };
  });
}

export const run: Suite = async () => [await node(), await chromium()];
