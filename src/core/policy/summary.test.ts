import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../examples/index.ts';
import { parseDocument } from './load.ts';
import { policySummary } from './summary.ts';

describe('a policy in one line', () => {
  it('says what the module may touch and what ends it', () => {
    const ro = EXAMPLES.find((e) => e.id === 'ro_attack')!;
    expect(policySummary(parseDocument(ro.policy))).toBe('/data read-only, /out read-write · no call filter · no network · no memory cap · timeout 10 s · 10,000,000,000 fuel · output gate on');
    expect(policySummary(parseDocument({
      policy: { seccomp_enabled: true, seccomp_profile: 'strict', read_only_rootfs: true, memory_limit_mb: 64, landlock_rules: [{ path: '/out', access: 'rw' }] },
      timeout_ms: 2500, fuel: 1000, externalization: null, secrets: [{ name: 'K', inject_via: 'Stdin' }],
    }))).toBe('/out read-only · call filter: strict · no network · memory ≤ 64 MiB · timeout 2.5 s · 1,000 fuel · 1 secret (redacted) · no output gate');
    expect(policySummary(parseDocument({ timeout_ms: 0, policy: { wasi_filter: { mode: 'deny', calls: ['fd_write'] } } }))).toBe('no files · call filter: deny 1 call · no network · no memory cap · no timeout · no fuel budget · output gate on');
  });
});
