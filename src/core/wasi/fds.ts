/**
 * Descriptors over the in-memory filesystem. Semantics only: each method takes and returns plain
 * values (the shim's Fd interface); guest memory is marshalled in syscalls.ts.
 * Every mutating call on a read-only mount is refused with READ_ONLY_ERRNO and recorded as a
 * denial naming the policy rule.
 */
import { Fd, wasi } from '@bjorn3/browser_wasi_shim';
import { E } from './errno.ts';
import { DirNode, FileNode, Filestat, Node, SymlinkNode, isAncestor, joinGuest, resolve, type MountInfo } from './fs.ts';

export interface FsContext {
  /** Current realtime in nanoseconds, for timestamps. */
  now(): bigint;
  /** Record that `op` on `guestPath` was refused because `mount` is read-only; returns the errno. */
  denyReadOnly(op: string, guestPath: string, mount: MountInfo): number;
}

const R = wasi;
/** lookupflags bit 0: follow a symlink in the final component. */
export const LOOKUP_SYMLINK_FOLLOW = 1;
const bit = (n: number) => BigInt(n);
export const RIGHTS_FILE_BASE =
  bit(R.RIGHTS_FD_DATASYNC) | bit(R.RIGHTS_FD_READ) | bit(R.RIGHTS_FD_SEEK) | bit(R.RIGHTS_FD_FDSTAT_SET_FLAGS) |
  bit(R.RIGHTS_FD_SYNC) | bit(R.RIGHTS_FD_TELL) | bit(R.RIGHTS_FD_WRITE) | bit(R.RIGHTS_FD_ADVISE) |
  bit(R.RIGHTS_FD_ALLOCATE) | bit(R.RIGHTS_FD_FILESTAT_GET) | bit(R.RIGHTS_FD_FILESTAT_SET_SIZE) |
  bit(R.RIGHTS_FD_FILESTAT_SET_TIMES) | bit(R.RIGHTS_POLL_FD_READWRITE);
export const RIGHTS_DIR_BASE =
  bit(R.RIGHTS_FD_FDSTAT_SET_FLAGS) | bit(R.RIGHTS_FD_SYNC) | bit(R.RIGHTS_FD_ADVISE) |
  bit(R.RIGHTS_PATH_CREATE_DIRECTORY) | bit(R.RIGHTS_PATH_CREATE_FILE) | bit(R.RIGHTS_PATH_LINK_SOURCE) |
  bit(R.RIGHTS_PATH_LINK_TARGET) | bit(R.RIGHTS_PATH_OPEN) | bit(R.RIGHTS_FD_READDIR) |
  bit(R.RIGHTS_PATH_READLINK) | bit(R.RIGHTS_PATH_RENAME_SOURCE) | bit(R.RIGHTS_PATH_RENAME_TARGET) |
  bit(R.RIGHTS_PATH_FILESTAT_GET) | bit(R.RIGHTS_PATH_FILESTAT_SET_SIZE) | bit(R.RIGHTS_PATH_FILESTAT_SET_TIMES) |
  bit(R.RIGHTS_FD_FILESTAT_GET) | bit(R.RIGHTS_FD_FILESTAT_SET_TIMES) | bit(R.RIGHTS_PATH_SYMLINK) |
  bit(R.RIGHTS_PATH_REMOVE_DIRECTORY) | bit(R.RIGHTS_PATH_UNLINK_FILE) | bit(R.RIGHTS_POLL_FD_READWRITE);
/** Rights that change something; a read-only mount never grants them. */
export const RIGHTS_MUTATING =
  bit(R.RIGHTS_FD_WRITE) | bit(R.RIGHTS_FD_ALLOCATE) | bit(R.RIGHTS_FD_FILESTAT_SET_SIZE) |
  bit(R.RIGHTS_FD_FILESTAT_SET_TIMES) | bit(R.RIGHTS_PATH_CREATE_DIRECTORY) | bit(R.RIGHTS_PATH_CREATE_FILE) |
  bit(R.RIGHTS_PATH_LINK_SOURCE) | bit(R.RIGHTS_PATH_LINK_TARGET) | bit(R.RIGHTS_PATH_RENAME_SOURCE) |
  bit(R.RIGHTS_PATH_RENAME_TARGET) | bit(R.RIGHTS_PATH_FILESTAT_SET_SIZE) | bit(R.RIGHTS_PATH_FILESTAT_SET_TIMES) |
  bit(R.RIGHTS_PATH_SYMLINK) | bit(R.RIGHTS_PATH_REMOVE_DIRECTORY) | bit(R.RIGHTS_PATH_UNLINK_FILE);
/** Rights in a path_open request that mean "I intend to write to the file". */
const RIGHTS_WRITE_INTENT = bit(R.RIGHTS_FD_WRITE) | bit(R.RIGHTS_FD_ALLOCATE) | bit(R.RIGHTS_FD_FILESTAT_SET_SIZE);
const RIGHTS_STDIN = bit(R.RIGHTS_FD_READ) | bit(R.RIGHTS_FD_FILESTAT_GET) | bit(R.RIGHTS_POLL_FD_READWRITE);
const RIGHTS_STDOUT = bit(R.RIGHTS_FD_WRITE) | bit(R.RIGHTS_FD_FILESTAT_GET) | bit(R.RIGHTS_POLL_FD_READWRITE);
const FDFLAGS_KNOWN = R.FDFLAGS_APPEND | R.FDFLAGS_DSYNC | R.FDFLAGS_NONBLOCK | R.FDFLAGS_RSYNC | R.FDFLAGS_SYNC;

function fdstat(filetype: number, flags: number, base: bigint, inheriting: bigint): InstanceType<typeof wasi.Fdstat> {
  const st = new wasi.Fdstat(filetype, flags);
  st.fs_rights_base = base;
  st.fs_rights_inherited = inheriting;
  return st;
}

/** Common rights bookkeeping for every descriptor we hand out. */
abstract class RightsFd extends Fd {
  fdflags = 0;
  constructor(public rightsBase: bigint, public rightsInheriting: bigint) {
    super();
  }
  abstract get filetype(): number;
  override fd_fdstat_get() {
    return { ret: E.SUCCESS, fdstat: fdstat(this.filetype, this.fdflags, this.rightsBase, this.rightsInheriting) };
  }
  override fd_fdstat_set_rights(base: bigint, inheriting: bigint): number {
    // Rights can only be narrowed, never widened.
    if ((base & ~this.rightsBase) !== 0n || (inheriting & ~this.rightsInheriting) !== 0n) return E.NOTCAPABLE;
    this.rightsBase = base;
    this.rightsInheriting = inheriting;
    return E.SUCCESS;
  }
  override fd_fdstat_set_flags(flags: number): number {
    if ((flags & ~FDFLAGS_KNOWN) !== 0) return E.INVAL;
    this.fdflags = flags;
    return E.SUCCESS;
  }
  has(right: number): boolean {
    return (this.rightsBase & BigInt(right)) !== 0n;
  }
}

/** A stream we feed bytes from (stdin). */
export class StdinFd extends RightsFd {
  private pos = 0;
  constructor(private readonly data: Uint8Array) {
    super(RIGHTS_STDIN, 0n);
  }
  get filetype(): number {
    return wasi.FILETYPE_CHARACTER_DEVICE;
  }
  override fd_read(size: number) {
    const chunk = this.data.slice(this.pos, this.pos + size);
    this.pos += chunk.length;
    return { ret: E.SUCCESS, data: chunk };
  }
  override fd_seek() {
    return { ret: E.SPIPE, offset: 0n };
  }
  override fd_filestat_get() {
    return { ret: E.SUCCESS, filestat: new Filestat(0n, wasi.FILETYPE_CHARACTER_DEVICE, 0n) };
  }
  /** Bytes left to read, for poll_oneoff readiness. */
  get available(): number {
    return this.data.length - this.pos;
  }
}

/** stdout / stderr: every write goes to a sink that streams, caps and redacts it. */
export class OutputFd extends RightsFd {
  constructor(private readonly sink: (bytes: Uint8Array) => void) {
    super(RIGHTS_STDOUT, 0n);
  }
  get filetype(): number {
    return wasi.FILETYPE_CHARACTER_DEVICE;
  }
  override fd_write(data: Uint8Array) {
    this.sink(data);
    return { ret: E.SUCCESS, nwritten: data.byteLength };
  }
  override fd_seek() {
    return { ret: E.SPIPE, offset: 0n };
  }
  override fd_filestat_get() {
    return { ret: E.SUCCESS, filestat: new Filestat(0n, wasi.FILETYPE_CHARACTER_DEVICE, 0n) };
  }
}

export class FileFd extends RightsFd {
  private pos = 0n;
  constructor(
    readonly node: FileNode,
    readonly guestPath: string,
    private readonly ctx: FsContext,
    base: bigint,
    inheriting: bigint,
    fdflags: number,
  ) {
    super(base, inheriting);
    this.fdflags = fdflags;
  }
  get filetype(): number {
    return wasi.FILETYPE_REGULAR_FILE;
  }
  private readOnly(op: string): number | null {
    return this.node.mount.readOnly ? this.ctx.denyReadOnly(op, this.guestPath, this.node.mount) : null;
  }
  override fd_read(size: number) {
    if (!this.has(R.RIGHTS_FD_READ)) return { ret: E.BADF, data: new Uint8Array(0) };
    const data = this.node.read(Number(this.pos), size);
    this.pos += BigInt(data.length);
    this.node.atim = this.ctx.now();
    return { ret: E.SUCCESS, data };
  }
  override fd_pread(size: number, offset: bigint) {
    if (!this.has(R.RIGHTS_FD_READ)) return { ret: E.BADF, data: new Uint8Array(0) };
    const data = this.node.read(Number(offset), size);
    this.node.atim = this.ctx.now();
    return { ret: E.SUCCESS, data };
  }
  override fd_write(data: Uint8Array) {
    const denied = this.readOnly('write to');
    if (denied !== null) return { ret: denied, nwritten: 0 };
    if (!this.has(R.RIGHTS_FD_WRITE)) return { ret: E.BADF, nwritten: 0 };
    if (this.fdflags & R.FDFLAGS_APPEND) this.pos = this.node.size;
    this.node.write(Number(this.pos), data);
    this.pos += BigInt(data.length);
    this.touch();
    return { ret: E.SUCCESS, nwritten: data.length };
  }
  override fd_pwrite(data: Uint8Array, offset: bigint) {
    const denied = this.readOnly('write to');
    if (denied !== null) return { ret: denied, nwritten: 0 };
    if (!this.has(R.RIGHTS_FD_WRITE)) return { ret: E.BADF, nwritten: 0 };
    // POSIX (and wasmtime): with O_APPEND, pwrite appends whatever the offset.
    const at = this.fdflags & R.FDFLAGS_APPEND ? this.node.size : offset;
    this.node.write(Number(at), data);
    this.touch();
    return { ret: E.SUCCESS, nwritten: data.length };
  }
  override fd_seek(offset: bigint, whence: number) {
    let next: bigint;
    if (whence === R.WHENCE_SET) next = offset;
    else if (whence === R.WHENCE_CUR) next = this.pos + offset;
    else if (whence === R.WHENCE_END) next = this.node.size + offset;
    else return { ret: E.INVAL, offset: 0n };
    if (next < 0n) return { ret: E.INVAL, offset: 0n };
    this.pos = next;
    return { ret: E.SUCCESS, offset: next };
  }
  override fd_tell() {
    return { ret: E.SUCCESS, offset: this.pos };
  }
  override fd_filestat_get() {
    return { ret: E.SUCCESS, filestat: this.node.stat() };
  }
  override fd_filestat_set_size(size: bigint): number {
    const denied = this.readOnly('truncate');
    if (denied !== null) return denied;
    if (!this.has(R.RIGHTS_FD_FILESTAT_SET_SIZE)) return E.BADF;
    if (size > BigInt(MAX_FILE_BYTES)) return E.FBIG;
    this.node.resize(Number(size));
    this.touch();
    return E.SUCCESS;
  }
  override fd_allocate(offset: bigint, len: bigint): number {
    const denied = this.readOnly('allocate space in');
    if (denied !== null) return denied;
    if (!this.has(R.RIGHTS_FD_ALLOCATE)) return E.BADF;
    const end = offset + len;
    if (end > BigInt(MAX_FILE_BYTES)) return E.FBIG;
    if (end > this.node.size) {
      this.node.resize(Number(end));
      this.touch();
    }
    return E.SUCCESS;
  }
  override fd_filestat_set_times(atim: bigint, mtim: bigint, flags: number): number {
    const denied = this.readOnly('set times of');
    if (denied !== null) return denied;
    return setTimes(this.node, atim, mtim, flags, this.ctx.now());
  }
  private touch(): void {
    const now = this.ctx.now();
    this.node.mtim = now;
    this.node.ctim = now;
  }
}

/** Largest file the in-memory filesystem holds (1 GiB): past it writes give EFBIG. */
export const MAX_FILE_BYTES = 1 << 30;

export function setTimes(node: Node, atim: bigint, mtim: bigint, flags: number, now: bigint): number {
  if ((flags & R.FSTFLAGS_ATIM && flags & R.FSTFLAGS_ATIM_NOW) || (flags & R.FSTFLAGS_MTIM && flags & R.FSTFLAGS_MTIM_NOW)) {
    return E.INVAL;
  }
  if (flags & R.FSTFLAGS_ATIM) node.atim = atim;
  else if (flags & R.FSTFLAGS_ATIM_NOW) node.atim = now;
  if (flags & R.FSTFLAGS_MTIM) node.mtim = mtim;
  else if (flags & R.FSTFLAGS_MTIM_NOW) node.mtim = now;
  node.ctim = now;
  return E.SUCCESS;
}

export class DirFd extends RightsFd {
  constructor(
    readonly node: DirNode,
    readonly guestPath: string,
    private readonly ctx: FsContext,
    base: bigint,
    inheriting: bigint,
    /** Set on preopened directories: the name the guest sees in fd_prestat_dir_name. */
    readonly preopenName: string | null = null,
  ) {
    super(base, inheriting);
  }
  get filetype(): number {
    return wasi.FILETYPE_DIRECTORY;
  }
  get mount(): MountInfo {
    return this.node.mount;
  }
  private denyIfReadOnly(op: string, path: string): number | null {
    return this.node.mount.readOnly ? this.ctx.denyReadOnly(op, joinGuest(this.guestPath, path), this.node.mount) : null;
  }
  override fd_prestat_get() {
    if (this.preopenName === null) return { ret: E.BADF, prestat: null };
    return { ret: E.SUCCESS, prestat: wasi.Prestat.dir(this.preopenName) };
  }
  override fd_filestat_get() {
    return { ret: E.SUCCESS, filestat: this.node.stat() };
  }
  override fd_filestat_set_times(atim: bigint, mtim: bigint, flags: number): number {
    const denied = this.denyIfReadOnly('set times of', '.');
    if (denied !== null) return denied;
    return setTimes(this.node, atim, mtim, flags, this.ctx.now());
  }
  override fd_read() {
    return { ret: E.ISDIR, data: new Uint8Array(0) };
  }
  override fd_pread() {
    return { ret: E.ISDIR, data: new Uint8Array(0) };
  }
  override fd_write() {
    return { ret: E.ISDIR, nwritten: 0 };
  }
  override fd_pwrite() {
    return { ret: E.ISDIR, nwritten: 0 };
  }
  override fd_seek() {
    return { ret: E.ISDIR, offset: 0n };
  }
  override fd_tell() {
    return { ret: E.ISDIR, offset: 0n };
  }
  override fd_allocate(): number {
    return E.ISDIR;
  }
  override fd_filestat_set_size(): number {
    return E.ISDIR;
  }
  /** Entries in a stable order: ".", "..", then names in insertion order; cookie = index + 1. */
  override fd_readdir_single(cookie: bigint) {
    const index = Number(cookie);
    if (index === 0) return { ret: E.SUCCESS, dirent: new wasi.Dirent(1n, this.node.ino, '.', wasi.FILETYPE_DIRECTORY) };
    if (index === 1) {
      const parent = this.node.parent ?? this.node;
      return { ret: E.SUCCESS, dirent: new wasi.Dirent(2n, parent.ino, '..', wasi.FILETYPE_DIRECTORY) };
    }
    const names = [...this.node.entries.keys()];
    const name = names[index - 2];
    if (name === undefined) return { ret: E.SUCCESS, dirent: null };
    const entry = this.node.entries.get(name) as Node;
    this.node.atim = this.ctx.now();
    return { ret: E.SUCCESS, dirent: new wasi.Dirent(BigInt(index + 1), entry.ino, name, entry.filetype) };
  }

  override path_open(dirflags: number, path: string, oflags: number, base: bigint, inheriting: bigint, fdflags: number) {
    const fail = (ret: number) => ({ ret, fd_obj: null });
    if (!this.has(R.RIGHTS_PATH_OPEN)) return fail(E.NOTCAPABLE);
    const r = resolve(this.node, path, (dirflags & LOOKUP_SYMLINK_FOLLOW) !== 0);
    if (!r.ok) return fail(r.errno);
    const wantsDir = (oflags & R.OFLAGS_DIRECTORY) !== 0;
    const create = (oflags & R.OFLAGS_CREAT) !== 0;
    const truncate = (oflags & R.OFLAGS_TRUNC) !== 0;
    const writeIntent = (base & RIGHTS_WRITE_INTENT) !== 0n || (fdflags & R.FDFLAGS_APPEND) !== 0;
    const mount = this.node.mount;
    const guest = joinGuest(this.guestPath, path);
    let node = r.node;
    if (node === null) {
      if (!create) return fail(E.NOENT);
      if (r.trailingSlash || wantsDir) return fail(create ? E.INVAL : E.NOENT);
      if (mount.readOnly) return fail(this.ctx.denyReadOnly('create', guest, mount));
      if (!this.has(R.RIGHTS_PATH_CREATE_FILE)) return fail(E.NOTCAPABLE);
      const now = this.ctx.now();
      node = new FileNode(mount, now);
      r.parent.add(r.name as string, node, now);
    } else {
      if (create && (oflags & R.OFLAGS_EXCL) !== 0) return fail(E.EXIST);
      if (node instanceof SymlinkNode) return fail(E.LOOP); // O_NOFOLLOW on a symlink
      if (node instanceof DirNode) {
        if (truncate || writeIntent) return fail(E.ISDIR);
        const inherited = inheriting & this.rightsInheriting;
        const dirBase = base & this.rightsInheriting & RIGHTS_DIR_BASE & (mount.readOnly ? ~RIGHTS_MUTATING : ~0n);
        return { ret: E.SUCCESS, fd_obj: new DirFd(node, guest, this.ctx, dirBase, inherited) };
      }
      if (wantsDir || r.trailingSlash) return fail(E.NOTDIR);
      if (mount.readOnly && (truncate || writeIntent)) {
        return fail(this.ctx.denyReadOnly(truncate ? 'truncate' : 'open for writing', guest, mount));
      }
    }
    if (!(node instanceof FileNode)) return fail(E.NOTSUP);
    if (truncate) {
      // O_RDONLY|O_TRUNC is unspecified in POSIX; Linux truncates, and so do we.
      node.resize(0);
      const now = this.ctx.now();
      node.mtim = now;
      node.ctim = now;
    }
    const fileBase = base & this.rightsInheriting & RIGHTS_FILE_BASE & (mount.readOnly ? ~RIGHTS_MUTATING : ~0n);
    const fd = new FileFd(node, guest, this.ctx, fileBase, inheriting & this.rightsInheriting, fdflags & FDFLAGS_KNOWN);
    return { ret: E.SUCCESS, fd_obj: fd };
  }

  override path_filestat_get(flags: number, path: string) {
    const r = resolve(this.node, path, (flags & LOOKUP_SYMLINK_FOLLOW) !== 0);
    if (!r.ok) return { ret: r.errno, filestat: null };
    if (r.node === null) return { ret: E.NOENT, filestat: null };
    if (r.trailingSlash && !(r.node instanceof DirNode)) return { ret: E.NOTDIR, filestat: null };
    return { ret: E.SUCCESS, filestat: r.node.stat() };
  }

  override path_filestat_set_times(flags: number, path: string, atim: bigint, mtim: bigint, fstFlags: number): number {
    const denied = this.denyIfReadOnly('set times of', path);
    if (denied !== null) return denied;
    const r = resolve(this.node, path, (flags & LOOKUP_SYMLINK_FOLLOW) !== 0);
    if (!r.ok) return r.errno;
    if (r.node === null) return E.NOENT;
    return setTimes(r.node, atim, mtim, fstFlags, this.ctx.now());
  }

  override path_create_directory(path: string): number {
    const denied = this.denyIfReadOnly('create directory', path);
    if (denied !== null) return denied;
    const r = resolve(this.node, path, false);
    if (!r.ok) return r.errno;
    if (r.node !== null || r.name === null) return E.EXIST;
    const now = this.ctx.now();
    r.parent.add(r.name, new DirNode(this.node.mount, now), now);
    return E.SUCCESS;
  }

  override path_unlink_file(path: string): number {
    const denied = this.denyIfReadOnly('delete', path);
    if (denied !== null) return denied;
    const r = resolve(this.node, path, false);
    if (!r.ok) return r.errno;
    if (r.node === null || r.name === null) return r.name === null ? E.ISDIR : E.NOENT;
    if (r.node instanceof DirNode) return E.ISDIR;
    if (r.trailingSlash) return E.NOTDIR;
    r.parent.remove(r.name, this.ctx.now());
    r.node.nlink -= 1n;
    r.node.ctim = this.ctx.now();
    return E.SUCCESS;
  }

  override path_remove_directory(path: string): number {
    const denied = this.denyIfReadOnly('remove directory', path);
    if (denied !== null) return denied;
    const r = resolve(this.node, path, false);
    if (!r.ok) return r.errno;
    if (r.name === null) return r.node === this.node ? E.INVAL : E.NOTEMPTY;
    if (r.node === null) return E.NOENT;
    if (!(r.node instanceof DirNode)) return E.NOTDIR;
    if (r.node.entries.size > 0) return E.NOTEMPTY;
    r.parent.remove(r.name, this.ctx.now());
    return E.SUCCESS;
  }

  /** rename(2) semantics within one mount; a read-only side is refused first, then EXDEV. */
  rename(oldPath: string, target: DirFd, newPath: string): number {
    const deniedFrom = this.denyIfReadOnly('rename from', oldPath);
    if (deniedFrom !== null) return deniedFrom;
    const deniedTo = target.denyIfReadOnly('rename to', newPath);
    if (deniedTo !== null) return deniedTo;
    if (target.node.mount !== this.node.mount) return E.XDEV;
    const from = resolve(this.node, oldPath, false);
    if (!from.ok) return from.errno;
    if (from.node === null) return E.NOENT;
    if (from.name === null) return E.INVAL;
    const to = resolve(target.node, newPath, false);
    if (!to.ok) return to.errno;
    if (to.name === null) return E.INVAL;
    const moving = from.node;
    if (moving instanceof DirNode && isAncestor(moving, to.parent)) return E.INVAL;
    if (!(moving instanceof DirNode) && (from.trailingSlash || to.trailingSlash)) return E.NOTDIR;
    const existing = to.node;
    if (existing === moving) return E.SUCCESS;
    if (existing !== null) {
      if (moving instanceof DirNode) {
        if (!(existing instanceof DirNode)) return E.NOTDIR;
        if (existing.entries.size > 0) return E.NOTEMPTY;
      } else if (existing instanceof DirNode) {
        return E.ISDIR;
      }
      existing.nlink -= 1n;
    }
    const now = this.ctx.now();
    from.parent.remove(from.name, now);
    to.parent.add(to.name, moving, now);
    moving.ctim = now;
    return E.SUCCESS;
  }

  /** link(2): hard links to files only, within one mount. */
  link(oldFlags: number, oldPath: string, target: DirFd, newPath: string): number {
    const denied = target.denyIfReadOnly('link into', newPath);
    if (denied !== null) return denied;
    if (target.node.mount !== this.node.mount) return E.XDEV;
    const from = resolve(this.node, oldPath, (oldFlags & LOOKUP_SYMLINK_FOLLOW) !== 0);
    if (!from.ok) return from.errno;
    if (from.node === null) return E.NOENT;
    if (from.node instanceof DirNode) return E.PERM;
    const to = resolve(target.node, newPath, false);
    if (!to.ok) return to.errno;
    if (to.node !== null || to.name === null) return E.EXIST;
    if (to.trailingSlash) return E.NOENT;
    const now = this.ctx.now();
    to.parent.add(to.name, from.node, now);
    from.node.nlink += 1n;
    from.node.ctim = now;
    return E.SUCCESS;
  }

  symlink(targetText: string, newPath: string): number {
    const denied = this.denyIfReadOnly('create symlink', newPath);
    if (denied !== null) return denied;
    if (targetText.includes('\0')) return E.INVAL;
    const r = resolve(this.node, newPath, false);
    if (!r.ok) return r.errno;
    if (r.node !== null || r.name === null) return E.EXIST;
    if (r.trailingSlash) return E.NOENT;
    const now = this.ctx.now();
    r.parent.add(r.name, new SymlinkNode(this.node.mount, now, targetText), now);
    return E.SUCCESS;
  }

  override path_readlink(path: string) {
    const r = resolve(this.node, path, false);
    if (!r.ok) return { ret: r.errno, data: null };
    if (r.node === null) return { ret: E.NOENT, data: null };
    if (!(r.node instanceof SymlinkNode)) return { ret: E.INVAL, data: null };
    return { ret: E.SUCCESS, data: r.node.target };
  }
}
