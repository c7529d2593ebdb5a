/**
 * Spawning run workers in Node: worker_threads running the same worker code as the page. The
 * TypeScript worker entry is bundled once per process with esbuild into a temporary file, so a
 * worker boots from one plain JavaScript file (several times faster than loading it through a
 * TypeScript loader) and the CLI still needs no build step.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { buildSync } from 'esbuild';
import type { SpawnWorker, WorkerHandle } from './engine.ts';
import type { WorkerMessage } from './protocol.ts';

let bundled: string | null = null;

function workerFile(): string {
  if (bundled !== null) return bundled;
  const out = buildSync({
    entryPoints: [fileURLToPath(new URL('./worker.node.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  const code = out.outputFiles[0].contents;
  const dir = join(tmpdir(), 'kavach-playground');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `worker-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(file)) writeFileSync(file, code);
  bundled = file;
  return file;
}

export const spawnNodeWorker: SpawnWorker = (): WorkerHandle => {
  const worker = new Worker(workerFile());
  worker.unref();
  return {
    post: (message, transfer) => worker.postMessage(message, (transfer ?? []) as never),
    onMessage: (listener) => worker.on('message', (m: WorkerMessage) => listener(m)),
    onError: (listener) => worker.on('error', listener),
    terminate: () => void worker.terminate(),
  };
};
