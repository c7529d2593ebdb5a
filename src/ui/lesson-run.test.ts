import { describe, expect, it } from 'vitest';
import { exampleById, lessonPolicy, mergePatch, parseDocument, type SandboxConfigInput } from '../core/index.ts';
import { describeExpectation, lessonVariantOf } from './lesson-run.ts';

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
