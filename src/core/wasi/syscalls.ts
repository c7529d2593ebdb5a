/**
 * The wasi_snapshot_preview1 import object: all 46 functions marshalled here, between guest
 * memory and the descriptors of fds.ts (the shim's own marshalling writes several structures at
 * wrong offsets, so only its WASI class is kept, to start the instance). Every call passes the
 * call filter and lands in the audit trail.
 *
 * Guest buffers (iovecs, paths, names) outside linear memory give EFAULT; a fixed-size result
 * written outside it traps, as in wasmtime.
 */
import { WASI, WASIProcExit, wasi } from '@bjorn3/browser_wasi_shim';
import type { Denial } from '../audit/events.ts';
import { WASI_CALLS, type WasiCall } from './calls.ts';
import { REF_ROW, ROW, ROW_PARAMS, type CallLog } from './call-log.ts';
import { MAX_PARAMS, STEP_FD, STEP_IOVS, STEP_PATH, captureSteps } from './describe.ts';
import { describeLimit, limitErrno, type FsBudget } from './budget.ts';
import { HOST_CALL_FUEL, POLL_SUBSCRIPTION_FUEL, RANDOM_BYTES_PER_FUEL, READDIR_ENTRY_FUEL, bytesFuel, type Meter } from './cost.ts';
import { E, FILTER_DENIED_ERRNO, READ_ONLY_ERRNO } from './errno.ts';
import { Descriptor, DirFd, OutputFd, StdinFd, type FsContext, type StdinSource } from './fds.ts';
import type { MountInfo } from './fs.ts';
import { pollOneoff, type Clocks } from './poll.ts';

export type { Clocks } from './poll.ts';

/** Decides whether a WASI call may run at all (the policy's call filter). */
export interface CallGate {
  check(call: string): { allowed: true } | { allowed: false; rule: string; reason: string };
}

/** Open descriptors a guest may hold at once; one more open gives EMFILE. */
export const MAX_OPEN_FDS = 4096;

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
const decoder = new TextDecoder('utf-8', { fatal: true });
/** The audit shows any path, bad UTF-8 included (as U+FFFD), up to this many bytes. */
const shownDecoder = new TextDecoder();
const MAX_PATH_SHOWN = 4096;
const u64 = (v: bigint) => BigInt.asUintN(64, v);
const DIRENT_HEADER = 24;
const direntScratch = new DataView(new ArrayBuffer(DIRENT_HEADER));
const direntScratchBytes = new Uint8Array(direntScratch.buffer);

export function createSyscalls(options: SyscallOptions): Syscalls {
  let pendingDenial: Denial | null = null;
  // A call's file timestamps read the clock at most once, and an audited call's own reading
  // serves when the clocks allow (Clocks.realtimeAt): the wrappers below reset these per call.
  let callNs: bigint | null = null;
  const realtimeAt = options.clocks.realtimeAt ?? null;
  const log = options.audit;
  const ctx: FsContext = {
    now: () => (callNs ??= realtimeAt !== null && log !== null && !Number.isNaN(log.lastTime) ? realtimeAt(log.lastTime) : options.clocks.realtime()),
    denyReadOnly(op: string, guestPath: string, mount: MountInfo): number {
      pendingDenial = {
        rule: mount.rule >= 0 ? `landlock_rules[${mount.rule}]` : 'read_only_rootfs',
        reason: `${op} ${guestPath} denied: mount ${mount.path} is read-only (${mount.readOnlyReason ?? 'read-only'})`,
      };
      return READ_ONLY_ERRNO;
    },
    budget: options.budget,
    denyLimit(op: string, guestPath: string, limit): number {
      pendingDenial = {
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
  const args = options.args.map((a) => encoder.encode(a));
  const env = options.env.map(([k, v]) => encoder.encode(`${k}=${v}`));
  const shim = new WASI([...options.args], options.env.map(([k, v]) => `${k}=${v}`), fds as Descriptor[], { debug: false });
  const table = shim.fds as (Descriptor | undefined)[];
  const memory = () => shim.inst.exports.memory;

  // Views of guest memory, renewed only when it grows (which replaces its buffer).
  let buffer: ArrayBufferLike | null = null;
  let view!: DataView;
  let bytes!: Uint8Array;
  const mem = (): void => {
    const b = memory().buffer;
    if (b !== buffer) {
      buffer = b;
      view = new DataView(b);
      bytes = new Uint8Array(b);
    }
  };
  const fits = (ptr: number, len: number) => ptr + len <= bytes.length;
  const meter = options.meter;
  const readPath = (ptr: number, len: number): string | number => {
    ptr >>>= 0;
    len >>>= 0;
    if (!fits(ptr, len)) return E.FAULT;
    if (meter !== null) meter.charge(bytesFuel(len));
    try {
      return decoder.decode(bytes.subarray(ptr, ptr + len));
    } catch {
      return E.ILSEQ;
    }
  };
  /** A path as the audit shows it: cut at 4 KiB, and a bad pointer said as such. */
  const pathShown = (ptr: number, len: number): string => {
    ptr >>>= 0;
    len >>>= 0;
    if (!fits(ptr, len)) return '<out of bounds>';
    return shownDecoder.decode(bytes.subarray(ptr, ptr + Math.min(len, MAX_PATH_SHOWN)));
  };
  /** The bytes an iovec list asks for (as far as it lies inside memory), for the audit. */
  const iovecBytes = (ptr: number, count: number): number => {
    ptr >>>= 0;
    count >>>= 0;
    let total = 0;
    for (let k = 0; k < count && ptr + k * 8 + 8 <= bytes.length; k++) total += view.getUint32(ptr + k * 8 + 4, true);
    return total;
  };
  const fdAt = (fd: number): Descriptor | undefined => table[fd];
  const dirAt = (fd: number): DirFd | number => {
    const entry = table[fd];
    if (entry === undefined) return E.BADF;
    return entry instanceof DirFd ? entry : E.NOTDIR;
  };
  /** The directory descriptor and the path a path_* call names, or the errno for either. */
  const dirPath = (fd: number, ptr: number, len: number): { dir: DirFd; path: string } | number => {
    const dir = dirAt(fd);
    if (typeof dir === 'number') return dir;
    const path = readPath(ptr, len);
    return typeof path === 'number' ? path : { dir, path };
  };
  const allocFd = (fd: Descriptor): number => {
    let n = 0;
    while (table[n] !== undefined) n++;
    if (n >= MAX_OPEN_FDS) return -1;
    table[n] = fd;
    return n;
  };
  /** The (pointer, length) pairs of an iovec array, or EFAULT when any lies outside memory. */
  const iovecs = (ptr: number, count: number): number[] | number => {
    ptr >>>= 0;
    count >>>= 0;
    if (!fits(ptr, count * 8)) return E.FAULT;
    const out: number[] = [];
    let total = 0;
    for (let i = 0; i < count; i++) {
      const buf = view.getUint32(ptr + i * 8, true);
      const len = view.getUint32(ptr + i * 8 + 4, true);
      if (!fits(buf, len)) return E.FAULT;
      out.push(buf, len);
      total += len;
    }
    // Charged at the length asked for, before any byte moves.
    if (meter !== null) meter.charge(bytesFuel(total) + count);
    return out;
  };
  /** The descriptor and iovec list of a read or write, or the errno that stops it first. */
  const ioArgs = (fd: number, iovs: number, count: number): [Descriptor, number[]] | number => {
    const entry = table[fd];
    if (entry === undefined) return E.BADF;
    const list = iovecs(iovs, count);
    return typeof list === 'number' ? list : [entry, list];
  };
  /**
   * Fill the iovecs from `read` until it comes up short. An error on the first read is the
   * call's; after some bytes it ends the read there, and the bytes are reported.
   */
  const scatter = (list: number[], countPtr: number, read: (len: number) => { ret: number; data: Uint8Array }): number => {
    let total = 0;
    for (let i = 0; i < list.length; i += 2) {
      const { ret, data } = read(list[i + 1]);
      if (ret !== E.SUCCESS) {
        if (total === 0) return ret;
        break;
      }
      bytes.set(data, list[i]);
      total += data.length;
      if (data.length < list[i + 1]) break;
    }
    view.setUint32(countPtr, total, true);
    return E.SUCCESS;
  };
  /** A list of strings, NUL-terminated, as args_get and environ_get lay it out. */
  const writeStrings = (list: Uint8Array[], ptrs: number, buf: number): number => {
    ptrs >>>= 0;
    buf >>>= 0;
    const total = list.reduce((n, s) => n + s.length + 1, 0);
    if (!fits(ptrs, list.length * 4) || !fits(buf, total)) return E.FAULT;
    if (meter !== null) meter.charge(bytesFuel(total));
    for (const s of list) {
      view.setUint32(ptrs, buf, true);
      ptrs += 4;
      bytes.set(s, buf);
      bytes[buf + s.length] = 0;
      buf += s.length + 1;
    }
    return E.SUCCESS;
  };
  const writeSizes = (list: Uint8Array[], countPtr: number, sizePtr: number): number => {
    view.setUint32(countPtr, list.length, true);
    view.setUint32(sizePtr, list.reduce((n, s) => n + s.length + 1, 0), true);
    return E.SUCCESS;
  };
  const sockErrno = (fd: number) => (table[fd] === undefined ? E.BADF : E.NOTSOCK);

  const impl: Record<WasiCall, (...args: never[]) => number> = {
    args_get: (argv: number, buf: number) => writeStrings(args, argv, buf),
    args_sizes_get: (count: number, size: number) => writeSizes(args, count, size),
    environ_get: (environ: number, buf: number) => writeStrings(env, environ, buf),
    environ_sizes_get: (count: number, size: number) => writeSizes(env, count, size),

    clock_res_get(id: number, resPtr: number): number {
      if (id < 0 || id > wasi.CLOCKID_THREAD_CPUTIME_ID) return E.INVAL;
      view.setBigUint64(resPtr, options.clocks.resolution, true);
      return E.SUCCESS;
    },
    clock_time_get(id: number, _precision: bigint, timePtr: number): number {
      const c = options.clocks;
      let t: bigint;
      if (id === wasi.CLOCKID_REALTIME) t = c.realtime();
      else if (id === wasi.CLOCKID_MONOTONIC) t = c.monotonic();
      else if (id === wasi.CLOCKID_PROCESS_CPUTIME_ID || id === wasi.CLOCKID_THREAD_CPUTIME_ID) t = c.cputime();
      else return E.INVAL;
      view.setBigUint64(timePtr, t, true);
      return E.SUCCESS;
    },

    fd_advise: (fd: number, offset: bigint, len: bigint, advice: number) =>
      fdAt(fd)?.fd_advise(u64(offset), u64(len), advice) ?? E.BADF,
    fd_allocate: (fd: number, offset: bigint, len: bigint) => fdAt(fd)?.fd_allocate(u64(offset), u64(len)) ?? E.BADF,
    fd_close(fd: number): number {
      const entry = table[fd];
      if (entry === undefined) return E.BADF;
      table[fd] = undefined;
      return entry.fd_close();
    },
    fd_datasync: (fd: number) => fdAt(fd)?.fd_datasync() ?? E.BADF,
    fd_sync: (fd: number) => fdAt(fd)?.fd_sync() ?? E.BADF,
    fd_fdstat_get(fd: number, ptr: number): number {
      const entry = fdAt(fd);
      if (entry === undefined) return E.BADF;
      entry.fd_fdstat_get().fdstat.write_bytes(view, ptr);
      return E.SUCCESS;
    },
    fd_fdstat_set_flags: (fd: number, flags: number) => fdAt(fd)?.fd_fdstat_set_flags(flags) ?? E.BADF,
    fd_fdstat_set_rights: (fd: number, base: bigint, inheriting: bigint) =>
      fdAt(fd)?.fd_fdstat_set_rights(u64(base), u64(inheriting)) ?? E.BADF,
    fd_filestat_get(fd: number, ptr: number): number {
      const entry = fdAt(fd);
      if (entry === undefined) return E.BADF;
      const { ret, filestat } = entry.fd_filestat_get();
      if (filestat !== null) filestat.write_bytes(view, ptr);
      return ret;
    },
    fd_filestat_set_size: (fd: number, size: bigint) => fdAt(fd)?.fd_filestat_set_size(u64(size)) ?? E.BADF,
    fd_filestat_set_times: (fd: number, atim: bigint, mtim: bigint, flags: number) =>
      fdAt(fd)?.fd_filestat_set_times(u64(atim), u64(mtim), flags) ?? E.BADF,

    fd_read(fd: number, iovs: number, count: number, nreadPtr: number): number {
      const io = ioArgs(fd, iovs, count);
      if (typeof io === 'number') return io;
      const [entry, list] = io;
      return scatter(list, nreadPtr, (len) => entry.fd_read(len));
    },
    fd_pread(fd: number, iovs: number, count: number, offset: bigint, nreadPtr: number): number {
      const io = ioArgs(fd, iovs, count);
      if (typeof io === 'number') return io;
      const [entry, list] = io;
      let at = u64(offset);
      return scatter(list, nreadPtr, (len) => {
        const r = entry.fd_pread(len, at);
        at += BigInt(r.data.length);
        return r;
      });
    },
    fd_write(fd: number, iovs: number, count: number, nwrittenPtr: number): number {
      const io = ioArgs(fd, iovs, count);
      if (typeof io === 'number') return io;
      const [entry, list] = io;
      let nwritten = 0;
      for (let i = 0; i < list.length; i += 2) {
        const { ret, nwritten: n } = entry.fd_write(bytes.subarray(list[i], list[i] + list[i + 1]));
        if (ret !== E.SUCCESS) {
          if (nwritten === 0) return ret;
          break;
        }
        nwritten += n;
      }
      view.setUint32(nwrittenPtr, nwritten, true);
      return E.SUCCESS;
    },
    fd_pwrite(fd: number, iovs: number, count: number, offset: bigint, nwrittenPtr: number): number {
      const io = ioArgs(fd, iovs, count);
      if (typeof io === 'number') return io;
      const [entry, list] = io;
      // One gathered write, so that an appending pwrite lands as one piece.
      let total = 0;
      for (let i = 1; i < list.length; i += 2) total += list[i];
      const data = new Uint8Array(total);
      for (let i = 0, at = 0; i < list.length; at += list[i + 1], i += 2) data.set(bytes.subarray(list[i], list[i] + list[i + 1]), at);
      const { ret, nwritten } = entry.fd_pwrite(data, u64(offset));
      if (ret !== E.SUCCESS) return ret;
      view.setUint32(nwrittenPtr, nwritten, true);
      return E.SUCCESS;
    },
    fd_seek(fd: number, offset: bigint, whence: number, resultPtr: number): number {
      const entry = fdAt(fd);
      if (entry === undefined) return E.BADF;
      const r = entry.fd_seek(offset, whence);
      if (r.ret === E.SUCCESS) view.setBigUint64(resultPtr, r.offset, true);
      return r.ret;
    },
    fd_tell(fd: number, resultPtr: number): number {
      const entry = fdAt(fd);
      if (entry === undefined) return E.BADF;
      const r = entry.fd_tell();
      if (r.ret === E.SUCCESS) view.setBigUint64(resultPtr, r.offset, true);
      return r.ret;
    },

    fd_prestat_get(fd: number, ptr: number): number {
      const entry = fdAt(fd);
      if (entry === undefined) return E.BADF;
      const { ret, prestat } = entry.fd_prestat_get();
      if (prestat !== null) prestat.write_bytes(view, ptr);
      return ret;
    },
    fd_prestat_dir_name(fd: number, ptr: number, len: number): number {
      const entry = fdAt(fd);
      if (entry === undefined) return E.BADF;
      const { ret, prestat } = entry.fd_prestat_get();
      if (prestat === null) return ret;
      const name = prestat.inner.pr_name;
      if ((len >>> 0) < name.length) return E.NAMETOOLONG;
      if (!fits(ptr >>> 0, name.length)) return E.FAULT;
      bytes.set(name, ptr >>> 0);
      return E.SUCCESS;
    },
    fd_readdir(fd: number, buf: number, bufLen: number, cookie: bigint, bufusedPtr: number): number {
      const dir = dirAt(fd);
      if (typeof dir === 'number') return dir;
      buf >>>= 0;
      bufLen >>>= 0;
      if (!fits(buf, bufLen)) return E.FAULT;
      if (meter !== null) meter.charge(bytesFuel(bufLen) + dir.node.entries.size * READDIR_ENTRY_FUEL);
      const { ret, entries } = dir.readdir(u64(cookie));
      if (ret !== E.SUCCESS) return ret;
      // Whole entries while they fit; the entry that does not is cut at the buffer's end, so a
      // full buffer (bufused == buf_len) tells the caller to come back with the last cookie.
      let used = 0;
      for (const d of entries) {
        const name = encoder.encode(d.name);
        direntScratch.setBigUint64(0, d.next, true);
        direntScratch.setBigUint64(8, d.ino, true);
        direntScratch.setUint32(16, name.length, true);
        direntScratch.setUint32(20, d.type, true);
        const head = Math.min(DIRENT_HEADER, bufLen - used);
        bytes.set(direntScratchBytes.subarray(0, head), buf + used);
        used += head;
        const tail = Math.min(name.length, bufLen - used);
        bytes.set(name.subarray(0, tail), buf + used);
        used += tail;
        if (used === bufLen) break;
      }
      view.setUint32(bufusedPtr, used, true);
      return E.SUCCESS;
    },
    fd_renumber(from: number, to: number): number {
      const entry = table[from];
      const target = table[to];
      if (entry === undefined || target === undefined) return E.BADF;
      if (from === to) return E.SUCCESS;
      target.fd_close();
      table[to] = entry;
      table[from] = undefined;
      return E.SUCCESS;
    },

    path_create_directory(fd: number, ptr: number, len: number): number {
      const at = dirPath(fd, ptr, len);
      if (typeof at === 'number') return at;
      const { dir, path } = at;
      return dir.path_create_directory(path);
    },
    path_filestat_get(fd: number, flags: number, ptr: number, len: number, statPtr: number): number {
      const at = dirPath(fd, ptr, len);
      if (typeof at === 'number') return at;
      const { dir, path } = at;
      const { ret, filestat } = dir.path_filestat_get(flags, path);
      if (filestat !== null) filestat.write_bytes(view, statPtr);
      return ret;
    },
    path_filestat_set_times(fd: number, flags: number, ptr: number, len: number, atim: bigint, mtim: bigint, fst: number): number {
      const at = dirPath(fd, ptr, len);
      if (typeof at === 'number') return at;
      const { dir, path } = at;
      return dir.path_filestat_set_times(flags, path, u64(atim), u64(mtim), fst);
    },
    path_link(oldFd: number, oldFlags: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number): number {
      const from = dirAt(oldFd);
      if (typeof from === 'number') return from;
      const to = dirAt(newFd);
      if (typeof to === 'number') return to;
      const oldPath = readPath(oldPtr, oldLen);
      if (typeof oldPath === 'number') return oldPath;
      const newPath = readPath(newPtr, newLen);
      return typeof newPath === 'number' ? newPath : from.link(oldFlags, oldPath, to, newPath);
    },
    path_open(fd: number, dirflags: number, ptr: number, len: number, oflags: number, base: bigint,
      inheriting: bigint, fdflags: number, openedPtr: number): number {
      const at = dirPath(fd, ptr, len);
      if (typeof at === 'number') return at;
      const { dir, path } = at;
      const { ret, fd_obj } = dir.path_open(dirflags, path, oflags, u64(base), u64(inheriting), fdflags);
      if (ret !== E.SUCCESS || fd_obj === null) return ret;
      const opened = allocFd(fd_obj);
      if (opened < 0) return E.MFILE;
      view.setUint32(openedPtr, opened, true);
      return E.SUCCESS;
    },
    path_readlink(fd: number, ptr: number, len: number, buf: number, bufLen: number, nreadPtr: number): number {
      const at = dirPath(fd, ptr, len);
      if (typeof at === 'number') return at;
      const { dir, path } = at;
      const { ret, target } = dir.readlink(path);
      if (target === null) return ret;
      // readlink(2) truncates into a short buffer and says how much it wrote.
      const n = Math.min(target.length, bufLen >>> 0);
      if (!fits(buf >>> 0, n)) return E.FAULT;
      bytes.set(target.subarray(0, n), buf >>> 0);
      view.setUint32(nreadPtr, n, true);
      return E.SUCCESS;
    },
    path_remove_directory(fd: number, ptr: number, len: number): number {
      const at = dirPath(fd, ptr, len);
      if (typeof at === 'number') return at;
      const { dir, path } = at;
      return dir.path_remove_directory(path);
    },
    path_rename(fd: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number): number {
      const from = dirAt(fd);
      if (typeof from === 'number') return from;
      const to = dirAt(newFd);
      if (typeof to === 'number') return to;
      const oldPath = readPath(oldPtr, oldLen);
      if (typeof oldPath === 'number') return oldPath;
      const newPath = readPath(newPtr, newLen);
      return typeof newPath === 'number' ? newPath : from.rename(oldPath, to, newPath);
    },
    path_symlink(oldPtr: number, oldLen: number, fd: number, newPtr: number, newLen: number): number {
      const dir = dirAt(fd);
      if (typeof dir === 'number') return dir;
      const target = readPath(oldPtr, oldLen);
      if (typeof target === 'number') return target;
      const newPath = readPath(newPtr, newLen);
      return typeof newPath === 'number' ? newPath : dir.symlink(target, newPath);
    },
    path_unlink_file(fd: number, ptr: number, len: number): number {
      const at = dirPath(fd, ptr, len);
      if (typeof at === 'number') return at;
      const { dir, path } = at;
      return dir.path_unlink_file(path);
    },

    poll_oneoff(inPtr: number, outPtr: number, nsubs: number, neventsPtr: number): number {
      if (meter !== null) meter.charge((nsubs >>> 0) * POLL_SUBSCRIPTION_FUEL);
      return pollOneoff({ clocks: options.clocks, sleep: options.sleep, table }, view, inPtr >>> 0, outPtr >>> 0, nsubs >>> 0, neventsPtr);
    },
    proc_exit(code: number): number {
      if (options.exit !== undefined) options.exit(code);
      throw new WASIProcExit(code);
    },
    proc_raise(signal: number): number {
      // There is no signal to deliver inside the sandbox; 0 and numbers past SIGSYS are not signals.
      return signal >= 1 && signal <= wasi.SIGNAL_SYS ? E.NOTSUP : E.INVAL;
    },
    sched_yield: () => E.SUCCESS,
    random_get(ptr: number, len: number): number {
      ptr >>>= 0;
      len >>>= 0;
      if (!fits(ptr, len)) return E.FAULT;
      if (meter !== null) meter.charge(Math.ceil(len / RANDOM_BYTES_PER_FUEL));
      options.random(bytes.subarray(ptr, ptr + len));
      return E.SUCCESS;
    },
    // No sockets in preview1 here: a closed descriptor is EBADF, any other is not a socket.
    sock_accept: (fd: number) => sockErrno(fd),
    sock_recv: (fd: number) => sockErrno(fd),
    sock_send: (fd: number) => sockErrno(fd),
    sock_shutdown: (fd: number) => sockErrno(fd),
  };

  const imports: Record<string, (...args: never[]) => unknown> = {};
  for (const name of WASI_CALLS) {
    const wrapped = wrap(name, impl[name] as (...args: unknown[]) => number);
    // After a call that may have waited (a sleep, a yield), the audit reads the clock again.
    imports[name] = log !== null && (name === 'poll_oneoff' || name === 'sched_yield')
      ? (a?: unknown, b?: unknown, c?: unknown, d?: unknown): number => {
        const errno = wrapped(a, b, c, d);
        log.waited();
        return errno;
      }
      : wrapped;
  }

  // The audited wrappers' common steps, made once so that every wrapper calls the same functions.
  /** Open call `id`'s audit slot (-1: nothing kept): memory views fresh, the clock read once. */
  const enter = (id: number): number => {
    mem();
    const slot = log!.open(id);
    callNs = null;
    // After the slot is open: a call the budget ends is still in the trail (DID_NOT_RETURN).
    if (meter !== null) meter.charge(HOST_CALL_FUEL);
    return slot;
  };
  /** Whether the call may run; a call the filter denies is closed here, without running. */
  const allowed = (slot: number, denial: Denial | null): boolean => {
    if (denial !== null) {
      log!.close(slot, FILTER_DENIED_ERRNO, denial);
      return false;
    }
    pendingDenial = null;
    return true;
  };
  /** An fd argument at raw position `at`: its number, and its descriptor as it is before the call (which may close it). */
  const keepFd = (slot: number, at: number, fd: number, ref: number): void => {
    log!.rows[slot * ROW + ROW_PARAMS + at] = fd;
    log!.refs[slot * REF_ROW + ref] = table[fd] ?? null;
  };
  const done = (slot: number, errno: number): number => {
    log!.close(slot, errno, pendingDenial);
    return errno;
  };

  /**
   * The filter and audit wrapper around each call, on every call, so kept lean: fixed arity (no
   * rest array, no spread; preview1 calls take at most 9 parameters), and the arguments written
   * straight into the call's row of the audit log.
   */
  function wrap(name: string, call: (...args: unknown[]) => number) {
    const gate = options.gate;
    const audit = options.audit;
    const denyByGate = (): Denial | null => {
      if (gate === null || name === 'proc_exit') return null;
      const verdict = gate.check(name);
      return verdict.allowed ? null : { rule: verdict.rule, reason: verdict.reason };
    };
    if (audit === null) {
      return (a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown, f?: unknown, g?: unknown, h?: unknown, i?: unknown): number => {
        if (meter !== null) meter.charge(HOST_CALL_FUEL);
        if (gate !== null && denyByGate() !== null) return FILTER_DENIED_ERRNO;
        mem();
        callNs = null;
        return call(a, b, c, d, e, f, g, h, i);
      };
    }
    const id = WASI_CALLS.indexOf(name as WasiCall);
    const { shape, kinds, at } = captureSteps(name);
    // Arguments are captured before the call (a path_open's path, a write's byte count), straight
    // into the slot. Each common shape is its own function, so the engine optimises each for the
    // calls and types it sees. An entry a call never closes (it ended the run: a deadline while
    // sleeping) says so; proc_exit, which ends the run by design, is closed before it runs.
    if (name === 'proc_exit') {
      return (a?: unknown): number => {
        const slot = enter(id);
        if (slot >= 0) audit.rows[slot * ROW + ROW_PARAMS] = a as number;
        audit.close(slot, E.SUCCESS, null);
        return call(a);
      };
    }
    switch (shape) {
      case 'none':
        return (a?: unknown, b?: unknown): number => {
          const denial = gate === null ? null : denyByGate();
          const slot = enter(id);
          return allowed(slot, denial) ? done(slot, call(a, b)) : FILTER_DENIED_ERRNO;
        };
      case 'numbers':
        return (a?: unknown, b?: unknown, c?: unknown, d?: unknown): number => {
          const denial = gate === null ? null : denyByGate();
          const slot = enter(id);
          if (slot >= 0) {
            const nums = audit.rows;
            const n = slot * ROW + ROW_PARAMS;
            nums[n] = num(a); nums[n + 1] = num(b); nums[n + 2] = num(c); nums[n + 3] = num(d);
          }
          return allowed(slot, denial) ? done(slot, call(a, b, c, d)) : FILTER_DENIED_ERRNO;
        };
      case 'fd':
        return (a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown, f?: unknown): number => {
          const denial = gate === null ? null : denyByGate();
          const slot = enter(id);
          if (slot >= 0) {
            const nums = audit.rows;
            const n = slot * ROW + ROW_PARAMS;
            keepFd(slot, 0, a as number, 0);
            nums[n + 1] = num(b); nums[n + 2] = num(c); nums[n + 3] = num(d); nums[n + 4] = num(e);
          }
          return allowed(slot, denial) ? done(slot, call(a, b, c, d, e, f)) : FILTER_DENIED_ERRNO;
        };
      case 'io':
        return (a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown): number => {
          const denial = gate === null ? null : denyByGate();
          const slot = enter(id);
          if (slot >= 0) {
            const nums = audit.rows;
            const n = slot * ROW + ROW_PARAMS;
            keepFd(slot, 0, a as number, 0);
            nums[n + 1] = iovecBytes(b as number, c as number);
            nums[n + 3] = num(d);
          }
          return allowed(slot, denial) ? done(slot, call(a, b, c, d, e)) : FILTER_DENIED_ERRNO;
        };
      case 'steps': {
        const raw: unknown[] = new Array<unknown>(MAX_PARAMS).fill(undefined);
        return (a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown, f?: unknown, g?: unknown, h?: unknown, i?: unknown): number => {
          const denial = gate === null ? null : denyByGate();
          const slot = enter(id);
          if (slot >= 0) {
            raw[0] = a; raw[1] = b; raw[2] = c; raw[3] = d; raw[4] = e; raw[5] = f; raw[6] = g; raw[7] = h; raw[8] = i;
            const nums = audit.rows;
            const refs = audit.refs;
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
                  refs[r++] = pathShown(x as number, raw[p + 1] as number);
                  break;
                case STEP_IOVS:
                  nums[n + p] = iovecBytes(x as number, raw[p + 1] as number);
                  break;
                default:
                  nums[n + p] = num(x);
              }
            }
          }
          return allowed(slot, denial) ? done(slot, call(a, b, c, d, e, f, g, h, i)) : FILTER_DENIED_ERRNO;
        };
      }
    }
  }

  return { wasi: shim, imports };
}

/** A raw parameter as the audit keeps it: i64s arrive as BigInts, and what it shows of them fits a double. */
const num = (x: unknown): number => (typeof x === 'bigint' ? Number(x) : (x as number));
