/** Spawning run workers in a browser: a module Web Worker per run. */
import type { SpawnWorker, WorkerHandle } from './engine.ts';
import type { WorkerMessage } from './protocol.ts';

export const spawnBrowserWorker: SpawnWorker = (): WorkerHandle => {
  const worker = new Worker(new URL('./worker.browser.ts', import.meta.url), { type: 'module', name: 'kavach-run' });
  return {
    post: (message, transfer) => worker.postMessage(message, transfer ?? []),
    onMessage: (listener) => worker.addEventListener('message', (e: MessageEvent<WorkerMessage>) => listener(e.data)),
    onError: (listener) => worker.addEventListener('error', (e: ErrorEvent) => listener(new Error(e.message || 'worker failed to start'))),
    terminate: () => worker.terminate(),
  };
};
