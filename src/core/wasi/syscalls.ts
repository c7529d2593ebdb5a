/**
 * The wasi_snapshot_preview1 import object, assembled from three parts: guest memory
 * (guest-memory.ts), the table of the 46 calls (call-table.ts) and the wrapper that charges,
 * filters and audits every call (wrap.ts). Of the shim only its WASI class is kept, to start the
 * instance.
 */
import { WASI } from '@bjorn3/browser_wasi_shim';
import type { CallLog } from './call-log.ts';
import { createCallTable } from './call-table.ts';
import { describeLimit, limitErrno, type FsBudget } from './budget.ts';
import type { Meter } from './cost.ts';
import { READ_ONLY_ERRNO } from './errno.ts';
import { Descriptor, DirFd, OutputFd, StdinFd, type FsContext, type StdinSource } from './fds.ts';
import type { MountInfo } from './fs.ts';
import { GuestMemory } from './guest-memory.ts';
import type { Clocks } from './poll.ts';
import { wrapCalls, type CallGate, type CallState } from './wrap.ts';

export type { Clocks } from './poll.ts';
export type { CallGate } from './wrap.ts';
export { MAX_OPEN_FDS } from './call-table.ts';

export interface SyscallOptions {
  args: string[];
  env: [string, string][];
  stdin: StdinSource;
  stdout: (bytes: Uint8Array) => void;
  stderr: (bytes: Uint8Array) => void;
  /** Preopened directories in fd order (fd 3 upwards). */
  preopens: { guestPath: string; fd: (ctx: FsContext) => DirFd }[];
  /** What the mounts may hold; shared by every mount of the run. */
  budget: FsBudget;
  clocks: Clocks;
  random: (into: Uint8Array) => void;
  /** Blocks the worker for up to `ns` nanoseconds (never past the run's deadline). */
  sleep: (ns: bigint) => void;
  gate: CallGate | null;
  /** Where host work is charged to the run's fuel (see cost.ts); null without metering. */
  meter: Meter | null;
  /**
   * proc_exit: ends the run for good. It must not return, and should not throw either (a module
   * built with exception handling can catch a JavaScript exception). Default: throw WASIProcExit.
   */
  exit?: (code: number) => never;
  /** Where every call is recorded (see CallLog); null turns auditing off (benchmarks measure its cost). */
  audit: CallLog | null;
}

export interface Syscalls {
  wasi: WASI;
  imports: Record<string, (...args: never[]) => unknown>;
}

const encoder = new TextEncoder();

export function createSyscalls(options: SyscallOptions): Syscalls {
  const state: CallState = { denial: null, ns: null };
  // A call's file timestamps read the clock at most once, and an audited call's own reading
  // serves when the clocks allow (Clocks.realtimeAt).
  const realtimeAt = options.clocks.realtimeAt ?? null;
  const log = options.audit;
  const ctx: FsContext = {
    now: () => (state.ns ??= realtimeAt !== null && log !== null && !Number.isNaN(log.lastTime) ? realtimeAt(log.lastTime) : options.clocks.realtime()),
    denyReadOnly(op: string, guestPath: string, mount: MountInfo): number {
      state.denial = {
        rule: mount.rule >= 0 ? `landlock_rules[${mount.rule}]` : 'read_only_rootfs',
        reason: `${op} ${guestPath} denied: mount ${mount.path} is read-only (${mount.readOnlyReason ?? 'read-only'})`,
      };
      return READ_ONLY_ERRNO;
    },
    budget: options.budget,
    denyLimit(op: string, guestPath: string, limit): number {
      state.denial = {
        rule: `filesystem.${limit}`,
        reason: `${op} ${guestPath} denied: ${describeLimit(options.budget, limit)}`,
      };
      return limitErrno(limit);
    },
  };
  const fds: (Descriptor | undefined)[] = [
    new StdinFd(options.stdin),
    new OutputFd(options.stdout),
    new OutputFd(options.stderr),
    ...options.preopens.map((p) => p.fd(ctx)),
  ];
  const shim = new WASI([...options.args], options.env.map(([k, v]) => `${k}=${v}`), fds as Descriptor[], { debug: false });
  const table = shim.fds as (Descriptor | undefined)[];
  const memory = new GuestMemory(() => shim.inst.exports.memory, options.meter);
  const calls = createCallTable({
    memory,
    fds: table,
    args: options.args.map((a) => encoder.encode(a)),
    env: options.env.map(([k, v]) => encoder.encode(`${k}=${v}`)),
    clocks: options.clocks,
    random: options.random,
    sleep: options.sleep,
    meter: options.meter,
    exit: options.exit,
  });
  const imports = wrapCalls(calls, { gate: options.gate, meter: options.meter, audit: log, memory, fds: table, state });
  return { wasi: shim, imports };
}
