/**
 * One run, on the host side: kavach's lifecycle and its audit events, the plan, the worker's
 * messages, the wall-clock deadline and the result. The Engine (engine.ts) keeps what outlives a
 * run: the compiled modules and the spare worker.
 */
import type { AuditEvent, LifecycleEventName } from '../audit/events.ts';
import { CredentialError, SecretStore, resolveSecrets } from '../secrets/index.ts';
import { concatBytes } from '../util/bytes.ts';
import type { RunReport, RunRequest, WorkerHandle } from './engine.ts';
import { Lifecycle, SandboxError } from './lifecycle.ts';
import { exitCodeOf, timedOut, type Outcome } from './outcome.ts';
import { planRun } from './plan.ts';
import type { HostMessage, ModuleFacts, RunPlan, WorkerFinal, WorkerMessage } from './protocol.ts';

/** How long compiling (and instrumenting) may take before the run is abandoned. */
const COMPILE_TIMEOUT_MS = 120_000;

/** A compiled module the engine has kept, and what is known about it. */
export interface CompiledModule {
  module: WebAssembly.Module;
  facts: ModuleFacts;
}

/** What the engine gives a session to start it. */
export interface SessionStart {
  worker: WorkerHandle;
  /** The module's SHA-256, possibly still being computed: the result waits for it. */
  sha256: Promise<string>;
  /** The module compiled before for this plan's fuel and memory cap, if any. */
  cached: CompiledModule | undefined;
  /** Called when the worker has compiled the module, for the engine's cache. */
  remember: (compiled: CompiledModule) => void;
  stdinRing: SharedArrayBuffer | null;
  /** Hands over the run's kill switch (RunHandle.stop). */
  registerStop: (stop: () => void) => void;
}

export class RunSession {
  private readonly created = performance.now();
  private readonly events: AuditEvent[] = [];
  private seq = 0;
  /** A deterministic run's audit trail repeats byte for byte: its times are virtual (the worker's clock) and lifecycle events sit at 0. */
  private readonly deterministic: boolean;
  private readonly lifecycle = new Lifecycle();
  private readonly stdout: Uint8Array[] = [];
  private readonly stderr: Uint8Array[] = [];
  private readonly truncated = { stdout: false, stderr: false };
  private facts: ModuleFacts | null = null;
  private settled = false;
  /** The run has ended and its result waits only for the module's hash. */
  private ending = false;
  private startedAt = 0;
  private execStarted = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly request: RunRequest, private readonly filesystemBytes: number) {
    this.deterministic = request.config.deterministic !== null;
    this.lifecycleEvent('created');
  }

  /** The run's plan, with its secrets injected; a refused one ends the run before any worker. */
  plan(): { ok: true; plan: RunPlan } | { ok: false; report: RunReport } {
    const { request } = this;
    const secrets = request.secrets ?? new SecretStore();
    try {
      const injected = resolveSecrets(request.config, secrets);
      const config = { ...request.config, env: [...request.config.env, ...injected.env], stdin: injected.stdin };
      const extraFiles = new Map<string, Uint8Array | null>();
      for (const file of injected.files) extraFiles.set(file.path, file.data);
      return {
        ok: true,
        plan: planRun(config, {
          moduleName: request.moduleName, auditLimit: request.auditLimit, auditCalls: request.auditCalls,
          extraFiles, mountContents: request.mountContents, mountReport: request.mountReport,
          filesystemBytes: this.filesystemBytes, redact: secrets.entries(),
        }),
      };
    } catch (e) {
      const error = e instanceof CredentialError
        ? new SandboxError('CredentialError', e.message)
        : new SandboxError('CreationFailed', `sandbox creation failed: ${(e as Error).message}`);
      return { ok: false, report: { ok: false, error } };
    }
  }

  /** Start the run in the worker given; resolves once, with the result or the error. */
  start(plan: RunPlan, start: SessionStart): Promise<RunReport> {
    const { worker, cached } = start;
    this.facts = cached?.facts ?? null;
    this.lifecycle.transition('running', 'start');
    this.startedAt = performance.now();
    this.lifecycleEvent('started', undefined, this.startedAt);
    return new Promise<RunReport>((resolve) => {
      const finish = (report: RunReport) => {
        if (this.settled) return;
        this.settled = true;
        if (this.timer !== null) clearTimeout(this.timer);
        worker.terminate();
        if (this.lifecycle.canMove('stopped')) this.lifecycle.transition('stopped', 'run ended');
        this.lifecycleEvent('stopped');
        this.lifecycle.transition('destroyed', 'worker released');
        this.lifecycleEvent('destroyed');
        resolve(report);
      };
      // How the run ended is decided here, once; the result is made when the hash is ready.
      const end = (outcome: Outcome, final: WorkerFinal | null) => {
        this.ending = true;
        start.sha256.then(
          (sha256) => finish(this.assemble(plan, sha256, cached !== undefined, outcome, final)),
          (e: unknown) => finish({ ok: false, error: new SandboxError('ExecFailed', `sandbox execution failed: hashing the module: ${(e as Error).message}`) }),
        );
      };
      const kill = (outcome: Outcome) => {
        if (this.settled || this.ending) return;
        worker.terminate();
        end(outcome, null);
      };
      start.registerStop(() => kill({ kind: 'stopped' }));
      worker.onError((error) => {
        if (this.ending) return;
        finish({ ok: false, error: new SandboxError('ExecFailed', `sandbox execution failed: worker: ${error.message}`) });
      });
      worker.onMessage((message) => {
        if (this.settled || this.ending) return;
        const final = this.receive(message, plan, start, kill);
        if (final === null) return;
        if (final.ok === false) finish(final);
        else end(final.final.outcome, final.final);
      });
      this.timer = setTimeout(() => {
        if (!this.ending) finish({ ok: false, error: new SandboxError('ExecFailed', `sandbox execution failed: WASM load: compiling took longer than ${COMPILE_TIMEOUT_MS / 1000} s`) });
      }, COMPILE_TIMEOUT_MS);
      const message: HostMessage = cached
        ? { type: 'start', module: cached.module, facts: cached.facts, bytes: null, plan, stdinRing: start.stdinRing }
        : { type: 'start', module: null, facts: null, bytes: this.request.module, plan, stdinRing: start.stdinRing };
      worker.post(message, this.request.transfer ? transferables(message) : undefined);
    });
  }

  /** One message from the worker; what ends the run is returned, everything else is kept. */
  private receive(message: WorkerMessage, plan: RunPlan, start: SessionStart, kill: (outcome: Outcome) => void):
    { ok: true; final: WorkerFinal } | { ok: false; error: SandboxError } | null {
    switch (message.type) {
      case 'compiled':
        this.facts = message.facts;
        start.remember({ module: message.module, facts: message.facts });
        return null;
      case 'running':
        this.armDeadline(message.at, plan, kill);
        return null;
      case 'truncated':
        this.truncated[message.stream] = true;
        return null;
      case 'output':
        (message.stream === 'stdout' ? this.stdout : this.stderr).push(message.chunk);
        this.request.onOutput?.(message.stream, message.chunk);
        return null;
      case 'audit': {
        const offset = this.deterministic ? 0 : this.execStarted - this.created;
        const shifted = message.events.map((e): AuditEvent => (e.kind === 'call' && e.timeUntil !== undefined
          ? { ...e, seq: this.seq++, time: e.time + offset, timeUntil: e.timeUntil + offset }
          : { ...e, seq: this.seq++, time: e.time + offset }));
        this.events.push(...shifted);
        this.request.onAudit?.(shifted);
        return null;
      }
      case 'done':
        return { ok: true, final: message.final };
      case 'failed':
        return { ok: false, error: new SandboxError(message.error.kind, message.error.message) };
    }
  }

  private armDeadline(workerStarted: number, plan: RunPlan, kill: (outcome: Outcome) => void): void {
    // When the guest started, on this thread's clock: the worker's call times count from then, so
    // the trail keeps the order things happened in however late this message came. (Clamped
    // between the 'started' event and now, should the two clocks disagree.)
    this.execStarted = Math.min(performance.now(), Math.max(this.startedAt, workerStarted - performance.timeOrigin));
    this.lifecycleEvent('exec_begin', undefined, this.execStarted);
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = plan.timeoutMs > 0 ? setTimeout(() => kill({ kind: 'timeout', afterMs: plan.timeoutMs }), plan.timeoutMs) : null;
  }

  private lifecycleEvent(event: LifecycleEventName, detail?: string, at = performance.now()): void {
    const time = this.deterministic ? 0 : at - this.created;
    const e: AuditEvent = { seq: this.seq++, time, kind: 'lifecycle', event, ...(detail ? { detail } : {}) };
    this.events.push(e);
    this.request.onAudit?.([e]);
  }

  private assemble(plan: RunPlan, sha256: string, cached: boolean, outcome: Outcome, final: WorkerFinal | null): RunReport {
    this.lifecycleEvent('exec_complete', outcome.kind === 'exit' ? `exit ${outcome.code}` : outcome.kind);
    if (outcome.kind === 'fuel_exhausted') {
      // kavach's message, so tools reading stderr see the same thing.
      this.stderr.push(new TextEncoder().encode(`WASM fuel exhausted: all ${outcome.budget} units of fuel used\n`));
    }
    const stdoutBytes = concatBytes(this.stdout);
    const stderrBytes = concatBytes(this.stderr);
    const decoder = new TextDecoder();
    return {
      ok: true,
      result: {
        exit_code: exitCodeOf(outcome),
        stdout: decoder.decode(stdoutBytes),
        stderr: decoder.decode(stderrBytes),
        duration_ms: final?.durationMs ?? performance.now() - this.execStarted,
        timed_out: timedOut(outcome),
        outcome,
        stdoutBytes,
        stderrBytes,
        truncated: this.truncated,
        fuel: { budget: plan.fuel, consumed: final?.fuelConsumed ?? null },
        memory: { peakBytes: final?.peakMemoryBytes ?? null, limitBytes: plan.memoryLimitPages === null ? null : plan.memoryLimitPages * 65536 },
        mounts: final?.mounts ?? null,
        audit: { events: this.events, dropped: final?.auditDropped ?? 0 },
        gate: final?.gate ?? null,
        module: { sha256, cached, facts: this.facts },
      },
    };
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
