/** WASI errno values and their names, for results and audit entries. */
import { wasi } from '@bjorn3/browser_wasi_shim';

const names = new Map<number, string>();
for (const [key, value] of Object.entries(wasi)) {
  if (key.startsWith('ERRNO_') && typeof value === 'number') names.set(value, key.slice('ERRNO_'.length));
}

export function errnoName(errno: number): string {
  return names.get(errno) ?? `E${errno}`;
}

/**
 * The one errno for every mutating call on a read-only mount: EROFS ("Read-only file system").
 * It is what Linux returns for a read-only bind mount, it tells the guest exactly why, and libc
 * prints it as "Read-only file system" rather than a generic permission error.
 */
export const READ_ONLY_ERRNO = wasi.ERRNO_ROFS;

/**
 * The one errno of a call the policy's call filter refuses (the wrapper returns it without running
 * the call): ENOSYS (52), as kavach returns. Under seccomp a filtered syscall conventionally fails
 * with ENOSYS (SECCOMP_RET_ERRNO with ENOSYS is what container runtimes' default profiles return),
 * and libcs treat it as "not supported here" and fall back or report, rather than as a transient
 * error to retry. Read-only mount denials use READ_ONLY_ERRNO.
 */
export const FILTER_DENIED_ERRNO = wasi.ERRNO_NOSYS;

export const E = {
  SUCCESS: wasi.ERRNO_SUCCESS,
  BADF: wasi.ERRNO_BADF,
  EXIST: wasi.ERRNO_EXIST,
  FAULT: wasi.ERRNO_FAULT,
  ILSEQ: wasi.ERRNO_ILSEQ,
  INVAL: wasi.ERRNO_INVAL,
  ISDIR: wasi.ERRNO_ISDIR,
  LOOP: wasi.ERRNO_LOOP,
  MFILE: wasi.ERRNO_MFILE,
  NAMETOOLONG: wasi.ERRNO_NAMETOOLONG,
  NOENT: wasi.ERRNO_NOENT,
  NOSYS: wasi.ERRNO_NOSYS,
  NOTDIR: wasi.ERRNO_NOTDIR,
  NOTEMPTY: wasi.ERRNO_NOTEMPTY,
  NOTSOCK: wasi.ERRNO_NOTSOCK,
  NOTSUP: wasi.ERRNO_NOTSUP,
  PERM: wasi.ERRNO_PERM,
  ROFS: wasi.ERRNO_ROFS,
  SPIPE: wasi.ERRNO_SPIPE,
  XDEV: wasi.ERRNO_XDEV,
  NOTCAPABLE: wasi.ERRNO_NOTCAPABLE,
  FBIG: wasi.ERRNO_FBIG,
  NOSPC: wasi.ERRNO_NOSPC,
  OVERFLOW: wasi.ERRNO_OVERFLOW,
} as const;
