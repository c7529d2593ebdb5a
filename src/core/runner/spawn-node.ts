/** Spawning run workers in Node: worker_threads running the same worker code (TypeScript via tsx). */
import { Worker } from 'node:worker_threads';
import type { SpawnWorker, WorkerHandle } from './engine.ts';
import type { WorkerMessage } from './protocol.ts';

const entry = new URL('./worker.node.mjs', import.meta.url);

export const spawnNodeWorker: SpawnWorker = (): WorkerHandle => {
  const worker = new Worker(entry);
  worker.unref();
  return {
    post: (message, transfer) => worker.postMessage(message, (transfer ?? []) as never),
    onMessage: (listener) => worker.on('message', (m: WorkerMessage) => listener(m)),
    onError: (listener) => worker.on('error', listener),
    terminate: () => void worker.terminate(),
  };
};
