/**
 * Running one conformance program in Node, four ways: through the engine (a worker, as the page
 * does), through the CLI (`kavach run`, host directories copied in), under node:wasi (in a child
 * process, since it writes straight to the process's stdout) and under the plain
 * @bjorn3/browser_wasi_shim 0.4.2 (in a child process too: it busy-waits, and can spin forever).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.ts';
import { fakeIO } from '../src/testing/cli/fake-io.ts';
import { parseDocument } from '../src/core/policy/index.ts';
import type { Engine } from '../src/core/runner/engine.ts';
import { ARGS, ENV, READ_ONLY, READ_ONLY_FILES, SANDBOX, STDIN, TIMEOUT_MS, engineConfig, type ProgramOutcome } from './suite.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

export function wasmPath(program: string): string {
  return join(HERE, 'wasm', `${program}.wasm`);
}

export function programBytes(program: string): Uint8Array {
  return new Uint8Array(readFileSync(wasmPath(program)));
}

export async function runInEngine(engine: Engine, program: string): Promise<ProgramOutcome> {
  const report = await engine.run({ module: programBytes(program), moduleName: `${program}.wasm`, config: parseDocument(engineConfig()) }).result;
  if (!report.ok) return { stdout: '', stderr: '', exitCode: null, error: report.error.message };
  const r = report.result;
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.outcome.kind === 'exit' ? r.outcome.code : null, error: null };
}

/** A fresh host directory pair: an empty sandbox and the read-only tree. */
function hostDirs(): { root: string; sandbox: string; readOnly: string } {
  const root = mkdtempSync(join(tmpdir(), 'kavach-conformance-'));
  const sandbox = join(root, 'sandbox');
  const readOnly = join(root, 'ro');
  mkdirSync(sandbox);
  for (const [path, text] of Object.entries(READ_ONLY_FILES)) {
    mkdirSync(dirname(join(readOnly, path)), { recursive: true });
    writeFileSync(join(readOnly, path), text);
  }
  return { root, sandbox, readOnly };
}

export async function runInCli(program: string): Promise<ProgramOutcome> {
  const dirs = hostDirs();
  const t = fakeIO({ stdin: STDIN, cwd: HERE });
  const argv = [
    'run', '--dir', `${dirs.sandbox}::${SANDBOX}`, '--ro-dir', `${dirs.readOnly}::${READ_ONLY}`,
    ...ENV.flatMap(([k, v]) => ['--env', `${k}=${v}`]), '--timeout-ms', String(TIMEOUT_MS),
    wasmPath(program), ...ARGS,
  ];
  try {
    const code = await main(argv, t.io);
    return { stdout: t.stdout(), stderr: t.stderr(), exitCode: code, error: null };
  } finally {
    rmSync(dirs.root, { recursive: true, force: true });
  }
}

/** The reference runtimes may hang (node:wasi does on some calls); they get this long. */
export const REFERENCE_TIMEOUT_MS = 10_000;

/** Run `script` (a TS file here) on one program in a child process, with the suite's stdin. */
function runChild(script: string, program: string): Promise<ProgramOutcome> {
  const dirs = hostDirs();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--no-warnings', '--import', 'tsx', join(HERE, script), wasmPath(program), dirs.sandbox, dirs.readOnly], {
      stdio: ['pipe', 'pipe', 'pipe'],
      cwd: join(HERE, '..'),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => {}); // a program that never reads stdin may exit before it is written
    child.stdin.end(STDIN);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, REFERENCE_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      rmSync(dirs.root, { recursive: true, force: true });
      const stderr = Buffer.concat(err).toString('utf8');
      const crash = /^CRASH (.*)$/m.exec(stderr);
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr,
        exitCode: timedOut ? null : code,
        error: timedOut ? `hung: killed after ${REFERENCE_TIMEOUT_MS / 1000} s`
          : signal !== null ? `crashed: ${signal}` : crash?.[1] ?? null,
      });
    });
  });
}

/** node:wasi, with host directories as preopens. */
export function runInNodeWasi(program: string): Promise<ProgramOutcome> {
  return runChild('node-wasi-child.ts', program);
}

/** The plain @bjorn3/browser_wasi_shim 0.4.2, with its own in-memory directories. */
export function runInShim(program: string): Promise<ProgramOutcome> {
  return runChild('shim-child.ts', program);
}
