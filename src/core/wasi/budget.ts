/**
 * The in-memory filesystem's budget: what one run's mounts may hold in total, so that a guest
 * cannot grow the host process through its files (a 1 GiB ftruncate, a 2 GB write, a million
 * empty files) while its linear memory is capped.
 *
 * What counts (documented in the README's "Filesystem budget"):
 * - the bytes of every regular file, at its length: a file grown by ftruncate or fd_allocate
 *   counts its whole new size, because the in-memory filesystem really holds those zeros;
 * - the bytes of every symlink's target;
 * - INODE_BYTES plus the name for every file, directory and symlink (what the host really spends
 *   on an entry, measured: about 450 bytes of V8 heap for an empty file), so a million empty
 *   files cannot hide under a byte budget;
 * - and, separately, the number of inodes.
 * A file's bytes are released when its last name is removed and no descriptor holds it open.
 *
 * Which errno: a single file past max_file_bytes is EFBIG ("File too large", as Linux gives past
 * RLIMIT_FSIZE); the total past max_bytes, or one inode past max_inodes, is ENOSPC ("No space
 * left on device", as a full disk or a full inode table gives). A refused write writes nothing.
 */
import { E } from './errno.ts';

export interface FsLimits {
  /** Total bytes the mounts may hold (contents, link targets and entries, see above). */
  maxBytes: number;
  /** Files, directories and symlinks, mount roots included. */
  maxInodes: number;
  /** Largest single file. */
  maxFileBytes: number;
}

/** Largest file the in-memory filesystem holds (1 GiB) whatever the budget: past it writes give EFBIG. */
export const MAX_FILE_BYTES = 1 << 30;

/** Charged per file, directory or symlink, besides its name. */
export const INODE_BYTES = 512;

/** Which limit refused a change, for the audit entry and the errno. */
export type FsLimit = 'max_bytes' | 'max_inodes' | 'max_file_bytes';

export class FsBudget {
  bytes = 0;
  inodes = 0;
  constructor(readonly limits: FsLimits) {}

  /** The limit `delta` more bytes in a file that would then be `fileSize` long would pass, or null. */
  refusesBytes(delta: number, fileSize: number): FsLimit | null {
    if (fileSize > this.limits.maxFileBytes) return 'max_file_bytes';
    if (delta > 0 && this.bytes + delta > this.limits.maxBytes) return 'max_bytes';
    return null;
  }

  /** The limit one more entry named `name` (of `extra` more bytes) would pass, or null. */
  refusesEntry(name: string, extra = 0): FsLimit | null {
    if (this.inodes + 1 > this.limits.maxInodes) return 'max_inodes';
    if (this.bytes + entryBytes(name) + extra > this.limits.maxBytes) return 'max_bytes';
    return null;
  }

  charge(delta: number): void {
    this.bytes += delta;
  }

  chargeEntry(name: string, extra = 0): void {
    this.inodes += 1;
    this.bytes += entryBytes(name) + extra;
  }

  releaseEntry(name: string, extra = 0): void {
    this.inodes -= 1;
    this.bytes -= entryBytes(name) + extra;
  }
}

/** The errno for a refusal: EFBIG for one file too large, ENOSPC for the whole filesystem full. */
export function limitErrno(limit: FsLimit): number {
  return limit === 'max_file_bytes' ? E.FBIG : E.NOSPC;
}

/** Why a limit refused a change, in words, with what is in use now. */
export function describeLimit(budget: FsBudget, limit: FsLimit): string {
  const l = budget.limits;
  switch (limit) {
    case 'max_file_bytes': return `one file may hold at most ${formatSize(l.maxFileBytes)} (filesystem.max_file_bytes)`;
    case 'max_inodes': return `the mounts hold ${budget.inodes} files, directories and links, the most the filesystem budget allows (filesystem.max_inodes)`;
    case 'max_bytes': return `the mounts would hold more than the filesystem budget of ${formatSize(l.maxBytes)} (filesystem.max_bytes; ${formatSize(budget.bytes)} in use)`;
  }
}

function entryBytes(name: string): number {
  return INODE_BYTES + name.length;
}

/** "16 MiB", "1 GiB", "300 B": for messages about limits. */
export function formatSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${bytes} B` : `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u]}`;
}
