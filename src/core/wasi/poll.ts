/**
 * poll_oneoff: any mix of clock and fd subscriptions. In-memory files and stdio never block, so
 * fd subscriptions are answered at once; clocks (relative or absolute, any of the four) fire when
 * due, and when nothing else is ready the call sleeps until the earliest one, never past the
 * run's deadline (the sleep function enforces it).
 */
import { wasi } from '@bjorn3/browser_wasi_shim';
import { E } from './errno.ts';
import type { Descriptor } from './fds.ts';

export interface Clocks {
  /** Nanoseconds since the Unix epoch. */
  realtime(): bigint;
  /** Nanoseconds from an arbitrary origin, never decreasing. */
  monotonic(): bigint;
  /** CPU time the guest has used, in nanoseconds. */
  cputime(): bigint;
  /** Resolution reported by clock_res_get, in nanoseconds. */
  resolution: bigint;
  /**
   * The realtime clock at a moment the run's own clock (milliseconds since it started, as the
   * audit trail records) read: an audited call reads the clock once and its file timestamps use
   * that reading. Absent where the two clocks are not one (a virtual clock steps on every read).
   */
  realtimeAt?: (elapsedMs: number) => bigint;
}

export interface PollWorld {
  clocks: Clocks;
  /** Blocks for up to `ns` nanoseconds (never past the run's deadline). */
  sleep: (ns: bigint) => void;
  table: readonly (Descriptor | undefined)[];
}

const SUBSCRIPTION_SIZE = 48;
const EVENT_SIZE = 32;

interface Event {
  userdata: bigint;
  error: number;
  type: number;
  nbytes: bigint;
  flags: number;
}

/** The monotonic time at which a clock subscription fires, or an errno for a bad one. */
function dueTime(clocks: Clocks, id: number, timeout: bigint, flags: number, now: bigint): bigint | number {
  if ((flags & ~wasi.SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME) !== 0) return E.INVAL;
  const absolute = (flags & wasi.SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME) !== 0;
  if (!absolute) return now + timeout;
  switch (id) {
    case wasi.CLOCKID_MONOTONIC: return timeout;
    case wasi.CLOCKID_REALTIME: return now + (timeout - clocks.realtime());
    case wasi.CLOCKID_PROCESS_CPUTIME_ID:
    case wasi.CLOCKID_THREAD_CPUTIME_ID:
      // The guest is all this worker runs, so its CPU time advances with the monotonic clock.
      return now + (timeout - clocks.cputime());
    default: return E.INVAL;
  }
}

export function pollOneoff(world: PollWorld, view: DataView, inPtr: number, outPtr: number, nsubs: number, neventsPtr: number): number {
  if (nsubs === 0) return E.INVAL;
  if (inPtr + nsubs * SUBSCRIPTION_SIZE > view.byteLength || outPtr + nsubs * EVENT_SIZE > view.byteLength) return E.FAULT;
  const { clocks } = world;
  const now = clocks.monotonic();
  const events: Event[] = [];
  const timers: { userdata: bigint; due: bigint }[] = [];
  for (let i = 0; i < nsubs; i++) {
    const p = inPtr + i * SUBSCRIPTION_SIZE;
    const userdata = view.getBigUint64(p, true);
    const type = view.getUint8(p + 8);
    if (type === wasi.EVENTTYPE_CLOCK) {
      const id = view.getUint32(p + 16, true);
      const due = id > wasi.CLOCKID_THREAD_CPUTIME_ID ? E.INVAL
        : dueTime(clocks, id, view.getBigUint64(p + 24, true), view.getUint16(p + 40, true), now);
      if (typeof due === 'number') events.push({ userdata, error: due, type, nbytes: 0n, flags: 0 });
      else timers.push({ userdata, due });
    } else if (type === wasi.EVENTTYPE_FD_READ || type === wasi.EVENTTYPE_FD_WRITE) {
      const fd = world.table[view.getUint32(p + 16, true)];
      const r = fd === undefined ? { ret: E.BADF, nbytes: 0n, hangup: false }
        : type === wasi.EVENTTYPE_FD_READ ? fd.pollRead() : fd.pollWrite();
      const ok = r.ret === E.SUCCESS;
      events.push({ userdata, error: r.ret, type, nbytes: ok ? r.nbytes : 0n, flags: ok && r.hangup ? wasi.EVENTRWFLAGS_FD_READWRITE_HANGUP : 0 });
    } else {
      return E.INVAL;
    }
  }
  let after = now;
  if (events.length === 0 && timers.length > 0) {
    const earliest = timers.reduce((a, b) => (b.due < a.due ? b : a)).due;
    if (earliest > now) world.sleep(earliest - now);
    // A sleep ends at the earliest due time (clock rounding may read a hair before it).
    after = clocks.monotonic();
    if (after < earliest) after = earliest;
  }
  for (const t of timers) {
    if (t.due <= after) events.push({ userdata: t.userdata, error: E.SUCCESS, type: wasi.EVENTTYPE_CLOCK, nbytes: 0n, flags: 0 });
  }
  const bytes = new Uint8Array(view.buffer);
  events.forEach((event, i) => {
    const p = outPtr + i * EVENT_SIZE;
    bytes.fill(0, p, p + EVENT_SIZE);
    view.setBigUint64(p, event.userdata, true);
    view.setUint16(p + 8, event.error, true);
    view.setUint8(p + 10, event.type);
    view.setBigUint64(p + 16, event.nbytes, true);
    view.setUint16(p + 24, event.flags, true);
  });
  view.setUint32(neventsPtr, events.length, true);
  return E.SUCCESS;
}
