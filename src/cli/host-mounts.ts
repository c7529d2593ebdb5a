/**
 * Host directories as sandbox mounts: copied in before the run, and the guest's changes written
 * back after it, without ever letting the guest reach a host path it was not given.
 *
 * Copy-in reads regular files and directories only. A symlink is reproduced as a symlink when its
 * target is relative and stays inside the mount (the guest can then follow it, as on the host);
 * any other symlink, and every FIFO, socket and device, is skipped and reported, so the guest
 * never sees past the mount and nothing is read that could block or never end. Files are opened
 * without following a final symlink and without blocking, and checked to be regular files after
 * opening. The whole copy is charged to the run's filesystem budget as it goes: a mount that does
 * not fit fails before the run, naming the mount, what it holds and the budget, having read no
 * more than the budget.
 *
 * Write-back is a transaction of the guest's changes, not a mirror of its tree. Copy-in records
 * each entry's host state (type, size, mtime, inode); after the run the guest's tree is compared
 * with that record and only the differences are applied: created, modified, deleted, renamed
 * (applied as a host rename, so the file keeps its inode), and type changes. Before each change
 * every component of the host path is checked to be a real directory (never a symlink), and the
 * entry it replaces to be a regular file, directory or symlink; a symlink, FIFO, socket or device
 * on the host is never written through or replaced. An entry that changed on the host during the
 * run is a conflict: the host's version is kept and reported (or the guest's wins, if asked).
 * Files are written to a temporary name in their directory and renamed into place, so an
 * interrupted write-back leaves no torn file. A change that cannot be applied is reported and the
 * rest still are. Paths under a nested mount belong to that mount and are never touched.
 *
 * What stays outside this design: a host process that races the write-back itself (swapping a
 * directory for a symlink between our check and our write). The guest cannot do that: it has
 * stopped before write-back starts.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync, constants, fchmodSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, realpathSync,
  renameSync, rmdirSync, symlinkSync, unlinkSync, writeSync, type Stats,
} from 'node:fs';
import { join, posix, resolve as resolvePath } from 'node:path';
import { formatSize, FsBudget, isInside, normaliseMountPath, type MountEntry } from '../core/index.ts';
import { describeError, kindOf } from './host-files.ts';

export interface HostMount {
  /** The host directory as given. */
  host: string;
  /** Absolute guest path. */
  guest: string;
  readOnly: boolean;
  /** How the person asked for it, for messages: "--dir ./out", "--ro-dir /proc". */
  origin: string;
}

/** What the host held at a path when it was copied in. */
type Recorded =
  | { type: 'dir'; ino: number }
  | { type: 'file'; size: number; mtimeMs: number; ino: number; sha256: string }
  | { type: 'symlink'; target: string; ino: number };

export interface CopiedMount {
  mount: HostMount;
  /** The host directory, symlinks resolved. */
  root: string;
  /** Entries for the engine, relative to the mount. */
  entries: MountEntry[];
  /** Host state at copy-in, by path relative to the mount ("" is the root). */
  recorded: Map<string, Recorded>;
  /** Relative paths of nested mounts' mount points: neither copied in nor written back. */
  shadowed: string[];
}

/** Something the person should know about a mount (a skipped symlink or special file). */
export type Notice = string;

export class MountError extends Error {}

/** Notices listed one by one; past this, counted. */
const NOTICES_SHOWN = 20;

/**
 * Copy every mount in, charged to one budget (all mounts share the run's filesystem). Throws
 * MountError for a mount that is not a directory or does not fit.
 */
export function copyIn(mounts: readonly HostMount[], cwd: string, budget: FsBudget, notices: Notice[]): CopiedMount[] {
  return mounts.map((mount) => copyMount(mount, mounts, cwd, budget, notices));
}

function copyMount(mount: HostMount, all: readonly HostMount[], cwd: string, budget: FsBudget, notices: Notice[]): CopiedMount {
  const given = resolvePath(cwd, mount.host);
  let root: string;
  try {
    root = realpathSync(given);
    if (!lstatSync(root).isDirectory()) throw new MountError(`${mount.origin}: ${mount.host} is not a directory`);
  } catch (e) {
    if (e instanceof MountError) throw e;
    throw new MountError(`${mount.origin}: cannot open ${mount.host}: ${describeError(e)}`);
  }
  const guestRoot = normaliseMountPath(mount.guest);
  const shadowed = all
    .map((m) => normaliseMountPath(m.guest))
    .filter((g) => g !== guestRoot && isInside(g, guestRoot))
    .map((g) => (guestRoot === '/' ? g.slice(1) : g.slice(guestRoot.length + 1)));
  const entries: MountEntry[] = [];
  const recorded = new Map<string, Recorded>([['', { type: 'dir', ino: lstatSync(root).ino }]]);
  budget.chargeEntry(''); // the mount's root, as the engine counts it
  const guestOf = (rel: string) => (guestRoot === '/' ? '/' : guestRoot + '/') + rel;
  const over = () => new MountError(
    `${mount.origin}: holds more than the run's filesystem budget of ${formatSize(budget.limits.maxBytes)} and ${budget.limits.maxInodes} entries` +
    ` (${formatSize(budget.bytes)} in ${budget.inodes} ${budget.inodes === 1 ? 'entry' : 'entries'} when copying stopped, this mount and those before it);` +
    ' mount a smaller directory, or raise filesystem.max_bytes / filesystem.max_inodes in a policy');
  const charge = (name: string, bytes: number) => {
    if (budget.refusesEntry(name, bytes) !== null) {
      budget.chargeEntry(name, bytes);
      throw over();
    }
    budget.chargeEntry(name, bytes);
  };
  const skip = (rel: string, why: string) => notices.push(`skipped ${guestOf(rel)}: ${why}`);

  const walk = (dir: string, rel: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (e) {
      skip(rel, `cannot list it: ${describeError(e)}`);
      return;
    }
    for (const name of names) {
      const relPath = rel === '' ? name : `${rel}/${name}`;
      // A nested mount's mount point: shadowed by that mount (the engine makes it an empty directory).
      if (shadowed.includes(relPath)) continue;
      const hostPath = join(dir, name);
      let st: Stats;
      try {
        st = lstatSync(hostPath);
      } catch (e) {
        skip(relPath, describeError(e));
        continue;
      }
      if (st.isDirectory()) {
        charge(name, 0);
        recorded.set(relPath, { type: 'dir', ino: st.ino });
        entries.push({ path: relPath + '/', data: null });
        walk(hostPath, relPath);
      } else if (st.isFile()) {
        // Charged at its stat size before a byte is read; read without following a swapped-in
        // link and without blocking, then checked again, so only a regular file is ever read.
        charge(name, st.size);
        const read = readRegular(hostPath, budget);
        if (typeof read === 'string') {
          budget.releaseEntry(name, st.size);
          skip(relPath, read);
          continue;
        }
        budget.charge(read.data.length - st.size);
        if (budget.bytes > budget.limits.maxBytes) throw over();
        // The bytes go to the sandbox (handed over, not kept here): the record keeps their hash,
        // which only write-back needs.
        const hash = mount.readOnly ? '' : sha256(read.data);
        recorded.set(relPath, { type: 'file', size: read.stat.size, mtimeMs: read.stat.mtimeMs, ino: read.stat.ino, sha256: hash });
        entries.push({ path: relPath, data: read.data, origin: relPath });
      } else if (st.isSymbolicLink()) {
        let target: string;
        try {
          target = readlinkSync(hostPath);
        } catch (e) {
          skip(relPath, describeError(e));
          continue;
        }
        if (!staysInside(relPath, target)) {
          skip(relPath, `a symlink to ${target}, outside the mount`);
          continue;
        }
        charge(name, Buffer.byteLength(target));
        recorded.set(relPath, { type: 'symlink', target, ino: st.ino });
        entries.push({ path: relPath, data: null, symlink: target });
      } else {
        skip(relPath, `${kindOf(st)}, which a sandbox never reads`);
      }
    }
  };
  walk(root, '');
  return { mount, root, entries, recorded, shadowed };
}

/** A relative link target that, resolved from the link's directory, stays inside the mount. */
function staysInside(relPath: string, target: string): boolean {
  if (target === '' || target.startsWith('/')) return false;
  const resolved = posix.normalize(posix.join(posix.dirname(relPath), target));
  return resolved !== '..' && !resolved.startsWith('../') && !posix.isAbsolute(resolved);
}

/** How far past its stated size a file is read (files in /proc say 0 bytes). */
const PAST_STATED_SIZE = 1024 * 1024;
/** Reads past a file's stat size land here first. */
const probe = new Uint8Array(65536);

/** A regular file's bytes (to EOF, within what is left of the budget), or why it was not read. */
function readRegular(path: string, budget: FsBudget): { data: Uint8Array; stat: Stats } | string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    return `cannot read it: ${describeError(e)}`;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return `${kindOf(stat)}, which a sandbox never reads`;
    // The size stat gave (already charged), then whatever more there is (files such as /proc's
    // say 0 bytes and have more) up to EOF: at most PAST_STATED_SIZE more, and never more than one
    // byte past the budget. A kernel file that reads on and on (/proc/self/pagemap) is skipped.
    const budgetRoom = Math.max(0, budget.limits.maxBytes - budget.bytes + stat.size);
    const room = Math.min(budgetRoom, stat.size + PAST_STATED_SIZE);
    const head = new Uint8Array(Math.min(stat.size, room + 1));
    let total = 0;
    while (total < head.length) {
      const n = readSync(fd, head, total, head.length - total, null);
      if (n === 0) break;
      total += n;
    }
    const chunks = [head.subarray(0, total)];
    while (total <= room) {
      const n = readSync(fd, probe, 0, Math.min(probe.length, room - total + 1), null);
      if (n === 0) break;
      chunks.push(probe.slice(0, n));
      total += n;
    }
    if (total > room && room < budgetRoom) return `it reads on past ${formatSize(room)} though its size says ${formatSize(stat.size)} (a kernel file?), which a sandbox does not copy`;
    return { data: chunks.length === 1 ? chunks[0] : concat(chunks, total), stat };
  } catch (e) {
    return `cannot read it: ${describeError(e)}`;
  } finally {
    closeSync(fd);
  }
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The notices as lines for stderr, the first NOTICES_SHOWN in full. */
export function noticeLines(notices: readonly Notice[]): string[] {
  const shown = notices.slice(0, NOTICES_SHOWN);
  if (notices.length > NOTICES_SHOWN) shown.push(`... and ${notices.length - NOTICES_SHOWN} more`);
  return shown;
}

// ---------------------------------------------------------------------------------------------
// Write-back

export type ConflictPolicy = 'host' | 'guest';

export interface WriteBackReport {
  /** Changes applied. */
  applied: number;
  /** Changes not applied, one line each ("not written back: ...", "conflict: ..."). */
  problems: string[];
}

/** What the guest's tree holds at a path after the run. */
type Final =
  | { type: 'dir' }
  | { type: 'file'; data: Uint8Array | null; origin: string | undefined }
  | { type: 'symlink'; target: string };

class Refused extends Error {}

/** Apply the guest's changes to one read-write mount (see the header for the rules). */
export function writeBack(copied: CopiedMount, after: readonly MountEntry[], options: { conflicts: ConflictPolicy; skip?: ReadonlySet<string> }): WriteBackReport {
  const { root, recorded, shadowed } = copied;
  const guestRoot = normaliseMountPath(copied.mount.guest);
  const guestOf = (rel: string) => (rel === '' ? guestRoot : (guestRoot === '/' ? '/' : guestRoot + '/') + rel);
  const problems: string[] = [];
  let applied = 0;
  const underShadow = (rel: string) => shadowed.some((s) => rel === s || rel.startsWith(s + '/'));

  const final = new Map<string, Final>();
  for (const e of after) {
    const rel = e.path.endsWith('/') ? e.path.slice(0, -1) : e.path;
    if (options.skip?.has(rel)) continue;
    if (underShadow(rel)) {
      if (!shadowed.includes(rel)) problems.push(`not written back: ${guestOf(rel)}: ${guestOf(shadowed.find((s) => rel.startsWith(s + '/')) as string)} is another mount's mount point`);
      continue;
    }
    if (e.symlink !== undefined) final.set(rel, { type: 'symlink', target: e.symlink });
    else if (e.path.endsWith('/')) final.set(rel, { type: 'dir' });
    else final.set(rel, { type: 'file', data: e.data, origin: e.origin });
  }

  /** The host path of `rel`, after checking that each directory on the way is a real directory. */
  const hostPath = (rel: string): string => {
    const parts = rel.split('/');
    let dir = root;
    for (let i = 0; i < parts.length - 1; i++) {
      dir = join(dir, parts[i]);
      let st: Stats;
      try {
        st = lstatSync(dir);
      } catch (e) {
        throw new Refused(describeError(e));
      }
      if (!st.isDirectory()) throw new Refused(`the host has ${kindOf(st)} at ${guestOf(parts.slice(0, i + 1).join('/'))}`);
    }
    return join(dir, parts[parts.length - 1]);
  };
  const hostStat = (path: string): Stats | null => {
    try {
      return lstatSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new Refused(describeError(e));
    }
  };
  /** Whether the host entry is still what was copied in (no change on the host during the run). */
  const unchanged = (st: Stats | null, was: Recorded | undefined): boolean => {
    if (was === undefined) return st === null;
    if (st === null) return false;
    if (was.type === 'file') return st.isFile() && st.size === was.size && st.mtimeMs === was.mtimeMs && st.ino === was.ino;
    if (was.type === 'dir') return st.isDirectory() && st.ino === was.ino;
    return st.isSymbolicLink() && st.ino === was.ino;
  };
  /**
   * Checks that `rel` may be changed: the host entry there is a regular file, directory or
   * symlink (never a FIFO, socket or device) and, unless the guest wins conflicts, still what was
   * copied in. Returns the host path and its entry.
   */
  const prepare = (rel: string, mayReplace: 'file' | 'dir' | 'any'): { path: string; st: Stats | null } => {
    const path = hostPath(rel);
    const st = hostStat(path);
    // A path this write-back has just cleared should now hold nothing.
    const was = cleared.has(rel) ? undefined : recorded.get(rel);
    if (st !== null && !st.isFile() && !st.isDirectory() && !(st.isSymbolicLink() && was?.type === 'symlink')) {
      throw new Refused(`the host has ${kindOf(st)} there`);
    }
    if (st !== null && mayReplace !== 'any' && !(mayReplace === 'file' ? st.isFile() : st.isDirectory())) {
      if (!(was !== undefined && unchanged(st, was))) throw new Refused(`the host has ${kindOf(st)} there`);
    }
    if (!unchanged(st, was) && options.conflicts === 'host') throw new Conflict();
    return { path, st };
  };
  const cleared = new Set<string>();
  /** Directories that could not be made or removed: what lies beneath them is counted, not listed. */
  const failedDirs: string[] = [];
  let beneathFailed = 0;
  const attempt = (rel: string, action: () => void, isDir = false) => {
    if (failedDirs.some((d) => rel.startsWith(d + '/'))) {
      beneathFailed++;
      return;
    }
    try {
      action();
      applied++;
    } catch (e) {
      if (isDir) failedDirs.push(rel);
      if (e instanceof Conflict) problems.push(`conflict: ${guestOf(rel)} changed on the host during the run; the host's version was kept`);
      else if (e instanceof Refused) problems.push(`not written back: ${guestOf(rel)}: ${e.message}`);
      else problems.push(`not written back: ${guestOf(rel)}: ${describeError(e)}`);
    }
  };

  // Renames: a file the guest did not change, now at another path, with nothing left at its old one.
  const renames = new Map<string, string>(); // new path -> old path
  const moved = new Set<string>();
  for (const [rel, f] of final) {
    if (f.type !== 'file' || f.data !== null || f.origin === undefined || f.origin === rel) continue;
    const old = f.origin;
    const stillThere = final.get(old);
    if (moved.has(old) || (stillThere?.type === 'file' && stillThere.origin === old) || recorded.get(old)?.type !== 'file') continue;
    if (recorded.has(rel)) continue; // replaces something: written as a change below
    renames.set(rel, old);
    moved.add(old);
  }

  const depth = (rel: string) => rel.split('/').length;
  const byDepth = (a: string, b: string) => depth(a) - depth(b) || (a < b ? -1 : 1);
  const typeOf = (r: Recorded | undefined) => r?.type;

  // 1. New directories where the host had nothing (parents first).
  // (Not the directories on the way to a nested mount's mount point: the engine made those.)
  const newDirs = [...final]
    .filter(([rel, f]) => f.type === 'dir' && rel !== '' && typeOf(recorded.get(rel)) !== 'dir' && !shadowed.some((s) => s.startsWith(rel + '/')))
    .map(([rel]) => rel).sort(byDepth);
  const deferredDirs: string[] = [];
  for (const rel of newDirs) {
    if (recorded.has(rel)) deferredDirs.push(rel); // replaces a file or link: after the deletions
    else attempt(rel, () => mkdirSync(prepare(rel, 'dir').path), true);
  }
  // 2. Renames, while their sources are where they were.
  for (const [rel, old] of renames) {
    attempt(rel, () => {
      const from = prepare(old, 'file');
      const to = prepare(rel, 'file');
      if (to.st !== null) throw new Conflict();
      renameSync(from.path, to.path);
    });
  }
  // 3. Deletions, deepest first: what was copied in and is gone, or has changed type.
  const gone = [...recorded.keys()].filter((rel) => {
    if (rel === '' || moved.has(rel) || underShadow(rel)) return false;
    const f = final.get(rel);
    return f === undefined || f.type !== recorded.get(rel)?.type;
  }).sort((a, b) => -byDepth(a, b));
  for (const rel of gone) {
    attempt(rel, () => {
      const was = recorded.get(rel) as Recorded;
      const { path, st } = prepare(rel, 'any');
      if (st === null) return; // already gone on the host
      if (was.type === 'dir') {
        try {
          rmdirSync(path);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOTEMPTY' || (e as NodeJS.ErrnoException).code === 'EEXIST') throw new Conflict();
          throw e;
        }
      } else unlinkSync(path);
      cleared.add(rel);
    }, recorded.get(rel)?.type === 'dir');
  }
  // 4. Directories that replace a file or link.
  for (const rel of deferredDirs) attempt(rel, () => mkdirSync(prepare(rel, 'any').path), true);
  // 5. Files and symlinks, new or changed.
  for (const [rel, f] of final) {
    if (f.type === 'dir' || renames.has(rel)) continue;
    const was = recorded.get(rel);
    if (f.type === 'symlink') {
      if (was?.type === 'symlink' && was.target === f.target) continue;
      attempt(rel, () => {
        if (!staysInside(rel, f.target)) throw new Refused(`a symlink to ${f.target}, outside the mount`);
        const { path, st } = prepare(rel, 'any');
        if (st !== null && !st.isDirectory()) unlinkSync(path);
        symlinkSync(f.target, path);
      });
      continue;
    }
    const data = f.data;
    if (data === null) {
      if (f.origin === rel) continue; // untouched
      // A copy (or a hard link) of a file the guest did not change: its bytes are the host file's
      // at the origin, read again now if it is still what was copied in.
      const origin = f.origin;
      const source = origin === undefined ? undefined : recorded.get(origin);
      if (source?.type !== 'file' || origin === undefined) continue;
      attempt(rel, () => {
        const from = hostPath(origin);
        const bytes = unchanged(hostStat(from), source) ? readFileSync(from) : null;
        if (bytes === null || sha256(bytes) !== source.sha256) throw new Conflict();
        const { path, st } = prepare(rel, 'file');
        writeAtomically(path, bytes, st);
      });
      continue;
    }
    if (was?.type === 'file' && was.size === data.length && sha256(data) === was.sha256) continue;
    attempt(rel, () => {
      const { path, st } = prepare(rel, 'file');
      writeAtomically(path, data, st);
    });
  }
  if (beneathFailed > 0) problems.push(`not written back: ${beneathFailed} more entries beneath the directories above`);
  return { applied, problems };
}

class Conflict extends Error {}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Write to a fresh temporary name in the same directory (created exclusively, never through a
 * link), then rename it over the target, so a reader sees the old file or the new one, never half.
 */
function writeAtomically(path: string, data: Uint8Array, existing: Stats | null): void {
  const tmp = join(path, '..', `.kavach-${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o666);
  try {
    try {
      if (existing !== null) fchmodSync(fd, existing.mode & 0o7777);
      let at = 0;
      while (at < data.length) at += writeSync(fd, data, at, data.length - at);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // already renamed or never made
    }
    throw e;
  }
}
