/**
 * WASI rights, held as plain numbers (every preview1 right fits in 30 bits), so that checking
 * one on a hot call costs an AND, not a BigInt. They become u64 BigInts only at the ABI edge.
 * The errno for a missing right is decided in one place, Descriptor.lacks (fds.ts).
 */
import { wasi } from '@bjorn3/browser_wasi_shim';

const R = wasi;

/** Rights that mean something on a regular file. */
export const FILE_RIGHTS =
  R.RIGHTS_FD_DATASYNC | R.RIGHTS_FD_READ | R.RIGHTS_FD_SEEK | R.RIGHTS_FD_FDSTAT_SET_FLAGS |
  R.RIGHTS_FD_SYNC | R.RIGHTS_FD_TELL | R.RIGHTS_FD_WRITE | R.RIGHTS_FD_ADVISE | R.RIGHTS_FD_ALLOCATE |
  R.RIGHTS_FD_FILESTAT_GET | R.RIGHTS_FD_FILESTAT_SET_SIZE | R.RIGHTS_FD_FILESTAT_SET_TIMES |
  R.RIGHTS_POLL_FD_READWRITE;

/** Rights that mean something on a directory. */
export const DIR_RIGHTS =
  R.RIGHTS_FD_DATASYNC | R.RIGHTS_FD_FDSTAT_SET_FLAGS | R.RIGHTS_FD_SYNC | R.RIGHTS_FD_ADVISE |
  R.RIGHTS_PATH_CREATE_DIRECTORY | R.RIGHTS_PATH_CREATE_FILE | R.RIGHTS_PATH_LINK_SOURCE |
  R.RIGHTS_PATH_LINK_TARGET | R.RIGHTS_PATH_OPEN | R.RIGHTS_FD_READDIR | R.RIGHTS_PATH_READLINK |
  R.RIGHTS_PATH_RENAME_SOURCE | R.RIGHTS_PATH_RENAME_TARGET | R.RIGHTS_PATH_FILESTAT_GET |
  R.RIGHTS_PATH_FILESTAT_SET_SIZE | R.RIGHTS_PATH_FILESTAT_SET_TIMES | R.RIGHTS_FD_FILESTAT_GET |
  R.RIGHTS_FD_FILESTAT_SET_TIMES | R.RIGHTS_PATH_SYMLINK | R.RIGHTS_PATH_REMOVE_DIRECTORY |
  R.RIGHTS_PATH_UNLINK_FILE | R.RIGHTS_POLL_FD_READWRITE;

/**
 * Rights that change something; a read-only mount never grants them. Linking *from* a
 * read-only directory is not among them: it changes nothing there (and across mounts it is
 * EXDEV anyway).
 */
export const MUTATING_RIGHTS =
  R.RIGHTS_FD_WRITE | R.RIGHTS_FD_ALLOCATE | R.RIGHTS_FD_FILESTAT_SET_SIZE |
  R.RIGHTS_FD_FILESTAT_SET_TIMES | R.RIGHTS_PATH_CREATE_DIRECTORY | R.RIGHTS_PATH_CREATE_FILE |
  R.RIGHTS_PATH_LINK_TARGET | R.RIGHTS_PATH_RENAME_SOURCE |
  R.RIGHTS_PATH_RENAME_TARGET | R.RIGHTS_PATH_FILESTAT_SET_SIZE | R.RIGHTS_PATH_FILESTAT_SET_TIMES |
  R.RIGHTS_PATH_SYMLINK | R.RIGHTS_PATH_REMOVE_DIRECTORY | R.RIGHTS_PATH_UNLINK_FILE;

/** Rights in a path_open request that mean "I intend to write to the file". */
export const WRITE_INTENT_RIGHTS = R.RIGHTS_FD_WRITE | R.RIGHTS_FD_ALLOCATE | R.RIGHTS_FD_FILESTAT_SET_SIZE;

export const STDIN_RIGHTS =
  R.RIGHTS_FD_READ | R.RIGHTS_FD_FDSTAT_SET_FLAGS | R.RIGHTS_FD_FILESTAT_GET | R.RIGHTS_POLL_FD_READWRITE;
export const STDOUT_RIGHTS =
  R.RIGHTS_FD_WRITE | R.RIGHTS_FD_FDSTAT_SET_FLAGS | R.RIGHTS_FD_FILESTAT_GET | R.RIGHTS_POLL_FD_READWRITE;

const ALL_RIGHTS = (1 << 30) - 1;

/** A u64 rights value from the guest, as our number form (bits past the defined ones dropped). */
export function rightsFromGuest(value: bigint): number {
  return Number(value & BigInt(ALL_RIGHTS));
}

/** Whether a u64 rights value from the guest sets bits our number form cannot hold. */
export function hasUnknownRights(value: bigint): boolean {
  return (value & ~BigInt(ALL_RIGHTS)) !== 0n;
}

