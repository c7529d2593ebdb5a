/**
 * The host side of a run: one worker per run, a cache of compiled modules, the wall-clock kill,
 * kavach's lifecycle with its audit events, and the result as kavach's ExecResult plus ours.
 */
import type { AuditEvent, LifecycleEventName } from '../audit/events.ts';
import type { SandboxConfig } from '../policy/schema.ts';
import { CredentialError, SecretStore, resolveSecrets } from '../secrets/index.ts';
import { concatBytes } from '../util/bytes.ts';
import { sha256Hex } from './hash.ts';
import { StdinWriter, createStdinRing, liveStdinAvailable } from './live-stdin.ts';
import { Lifecycle, SandboxError } from './lifecycle.ts';
import { exitCodeOf, timedOut, type Outcome } from './outcome.ts';
import { planRun } from './plan.ts';
import type { HostMessage, ModuleFacts, WorkerFinal, WorkerMessage } from './protocol.ts';
import type { GateReport } from './stream-gate.ts';
import type { MountEntry, MountReport } from '../wasi/tree.ts';
import { DEFAULT_FILESYSTEM_BYTES } from '../policy/derive.ts';

/** A worker as the engine sees it, whatever the platform. */
export interface WorkerHandle {
  post(message: HostMessage, transfer?: Transferable[]): void;
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

interface CacheEntry {
  module: WebAssembly.Module;
  facts: ModuleFacts;
}

/** How long compiling (and instrumenting) may take before the run is abandoned. */
const COMPILE_TIMEOUT_MS = 120_000;

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
  private readonly cache = new Map<string, CacheEntry>();
  private readonly cacheSize: number;
  private readonly prewarm: boolean | 'once';
  private readonly filesystemBytes: number;
  private spare: WorkerHandle | null = null;
  private disposed = false;
  constructor(private readonly spawn: SpawnWorker, options: EngineOptions = {}) {
    this.cacheSize = options.cacheSize ?? 16;
    this.prewarm = options.prewarm ?? false;
    this.filesystemBytes = options.filesystemBytes ?? DEFAULT_FILESYSTEM_BYTES.page;
    if (this.prewarm) this.spare = spawn();
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
    if (this.prewarm === true && this.spare === null && !this.disposed) this.spare = this.spawn();
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

  /** Compiled modules currently cached. */
  get cachedModules(): number {
    return this.cache.size;
  }

  private async execute(request: RunRequest, stdinRing: SharedArrayBuffer | null, registerStop: (stop: () => void) => void): Promise<RunReport> {
    const created = performance.now();
    const events: AuditEvent[] = [];
    let seq = 0;
    // A deterministic run's audit trail must repeat byte for byte: its times are virtual (the
    // worker's clock) and lifecycle events sit at 0.
    const deterministic = request.config.deterministic !== null;
    const lifecycleEvent = (event: LifecycleEventName, detail?: string, at = performance.now()) => {
      const time = deterministic ? 0 : at - created;
      const e: AuditEvent = { seq: seq++, time, kind: 'lifecycle', event, ...(detail ? { detail } : {}) };
      events.push(e);
      request.onAudit?.([e]);
    };
    const lifecycle = new Lifecycle();
    lifecycleEvent('created');

    const secrets = request.secrets ?? new SecretStore();
    let plan;
    try {
      const injected = resolveSecrets(request.config, secrets);
      const config = { ...request.config, env: [...request.config.env, ...injected.env], stdin: injected.stdin };
      const extraFiles = new Map<string, Uint8Array | null>();
      for (const file of injected.files) extraFiles.set(file.path, file.data);
      plan = planRun(config, {
        moduleName: request.moduleName, auditLimit: request.auditLimit, auditCalls: request.auditCalls,
        extraFiles, mountContents: request.mountContents, mountReport: request.mountReport,
        filesystemBytes: this.filesystemBytes, redact: secrets.entries(),
      });
    } catch (e) {
      if (e instanceof CredentialError) return { ok: false, error: new SandboxError('CredentialError', e.message) };
      return { ok: false, error: new SandboxError('CreationFailed', `sandbox creation failed: ${(e as Error).message}`) };
    }
    const sha256 = await sha256Hex(request.module);
    const key = `${sha256}:${plan.fuel ?? 'none'}:${plan.memoryLimitPages ?? 'none'}`;
    const cached = this.cache.get(key);

    lifecycle.transition('running', 'start');
    const startedAt = performance.now();
    lifecycleEvent('started', undefined, startedAt);
    const worker = this.takeWorker();
    const stdout: Uint8Array[] = [];
    const stderr: Uint8Array[] = [];
    let facts = cached?.facts ?? null;
    const truncated = { stdout: false, stderr: false };

    return new Promise<RunReport>((resolve) => {
      let settled = false;
      let execStarted = 0;
      let timer: ReturnType<typeof setTimeout> | null = null;
      const finish = (report: RunReport) => {
        if (settled) return;
        settled = true;
        if (timer !== null) clearTimeout(timer);
        worker.terminate();
        if (lifecycle.canMove('stopped')) lifecycle.transition('stopped', 'run ended');
        lifecycleEvent('stopped');
        lifecycle.transition('destroyed', 'worker released');
        lifecycleEvent('destroyed');
        resolve(report);
        // After the caller has its result (resolve runs its callbacks on a later microtask).
        setTimeout(() => this.replenish(), 0);
      };
      const assemble = (outcome: Outcome, final: WorkerFinal | null): RunReport => {
        lifecycleEvent('exec_complete', outcome.kind === 'exit' ? `exit ${outcome.code}` : outcome.kind);
        if (outcome.kind === 'fuel_exhausted') {
          // kavach's message, so tools reading stderr see the same thing.
          stderr.push(new TextEncoder().encode(`WASM fuel exhausted: all ${outcome.budget} units of fuel used\n`));
        }
        const stdoutBytes = concatBytes(stdout);
        const stderrBytes = concatBytes(stderr);
        const decoder = new TextDecoder();
        return {
          ok: true,
          result: {
            exit_code: exitCodeOf(outcome),
            stdout: decoder.decode(stdoutBytes),
            stderr: decoder.decode(stderrBytes),
            duration_ms: final?.durationMs ?? performance.now() - execStarted,
            timed_out: timedOut(outcome),
            outcome,
            stdoutBytes,
            stderrBytes,
            truncated,
            fuel: { budget: plan.fuel, consumed: final?.fuelConsumed ?? null },
            memory: { peakBytes: final?.peakMemoryBytes ?? null, limitBytes: plan.memoryLimitPages === null ? null : plan.memoryLimitPages * 65536 },
            mounts: final?.mounts ?? null,
            audit: { events, dropped: final?.auditDropped ?? 0 },
            gate: final?.gate ?? null,
            module: { sha256, cached: cached !== undefined, facts },
          },
        };
      };
      const kill = (outcome: Outcome) => {
        if (settled) return;
        worker.terminate();
        finish(assemble(outcome, null));
      };
      registerStop(() => kill({ kind: 'stopped' }));
      const armDeadline = (workerStarted: number) => {
        // When the guest started, on this thread's clock: the worker's call times count from
        // then, so the trail keeps the order things happened in however late this message came.
        // (Clamped between the 'started' event and now, should the two clocks disagree.)
        execStarted = Math.min(performance.now(), Math.max(startedAt, workerStarted - performance.timeOrigin));
        lifecycleEvent('exec_begin', undefined, execStarted);
        if (timer !== null) clearTimeout(timer);
        if (plan.timeoutMs > 0) timer = setTimeout(() => kill({ kind: 'timeout', afterMs: plan.timeoutMs }), plan.timeoutMs);
      };
      worker.onError((error) => finish({ ok: false, error: new SandboxError('ExecFailed', `sandbox execution failed: worker: ${error.message}`) }));
      worker.onMessage((message) => {
        if (settled) return;
        switch (message.type) {
          case 'compiled':
            facts = message.facts;
            this.remember(key, { module: message.module, facts: message.facts });
            break;
          case 'running':
            armDeadline(message.at);
            break;
          case 'truncated':
            truncated[message.stream] = true;
            break;
          case 'output':
            (message.stream === 'stdout' ? stdout : stderr).push(message.chunk);
            request.onOutput?.(message.stream, message.chunk);
            break;
          case 'audit': {
            const offset = deterministic ? 0 : execStarted - created;
            const shifted = message.events.map((e): AuditEvent => (e.kind === 'call' && e.timeUntil !== undefined
              ? { ...e, seq: seq++, time: e.time + offset, timeUntil: e.timeUntil + offset }
              : { ...e, seq: seq++, time: e.time + offset }));
            events.push(...shifted);
            request.onAudit?.(shifted);
            break;
          }
          case 'done':
            finish(assemble(message.final.outcome, message.final));
            break;
          case 'failed':
            finish({ ok: false, error: new SandboxError(message.error.kind, message.error.message) });
            break;
        }
      });
      timer = setTimeout(() => finish({ ok: false, error: new SandboxError('ExecFailed', `sandbox execution failed: WASM load: compiling took longer than ${COMPILE_TIMEOUT_MS / 1000} s`) }), COMPILE_TIMEOUT_MS);
      const message: HostMessage = cached
        ? { type: 'start', module: cached.module, facts: cached.facts, bytes: null, plan, stdinRing }
        : { type: 'start', module: null, facts: null, bytes: request.module, plan, stdinRing };
      worker.post(message, request.transfer ? transferables(message) : undefined);
    });
  }

  private remember(key: string, entry: CacheEntry): void {
    this.cache.delete(key);
    this.cache.set(key, entry);
    while (this.cache.size > this.cacheSize) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
    }
  }
}

/** The distinct buffers a start message can hand over: the module's bytes and the mounts' contents. */
function transferables(message: HostMessage): Transferable[] {
  const buffers = new Set<ArrayBuffer>();
  const add = (bytes: Uint8Array | null) => {
    if (bytes !== null && bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) buffers.add(bytes.buffer);
  };
  add(message.bytes);
  for (const m of message.plan.mounts) for (const e of m.entries) add(e.data);
  return [...buffers];
}

/** `(module (func (export "_start")))` */
export const TRIVIAL_START_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: () -> ()
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x07, 0x0a, 0x01, 0x06, 0x5f, 0x73, 0x74, 0x61, 0x72, 0x74, 0x00, 0x00, // export "_start" func 0
  0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b, // code section: empty body
]);
