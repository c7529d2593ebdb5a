import { describe, expect, it } from 'vitest';
import { BACKENDS, presetPolicy, sandboxConfigSchema, type SandboxConfigInput } from '../policy/index.ts';
import { PLAYGROUND_POINTS, kavachScore, playgroundScore, scoreLabel } from './index.ts';

describe("kavach's score", () => {
  // base, then minimal (+5 network off), basic (+5 seccomp), strict (+3 ro rootfs, +2 limits); clamped.
  const TABLE: [backend: (typeof BACKENDS)[number], minimal: string, basic: string, strict: string][] = [
    ['noop', '5 (minimal)', '10 (minimal)', '15 (minimal)'],
    ['process', '55 (standard)', '60 (standard)', '65 (standard)'],
    ['oci', '60 (standard)', '65 (standard)', '70 (hardened)'],
    ['wasm', '70 (hardened)', '75 (hardened)', '80 (hardened)'],
    ['gvisor', '75 (hardened)', '80 (hardened)', '85 (fortress)'],
    ['sgx', '85 (fortress)', '90 (fortress)', '95 (fortress)'],
    ['syagnos', '85 (fortress)', '90 (fortress)', '95 (fortress)'],
    ['sev', '87 (fortress)', '92 (fortress)', '97 (fortress)'],
    ['tdx', '90 (fortress)', '95 (fortress)', '100 (fortress)'],
    ['firecracker', '95 (fortress)', '100 (fortress)', '100 (fortress)'],
  ];

  it('covers every backend', () => {
    expect(TABLE.map((r) => r[0])).toEqual([...BACKENDS]);
  });

  it.each(TABLE)('%s scores %s / %s / %s for minimal / basic / strict', (backend, minimal, basic, strict) => {
    expect(kavachScore(backend, presetPolicy('minimal')).display).toBe(minimal);
    expect(kavachScore(backend, presetPolicy('basic')).display).toBe(basic);
    expect(kavachScore(backend, presetPolicy('strict')).display).toBe(strict);
  });

  it('credits a landlock rule once, limits once, and network only when disabled', () => {
    const p = presetPolicy('minimal');
    p.landlock_rules = [{ path: '/a', access: 'ro' }, { path: '/b', access: 'rw' }];
    p.cpu_limit = 0.5;
    p.memory_limit_mb = 64;
    p.network.enabled = true;
    expect(kavachScore('wasm', p)).toEqual({ score: 70, label: 'hardened', display: '70 (hardened)' });
  });

  it('labels the band edges as kavach does', () => {
    expect([0, 29, 30, 49, 50, 69, 70, 84, 85, 100].map(scoreLabel)).toEqual([
      'minimal', 'minimal', 'basic', 'basic', 'standard', 'standard', 'hardened', 'hardened', 'fortress', 'fortress',
    ]);
  });
});

describe("the playground's score", () => {
  const config = (input: SandboxConfigInput) => sandboxConfigSchema.parse(input);

  const CASES: [what: string, input: SandboxConfigInput, display: string, ids: string[]][] = [
    ['defaults (10 s timeout, gate on)', {}, '76 (hardened)',
      ['base', 'fs_confined', 'fuel', 'timeout', 'no_network', 'output_gate']],
    ['kavach strict preset: ro rootfs, cpu and pids count for nothing here', { policy: presetPolicy('strict') }, '80 (hardened)',
      ['base', 'fs_confined', 'wasi_filter', 'memory_cap', 'fuel', 'timeout', 'no_network', 'output_gate', 'cpu_limit', 'max_pids', 'read_only_rootfs']],
    ['everything enforced', {
      policy: { seccomp_enabled: true, seccomp_profile: 'strict', landlock_rules: [{ path: '/data', access: 'ro' }], memory_limit_mb: 64 },
      secrets: [{ name: 'T', inject_via: 'Stdin' }],
      deterministic: {},
    }, '84 (hardened)',
      ['base', 'fs_confined', 'read_only_mounts', 'wasi_filter', 'memory_cap', 'fuel', 'timeout', 'deterministic', 'no_network', 'secrets_proxy', 'output_gate']],
    ['a deterministic run: time and entropy withheld', { deterministic: { clock_start_ms: 0, clock_step_ns: 1, random_seed: 9 } }, '77 (hardened)',
      ['base', 'fs_confined', 'fuel', 'timeout', 'deterministic', 'no_network', 'output_gate']],
    ['mixed mounts earn partial credit', {
      policy: { landlock_rules: [{ path: '/in', access: 'ro' }, { path: '/out', access: 'rw' }] },
    }, '77 (hardened)',
      ['base', 'fs_confined', 'read_only_mounts_partial', 'fuel', 'timeout', 'no_network', 'output_gate']],
    ['read_only_rootfs makes a rw mount read-only', {
      policy: { landlock_rules: [{ path: '/', access: 'rw' }], read_only_rootfs: true },
    }, '78 (hardened)',
      ['base', 'fs_confined', 'read_only_mounts', 'fuel', 'timeout', 'no_network', 'output_gate']],
    ['explicit fuel with no timeout still counts as a limit', { timeout_ms: 0, fuel: 1000 }, '75 (hardened)',
      ['base', 'fs_confined', 'fuel', 'no_network', 'output_gate']],
    ['everything that weakens it', {
      policy: { landlock_rules: [{ path: '/', access: 'rw' }], network: { enabled: true, allowed_hosts: ['x.io'], allowed_ports: [] } },
      timeout_ms: 0, env: [['GITHUB_TOKEN', 'abc'], ['LANG', 'C']],
      externalization: { enabled: false },
    }, '40 (basic)',
      ['base', 'fs_confined', 'no_network', 'root_rw', 'no_limits', 'plaintext_secret', 'output_gate_off', 'network_allowlist']],
  ];

  it.each(CASES)('%s', (_what, input, display, ids) => {
    const s = playgroundScore(config(input));
    expect(s.display).toBe(display);
    expect(s.lines.map((l) => l.id)).toEqual(ids);
    expect(s.lines.reduce((sum, l) => sum + l.points, 0)).toBe(s.score);
  });

  it('marks controls kavach credits but this sandbox cannot enforce as 0 points, not enforced', () => {
    const s = playgroundScore(config({ policy: { ...presetPolicy('strict'), data_dir: '/var/data' } }));
    const moot = s.lines.filter((l) => !l.enforced);
    expect(moot.map((l) => l.id)).toEqual(['cpu_limit', 'max_pids', 'read_only_rootfs', 'data_dir']);
    expect(moot.every((l) => l.points === 0)).toBe(true);
    expect(moot[0].reason).toMatch(/cpu_limit 1: .*not enforced/);
    expect(s.lines.filter((l) => l.enforced).every((l) => l.points !== 0)).toBe(true);
  });

  it('says when a seccomp profile is set but seccomp is off', () => {
    const s = playgroundScore(config({ policy: { seccomp_profile: 'strict' } }));
    expect(s.lines.find((l) => l.id === 'seccomp_profile')).toMatchObject({ enforced: false, points: 0 });
    expect(s.lines.some((l) => l.id === 'wasi_filter')).toBe(false);
  });

  it('credits a wasi_filter without seccomp and names its rule', () => {
    const s = playgroundScore(config({ policy: { wasi_filter: { mode: 'deny', calls: ['path_symlink'] } } }));
    expect(s.lines.find((l) => l.id === 'wasi_filter')!.reason).toBe('WASI call filter on (wasi_filter): 1 of 46 calls refused with ENOSYS');
  });

  it('describes a deterministic run by its clock and seed', () => {
    const s = playgroundScore(config({ deterministic: { clock_start_ms: 1_700_000_000_000, clock_step_ns: 1000, random_seed: 42 } }));
    expect(s.lines.find((l) => l.id === 'deterministic')).toEqual({
      id: 'deterministic', points: 1, enforced: true,
      reason: "deterministic run: a virtual clock from 2023-11-14T22:13:20.000Z stepping 1000 ns per read, and random bytes from seed 42; the guest can read neither the host's time nor its entropy, and the run repeats byte for byte",
    });
    expect(playgroundScore(config({})).lines.some((l) => l.id === 'deterministic')).toBe(false);
    // A start past the end of JavaScript's calendar still loads, and is described without a date.
    expect(playgroundScore(config({ deterministic: { clock_start_ms: 9e15 } })).lines.find((l) => l.id === 'deterministic')!.reason).toContain('9000000000000000 ms after 1970');
  });

  it('spots pasted secrets by env name or by a gate pattern in the value, never by an email', () => {
    const flagged = (env: [string, string][]) =>
      playgroundScore(config({ env })).lines.find((l) => l.id === 'plaintext_secret')?.reason ?? null;
    expect(flagged([['DB_PASSWORD', 'x'], ['apikey', 'y'], ['PRIVATE_PEM', 'z']])).toMatch(/\(DB_PASSWORD, apikey, PRIVATE_PEM\)/);
    expect(flagged([['CONFIG', 'AKIAIOSFODNN7EXAMPLE']])).toMatch(/\(CONFIG\)/);
    expect(flagged([['AUTHOR', 'bob@example.com'], ['HOME', '/home']])).toBeNull();
    expect(flagged([['API_TOKEN', '']])).toBeNull();
    // Names only: the reason never repeats the value.
    expect(flagged([['CONFIG', 'AKIAIOSFODNN7EXAMPLE']])).not.toMatch(/AKIA/);
  });

  it('never leaves 0..100: the credits and penalties bound it to 40..84', () => {
    const P = PLAYGROUND_POINTS;
    const credits = P.base + P.fs_confined + P.no_network + P.wasi_filter + P.read_only_mounts + P.memory_cap + P.fuel + P.timeout + P.deterministic + P.secrets_proxy + P.output_gate;
    const worst = P.base + P.fs_confined + P.no_network + P.root_rw + P.no_limits + P.plaintext_secret + P.output_gate_off;
    expect([worst, credits]).toEqual([40, 84]);
  });

  it("takes 3 points for externalization null, kavach's \"no gate\", and says so; a document without the field gets the default gate", () => {
    const off = playgroundScore(config({ externalization: null }));
    expect(off.lines.find((l) => l.id === 'output_gate_off')).toEqual({
      id: 'output_gate_off', points: -3, enforced: true,
      reason: 'no output gate (externalization is null, which kavach reads as no gate): output leaves the sandbox unscanned',
    });
    expect(off.lines.some((l) => l.id === 'output_gate')).toBe(false);
    expect(playgroundScore(config({})).lines.find((l) => l.id === 'output_gate')?.reason).toBe('output gate on: block at critical, quarantine at high');
    expect(playgroundScore(config({ externalization: { extra_scanners: ['code', 'data'] } })).lines.find((l) => l.id === 'output_gate')?.reason)
      .toBe("output gate on: block at critical, quarantine at high, with kavach 1.0's code, data scanner(s)");
  });

  it('names the rule that set the fuel budget, in the words the page uses beside the field', () => {
    const fuelLine = (input: SandboxConfigInput) => playgroundScore(config(input)).lines.find((l) => l.id === 'fuel')!.reason;
    expect(fuelLine({ timeout_ms: 5000 })).toBe("5,000,000,000 units of fuel, from kavach's rule, timeout_ms 5,000 x 1,000,000: a busy guest is stopped after the same work on every machine");
    expect(fuelLine({ fuel: 20_000_000_000 })).toBe("20,000,000,000 units of fuel, from the policy's fuel: a busy guest is stopped after the same work on every machine");
  });

  it('credits an output gate with custom thresholds and describes them', () => {
    const s = playgroundScore(config({ externalization: { block_threshold: 'high', quarantine_threshold: 'medium' } }));
    expect(s.lines.find((l) => l.id === 'output_gate')).toEqual({
      id: 'output_gate', points: 1, enforced: true, reason: 'output gate on: block at high, quarantine at medium',
    });
  });
});
