/**
 * Reading and writing the files a person names on the command line (a module, a policy, an audit
 * trail, an instrumented copy), so that every problem is one line a person can act on: a FIFO or
 * a device is refused before it is read (it could block forever or never end), sizes are capped
 * before a byte is read, and a missing or wrong output directory is said as such.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatSize } from '../core/index.ts';

/** The largest module kavach reads: real WASI programs run to tens of MiB (CRuby with its library is 29 MB). */
export const MAX_MODULE_BYTES = 256 * 1024 * 1024;
/** The largest policy, text to scan, audit trail or secret file kavach reads. */
export const MAX_TEXT_BYTES = 64 * 1024 * 1024;

/** A problem with a host file, in one line. */
export class HostFileError extends Error {}

/**
 * The bytes of a regular file, at most `maxBytes`. Messages name it as `what` and `shown` (the
 * path as the person wrote it): "module", "policy". Opened without blocking, so a FIFO is refused
 * instead of waited on.
 */
export function readHostFile(path: string, what: string, maxBytes: number, shown = path): Uint8Array {
  const name = what === '' ? shown : `${what} ${shown}`;
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new HostFileError(`cannot read ${name}: ${describeError(e)}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new HostFileError(`${name} is not a regular file (it is ${kindOf(st)})`);
    if (st.size > maxBytes) throw new HostFileError(`${name} is ${formatSize(st.size)}; the most kavach reads is ${formatSize(maxBytes)}`);
    const out = new Uint8Array(st.size);
    let at = 0;
    while (at < out.length) {
      const n = readSync(fd, out, at, out.length - at, null);
      if (n === 0) break;
      at += n;
    }
    return at === out.length ? out : out.subarray(0, at);
  } catch (e) {
    if (e instanceof HostFileError) throw e;
    throw new HostFileError(`cannot read ${name}: ${describeError(e)}`);
  } finally {
    closeSync(fd);
  }
}

/**
 * Checks, before any work is done, that `path` can be written as `what`: its directory exists and
 * it is not itself a directory. The write itself may still fail (permissions, a full disk).
 */
export function checkWritable(path: string, what: string): void {
  let dir;
  try {
    dir = statSync(dirname(path));
  } catch {
    throw new HostFileError(`cannot write ${what} to ${path}: no such directory ${dirname(path)}`);
  }
  if (!dir.isDirectory()) throw new HostFileError(`cannot write ${what} to ${path}: ${dirname(path)} is not a directory`);
  let target;
  try {
    target = statSync(path);
  } catch {
    return; // does not exist yet: it will be created
  }
  if (target.isDirectory()) throw new HostFileError(`cannot write ${what} to ${path}: it is a directory`);
  if (!target.isFile()) throw new HostFileError(`cannot write ${what} to ${path}: it is ${kindOf(target)}, not a regular file`);
}

/** Writes `data` to `path`, or throws HostFileError with why not. */
export function writeHostFile(path: string, data: string | Uint8Array, what: string): void {
  checkWritable(path, what);
  try {
    writeFileSync(path, data);
  } catch (e) {
    throw new HostFileError(`cannot write ${what} to ${path}: ${describeError(e)}`);
  }
}

/** "a directory", "a FIFO", "a character device"...: what a non-regular file is. */
export function kindOf(st: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSymbolicLink(): boolean }): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isSymbolicLink()) return 'a symlink';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** An fs error as a person reads it: "ENOENT (no such file or directory)". */
export function describeError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const known: Record<string, string> = {
    ENOENT: 'no such file or directory', EACCES: 'permission denied', EPERM: 'operation not permitted',
    EISDIR: 'it is a directory', ENOTDIR: 'a component of the path is not a directory', ENAMETOOLONG: 'the name is too long for the host',
    ELOOP: 'too many symlinks, or a symlink where none may be', ENOSPC: 'no space left on the host device', EROFS: 'the host file system is read-only',
    EEXIST: 'it already exists', ENOTEMPTY: 'the directory is not empty', EXDEV: 'it is on another device',
  };
  if (err?.code !== undefined) return `${err.code} (${known[err.code] ?? err.message})`;
  return err instanceof Error ? err.message : String(e);
}
