/**
 * Runs one WASI program with the plain shim and reports how long `_start` took: its bytes, compiled
 * here, or a module compiled before (and perhaps already optimised by earlier runs).
 */
import { ConsoleStdout, File, OpenFile, WASI } from '@bjorn3/browser_wasi_shim';

self.onmessage = async (e: MessageEvent<{ bytes?: Uint8Array; module?: WebAssembly.Module; name: string }>) => {
  try {
    const module = e.data.module ?? (await WebAssembly.compile(e.data.bytes as Uint8Array<ArrayBuffer>));
    const fds = [new OpenFile(new File([])), new ConsoleStdout(() => {}), new ConsoleStdout(() => {})];
    const wasi = new WASI([e.data.name], [], fds, { debug: false });
    const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: wasi.wasiImport });
    const t = performance.now();
    wasi.start(instance as never);
    postMessage({ ms: performance.now() - t });
  } catch (err) {
    postMessage({ error: String(err) });
  }
};
