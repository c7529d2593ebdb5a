/** The compile worker in a browser: a module Web Worker. */
import type { CompileWorkerHandle, SpawnCompileWorker } from './compiler.ts';
import type { CompileWorkerMessage } from './protocol.ts';

export const spawnBrowserCompileWorker: SpawnCompileWorker = (): CompileWorkerHandle => {
  const worker = new Worker(new URL('./worker.browser.ts', import.meta.url), { type: 'module', name: 'kavach-compile' });
  return {
    post: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.addEventListener('message', (e: MessageEvent<CompileWorkerMessage>) => listener(e.data)),
    onError: (listener) => worker.addEventListener('error', (e: ErrorEvent) => listener(new Error(e.message || 'the compile worker failed to start'))),
    terminate: () => worker.terminate(),
  };
};
