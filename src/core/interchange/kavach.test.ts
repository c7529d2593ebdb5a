import { describe, expect, it } from 'vitest';
import { loadDocument } from '../policy/load.ts';
import { presetPolicy } from '../policy/presets.ts';
import { exportKavachConfig, exportKavachPolicy, importKavach } from './kavach.ts';
import { formatF64, toSerdeJson } from './serde-json.ts';

/** A SandboxConfig as kavach 1.0's `serde_json::to_string_pretty` writes it (lifecycle/mod.rs 1.0.1:66-85). */
const RUST_CONFIG = `{
  "backend": "Wasm",
  "policy": {
    "seccomp_enabled": true,
    "seccomp_profile": "strict",
    "landlock_rules": [
      {
        "path": "/data",
        "access": "ro"
      },
      {
        "path": "/out",
        "access": "rw"
      }
    ],
    "network": {
      "enabled": false,
      "allowed_hosts": [],
      "allowed_ports": []
    },
    "read_only_rootfs": true,
    "memory_limit_mb": 512,
    "cpu_limit": 1.0,
    "max_pids": 64,
    "data_dir": null
  },
  "secrets": [
    {
      "name": "OPENAI_API_KEY",
      "inject_via": {
        "EnvVar": {
          "var_name": "OPENAI_KEY"
        }
      }
    },
    {
      "name": "DB_CERT",
      "inject_via": {
        "File": {
          "path": "/data/db.pem",
          "mode": 384
        }
      }
    },
    {
      "name": "TOKEN",
      "inject_via": "Stdin"
    }
  ],
  "timeout_ms": 30000,
  "workdir": null,
  "env": [
    [
      "LANG",
      "C.UTF-8"
    ]
  ],
  "agent_id": "agent-123",
  "externalization": {
    "enabled": true,
    "max_artifact_size_bytes": 52428800,
    "block_threshold": "Critical",
    "quarantine_threshold": "High",
    "redact_secrets": true
  },
  "inner_backend": null
}`;

describe('kavach SandboxConfig and SandboxPolicy JSON', () => {
  it('reads what the Rust crate writes and writes it back byte for byte', () => {
    const imported = importKavach(RUST_CONFIG);
    expect(imported).toMatchObject({ ok: true, format: 'kavach', warnings: [] });
    if (!imported.ok) return;
    expect(imported.config.backend).toBe('wasm');
    expect(imported.config.secrets.map((s) => s.inject_via)).toEqual([{ EnvVar: { var_name: 'OPENAI_KEY' } }, { File: { path: '/data/db.pem', mode: 0o600 } }, 'Stdin']);
    const exported = exportKavachConfig(imported.config);
    expect(exported.text).toBe(RUST_CONFIG);
    expect(exported.lossy).toEqual([]);
  });

  it('writes a SandboxPolicy alone, as the crate does for its strict preset', () => {
    const config = loadDocument({ policy: presetPolicy('strict') });
    if (!config.ok) throw new Error('fixture');
    const exported = exportKavachPolicy(config.config);
    expect(JSON.parse(exported.text)).toEqual({
      seccomp_enabled: true, seccomp_profile: 'strict', landlock_rules: [],
      network: { enabled: false, allowed_hosts: [], allowed_ports: [] },
      read_only_rootfs: true, memory_limit_mb: 512, cpu_limit: 1, max_pids: 64, data_dir: null,
    });
    expect(exported.text).toContain('"cpu_limit": 1.0,');
    expect(Object.keys(JSON.parse(exported.text))).toEqual(['seccomp_enabled', 'seccomp_profile', 'landlock_rules', 'network', 'read_only_rootfs', 'memory_limit_mb', 'cpu_limit', 'max_pids', 'data_dir']);
    expect(importKavach(exported.text)).toMatchObject({ ok: true, format: 'kavach-policy', config: { policy: config.config.policy } });
  });

  it('writes backends and severities as the Rust variant names', () => {
    for (const [backend, variant] of [['gvisor', 'GVisor'], ['syagnos', 'SyAgnos'], ['tdx', 'Tdx'], ['noop', 'Noop'], ['firecracker', 'Firecracker']]) {
      const config = loadDocument({ backend, externalization: { block_threshold: 'high', quarantine_threshold: 'medium' } });
      if (!config.ok) throw new Error('fixture');
      const json = JSON.parse(exportKavachConfig(config.config).text) as { backend: string; externalization: Record<string, unknown> };
      expect(json.backend).toBe(variant);
      expect(json.externalization).toMatchObject({ block_threshold: 'High', quarantine_threshold: 'Medium' });
    }
  });

  it("lists the playground's extensions as what kavach cannot express", () => {
    const config = loadDocument({ args: ['a'], stdin: 'in', fuel: 7, max_output_bytes: 10, policy: { landlock_rules: [{ path: '/d', access: 'ro' }], wasi_filter: { mode: 'deny', calls: ['path_open'] } }, files: { '/d/x': 'x' } });
    if (!config.ok) throw new Error('fixture');
    expect(exportKavachConfig(config.config).lossy.map((l) => l.split(': ')[0])).toEqual(['policy.wasi_filter', 'args', 'stdin', 'fuel', 'max_output_bytes', 'files']);
    const derived = loadDocument({ timeout_ms: 2000, fuel: 2_000_000_000 });
    if (!derived.ok) throw new Error('fixture');
    expect(exportKavachConfig(derived.config).lossy).toEqual(['fuel: the explicit budget equals what timeout_ms gives (2,000,000,000); kavach reads back as derived (null)']);
  });

  it('keeps what externalization means in kavach: null is no gate both ways, a missing field is the default gate, written out (lifecycle/mod.rs:78, 91, 242-248)', () => {
    const none = importKavach(RUST_CONFIG.replace(/"externalization": \{[^}]*\}/, '"externalization": null'));
    if (!none.ok) throw new Error('fixture');
    expect(none.config.externalization).toBeNull();
    expect(none.document).toMatchObject({ externalization: null });
    expect(exportKavachConfig(none.config).text).toContain('"externalization": null,\n  "inner_backend": null\n}');
    const absent = loadDocument({ backend: 'wasm' });
    if (!absent.ok) throw new Error('fixture');
    expect(JSON.parse(exportKavachConfig(absent.config).text).externalization).toEqual({
      enabled: true, max_artifact_size_bytes: 52428800, block_threshold: 'Critical', quarantine_threshold: 'High', redact_secrets: true,
    });
  });

  it("lists kavach 1.0's further scanners as what kavach cannot choose, and reads them back as a playground document", () => {
    const config = loadDocument({ externalization: { extra_scanners: ['code'] } });
    if (!config.ok) throw new Error('fixture');
    const exported = exportKavachConfig(config.config);
    expect(Object.keys(JSON.parse(exported.text).externalization)).toEqual(['enabled', 'max_artifact_size_bytes', 'block_threshold', 'quarantine_threshold', 'redact_secrets']);
    expect(exported.lossy).toEqual([
      'externalization.extra_scanners: kavach cannot express the choice of code (0.22 has none of these scanners; 1.0 runs code, data and entropy whenever a gate is set)',
    ]);
    expect(importKavach({ externalization: { extra_scanners: ['code'] } })).toMatchObject({ ok: true, format: 'playground' });
  });

  it('says which field is wrong in a bad document, and warns about unknown ones', () => {
    expect(importKavach('{"policy": {"landlock_rules": [{"path": "", "access": "ro"}]}}')).toMatchObject({
      ok: false, issues: [{ path: 'policy.landlock_rules[0].path' }],
    });
    expect(importKavach('{"backend": "Wasm", "sandbox_name": "x"}')).toMatchObject({ ok: true, warnings: ['sandbox_name: unknown field, ignored (as kavach ignores it)'] });
    expect(importKavach('{"backend": ')).toMatchObject({ ok: false, message: expect.stringMatching(/not valid JSON/) });
  });
});

describe('serde_json formatting', () => {
  it('writes f64 as ryu does', () => {
    const cases: [number, string][] = [
      [1, '1.0'], [0.5, '0.5'], [2, '2.0'], [1.25, '1.25'], [-2.5, '-2.5'], [0, '0.0'], [-0, '-0.0'],
      [1e-7, '1e-7'], [1e-6, '1e-6'], [1e-5, '0.00001'], [0.0001, '0.0001'], [1e15, '1000000000000000.0'], [1e16, '1e16'],
      [1e17, '1e17'], [1.5e17, '1.5e17'], [123456.789, '123456.789'], [5e-324, '5e-324'], [1.7976931348623157e308, '1.7976931348623157e308'],
      [Number.NaN, 'null'], [Number.POSITIVE_INFINITY, 'null'],
    ];
    for (const [x, text] of cases) expect(formatF64(x), String(x)).toBe(text);
  });

  it('pretty-prints as to_string_pretty: two spaces, "key": value, [] and {} when empty', () => {
    expect(toSerdeJson({ a: [], b: {}, c: [1, 'x'], d: { e: null } })).toBe('{\n  "a": [],\n  "b": {},\n  "c": [\n    1,\n    "x"\n  ],\n  "d": {\n    "e": null\n  }\n}');
    expect(toSerdeJson('tab\t"quote" \u0001 é')).toBe('"tab\\t\\"quote\\" \\u0001 é"');
  });
});
