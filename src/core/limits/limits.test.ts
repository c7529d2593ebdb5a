import { describe, expect, it } from 'vitest';
import { sandboxConfigSchema, type SandboxConfigInput } from '../policy/index.ts';
import { describeFuelBudget, formatDuration, fuelBudgetInfo, fuelTimeMeaning, limitHit } from './index.ts';

const config = (input: SandboxConfigInput) => sandboxConfigSchema.parse(input);
const noMemory = { peakBytes: null, limitBytes: null };

describe('the fuel budget in words', () => {
  it("names the rule that set it: the policy's fuel, kavach's rule from the timeout, or none", () => {
    expect(describeFuelBudget(config({ timeout_ms: 2000 }))).toBe("2,000,000,000 units of fuel, from kavach's rule, timeout_ms 2,000 x 1,000,000");
    expect(describeFuelBudget(config({ fuel: 5000 }))).toBe("5,000 units of fuel, from the policy's fuel");
    expect(describeFuelBudget(config({ timeout_ms: 0 }))).toBe("no fuel budget (kavach's rule gives none: fuel is null and timeout_ms is 0)");
    expect(fuelBudgetInfo(config({})).source).toBe('timeout');
  });

  it('says how much busy CPU it buys at a measured rate, against the timeout', () => {
    const rate = 1e10; // units a second
    expect(fuelTimeMeaning(config({ timeout_ms: 5000 }), rate)).toBe('about 0.5 s of busy CPU: a busy module runs out of fuel long before its 5 s timeout');
    expect(fuelTimeMeaning(config({ timeout_ms: 1000, fuel: 8e9 }), rate)).toBe('about 0.8 s of busy CPU: a busy module runs out of fuel before its 1 s timeout');
    expect(fuelTimeMeaning(config({ timeout_ms: 1000 }), 1e9)).toBe('about 1 s of busy CPU: about as long as the 1 s timeout');
    expect(fuelTimeMeaning(config({ timeout_ms: 2000, fuel: 1e15 }), rate)).toBe('about 28 h of busy CPU: the 2 s timeout comes first');
    expect(fuelTimeMeaning(config({ timeout_ms: 0, fuel: 3e10 }), rate)).toBe('about 3 s of busy CPU (there is no timeout)');
    expect(fuelTimeMeaning(config({ timeout_ms: 0 }), rate)).toBe('no fuel limit and no timeout: nothing stops a busy module');
    expect(fuelTimeMeaning(config({ fuel: 1000 }), rate)).toBe('under a millisecond of busy CPU: a busy module runs out of fuel long before its 10 s timeout');
  });

  it('formats durations to two figures', () => {
    expect([0.0004, 0.153, 2.46, 15.4, 250, 100_000, 1e6, 1e9].map(formatDuration)).toEqual([
      'under a millisecond', '0.15 s', '2.5 s', '15 s', '4.2 min', '28 h', '12 days', '32 years',
    ]);
  });
});

describe('a run that ended at a limit', () => {
  it('out of fuel under the derived budget: names kavach\'s rule and offers 10x the fuel', () => {
    const hit = limitHit({ outcome: { kind: 'fuel_exhausted', budget: 2_000_000_000n }, memory: noMemory }, config({ timeout_ms: 2000 }));
    expect(hit).toEqual({
      limit: 'fuel',
      headline: 'Out of fuel: the module used all 2,000,000,000 units of its budget.',
      because: "The policy sets no fuel, so the budget came from kavach's rule, timeout_ms 2,000 x 1,000,000. kavach counts running out of fuel as a timeout (timed_out true), though the 2,000 ms timeout had not passed.",
      fix: { path: 'fuel', value: 20_000_000_000, label: 'Run again with 10x the fuel', flag: '--fuel 20000000000' },
      hint: "out of fuel: the budget of 2,000,000,000 came from the timeout (2,000 ms x 1,000,000, kavach's rule); for 10x the fuel: --fuel 20000000000",
    });
  });

  it('out of an explicit budget; a budget at the largest safe integer cannot go higher', () => {
    const hit = limitHit({ outcome: { kind: 'fuel_exhausted', budget: 1000n }, memory: noMemory }, config({ fuel: 1000 }));
    expect(hit?.because).toBe("The budget was set by the policy's fuel. kavach counts running out of fuel as a timeout (timed_out true).");
    expect(hit?.fix?.value).toBe(10_000);
    const top = limitHit({ outcome: { kind: 'fuel_exhausted', budget: BigInt(Number.MAX_SAFE_INTEGER) }, memory: noMemory }, config({ fuel: Number.MAX_SAFE_INTEGER }));
    expect(top?.fix).toBeNull();
    expect(top?.hint).toMatch(/it cannot go higher$/);
  });

  it('timed out: offers 10x the timeout', () => {
    const hit = limitHit({ outcome: { kind: 'timeout', afterMs: 1500 }, memory: noMemory }, config({ timeout_ms: 1500, fuel: 1e15 }));
    expect(hit?.headline).toBe('Timed out: the 1,500 ms wall-clock timeout passed and the worker was killed.');
    expect(hit?.because).toBe('timeout_ms is 1,500; the fuel budget (1,000,000,000,000,000) had not run out.');
    expect(hit?.fix).toEqual({ path: 'timeout_ms', value: 15_000, label: 'Run again with 10x the timeout', flag: '--timeout-ms 15000' });
  });

  it('at the memory cap: a trap there, or a failing exit with memory grown to the cap', () => {
    const capped = config({ policy: { memory_limit_mb: 16 } });
    const trap = limitHit({ outcome: { kind: 'memory_limit', limitBytes: 16 << 20, message: 'memory.grow past 16 MiB' }, memory: { peakBytes: 16 << 20, limitBytes: 16 << 20 } }, capped);
    expect(trap?.fix).toEqual({ path: 'policy.memory_limit_mb', value: 160, label: 'Run again with 10x the memory cap', flag: '--max-memory-mb 160' });
    const exit = limitHit({ outcome: { kind: 'exit', code: 3 }, memory: { peakBytes: 15_859_712, limitBytes: 16 << 20 } }, capped);
    expect(exit?.headline).toBe('Exited with 3 at its memory cap (it grew to 15.1 MiB): an allocation most likely failed.');
    // Far below the cap, or a clean exit, is not the cap's doing.
    expect(limitHit({ outcome: { kind: 'exit', code: 3 }, memory: { peakBytes: 1 << 20, limitBytes: 16 << 20 } }, capped)).toBeNull();
    expect(limitHit({ outcome: { kind: 'exit', code: 0 }, memory: { peakBytes: 16 << 20, limitBytes: 16 << 20 } }, capped)).toBeNull();
    const big = limitHit({ outcome: { kind: 'memory_limit', limitBytes: 1024 << 20, message: 'x' }, memory: noMemory }, config({ policy: { memory_limit_mb: 1024 } }));
    expect(big?.fix?.label).toBe('Run again with the largest memory cap (4,096 MiB)');
    const max = limitHit({ outcome: { kind: 'memory_limit', limitBytes: 4096 << 20, message: 'x' }, memory: noMemory }, config({ policy: { memory_limit_mb: 4096 } }));
    expect(max?.fix).toBeNull();
    expect(max?.because).toMatch(/4,096 MiB is all a wasm32 module can address\.$/);
  });

  it('says nothing for an ordinary end', () => {
    expect(limitHit({ outcome: { kind: 'exit', code: 1 }, memory: noMemory }, config({}))).toBeNull();
    expect(limitHit({ outcome: { kind: 'stopped' }, memory: noMemory }, config({}))).toBeNull();
    expect(limitHit({ outcome: { kind: 'trap', message: 'unreachable' }, memory: noMemory }, config({}))).toBeNull();
  });
});
