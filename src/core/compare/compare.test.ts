import { describe, expect, it } from 'vitest';
import type { AuditEvent, CallEvent } from '../audit/events.ts';
import { sandboxConfigSchema, type SandboxConfigInput } from '../policy/schema.ts';
import { mulberry32 } from '../util/prng.ts';
import { alignAudit, alignSequences, policyDiff } from './index.ts';

const config = (input: SandboxConfigInput) => sandboxConfigSchema.parse(input);

describe('policy diff', () => {
  it('names each differing field by its JSON path, with both values', () => {
    const a = config({ policy: { landlock_rules: [{ path: '/data', access: 'ro' }] }, timeout_ms: 2000 });
    const b = config({ policy: { landlock_rules: [{ path: '/data', access: 'rw' }, { path: '/out', access: 'rw' }] }, fuel: 5, timeout_ms: 2000 });
    expect(policyDiff(a, b)).toEqual([
      { path: 'policy.landlock_rules[0].access', a: 'ro', b: 'rw' },
      { path: 'policy.landlock_rules[1]', a: undefined, b: { path: '/out', access: 'rw' } },
      { path: 'fuel', a: null, b: 5 },
    ]);
  });

  it('sees no difference between a default left out and one spelled out', () => {
    expect(policyDiff(config({}), config({ timeout_ms: 10_000, env: {}, policy: { seccomp_enabled: false } }))).toEqual([]);
  });

  it('shows a whole object appearing, and file paths quoted', () => {
    const diff = policyDiff(config({}), config({ deterministic: {}, policy: { landlock_rules: [{ path: '/d', access: 'ro' }] }, files: { '/d/a b.txt': 'x' } }));
    expect(diff.map((d) => d.path)).toEqual(['policy.landlock_rules[0]', 'deterministic', 'files["/d/a b.txt"]']);
  });
});

describe('aligning sequences', () => {
  // The length of a longest common subsequence, by dynamic programming, to check minimality.
  const lcs = (a: string[], b: string[]) => {
    const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
    for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) t[i][j] = a[i - 1] === b[j - 1] ? t[i - 1][j - 1] + 1 : Math.max(t[i - 1][j], t[i][j - 1]);
    return t[a.length][b.length];
  };

  it('matches as many items as possible, each index once and in order (300 random cases)', () => {
    const next = mulberry32(7);
    for (let round = 0; round < 300; round++) {
      const word = () => Array.from({ length: Math.floor((next() >>> 0) % 12) }, () => 'abcd'[(next() >>> 0) % 4]);
      const a = word();
      const b = word();
      const pairs = alignSequences(a, b, 1000);
      expect(pairs.map((p) => p[0]).filter((i) => i !== null)).toEqual(a.map((_, i) => i));
      expect(pairs.map((p) => p[1]).filter((j) => j !== null)).toEqual(b.map((_, j) => j));
      const matched = pairs.filter((p) => p[0] !== null && p[1] !== null);
      for (const [i, j] of matched) expect(a[i!]).toBe(b[j!]);
      expect(matched.length).toBe(lcs(a, b));
    }
  });

  it('aligns two 10,000-entry logs a few calls apart', () => {
    const a = Array.from({ length: 10_000 }, (_, i) => `call${i % 97}`);
    const b = a.filter((_, i) => i % 500 !== 0).concat(['extra']);
    const pairs = alignSequences(a, b, 2000);
    expect(pairs.filter((p) => p[0] !== null && p[1] !== null)).toHaveLength(b.length - 1);
  });

  it('pairs by position past the edit limit', () => {
    expect(alignSequences(['a', 'b', 'c'], ['x', 'y'], 1)).toEqual([[0, 0], [1, 1], [2, null]]);
  });
});

describe('aligning audit logs', () => {
  let seq = 0;
  const call = (fn: string, args: CallEvent['args'], errnoName = 'SUCCESS', rule?: string): CallEvent => ({
    seq: seq++, time: 0, kind: 'call', fn, args, errno: errnoName === 'SUCCESS' ? 0 : 69, errnoName,
    ...(rule ? { denial: { rule, reason: `denied by ${rule}` } } : {}),
  });
  const life = (event: 'created' | 'destroyed'): AuditEvent => ({ seq: seq++, time: 0, kind: 'lifecycle', event });

  it('lines up the same calls and marks the ones whose result changed', () => {
    const a = [life('created'), call('path_open', { path: 'x.txt', oflags: 'CREAT' }), call('fd_write', { fd: '4 (/out/x.txt)', bytes: 5 }), life('destroyed')];
    const b = [life('created'), call('path_open', { path: 'x.txt', oflags: 'CREAT' }, 'ROFS', 'landlock_rules[0]'), call('fd_write', { fd: '1 (stdout)', bytes: 40 }), life('destroyed')];
    expect(alignAudit(a, b).map((r) => r.kind)).toEqual(['same', 'changed', 'only_a', 'only_b', 'same']);
  });

  it('treats a different byte count as the same call, changed', () => {
    const rows = alignAudit([call('fd_write', { fd: '1 (stdout)', bytes: 5 })], [call('fd_write', { fd: '1 (stdout)', bytes: 7 })]);
    expect(rows.map((r) => r.kind)).toEqual(['changed']);
  });
});
