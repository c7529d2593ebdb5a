import { describe, expect, it } from 'vitest';
import { abandonDraft, draftKey, editDocument, policyFromDoc, policyFromText, withField, withPolicyField } from './policy-doc.ts';

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

  it('keeps a field that does not load through edits of other fields, which take effect', () => {
    const typed = editDocument(start, (doc) => withPolicyField(doc, 'memory_limit_mb', -5));
    expect(typed.drafts).toEqual({ 'policy.memory_limit_mb': -5 });
    expect(typed.errors[0].path).toBe('policy.memory_limit_mb');
    expect(typed.config.policy.memory_limit_mb).toBeNull();
    const other = editDocument(typed, (doc) => withField(doc, 'timeout_ms', 3000));
    expect(other.drafts).toEqual({ 'policy.memory_limit_mb': -5 });
    expect(other.text).toContain('"memory_limit_mb": -5');
    expect(other.config.timeout_ms).toBe(3000);
    expect(other.config.policy.memory_limit_mb).toBeNull();
    const fixed = editDocument(other, (doc) => withPolicyField(doc, 'memory_limit_mb', 64));
    expect(fixed.drafts).toEqual({});
    expect(fixed.config.policy.memory_limit_mb).toBe(64);
    expect(fixed.config.timeout_ms).toBe(3000);
  });

  it('abandons a draft: the field goes back to its value in force', () => {
    const typed = editDocument(policyFromDoc({ timeout_ms: 1000, policy: { memory_limit_mb: 64 } }), (doc) => withPolicyField(doc, 'memory_limit_mb', 'lots'));
    const back = abandonDraft(typed, 'policy.memory_limit_mb');
    expect(back.errors).toEqual([]);
    expect(back.drafts).toEqual({});
    expect(back.doc).toEqual({ timeout_ms: 1000, policy: { memory_limit_mb: 64 } });
  });

  it('shows a field the JSON text holds but that does not load as a draft, and a form edit keeps it', () => {
    const edited = policyFromText('{ "timeout_ms": 1000, "args": ["a"], "fuel": -3 }', start);
    expect(edited.drafts).toEqual({ fuel: -3 });
    const next = editDocument(edited, (doc) => withField(doc, 'timeout_ms', 2000));
    expect(next.config.args).toEqual(['a']);
    expect(next.config.timeout_ms).toBe(2000);
    expect(next.drafts).toEqual({ fuel: -3 });
    // Text that is not JSON has no fields to keep: a form edit starts from the last valid document.
    expect(policyFromText('{ nope', start).drafts).toEqual({});
  });

  it('names the field a nested error belongs to', () => {
    expect(['policy.landlock_rules[0].path', 'deterministic.random_seed', 'files["/data/x"]', 'policy', ''].map(draftKey)).toEqual([
      'policy.landlock_rules', 'deterministic', 'files', 'policy', null,
    ]);
  });
});
