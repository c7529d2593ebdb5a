/**
 * Spawning run workers in Node: worker_threads running the same worker code as the page.
 *
 * The built CLI (dist-cli, made by `npm install`) starts the worker file built beside it. Run from
 * the TypeScript sources (tests, benchmarks), the worker entry is bundled once per process with
 * esbuild, in memory, and each worker evaluates that text. Either way a worker boots from plain
 * JavaScript, and nothing is run from a temporary directory: an earlier version wrote its bundle
 * to a shared one and ran it from there, where another local user could have replaced it.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SpawnWorker, WorkerHandle } from '../engine.ts';
import type { WorkerMessage } from '../protocol.ts';

/** Set by scripts/build-cli.mjs: the built worker's entry (its loader), relative to the built CLI. */
declare const KAVACH_BUILT_WORKER: string | undefined;

let bundled: string | null = null;

function workerCode(): string {
  if (bundled !== null) return bundled;
  // esbuild is loaded only here, so the built CLI never needs it.
  const { buildSync } = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const out = buildSync({
    entryPoints: [fileURLToPath(new URL('./worker.node.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    // An evaluated worker runs as a CommonJS script.
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  bundled = out.outputFiles[0].text;
  return bundled;
}

/**
 * Where bin/kavach.mjs leaves a worker it started before loading the CLI, so that the worker boots
 * (a worker thread spends ~100 ms loading Node's own modules) while this thread loads the commands.
 */
export const PRESTARTED_WORKER = Symbol.for('kavach.prestartedWorker');

function startWorker(): Worker {
  const early = (globalThis as Record<symbol, Worker | undefined>)[PRESTARTED_WORKER];
  if (early !== undefined) {
    delete (globalThis as Record<symbol, Worker | undefined>)[PRESTARTED_WORKER];
    return early;
  }
  if (typeof KAVACH_BUILT_WORKER === 'string') return new Worker(new URL(KAVACH_BUILT_WORKER, import.meta.url));
  return new Worker(workerCode(), { eval: true });
}

export const spawnNodeWorker: SpawnWorker = (): WorkerHandle => {
  const worker = startWorker();
  worker.unref();
  return {
    post: (message, transfer) => worker.postMessage(message, (transfer ?? []) as never),
    onMessage: (listener) => worker.on('message', (m: WorkerMessage) => listener(m)),
    onError: (listener) => worker.on('error', listener),
    terminate: () => void worker.terminate(),
  };
};
