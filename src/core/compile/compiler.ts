/**
 * The page's side of building: one compile worker, kept once started (it holds the compiled
 * compiler), builds answered in order, the download reported as it goes. Platform-neutral: the
 * worker comes from a spawn function (spawn-browser.ts in a page).
 */
import type { BuildRequest, BuildResult } from './build.ts';
import type { CompileHostMessage, CompileWorkerMessage } from './protocol.ts';
import type { ToolchainProgress } from './toolchain.ts';

export interface CompileWorkerHandle {
  post(message: CompileHostMessage): void;
  onMessage(listener: (message: CompileWorkerMessage) => void): void;
  onError(listener: (error: Error) => void): void;
  terminate(): void;
}
export type SpawnCompileWorker = () => CompileWorkerHandle;

interface Pending {
  resolve: (result: BuildResult) => void;
  onProgress?: (progress: ToolchainProgress) => void;
}

export class Compiler {
  #spawn: SpawnCompileWorker;
  #worker: CompileWorkerHandle | null = null;
  #pending = new Map<number, Pending>();
  #nextId = 1;

  constructor(spawn: SpawnCompileWorker) {
    this.#spawn = spawn;
  }

  build(request: BuildRequest, onProgress?: (progress: ToolchainProgress) => void): Promise<BuildResult> {
    const worker = this.#ensureWorker();
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, { resolve, onProgress });
      worker.post({ type: 'build', id, request });
    });
  }

  dispose(): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.#failAll('the compiler was stopped');
  }

  #ensureWorker(): CompileWorkerHandle {
    if (this.#worker !== null) return this.#worker;
    const worker = this.#spawn();
    worker.onMessage((message) => {
      const pending = this.#pending.get(message.id);
      if (pending === undefined) return;
      if (message.type === 'progress') pending.onProgress?.(message.progress);
      else {
        this.#pending.delete(message.id);
        pending.resolve(message.result);
      }
    });
    worker.onError((error) => {
      // A worker that failed (it could not load, or ran out of memory) is not used again.
      worker.terminate();
      if (this.#worker === worker) this.#worker = null;
      this.#failAll(`the compiler stopped: ${error.message}`);
    });
    this.#worker = worker;
    return worker;
  }

  #failAll(message: string): void {
    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id);
      pending.resolve({ ok: false, kind: 'toolchain', message, diagnostics: [], log: '' });
    }
  }
}
