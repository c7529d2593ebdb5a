/** Whether a run was one of a lesson's runs, and if so whether it ended as the lesson says. */
import { exampleById, parseDocument, policyDiff, type Outcome, type RunResult, type SandboxConfig } from '../core/index.ts';
import { checkExpectation, lessonExpectation, lessonPolicy, sandboxExpectation, type Expectation, type LessonVariant, type Mismatch } from '../lessons/index.ts';

/** The lesson policy a run used, if it used one unchanged. */
export function lessonVariantOf(exampleId: string | null, config: SandboxConfig): LessonVariant | null {
  const example = exampleId === null ? undefined : exampleById(exampleId);
  if (!example) return null;
  for (const variant of ['default', 'tryThis'] as const) {
    if (policyDiff(parseDocument(lessonPolicy(example, variant)), config).length === 0) return variant;
  }
  return null;
}

export interface LessonVerdict {
  variant: LessonVariant;
  expected: Expectation;
  mismatches: Mismatch[];
  /** The run was of the example's source as edited: only what the sandbox does is checked. */
  edited: boolean;
}

export function lessonVerdict(exampleId: string | null, config: SandboxConfig, result: RunResult, edited = false): LessonVerdict | null {
  const variant = lessonVariantOf(exampleId, config);
  const full = variant && exampleId ? lessonExpectation(exampleId, variant) : undefined;
  if (!variant || !full) return null;
  const expected = edited ? sandboxExpectation(full) : full;
  return { variant, expected, mismatches: checkExpectation(expected, result), edited };
}

const OUTCOME_WORDS: Record<Outcome['kind'], string> = {
  exit: 'exits',
  trap: 'traps',
  fuel_exhausted: 'runs out of fuel',
  memory_limit: 'hits the memory limit',
  stack_overflow: 'overflows the stack',
  timeout: 'is killed at the timeout',
  stopped: 'is stopped',
};

/** An expectation in a few words: "runs out of fuel · exit code -1 · nothing denied". */
export function describeExpectation(e: Expectation): string {
  const parts = [e.outcome === 'exit' ? `exits with code ${e.exitCode}` : `${OUTCOME_WORDS[e.outcome]} (exit code ${e.exitCode})`];
  parts.push(e.denials.length === 0 ? 'nothing denied' : `denied by ${e.denials.join(', ')}`);
  if (e.truncated !== undefined) parts.push(e.truncated ? 'output cut' : 'output not cut');
  if (e.gate !== undefined && e.gate !== 'pass') parts.push(`output gate: ${e.gate}`);
  return parts.join(' · ');
}
