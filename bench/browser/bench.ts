/** In-browser benchmark page: measures run latency with Web Workers and reports to the driver. */
import { ConsoleStdout, File, OpenFile, WASI } from '@bjorn3/browser_wasi_shim';
import { measureLatency } from '../latency-core.ts';
import { spawnBrowserWorker } from '../../src/core/runner/spawn-browser.ts';

async function fetchBytes(path: string): Promise<Uint8Array> {
  return new Uint8Array(await (await fetch(path)).arrayBuffer());
}

async function main() {
  const hello = await fetchBytes('/examples/hello.wasm');
  const loop = await fetchBytes('/examples/loop.wasm');
  const compiled = await WebAssembly.compile(hello as Uint8Array<ArrayBuffer>);
  // Baseline: the plain shim, on the page's own thread, from an already compiled module.
  const baseline = async () => {
    const t = performance.now();
    const fds = [new OpenFile(new File([])), new ConsoleStdout(() => {}), new ConsoleStdout(() => {})];
    const wasi = new WASI(['hello.wasm'], [], fds, { debug: false });
    const instance = await WebAssembly.instantiate(compiled, { wasi_snapshot_preview1: wasi.wasiImport });
    wasi.start(instance as never);
    return performance.now() - t;
  };
  const figures = await measureLatency(spawnBrowserWorker, hello, loop, baseline);
  (window as unknown as { __bench: unknown }).__bench = figures;
  document.getElementById('status')!.textContent = 'done';
}

main().catch((e) => {
  (window as unknown as { __bench: unknown }).__bench = { error: String(e) };
});
