import { describe, expect, it } from 'vitest';
import { prng, wat } from '../../testing/instrument/modules.ts';
import { instrument, readFuel } from './index.ts';

/**
 * A br_table's charge paid in the landings it alone enters (body.ts, "Cases"): a switch's cases
 * each pay the code before the switch with their own, so one charge runs per pass instead of two.
 * The counter holds the same value at every check and every point where it can be seen, so every
 * run, finished or stopped for fuel at any budget, is charged what it is with `mergeCases: false`.
 */

const AMPLE = 1n << 40n;

function build(source: string, mergeCases: boolean, fuel = AMPLE) {
  return instrument(wat(source), { fuel, memoryLimitPages: null, mergeCases });
}

interface Run {
  fuel: bigint;
  exhausted: boolean;
  result: unknown;
  error: string | null;
}

function run(bytes: Uint8Array, args: unknown[], budget: bigint): Run {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), {});
  let result: unknown = null;
  let error: string | null = null;
  try {
    result = (instance.exports.f as (...a: unknown[]) => unknown)(...args);
  } catch (e) {
    error = e instanceof WebAssembly.RuntimeError ? 'trap' : String(e);
  }
  const reading = readFuel(instance.exports, budget);
  return { fuel: reading.consumed, exhausted: reading.exhausted, result, error };
}

/** Both placements at each budget: the same outcome, result and fuel, every time. */
function sameAtEveryBudget(source: string, args: unknown[], budgets: Iterable<number>): number {
  let compared = 0;
  for (const b of budgets) {
    const budget = BigInt(b);
    const moved = run(build(source, true, budget).bytes, args, budget);
    const separate = run(build(source, false, budget).bytes, args, budget);
    expect(moved, `budget ${b}`).toEqual(separate);
    compared++;
  }
  return compared;
}

/** An interpreter's dispatch loop: n steps over a 4-case switch, as the C `switch` compiles. */
const SWITCH = `(module (func (export "f") (param $n i32) (result i32) (local $acc i32) (local $op i32)
  (block $exit
    (loop $next
      (br_if $exit (i32.eqz (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (local.set $op (i32.and (local.get $n) (i32.const 3)))
      (block $c3 (block $c2 (block $c1 (block $c0
        (br_table $c0 $c1 $c2 $c3 (local.get $op)))
        (local.set $acc (i32.add (local.get $acc) (i32.const 1)))
        (br $next))
        (local.set $acc (i32.mul (local.get $acc) (i32.const 3)))
        (br $next))
        (local.set $acc (i32.xor (local.get $acc) (i32.const 85)))
        (br $next))
      (local.set $acc (i32.sub (local.get $acc) (i32.const 7)))
      (br $next)))
  (local.get $acc)))`;

describe("a switch's cases pay for the code before it", () => {
  it('runs one charge fewer per pass, for the same count', () => {
    const moved = build(SWITCH, true);
    const separate = build(SWITCH, false);
    expect(moved.stats.meteredSegments).toBe(separate.stats.meteredSegments - 1);
    for (const n of [0, 1, 4, 17, 1000]) {
      const a = run(moved.bytes, [n], AMPLE);
      const b = run(separate.bytes, [n], AMPLE);
      expect(a).toEqual(b);
      expect(a.error).toBeNull();
    }
    // Counted by hand for n = 1: the loop's test (local.get i32.eqz br_if) 3, the decrement 4, the
    // op 4, local.get br_table 2, case 0 (n is 0 by then: local.get i32.const i32.add local.set
    // br) 5, the loop's test again 3, and local.get after the loop 1.
    expect(run(moved.bytes, [1], AMPLE).fuel).toBe(3n + 4n + 4n + 2n + 5n + 3n + 1n);
  });

  it('stops at the same point with the same count at every budget', () => {
    expect(sameAtEveryBudget(SWITCH, [12], Array.from({ length: 260 }, (_, i) => i))).toBe(260);
  });

  it('leaves it when a case is checked, so that a stop there reports the same count', () => {
    // Case 1 is too long to run unverified (body.ts: UNVERIFIED_LIMIT), so its landing is checked.
    // Moved into it, the switch's charge would not yet be paid when that check fails, and the run
    // would report less consumed than it did: 3 instead of 13 on a budget of 3 (the attack this
    // holds, seen to succeed before checked landings were left out).
    const long = Array.from({ length: 300 }, () => '(local.set $acc (i32.add (local.get $acc) (i32.const 1)))').join(' ');
    const source = SWITCH.replace('(local.set $acc (i32.mul (local.get $acc) (i32.const 3)))', long);
    expect(Buffer.from(build(source, true).bytes).equals(Buffer.from(build(source, false).bytes))).toBe(true);
    // n = 2: the first pass takes case 1 (op = 1), the second case 0.
    const full = Number(run(build(source, true).bytes, [2], AMPLE).fuel);
    expect(sameAtEveryBudget(source, [2], Array.from({ length: full + 2 }, (_, i) => i))).toBe(full + 2);
  });

  it('leaves the charge before the switch when a case is also entered from elsewhere', () => {
    const source = SWITCH.replace('(br_table $c0 $c1 $c2 $c3 (local.get $op)))', '(br_if $c2 (i32.eq (local.get $op) (i32.const 9))) (br_table $c0 $c1 $c2 $c3 (local.get $op)))');
    expect(Buffer.from(build(source, true).bytes).equals(Buffer.from(build(source, false).bytes))).toBe(true);
  });

  it('leaves it when a case falls through into the next one', () => {
    const source = SWITCH.replace(`(local.set $acc (i32.add (local.get $acc) (i32.const 1)))
        (br $next))`, `(local.set $acc (i32.add (local.get $acc) (i32.const 1))))`);
    const moved = build(source, true);
    const separate = build(source, false);
    // $c1's landing is entered by the br_table and by case 0 falling through: nothing moves.
    expect(Buffer.from(moved.bytes).equals(Buffer.from(separate.bytes))).toBe(true);
    expect(run(moved.bytes, [9], AMPLE)).toEqual(run(separate.bytes, [9], AMPLE));
  });

  it('leaves it when the switch can continue the loop or return', () => {
    const continuing = SWITCH.replace('(br_table $c0 $c1 $c2 $c3 (local.get $op))', '(br_table $c0 $c1 $c2 $next (local.get $op))');
    expect(Buffer.from(build(continuing, true).bytes).equals(Buffer.from(build(continuing, false).bytes))).toBe(true);
    // Depth 2 is the function: a return.
    const returning = `(module (func (export "f") (param $x i32) (result i32)
      (drop (block $b (result i32)
        (drop (block $a (result i32) (br_table $a $b 2 (i32.const 3) (local.get $x))))
        (return (i32.const 1))))
      (i32.const 2)))`;
    expect(Buffer.from(build(returning, true).bytes).equals(Buffer.from(build(returning, false).bytes))).toBe(true);
  });

  it('leaves it when a call in the segment has paid its charge already', () => {
    const source = `(module (func $g) (func (export "f") (param $op i32) (result i32)
      (block $b (block $a
        (call $g)
        (br_table $a $b (local.get $op)))
        (return (i32.const 10)))
      (i32.const 20)))`;
    expect(Buffer.from(build(source, true).bytes).equals(Buffer.from(build(source, false).bytes))).toBe(true);
  });
});

/**
 * Random switches: a dispatch loop over 2-6 cases, each doing random work (now and then enough to
 * be checked), some nesting an if or a br_if out, ending by continuing the loop, leaving it, or
 * falling into the next case; sometimes a call or a second edge into a case. Compared at random
 * budgets, stopped runs included.
 */
function randomSwitch(random: () => number): string {
  const int = (n: number) => Math.floor(random() * n);
  const work = (n: number) => Array.from({ length: n }, () => '(local.set $acc (i32.add (local.get $acc) (i32.const 3)))').join(' ');
  const cases = 2 + int(5);
  const labels = Array.from({ length: cases }, (_, i) => `$c${i}`);
  const targets = Array.from({ length: 1 + int(6) }, () => labels[int(cases)]);
  let body = `${random() < 0.2 ? '(call $g)' : ''} ${work(int(3))}`;
  if (random() < 0.2) body += ` (br_if ${labels[int(cases)]} (i32.eq (local.get $op) (i32.const 99)))`;
  body += ` (br_table ${targets.join(' ')} ${labels[cases - 1]} (local.get $op))`;
  for (let i = 0; i < cases; i++) {
    // Now and then a case too long to run unverified: its landing is checked.
    let code = work(random() < 0.1 ? 250 + int(100) : 1 + int(4));
    if (random() < 0.3) code += ` (if (i32.and (local.get $n) (i32.const 1)) (then ${work(1 + int(3))}) (else ${work(int(2))}))`;
    if (random() < 0.2) code += ` (br_if $exit (i32.gt_u (local.get $acc) (i32.const 4000)))`;
    const end = random();
    code += end < 0.7 ? ' (br $next)' : end < 0.8 ? ' (br $exit)' : '';
    body = `(block ${labels[i]} ${body}) ${code}`;
  }
  return `(module (func $g) (func (export "f") (param $n i32) (result i32) (local $acc i32) (local $op i32)
    (block $exit (loop $next
      (br_if $exit (i32.eqz (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (local.set $op (i32.rem_u (i32.mul (local.get $n) (i32.const 7)) (i32.const ${cases + 1})))
      ${body}))
    (local.get $acc)))`;
}

describe('moving a switch charge keeps every count', () => {
  it('on random switches, finished and stopped at random budgets', () => {
    const random = prng(2026_12_05);
    let movedPrograms = 0;
    let compared = 0;
    for (let i = 0; i < 150; i++) {
      const source = randomSwitch(random);
      const moved = build(source, true);
      const separate = build(source, false);
      if (!Buffer.from(moved.bytes).equals(Buffer.from(separate.bytes))) movedPrograms++;
      const full = run(separate.bytes, [40], AMPLE).fuel;
      const budgets = [Number(full), Number(full) - 1, ...Array.from({ length: 6 }, () => int(random, Number(full)))];
      compared += sameAtEveryBudget(source, [40], budgets);
    }
    // Enough of them move a charge for the comparison to mean something.
    expect(movedPrograms).toBeGreaterThan(35);
    expect(compared).toBe(150 * 8);
  });
});

function int(random: () => number, n: number): number {
  return Math.floor(random() * n);
}
