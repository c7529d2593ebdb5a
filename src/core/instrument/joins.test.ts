import { afterAll, describe, expect, it } from 'vitest';
import { CaseRunner } from '../../testing/instrument/case-runner.ts';
import { prng, wat } from '../../testing/instrument/modules.ts';
import { toBinary, type Program, type Stmt } from './counted.ts';
import { randomProgram } from './instrument.fuzz.ts';
import { MAX_FUEL_OVERRUN, instrument, readFuel } from './index.ts';

/**
 * Merging a join's charge into the segment where its construct began (body.ts, "Joins"): fewer
 * charges run, and a run that finishes is charged exactly what the one-charge-per-segment
 * placement (`mergeJoins: false`) charges.
 */

const AMPLE = 1n << 40n;

function instrumented(source: string, mergeJoins: boolean) {
  return instrument(wat(source), { fuel: AMPLE, memoryLimitPages: null, mergeJoins });
}

/** Fuel consumed by `f(...args)` on a fresh instance, and the error it threw, if any. */
function consumed(bytes: Uint8Array, args: unknown[], imports: WebAssembly.Imports, budget = AMPLE): { fuel: bigint; error: unknown } {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), imports);
  let error: unknown = null;
  try {
    (instance.exports.f as (...a: unknown[]) => unknown)(...args);
  } catch (e) {
    error = e;
  }
  return { fuel: readFuel(instance.exports, budget).consumed, error };
}

/** Charges placed and fuel consumed, merged and not, for each argument list. */
function compare(source: string, argLists: unknown[][], imports: WebAssembly.Imports = {}) {
  const merged = instrumented(source, true);
  const separate = instrumented(source, false);
  return {
    charges: { merged: merged.stats.meteredSegments, separate: separate.stats.meteredSegments },
    runs: argLists.map((args) => ({ merged: consumed(merged.bytes, args, imports), separate: consumed(separate.bytes, args, imports) })),
  };
}

describe('a join is charged with the code before its construct', () => {
  it('merges the code after a block left by br_if, with exact counts on both paths', () => {
    const source = `(module (func (export "f") (param $x i32) (result i32)
      (block $b
        (br_if $b (local.get $x))
        (local.set $x (i32.const 5)))
      (i32.add (local.get $x) (i32.const 1))))`;
    const r = compare(source, [[1], [0]]);
    expect(r.charges).toEqual({ merged: 2, separate: 3 });
    // taken: local.get br_if | local.get i32.const i32.add; not taken: + i32.const local.set
    expect(r.runs.map((x) => x.merged.fuel)).toEqual([5n, 7n]);
    expect(r.runs.map((x) => x.separate.fuel)).toEqual([5n, 7n]);
  });

  it('merges the code after an if/else, across a call in an arm', () => {
    // The join ends at the br_if (a join that left the frame after a call would be checked, see
    // EXIT_LIMIT, and a checked join is not merged).
    const source = `(module
      (func $g (result i32) (i32.const 4))
      (func (export "f") (param $x i32) (result i32)
        (block $b (result i32)
          (if (result i32) (local.get $x) (then (call $g)) (else (i32.const 2)))
          (i32.const 3)
          (i32.add)
          (br_if $b (local.get $x))
          (drop)
          (i32.const 7))))`;
    const r = compare(source, [[1], [0]]);
    expect(r.charges.merged).toBe(r.charges.separate - 1);
    // local.get if, then call (+ g's 1) or else i32.const, then i32.const i32.add local.get
    // br_if; not taken: drop (free) i32.const
    expect(r.runs.map((x) => x.merged.fuel)).toEqual([8n, 8n]);
    expect(r.runs.map((x) => x.separate.fuel)).toEqual([8n, 8n]);
  });

  it('merges nested joins into the outermost host', () => {
    const source = `(module (func (export "f") (param $x i32) (result i32)
      (block $outer
        (block $inner
          (br_if $inner (local.get $x))
          (br_if $outer (i32.eqz (local.get $x))))
        (local.set $x (i32.add (local.get $x) (i32.const 1))))
      (local.get $x)))`;
    const r = compare(source, [[1], [0]]);
    expect(r.charges.merged).toBeLessThan(r.charges.separate);
    expect(r.runs.map((x) => x.merged.fuel)).toEqual(r.runs.map((x) => x.separate.fuel));
  });

  for (const [name, inside] of [
    ['a return', '(return (i32.const 1))'],
    ['an unreachable', 'unreachable'],
    ['a branch to an outer label', '(br $out)'],
    ['a loop', '(loop $l (br_if $l (i32.eqz (local.get $x))))'],
  ] as const) {
    // A branch to $out makes the block's end a join, which merges: nothing leaves the block.
    const outerJoins = inside.startsWith('(br ') ? 1 : 0;
    it(`does not merge across ${name} in the construct`, () => {
      const source = `(module (func (export "f") (param $x i32) (result i32)
        (block $out
          (if (local.get $x) (then ${inside}))
          (local.set $x (i32.const 9))
          (local.set $x (i32.add (local.get $x) (i32.const 1))))
        (local.get $x)))`;
      const r = compare(source, [[1], [0]]);
      // The join after the if stays charged on its own.
      expect(r.charges.merged).toBe(r.charges.separate - outerJoins);
      for (const run of r.runs) expect(run.merged).toEqual(run.separate);
    });
  }

  it('does not merge across a check inside the construct, which would let the overrun pass MAX_FUEL_OVERRUN', () => {
    // The host (after the first br_if) is not checked; the arm runs 992 operators unchecked, then
    // the segment after block $c is checked; the join costs 800 and needs no check of its own.
    // Merged, the host would charge the join's 800 before the arm's 992, unverified: measured with
    // that rule taken out of the rewriter, 1,797 consumed on a budget of 100 (997 with it).
    const ops = (n: number) => Array.from({ length: n / 2 }, () => '(local.set $x (local.get $x))').join(' ');
    const source = `(module (func (export "f") (param $x i32)
      (block $b
        (br_if $b (local.get $x))
        (if (i32.eqz (local.get $x))
          (then ${ops(990)} (block $c (br_if $c (local.get $x))) ${ops(100)}))
        ${ops(800)})))`;
    const { bytes } = instrument(wat(source), { fuel: 100n, memoryLimitPages: null });
    const r = consumed(bytes, [0], {}, 100n);
    expect(r.error).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(r.fuel).toBeGreaterThanOrEqual(100n);
    expect(r.fuel).toBeLessThanOrEqual(100n + BigInt(MAX_FUEL_OVERRUN));
  });

  it('charges the join to a run a callee ends inside the construct, as it charges the rest of a segment', () => {
    const source = `(module
      (import "e" "exit" (func $exit))
      (func (export "f") (param $x i32) (result i32)
        (block $b (result i32)
          (if (local.get $x) (then (call $exit)))
          (i32.const 3)
          (br_if $b (local.get $x))
          (drop)
          (i32.const 7))))`;
    const exit = new Error('exit');
    const r = compare(source, [[1], [0]], { e: { exit: () => { throw exit; } } });
    expect(r.charges.merged).toBe(r.charges.separate - 1);
    expect(r.runs[0].merged.error).toBe(exit);
    // Written back before the call: local.get if call, and with merging the join's
    // i32.const local.get br_if too.
    expect(r.runs[0].separate.fuel).toBe(3n);
    expect(r.runs[0].merged.fuel).toBe(6n);
    // A run that finishes is charged the same: local.get if, i32.const local.get br_if, i32.const.
    expect(r.runs[1].merged.fuel).toBe(6n);
    expect(r.runs[1].separate.fuel).toBe(6n);
  });
});

/** The program with exceptions taken out: a try becomes a block of its body, a throw one unit of work. */
function withoutExceptions(p: Program): Program {
  const strip = (list: Stmt[]): Stmt[] =>
    list.map((s): Stmt => {
      switch (s.k) {
        case 'throw':
          return { k: 'work', n: 1 };
        case 'try':
        case 'try_table':
          return { k: 'block', body: strip(s.body) };
        case 'block':
        case 'loop':
        case 'guard':
          return { ...s, body: strip(s.body) };
        case 'if':
          return { ...s, then: strip(s.then), else: s.else === null ? null : strip(s.else) };
        default:
          return s;
      }
    });
  return { ...p, functions: p.functions.map(strip) };
}

describe('merging keeps the count of every run that finishes', () => {
  const runner = new CaseRunner();
  afterAll(() => runner.stop());

  it('on random programs of every control-flow shape', async () => {
    const random = prng(20261204);
    const BUDGET = 5_000_000n;
    let finished = 0;
    let merges = 0;
    for (let i = 0; i < 400; i++) {
      const input = toBinary(withoutExceptions(randomProgram(random, false)));
      const merged = instrument(input, { fuel: BUDGET, memoryLimitPages: null });
      // The reference: one charge per segment, where the segment begins (no join or case moved).
      const separate = instrument(input, { fuel: BUDGET, memoryLimitPages: null, mergeJoins: false, mergeCases: false });
      const a = await runner.run(merged.bytes, { startExport: null, timeoutMs: 30_000 });
      const b = await runner.run(separate.bytes, { startExport: null, timeoutMs: 30_000 });
      if (a.outcome === 'returned' || b.outcome === 'returned') {
        expect([a.outcome, a.remaining, a.work]).toEqual([b.outcome, b.remaining, b.work]);
        finished++;
        if (merged.stats.meteredSegments < separate.stats.meteredSegments) merges++;
      }
    }
    // Enough programs finish, and merge, for the comparison to mean something.
    expect(finished).toBeGreaterThan(60);
    expect(merges).toBeGreaterThan(30);
  }, 120_000);
});
