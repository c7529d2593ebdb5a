/**
 * Descriptors over the in-memory filesystem. Semantics only: each method takes and returns plain
 * values (the shim's Fd interface, extended); guest memory is marshalled in call-table.ts.
 *
 * Order of checks, the same in every call: the descriptor's type (EISDIR on a directory, ESPIPE
 * on a stream), then a read-only mount (EROFS, recorded as a denial naming the policy rule), then
 * the descriptor's rights (see rights.ts), then the call's own arguments.
 */
import { Fd, wasi } from '@bjorn3/browser_wasi_shim';
import { INODE_BYTES, MAX_FILE_BYTES, type FsBudget, type FsLimit } from './budget.ts';
import { E } from './errno.ts';
import { DirNode, FileNode, Filestat, Node, SymlinkNode, isAncestor, joinGuest, resolve, type MountInfo } from './fs.ts';
import {
  DIR_RIGHTS, FILE_RIGHTS, MUTATING_RIGHTS, STDIN_RIGHTS, STDOUT_RIGHTS, WRITE_INTENT_RIGHTS, hasUnknownRights,
  rightsFromGuest,
} from './rights.ts';

export interface FsContext {
  /** Current realtime in nanoseconds, for timestamps. */
  now(): bigint;
  /** Record that `op` on `guestPath` was refused because `mount` is read-only; returns the errno. */
  denyReadOnly(op: string, guestPath: string, mount: MountInfo): number;
  /** What the run's mounts may hold, and hold now. */
  budget: FsBudget;
  /** Record that `op` on `guestPath` was refused by the filesystem budget's `limit`; returns the errno. */
  denyLimit(op: string, guestPath: string, limit: FsLimit): number;
}

/**
 * Drop one name of `node`. Its contents (a file's bytes, a link's target) stay charged while
 * another name or an open descriptor still reaches them.
 */
export function unlinkNode(node: Node, budget: FsBudget): void {
  node.nlink = node instanceof DirNode ? 0n : node.nlink - 1n;
  releaseIfGone(node, budget);
}

function releaseIfGone(node: Node, budget: FsBudget): void {
  if (node.nlink > 0n) return;
  if (node instanceof FileNode && node.openFds === 0) budget.charge(-node.length);
  else if (node instanceof SymlinkNode) budget.charge(-node.targetBytes.length);
}

const R = wasi;
/** lookupflags bit 0: follow a symlink in the final component. */
export const LOOKUP_SYMLINK_FOLLOW = 1;
/** The rights of a preopened directory and of the descriptors it hands out, as u64 values. */
export const RIGHTS_DIR_BASE = BigInt(DIR_RIGHTS);
export const RIGHTS_FILE_BASE = BigInt(FILE_RIGHTS);
export const RIGHTS_MUTATING = BigInt(MUTATING_RIGHTS);
const FDFLAGS_KNOWN = R.FDFLAGS_APPEND | R.FDFLAGS_DSYNC | R.FDFLAGS_NONBLOCK | R.FDFLAGS_RSYNC | R.FDFLAGS_SYNC;
const OFLAGS_KNOWN = R.OFLAGS_CREAT | R.OFLAGS_DIRECTORY | R.OFLAGS_EXCL | R.OFLAGS_TRUNC;
const FSTFLAGS_KNOWN = R.FSTFLAGS_ATIM | R.FSTFLAGS_ATIM_NOW | R.FSTFLAGS_MTIM | R.FSTFLAGS_MTIM_NOW;
/** advice is an enum 0..5 (normal, sequential, random, willneed, dontneed, noreuse). */
const ADVICE_MAX = R.ADVICE_NOREUSE;
const EMPTY = new Uint8Array(0);

type Result<K extends string, V> = { ret: number } & Record<K, V>;
const fail = <K extends string, V>(key: K, empty: V, ret: number) => ({ ret, [key]: empty }) as Result<K, V>;
const noData = (ret: number) => fail('data', EMPTY, ret);
const noWrite = (ret: number) => fail('nwritten', 0, ret);
const noOffset = (ret: number) => fail('offset', 0n, ret);

/** Readiness of a descriptor for poll_oneoff. */
export interface Readiness {
  ret: number;
  nbytes: bigint;
  hangup: boolean;
}

/** A directory entry as fd_readdir serialises it. */
export interface Dirent {
  next: bigint;
  ino: bigint;
  name: string;
  type: number;
}

/**
 * What every descriptor has: a type, fdflags, base and inheriting rights. The defaults are a
 * stream's (stdio): not seekable, no size, no directory.
 */
export abstract class Descriptor extends Fd {
  fdflags = 0;
  rights: number;
  inheriting: number;
  constructor(base: bigint | number, inheriting: bigint | number) {
    super();
    this.rights = typeof base === 'bigint' ? rightsFromGuest(base) : base;
    this.inheriting = typeof inheriting === 'bigint' ? rightsFromGuest(inheriting) : inheriting;
  }
  abstract get filetype(): number;
  /**
   * The errno for lacking any of `rights`, or null when all are held: EBADF for reading or
   * writing (what POSIX gives for a descriptor not open for it, and what libc callers expect),
   * ENOTCAPABLE for every other right (the spec's "capabilities insufficient").
   */
  lacks(rights: number): number | null {
    const absent = rights & ~this.rights;
    if (absent === 0) return null;
    return absent & (R.RIGHTS_FD_READ | R.RIGHTS_FD_WRITE) ? E.BADF : E.NOTCAPABLE;
  }
  override fd_fdstat_get() {
    const st = new wasi.Fdstat(this.filetype, this.fdflags);
    st.fs_rights_base = BigInt(this.rights);
    st.fs_rights_inherited = BigInt(this.inheriting);
    return { ret: E.SUCCESS, fdstat: st };
  }
  override fd_fdstat_set_rights(base: bigint, inheriting: bigint): number {
    // Rights can only be narrowed, never widened.
    if (hasUnknownRights(base) || hasUnknownRights(inheriting)) return E.NOTCAPABLE;
    const b = rightsFromGuest(base);
    const i = rightsFromGuest(inheriting);
    if ((b & ~this.rights) !== 0 || (i & ~this.inheriting) !== 0) return E.NOTCAPABLE;
    this.rights = b;
    this.inheriting = i;
    return E.SUCCESS;
  }
  override fd_fdstat_set_flags(flags: number): number {
    const missing = this.lacks(R.RIGHTS_FD_FDSTAT_SET_FLAGS);
    if (missing !== null) return missing;
    if ((flags & ~FDFLAGS_KNOWN) !== 0) return E.INVAL;
    this.fdflags = flags;
    return E.SUCCESS;
  }
  override fd_read(_size: number): Result<'data', Uint8Array> {
    return noData(this.lacks(R.RIGHTS_FD_READ) ?? E.BADF);
  }
  override fd_write(_data: Uint8Array): Result<'nwritten', number> {
    return noWrite(this.lacks(R.RIGHTS_FD_WRITE) ?? E.BADF);
  }
  override fd_pread(_size: number, _offset: bigint): Result<'data', Uint8Array> {
    return noData(E.SPIPE);
  }
  override fd_pwrite(_data: Uint8Array, _offset: bigint): Result<'nwritten', number> {
    return noWrite(E.SPIPE);
  }
  override fd_seek(_offset: bigint, _whence: number): Result<'offset', bigint> {
    return noOffset(E.SPIPE);
  }
  override fd_tell(): Result<'offset', bigint> {
    return noOffset(E.SPIPE);
  }
  fd_advise(_offset: bigint, _len: bigint, _advice: number): number {
    return E.SPIPE;
  }
  override fd_allocate(_offset: bigint, _len: bigint): number {
    return E.SPIPE;
  }
  override fd_filestat_set_size(_size: bigint): number {
    return E.INVAL;
  }
  override fd_filestat_set_times(_atim: bigint, _mtim: bigint, _flags: number): number {
    return this.lacks(R.RIGHTS_FD_FILESTAT_SET_TIMES) ?? E.INVAL;
  }
  fd_datasync(): number {
    return E.INVAL;
  }
  override fd_sync(): number {
    return E.INVAL;
  }
  override fd_filestat_get(): Result<'filestat', Filestat | null> {
    const missing = this.lacks(R.RIGHTS_FD_FILESTAT_GET);
    if (missing !== null) return { ret: missing, filestat: null };
    const st = new Filestat(0n, this.filetype, 0n);
    st.nlink = 1n;
    return { ret: E.SUCCESS, filestat: st };
  }
  override fd_prestat_get(): { ret: number; prestat: InstanceType<typeof wasi.Prestat> | null } {
    return { ret: E.BADF, prestat: null };
  }
  /** Readiness for an fd_read subscription. */
  pollRead(): Readiness {
    return { ret: E.BADF, nbytes: 0n, hangup: false };
  }
  /** Readiness for an fd_write subscription. */
  pollWrite(): Readiness {
    return { ret: E.BADF, nbytes: 0n, hangup: false };
  }
}

/** Where stdin's bytes come from: fixed text, or live input that may make a read wait. */
export interface StdinSource {
  /** Up to `max` bytes; an empty array means end of input. A live source may block here. */
  read(max: number): Uint8Array;
  /** Bytes readable now without waiting. */
  available(): number;
  /** No more bytes will ever come. */
  ended(): boolean;
}

/** Stdin from bytes known before the run (the policy's stdin text). */
export function fixedStdin(data: Uint8Array): StdinSource {
  let pos = 0;
  return {
    read(max) {
      const chunk = data.subarray(pos, pos + max);
      pos += chunk.length;
      return chunk;
    },
    available: () => data.length - pos,
    ended: () => pos >= data.length,
  };
}

/** A stream we feed bytes from (stdin). */
export class StdinFd extends Descriptor {
  constructor(private readonly source: StdinSource) {
    super(STDIN_RIGHTS, 0);
  }
  get filetype(): number {
    return wasi.FILETYPE_CHARACTER_DEVICE;
  }
  override fd_read(size: number) {
    const missing = this.lacks(R.RIGHTS_FD_READ);
    if (missing !== null) return noData(missing);
    return { ret: E.SUCCESS, data: this.source.read(size) };
  }
  /** Bytes readable now, for poll_oneoff readiness. */
  get available(): number {
    return this.source.available();
  }
  override pollRead(): Readiness {
    // Live input with nothing waiting is reported ready with 0 bytes: the read that follows waits.
    const left = this.available;
    return { ret: this.lacks(R.RIGHTS_POLL_FD_READWRITE) ?? E.SUCCESS, nbytes: BigInt(left), hangup: left === 0 && this.source.ended() };
  }
}

/** stdout / stderr: every write goes to a sink that streams, caps and redacts it. */
export class OutputFd extends Descriptor {
  constructor(private readonly sink: (bytes: Uint8Array) => void) {
    super(STDOUT_RIGHTS, 0);
  }
  get filetype(): number {
    return wasi.FILETYPE_CHARACTER_DEVICE;
  }
  override fd_write(data: Uint8Array) {
    const missing = this.lacks(R.RIGHTS_FD_WRITE);
    if (missing !== null) return noWrite(missing);
    // The sink keeps what it gets; `data` may be a view of guest memory.
    this.sink(data.slice());
    return { ret: E.SUCCESS, nwritten: data.byteLength };
  }
  override pollWrite(): Readiness {
    return { ret: this.lacks(R.RIGHTS_POLL_FD_READWRITE) ?? E.SUCCESS, nbytes: 0n, hangup: false };
  }
}

export class FileFd extends Descriptor {
  private pos = 0n;
  constructor(
    readonly node: FileNode,
    readonly guestPath: string,
    private readonly ctx: FsContext,
    base: bigint | number,
    inheriting: bigint | number,
    fdflags: number,
  ) {
    super(base, inheriting);
    this.fdflags = fdflags;
    node.openFds += 1;
  }
  get filetype(): number {
    return wasi.FILETYPE_REGULAR_FILE;
  }
  private closed = false;
  override fd_close(): number {
    if (!this.closed) {
      this.closed = true;
      this.node.openFds -= 1;
      // An unlinked file's bytes go when its last descriptor does.
      if (this.node.openFds === 0 && this.node.nlink === 0n) this.ctx.budget.charge(-this.node.length);
    }
    return E.SUCCESS;
  }
  /** Resize to `size`, charged to the budget: the errno of the limit it would pass, else SUCCESS. */
  private grow(op: string, size: number): number {
    if (size === this.node.length) return E.SUCCESS;
    const delta = size - this.node.length;
    const limit = this.ctx.budget.refusesBytes(delta, size);
    if (limit !== null) return this.ctx.denyLimit(op, this.guestPath, limit);
    this.ctx.budget.charge(delta);
    this.node.resize(size);
    return E.SUCCESS;
  }
  /** EROFS (recorded) when the file's mount is read-only, else the errno for a missing right. */
  private refuse(op: string, right: number): number | null {
    if (this.node.mount.readOnly) return this.ctx.denyReadOnly(op, this.guestPath, this.node.mount);
    return this.lacks(right);
  }
  override fd_read(size: number) {
    const missing = this.lacks(R.RIGHTS_FD_READ);
    if (missing !== null) return noData(missing);
    const data = this.readAt(this.pos, size);
    this.pos += BigInt(data.length);
    return { ret: E.SUCCESS, data };
  }
  override fd_pread(size: number, offset: bigint) {
    const missing = this.lacks(R.RIGHTS_FD_READ | R.RIGHTS_FD_SEEK);
    if (missing !== null) return noData(missing);
    return { ret: E.SUCCESS, data: this.readAt(offset, size) };
  }
  private readAt(offset: bigint, size: number): Uint8Array {
    this.node.atim = this.ctx.now();
    return offset >= this.node.size ? EMPTY : this.node.read(Number(offset), size);
  }
  override fd_write(data: Uint8Array) {
    const refused = this.refuse('write to', R.RIGHTS_FD_WRITE);
    if (refused !== null) return noWrite(refused);
    if (this.fdflags & R.FDFLAGS_APPEND) this.pos = this.node.size;
    const ret = this.writeAt(this.pos, data);
    if (ret !== E.SUCCESS) return noWrite(ret);
    this.pos += BigInt(data.length);
    return { ret, nwritten: data.length };
  }
  override fd_pwrite(data: Uint8Array, offset: bigint) {
    const refused = this.refuse('write to', R.RIGHTS_FD_WRITE | R.RIGHTS_FD_SEEK);
    if (refused !== null) return noWrite(refused);
    // Linux (and wasmtime): with O_APPEND, pwrite appends whatever the offset.
    const ret = this.writeAt(this.fdflags & R.FDFLAGS_APPEND ? this.node.size : offset, data);
    return ret === E.SUCCESS ? { ret, nwritten: data.length } : noWrite(ret);
  }
  private writeAt(offset: bigint, data: Uint8Array): number {
    if (offset + BigInt(data.length) > BigInt(MAX_FILE_BYTES)) return E.FBIG;
    if (data.length === 0) return E.SUCCESS;
    const end = Number(offset) + data.length;
    if (end > this.node.length) {
      const limit = this.ctx.budget.refusesBytes(end - this.node.length, end);
      if (limit !== null) return this.ctx.denyLimit('write to', this.guestPath, limit);
      this.ctx.budget.charge(end - this.node.length);
    }
    this.node.write(Number(offset), data);
    this.touch();
    return E.SUCCESS;
  }
  override fd_seek(offset: bigint, whence: number) {
    // Reading the position (offset 0 from the current one) needs only the tell right.
    const tellOnly = offset === 0n && whence === R.WHENCE_CUR && this.lacks(R.RIGHTS_FD_TELL) === null;
    const missing = tellOnly ? null : this.lacks(R.RIGHTS_FD_SEEK);
    if (missing !== null) return noOffset(missing);
    let next: bigint;
    if (whence === R.WHENCE_SET) next = offset;
    else if (whence === R.WHENCE_CUR) next = this.pos + offset;
    else if (whence === R.WHENCE_END) next = this.node.size + offset;
    else return noOffset(E.INVAL);
    if (next < 0n) return noOffset(E.INVAL);
    if (next > 0x7fff_ffff_ffff_ffffn) return noOffset(E.OVERFLOW);
    this.pos = next;
    return { ret: E.SUCCESS, offset: next };
  }
  override fd_tell() {
    const missing = this.lacks(R.RIGHTS_FD_TELL);
    return missing !== null ? noOffset(missing) : { ret: E.SUCCESS, offset: this.pos };
  }
  override fd_filestat_get() {
    const missing = this.lacks(R.RIGHTS_FD_FILESTAT_GET);
    if (missing !== null) return { ret: missing, filestat: null };
    return { ret: E.SUCCESS, filestat: this.node.stat() };
  }
  override fd_filestat_set_size(size: bigint): number {
    const refused = this.refuse('truncate', R.RIGHTS_FD_FILESTAT_SET_SIZE);
    if (refused !== null) return refused;
    if (size > BigInt(MAX_FILE_BYTES)) return E.FBIG;
    const ret = this.grow('truncate', Number(size));
    if (ret !== E.SUCCESS) return ret;
    this.touch();
    return E.SUCCESS;
  }
  override fd_allocate(offset: bigint, len: bigint): number {
    const refused = this.refuse('allocate space in', R.RIGHTS_FD_ALLOCATE);
    if (refused !== null) return refused;
    const end = offset + len;
    if (end > BigInt(MAX_FILE_BYTES)) return E.FBIG;
    if (end > this.node.size) {
      const ret = this.grow('allocate space in', Number(end));
      if (ret !== E.SUCCESS) return ret;
      this.touch();
    }
    return E.SUCCESS;
  }
  override fd_advise(_offset: bigint, _len: bigint, advice: number): number {
    const missing = this.lacks(R.RIGHTS_FD_ADVISE);
    if (missing !== null) return missing;
    return advice > ADVICE_MAX ? E.INVAL : E.SUCCESS;
  }
  override fd_filestat_set_times(atim: bigint, mtim: bigint, flags: number): number {
    const refused = this.refuse('set times of', R.RIGHTS_FD_FILESTAT_SET_TIMES);
    if (refused !== null) return refused;
    return setTimes(this.node, atim, mtim, flags, this.ctx.now());
  }
  override fd_datasync(): number {
    return this.lacks(R.RIGHTS_FD_DATASYNC) ?? E.SUCCESS;
  }
  override fd_sync(): number {
    return this.lacks(R.RIGHTS_FD_SYNC) ?? E.SUCCESS;
  }
  override pollRead(): Readiness {
    const left = this.node.size - this.pos;
    return { ret: this.lacks(R.RIGHTS_POLL_FD_READWRITE) ?? E.SUCCESS, nbytes: left > 0n ? left : 0n, hangup: false };
  }
  override pollWrite(): Readiness {
    return { ret: this.lacks(R.RIGHTS_POLL_FD_READWRITE) ?? E.SUCCESS, nbytes: 0n, hangup: false };
  }
  private touch(): void {
    const now = this.ctx.now();
    this.node.mtim = now;
    this.node.ctim = now;
  }
}

/** futimens/utimensat: explicit times or "now"; giving both for one field is EINVAL. */
export function setTimes(node: Node, atim: bigint, mtim: bigint, flags: number, now: bigint): number {
  if ((flags & ~FSTFLAGS_KNOWN) !== 0) return E.INVAL;
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

export class DirFd extends Descriptor {
  constructor(
    readonly node: DirNode,
    readonly guestPath: string,
    private readonly ctx: FsContext,
    base: bigint | number,
    inheriting: bigint | number,
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
  /** EROFS, recorded as a denial, for a change under a read-only mount. */
  private readOnly(op: string, path: string): number | null {
    return this.node.mount.readOnly ? this.ctx.denyReadOnly(op, joinGuest(this.guestPath, path), this.node.mount) : null;
  }
  /** EROFS for a change under a read-only mount, else the errno for a missing right. */
  private refuse(op: string, path: string, right: number): number | null {
    return this.readOnly(op, path) ?? this.lacks(right);
  }
  override fd_prestat_get() {
    if (this.preopenName === null) return { ret: E.BADF, prestat: null };
    return { ret: E.SUCCESS, prestat: wasi.Prestat.dir(this.preopenName) };
  }
  override fd_filestat_get() {
    const missing = this.lacks(R.RIGHTS_FD_FILESTAT_GET);
    if (missing !== null) return { ret: missing, filestat: null };
    return { ret: E.SUCCESS, filestat: this.node.stat() };
  }
  override fd_filestat_set_times(atim: bigint, mtim: bigint, flags: number): number {
    const refused = this.refuse('set times of', '.', R.RIGHTS_FD_FILESTAT_SET_TIMES);
    if (refused !== null) return refused;
    return setTimes(this.node, atim, mtim, flags, this.ctx.now());
  }
  override fd_read() {
    return noData(E.ISDIR);
  }
  override fd_pread() {
    return noData(E.ISDIR);
  }
  override fd_write() {
    return noWrite(E.ISDIR);
  }
  override fd_pwrite() {
    return noWrite(E.ISDIR);
  }
  override fd_seek() {
    return noOffset(E.ISDIR);
  }
  override fd_tell() {
    return noOffset(E.ISDIR);
  }
  override fd_allocate(): number {
    return E.ISDIR;
  }
  override fd_filestat_set_size(): number {
    return E.ISDIR;
  }
  override fd_advise(): number {
    return E.ISDIR;
  }
  override fd_datasync(): number {
    return this.lacks(R.RIGHTS_FD_DATASYNC) ?? E.SUCCESS;
  }
  override fd_sync(): number {
    return this.lacks(R.RIGHTS_FD_SYNC) ?? E.SUCCESS;
  }

  /**
   * Entries from `cookie` on: "." (cookie 0), ".." (1), then the names in the order they were
   * added. An entry's cookie is its sequence number + 3, so a cookie still points at the same
   * place after other entries are added or removed.
   */
  readdir(cookie: bigint): { ret: number; entries: Iterable<Dirent> } {
    const missing = this.lacks(R.RIGHTS_FD_READDIR);
    if (missing !== null) return { ret: missing, entries: [] };
    this.node.atim = this.ctx.now();
    return { ret: E.SUCCESS, entries: this.dirents(cookie) };
  }
  private *dirents(cookie: bigint): Generator<Dirent> {
    const dir = this.node;
    if (cookie === 0n) yield { next: 1n, ino: dir.ino, name: '.', type: wasi.FILETYPE_DIRECTORY };
    if (cookie <= 1n) yield { next: 2n, ino: (dir.parent ?? dir).ino, name: '..', type: wasi.FILETYPE_DIRECTORY };
    const from = cookie <= 2n ? 0 : Number(cookie - 2n);
    for (const e of dir.entriesFrom(from)) yield { next: BigInt(e.seq + 3), ino: e.node.ino, name: e.name, type: e.node.filetype };
  }

  override path_open(dirflags: number, path: string, oflags: number, base: bigint, inheriting: bigint, fdflags: number) {
    const failed = (ret: number) => ({ ret, fd_obj: null });
    const missing = this.lacks(R.RIGHTS_PATH_OPEN);
    if (missing !== null) return failed(missing);
    if ((oflags & ~OFLAGS_KNOWN) !== 0 || (fdflags & ~FDFLAGS_KNOWN) !== 0) return failed(E.INVAL);
    const wantsDir = (oflags & R.OFLAGS_DIRECTORY) !== 0;
    const create = (oflags & R.OFLAGS_CREAT) !== 0;
    const exclusive = create && (oflags & R.OFLAGS_EXCL) !== 0;
    const truncate = (oflags & R.OFLAGS_TRUNC) !== 0;
    // O_CREAT|O_DIRECTORY cannot create a directory (Linux since 6.4 and wasmtime: EINVAL).
    if (wantsDir && create) return failed(E.INVAL);
    // O_CREAT|O_EXCL never follows a final symlink: an existing link, even dangling, is EEXIST.
    const r = resolve(this.node, path, (dirflags & LOOKUP_SYMLINK_FOLLOW) !== 0 && !exclusive);
    if (!r.ok) return failed(r.errno);
    const requested = rightsFromGuest(base);
    const writeIntent = (requested & WRITE_INTENT_RIGHTS) !== 0 || (fdflags & R.FDFLAGS_APPEND) !== 0;
    const mount = this.node.mount;
    const guest = joinGuest(this.guestPath, path);
    const grantable = this.inheriting & (mount.readOnly ? ~MUTATING_RIGHTS : ~0);
    let node = r.node;
    if (node === null) {
      if (!create) return failed(E.NOENT);
      if (r.trailingSlash) return failed(E.ISDIR);
      if (mount.readOnly) return failed(this.ctx.denyReadOnly('create', guest, mount));
      const cannot = this.lacks(R.RIGHTS_PATH_CREATE_FILE);
      if (cannot !== null) return failed(cannot);
      const full = this.ctx.budget.refusesEntry(r.name as string);
      if (full !== null) return failed(this.ctx.denyLimit('create', guest, full));
      this.ctx.budget.chargeEntry(r.name as string);
      const now = this.ctx.now();
      node = new FileNode(mount, now);
      r.parent.add(r.name as string, node, now);
    } else {
      if (exclusive) return failed(E.EXIST);
      if (node instanceof SymlinkNode) return failed(E.LOOP); // the final symlink, not followed
      if (node instanceof DirNode) {
        // POSIX: O_CREAT (without O_DIRECTORY), O_TRUNC or a write on a directory is EISDIR.
        if (create || truncate || writeIntent) return failed(E.ISDIR);
        const dirBase = requested & DIR_RIGHTS & grantable;
        return { ret: E.SUCCESS, fd_obj: new DirFd(node, guest, this.ctx, dirBase, rightsFromGuest(inheriting) & this.inheriting) };
      }
      if (wantsDir || r.trailingSlash) return failed(E.NOTDIR);
      if (mount.readOnly && (truncate || writeIntent)) {
        return failed(this.ctx.denyReadOnly(truncate ? 'truncate' : 'open for writing', guest, mount));
      }
      if (truncate) {
        const cannot = this.lacks(R.RIGHTS_PATH_FILESTAT_SET_SIZE);
        if (cannot !== null) return failed(cannot);
      }
    }
    if (!(node instanceof FileNode)) return failed(E.NOTSUP);
    if (truncate) {
      // POSIX: O_TRUNC marks mtime and ctime for update even when the file was already empty.
      this.ctx.budget.charge(-node.length);
      node.resize(0);
      const now = this.ctx.now();
      node.mtim = now;
      node.ctim = now;
    }
    const fileBase = requested & FILE_RIGHTS & grantable;
    const fd = new FileFd(node, guest, this.ctx, fileBase, rightsFromGuest(inheriting) & this.inheriting, fdflags);
    return { ret: E.SUCCESS, fd_obj: fd };
  }

  override path_filestat_get(flags: number, path: string) {
    const missing = this.lacks(R.RIGHTS_PATH_FILESTAT_GET);
    if (missing !== null) return { ret: missing, filestat: null };
    const r = resolve(this.node, path, (flags & LOOKUP_SYMLINK_FOLLOW) !== 0);
    if (!r.ok) return { ret: r.errno, filestat: null };
    if (r.node === null) return { ret: E.NOENT, filestat: null };
    if (r.trailingSlash && !(r.node instanceof DirNode)) return { ret: E.NOTDIR, filestat: null };
    return { ret: E.SUCCESS, filestat: r.node.stat() };
  }

  override path_filestat_set_times(flags: number, path: string, atim: bigint, mtim: bigint, fstFlags: number): number {
    const refused = this.refuse('set times of', path, R.RIGHTS_PATH_FILESTAT_SET_TIMES);
    if (refused !== null) return refused;
    const r = resolve(this.node, path, (flags & LOOKUP_SYMLINK_FOLLOW) !== 0);
    if (!r.ok) return r.errno;
    if (r.node === null) return E.NOENT;
    if (r.trailingSlash && !(r.node instanceof DirNode)) return E.NOTDIR;
    return setTimes(r.node, atim, mtim, fstFlags, this.ctx.now());
  }

  override path_create_directory(path: string): number {
    const refused = this.refuse('create directory', path, R.RIGHTS_PATH_CREATE_DIRECTORY);
    if (refused !== null) return refused;
    const r = resolve(this.node, path, false, false);
    if (!r.ok) return r.errno;
    if (r.node !== null || r.name === null) return E.EXIST;
    const full = this.ctx.budget.refusesEntry(r.name);
    if (full !== null) return this.ctx.denyLimit('create directory', joinGuest(this.guestPath, path), full);
    this.ctx.budget.chargeEntry(r.name);
    const now = this.ctx.now();
    r.parent.add(r.name, new DirNode(this.node.mount, now), now);
    return E.SUCCESS;
  }

  override path_unlink_file(path: string): number {
    const refused = this.refuse('delete', path, R.RIGHTS_PATH_UNLINK_FILE);
    if (refused !== null) return refused;
    const r = resolve(this.node, path, false, false);
    if (!r.ok) return r.errno;
    if (r.name === null || r.node instanceof DirNode) return E.ISDIR;
    if (r.node === null) return E.NOENT;
    if (r.trailingSlash) return E.NOTDIR;
    const now = this.ctx.now();
    r.parent.remove(r.name, now);
    this.ctx.budget.releaseEntry(r.name);
    unlinkNode(r.node, this.ctx.budget);
    r.node.ctim = now;
    return E.SUCCESS;
  }

  override path_remove_directory(path: string): number {
    const refused = this.refuse('remove directory', path, R.RIGHTS_PATH_REMOVE_DIRECTORY);
    if (refused !== null) return refused;
    const r = resolve(this.node, path, false, false);
    if (!r.ok) return r.errno;
    // rmdir(2): a final "." is EINVAL, a final ".." is ENOTEMPTY (it holds at least us).
    if (r.name === null) return r.last === '..' ? E.NOTEMPTY : E.INVAL;
    if (r.node === null) return E.NOENT;
    if (!(r.node instanceof DirNode)) return E.NOTDIR;
    if (r.node.entries.size > 0) return E.NOTEMPTY;
    r.parent.remove(r.name, this.ctx.now());
    this.ctx.budget.releaseEntry(r.name);
    r.node.nlink = 0n;
    return E.SUCCESS;
  }

  /** rename(2) semantics within one mount; a read-only side is refused first, then EXDEV. */
  rename(oldPath: string, target: DirFd, newPath: string): number {
    const refused = this.readOnly('rename from', oldPath) ?? target.readOnly('rename to', newPath)
      ?? this.lacks(R.RIGHTS_PATH_RENAME_SOURCE) ?? target.lacks(R.RIGHTS_PATH_RENAME_TARGET);
    if (refused !== null) return refused;
    if (target.node.mount !== this.node.mount) return E.XDEV;
    const from = resolve(this.node, oldPath, false, false);
    if (!from.ok) return from.errno;
    if (from.name === null) return E.INVAL;
    if (from.node === null) return E.NOENT;
    const to = resolve(target.node, newPath, false, false);
    if (!to.ok) return to.errno;
    if (to.name === null) return E.INVAL;
    const moving = from.node;
    if (!(moving instanceof DirNode) && (from.trailingSlash || to.trailingSlash)) return E.NOTDIR;
    if (moving instanceof DirNode && isAncestor(moving, to.parent)) return E.INVAL;
    const existing = to.node;
    // Two names of one file: POSIX says do nothing and succeed.
    if (existing === moving) return E.SUCCESS;
    if (existing !== null) {
      if (moving instanceof DirNode) {
        if (!(existing instanceof DirNode)) return E.NOTDIR;
        if (existing.entries.size > 0) return E.NOTEMPTY;
      } else if (existing instanceof DirNode) {
        return E.ISDIR;
      }
    }
    // The new name costs what its length adds; the replaced entry's name and contents are freed.
    const budget = this.ctx.budget;
    const added = to.name.length - from.name.length - (existing !== null ? INODE_BYTES + to.name.length : 0);
    if (added > 0 && budget.refusesBytes(added, 0) !== null) {
      return this.ctx.denyLimit('rename to', joinGuest(target.guestPath, newPath), 'max_bytes');
    }
    const now = this.ctx.now();
    if (existing !== null) {
      to.parent.remove(to.name, now);
      budget.releaseEntry(to.name);
      unlinkNode(existing, budget);
      existing.ctim = now;
    }
    budget.releaseEntry(from.name);
    budget.chargeEntry(to.name);
    from.parent.remove(from.name, now);
    to.parent.add(to.name, moving, now);
    moving.ctim = now;
    return E.SUCCESS;
  }

  /** link(2): hard links to files (and to symlinks themselves), within one mount. */
  link(oldFlags: number, oldPath: string, target: DirFd, newPath: string): number {
    const refused = target.readOnly('link into', newPath)
      ?? this.lacks(R.RIGHTS_PATH_LINK_SOURCE) ?? target.lacks(R.RIGHTS_PATH_LINK_TARGET);
    if (refused !== null) return refused;
    if (target.node.mount !== this.node.mount) return E.XDEV;
    const from = resolve(this.node, oldPath, (oldFlags & LOOKUP_SYMLINK_FOLLOW) !== 0);
    if (!from.ok) return from.errno;
    if (from.node === null) return E.NOENT;
    if (from.node instanceof DirNode) return E.PERM;
    if (from.trailingSlash) return E.NOTDIR;
    const to = resolve(target.node, newPath, false, false);
    if (!to.ok) return to.errno;
    if (to.node !== null || to.name === null) return E.EXIST;
    if (to.trailingSlash) return E.NOENT;
    const full = this.ctx.budget.refusesEntry(to.name);
    if (full !== null) return this.ctx.denyLimit('link into', joinGuest(target.guestPath, newPath), full);
    this.ctx.budget.chargeEntry(to.name);
    const now = this.ctx.now();
    to.parent.add(to.name, from.node, now);
    from.node.nlink += 1n;
    from.node.ctim = now;
    return E.SUCCESS;
  }

  /** symlink(2). An absolute target could only ever point outside the sandbox: refused. */
  symlink(targetText: string, newPath: string): number {
    const refused = this.refuse('create symlink', newPath, R.RIGHTS_PATH_SYMLINK);
    if (refused !== null) return refused;
    if (targetText.includes('\0')) return E.INVAL;
    if (targetText === '') return E.NOENT;
    if (targetText.startsWith('/')) return E.NOTCAPABLE;
    const r = resolve(this.node, newPath, false, false);
    if (!r.ok) return r.errno;
    if (r.name === null) return E.EXIST;
    if (r.node !== null) return r.trailingSlash && !(r.node instanceof DirNode) ? E.NOTDIR : E.EXIST;
    if (r.trailingSlash) return E.NOENT;
    const link = new SymlinkNode(this.node.mount, this.ctx.now(), targetText);
    const full = this.ctx.budget.refusesEntry(r.name, link.targetBytes.length);
    if (full !== null) return this.ctx.denyLimit('create symlink', joinGuest(this.guestPath, newPath), full);
    this.ctx.budget.chargeEntry(r.name, link.targetBytes.length);
    const now = this.ctx.now();
    r.parent.add(r.name, link, now);
    return E.SUCCESS;
  }

  /** readlink(2): the link's target bytes (the caller truncates them into its buffer). */
  readlink(path: string): { ret: number; target: Uint8Array | null } {
    const missing = this.lacks(R.RIGHTS_PATH_READLINK);
    if (missing !== null) return { ret: missing, target: null };
    const r = resolve(this.node, path, false);
    if (!r.ok) return { ret: r.errno, target: null };
    if (r.node === null) return { ret: E.NOENT, target: null };
    if (!(r.node instanceof SymlinkNode)) return { ret: E.INVAL, target: null };
    return { ret: E.SUCCESS, target: r.node.targetBytes };
  }
}
