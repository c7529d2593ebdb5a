/**
 * The wasi_snapshot_preview1 import object: the shim's marshalling for most calls, ours where
 * 0.4.2 is wrong or missing (fd reuse, rename/link/symlink, poll_oneoff, clocks, sockets,
 * proc_raise), all wrapped so that each call passes the call filter and lands in the audit trail.
 */
import { WASI, wasi } from '@bjorn3/browser_wasi_shim';
import type { CallEvent, Denial } from '../audit/events.ts';
import { WASI_CALLS } from './calls.ts';
import { describeCall } from './describe.ts';
import { E, READ_ONLY_ERRNO, errnoName } from './errno.ts';
import { DirFd, FileFd, OutputFd, StdinFd, type FsContext } from './fds.ts';
import type { MountInfo } from './fs.ts';

/** Decides whether a WASI call may run at all (the policy's call filter). */
export interface CallGate {
  check(call: string): { allowed: true } | { allowed: false; rule: string; reason: string };
}

/** The errno a filtered call returns without running. */
export const FILTERED_CALL_ERRNO = wasi.ERRNO_NOSYS;

export interface Clocks {
  /** Nanoseconds since the Unix epoch. */
  realtime(): bigint;
  /** Nanoseconds from an arbitrary origin, never decreasing. */
  monotonic(): bigint;
  /** CPU time the guest has used, in nanoseconds. */
  cputime(): bigint;
  /** Resolution reported by clock_res_get, in nanoseconds. */
  resolution: bigint;
}

export interface SyscallOptions {
  args: string[];
  env: [string, string][];
  stdin: Uint8Array;
  stdout: (bytes: Uint8Array) => void;
  stderr: (bytes: Uint8Array) => void;
  /** Preopened directories in fd order (fd 3 upwards). */
  preopens: { guestPath: string; fd: (ctx: FsContext) => DirFd }[];
  clocks: Clocks;
  random: (into: Uint8Array) => void;
  /** Blocks the worker for up to `ns` nanoseconds (never past the run's deadline). */
  sleep: (ns: bigint) => void;
  gate: CallGate | null;
  /** Receives one event per call; null turns auditing off (benchmarks measure its cost). */
  audit: ((event: Omit<CallEvent, 'seq' | 'time'>) => void) | null;
}

export interface Syscalls {
  wasi: WASI;
  imports: Record<string, (...args: never[]) => unknown>;
}

export function createSyscalls(options: SyscallOptions): Syscalls {
  let pendingDenial: Denial | null = null;
  const ctx: FsContext = {
    now: () => options.clocks.realtime(),
    denyReadOnly(op: string, guestPath: string, mount: MountInfo): number {
      pendingDenial = {
        rule: mount.rule >= 0 ? `landlock_rules[${mount.rule}]` : 'read_only_rootfs',
        reason: `${op} ${guestPath} denied: mount ${mount.path} is read-only (${mount.readOnlyReason ?? 'read-only'})`,
      };
      return READ_ONLY_ERRNO;
    },
  };
  const fds = [
    new StdinFd(options.stdin),
    new OutputFd(options.stdout),
    new OutputFd(options.stderr),
    ...options.preopens.map((p) => p.fd(ctx)),
  ];
  const shim = new WASI(
    [...options.args],
    options.env.map(([k, v]) => `${k}=${v}`),
    fds,
    { debug: false },
  );
  const base = shim.wasiImport;
  const memory = () => shim.inst.exports.memory;
  const view = () => new DataView(memory().buffer);
  const bytes = () => new Uint8Array(memory().buffer);
  const table = shim.fds as (InstanceType<typeof wasi.Fdstat> | unknown)[];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const readString = (ptr: number, len: number): string | null => {
    try {
      return decoder.decode(bytes().subarray(ptr, ptr + len));
    } catch {
      return null;
    }
  };
  const dirAt = (fd: number): DirFd | number => {
    const entry = table[fd];
    if (entry === undefined) return E.BADF;
    return entry instanceof DirFd ? entry : E.NOTDIR;
  };
  const allocFd = (fd: unknown): number => {
    let n = 0;
    while (table[n] !== undefined) n++;
    table[n] = fd;
    return n;
  };

  const overrides: Record<string, (...args: never[]) => number> = {
    path_open(fd: number, dirflags: number, pathPtr: number, pathLen: number, oflags: number, rightsBase: bigint,
      rightsInheriting: bigint, fdflags: number, openedPtr: number): number {
      const dir = dirAt(fd);
      if (typeof dir === 'number') return dir;
      const path = readString(pathPtr, pathLen);
      if (path === null) return wasi.ERRNO_ILSEQ;
      const { ret, fd_obj } = dir.path_open(dirflags, path, oflags, rightsBase, rightsInheriting, fdflags);
      if (ret !== E.SUCCESS || fd_obj === null) return ret;
      view().setUint32(openedPtr, allocFd(fd_obj), true);
      return E.SUCCESS;
    },
    path_rename(fd: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number): number {
      const from = dirAt(fd);
      const to = dirAt(newFd);
      if (typeof from === 'number') return from;
      if (typeof to === 'number') return to;
      const oldPath = readString(oldPtr, oldLen);
      const newPath = readString(newPtr, newLen);
      if (oldPath === null || newPath === null) return wasi.ERRNO_ILSEQ;
      return from.rename(oldPath, to, newPath);
    },
    path_link(oldFd: number, oldFlags: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number): number {
      const from = dirAt(oldFd);
      const to = dirAt(newFd);
      if (typeof from === 'number') return from;
      if (typeof to === 'number') return to;
      const oldPath = readString(oldPtr, oldLen);
      const newPath = readString(newPtr, newLen);
      if (oldPath === null || newPath === null) return wasi.ERRNO_ILSEQ;
      return from.link(oldFlags, oldPath, to, newPath);
    },
    path_symlink(oldPtr: number, oldLen: number, fd: number, newPtr: number, newLen: number): number {
      const dir = dirAt(fd);
      if (typeof dir === 'number') return dir;
      const target = readString(oldPtr, oldLen);
      const newPath = readString(newPtr, newLen);
      if (target === null || newPath === null) return wasi.ERRNO_ILSEQ;
      return dir.symlink(target, newPath);
    },
    path_readlink(fd: number, pathPtr: number, pathLen: number, bufPtr: number, bufLen: number, nreadPtr: number): number {
      const dir = dirAt(fd);
      if (typeof dir === 'number') return dir;
      const path = readString(pathPtr, pathLen);
      if (path === null) return wasi.ERRNO_ILSEQ;
      const { ret, data } = dir.path_readlink(path);
      if (ret !== E.SUCCESS || data === null) return ret;
      // readlink(2) truncates into a short buffer.
      const encoded = new TextEncoder().encode(data).subarray(0, bufLen);
      bytes().set(encoded, bufPtr);
      view().setUint32(nreadPtr, encoded.length, true);
      return E.SUCCESS;
    },
    fd_close(fd: number): number {
      const entry = table[fd] as { fd_close(): number } | undefined;
      if (entry === undefined) return E.BADF;
      const ret = entry.fd_close();
      table[fd] = undefined;
      return ret;
    },
    clock_res_get(id: number, resPtr: number): number {
      if (id < 0 || id > 3) return E.INVAL;
      view().setBigUint64(resPtr, options.clocks.resolution, true);
      return E.SUCCESS;
    },
    clock_time_get(id: number, _precision: bigint, timePtr: number): number {
      const c = options.clocks;
      const t = id === wasi.CLOCKID_REALTIME ? c.realtime()
        : id === wasi.CLOCKID_MONOTONIC ? c.monotonic()
          : id === wasi.CLOCKID_PROCESS_CPUTIME_ID || id === wasi.CLOCKID_THREAD_CPUTIME_ID ? c.cputime()
            : -1n;
      if (t < 0n) return E.INVAL;
      view().setBigUint64(timePtr, t, true);
      return E.SUCCESS;
    },
    random_get(ptr: number, len: number): number {
      options.random(bytes().subarray(ptr, ptr + len));
      return E.SUCCESS;
    },
    poll_oneoff(inPtr: number, outPtr: number, nsubs: number, neventsPtr: number): number {
      return pollOneoff(view(), table, options, inPtr, outPtr, nsubs, neventsPtr);
    },
    sched_yield(): number {
      return E.SUCCESS;
    },
    proc_raise(): number {
      // There are no signals to deliver inside the sandbox.
      return E.NOSYS;
    },
    sock_accept(fd: number): number {
      return sockErrno(table, fd);
    },
    sock_recv(fd: number): number {
      return sockErrno(table, fd);
    },
    sock_send(fd: number): number {
      return sockErrno(table, fd);
    },
    sock_shutdown(fd: number): number {
      return sockErrno(table, fd);
    },
  };

  const imports: Record<string, (...args: never[]) => unknown> = {};
  for (const name of WASI_CALLS) {
    const impl = (overrides[name] ?? base[name]) as (...args: unknown[]) => number;
    imports[name] = wrap(name, impl);
  }

  function wrap(name: string, impl: (...args: unknown[]) => number) {
    const gate = options.gate;
    const audit = options.audit;
    const denyByGate = (): Denial | null => {
      if (gate === null || name === 'proc_exit') return null;
      const verdict = gate.check(name);
      return verdict.allowed ? null : { rule: verdict.rule, reason: verdict.reason };
    };
    if (audit === null) {
      return (...args: unknown[]): number => {
        if (denyByGate() !== null) return FILTERED_CALL_ERRNO;
        return impl(...args);
      };
    }
    return (...args: unknown[]): number => {
      const gateDenial = denyByGate();
      // Arguments are decoded before the call: a path_open's path, a write's byte count.
      const described = describeCall(name, args, memory(), table);
      if (gateDenial !== null) {
        audit({ kind: 'call', fn: name, args: described, errno: FILTERED_CALL_ERRNO, errnoName: errnoName(FILTERED_CALL_ERRNO), denial: gateDenial });
        return FILTERED_CALL_ERRNO;
      }
      pendingDenial = null;
      let errno: number;
      try {
        errno = impl(...args);
      } catch (e) {
        if (name === 'proc_exit') audit({ kind: 'call', fn: name, args: described, errno: 0, errnoName: 'SUCCESS' });
        throw e;
      }
      const event: Omit<CallEvent, 'seq' | 'time'> = { kind: 'call', fn: name, args: described, errno, errnoName: errnoName(errno) };
      if (pendingDenial !== null) event.denial = pendingDenial;
      audit(event);
      return errno;
    };
  }

  return { wasi: shim, imports };
}

function sockErrno(table: unknown[], fd: number): number {
  return table[fd] === undefined ? E.BADF : E.NOTSOCK;
}

const SUBSCRIPTION_SIZE = 48;
const EVENT_SIZE = 32;

/**
 * poll_oneoff: fd subscriptions are ready at once (in-memory files and stdio never block);
 * clock subscriptions sleep until the earliest one fires, never past the run's deadline.
 */
function pollOneoff(view: DataView, table: unknown[], options: SyscallOptions, inPtr: number, outPtr: number,
  nsubs: number, neventsPtr: number): number {
  if (nsubs === 0) return E.INVAL;
  type Ready = { userdata: bigint; error: number; type: number; nbytes: bigint; flags: number };
  const ready: Ready[] = [];
  const clocks: { userdata: bigint; due: bigint }[] = [];
  const now = options.clocks.monotonic();
  for (let i = 0; i < nsubs; i++) {
    const p = inPtr + i * SUBSCRIPTION_SIZE;
    const userdata = view.getBigUint64(p, true);
    const tag = view.getUint8(p + 8);
    if (tag === wasi.EVENTTYPE_CLOCK) {
      const id = view.getUint32(p + 16, true);
      const timeout = view.getBigUint64(p + 24, true);
      const flags = view.getUint16(p + 40, true);
      const absolute = (flags & wasi.SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME) !== 0;
      let due: bigint;
      if (!absolute) due = now + timeout;
      else if (id === wasi.CLOCKID_REALTIME) due = now + (timeout - options.clocks.realtime());
      else if (id === wasi.CLOCKID_MONOTONIC) due = timeout;
      else {
        ready.push({ userdata, error: E.NOTSUP, type: tag, nbytes: 0n, flags: 0 });
        continue;
      }
      clocks.push({ userdata, due });
    } else if (tag === wasi.EVENTTYPE_FD_READ || tag === wasi.EVENTTYPE_FD_WRITE) {
      const fd = table[view.getUint32(p + 16, true)];
      if (fd === undefined) ready.push({ userdata, error: E.BADF, type: tag, nbytes: 0n, flags: 0 });
      else if (tag === wasi.EVENTTYPE_FD_READ && fd instanceof StdinFd) {
        const n = fd.available;
        ready.push({ userdata, error: 0, type: tag, nbytes: BigInt(n), flags: n === 0 ? wasi.EVENTRWFLAGS_FD_READWRITE_HANGUP : 0 });
      } else if (tag === wasi.EVENTTYPE_FD_READ && fd instanceof FileFd) {
        const left = fd.node.size - fd.fd_tell().offset;
        ready.push({ userdata, error: 0, type: tag, nbytes: left > 0n ? left : 0n, flags: 0 });
      } else if (tag === wasi.EVENTTYPE_FD_WRITE && (fd instanceof OutputFd || fd instanceof FileFd)) {
        ready.push({ userdata, error: 0, type: tag, nbytes: 0n, flags: 0 });
      } else {
        ready.push({ userdata, error: E.BADF, type: tag, nbytes: 0n, flags: 0 });
      }
    } else {
      return E.INVAL;
    }
  }
  if (ready.length === 0 && clocks.length > 0) {
    const earliest = clocks.reduce((a, b) => (b.due < a.due ? b : a));
    const wait = earliest.due - now;
    if (wait > 0n) options.sleep(wait);
    const after = options.clocks.monotonic();
    for (const c of clocks) if (c.due <= after) ready.push({ userdata: c.userdata, error: 0, type: wasi.EVENTTYPE_CLOCK, nbytes: 0n, flags: 0 });
    if (ready.length === 0) ready.push({ userdata: earliest.userdata, error: 0, type: wasi.EVENTTYPE_CLOCK, nbytes: 0n, flags: 0 });
  }
  ready.forEach((event, i) => {
    const p = outPtr + i * EVENT_SIZE;
    view.setBigUint64(p, event.userdata, true);
    view.setUint16(p + 8, event.error, true);
    view.setUint8(p + 10, event.type);
    view.setBigUint64(p + 16, event.nbytes, true);
    view.setUint16(p + 24, event.flags, true);
  });
  view.setUint32(neventsPtr, ready.length, true);
  return E.SUCCESS;
}
