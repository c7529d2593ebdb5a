/**
 * The WASI conformance suite as data: which programs, the world each runs in (args, env, stdin,
 * a fresh read-write /sandbox and a read-only /ro), and how to read what they print. Shared by
 * the Node test (engine, CLI, node:wasi, plain shim) and the Chromium spec (engine in the page).
 */
import type { SandboxConfigInput } from '../src/core/policy/index.ts';
import { CHECKS } from './checks.ts';

export { CHECKS };

/** Programs in conformance/wasm/<name>.wasm, built from conformance/src by build.sh. */
export const PROGRAMS = Object.keys(CHECKS);

export const SANDBOX = '/sandbox';
export const READ_ONLY = '/ro';
/** Contents of the read-only mount, relative to it. */
export const READ_ONLY_FILES: Record<string, string> = { 'file.txt': 'read only data\n', 'dir/inner.txt': 'inner\n' };
export const ARGS = ['first', 'h\u00e9llo w\u00f6rld', ''];
export const ENV: [string, string][] = [['ALPHA', '1'], ['UNICODE', '\u00fcn\u00ef'], ['EMPTY', '']];
export const STDIN = 'stdin line\n';
/** Generous: the engine meters fuel, and a few checks sleep. */
export const TIMEOUT_MS = 30_000;

/** The engine's config for one program: the same world node:wasi and the shim are given. */
export function engineConfig(): SandboxConfigInput {
  const files: Record<string, string> = {};
  for (const [path, text] of Object.entries(READ_ONLY_FILES)) files[`${READ_ONLY}/${path}`] = text;
  return {
    args: ARGS,
    env: ENV,
    stdin: STDIN,
    timeout_ms: TIMEOUT_MS,
    policy: { landlock_rules: [{ path: SANDBOX, access: 'rw' }, { path: READ_ONLY, access: 'ro' }] },
    files,
  };
}

export interface CheckLine {
  observed: string;
  pass: boolean;
  /** What the program expected, on a failing line. */
  expected: string | null;
}

const LINE = /^CHECK (\S+): (.*) => (PASS|FAIL \(expected (.*)\))$/;

/** The checks a program printed, by name. Other lines (comments, output of the call) are skipped. */
export function parseChecks(stdout: string): Map<string, CheckLine> {
  const out = new Map<string, CheckLine>();
  for (const line of stdout.split('\n')) {
    const m = LINE.exec(line);
    if (m === null) continue;
    out.set(m[1], { observed: m[2], pass: m[3] === 'PASS', expected: m[4] ?? null });
  }
  return out;
}

export interface ProgramOutcome {
  stdout: string;
  stderr: string;
  /** Exit code, or null when the run did not end by exiting (a trap, a thrown error). */
  exitCode: number | null;
  /** Set when the runtime itself failed (crashed, threw). */
  error: string | null;
}

export interface Tally {
  passed: string[];
  /** Checks that printed FAIL, or never printed (the program died first). */
  failed: string[];
  /** Printed checks the manifest does not know: the manifest is stale. */
  unknown: string[];
}

/** Score one program's output against its manifest. */
export function tally(program: string, stdout: string): Tally {
  const seen = parseChecks(stdout);
  const expected = CHECKS[program] ?? [];
  const passed = expected.filter((name) => seen.get(name)?.pass === true);
  const failed = expected.filter((name) => seen.get(name)?.pass !== true);
  const known = new Set(expected);
  return { passed, failed, unknown: [...seen.keys()].filter((name) => !known.has(name)) };
}

/** Every check name, "program/check", in manifest order. */
export function allChecks(): string[] {
  return PROGRAMS.flatMap((p) => CHECKS[p].map((c) => `${p}/${c}`));
}
