/**
 * A kavach document means the same thing here: each place where kavach's reading of a
 * SandboxConfig or SandboxPolicy could differ from the playground's, checked against kavach's
 * behaviour as its source gives it (hand-derived; the file and line, at 1.0.1 unless said, are in
 * each test's name). Where the playground deliberately differs, the test pins the difference and
 * README.md's "Differences from kavach" lists it.
 */
import { describe, expect, it } from 'vitest';
import { scanOutput } from '../gate/index.ts';
import { fuelBudget, memoryLimitPages, mountsOf } from '../policy/derive.ts';
import { loadDocument, type LoadResult } from '../policy/load.ts';
import { kavachScore } from '../score/kavach.ts';
import { exportAs } from './detect.ts';
import { exportKavachConfig, importKavach } from './kavach.ts';

function loaded(document: unknown): Extract<LoadResult, { ok: true }> {
  const r = loadDocument(document);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r;
}

function refusal(document: unknown): { path: string; message: string } {
  const r = loadDocument(document);
  if (r.ok) throw new Error('expected the document to be refused');
  expect(r.errors).toHaveLength(1);
  return r.errors[0];
}

const messages = (r: LoadResult) => r.warnings.map((w) => `${w.path}: ${w.message}`);

/** Every field serde needs in a SandboxConfig, so only what a test leaves out is missing. */
const FULL = {
  backend: 'Wasm', policy: { seccomp_enabled: false, seccomp_profile: null, landlock_rules: [], network: { enabled: false, allowed_hosts: [], allowed_ports: [] }, read_only_rootfs: false, memory_limit_mb: null, cpu_limit: null, max_pids: null, data_dir: null },
  secrets: [], timeout_ms: 5000, workdir: null, env: [], agent_id: null, externalization: null,
};
const without = (key: keyof typeof FULL) => Object.fromEntries(Object.entries(FULL).filter(([k]) => k !== key));

describe("kavach's defaults where a document leaves a field out", () => {
  it('says nothing for a document that gives every field', () => {
    expect(importKavach(FULL)).toMatchObject({ ok: true, format: 'kavach', kavachReadsOtherwise: [] });
  });

  it("timeout_ms: kavach's default is 30,000 ms, the playground's 10,000 (lifecycle/mod.rs:93; 0.22.3:87)", () => {
    const r = importKavach(without('timeout_ms'));
    expect(r.ok && r.config.timeout_ms).toBe(10_000);
    expect(r.ok && r.kavachReadsOtherwise).toEqual(["timeout_ms: left out; kavach's default is 30000 (30 s), the playground's 10000 (10 s)"]);
  });

  it('backend: kavach\'s default is Process, the playground\'s wasm (lifecycle/mod.rs:90; 0.22.3:84)', () => {
    const r = importKavach(without('backend'));
    expect(r.ok && r.config.backend).toBe('wasm');
    expect(r.ok && r.kavachReadsOtherwise).toEqual(['backend: left out; kavach\'s default is "process", the playground\'s "wasm"']);
  });

  it("policy: kavach's default is its basic preset, the playground's minimal (lifecycle/mod.rs:91, policy/mod.rs:65-76)", () => {
    const r = importKavach(without('policy'));
    expect(r.ok && r.config.policy.seccomp_enabled).toBe(false);
    expect(r.ok && r.kavachReadsOtherwise).toEqual([
      'policy: left out; kavach\'s default is its basic preset (seccomp on, profile "basic"), the playground\'s kavach\'s minimal preset (every field at its default)',
    ]);
  });

  it('externalization: serde reads a missing Option as null, no gate; the playground runs its default gate (lifecycle/mod.rs:82, 97)', () => {
    const r = importKavach(without('externalization'));
    expect(r.ok && r.config.externalization).toMatchObject({ enabled: true, block_threshold: 'critical' });
    expect(r.ok && r.kavachReadsOtherwise).toEqual([
      "externalization: left out; kavach's default is null (no gate), the playground's the gate at kavach's default thresholds; null is no gate, as in kavach",
    ]);
  });

  it("a bare SandboxPolicy: the config's fields come from kavach's defaults (lifecycle/mod.rs:87-101, main.rs:16-30)", () => {
    const r = importKavach(FULL.policy);
    expect(r.ok && r.format).toBe('kavach-policy');
    expect(r.ok && r.kavachReadsOtherwise.map((i) => i.split(':')[0])).toEqual(['backend', 'timeout_ms', 'externalization']);
  });

  it("a playground document (one with the playground's fields) means the playground's defaults: no notice", () => {
    expect(importKavach({ args: ['x'] })).toMatchObject({ ok: true, format: 'playground', kavachReadsOtherwise: [] });
  });

  it('timeout_ms 0: kavach gives the module 0 fuel, so it cannot run; here it is no timeout and no fuel limit (wasm/mod.rs:78-83, 116-119, 207)', () => {
    const r = importKavach({ ...FULL, timeout_ms: 0 });
    expect(r.ok && fuelBudget(r.config)).toBeNull();
    expect(r.ok && r.kavachReadsOtherwise).toEqual([
      'timeout_ms: kavach reads 0 as no fuel at all, so the module cannot run; here 0 is no timeout and, while fuel is null, no fuel limit',
    ]);
    expect(importKavach({ ...FULL, timeout_ms: 0, fuel: 5 })).toMatchObject({ ok: true, format: 'playground', kavachReadsOtherwise: [] });
  });
});

describe('values kavach accepts', () => {
  it('memory_limit_mb past 4096: a u64 to kavach, whose WASM backend stops at 65,536 pages; here a 4096 MiB cap, with a warning (policy/mod.rs:19, wasm/mod.rs:28-31)', () => {
    const r = loaded({ memory_limit_mb: 8192 });
    expect(memoryLimitPages(r.config)).toBe(65_536);
    expect(messages(r)).toEqual(["policy.memory_limit_mb: 8192 MiB is more than a wasm32 module can address: the cap is 4096 MiB (kavach's WASM backend stops at the same 65,536 pages)"]);
    expect(JSON.parse(exportKavachConfig(r.config).text).policy.memory_limit_mb).toBe(8192);
    expect(kavachScore('wasm', r.config.policy).score).toBe(72); // 65 + 5 (no network) + 2 (scoring/mod.rs:87)
  });

  it('memory_limit_mb 0: a cap of no memory at all (kavach\'s process backend writes memory.max 0, process/cgroups.rs:50-53; its WASM backend caps nothing)', () => {
    const r = loaded({ memory_limit_mb: 0 });
    expect(memoryLimitPages(r.config)).toBe(0);
    expect(messages(r)[0]).toMatch(/^policy\.memory_limit_mb: 0 MiB allows no memory at all/);
    expect(kavachScore('wasm', r.config.policy).score).toBe(72); // Some(0) still counts (scoring/mod.rs:87)
  });

  it('cpu_limit 0.0: an f64 to kavach; not enforced here, as no cpu_limit is, with a warning (policy/mod.rs:21)', () => {
    const r = loaded({ cpu_limit: 0 });
    expect(r.config.policy.cpu_limit).toBe(0);
    expect(messages(r)).toEqual(['policy.cpu_limit: 0 cores is not enforced, as no cpu_limit is here: the module still runs, bounded by fuel and the timeout']);
    expect(exportKavachConfig(r.config).text).toContain('"cpu_limit": 0.0,');
    expect(refusal({ cpu_limit: -1 }).message).toMatch(/kavach would accept a negative number \(it checks nothing\), but no sandbox gives less than no CPU/);
  });

  it('max_pids 0 to 4294967295: a u32 to kavach; nothing to cap here (policy/mod.rs:23)', () => {
    expect(loaded({ max_pids: 0 })).toMatchObject({ config: { policy: { max_pids: 0 } }, warnings: [] });
    expect(loaded({ max_pids: 0xffffffff }).config.policy.max_pids).toBe(0xffffffff);
    expect(refusal({ max_pids: 0x100000000 }).path).toBe('policy.max_pids'); // past u32: serde refuses it too
  });

  it('a relative landlock path: kavach preopens it from its working directory under that guest name; here it mounts at /path (policy/mod.rs:41-46, wasm/mod.rs:50-53)', () => {
    const r = loaded({ landlock_rules: [{ path: 'data', access: 'rw' }] });
    expect(mountsOf(r.config)).toMatchObject([{ path: '/data', readOnly: false }]);
    expect(messages(r)).toEqual([
      'policy.landlock_rules[0].path: "data" is relative: mounted at /data, where WASI programs look for it (kavach mounts the directory of that name in its working directory, under the guest name "data")',
    ]);
    expect(JSON.parse(exportKavachConfig(r.config).text).policy.landlock_rules).toEqual([{ path: 'data', access: 'rw' }]);
    expect(refusal({ landlock_rules: [{ path: 'data', access: 'ro' }, { path: '/data', access: 'ro' }] }).message).toBe('mount /data is already declared by rule 0');
  });

  it('an empty landlock path is refused, saying kavach would accept it and mount nothing (wasm/mod.rs:51-52: no such path exists)', () => {
    expect(refusal({ landlock_rules: [{ path: '', access: 'ro' }] })).toEqual({
      path: 'policy.landlock_rules[0].path',
      message: 'expected a guest path such as "/data"; kavach would accept "", but an empty path names no directory, so it would mount nothing',
    });
  });

  it('access "": anything but "rw" is read-only to kavach, and here (wasm/mod.rs:53-65)', () => {
    const r = loaded({ landlock_rules: [{ path: '/data', access: '' }] });
    expect(mountsOf(r.config)).toMatchObject([{ path: '/data', readOnly: true, readOnlyReason: 'policy rule 0' }]);
    expect(messages(r)).toEqual(['policy.landlock_rules[0].access: "" is not "ro" or "rw": mounted read-only (kavach\'s rule)']);
  });

  it('a secret file outside every mount is refused, saying kavach would accept it and why it cannot be here (credential/mod.rs:31-36)', () => {
    expect(refusal({ secrets: [{ name: 'K', inject_via: { File: { path: '/run/secrets/k', mode: 256 } } }] })).toEqual({
      path: 'secrets[0].inject_via.File.path',
      message: '/run/secrets/k is not inside any mount: a secret file must live in a mounted directory, as the module sees nothing else (kavach would accept it: no kavach backend writes secret files); add a landlock rule for /run/secrets',
    });
  });

  it('externalization.max_artifact_size_bytes 0: a usize to kavach, whose gate then withholds any output and passes none (scanning/types.rs:70, gate.rs:45-52; 0.22.3 gate.rs:32)', () => {
    const r = loaded({ externalization: { max_artifact_size_bytes: 0 } });
    expect(scanOutput('x', r.config.externalization)).toMatchObject({ withheld: true, error: 'externalization blocked: output size 1 exceeds limit 0' });
    expect(scanOutput('', r.config.externalization)).toMatchObject({ withheld: false });
  });
});

describe('secrets as serde reads them (credential/mod.rs:24-39)', () => {
  const secret = (inject_via: unknown) => ({ policy: { landlock_rules: [{ path: '/s', access: 'ro' }] }, secrets: [{ name: 'K', inject_via }] });

  it('a File secret needs its mode, as serde does: mode is a u32 with no default (credential/mod.rs:35)', () => {
    expect(refusal(secret({ File: { path: '/s/k' } }))).toEqual({
      path: 'secrets[0].inject_via',
      message: 'expected "Stdin", {"EnvVar": {"var_name": ...}} or {"File": {"path": ..., "mode": ...}} (mode required, as kavach\'s serde needs it)',
    });
    expect(loaded(secret({ File: { path: '/s/k', mode: 0o100600 } })).config.secrets[0].inject_via).toEqual({ File: { path: '/s/k', mode: 0o100600 } });
    expect(refusal(secret({ File: { path: '/s/k', mode: 0x100000000 } })).path).toBe('secrets[0].inject_via.File.mode'); // past u32: serde refuses it too
  });

  it('Stdin as "Stdin" or {"Stdin": null}, as serde_json reads a unit variant; nothing else (credential/mod.rs:38)', () => {
    expect(loaded(secret({ Stdin: null })).config.secrets[0].inject_via).toBe('Stdin');
    expect(exportKavachConfig(loaded(secret({ Stdin: null })).config).text).toContain('"inject_via": "Stdin"');
    expect(refusal(secret({ Stdin: {} })).path).toBe('secrets[0].inject_via');
    expect(refusal(secret('EnvVar')).path).toBe('secrets[0].inject_via');
    expect(refusal(secret({ EnvVar: { var_name: 'A' }, Stdin: null })).path).toBe('secrets[0].inject_via'); // one variant per value
  });
});

describe("1.0's inner_backend (lifecycle/mod.rs:83-84)", () => {
  it('is kept on import and written back as serde writes it; a 0.22 document without it reads as null', () => {
    const r = importKavach({ ...FULL, inner_backend: 'GVisor' });
    expect(r).toMatchObject({ ok: true, format: 'kavach', config: { inner_backend: 'gvisor' } });
    if (!r.ok) return;
    const text = exportKavachConfig(r.config).text;
    expect(text.endsWith('  "externalization": null,\n  "inner_backend": "GVisor"\n}')).toBe(true);
    expect(importKavach(FULL)).toMatchObject({ ok: true, config: { inner_backend: null } });
  });

  it('changes nothing here, as it changes nothing under kavach\'s WASM backend, which ignores the merged policy (backend/mod.rs:242-259, composite.rs:79-88, wasm/mod.rs:95)', () => {
    const r = loaded({ inner_backend: 'process' });
    expect(messages(r)).toEqual([
      'inner_backend: kept for kavach 1.0, and changes nothing here: kavach layers its strict preset onto the policy it hands the backend, which its WASM backend ignores',
    ]);
    expect(kavachScore('wasm', r.config.policy).score).toBe(70); // score_backend only; score_composite is never called
    expect(exportAs('wasmtime', r.config).lossy).toEqual(['inner_backend: wasmtime cannot express the inner backend "process"']);
  });
});
