/**
 * Decoding a WASI call's raw arguments for a person: fds with their paths, paths as strings,
 * flags and rights by name, byte counts instead of pointers.
 */
import { wasi } from '@bjorn3/browser_wasi_shim';
import { WASI_CALLS, type WasiCall } from './calls.ts';
import { DirFd, FileFd, OutputFd, StdinFd } from './fds.ts';

type Value = string | number | boolean;
/**
 * Argument kinds, one per raw parameter: fd, path (pointer + length: two raw params), u32/u64,
 * flags of a given family, iovs (pointer + count: two raw params, summed to a byte count),
 * or '_' for an out-pointer that says nothing to a person.
 */
type Kind = 'fd' | 'path' | 'n' | 'oflags' | 'fdflags' | 'lookup' | 'rights' | 'fst' | 'whence' | 'clock' | 'iovs' | 'buf' | '_';
type Spec = [name: string, kind: Kind][];

/** Every call's arguments, by call name: a call of WASI_CALLS without its entry does not compile. */
const SPECS: Record<WasiCall, Spec> = {
  args_get: [], args_sizes_get: [], environ_get: [], environ_sizes_get: [],
  clock_res_get: [['clock', 'clock'], ['', '_']],
  clock_time_get: [['clock', 'clock'], ['precision', 'n'], ['', '_']],
  fd_advise: [['fd', 'fd'], ['offset', 'n'], ['len', 'n'], ['advice', 'n']],
  fd_allocate: [['fd', 'fd'], ['offset', 'n'], ['len', 'n']],
  fd_close: [['fd', 'fd']], fd_datasync: [['fd', 'fd']], fd_sync: [['fd', 'fd']],
  fd_fdstat_get: [['fd', 'fd'], ['', '_']],
  fd_fdstat_set_flags: [['fd', 'fd'], ['flags', 'fdflags']],
  fd_fdstat_set_rights: [['fd', 'fd'], ['rights', 'rights'], ['inheriting', 'rights']],
  fd_filestat_get: [['fd', 'fd'], ['', '_']],
  fd_filestat_set_size: [['fd', 'fd'], ['size', 'n']],
  fd_filestat_set_times: [['fd', 'fd'], ['atim', 'n'], ['mtim', 'n'], ['flags', 'fst']],
  fd_pread: [['fd', 'fd'], ['bytes', 'iovs'], ['offset', 'n'], ['', '_']],
  fd_prestat_get: [['fd', 'fd'], ['', '_']],
  fd_prestat_dir_name: [['fd', 'fd'], ['', '_'], ['len', 'n']],
  fd_pwrite: [['fd', 'fd'], ['bytes', 'iovs'], ['offset', 'n'], ['', '_']],
  fd_read: [['fd', 'fd'], ['bytes', 'iovs'], ['', '_']],
  fd_readdir: [['fd', 'fd'], ['', '_'], ['len', 'n'], ['cookie', 'n'], ['', '_']],
  fd_renumber: [['fd', 'fd'], ['to', 'fd']],
  fd_seek: [['fd', 'fd'], ['offset', 'n'], ['whence', 'whence'], ['', '_']],
  fd_tell: [['fd', 'fd'], ['', '_']],
  fd_write: [['fd', 'fd'], ['bytes', 'iovs'], ['', '_']],
  path_create_directory: [['fd', 'fd'], ['path', 'path']],
  path_filestat_get: [['fd', 'fd'], ['flags', 'lookup'], ['path', 'path'], ['', '_']],
  path_filestat_set_times: [['fd', 'fd'], ['flags', 'lookup'], ['path', 'path'], ['atim', 'n'], ['mtim', 'n'], ['fst', 'fst']],
  path_link: [['fd', 'fd'], ['flags', 'lookup'], ['path', 'path'], ['new_fd', 'fd'], ['new_path', 'path']],
  path_open: [['fd', 'fd'], ['dirflags', 'lookup'], ['path', 'path'], ['oflags', 'oflags'], ['rights', 'rights'],
    ['inheriting', 'rights'], ['fdflags', 'fdflags'], ['', '_']],
  path_readlink: [['fd', 'fd'], ['path', 'path'], ['', '_'], ['len', 'n'], ['', '_']],
  path_remove_directory: [['fd', 'fd'], ['path', 'path']],
  path_rename: [['fd', 'fd'], ['path', 'path'], ['new_fd', 'fd'], ['new_path', 'path']],
  path_symlink: [['target', 'path'], ['fd', 'fd'], ['path', 'path']],
  path_unlink_file: [['fd', 'fd'], ['path', 'path']],
  poll_oneoff: [['', '_'], ['', '_'], ['subscriptions', 'n'], ['', '_']],
  proc_exit: [['code', 'n']], proc_raise: [['signal', 'n']], sched_yield: [],
  random_get: [['', '_'], ['len', 'n']],
  sock_accept: [['fd', 'fd'], ['flags', 'n'], ['', '_']],
  sock_recv: [['fd', 'fd'], ['', '_'], ['', '_'], ['flags', 'n'], ['', '_'], ['', '_']],
  sock_send: [['fd', 'fd'], ['', '_'], ['', '_'], ['flags', 'n'], ['', '_']],
  sock_shutdown: [['fd', 'fd'], ['how', 'n']],
};

const TWO_PARAM_KINDS: ReadonlySet<Kind> = new Set(['path', 'iovs', 'buf']);

const RIGHT_NAMES = Object.entries(wasi)
  .filter(([k, v]) => k.startsWith('RIGHTS_') && typeof v === 'number')
  .map(([k, v]) => [BigInt(v as number), k.slice(7).toLowerCase()] as const);
const flagNames = (value: number, table: [number, string][]): string =>
  table.filter(([bit]) => value & bit).map(([, n]) => n).join('|') || '0';
const OFLAGS: [number, string][] = [[wasi.OFLAGS_CREAT, 'CREAT'], [wasi.OFLAGS_DIRECTORY, 'DIRECTORY'], [wasi.OFLAGS_EXCL, 'EXCL'], [wasi.OFLAGS_TRUNC, 'TRUNC']];
const FDFLAGS: [number, string][] = [[wasi.FDFLAGS_APPEND, 'APPEND'], [wasi.FDFLAGS_DSYNC, 'DSYNC'], [wasi.FDFLAGS_NONBLOCK, 'NONBLOCK'], [wasi.FDFLAGS_RSYNC, 'RSYNC'], [wasi.FDFLAGS_SYNC, 'SYNC']];
const FSTFLAGS: [number, string][] = [[wasi.FSTFLAGS_ATIM, 'ATIM'], [wasi.FSTFLAGS_ATIM_NOW, 'ATIM_NOW'], [wasi.FSTFLAGS_MTIM, 'MTIM'], [wasi.FSTFLAGS_MTIM_NOW, 'MTIM_NOW']];
const CLOCKS = ['realtime', 'monotonic', 'process_cputime', 'thread_cputime'];
const WHENCE = ['set', 'cur', 'end'];

/** Only the rights that matter to a reader: whether the fd may read, write, or change the tree. */
function describeRights(value: bigint): string {
  if (value === 0n) return 'none';
  const names = RIGHT_NAMES.filter(([bit]) => (value & bit) !== 0n).map(([, n]) => n);
  const key = names.filter((n) => n === 'fd_read' || n === 'fd_write' || n === 'path_create_file' || n === 'fd_readdir');
  return names.length > 6 ? `${key.join('|') || 'other'} (+${names.length - key.length} more)` : names.join('|');
}

function describeFdEntry(fd: number, entry: unknown): string {
  if (entry instanceof FileFd || entry instanceof DirFd) return `${fd} (${entry.guestPath})`;
  if (entry instanceof StdinFd) return `${fd} (stdin)`;
  if (entry instanceof OutputFd) return `${fd} (${fd === 1 ? 'stdout' : fd === 2 ? 'stderr' : 'output'})`;
  return entry === undefined || entry === null ? `${fd} (closed)` : String(fd);
}

/**
 * What the audit keeps of a call, read at call time because it does not last (paths and byte
 * counts live in guest memory, an fd may be closed later), and kept raw and cheap: most entries
 * of a busy program are overwritten by later ones and never need describing. Every raw parameter
 * is kept as a number at its position; an iovec list's pointer is replaced by its byte count, and
 * fds and paths also keep a reference (the descriptor object, the string), in step order.
 */
export const STEP_NUMBER = 0;
export const STEP_FD = 1;
export const STEP_PATH = 2;
export const STEP_IOVS = 3;

/** How a call's arguments are captured, for the shapes most calls share. */
export type CaptureShape =
  /** No argument a person sees. */
  | 'none'
  /** An fd first, then numbers: fd_seek, fd_close, fd_fdstat_get, ... */
  | 'fd'
  /** An fd, then an iovec list, then numbers: fd_read, fd_write, fd_pread, fd_pwrite. */
  | 'io'
  /** Numbers only: clock_time_get, proc_exit, random_get, ... */
  | 'numbers'
  /** Anything else (paths, a second fd): step by step. */
  | 'steps';

export interface CaptureSteps {
  shape: CaptureShape;
  /** Per step: STEP_NUMBER, STEP_FD, STEP_PATH or STEP_IOVS. */
  kinds: Uint8Array;
  /** Per step: the index of its (first) raw parameter. */
  at: Uint8Array;
}

/** Raw parameters a call has at most (path_open has 9), and references (path_rename: 2 fds, 2 paths). */
export const MAX_PARAMS = 9;
export const MAX_REFS = 4;

interface Step { label: string; kind: Kind; at: number }

/** Each call's spec compiled once into its steps ('_' out-pointers dropped). */
const STEPS = new Map<WasiCall, Step[]>(WASI_CALLS.map((name) => {
  let at = 0;
  const steps: Step[] = [];
  for (const [label, kind] of SPECS[name]) {
    if (kind !== '_') steps.push({ label, kind, at });
    at += TWO_PARAM_KINDS.has(kind) ? 2 : 1;
  }
  return [name, steps];
}));

const stepCode = (kind: Kind): number =>
  kind === 'fd' ? STEP_FD : kind === 'path' ? STEP_PATH : kind === 'iovs' ? STEP_IOVS : STEP_NUMBER;

/** Raw parameters each shape's capture takes at most (its wrapper passes no more on). */
const SHAPE_PARAMS: Record<CaptureShape, number> = { none: 2, numbers: 4, fd: 6, io: 5, steps: MAX_PARAMS };

export function captureSteps(name: WasiCall): CaptureSteps {
  const steps = STEPS.get(name) ?? [];
  const params = SPECS[name].reduce((sum, [, kind]) => sum + (TWO_PARAM_KINDS.has(kind) ? 2 : 1), 0);
  const kinds = Uint8Array.from(steps, (s) => stepCode(s.kind));
  const at = Uint8Array.from(steps, (s) => s.at);
  const numbersFrom = (k: number) => kinds.subarray(k).every((c) => c === STEP_NUMBER);
  const fits = (shape: CaptureShape) => params <= SHAPE_PARAMS[shape];
  const shape: CaptureShape = steps.length === 0 && fits('none') ? 'none'
    : numbersFrom(0) && fits('numbers') ? 'numbers'
    : kinds[0] === STEP_FD && at[0] === 0 && numbersFrom(1) && fits('fd') ? 'fd'
    : kinds[0] === STEP_FD && at[0] === 0 && kinds[1] === STEP_IOVS && at[1] === 1 && numbersFrom(2) && fits('io') ? 'io'
    : 'steps';
  return { shape, kinds, at };
}

/**
 * A kept call in words: `nums` holds its raw parameters as numbers from `numBase` (an iovec
 * list's byte count in place of its pointer), `refs` its fd objects and path strings in step
 * order from `refBase`.
 */
export function describeKept(name: WasiCall, nums: ArrayLike<number>, numBase: number, refs: readonly unknown[], refBase: number): Record<string, Value> {
  const out: Record<string, Value> = {};
  const steps = STEPS.get(name);
  if (steps === undefined) return out;
  let r = refBase;
  for (let k = 0; k < steps.length; k++) {
    const { label, kind } = steps[k];
    const a = nums[numBase + steps[k].at];
    switch (kind) {
      case 'fd': out[label] = describeFdEntry(a, refs[r++]); break;
      case 'path': out[label] = refs[r++] as string; break;
      case 'oflags': out[label] = flagNames(a, OFLAGS); break;
      case 'fdflags': out[label] = flagNames(a, FDFLAGS); break;
      case 'fst': out[label] = flagNames(a, FSTFLAGS); break;
      case 'lookup': out[label] = a & 1 ? 'SYMLINK_FOLLOW' : '0'; break;
      case 'rights': out[label] = describeRights(BigInt(a)); break;
      case 'clock': out[label] = CLOCKS[a] ?? String(a); break;
      case 'whence': out[label] = WHENCE[a] ?? String(a); break;
      default: out[label] = a;
    }
  }
  return out;
}
