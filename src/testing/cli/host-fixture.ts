/**
 * Host fixtures for the attack suite: a temporary directory holding a mount and, beside it,
 * canaries the guest must never reach; a snapshot of a whole host tree (types, contents, link
 * targets, modes and modification times) to compare before and after a run; and the CLI run
 * in-process or as a child process (for cases that could block a thread: FIFOs, devices).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../cli/main.ts';
import { fakeIO } from './fake-io.ts';
import { tempDir } from './temp-dir.ts';

export const REPO = new URL('../../../', import.meta.url).pathname;
export const FSOPS = join(REPO, 'attacks/wasm/fsops.wasm');
export const HELLO = join(REPO, 'public/examples/hello.wasm');

export interface HostFixture {
  /** The temporary directory holding everything below. */
  root: string;
  /** The directory the test mounts. */
  mount: string;
  /** Beside the mount: canary.txt and dir/keep.txt, which no run may change. */
  outside: string;
}

export function hostFixture(prefix = 'kavach-attack-'): HostFixture {
  const root = tempDir(prefix);
  const mount = join(root, 'mount');
  const outside = join(root, 'outside');
  mkdirSync(mount);
  mkdirSync(join(outside, 'dir'), { recursive: true });
  writeFileSync(join(outside, 'canary.txt'), 'canary\n');
  writeFileSync(join(outside, 'dir', 'keep.txt'), 'keep\n');
  return { root, mount, outside };
}

/**
 * Every entry beneath `dir` as `path -> what it is`: "dir", "file <sha256> <mode> <mtime>",
 * "link -> target", or the special type. Comparing two snapshots shows any change at all.
 */
export function snapshot(dir: string, withTimes = true): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (abs: string, rel: string) => {
    for (const name of readdirSync(abs).sort()) {
      const p = join(abs, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out[r] = `link -> ${readlinkSync(p)}`;
      else if (st.isDirectory()) {
        out[r] = 'dir';
        walk(p, r);
      } else if (st.isFile()) {
        const sha = createHash('sha256').update(readFileSync(p)).digest('hex').slice(0, 16);
        out[r] = `file ${sha} ${(st.mode & 0o777).toString(8)}${withTimes ? ` ${st.mtimeMs}` : ''}`;
      } else out[r] = st.isFIFO() ? 'fifo' : st.isSocket() ? 'socket' : 'special';
    }
  };
  walk(dir, '');
  return out;
}

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI in this process (env: what --secret reads). */
export async function cli(argv: string[], options: { cwd?: string; env?: Record<string, string>; stdin?: string } = {}): Promise<CliRun> {
  const t = fakeIO({ ...options, cwd: options.cwd ?? REPO });
  const code = await main(argv, t.io);
  return { code, out: t.stdout(), err: t.stderr() };
}

/**
 * Runs the CLI as a child process. `guardMs` only keeps a hang from stalling the suite: a run
 * killed by it reports code null, which the tests treat as the failure it is.
 */
export function cliProcess(argv: string[], options: { env?: Record<string, string>; guardMs?: number } = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [join(REPO, 'bin/kavach.mjs'), ...argv], {
    cwd: REPO,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: options.guardMs ?? 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A stack trace in CLI output is a bug: every failure is one line a person can act on. */
export function hasStackTrace(text: string): boolean {
  return /\n\s+at .+\(.+:\d+:\d+\)|^\s+at /m.test(text);
}
