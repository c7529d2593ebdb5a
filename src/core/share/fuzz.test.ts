/**
 * The share-link decoder's fuzz target (link.fuzz.ts), run for a fixed seed and a bounded number
 * of cases, and its bombs one by one. `npm run fuzz -- share-link` runs the same target for longer.
 */
import { describe, expect, it } from 'vitest';
import { runFuzz } from '../../testing/fuzz.ts';
import { bombs, checkLink, shareLinkTarget } from './link.fuzz.ts';

describe('share link decoder fuzzing', () => {
  it('survives thousands of seeded mutations with a valid setup or a clear error', async () => {
    const counts = new Map<string, number>();
    const report = await runFuzz(shareLinkTarget((outcome) => counts.set(outcome, (counts.get(outcome) ?? 0) + 1)), { seed: 20_240_601, cases: 4500 });
    expect(report.findings).toEqual([]);
    expect(report.cases).toBe(4500);
    expect(counts.get('threw')).toBeUndefined();
    // Every layer was reached: the text checks, the checksum, the inflater, JSON and validation.
    for (const kind of ['not_a_link', 'bad_characters', 'damaged', 'unsupported_version', 'too_big', 'bad_data', 'invalid_setup', 'ok']) {
      expect(counts.get(kind) ?? 0, `${kind} in ${JSON.stringify([...counts])}`).toBeGreaterThan(0);
    }
  }, 120_000);

  it('refuses each bomb by size or content, without inflating it all', async () => {
    const kinds = new Map<string, string>();
    for (const [label, link] of await bombs()) {
      const r = await checkLink(link);
      expect(r.failures, label).toEqual([]);
      kinds.set(label, r.outcome);
    }
    expect(Object.fromEntries(kinds)).toEqual({
      '8 MiB of zeros': 'too_big',
      'a 5 MiB stdin': 'too_big',
      'exactly the cap': 'ok',
      'one byte past the cap': 'too_big',
      '2 MiB of "["': 'too_big',
      'nesting 400k deep': 'invalid_setup',
      'a document nesting 200k deep': 'ok',
      'args nesting 200k deep': 'invalid_setup',
      '50k env pairs': 'too_big',
      '25k mounts': 'too_big',
      '25k identical mounts': 'too_big',
      'every list at its limit': 'ok',
      'an inline module past the bound': 'invalid_setup',
    });
  }, 60_000);
});
