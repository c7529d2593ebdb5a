import { afterAll, expect, it } from 'vitest';
import { describeFinding, runFuzz } from '../../testing/fuzz.ts';
import { stopInstrumentFuzz, target } from './instrument.fuzz.ts';

afterAll(stopInstrumentFuzz);

it('instrument fuzz target: 1,200 cases from a fixed seed, no findings', async () => {
  const report = await runFuzz(target, { seed: 13_2026, cases: 1200 });
  expect(report.findings.map((f) => describeFinding(target.name, f))).toEqual([]);
  expect(report.cases).toBe(1200);
});
