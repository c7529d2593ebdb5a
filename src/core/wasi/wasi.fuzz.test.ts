/**
 * The WASI layer under random call sequences (wasi.fuzz.ts): a fixed seed and a bounded number of
 * cases here; `npm run fuzz -- wasi --seconds N` runs it as long as asked.
 */
import { describe, expect, it } from 'vitest';
import { describeFinding, runFuzz } from '../../testing/fuzz.ts';
import { target } from './wasi.fuzz.ts';

describe('the WASI layer under random call sequences', () => {
  it('400 sequences of 150 calls: no escape, no leak of budget, no change to the read-only mount', async () => {
    const report = await runFuzz(target, { seed: 20261204, cases: 400 });
    expect(report.findings.map((f) => describeFinding(target.name, f))).toEqual([]);
    expect(report.cases).toBe(400);
  });
});
