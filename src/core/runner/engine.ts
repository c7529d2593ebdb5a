/**
 * The engine: runs modules, one fresh worker per run. It keeps what outlives a run, the compiled
 * modules and a spare worker; each run's own host side (lifecycle, messages, the wall-clock kill,
 * the result as kavach's ExecResult plus ours) is a RunSession (session.ts).
 */
import type { AuditEvent } from '../audit/events.ts';
import { DEFAULT_FILESYSTEM_BYTES } from '../policy/derive.ts';
import { parseDocument } from '../policy/load.ts';
import type { SandboxConfig } from '../policy/schema.ts';
import type { SecretStore } from '../secrets/index.ts';
import { sha256Hex } from '../util/hash.ts';
import type { MountEntry, MountReport } from '../wasi/tree.ts';
import { StdinWriter, createStdinRing, liveStdinAvailable } from './live-stdin.ts';
import type { SandboxError } from './lifecycle.ts';
import type { Outcome } from './outcome.ts';
import { planRun } from './plan.ts';
import type { HostMessage, ModuleFacts, RunPlan, WarmMessage, WorkerMessage } from './protocol.ts';
import { RunSession, type CompiledModule } from './session.ts';
import type { GateReport } from './stream-gate.ts';

/** A worker as the engine sees it, whatever the platform. */
export interface WorkerHandle {
  post(message: HostMessage | WarmMessage, transfer?: Transferable[]): void;
  onMessage(listener: (message: WorkerMessage) => void): void;
  onError(listener: (error: Error) => void): void;
  terminate(): void;
}
export type SpawnWorker = () => WorkerHandle;

export interface RunRequest {
  module: Uint8Array;
  /** argv[0], e.g. "hello.wasm". */
  moduleName: string;
  config: SandboxConfig;
  /**
   * Contents for particular mounts, by the mount's guest path, relative to it (the CLI copies
   * host directories in this way; see PlanOptions.mountContents).
   */
  mountContents?: Map<string, MountEntry[]>;
  /**
   * 'changes': read-write mounts come back with bytes only for files the run changed; a file
   * still holding what it was copied in with carries its `origin` instead (what write-back
   * needs). Default 'full'.
   */
  mountReport?: MountReport;
  /**
   * Secret values for the config's SecretRefs (the credential proxy). Every registered value is
   * redacted from output, audit entries and files leaving the run.
   */
  secrets?: SecretStore;
  onOutput?: (stream: 'stdout' | 'stderr', chunk: Uint8Array) => void;
  onAudit?: (events: AuditEvent[]) => void;
  /** Most audit entries kept; the rest are counted as dropped. */
  auditLimit?: number;
  /** Record every WASI call (on by default). */
  auditCalls?: boolean;
  /**
   * Let the page type into stdin while the module runs (after the policy's stdin text). Needs a
   * SharedArrayBuffer, i.e. a cross-origin-isolated page; RunHandle.stdin is null without one.
   */
  liveStdin?: boolean;
  /**
   * Hand the module's bytes and the mounts' initial contents to the worker instead of copying
   * them (the caller's arrays are detached): a one-shot run (the CLI) holds each only once. The
   * page keeps its module for the next run and leaves this off.
   */
  transfer?: boolean;
}

/** kavach's ExecResult, plus what the playground adds. */
export interface RunResult {
  exit_code: number;
  stdout: string;
  stderr: string;
  duration_ms: number;
  timed_out: boolean;
  outcome: Outcome;
  stdoutBytes: Uint8Array;
  stderrBytes: Uint8Array;
  truncated: { stdout: boolean; stderr: boolean };
  fuel: { budget: bigint | null; consumed: bigint | null };
  memory: { peakBytes: number | null; limitBytes: number | null };
  /** Read-write mounts after the run; null when the worker was killed before it could report. */
  mounts: { path: string; entries: MountEntry[] }[] | null;
  audit: { events: AuditEvent[]; dropped: number };
  /** The output gate's verdict on what the run released; null when the worker was killed first. */
  gate: GateReport | null;
  module: { sha256: string; cached: boolean; facts: ModuleFacts | null };
}

export type RunReport = { ok: true; result: RunResult } | { ok: false; error: SandboxError };

export interface RunHandle {
  result: Promise<RunReport>;
  /** Live stdin, when asked for and available. */
  stdin: StdinWriter | null;
  /** Kill the run now; the result says "stopped". */
  stop(): void;
}

export interface EngineOptions {
  /** Compiled modules kept (least recently used go first). */
  cacheSize?: number;
  /**
   * Keep one booted worker ready, so a run does not wait for a worker to start: true for the page
   * and repeated runs; 'once' boots one now for the first run only (a one-shot CLI run, which
   * reads its module and host directories while the worker starts).
   */
  prewarm?: boolean | 'once';
  /**
   * The filesystem budget in bytes for runs whose policy sets neither one nor a memory cap
   * (default: the page's, 256 MiB; the CLI gives 1 GiB).
   */
  filesystemBytes?: number;
}

export class Engine {
  private readonly cache = new Map<string, CompiledModule>();
  private readonly cacheSize: number;
  private readonly prewarm: boolean | 'once';
  private readonly filesystemBytes: number;
  private spare: WorkerHandle | null = null;
  private disposed = false;
  private warmPlan: RunPlan | undefined;
  constructor(private readonly spawn: SpawnWorker, options: EngineOptions = {}) {
    this.cacheSize = options.cacheSize ?? 16;
    this.prewarm = options.prewarm ?? false;
    this.filesystemBytes = options.filesystemBytes ?? DEFAULT_FILESYSTEM_BYTES.page;
    // A one-shot run ('once', the CLI) starts at once: its worker has no idle time to warm up in.
    if (this.prewarm) this.spare = this.prewarm === true ? this.spawnWarm() : this.spawn();
  }

  /**
   * A worker that warms up on a module of ours while it waits (warm.ts): its guest's run then
   * starts on compiled engine code. Under a default policy's plan, made once.
   */
  private spawnWarm(): WorkerHandle {
    const worker = this.spawn();
    this.warmPlan ??= planRun(parseDocument({}), { moduleName: 'warm.wasm', filesystemBytes: this.filesystemBytes });
    worker.post({ type: 'warm', plan: this.warmPlan });
    return worker;
  }

  /** Release the spare worker. */
  dispose(): void {
    this.disposed = true;
    this.spare?.terminate();
    this.spare = null;
  }

  private takeWorker(): WorkerHandle {
    const worker = this.spare ?? this.spawn();
    this.spare = null;
    return worker;
  }

  /**
   * Boot the next run's worker once this run has ended (not when it starts: a booting worker
   * would compete with the run for the CPU and for this thread, which creates it). A worker never
   * serves two runs: the kill at the deadline is always a fresh worker's.
   */
  private replenish(): void {
    if (this.prewarm === true && this.spare === null && !this.disposed) this.spare = this.spawnWarm();
  }

  run(request: RunRequest): RunHandle {
    let stopRequested = false;
    let stopNow: (() => void) | null = null;
    const ring = request.liveStdin && liveStdinAvailable() ? createStdinRing() : null;
    const result = this.execute(request, ring, (stop) => {
      stopNow = stop;
      if (stopRequested) stop();
    });
    return {
      result,
      stdin: ring === null ? null : new StdinWriter(ring),
      stop: () => {
        stopRequested = true;
        stopNow?.();
      },
    };
  }

  /** kavach's health check: can this platform compile the trivial `_start` module? */
  static async healthCheck(): Promise<boolean> {
    try {
      await WebAssembly.compile(TRIVIAL_START_MODULE);
      return true;
    } catch {
      return false;
    }
  }

  private async execute(request: RunRequest, stdinRing: SharedArrayBuffer | null, registerStop: (stop: () => void) => void): Promise<RunReport> {
    const session = new RunSession(request, this.filesystemBytes);
    const planned = session.plan();
    if (!planned.ok) return planned.report;
    const { plan } = planned;
    // The digest takes its own copy of the bytes when it is called (WebCrypto), so the module may
    // be handed over to the worker while the hash is computed.
    const hashing = sha256Hex(request.module);
    const keyOf = (sha256: string) => `${sha256}:${plan.fuel ?? 'none'}:${plan.memoryLimitPages ?? 'none'}`;
    // An empty cache has nothing to find: the run starts at once and the hash is done beside it
    // (about 45 ms for a 30 MB module, which the worker spends instrumenting). Otherwise the hash
    // is the key to the module compiled before.
    const cached = this.cache.size === 0 ? undefined : this.cache.get(keyOf(await hashing));
    const report = await session.start(plan, {
      worker: this.takeWorker(), sha256: hashing, cached, stdinRing, registerStop,
      remember: (compiled) => void hashing.then((sha256) => this.remember(keyOf(sha256), compiled)),
    });
    // After the caller has its result (its callbacks run on a later microtask).
    setTimeout(() => this.replenish(), 0);
    return report;
  }

  private remember(key: string, entry: CompiledModule): void {
    this.cache.delete(key);
    this.cache.set(key, entry);
    while (this.cache.size > this.cacheSize) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
    }
  }
}

/** `(module (func (export "_start")))` */
export const TRIVIAL_START_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: () -> ()
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x07, 0x0a, 0x01, 0x06, 0x5f, 0x73, 0x74, 0x61, 0x72, 0x74, 0x00, 0x00, // export "_start" func 0
  0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b, // code section: empty body
]);
