/**
 * The wrapper around every WASI call, apart from the calls themselves (as browser_wasi_shim keeps
 * its tracing in a wrapper apart from its call table): it charges the call's fuel, asks the call
 * filter whether the call may run, and records the call, its arguments and its errno in the
 * audit trail.
 */
import type { Denial } from '../audit/events.ts';
import { WASI_CALLS, type WasiCall } from './calls.ts';
import { REF_ROW, ROW, ROW_PARAMS, type CallLog } from './call-log.ts';
import { HOST_CALL_FUEL, type Meter } from './cost.ts';
import { MAX_PARAMS, STEP_FD, STEP_IOVS, STEP_PATH, captureSteps } from './describe.ts';
import { E, FILTER_DENIED_ERRNO } from './errno.ts';
import type { Descriptor } from './fds.ts';
import type { GuestMemory } from './guest-memory.ts';

/** Decides whether a WASI call may run at all (the policy's call filter). */
export interface CallGate {
  check(call: string): { allowed: true } | { allowed: false; rule: string; reason: string };
}

/** A preview1 function as the call table implements it: raw parameters in, errno out. */
export type WasiFunction = (...args: never[]) => number;

/** What one call gathers while it runs; the wrapper starts both afresh on every call. */
export interface CallState {
  /** A denial made while the call ran (a read-only mount, a filesystem limit), for its audit entry. */
  denial: Denial | null;
  /** The clock reading the call's file timestamps share, so that a call reads the clock at most once. */
  ns: bigint | null;
}

export interface WrapOptions {
  gate: CallGate | null;
  meter: Meter | null;
  /** Where every call is recorded; null turns auditing off. */
  audit: CallLog | null;
  memory: GuestMemory;
  /** The open descriptors, for what an fd argument names before the call (which may close it). */
  fds: readonly (Descriptor | undefined)[];
  state: CallState;
}

/** The import object: each call of `calls` behind the filter and the audit. */
export function wrapCalls(calls: Record<WasiCall, WasiFunction>, options: WrapOptions): Record<string, (...args: never[]) => unknown> {
  const { gate, meter, audit: log, memory, fds, state } = options;

  // The audited wrappers' common steps, made once so that every wrapper calls the same functions.
  /** The filter's verdict on the call being made (calls do not nest: one call at a time). */
  let gateDenial: Denial | null = null;
  /**
   * Ask the filter, then open call `id`'s audit slot (-1: nothing kept): memory views fresh, the
   * clock read once.
   */
  const enter = (id: number, deny: () => Denial | null): number => {
    gateDenial = deny();
    memory.refresh();
    const slot = log!.open(id);
    state.ns = null;
    // After the slot is open: a call the budget ends is still in the trail (DID_NOT_RETURN).
    if (meter !== null) meter.charge(HOST_CALL_FUEL);
    return slot;
  };
  /** Whether the call may run; a call the filter denies is closed here, without running. */
  const allowed = (slot: number): boolean => {
    if (gateDenial !== null) {
      log!.close(slot, FILTER_DENIED_ERRNO, gateDenial);
      return false;
    }
    state.denial = null;
    return true;
  };
  /** An fd argument at raw position `at`: its number, and its descriptor as it is before the call (which may close it). */
  const keepFd = (slot: number, at: number, fd: number, ref: number): void => {
    log!.rows[slot * ROW + ROW_PARAMS + at] = fd;
    log!.refs[slot * REF_ROW + ref] = fds[fd] ?? null;
  };
  const done = (slot: number, errno: number): number => {
    log!.close(slot, errno, state.denial);
    return errno;
  };

  /**
   * The wrapper of one call, on every call, so kept lean: fixed arity (no rest array, no spread;
   * preview1 calls take at most 9 parameters), and the arguments written straight into the
   * call's row of the audit log.
   */
  function wrap(name: WasiCall, call: (...args: unknown[]) => number) {
    const denyByGate = (): Denial | null => {
      if (gate === null || name === 'proc_exit') return null;
      const verdict = gate.check(name);
      return verdict.allowed ? null : { rule: verdict.rule, reason: verdict.reason };
    };
    if (log === null) {
      return (a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown, f?: unknown, g?: unknown, h?: unknown, i?: unknown): number => {
        if (meter !== null) meter.charge(HOST_CALL_FUEL);
        if (gate !== null && denyByGate() !== null) return FILTER_DENIED_ERRNO;
        memory.refresh();
        state.ns = null;
        return call(a, b, c, d, e, f, g, h, i);
      };
    }
    const id = WASI_CALLS.indexOf(name);
    const { shape, kinds, at } = captureSteps(name);
    // Arguments are captured before the call (a path_open's path, a write's byte count), straight
    // into the slot. Each common shape is its own function, so the engine optimises each for the
    // calls and types it sees. An entry a call never closes (it ended the run: a deadline while
    // sleeping) says so; proc_exit, which ends the run by design, is closed before it runs.
    if (name === 'proc_exit') {
      return (a?: unknown): number => {
        const slot = enter(id, denyByGate);
        if (slot >= 0) log.rows[slot * ROW + ROW_PARAMS] = a as number;
        log.close(slot, E.SUCCESS, null);
        return call(a);
      };
    }
    switch (shape) {
      case 'none':
        return (a?: unknown, b?: unknown): number => {
          const slot = enter(id, denyByGate);
          return allowed(slot) ? done(slot, call(a, b)) : FILTER_DENIED_ERRNO;
        };
      case 'numbers':
        return (a?: unknown, b?: unknown, c?: unknown, d?: unknown): number => {
          const slot = enter(id, denyByGate);
          if (slot >= 0) {
            const nums = log.rows;
            const n = slot * ROW + ROW_PARAMS;
            nums[n] = num(a); nums[n + 1] = num(b); nums[n + 2] = num(c); nums[n + 3] = num(d);
          }
          return allowed(slot) ? done(slot, call(a, b, c, d)) : FILTER_DENIED_ERRNO;
        };
      case 'fd':
        return (a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown, f?: unknown): number => {
          const slot = enter(id, denyByGate);
          if (slot >= 0) {
            const nums = log.rows;
            const n = slot * ROW + ROW_PARAMS;
            keepFd(slot, 0, a as number, 0);
            nums[n + 1] = num(b); nums[n + 2] = num(c); nums[n + 3] = num(d); nums[n + 4] = num(e);
          }
          return allowed(slot) ? done(slot, call(a, b, c, d, e, f)) : FILTER_DENIED_ERRNO;
        };
      case 'io':
        return (a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown): number => {
          const slot = enter(id, denyByGate);
          if (slot >= 0) {
            const nums = log.rows;
            const n = slot * ROW + ROW_PARAMS;
            keepFd(slot, 0, a as number, 0);
            nums[n + 1] = memory.iovecBytes(b as number, c as number);
            nums[n + 3] = num(d);
          }
          return allowed(slot) ? done(slot, call(a, b, c, d, e)) : FILTER_DENIED_ERRNO;
        };
      case 'steps': {
        const raw: unknown[] = new Array<unknown>(MAX_PARAMS).fill(undefined);
        return (a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown, f?: unknown, g?: unknown, h?: unknown, i?: unknown): number => {
          const slot = enter(id, denyByGate);
          if (slot >= 0) {
            raw[0] = a; raw[1] = b; raw[2] = c; raw[3] = d; raw[4] = e; raw[5] = f; raw[6] = g; raw[7] = h; raw[8] = i;
            const nums = log.rows;
            const refs = log.refs;
            const n = slot * ROW + ROW_PARAMS;
            let r = slot * REF_ROW;
            for (let k = 0; k < kinds.length; k++) {
              const p = at[k];
              const x = raw[p];
              switch (kinds[k]) {
                case STEP_FD:
                  keepFd(slot, p, x as number, r++ - slot * REF_ROW);
                  break;
                case STEP_PATH:
                  refs[r++] = memory.pathShown(x as number, raw[p + 1] as number);
                  break;
                case STEP_IOVS:
                  nums[n + p] = memory.iovecBytes(x as number, raw[p + 1] as number);
                  break;
                default:
                  nums[n + p] = num(x);
              }
            }
          }
          return allowed(slot) ? done(slot, call(a, b, c, d, e, f, g, h, i)) : FILTER_DENIED_ERRNO;
        };
      }
    }
  }

  const imports: Record<string, (...args: never[]) => unknown> = {};
  for (const name of WASI_CALLS) {
    const wrapped = wrap(name, calls[name] as (...args: unknown[]) => number);
    // After a call that may have waited (a sleep, a yield), the audit reads the clock again.
    imports[name] = log !== null && (name === 'poll_oneoff' || name === 'sched_yield')
      ? (a?: unknown, b?: unknown, c?: unknown, d?: unknown): number => {
        const errno = wrapped(a, b, c, d);
        log.waited();
        return errno;
      }
      : wrapped;
  }
  return imports;
}

/** A raw parameter as the audit keeps it: i64s arrive as BigInts, and what it shows of them fits a double. */
const num = (x: unknown): number => (typeof x === 'bigint' ? Number(x) : (x as number));
