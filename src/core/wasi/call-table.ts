/**
 * The 46 functions of wasi_snapshot_preview1, marshalled between guest memory (guest-memory.ts)
 * and the descriptors of fds.ts, which take and return plain values. The shim's own marshalling
 * writes several structures at wrong offsets, so none of it is used here.
 */
import { WASIProcExit, wasi } from '@bjorn3/browser_wasi_shim';
import type { WasiCall } from './calls.ts';
import { POLL_SUBSCRIPTION_FUEL, RANDOM_BYTES_PER_FUEL, READDIR_ENTRY_FUEL, bytesFuel, type Meter } from './cost.ts';
import { E } from './errno.ts';
import { DirFd, type Descriptor } from './fds.ts';
import type { GuestMemory } from './guest-memory.ts';
import { pollOneoff, type Clocks } from './poll.ts';
import type { WasiFunction } from './wrap.ts';

/** Open descriptors a guest may hold at once; one more open gives EMFILE. */
export const MAX_OPEN_FDS = 4096;

export interface CallTableOptions {
  memory: GuestMemory;
  /** The open descriptors by fd number; a closed fd is undefined. */
  fds: (Descriptor | undefined)[];
  /** args and environment ("K=V"), encoded. */
  args: Uint8Array[];
  env: Uint8Array[];
  clocks: Clocks;
  random: (into: Uint8Array) => void;
  sleep: (ns: bigint) => void;
  meter: Meter | null;
  exit?: (code: number) => never;
}

const encoder = new TextEncoder();
const u64 = (v: bigint) => BigInt.asUintN(64, v);
const DIRENT_HEADER = 24;
const direntScratch = new DataView(new ArrayBuffer(DIRENT_HEADER));
const direntScratchBytes = new Uint8Array(direntScratch.buffer);

export function createCallTable(options: CallTableOptions): Record<WasiCall, WasiFunction> {
  const { memory: m, fds: table, args, env, meter } = options;
  const fdAt = (fd: number): Descriptor | undefined => table[fd];
  const dirAt = (fd: number): DirFd | number => {
    const entry = table[fd];
    if (entry === undefined) return E.BADF;
    return entry instanceof DirFd ? entry : E.NOTDIR;
  };
  /**
   * A path_* call's common opening: the directory fd, then the path (for path_symlink, the link's
   * target), checked in that order; `body` runs when both are good.
   */
  const atPath = (fd: number, ptr: number, len: number, body: (dir: DirFd, path: string) => number): number => {
    const dir = dirAt(fd);
    if (typeof dir === 'number') return dir;
    const path = m.readPath(ptr, len);
    return typeof path === 'number' ? path : body(dir, path);
  };
  /** The same for the calls that name two places (link, rename): both directories, then both paths. */
  const atTwoPaths = (fd: number, ptr: number, len: number, newFd: number, newPtr: number, newLen: number,
    body: (from: DirFd, path: string, to: DirFd, newPath: string) => number): number => {
    const from = dirAt(fd);
    if (typeof from === 'number') return from;
    const to = dirAt(newFd);
    if (typeof to === 'number') return to;
    const path = m.readPath(ptr, len);
    if (typeof path === 'number') return path;
    const newPath = m.readPath(newPtr, newLen);
    return typeof newPath === 'number' ? newPath : body(from, path, to, newPath);
  };
  const allocFd = (fd: Descriptor): number => {
    let n = 0;
    while (table[n] !== undefined) n++;
    if (n >= MAX_OPEN_FDS) return -1;
    table[n] = fd;
    return n;
  };
  /** The descriptor and iovec list of a read or write, or the errno that stops it first. */
  const ioArgs = (fd: number, iovs: number, count: number): [Descriptor, number[]] | number => {
    const entry = table[fd];
    if (entry === undefined) return E.BADF;
    const list = m.iovecs(iovs, count);
    return typeof list === 'number' ? list : [entry, list];
  };
  /** A result structure a call gave (a filestat, a prestat) written at `ptr`, when there is one; the call's errno either way. */
  const writeStruct = (ptr: number, ret: number, struct: { write_bytes(view: DataView, ptr: number): void } | null): number => {
    if (struct !== null) struct.write_bytes(m.view, ptr);
    return ret;
  };
  const sockErrno = (fd: number) => (table[fd] === undefined ? E.BADF : E.NOTSOCK);

  return {
    args_get: (argv: number, buf: number) => m.writeStrings(args, argv, buf),
    args_sizes_get: (count: number, size: number) => m.writeSizes(args, count, size),
    environ_get: (environ: number, buf: number) => m.writeStrings(env, environ, buf),
    environ_sizes_get: (count: number, size: number) => m.writeSizes(env, count, size),

    clock_res_get(id: number, resPtr: number): number {
      if (id < 0 || id > wasi.CLOCKID_THREAD_CPUTIME_ID) return E.INVAL;
      m.view.setBigUint64(resPtr, options.clocks.resolution, true);
      return E.SUCCESS;
    },
    clock_time_get(id: number, _precision: bigint, timePtr: number): number {
      const c = options.clocks;
      let t: bigint;
      if (id === wasi.CLOCKID_REALTIME) t = c.realtime();
      else if (id === wasi.CLOCKID_MONOTONIC) t = c.monotonic();
      else if (id === wasi.CLOCKID_PROCESS_CPUTIME_ID || id === wasi.CLOCKID_THREAD_CPUTIME_ID) t = c.cputime();
      else return E.INVAL;
      m.view.setBigUint64(timePtr, t, true);
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
      entry.fd_fdstat_get().fdstat.write_bytes(m.view, ptr);
      return E.SUCCESS;
    },
    fd_fdstat_set_flags: (fd: number, flags: number) => fdAt(fd)?.fd_fdstat_set_flags(flags) ?? E.BADF,
    fd_fdstat_set_rights: (fd: number, base: bigint, inheriting: bigint) =>
      fdAt(fd)?.fd_fdstat_set_rights(u64(base), u64(inheriting)) ?? E.BADF,
    fd_filestat_get(fd: number, ptr: number): number {
      const r = fdAt(fd)?.fd_filestat_get();
      return r === undefined ? E.BADF : writeStruct(ptr, r.ret, r.filestat);
    },
    fd_filestat_set_size: (fd: number, size: bigint) => fdAt(fd)?.fd_filestat_set_size(u64(size)) ?? E.BADF,
    fd_filestat_set_times: (fd: number, atim: bigint, mtim: bigint, flags: number) =>
      fdAt(fd)?.fd_filestat_set_times(u64(atim), u64(mtim), flags) ?? E.BADF,

    fd_read(fd: number, iovs: number, count: number, nreadPtr: number): number {
      const io = ioArgs(fd, iovs, count);
      if (typeof io === 'number') return io;
      const [entry, list] = io;
      return m.scatter(list, nreadPtr, (len) => entry.fd_read(len));
    },
    fd_pread(fd: number, iovs: number, count: number, offset: bigint, nreadPtr: number): number {
      const io = ioArgs(fd, iovs, count);
      if (typeof io === 'number') return io;
      const [entry, list] = io;
      let at = u64(offset);
      return m.scatter(list, nreadPtr, (len) => {
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
        const { ret, nwritten: n } = entry.fd_write(m.bytes.subarray(list[i], list[i] + list[i + 1]));
        if (ret !== E.SUCCESS) {
          if (nwritten === 0) return ret;
          break;
        }
        nwritten += n;
      }
      m.view.setUint32(nwrittenPtr, nwritten, true);
      return E.SUCCESS;
    },
    fd_pwrite(fd: number, iovs: number, count: number, offset: bigint, nwrittenPtr: number): number {
      const io = ioArgs(fd, iovs, count);
      if (typeof io === 'number') return io;
      const [entry, list] = io;
      // One gathered write, so that an appending pwrite lands as one piece.
      const { ret, nwritten } = entry.fd_pwrite(m.gather(list), u64(offset));
      if (ret !== E.SUCCESS) return ret;
      m.view.setUint32(nwrittenPtr, nwritten, true);
      return E.SUCCESS;
    },
    fd_seek(fd: number, offset: bigint, whence: number, resultPtr: number): number {
      const entry = fdAt(fd);
      if (entry === undefined) return E.BADF;
      const r = entry.fd_seek(offset, whence);
      if (r.ret === E.SUCCESS) m.view.setBigUint64(resultPtr, r.offset, true);
      return r.ret;
    },
    fd_tell(fd: number, resultPtr: number): number {
      const entry = fdAt(fd);
      if (entry === undefined) return E.BADF;
      const r = entry.fd_tell();
      if (r.ret === E.SUCCESS) m.view.setBigUint64(resultPtr, r.offset, true);
      return r.ret;
    },

    fd_prestat_get(fd: number, ptr: number): number {
      const r = fdAt(fd)?.fd_prestat_get();
      return r === undefined ? E.BADF : writeStruct(ptr, r.ret, r.prestat);
    },
    fd_prestat_dir_name(fd: number, ptr: number, len: number): number {
      const entry = fdAt(fd);
      if (entry === undefined) return E.BADF;
      const { ret, prestat } = entry.fd_prestat_get();
      if (prestat === null) return ret;
      const name = prestat.inner.pr_name;
      if ((len >>> 0) < name.length) return E.NAMETOOLONG;
      return m.writeBytes(name, ptr);
    },
    fd_readdir(fd: number, buf: number, bufLen: number, cookie: bigint, bufusedPtr: number): number {
      const dir = dirAt(fd);
      if (typeof dir === 'number') return dir;
      buf >>>= 0;
      bufLen >>>= 0;
      if (!m.fits(buf, bufLen)) return E.FAULT;
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
        m.bytes.set(direntScratchBytes.subarray(0, head), buf + used);
        used += head;
        const tail = Math.min(name.length, bufLen - used);
        m.bytes.set(name.subarray(0, tail), buf + used);
        used += tail;
        if (used === bufLen) break;
      }
      m.view.setUint32(bufusedPtr, used, true);
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

    path_create_directory: (fd: number, ptr: number, len: number) =>
      atPath(fd, ptr, len, (dir, path) => dir.path_create_directory(path)),
    path_filestat_get: (fd: number, flags: number, ptr: number, len: number, statPtr: number) =>
      atPath(fd, ptr, len, (dir, path) => {
        const r = dir.path_filestat_get(flags, path);
        return writeStruct(statPtr, r.ret, r.filestat);
      }),
    path_filestat_set_times: (fd: number, flags: number, ptr: number, len: number, atim: bigint, mtim: bigint, fst: number) =>
      atPath(fd, ptr, len, (dir, path) => dir.path_filestat_set_times(flags, path, u64(atim), u64(mtim), fst)),
    path_link: (oldFd: number, oldFlags: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number) =>
      atTwoPaths(oldFd, oldPtr, oldLen, newFd, newPtr, newLen, (from, oldPath, to, newPath) => from.link(oldFlags, oldPath, to, newPath)),
    path_open: (fd: number, dirflags: number, ptr: number, len: number, oflags: number, base: bigint,
      inheriting: bigint, fdflags: number, openedPtr: number) =>
      atPath(fd, ptr, len, (dir, path) => {
        const { ret, fd_obj } = dir.path_open(dirflags, path, oflags, u64(base), u64(inheriting), fdflags);
        if (ret !== E.SUCCESS || fd_obj === null) return ret;
        const opened = allocFd(fd_obj);
        if (opened < 0) return E.MFILE;
        m.view.setUint32(openedPtr, opened, true);
        return E.SUCCESS;
      }),
    path_readlink: (fd: number, ptr: number, len: number, buf: number, bufLen: number, nreadPtr: number) =>
      atPath(fd, ptr, len, (dir, path) => {
        const { ret, target } = dir.readlink(path);
        if (target === null) return ret;
        // readlink(2) truncates into a short buffer and says how much it wrote.
        const n = Math.min(target.length, bufLen >>> 0);
        const errno = m.writeBytes(target.subarray(0, n), buf);
        if (errno !== E.SUCCESS) return errno;
        m.view.setUint32(nreadPtr, n, true);
        return E.SUCCESS;
      }),
    path_remove_directory: (fd: number, ptr: number, len: number) =>
      atPath(fd, ptr, len, (dir, path) => dir.path_remove_directory(path)),
    path_rename: (fd: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number) =>
      atTwoPaths(fd, oldPtr, oldLen, newFd, newPtr, newLen, (from, oldPath, to, newPath) => from.rename(oldPath, to, newPath)),
    path_symlink: (oldPtr: number, oldLen: number, fd: number, newPtr: number, newLen: number) =>
      atPath(fd, oldPtr, oldLen, (dir, target) => {
        const newPath = m.readPath(newPtr, newLen);
        return typeof newPath === 'number' ? newPath : dir.symlink(target, newPath);
      }),
    path_unlink_file: (fd: number, ptr: number, len: number) =>
      atPath(fd, ptr, len, (dir, path) => dir.path_unlink_file(path)),

    poll_oneoff(inPtr: number, outPtr: number, nsubs: number, neventsPtr: number): number {
      if (meter !== null) meter.charge((nsubs >>> 0) * POLL_SUBSCRIPTION_FUEL);
      return pollOneoff({ clocks: options.clocks, sleep: options.sleep, table }, m.view, inPtr >>> 0, outPtr >>> 0, nsubs >>> 0, neventsPtr);
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
      if (!m.fits(ptr, len)) return E.FAULT;
      if (meter !== null) meter.charge(Math.ceil(len / RANDOM_BYTES_PER_FUEL));
      options.random(m.bytes.subarray(ptr, ptr + len));
      return E.SUCCESS;
    },
    // No sockets in preview1 here: a closed descriptor is EBADF, any other is not a socket.
    sock_accept: (fd: number) => sockErrno(fd),
    sock_recv: (fd: number) => sockErrno(fd),
    sock_send: (fd: number) => sockErrno(fd),
    sock_shutdown: (fd: number) => sockErrno(fd),
  };
}
