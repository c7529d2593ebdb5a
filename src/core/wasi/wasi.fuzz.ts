/**
 * Fuzz target for the WASI layer: random sequences of all 46 calls with random arguments (paths
 * from a dictionary of escapes and odd names, pointers in and out of memory, random flags,
 * rights and offsets) against a world with a read-write and a read-only mount, symlinks,
 * hard links and a small filesystem budget. After every call:
 * - no JavaScript exception escapes but the two a guest can cause on purpose (proc_exit's
 *   WASIProcExit, and the RangeError of a fixed-size result written outside memory, wasmtime's
 *   trap);
 * - every open descriptor reaches only nodes of the mount it was opened in, inside the trees;
 * - the filesystem budget's counts equal what the trees hold (every name, file and link target,
 *   and files removed while still open).
 * At the end the read-only mount is byte for byte what it was.
 */
import { WASIProcExit } from '@bjorn3/browser_wasi_shim';
import type { FuzzTarget } from '../../testing/fuzz.ts';
import { mulberry32 } from '../util/prng.ts';
import { FsBudget, INODE_BYTES } from './budget.ts';
import { WASI_CALLS, type WasiCall } from './calls.ts';
import { Descriptor, DirFd, FileFd, RIGHTS_DIR_BASE, RIGHTS_FILE_BASE, RIGHTS_MUTATING, fixedStdin } from './fds.ts';
import { DirNode, FileNode, SymlinkNode, type MountInfo, type Node } from './fs.ts';
import { createSyscalls } from './syscalls.ts';
import { buildTree, readTree } from './tree.ts';

/** Parameter types of each call: i = i32, I = i64 (from the preview1 witx). */
const SIGNATURES: Record<WasiCall, string> = {
  args_get: 'ii', args_sizes_get: 'ii', environ_get: 'ii', environ_sizes_get: 'ii', clock_res_get: 'ii', clock_time_get: 'iIi',
  fd_advise: 'iIIi', fd_allocate: 'iII', fd_close: 'i', fd_datasync: 'i', fd_fdstat_get: 'ii', fd_fdstat_set_flags: 'ii',
  fd_fdstat_set_rights: 'iII', fd_filestat_get: 'ii', fd_filestat_set_size: 'iI', fd_filestat_set_times: 'iIIi', fd_pread: 'iiiIi',
  fd_prestat_get: 'ii', fd_prestat_dir_name: 'iii', fd_pwrite: 'iiiIi', fd_read: 'iiii', fd_readdir: 'iiiIi', fd_renumber: 'ii',
  fd_seek: 'iIii', fd_sync: 'i', fd_tell: 'ii', fd_write: 'iiii', path_create_directory: 'iii', path_filestat_get: 'iiiii',
  path_filestat_set_times: 'iiiiIIi', path_link: 'iiiiiii', path_open: 'iiiiiIIii', path_readlink: 'iiiiii', path_remove_directory: 'iii',
  path_rename: 'iiiiii', path_symlink: 'iiiii', path_unlink_file: 'iii', poll_oneoff: 'iiii', proc_exit: 'i', proc_raise: 'i',
  sched_yield: '', random_get: 'ii', sock_accept: 'iii', sock_recv: 'iiiiii', sock_send: 'iiiii', sock_shutdown: 'ii',
};

/** Where path-like arguments point: names, escapes, links, odd bytes. */
const PATHS = [
  'a', 'a/b', 'a/b/c.txt', 'f.txt', 'g.txt', 'new', 'new/', 'sym', 'dsym', 'up', 'loop', '.', '..', '../..', './a/../f.txt',
  '/etc/passwd', '../ro/ro.txt', 'a/../../ro', 'ro.txt', 'x'.repeat(255), 'y'.repeat(256), 'a//b///', 'sym/', 'dangling',
  'hard', '\u00e9t\u00e9', 'a/b/../../..', '', 'a\u0000b',
];
const MEMORY_PAGES = 2;
const PATH_BASE = 4096;
const CALLS_PER_CASE = 150;
const TREE_LIMITS = { maxBytes: 64 * 1024, maxInodes: 64, maxFileBytes: 32 * 1024 };

interface Table {
  strings: { ptr: number; len: number }[];
}

function layoutPaths(bytes: Uint8Array): Table {
  const encoder = new TextEncoder();
  const strings: { ptr: number; len: number }[] = [];
  let at = PATH_BASE;
  for (const p of PATHS) {
    const b = encoder.encode(p);
    bytes.set(b, at);
    strings.push({ ptr: at, len: b.length });
    at += b.length + 1;
  }
  // Bytes that are not UTF-8.
  bytes.set([0x61, 0xff, 0xfe, 0x62], at);
  strings.push({ ptr: at, len: 4 });
  return { strings };
}

/** Every node of a tree, with the names that reach it. */
function walk(root: DirNode, visit: (node: Node, name: string) => void): void {
  for (const [name, node] of root.entries) {
    visit(node, name);
    if (node instanceof DirNode) walk(node, visit);
  }
}

function snapshotTree(root: DirNode): string {
  return JSON.stringify(readTree(root).map((e) => [e.path, e.symlink ?? null, e.data === null ? null : Array.from(e.data).join(',')]));
}

function fail(message: string): never {
  throw new Error(message);
}

export function runWasiCase(seed: number): void {
  const rand = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[rand() % list.length];
  const chance = (n: number) => rand() % n === 0;

  const rw: MountInfo = { path: '/rw', readOnly: false, rule: 0, readOnlyReason: null };
  const ro: MountInfo = { path: '/ro', readOnly: true, rule: 1, readOnlyReason: 'policy rule 1' };
  const budget = new FsBudget(TREE_LIMITS);
  const text = (s: string) => new TextEncoder().encode(s);
  const rwRoot = buildTree(rw, [
    { path: 'a/b/c.txt', data: text('deep') }, { path: 'f.txt', data: text('file') }, { path: 'sym', data: null, symlink: 'f.txt' },
    { path: 'dsym', data: null, symlink: 'a' }, { path: 'up', data: null, symlink: '../ro' }, { path: 'loop', data: null, symlink: 'loop' },
    { path: 'dangling', data: null, symlink: 'nothing' },
  ], 0n, budget);
  const roRoot = buildTree(ro, [{ path: 'ro.txt', data: text('read only') }, { path: 'a/inner.txt', data: text('inner') }], 0n, budget);
  const roBefore = snapshotTree(roRoot);
  const memory = new WebAssembly.Memory({ initial: MEMORY_PAGES, maximum: MEMORY_PAGES });
  const bytes = new Uint8Array(memory.buffer);
  const table = layoutPaths(bytes);
  for (let i = 8192; i < bytes.length; i += 4) new DataView(memory.buffer).setUint32(i, rand(), true);

  let charged = 0;
  const syscalls = createSyscalls({
    args: ['fuzz', 'arg'], env: [['K', 'V']], stdin: fixedStdin(text('input')), stdout: () => {}, stderr: () => {},
    preopens: [
      { guestPath: '/rw', fd: (ctx) => new DirFd(rwRoot, '/rw', ctx, RIGHTS_DIR_BASE, RIGHTS_DIR_BASE | RIGHTS_FILE_BASE, '/rw') },
      { guestPath: '/ro', fd: (ctx) => new DirFd(roRoot, '/ro', ctx, RIGHTS_DIR_BASE & ~RIGHTS_MUTATING, RIGHTS_DIR_BASE | RIGHTS_FILE_BASE, '/ro') },
    ],
    clocks: { realtime: () => 1n, monotonic: () => 1n, cputime: () => 1n, resolution: 1000n },
    random: (into) => into.fill(7), sleep: () => {}, gate: null, audit: null, budget,
    meter: { charge: (fuel) => { if (Number(fuel) < 0) fail(`negative charge ${fuel}`); charged += Number(fuel); } },
  });
  (syscalls.wasi as unknown as { inst: unknown }).inst = { exports: { memory } };
  const fdTable = (syscalls.wasi as unknown as { fds: (Descriptor | undefined)[] }).fds;

  const argument = (kind: string): number | bigint => {
    if (kind === 'I') {
      const r = rand() % 6;
      if (r === 0) return 0n;
      if (r === 1) return BigInt(rand() % 64);
      if (r === 2) return -1n;
      if (r === 3) return BigInt(rand()) << 32n | BigInt(rand());
      if (r === 4) return BigInt(rand() % 70000);
      return (1n << 63n) - 1n;
    }
    const r = rand() % 8;
    if (r < 3) return rand() % 10; // fds, small counts, flags
    if (r === 3) return 8192 + (rand() % 4096); // inside memory
    if (r === 4) return bytes.length - (rand() % 16); // at the end of memory
    if (r === 5) return rand() | 0; // anything
    if (r === 6) return rand() % 512;
    return rand() % 0x10000;
  };

  const checkFds = () => {
    const inTree = new Map<Node, MountInfo>();
    for (const [root, info] of [[rwRoot, rw], [roRoot, ro]] as const) {
      inTree.set(root, info);
      walk(root, (node) => inTree.set(node, info));
    }
    for (const fd of fdTable) {
      if (!(fd instanceof FileFd) && !(fd instanceof DirFd)) continue;
      const node = fd.node as Node;
      const mount = inTree.get(node);
      const orphan = node.nlink === 0n; // removed while open
      if (mount === undefined && !orphan) fail(`descriptor on ${fd.guestPath} reaches a node outside every tree`);
      if (mount !== undefined && node.mount !== mount) fail(`descriptor on ${fd.guestPath} reaches a node of ${node.mount.path} inside ${mount.path}`);
      if (!fd.guestPath.startsWith(node.mount.path)) fail(`descriptor on ${fd.guestPath} holds a node of mount ${node.mount.path}`);
    }
  };

  const checkBudget = () => {
    let bytesHeld = 2 * INODE_BYTES; // the two roots
    let inodes = 2;
    const contents = new Set<Node>();
    for (const root of [rwRoot, roRoot]) {
      walk(root, (node, name) => {
        bytesHeld += INODE_BYTES + name.length;
        inodes++;
        contents.add(node);
      });
    }
    for (const fd of fdTable) if (fd instanceof FileFd) contents.add(fd.node);
    for (const node of contents) {
      if (node instanceof FileNode) bytesHeld += node.length;
      else if (node instanceof SymlinkNode) bytesHeld += node.targetBytes.length;
    }
    if (budget.bytes !== bytesHeld || budget.inodes !== inodes) {
      fail(`budget says ${budget.bytes} bytes in ${budget.inodes} inodes; the trees hold ${bytesHeld} bytes in ${inodes}`);
    }
    if (budget.bytes > TREE_LIMITS.maxBytes || budget.inodes > TREE_LIMITS.maxInodes) fail(`budget passed its limits: ${budget.bytes} bytes, ${budget.inodes} inodes`);
  };

  const trace: string[] = [];
  for (let n = 0; n < CALLS_PER_CASE; n++) {
    const name = chance(3) ? pick(['path_open', 'fd_write', 'path_rename', 'path_link', 'path_unlink_file', 'fd_close', 'path_symlink', 'fd_filestat_set_size', 'path_create_directory', 'path_remove_directory'] as const) : pick(WASI_CALLS);
    const sig = SIGNATURES[name];
    const args: (number | bigint)[] = [...sig].map(argument);
    // Path arguments mostly point at the dictionary (pointer, length pairs).
    const pathAt: Partial<Record<WasiCall, number[]>> = {
      path_create_directory: [1], path_filestat_get: [2], path_filestat_set_times: [2], path_link: [2, 5], path_open: [2],
      path_readlink: [1], path_remove_directory: [1], path_rename: [1, 4], path_symlink: [0, 3], path_unlink_file: [1],
    };
    for (const at of pathAt[name] ?? []) {
      if (!chance(5)) {
        const s = pick(table.strings);
        args[at] = s.ptr;
        args[at + 1] = s.len;
      }
    }
    // Directory fds: mostly a preopen.
    if (name.startsWith('path_') && name !== 'path_symlink' && !chance(4)) args[0] = 3 + (rand() % 2);
    if (name === 'path_symlink' && !chance(4)) args[2] = 3 + (rand() % 2);
    if ((name === 'path_link' || name === 'path_rename') && !chance(4)) args[name === 'path_link' ? 4 : 3] = 3 + (rand() % 2);
    // Readable, writable regions: an iovec list at 8192 of (8200, 64) entries.
    if (name === 'fd_write' || name === 'fd_read' || name === 'fd_pwrite' || name === 'fd_pread') {
      const view = new DataView(memory.buffer);
      view.setUint32(8192, 8448, true);
      view.setUint32(8196, rand() % 2 === 0 ? 64 : rand() % 20000, true);
      if (!chance(4)) {
        args[1] = 8192;
        args[2] = 1;
      }
    }
    // path_open mostly as programs call it, so that files get opened, written, grown and linked.
    if (name === 'path_open' && !chance(3)) {
      args[1] = rand() % 2; // lookupflags: follow a final symlink or not
      args[4] = pick([0, 1, 1 | 8, 2, 1 | 4, 8]); // oflags: none, CREAT, CREAT|TRUNC, DIRECTORY, CREAT|EXCL, TRUNC
      args[5] = chance(4) ? BigInt(rand()) : RIGHTS_FILE_BASE | RIGHTS_DIR_BASE;
      args[6] = RIGHTS_FILE_BASE | RIGHTS_DIR_BASE;
      args[7] = pick([0, 0, 1, 4]); // fdflags: none, APPEND, NONBLOCK
      args[8] = 64;
    }
    // Sizes and offsets mostly within the budget's reach, so growth and refusals both happen.
    if ((name === 'fd_filestat_set_size' || name === 'fd_allocate' || name === 'fd_pwrite' || name === 'fd_pread') && !chance(3)) {
      args[name === 'fd_allocate' ? 2 : name === 'fd_filestat_set_size' ? 1 : 3] = BigInt(rand() % 40000);
    }
    if (name.startsWith('fd_') && !chance(4)) args[0] = 3 + (rand() % 6);
    // Closing stdio or a preopen ends most of what a sequence can do: rarely.
    if ((name === 'fd_close' || name === 'fd_renumber') && Number(args[0]) < 5 && !chance(8)) args[0] = 5 + (rand() % 4);
    if (name === 'proc_exit' && !chance(10)) continue; // keep most cases going
    trace.push(`${name}(${args.join(', ')})`);
    try {
      (syscalls.imports[name] as (...a: unknown[]) => unknown)(...args);
    } catch (e) {
      if (e instanceof WASIProcExit) break;
      if (e instanceof RangeError && /bounds|offset/i.test(e.message)) continue; // wasmtime's trap for a result outside memory
      fail(`${name} threw ${String(e)} after ${trace.slice(-5).join('; ')}`);
    }
    try {
      checkFds();
      checkBudget();
    } catch (e) {
      fail(`${(e as Error).message} after ${trace.slice(-5).join('; ')}`);
    }
  }
  if (snapshotTree(roRoot) !== roBefore) fail(`the read-only mount changed after ${trace.length} calls`);
  if (charged < trace.length) fail(`host work charged ${charged} fuel for ${trace.length} calls`);
}

export const target: FuzzTarget = {
  name: 'wasi',
  promise: 'random WASI call sequences: no exception escapes, descriptors stay in their mounts, the budget adds up, read-only stays read-only',
  run: runWasiCase,
};
