/**
 * The typed messages between a run's host (page or CLI) and its worker. Everything in a message
 * is structured-cloneable; a compiled WebAssembly.Module travels as is.
 */
import type { AuditEvent } from '../audit/events.ts';
import type { ExternalizationPolicy, SandboxPolicy } from '../policy/schema.ts';
import type { GateReport } from './stream-gate.ts';
import type { MountInfo } from '../wasi/fs.ts';
import type { MountEntry, MountReport } from '../wasi/tree.ts';
import type { FsLimits } from '../wasi/budget.ts';
import type { Outcome } from './outcome.ts';
import type { MemoryFacts } from './prepare.ts';
import type { DeterminismPlan } from './determinism.ts';
import type { WorkerErrorKind } from './lifecycle.ts';

export interface MountPlan {
  info: MountInfo;
  entries: MountEntry[];
}

/** Everything a worker needs to run one module: plain data, already validated. */
export interface RunPlan {
  /** argv, argv[0] being the module's name. */
  args: string[];
  env: [string, string][];
  stdin: Uint8Array;
  mounts: MountPlan[];
  maxOutputBytes: number;
  /** Wall-clock budget in ms; 0 = none. The host kills the worker at the deadline regardless. */
  timeoutMs: number;
  fuel: bigint | null;
  memoryLimitPages: number | null;
  /** What the in-memory filesystem may hold, all mounts together. */
  filesystem: FsLimits;
  /** Whether read-write mounts come back whole or as changes (files untouched carry their origin). */
  mountReport: MountReport;
  /** The policy, for the WASI call filter compiled inside the worker. */
  policy: SandboxPolicy;
  /** The output gate's settings; null = no gate (kavach's meaning of externalization: null). */
  externalization: ExternalizationPolicy | null;
  /** Registered secret values to redact from everything that leaves the worker. */
  redact: [name: string, value: string][];
  /** Virtual clock and seeded randomness, or null for the real ones. */
  deterministic: DeterminismPlan | null;
  /** Most audit entries a run keeps (the rest are counted as dropped). */
  auditLimit: number;
  /** Record every WASI call (lifecycle events are recorded by the host regardless). */
  auditCalls: boolean;
}

/** Sent to a spare worker before its run: warm the engine's code up on a module of ours (warm.ts). */
export interface WarmMessage {
  type: 'warm';
  plan: RunPlan;
}

export type HostMessage = {
  type: 'start';
  /** A cached compiled module for exactly these bytes, fuel and cap; else the worker compiles `bytes`. */
  module: WebAssembly.Module | null;
  /** What the host learnt when the cached module was compiled (null with `bytes`). */
  facts: ModuleFacts | null;
  bytes: Uint8Array | null;
  plan: RunPlan;
  /** Ring buffer of live stdin (cross-origin-isolated pages only), read after the plan's stdin. */
  stdinRing: SharedArrayBuffer | null;
};

export interface ModuleFacts {
  imports: { module: string; name: string; kind: string }[];
  exports: { name: string; kind: string }[];
  /** Bytes and time of instrumentation. */
  instrumented: { inputBytes: number; outputBytes: number; millis: number };
  /** Memory 0 as declared and as capped, null when the module has none. */
  memory: MemoryFacts | null;
  /** The module's start function, moved to this export (instrument's deferStart), or null. */
  startExport: string | null;
}

export interface WorkerFinal {
  outcome: Outcome;
  durationMs: number;
  fuelConsumed: bigint | null;
  peakMemoryBytes: number;
  memoryLimitBytes: number | null;
  /** Contents of read-write mounts after the run, redacted. */
  mounts: { path: string; entries: MountEntry[] }[];
  auditDropped: number;
  gate: GateReport;
}

export type WorkerMessage =
  | { type: 'compiled'; module: WebAssembly.Module; facts: ModuleFacts }
  /** Compiled and checked; the guest starts now (the host's deadline counts from here). */
  | { type: 'running'; at: number }
  | { type: 'output'; stream: 'stdout' | 'stderr'; chunk: Uint8Array }
  /** The output cap was reached on this stream: what follows is cut. */
  | { type: 'truncated'; stream: 'stdout' | 'stderr' }
  | { type: 'audit'; events: AuditEvent[] }
  | { type: 'done'; final: WorkerFinal }
  | { type: 'failed'; error: { kind: WorkerErrorKind; message: string } };

