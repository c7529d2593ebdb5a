import { describe, expect, it } from 'vitest';
import { policyFromDoc, policyFromText, withField, withPolicyField } from './policy-doc.ts';

describe('the policy the page holds', () => {
  const start = policyFromDoc({ timeout_ms: 1000 });

  it('keeps the last valid document and config when the text does not load', () => {
    const broken = policyFromText('{ "timeout_ms": -1 }', start);
    expect(broken.text).toBe('{ "timeout_ms": -1 }');
    expect(broken.errors).toEqual([{ path: 'timeout_ms', message: 'expected a timeout in milliseconds (0 = none)' }]);
    expect(broken.config.timeout_ms).toBe(1000);
    expect(broken.doc).toEqual({ timeout_ms: 1000 });
    const unparsable = policyFromText('{ nope', broken);
    expect(unparsable.errors[0].message).toMatch(/^not valid JSON/);
    expect(policyFromText('{ "timeout_ms": 5 }', unparsable).errors).toEqual([]);
  });

  it('wraps a bare kavach SandboxPolicy so config fields can be added beside it', () => {
    const bare = policyFromText('{ "seccomp_enabled": true, "seccomp_profile": "strict" }', start);
    expect(bare.doc).toEqual({ policy: { seccomp_enabled: true, seccomp_profile: 'strict' } });
    const edited = policyFromDoc(withField(bare.doc, 'args', ['x']), bare);
    expect(edited.config.args).toEqual(['x']);
    expect(edited.config.policy.seccomp_profile).toBe('strict');
  });

  it('edits fields of the document without touching the rest', () => {
    const doc = withPolicyField({ args: ['a'], policy: { read_only_rootfs: true } }, 'memory_limit_mb', 64);
    expect(doc).toEqual({ args: ['a'], policy: { read_only_rootfs: true, memory_limit_mb: 64 } });
    expect(withField(doc, 'args', undefined)).toEqual({ policy: { read_only_rootfs: true, memory_limit_mb: 64 } });
  });

  it('reports warnings, e.g. unknown fields, with their path', () => {
    expect(policyFromText('{ "timeout_ms": 5, "colour": "blue" }', start).warnings).toEqual([
      { path: 'colour', message: 'unknown field, ignored (as kavach ignores it)' },
    ]);
  });
});
