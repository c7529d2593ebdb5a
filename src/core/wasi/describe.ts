/**
 * Decoding a WASI call's raw arguments for a person: fds with their paths, paths as strings,
 * flags and rights by name, byte counts instead of pointers.
 */
import { wasi } from '@bjorn3/browser_wasi_shim';
import { DirFd, FileFd, OutputFd, StdinFd } from './fds.ts';

type Value = string | number | boolean;
/**
 * Argument kinds, one per raw parameter: fd, path (pointer + length: two raw params), u32/u64,
 * flags of a given family, iovs (pointer + count: two raw params, summed to a byte count),
 * or '_' for an out-pointer that says nothing to a person.
 */
type Kind = 'fd' | 'path' | 'n' | 'oflags' | 'fdflags' | 'lookup' | 'rights' | 'fst' | 'whence' | 'clock' | 'iovs' | 'buf' | '_';
type Spec = [name: string, kind: Kind][];

const SPECS: Record<string, Spec> = {
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
const decoder = new TextDecoder();

/** Only the rights that matter to a reader: whether the fd may read, write, or change the tree. */
function describeRights(value: bigint): string {
  if (value === 0n) return 'none';
  const names = RIGHT_NAMES.filter(([bit]) => (value & bit) !== 0n).map(([, n]) => n);
  const key = names.filter((n) => n === 'fd_read' || n === 'fd_write' || n === 'path_create_file' || n === 'fd_readdir');
  return names.length > 6 ? `${key.join('|') || 'other'} (+${names.length - key.length} more)` : names.join('|');
}

export function describeFd(fd: number, table: readonly unknown[]): string {
  return describeFdEntry(fd, table[fd]);
}

function describeFdEntry(fd: number, entry: unknown): string {
  if (entry instanceof FileFd || entry instanceof DirFd) return `${fd} (${entry.guestPath})`;
  if (entry instanceof StdinFd) return `${fd} (stdin)`;
  if (entry instanceof OutputFd) return `${fd} (${fd === 1 ? 'stdout' : fd === 2 ? 'stderr' : 'output'})`;
  return entry === undefined ? `${fd} (closed)` : String(fd);
}

/**
 * What must be read at call time (paths and byte counts live in guest memory, fds may be closed
 * later), kept raw and cheap: most entries of a busy program are dropped by the audit cap and
 * never need describing.
 */
/** A call as captured: its name and the values `describeCaptured` turns into words. */
export interface CapturedCall {
  fn: string;
  /** Per spec entry: the raw value, a string read from memory, a byte count, or (two values) the fd's object and number. */
  values: readonly unknown[];
}

/** Each call's spec compiled to (kind, raw parameter index) pairs, once. */
const PLANS = new Map<string, { kind: Kind; at: number }[]>(Object.entries(SPECS).map(([name, spec]) => {
  let at = 0;
  const plan = spec.map(([, kind]) => {
    const step = { kind, at };
    at += TWO_PARAM_KINDS.has(kind) ? 2 : 1;
    return step;
  });
  return [name, plan];
}));

/** Most values one call's capture writes. */
export const MAX_CAPTURED_VALUES = 12;

/**
 * The capture function of one call, with its plan looked up once: it writes the call's values
 * into `out` (reused from call to call, so capturing allocates nothing but path strings) and
 * returns how many it wrote.
 */
export type Capture = (raw: readonly unknown[], memory: WebAssembly.Memory, table: readonly unknown[], out: unknown[]) => number;

export function capturer(name: string): Capture {
  const plan = PLANS.get(name) ?? [];
  return (raw, memory, table, out) => {
    let v = 0;
    for (let k = 0; k < plan.length; k++) {
      const { kind, at } = plan[k];
      const a = raw[at];
      if (kind === 'path') out[v++] = readPath(memory, a as number, raw[at + 1] as number);
      else if (kind === 'iovs') out[v++] = iovecBytes(memory, a as number, raw[at + 1] as number);
      else if (kind === 'fd') {
        out[v++] = table[a as number] ?? null;
        out[v++] = a;
      } else out[v++] = a;
    }
    return v;
  };
}

export function captureCall(name: string, raw: readonly unknown[], memory: WebAssembly.Memory, table: readonly unknown[]): CapturedCall {
  const values: unknown[] = [];
  const n = capturer(name)(raw, memory, table, values);
  return { fn: name, values: values.slice(0, n) };
}

export function describeCaptured(call: CapturedCall): Record<string, Value> {
  const spec = SPECS[call.fn];
  const out: Record<string, Value> = {};
  if (spec === undefined) return out;
  let v = 0;
  for (const [label, kind] of spec) {
    const a = call.values[v++];
    switch (kind) {
      case '_': break;
      case 'fd': out[label] = describeFdEntry(Number(call.values[v++]), a); break;
      case 'path': case 'iovs': out[label] = a as string | number; break;
      case 'oflags': out[label] = flagNames(Number(a), OFLAGS); break;
      case 'fdflags': out[label] = flagNames(Number(a), FDFLAGS); break;
      case 'fst': out[label] = flagNames(Number(a), FSTFLAGS); break;
      case 'lookup': out[label] = Number(a) & 1 ? 'SYMLINK_FOLLOW' : '0'; break;
      case 'rights': out[label] = describeRights(BigInt(a as bigint | number)); break;
      case 'clock': out[label] = CLOCKS[Number(a)] ?? String(a); break;
      case 'whence': out[label] = WHENCE[Number(a)] ?? String(a); break;
      default: out[label] = Number(a);
    }
  }
  return out;
}

/** Capture and describe at once (for callers that keep every entry). */
export function describeCall(name: string, raw: unknown[], memory: WebAssembly.Memory, table: readonly unknown[]): Record<string, Value> {
  return describeCaptured(captureCall(name, raw, memory, table));
}

const MAX_PATH_SHOWN = 4096;

function readPath(memory: WebAssembly.Memory, ptr: number, len: number): string {
  const buffer = memory.buffer;
  if (ptr + len > buffer.byteLength) return '<out of bounds>';
  return decoder.decode(new Uint8Array(buffer, ptr, Math.min(len, MAX_PATH_SHOWN)));
}

let cachedView: DataView | null = null;

function iovecBytes(memory: WebAssembly.Memory, ptr: number, count: number): number {
  if (cachedView === null || cachedView.buffer !== memory.buffer) cachedView = new DataView(memory.buffer);
  const view = cachedView;
  let total = 0;
  for (let k = 0; k < count && ptr + k * 8 + 8 <= view.byteLength; k++) total += view.getUint32(ptr + k * 8 + 4, true);
  return total;
}
