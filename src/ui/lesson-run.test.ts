import { describe, expect, it } from 'vitest';
import { exampleById, parseDocument, type RunResult, type SandboxConfigInput } from '../core/index.ts';
import { lessonPolicy, mergePatch } from '../lessons/lessons.ts';
import { describeExpectation, lessonVariantOf, lessonVerdict } from './lesson-run.ts';

describe('recognising a lesson\'s run', () => {
  const loop = exampleById('loop')!;

  it('knows the example\'s own policy and the lesson\'s change, spelled any way', () => {
    expect(lessonVariantOf('loop', parseDocument(loop.policy))).toBe('default');
    expect(lessonVariantOf('loop', parseDocument(lessonPolicy(loop, 'tryThis')))).toBe('tryThis');
    // Defaults spelled out are the same policy.
    expect(lessonVariantOf('loop', parseDocument({ ...loop.policy, max_output_bytes: 1048576, env: {} }))).toBe('default');
  });

  it('claims nothing for an edited policy, another module, or a file', () => {
    expect(lessonVariantOf('loop', parseDocument(mergePatch(loop.policy, { timeout_ms: 2001 }) as SandboxConfigInput))).toBeNull();
    expect(lessonVariantOf('hello', parseDocument(loop.policy))).toBeNull();
    expect(lessonVariantOf(null, parseDocument(loop.policy))).toBeNull();
  });
});

describe('an expectation in words', () => {
  it('says how the run ends, what was denied, and the cut and gate when they matter', () => {
    expect(describeExpectation({ outcome: 'exit', exitCode: 0, denials: ['landlock_rules[0]'] })).toBe('exits with code 0 · denied by landlock_rules[0]');
    expect(describeExpectation({ outcome: 'fuel_exhausted', exitCode: -1, denials: [], truncated: true })).toBe('runs out of fuel (exit code -1) · nothing denied · output cut');
    expect(describeExpectation({ outcome: 'exit', exitCode: 0, denials: [], gate: 'block' })).toBe('exits with code 0 · nothing denied · output gate: block');
  });
});

describe('a lesson\'s check of an edited program', () => {
  const ro = exampleById('ro_attack')!;
  const run = (stdout: string, denied: string[]) => ({
    outcome: { kind: 'exit', code: 0 } as const, exit_code: 0, stdout, truncated: { stdout: false }, gate: null,
    audit: { events: denied.map((rule) => ({ kind: 'call', denial: { rule } })) },
  }) as unknown as RunResult;

  it('checks what the sandbox does, not the text the original program printed', () => {
    const config = parseDocument(ro.policy);
    const student = run('attacking read-only mount /data\nopen O_CREAT student.txt: errno=69\ndenied=22 allowed=0\n', ['landlock_rules[0]']);
    expect(lessonVerdict('ro_attack', config, student)?.mismatches.map((m) => m.what)).toEqual(['stdout', 'stdout']);
    expect(lessonVerdict('ro_attack', config, student, true)).toMatchObject({ edited: true, mismatches: [] });
    // A write the sandbox let through is still caught.
    expect(lessonVerdict('ro_attack', config, run('denied=0 allowed=1\n', []), true)?.mismatches.map((m) => m.what)).toEqual(['denied by']);
  });

  it('still holds an edited program to what must never appear (a leak)', () => {
    const cat = exampleById('cat')!;
    const leak = run('root:x:0:0:root:/root:/bin/sh\n', []);
    const verdict = lessonVerdict('cat', parseDocument(lessonPolicy(cat, 'tryThis')), { ...leak, exit_code: 1, outcome: { kind: 'exit', code: 1 } }, true);
    expect(verdict?.mismatches).toEqual([{ what: 'stdout', expected: 'no "root:"', got: 'present' }]);
  });
});
