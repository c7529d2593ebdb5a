/**
 * What seccomp means for a WASI guest: the two profiles, as data. Each entry says why it is on
 * its list; README.md in this folder explains them at more length.
 */
import type { WasiCall } from '../wasi/calls.ts';

export interface FilterEntry {
  call: WasiCall;
  reason: string;
}

/**
 * "strict": an allowlist of what a plain command-line program needs to start, read its
 * arguments, environment and files, write its output and exit. Everything else is refused.
 */
export const STRICT_ALLOWLIST: readonly FilterEntry[] = [
  { call: 'args_sizes_get', reason: 'libc start-up sizes argv before main()' },
  { call: 'args_get', reason: 'libc start-up copies argv for main()' },
  { call: 'environ_sizes_get', reason: 'libc start-up sizes the environment for getenv()' },
  { call: 'environ_get', reason: 'libc start-up copies the environment for getenv()' },
  { call: 'fd_prestat_get', reason: 'libc start-up discovers the mounted directories' },
  { call: 'fd_prestat_dir_name', reason: 'libc start-up learns each mounted directory\'s path' },
  { call: 'fd_fdstat_get', reason: 'isatty() and stdio buffering ask what kind of descriptor stdout is' },
  { call: 'fd_read', reason: 'reading stdin and opened files' },
  { call: 'fd_write', reason: 'writing stdout, stderr and opened files' },
  { call: 'fd_seek', reason: 'lseek()/fseek(), also used by stdio to find its position' },
  { call: 'fd_tell', reason: 'ftell(): reads the position, changes nothing' },
  { call: 'fd_close', reason: 'closing what the program opened' },
  { call: 'path_open', reason: 'open()/fopen() inside a mount; the mount rules still decide writes' },
  { call: 'path_filestat_get', reason: 'stat(): does a file exist, how big is it' },
  { call: 'fd_filestat_get', reason: 'fstat() on an open file, e.g. to size a read buffer' },
  { call: 'fd_readdir', reason: 'listing a mounted directory (opendir/readdir)' },
  { call: 'clock_time_get', reason: 'time(), clock_gettime(): reading a clock changes nothing' },
  { call: 'clock_res_get', reason: 'clock_getres(): reading a clock\'s resolution changes nothing' },
  { call: 'random_get', reason: 'random seeds, e.g. hash-map keys in Rust\'s std; fills guest memory only' },
  { call: 'sched_yield', reason: 'a no-op for a single-threaded guest' },
  { call: 'proc_exit', reason: 'a program must be able to exit (always allowed, on every list)' },
];

/**
 * "basic" (and any profile other than "strict"): a denylist of what a sandboxed program
 * should not need. Everything else is allowed; the mount rules still apply to what is allowed.
 */
export const BASIC_DENYLIST: readonly FilterEntry[] = [
  { call: 'sock_accept', reason: 'accepting network connections: this sandbox grants no network' },
  { call: 'sock_recv', reason: 'receiving from a socket: this sandbox grants no network' },
  { call: 'sock_send', reason: 'sending to a socket: this sandbox grants no network' },
  { call: 'sock_shutdown', reason: 'shutting down a socket: this sandbox grants no network' },
  { call: 'proc_raise', reason: 'raising a signal: a guest has no process to signal and preview1 later dropped the call' },
  { call: 'path_symlink', reason: 'creating symlinks is the classic way to try to escape a directory confinement' },
  { call: 'path_link', reason: 'hard links give a file a second name, which can sidestep per-path rules' },
  { call: 'fd_allocate', reason: 'reserves file space in host memory in one call, outside the guest\'s memory cap' },
];
