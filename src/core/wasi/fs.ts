/**
 * The in-memory filesystem: one tree per mount, inodes that keep real metadata, and path
 * resolution that never leaves the directory it starts from (WASI's capability rule).
 */
import { Inode, wasi } from '@bjorn3/browser_wasi_shim';
import { E } from './errno.ts';

export interface MountInfo {
  /** Absolute guest path of the mount, e.g. "/data". */
  path: string;
  readOnly: boolean;
  /** Index of the policy's landlock rule, or -1 for a mount the runner made itself. */
  rule: number;
  /** Why the mount is read-only, in words ("policy rule 2 mounts it \"ro\""). */
  readOnlyReason: string | null;
}

/** A Filestat that writes the time fields at the offsets the WASI ABI defines (0.4.2 does not). */
export class Filestat extends wasi.Filestat {
  override write_bytes(view: DataView, ptr: number): void {
    view.setBigUint64(ptr, this.dev, true);
    view.setBigUint64(ptr + 8, this.ino, true);
    view.setUint8(ptr + 16, this.filetype);
    view.setBigUint64(ptr + 24, this.nlink, true);
    view.setBigUint64(ptr + 32, this.size, true);
    view.setBigUint64(ptr + 40, this.atim, true);
    view.setBigUint64(ptr + 48, this.mtim, true);
    view.setBigUint64(ptr + 56, this.ctim, true);
  }
}

/** Each mount is its own device: st_dev tells mounts apart, as rename's EXDEV does. */
const devices = new WeakMap<MountInfo, bigint>();
let nextDevice = 1n;
function deviceOf(mount: MountInfo): bigint {
  let dev = devices.get(mount);
  if (dev === undefined) {
    dev = nextDevice++;
    devices.set(mount, dev);
  }
  return dev;
}

export abstract class Node extends Inode {
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
  nlink = 1n;
  constructor(readonly mount: MountInfo, now: bigint) {
    super();
    this.atim = now;
    this.mtim = now;
    this.ctim = now;
  }
  abstract get filetype(): number;
  abstract get size(): bigint;
  stat(): Filestat {
    const st = new Filestat(this.ino, this.filetype, this.size);
    st.dev = deviceOf(this.mount);
    st.nlink = this.nlink;
    st.atim = this.atim;
    st.mtim = this.mtim;
    st.ctim = this.ctim;
    return st;
  }
  /** The shim's Inode interface; opening goes through the descriptor layer instead. */
  path_open(): { ret: number; fd_obj: null } {
    return { ret: E.NOTSUP, fd_obj: null };
  }
}

/** A regular file whose buffer grows geometrically, so appends cost linear time overall. */
export class FileNode extends Node {
  private buf: Uint8Array;
  private len: number;
  /** Descriptors open on the file: its bytes stay charged to the budget while any is open. */
  openFds = 0;
  /**
   * The path it was copied in from when the run started, while its contents are still those
   * bytes (any write or resize clears it): what a host's write-back needs to tell an untouched or
   * merely renamed file from a changed one without comparing bytes.
   */
  origin: string | null = null;
  /** `adopt`: keep `data` itself as the contents (the caller gives it up) instead of a copy. */
  constructor(mount: MountInfo, now: bigint, data: Uint8Array = new Uint8Array(0), adopt = false) {
    super(mount, now);
    this.buf = adopt ? data : data.slice();
    this.len = data.length;
  }
  get filetype(): number {
    return wasi.FILETYPE_REGULAR_FILE;
  }
  get size(): bigint {
    return BigInt(this.len);
  }
  get length(): number {
    return this.len;
  }
  /** The contents (a view; copy before keeping it). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
  /** Up to `n` bytes from `pos` (a view: the caller copies them into guest memory at once). */
  read(pos: number, n: number): Uint8Array {
    if (pos >= this.len) return this.buf.subarray(0, 0);
    return this.buf.subarray(pos, Math.min(this.len, pos + n));
  }
  write(pos: number, data: Uint8Array): void {
    this.origin = null;
    const end = pos + data.length;
    this.ensure(end);
    if (pos > this.len) this.buf.fill(0, this.len, pos);
    this.buf.set(data, pos);
    if (end > this.len) this.len = end;
  }
  resize(size: number): void {
    if (size !== this.len) this.origin = null;
    if (size > this.len) {
      this.ensure(size);
      this.buf.fill(0, this.len, size);
    }
    this.len = size;
  }
  private ensure(capacity: number): void {
    if (capacity <= this.buf.length) return;
    const next = new Uint8Array(Math.max(capacity, this.buf.length * 2, 64));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
}

/** A directory entry as fd_readdir reports it; `seq` orders entries and makes cookies stable. */
export interface Entry {
  name: string;
  node: Node;
  seq: number;
}

export class DirNode extends Node {
  /** Entries in insertion order, which is also `seq` order (a re-added name moves to the end). */
  readonly entries = new Map<string, Node>();
  parent: DirNode | null = null;
  private readonly seqs = new Map<string, number>();
  private nextSeq = 0;
  private listing: Entry[] | null = null;
  get filetype(): number {
    return wasi.FILETYPE_DIRECTORY;
  }
  get size(): bigint {
    return 0n;
  }
  constructor(mount: MountInfo, now: bigint) {
    super(mount, now);
    this.nlink = 2n;
  }
  add(name: string, node: Node, now: bigint): void {
    if (this.entries.has(name)) this.remove(name, now);
    this.entries.set(name, node);
    this.seqs.set(name, this.nextSeq++);
    this.listing = null;
    if (node instanceof DirNode) {
      node.parent = this;
      this.nlink += 1n; // the child's ".."
    }
    this.mtim = now;
    this.ctim = now;
  }
  remove(name: string, now: bigint): void {
    const node = this.entries.get(name);
    this.entries.delete(name);
    this.seqs.delete(name);
    this.listing = null;
    if (node instanceof DirNode) this.nlink -= 1n;
    this.mtim = now;
    this.ctim = now;
  }
  /** Entries whose seq is at least `seq`, in order. Cookies built on seq survive other changes. */
  entriesFrom(seq: number): Entry[] {
    if (this.listing === null) {
      this.listing = [...this.entries].map(([name, node]) => ({ name, node, seq: this.seqs.get(name) as number }));
    }
    const list = this.listing;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid].seq < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? list : list.slice(lo);
  }
}

export class SymlinkNode extends Node {
  readonly targetBytes: Uint8Array;
  constructor(mount: MountInfo, now: bigint, readonly target: string) {
    super(mount, now);
    this.targetBytes = encoder.encode(target);
  }
  get filetype(): number {
    return wasi.FILETYPE_SYMBOLIC_LINK;
  }
  get size(): bigint {
    return BigInt(this.targetBytes.length);
  }
}

/** POSIX SYMLOOP_MAX: more expansions than this in one lookup is a loop. */
const MAX_SYMLINKS = 40;
/** NAME_MAX: a longer path component gives ENAMETOOLONG. */
const MAX_NAME_BYTES = 255;
const encoder = new TextEncoder();

export type Resolved =
  | {
      ok: true;
      /** Directory holding the final component (the start dir itself for "." or ""). */
      parent: DirNode;
      /** Final component, or null when the path names a directory reached by "." or "..". */
      name: string | null;
      /** What the path names, or null when the final component does not exist. */
      node: Node | null;
      /** The path ended with "/": it must name a directory. */
      trailingSlash: boolean;
      /** The path's last component as written: "." and ".." matter to rmdir and rename. */
      last: string;
    }
  | { ok: false; errno: number };

/**
 * Resolve `path` relative to `start`. Absolute paths, `..` above `start` and symlinks pointing
 * out of it give NOTCAPABLE: a descriptor only ever grants what lies beneath it.
 *
 * `followFinal` follows a symlink in the last component. A trailing slash also follows it (the
 * path must name a directory) unless `slashFollows` is false: calls that create or remove a
 * name (mkdir, unlink, rmdir, rename, link, symlink) act on the link itself, as Linux does.
 */
export function resolve(start: DirNode, path: string, followFinal: boolean, slashFollows = true): Resolved {
  if (path.includes('\0')) return { ok: false, errno: E.INVAL };
  if (path === '') return { ok: false, errno: E.NOENT };
  if (path.startsWith('/')) return { ok: false, errno: E.NOTCAPABLE };
  const stack: DirNode[] = [start];
  let pending = split(path);
  let trailingSlash = path.endsWith('/');
  const written = path.split('/').filter((c) => c !== '');
  const last = written[written.length - 1] ?? '.';
  let expansions = 0;
  for (;;) {
    if (pending.length === 0) {
      return { ok: true, parent: stack[stack.length - 1], name: null, node: stack[stack.length - 1], trailingSlash, last };
    }
    const [component, ...rest] = pending;
    const isLast = rest.length === 0;
    const dir = stack[stack.length - 1];
    if (component === '..') {
      if (stack.length === 1) return { ok: false, errno: E.NOTCAPABLE };
      stack.pop();
      pending = rest;
      continue;
    }
    if (component === '.') {
      pending = rest;
      continue;
    }
    if (tooLong(component)) return { ok: false, errno: E.NAMETOOLONG };
    const child = dir.entries.get(component);
    const follow = followFinal || (trailingSlash && slashFollows);
    if (isLast && (child === undefined || !(child instanceof SymlinkNode) || !follow)) {
      return { ok: true, parent: dir, name: component, node: child ?? null, trailingSlash, last };
    }
    if (child === undefined) return { ok: false, errno: E.NOENT };
    if (child instanceof SymlinkNode) {
      if (++expansions > MAX_SYMLINKS) return { ok: false, errno: E.LOOP };
      if (child.target.startsWith('/')) return { ok: false, errno: E.NOTCAPABLE };
      if (isLast && child.target.endsWith('/')) trailingSlash = true;
      pending = [...split(child.target), ...rest];
      continue;
    }
    if (!(child instanceof DirNode)) return { ok: false, errno: E.NOTDIR };
    stack.push(child);
    pending = rest;
  }
}

/** Whether a name is over NAME_MAX bytes of UTF-8 (encoded only when its length cannot tell). */
function tooLong(name: string): boolean {
  if (name.length > MAX_NAME_BYTES) return true;
  if (name.length * 3 <= MAX_NAME_BYTES) return false;
  return encoder.encode(name).length > MAX_NAME_BYTES;
}

/** Path components without "." and empty ones, except a final "." (which names a directory). */
function split(path: string): string[] {
  const parts = path.split('/').filter((c) => c !== '');
  const out = parts.filter((c) => c !== '.');
  if (parts[parts.length - 1] === '.') out.push('.');
  return out;
}

/** Guest path of `name` inside a directory whose guest path is `dir`. */
export function joinGuest(dir: string, relative: string): string {
  const parts = dir.split('/').filter(Boolean);
  for (const c of relative.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') parts.pop();
    else parts.push(c);
  }
  return '/' + parts.join('/');
}

/** Whether `node` is `dir` or lies beneath it (used to refuse renaming a directory into itself). */
export function isAncestor(dir: DirNode, node: DirNode): boolean {
  for (let d: DirNode | null = node; d !== null; d = d.parent) if (d === dir) return true;
  return false;
}
