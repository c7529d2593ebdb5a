import { describe, expect, it } from 'vitest';
import { fuelBudget, loadDocument, mountsOf, policyJsonSchema, presetPolicy } from './index.ts';

describe('loading policy documents', () => {
  it('loads a bare kavach SandboxPolicy unchanged and fills the config around it', () => {
    const policy = {
      seccomp_enabled: true, seccomp_profile: 'strict',
      landlock_rules: [{ path: '/data', access: 'ro' }, { path: '/out', access: 'rw' }],
      network: { enabled: false, allowed_hosts: [], allowed_ports: [] },
      read_only_rootfs: false, memory_limit_mb: 64, cpu_limit: 1.0, max_pids: 64, data_dir: null,
    };
    const r = loadDocument(JSON.stringify(policy));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.kind).toBe('policy');
    expect(r.config.policy).toMatchObject(policy);
    expect(r.config.timeout_ms).toBe(10_000);
    expect(r.warnings).toEqual([]);
  });

  it('loads a kavach SandboxConfig with env as pairs and externally tagged secrets', () => {
    const r = loadDocument({
      backend: 'Wasm', policy: presetPolicy('basic'), timeout_ms: 5000,
      env: [['LANG', 'C']], workdir: null, agent_id: 'a1',
      secrets: [{ name: 'TOKEN', inject_via: { EnvVar: { var_name: 'API_TOKEN' } } }, { name: 'IN', inject_via: 'Stdin' }],
      externalization: { enabled: true, max_artifact_size_bytes: 1000, block_threshold: 'Critical', quarantine_threshold: 'High', redact_secrets: true },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.kind).toBe('config');
    expect(r.config.backend).toBe('wasm');
    expect(r.config.env).toEqual([['LANG', 'C']]);
    expect(r.config.externalization?.block_threshold).toBe('critical');
    expect(fuelBudget(r.config)).toBe(5_000_000_000n);
  });

  it("reads externalization null as kavach's \"no gate\", and a missing one as the playground's default gate", () => {
    expect(loadDocument({ externalization: null })).toMatchObject({ ok: true, config: { externalization: null } });
    expect(loadDocument({})).toMatchObject({ ok: true, config: { externalization: { enabled: true, block_threshold: 'critical', quarantine_threshold: 'high' } } });
    expect(loadDocument({ seccomp_enabled: true })).toMatchObject({ ok: true, kind: 'policy', config: { externalization: { enabled: true } } });
    expect(loadDocument({ externalization: { extra_scanners: ['code', 'virus'] } })).toMatchObject({
      ok: false, errors: [{ path: 'externalization.extra_scanners[1]', message: 'expected a scanner: one of code, data, entropy' }],
    });
  });

  it('accepts env as an object and normalises it to pairs', () => {
    const r = loadDocument({ env: { A: '1', B: '2' } });
    expect(r.ok && r.config.env).toEqual([['A', '1'], ['B', '2']]);
  });

  it('names the JSON path and the expectation of every error', () => {
    const r = loadDocument({ policy: { memory_limit_mb: -5, landlock_rules: [{ path: '', access: 'rw' }] }, timeout_ms: 'soon' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byPath = Object.fromEntries(r.errors.map((e) => [e.path, e.message]));
    expect(byPath['policy.memory_limit_mb']).toMatch(/memory limit in MiB/);
    expect(byPath['policy.landlock_rules[0].path']).toMatch(/expected a guest path such as "\/data"/);
    expect(byPath['timeout_ms']).toMatch(/timeout in milliseconds/);
  });

  it('warns about unknown fields instead of failing, as kavach ignores them', () => {
    const r = loadDocument({ policy: { seccomp_enabled: false, colour: 'red' }, extra: 1 });
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w) => w.path).sort()).toEqual(['extra', 'policy.colour']);
  });

  it('rejects files outside every mount and duplicate mounts', () => {
    const r = loadDocument({
      policy: { landlock_rules: [{ path: '/data', access: 'ro' }, { path: '/data/', access: 'rw' }] },
      files: { '/data/in.txt': 'x', '/etc/passwd': 'root' },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path)).toEqual(['policy.landlock_rules[1].path', 'files["/etc/passwd"]']);
  });

  it('reports bad JSON and non-objects clearly', () => {
    const bad = loadDocument('{"policy": ');
    expect(!bad.ok && bad.errors[0].message).toMatch(/^not valid JSON/);
    const arr = loadDocument('[1]');
    expect(!arr.ok && arr.errors[0].message).toMatch(/expected a JSON object/);
  });
});

describe('presets and derived values', () => {
  it('matches kavach presets, case-insensitively, and names unknown ones', () => {
    expect(presetPolicy('minimal').seccomp_enabled).toBe(false);
    expect(presetPolicy('BASIC')).toMatchObject({ seccomp_enabled: true, seccomp_profile: 'basic' });
    expect(presetPolicy('strict')).toMatchObject({ read_only_rootfs: true, memory_limit_mb: 512, cpu_limit: 1, max_pids: 64, landlock_rules: [] });
    expect(() => presetPolicy('paranoid')).toThrow('unknown policy: paranoid (use minimal, basic, strict)');
    expect(() => presetPolicy('Paranoid')).toThrow('unknown policy: paranoid (use minimal, basic, strict)'); // lowercased, as kavach
  });

  it('mounts rw only when the rule says rw and the rootfs is not read-only', () => {
    const r = loadDocument({ policy: { landlock_rules: [{ path: '/a', access: 'rw' }, { path: '/b', access: 'r' }] } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings[0].path).toBe('policy.landlock_rules[1].access');
    expect(mountsOf(r.config).map((m) => [m.path, m.readOnly])).toEqual([['/a', false], ['/b', true]]);
    r.config.policy.read_only_rootfs = true;
    expect(mountsOf(r.config)[0]).toMatchObject({ readOnly: true, readOnlyReason: 'read_only_rootfs' });
  });

  it('derives fuel from the timeout as kavach does, and an explicit budget wins', () => {
    const r = loadDocument({ timeout_ms: 0 });
    expect(r.ok && fuelBudget(r.config)).toBe(null);
    const f = loadDocument({ timeout_ms: 100, fuel: 42 });
    expect(f.ok && fuelBudget(f.config)).toBe(42n);
  });

  it('produces a JSON Schema for the editor', () => {
    const schema = policyJsonSchema() as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['policy', 'timeout_ms', 'files', 'secrets']));
  });
});
