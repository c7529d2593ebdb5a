import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from './fake-io.ts';
import { run } from './score.ts';
import { tempDir } from '../temp-dir.ts';

const dir = tempDir('kavach-score-');
writeFileSync(join(dir, 'fc.json'), JSON.stringify({ backend: 'Firecracker', policy: { seccomp_enabled: true, landlock_rules: [{ path: '/d', access: 'ro' }] } }));
writeFileSync(join(dir, 'bad.json'), JSON.stringify({ policy: { memory_limit_mb: -1 } }));
writeFileSync(join(dir, 'odd.json'), JSON.stringify({ seccomp_enabled: false, colour: 'red' }));

const score = (argv: string[]) => runCommand(run, argv, { cwd: dir });

describe('kavach score', () => {
  it("prints kavach's number as kavach does, minimal wasm by default", async () => {
    expect(await score([])).toEqual({ code: 0, out: '70 (hardened)\n', err: '' });
    expect((await score(['--preset', 'strict'])).out).toBe('80 (hardened)\n');
    expect((await score(['--preset', 'BASIC', '--backend', 'noop'])).out).toBe('10 (minimal)\n');
  });

  it("reads a policy file's backend, and --backend overrides it", async () => {
    expect((await score(['--policy', 'fc.json'])).out).toBe('100 (fortress)\n');
    expect((await score(['--policy', 'fc.json', '--backend', 'process'])).out).toBe('63 (standard)\n');
  });

  it('passes policy warnings on to stderr', async () => {
    const r = await score(['--policy', 'odd.json']);
    expect(r).toMatchObject({ code: 0, out: '70 (hardened)\n' });
    expect(r.err).toBe('warning: odd.json: policy.colour: unknown field, ignored (as kavach ignores it)\n');
  });

  it("--explain adds the playground's breakdown, one line per point", async () => {
    const r = await score(['--preset', 'strict', '--explain']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^kavach: +80 \(hardened\) +\(wasm backend, preset strict;/);
    expect(lines[1]).toMatch(/^playground: 80 \(hardened\)/);
    expect(r.out).toMatch(/\n +\+2 +yes +wasi_filter +WASI call filter on \(seccomp_profile:strict\)/);
    expect(r.out).toMatch(/\n +0 +no +cpu_limit +cpu_limit 1: /);
    expect(r.out).toMatch(/\n +80 +total \(hardened\)\n/);
  });

  it('notes that the playground score ignores a non-wasm backend', async () => {
    const r = await score(['--backend', 'gvisor', '--explain']);
    expect(r.out).toMatch(/^kavach: +75 \(hardened\)/);
    expect(r.out).toContain('note: the playground runs only the wasm backend');
  });

  it.each([
    [['--preset', 'paranoid'], 'unknown policy: paranoid (use minimal, basic, strict)'],
    [['--backend', 'qemu'], 'unknown backend: qemu (use noop, process, oci, wasm, gvisor, sgx, syagnos, sev, tdx, firecracker)'],
    [['--preset', 'basic', '--policy', 'fc.json'], 'give --preset or --policy, not both'],
    [['--policy', 'missing.json'], 'cannot read policy missing.json: ENOENT'],
    [['--policy', 'bad.json'], 'invalid policy bad.json:\npolicy.memory_limit_mb: expected a memory limit in MiB (1-4096) or null'],
    [['--verbose'], "Unknown option '--verbose'"],
    [['strict'], 'unexpected argument "strict"'],
  ])('rejects bad input %j with exit 2', async (argv, message) => {
    const r = await score(argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(`kavach score: ${message}`);
  });

  it('prints its help', async () => {
    const r = await score(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: kavach score /);
  });
});
