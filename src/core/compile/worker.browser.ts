/**
 * The compile worker (a module Web Worker): builds one request at a time, so that a build, and
 * above all compiling the 75 MB compiler itself, never holds up the page.
 */
import { buildSource } from './build.ts';
import type { CompileHostMessage, CompileWorkerMessage } from './protocol.ts';
import { toolchain } from './toolchain.ts';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<CompileHostMessage>) => void) | null;
  postMessage(message: CompileWorkerMessage, transfer?: Transferable[]): void;
};

let queue: Promise<void> = Promise.resolve();

scope.onmessage = (event) => {
  const { id, request } = event.data;
  queue = queue.then(async () => {
    const result = await buildSource(toolchain((progress) => scope.postMessage({ type: 'progress', id, progress })), request);
    scope.postMessage({ type: 'result', id, result }, result.ok ? [result.wasm.buffer as ArrayBuffer] : []);
  });
};
