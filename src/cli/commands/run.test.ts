import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../main.ts';
import type { CliIO } from '../io.ts';
import { tempDir } from '../../testing/cli/temp-dir.ts';
import { EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, EXIT_TIMEOUT, EXIT_TRAP } from '../io.ts';

const root = new URL('../../../', import.meta.url).pathname;

function fakeIO(stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const text = (t: string | Uint8Array) => (typeof t === 'string' ? t : new TextDecoder().decode(t));
  const io: CliIO = {
    stdout: (t) => out.push(text(t)),
    stderr: (t) => err.push(text(t)),
    readStdin: async () => new TextEncoder().encode(stdin),
    cwd: root,
    env: {},
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

describe('kavach run', () => {
  it('runs a module and exits with its exit code', async () => {
    const t = fakeIO();
    expect(await main(['run', 'public/examples/exit_code.wasm', '5'], t.io)).toBe(5);
    expect(t.stderr()).toContain('exiting with 5');
  });

  it('accepts the wasmtime shorthand `kavach module.wasm` and feeds its stdin to the module', async () => {
    const t = fakeIO('from the terminal\n');
    expect(await main(['public/examples/stdin_echo.wasm'], t.io)).toBe(EXIT_OK);
    expect(t.stdout()).toBe('from the terminal\n');
  });

  it('mounts host directories: read-only ones refuse writes, read-write ones are written back', async () => {
    const dir = tempDir('kavach-cli-');
    mkdirSync(join(dir, 'ro'));
    mkdirSync(join(dir, 'rw'));
    writeFileSync(join(dir, 'ro', 'input.txt'), 'host text');
    writeFileSync(join(dir, 'rw', 'old.txt'), 'will be kept');
    const t = fakeIO();
    expect(await main(['run', '--ro-dir', `${dir}/ro::/data`, 'public/examples/cat.wasm'], t.io)).toBe(EXIT_OK);
    expect(t.stdout()).toBe('host text');
    const w = fakeIO();
    expect(await main(['run', '--dir', `${dir}/ro::/out`, '--ro-dir', `${dir}/ro::/out`, 'public/examples/write_files.wasm'], w.io)).toBe(1); // the module's own status: its write was refused
    expect(w.stdout()).toContain('errno=69 (Read-only file system)');
    const rw = fakeIO();
    expect(await main(['run', '--dir', `${dir}/rw::/out`, 'public/examples/write_files.wasm'], rw.io)).toBe(EXIT_OK);
    expect(readFileSync(join(dir, 'rw', 'renamed.txt'), 'utf8')).toBe('written by wasm\n');
    expect(readFileSync(join(dir, 'rw', 'sub', 'nested.txt'), 'utf8')).toBe('nested file\n');
    expect(readFileSync(join(dir, 'rw', 'old.txt'), 'utf8')).toBe('will be kept');
    expect(existsSync(join(dir, 'rw', 'hello.txt'))).toBe(false);
  });

  it('mounts a host directory at /', async () => {
    const dir = tempDir('kavach-root-');
    writeFileSync(join(dir, 'a.txt'), 'abc');
    const t = fakeIO();
    expect(await main(['run', '--ro-dir', `${dir}::/`, 'public/examples/fs_tour.wasm'], t.io)).toBe(EXIT_OK);
    expect(t.stdout()).toMatch(/file\s+3 \/a\.txt/);
  });

  it('exits 124 on timeout and names it on stderr', async () => {
    const t = fakeIO();
    expect(await main(['run', '-W', 'timeout=300ms', '--fuel', '1000000000000000', 'public/examples/loop.wasm'], t.io)).toBe(EXIT_TIMEOUT);
    expect(t.stderr()).toContain('timed out after 300 ms');
  });

  it('says which limit ended the run, the rule that set it, and the flag that raises it', async () => {
    const fuel = fakeIO();
    // (The derived budget's wording is tested in core/limits: a run would race the timeout here.)
    expect(await main(['run', '--fuel', '1000000', 'public/examples/loop.wasm'], fuel.io)).toBe(EXIT_TIMEOUT);
    expect(fuel.stderr()).toContain("kavach: hint: out of fuel: the budget of 1,000,000 was set by --fuel (the policy's fuel); for 10x the fuel: --fuel 10000000\n");
    const time = fakeIO();
    expect(await main(['run', '--timeout-ms', '300', '--fuel', '1000000000000000', 'public/examples/loop.wasm'], time.io)).toBe(EXIT_TIMEOUT);
    expect(time.stderr()).toContain('kavach: hint: timed out after 300 ms (the wall-clock timeout); for 10x the time: --timeout-ms 3000\n');
    const memory = fakeIO();
    expect(await main(['run', '--max-memory-mb', '16', 'public/examples/memory_bomb.wasm'], memory.io)).toBe(3);
    expect(memory.stderr()).toMatch(/kavach: hint: the memory cap of 16 MiB was reached \(it grew to 1\d\.\d MiB\); for more memory: --max-memory-mb 160\n/);
    const clean = fakeIO();
    expect(await main(['run', 'public/examples/hello.wasm'], clean.io)).toBe(EXIT_OK);
    expect(clean.stderr()).not.toContain('hint');
  });

  it('exits 124 when the fuel runs out, saying so as kavach does', async () => {
    const t = fakeIO();
    expect(await main(['run', '-W', 'fuel=1000000', 'public/examples/loop.wasm'], t.io)).toBe(EXIT_TIMEOUT);
    expect(t.stderr()).toContain('WASM fuel exhausted');
    const json = fakeIO();
    expect(await main(['run', '--json', '--fuel', '1000000', 'public/examples/loop.wasm'], json.io)).toBe(EXIT_TIMEOUT);
    const fuel = JSON.parse(json.stdout()).fuel;
    expect(fuel.budget).toBe(1000000);
    expect(fuel.consumed).toBeGreaterThan(999_000);
    expect(fuel.consumed).toBeLessThanOrEqual(1000000);
  });

  it('caps memory with --max-memory-mb and -W max-memory-size', async () => {
    const t = fakeIO();
    expect(await main(['run', '--max-memory-mb', '16', 'public/examples/memory_bomb.wasm'], t.io)).toBe(3);
    expect(t.stdout() + t.stderr()).toMatch(/malloc failed after (\d|1[0-5]) MiB/);
    const w = fakeIO();
    expect(await main(['run', '-W', `max-memory-size=${16 * 1048576}`, 'public/examples/memory_bomb.wasm'], w.io)).toBe(3);
  });

  it('exits 134 on a trap with the message on stderr', async () => {
    const t = fakeIO();
    expect(await main(['run', '--timeout-ms', '5000', 'public/examples/recursion.wasm'], t.io)).toBe(EXIT_TRAP);
    expect(t.stderr()).toMatch(/kavach: (trap|stack overflow)/);
  });

  it('exits 2 with a clear message for bad input', async () => {
    const missing = fakeIO();
    expect(await main(['run', 'no-such.wasm'], missing.io)).toBe(EXIT_BAD_INPUT);
    expect(missing.stderr()).toContain('cannot read module no-such.wasm: ENOENT');
    const corrupt = fakeIO();
    expect(await main(['run', 'package.json'], corrupt.io)).toBe(EXIT_BAD_INPUT);
    expect(corrupt.stderr()).toContain('sandbox execution failed: WASM load:');
    const badFlag = fakeIO();
    expect(await main(['run', '--timeout-ms', 'soon', 'x.wasm'], badFlag.io)).toBe(EXIT_BAD_INPUT);
    expect(badFlag.stderr()).toContain('--timeout-ms expects a whole number, got "soon"');
    const dir = tempDir('kavach-pol-');
    writeFileSync(join(dir, 'p.json'), JSON.stringify({ policy: { memory_limit_mb: -1 } }));
    const badPolicy = fakeIO();
    expect(await main(['run', '--policy', join(dir, 'p.json'), 'public/examples/hello.wasm'], badPolicy.io)).toBe(EXIT_BAD_INPUT);
    expect(badPolicy.stderr()).toContain('policy.memory_limit_mb: expected a memory limit in MiB');
  });

  it('writes a verifiable audit trail with --audit', async () => {
    const file = join(tempDir('kavach-audit-'), 'audit.jsonl');
    const t = fakeIO();
    expect(await main(['run', '--audit', file, '--audit-hmac-key', 'k3y', 'public/examples/hello.wasm'], t.io)).toBe(EXIT_OK);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ serial: 0, event_type: 'lifecycle.created' });
    expect(lines.some((l) => l.event_type === 'wasi.fd_write')).toBe(true);
    const verify = fakeIO();
    expect(await main(['audit', 'verify', file, '--hmac-key', 'k3y'], verify.io)).toBe(EXIT_OK);
  });

  it("exits 1 with kavach's error when the output gate withheld output, as kavach's CLI does (main.rs:135-141)", async () => {
    const t = fakeIO();
    expect(await main(['run', 'public/examples/cloud_key.wasm'], t.io)).toBe(EXIT_FAILURE);
    expect(t.stderr()).toMatch(/kavach: externalization blocked: blocked: \d+ finding\(s\), worst severity: critical\n/);
    expect(t.stderr()).toMatch(/kavach: output gate: output blocked at stdout character \d+ \(aws_access_key/);
    expect(t.stdout()).not.toContain('AKIA');
  });

  it('runs no gate for a policy whose externalization is null, as kavach, and says so', async () => {
    const file = join(tempDir('kavach-nogate-'), 'p.json');
    writeFileSync(file, JSON.stringify({ backend: 'Wasm', externalization: null }));
    const t = fakeIO();
    expect(await main(['run', '--policy', file, 'public/examples/cloud_key.wasm'], t.io)).toBe(EXIT_OK);
    expect(t.stdout()).toContain('AKIAIOSFODNN7EXAMPLE');
    expect(t.stderr()).toContain('kavach: output gate: off (externalization is null, which kavach reads as no gate): output released unscanned\n');
  });

  it('prints the full result as JSON with --json', async () => {
    const t = fakeIO();
    expect(await main(['run', '--json', 'public/examples/hello.wasm'], t.io)).toBe(EXIT_OK);
    const parsed = JSON.parse(t.stdout());
    expect(parsed).toMatchObject({ exit_code: 0, stdout: 'Hello from WebAssembly!\n', timed_out: false, outcome: { kind: 'exit', code: EXIT_OK } });
  });
});
