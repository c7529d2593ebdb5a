import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EXAMPLES, Engine, SecretStore, exampleById, loadDocument, parseDocument, spawnNodeWorker, type Example, type RunResult, type SandboxConfigInput,
} from '../core/node.ts';
import { LESSONS, checkExpectation, deniedRules, examplesByTopic, lessonExpectation, lessonFor, lessonPolicy, mergePatch, type LessonVariant } from './lessons.ts';
import { TOUR, lessonFragment, parseLessonFragment } from './tour.ts';

const engine = new Engine(spawnNodeWorker, { prewarm: true });
afterAll(() => engine.dispose());

async function run(example: Example, config: SandboxConfigInput): Promise<RunResult> {
  const secrets = new SecretStore();
  for (const [name, value] of Object.entries(lessonFor(example.id)?.demoSecrets ?? {})) secrets.register(name, value);
  const module = new Uint8Array(readFileSync(`public/${example.wasm}`));
  const report = await engine.run({ module, moduleName: `${example.id}.wasm`, config: parseDocument(config), secrets }).result;
  if (!report.ok) throw new Error(`${example.id} did not run: ${report.error.message}`);
  return report.result;
}

describe('lessons as data', () => {
  it('every example has a lesson, and every lesson an example', () => {
    expect(Object.keys(LESSONS).sort()).toEqual(EXAMPLES.map((e) => e.id).sort());
  });

  it('the gallery covers at least 14 examples, one of them not written in C', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(14);
    expect(EXAMPLES.some((e) => !e.source.endsWith('.c'))).toBe(true);
  });

  it.each(EXAMPLES.map((e) => [e.id, e] as const))('%s: the lesson is filled in and its change loads as a policy', (_id, example) => {
    const lesson = lessonFor(example.id)!;
    for (const text of [lesson.tries, lesson.stoppedBy, lesson.lookFor, lesson.tryThis.say]) expect(text.length).toBeGreaterThan(20);
    const changed = loadDocument(lessonPolicy(example, 'tryThis'));
    expect(changed.ok ? changed.warnings : changed.errors).toEqual([]);
    expect(lessonPolicy(example, 'tryThis')).not.toEqual(example.policy);
    // The policy names every secret the lesson has a demonstration value for, and no other.
    const named = (parseDocument(example.policy).secrets.map((s) => s.name)).sort();
    expect(named).toEqual(Object.keys(lesson.demoSecrets ?? {}).sort());
  });

  it('groups the gallery by topic, every example once, in catalog order within a topic', () => {
    const groups = examplesByTopic();
    expect(groups.flatMap((g) => g.examples.map((e) => e.id)).sort()).toEqual(EXAMPLES.map((e) => e.id).sort());
    expect(groups.map((g) => g.topic)).toEqual(['Basics', 'Files', 'Escapes', 'Exhaustion', 'Secrets', 'Filter', 'Time']);
  });

  it('merges a patch as RFC 7396 says: objects key by key, null removes, arrays replace', () => {
    expect(mergePatch({ a: 1, b: { c: 2, d: [1, 2] }, e: 3 }, { b: { d: [9] }, e: null, f: 'x' })).toEqual({ a: 1, b: { c: 2, d: [9] }, f: 'x' });
    expect(mergePatch({ a: 1 }, [1])).toEqual([1]);
    const original = { policy: { memory_limit_mb: 64 } };
    mergePatch(original, { policy: { memory_limit_mb: 1 } });
    expect(original.policy.memory_limit_mb).toBe(64);
  });

  it('says where a run differs from the lesson', () => {
    const expected = lessonExpectation('hello', 'default')!;
    const run = {
      outcome: { kind: 'exit', code: 1 } as const,
      exit_code: 1,
      stdout: 'something else\n',
      truncated: { stdout: false },
      audit: { events: [{ kind: 'call', denial: { rule: 'wasi_filter' } }] },
      gate: null,
    };
    expect(checkExpectation(expected, run).map((m) => m.what)).toEqual(['exit code', 'stdout', 'denied by']);
    expect(deniedRules(run)).toEqual(['wasi_filter']);
  });
});

describe('the tour', () => {
  it('has a handful of steps, each an example with a lesson', () => {
    expect(TOUR.length).toBeGreaterThanOrEqual(5);
    expect(TOUR.length).toBeLessThanOrEqual(9);
    for (const step of TOUR) {
      expect(exampleById(step.exampleId)).toBeDefined();
      expect(step.say.length).toBeGreaterThan(40);
      expect(step.points.length, step.title).toBeGreaterThan(0);
    }
  });

  it('reads step links, refusing anything but a step number in range', () => {
    expect(parseLessonFragment(lessonFragment(0))).toEqual({ ok: true, step: 0 });
    expect(parseLessonFragment('#lesson=3')).toEqual({ ok: true, step: 2 });
    expect(parseLessonFragment(`lesson=${TOUR.length}`)).toEqual({ ok: true, step: TOUR.length - 1 });
    for (const bad of ['#lesson=0', `#lesson=${TOUR.length + 1}`, '#lesson=', '#lesson=2x', '#lesson=-1', '#lesson=1e1', '#lesson=%31', '#lesson=<script>']) {
      const parsed = parseLessonFragment(bad);
      expect(parsed?.ok, bad).toBe(false);
      if (parsed && !parsed.ok) expect(parsed.message).toContain(`steps 1 to ${TOUR.length}`);
    }
    expect(parseLessonFragment('#v1.abc')).toBeNull();
    expect(parseLessonFragment('')).toBeNull();
  });
});

const VARIANTS: LessonVariant[] = ['default', 'tryThis'];
const CASES = EXAMPLES.flatMap((e) => VARIANTS.map((v) => [e.id, v, e] as const));

describe('every example ends as its lesson says (through the engine, in Node)', () => {
  it.each(CASES)('%s under its %s policy', async (_id, variant, example) => {
    const r = await run(example, lessonPolicy(example, variant));
    expect(checkExpectation(lessonExpectation(example.id, variant)!, r)).toEqual([]);
  });
});

describe('deterministic runs across the gallery', () => {
  const DETERMINISTIC = { clock_start_ms: 1_234_567_890_000, clock_step_ns: 250, random_seed: 2024 };
  // A wall-clock timeout ends a run at a moment no policy controls; every other ending repeats.
  const repeatable = EXAMPLES.filter((e) => lessonFor(e.id)!.expect.outcome !== 'timeout' || e.id === 'sleep');

  it.each(repeatable.map((e) => [e.id, e] as const))('%s: two runs give byte-identical output and audit logs', async (_id, example) => {
    const config = { ...example.policy, deterministic: DETERMINISTIC };
    const a = await run(example, config);
    const b = await run(example, config);
    expect(b.outcome).toEqual(a.outcome);
    expect(Buffer.from(b.stdoutBytes).equals(Buffer.from(a.stdoutBytes))).toBe(true);
    expect(Buffer.from(b.stderrBytes).equals(Buffer.from(a.stderrBytes))).toBe(true);
    expect(JSON.stringify(b.audit)).toBe(JSON.stringify(a.audit));
  });
});
