import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../testing/cli/fake-io.ts';
import { run } from './score.ts';
import { tempDir } from '../../testing/cli/temp-dir.ts';
import { EXIT_BAD_INPUT, EXIT_OK } from '../io.ts';

const dir = tempDir('kavach-score-');
writeFileSync(join(dir, 'fc.json'), JSON.stringify({ backend: 'Firecracker', policy: { seccomp_enabled: true, landlock_rules: [{ path: '/d', access: 'ro' }] } }));
writeFileSync(join(dir, 'bad.json'), JSON.stringify({ policy: { memory_limit_mb: -1 } }));
writeFileSync(join(dir, 'odd.json'), JSON.stringify({ seccomp_enabled: false, colour: 'red' }));

const score = (argv: string[]) => runCommand(run, argv, { cwd: dir });

describe('kavach score', () => {
  it("prints kavach's number as kavach does, with its defaults: process backend, basic preset (main.rs:40-53)", async () => {
    expect(await score([])).toEqual({ code: EXIT_OK, out: '60 (standard)\n', err: '' });
    expect((await score(['-p', 'strict'])).out).toBe('65 (standard)\n');
    expect((await score(['--policy', 'strict', '--backend', 'wasm'])).out).toBe('80 (hardened)\n');
    expect((await score(['--preset', 'BASIC', '-b', 'noop'])).out).toBe('10 (minimal)\n');
    expect((await score(['-b', 'WASM', '-p', 'minimal'])).out).toBe('70 (hardened)\n');
  });

  it('knows every backend kavach names, sy-agnos spelled either way (backend/mod.rs 1.0.1:142-163)', async () => {
    const out = async (backend: string) => (await score(['-b', backend])).out.trim();
    expect(await Promise.all(['process', 'gvisor', 'firecracker', 'wasm', 'oci', 'sgx', 'sev', 'tdx', 'sy-agnos', 'syagnos', 'Sy-Agnos', 'noop'].map(out)))
      .toEqual(['60 (standard)', '80 (hardened)', '100 (fortress)', '75 (hardened)', '65 (standard)', '90 (fortress)', '92 (fortress)', '95 (fortress)',
        '90 (fortress)', '90 (fortress)', '90 (fortress)', '10 (minimal)']);
    expect((await score(['-b', 'QEMU'])).err).toBe('kavach score: unknown backend: qemu\nRun `kavach score --help` for usage.\n');
  });

  it('turns the network off with --no-network (main.rs 0.22.3:82-84)', async () => {
    writeFileSync(join(dir, 'net.json'), JSON.stringify({ policy: { network: { enabled: true, allowed_hosts: [], allowed_ports: [] } } }));
    expect((await score(['--policy-file', 'net.json'])).out).toBe('65 (standard)\n');
    expect((await score(['--policy-file', 'net.json', '--no-network'])).out).toBe('70 (hardened)\n');
    expect((await score(['--no-network'])).out).toBe('60 (standard)\n');
  });

  it("reads a policy file's backend, and --backend overrides it", async () => {
    expect((await score(['--policy-file', 'fc.json'])).out).toBe('100 (fortress)\n');
    expect((await score(['--policy-file', 'fc.json', '--backend', 'process'])).out).toBe('63 (standard)\n');
  });

  it('passes policy warnings on to stderr', async () => {
    const r = await score(['--policy-file', 'odd.json']);
    expect(r).toMatchObject({ code: EXIT_OK, out: '70 (hardened)\n' });
    expect(r.err).toBe('warning: odd.json: policy.colour: unknown field, ignored (as kavach ignores it)\n');
  });

  it("--explain adds the playground's breakdown, one line per point", async () => {
    const r = await score(['-b', 'wasm', '--preset', 'strict', '--explain']);
    expect(r.code).toBe(EXIT_OK);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^kavach: +80 \(hardened\) +\(wasm backend, preset strict;/);
    expect(lines[1]).toMatch(/^playground: 80 \(hardened\)/);
    expect(r.out).toMatch(/\n +\+2 +yes +wasi_filter +WASI call filter on \(seccomp_profile:strict\)/);
    expect(r.out).toMatch(/\n +0 +no +cpu_limit +cpu_limit 1: /);
    expect(r.out).toMatch(/\n +80 +total \(hardened\)\n/);
  });

  it('notes that the playground score ignores a non-wasm backend, naming it as kavach does', async () => {
    const r = await score(['--backend', 'syagnos', '--explain']);
    expect(r.out).toMatch(/^kavach: +90 \(fortress\) +\(sy-agnos backend, preset basic;/);
    expect(r.out).toContain('note: the playground runs only the wasm backend');
  });

  it.each([
    [['--preset', 'paranoid'], 'unknown policy: paranoid (use minimal, basic, strict)'],
    [['-p', 'Paranoid'], 'unknown policy: paranoid (use minimal, basic, strict)'],
    [['--policy', 'fc.json'], 'unknown policy: fc.json (use minimal, basic, strict)'],
    [['--backend', 'QEMU'], 'unknown backend: qemu'],
    [['--preset', 'basic', '--policy-file', 'fc.json'], 'give -p/--policy or --policy-file, not both'],
    [['-p', 'basic', '--preset', 'strict'], 'give -p/--policy or --preset, not both'],
    [['--policy-file', 'missing.json'], 'cannot read policy missing.json: ENOENT'],
    [['--policy-file', 'bad.json'], 'invalid policy bad.json:\npolicy.memory_limit_mb: expected a memory limit in MiB (a whole number, 0 or more) or null'],
    [['--verbose'], "Unknown option '--verbose'"],
    [['strict'], 'unexpected argument "strict"'],
  ])('rejects bad input %j with exit 2', async (argv, message) => {
    const r = await score(argv);
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.out).toBe('');
    expect(r.err).toContain(`kavach score: ${message}`);
  });

  it('prints its help', async () => {
    const r = await score(['--help']);
    expect(r.code).toBe(EXIT_OK);
    expect(r.out).toMatch(/^usage: kavach score /);
    expect(r.out).toContain('process, gvisor, firecracker, wasm, oci, sgx, sev, tdx, sy-agnos, noop');
  });
});
