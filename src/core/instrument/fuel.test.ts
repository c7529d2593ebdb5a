import { describe, expect, it } from 'vitest';
import { FUEL_EXHAUSTED_EXPORT, FUEL_REMAINING_EXPORT, MAX_FUEL_OVERRUN, instrument, readFuel } from './index.ts';
import { wat } from '../../testing/instrument/modules.ts';

const AMPLE = 1n << 40n;

interface Run {
  result: unknown;
  error: unknown;
  remaining: bigint;
  consumed: bigint;
  exhausted: boolean;
}

/** Instruments `source`, instantiates it, calls `name(...args)` and reads the fuel back. */
function run(source: string, name: string, args: unknown[] = [], budget = AMPLE, imports: WebAssembly.Imports = {}): Run {
  const { bytes } = instrument(wat(source), { fuel: budget, memoryLimitPages: null });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports);
  const fn = instance.exports[name] as (...a: unknown[]) => unknown;
  let result: unknown;
  let error: unknown = null;
  try {
    result = fn(...args);
  } catch (e) {
    error = e;
  }
  return { result, error, ...readFuel(instance.exports, budget) };
}

/** Fuel consumed by one call on a fresh instance. */
function cost(source: string, name: string, args: unknown[] = []): bigint {
  const r = run(source, name, args);
  if (r.error !== null) throw r.error;
  return r.consumed;
}

describe('exact fuel counts (1 per operator; nop, drop, block, loop, end, else, unreachable, return free)', () => {
  const counting = `(module
    (func (export "count") (param $n i32) (result i32) (local $i i32)
      (loop $l
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
      (local.get $i)))`;

  it('charges a loop of 8 operators 8 per iteration, plus the code after it', () => {
    // loop header segment: local.get i32.const i32.add local.set local.get local.get i32.lt_u br_if
    // after the loop: local.get
    for (const n of [1, 10, 1000]) expect(cost(counting, 'count', [n])).toBe(8n * BigInt(n) + 1n);
    expect(cost(counting, 'count', [0])).toBe(9n); // the body runs once
  });

  it('charges early exits from nested blocks only for what ran', () => {
    const source = `(module
      (func (export "nested") (param $x i32) (result i32)
        (block $outer
          (block $inner
            (br_if $inner (i32.eqz (local.get $x)))
            (br $outer))
          (return (i32.const 7)))
        (i32.const 9)))`;
    // entry: local.get i32.eqz br_if = 3; x=0 -> $inner's landing: i32.const = 1
    expect(cost(source, 'nested', [0])).toBe(4n);
    // x=1 -> br = 1, then $outer's landing: i32.const = 1
    expect(cost(source, 'nested', [1])).toBe(5n);
  });

  it('charges br_table by the arm taken', () => {
    const source = `(module
      (func (export "switch") (param $x i32) (result i32)
        (block $b2
          (block $b1
            (block $b0
              (br_table $b0 $b1 $b2 (local.get $x)))
            (return (i32.const 100)))
          (return (i32.add (i32.const 100) (i32.const 1))))
        (i32.const 102)))`;
    expect(cost(source, 'switch', [0])).toBe(3n); // local.get br_table | i32.const
    expect(cost(source, 'switch', [1])).toBe(5n); // local.get br_table | i32.const i32.const i32.add
    expect(cost(source, 'switch', [2])).toBe(3n);
    expect(cost(source, 'switch', [9])).toBe(3n); // default arm
  });

  it('charges if/else arms and an if without else', () => {
    const source = `(module
      (func (export "pick") (param $x i32) (result i32) (local $r i32)
        (if (local.get $x) (then (local.set $r (i32.const 5))))
        (i32.add (local.get $r) (i32.const 1)))
      (func (export "sign") (param $x i32) (result i32)
        (if (result i32) (i32.lt_s (local.get $x) (i32.const 0))
          (then (i32.const -1))
          (else (i32.ne (local.get $x) (i32.const 0))))))`;
    expect(cost(source, 'pick', [1])).toBe(7n); // local.get if | i32.const local.set | local.get i32.const i32.add
    expect(cost(source, 'pick', [0])).toBe(5n);
    expect(cost(source, 'sign', [-4])).toBe(5n); // local.get i32.const lt_s if | i32.const
    expect(cost(source, 'sign', [4])).toBe(7n); // ... | local.get i32.const i32.ne
  });

  it('charges calls in the caller and the callee its own body', () => {
    const source = `(module
      (func $sq (param $v i32) (result i32) (i32.mul (local.get $v) (local.get $v)))
      (func (export "calls") (param $n i32) (result i32)
        (i32.add (call $sq (local.get $n)) (call $sq (i32.const 2)))))`;
    expect(cost(source, 'calls', [3])).toBe(11n); // 5 + 3 + 3
  });

  it('charges recursion per frame', () => {
    const source = `(module
      (func $fact (export "fact") (param $n i64) (result i64)
        (if (result i64) (i64.eqz (local.get $n))
          (then (i64.const 1))
          (else (i64.mul (local.get $n) (call $fact (i64.sub (local.get $n) (i64.const 1))))))))`;
    const r = run(source, 'fact', [5n]);
    expect(r.result).toBe(120n);
    expect(r.consumed).toBe(9n * 5n + 4n);
  });

  it('charges tail calls (return_call) without growing the stack', () => {
    const source = `(module
      (func $tc (export "tc") (param $n i32) (param $acc i32) (result i32)
        (if (result i32) (i32.eqz (local.get $n))
          (then (local.get $acc))
          (else (return_call $tc (i32.sub (local.get $n) (i32.const 1))
                                 (i32.add (local.get $acc) (i32.const 2)))))))`;
    const r = run(source, 'tc', [200000, 0]);
    expect(r.result).toBe(400000);
    expect(r.consumed).toBe(10n * 200000n + 4n);
  });

  it('charges return_call_indirect and call_indirect', () => {
    const source = `(module
      (type $t (func (param i32) (result i32)))
      (table 2 funcref)
      (elem (i32.const 0) $inc $twice)
      (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
      (func $twice (param i32) (result i32)
        (call_indirect (type $t) (call_indirect (type $t) (local.get 0) (i32.const 0)) (i32.const 0)))
      (func (export "go") (param i32) (result i32)
        (return_call_indirect (type $t) (local.get 0) (i32.const 1))))`;
    // go: local.get i32.const return_call_indirect = 3
    // twice: local.get i32.const call_indirect i32.const call_indirect = 5; inc twice = 3 + 3
    const r = run(source, 'go', [40]);
    expect(r.result).toBe(42);
    expect(r.consumed).toBe(3n + 5n + 6n);
  });

  it('counts a branch out of the function (br to the function label) like a return', () => {
    const source = `(module
      (func (export "early") (param $x i32) (result i32)
        (block (drop (br_if 1 (i32.const 42) (local.get $x))))
        (i32.const 0)))`;
    expect(cost(source, 'early', [1])).toBe(3n); // i32.const local.get br_if
    expect(cost(source, 'early', [0])).toBe(4n); // ... | drop i32.const
  });

  it('keeps loops with block parameters valid and counted', () => {
    const source = `(module
      (func (export "down") (param $n i32) (result i32)
        (local.get $n)
        (loop $l (param i32) (result i32)
          (i32.const 1) (i32.sub) (local.tee $n) (local.get $n) (br_if $l))))`;
    const r = run(source, 'down', [10]);
    expect(r.result).toBe(0);
    expect(r.consumed).toBe(1n + 5n * 10n);
  });

  it('charges a loop header at least 1 per pass, so nested loops pay for their checks', () => {
    const source = `(module
      (func (export "nest") (param $n i32) (local $i i32)
        (loop $a
          (loop $b
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $a (i32.lt_u (local.get $i) (local.get $n)))))))`;
    // each pass: $a's empty header 1, $b's header segment 8 (4 to increment, 4 to test and branch)
    for (const n of [1, 10, 100]) expect(cost(source, 'nest', [n])).toBe(9n * BigInt(n));
  });

  it('charges a start function during instantiation', () => {
    const source = `(module
      (global $g (mut i32) (i32.const 0))
      (func $init (global.set $g (i32.add (global.get $g) (i32.const 3))))
      (start $init)
      (func (export "nothing")))`;
    expect(cost(source, 'nothing')).toBe(4n); // start: global.get i32.const i32.add global.set; nothing: 0
  });

  it('counts nop and drop as free', () => {
    const source = `(module (func (export "f") (nop) (nop) (drop (i32.const 1)) (nop)))`;
    expect(cost(source, 'f')).toBe(1n);
  });
});

describe('traps and exhaustion', () => {
  const spin = `(module (func (export "spin") (loop $l (br $l))))`;

  it('stops an infinite loop: sets the flag, traps with unreachable, reports the budget consumed', () => {
    const r = run(spin, 'spin', [], 1000n);
    expect(r.error).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(String(r.error)).toMatch(/unreachable/);
    expect(r.exhausted).toBe(true);
    // Each iteration costs 1 (br); the 1001st finds nothing left.
    expect(r.remaining).toBe(0n);
    expect(r.consumed).toBe(1000n);
  });

  it('exposes the globals under their documented names', () => {
    const { bytes } = instrument(wat(spin), { fuel: 5n, memoryLimitPages: null });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    const remaining = instance.exports[FUEL_REMAINING_EXPORT] as WebAssembly.Global;
    const flag = instance.exports[FUEL_EXHAUSTED_EXPORT] as WebAssembly.Global;
    expect(remaining.value).toBe(5n);
    expect(flag.value).toBe(0);
  });

  it('stops deep recursion that has no loop at the function-entry check', () => {
    const source = `(module (func $r (export "r") (param i32) (call $r (i32.add (local.get 0) (i32.const 1)))))`;
    const r = run(source, 'r', [0], 10_000n);
    expect(r.exhausted).toBe(true);
    expect(String(r.error)).toMatch(/unreachable/);
    // 4 per frame (local.get i32.const i32.add call): 2500 frames, the next cannot pay.
    expect(r.consumed).toBe(10_000n);
    // With 2 left over, the failed check consumes them too.
    const uneven = run(source, 'r', [0], 10_002n);
    expect(uneven.remaining).toBe(0n);
    expect(uneven.consumed).toBe(10_002n);
  });

  it('stops exactly when the budget runs out, not before', () => {
    const source = `(module
      (func (export "count") (param $n i32) (local $i i32)
        (loop $l
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (local.get $n))))))`;
    // 10 iterations cost exactly 80: a budget of 80 suffices, 79 does not.
    const enough = run(source, 'count', [10], 80n);
    expect(enough.error).toBeNull();
    expect(enough.remaining).toBe(0n);
    const short = run(source, 'count', [10], 79n);
    expect(short.exhausted).toBe(true);
    // 9 iterations ran (72); the 10th (8) does not fit in the 7 left, which the failed check consumes
    expect(short.remaining).toBe(0n);
    expect(short.consumed).toBe(79n);
  });

  it('keeps an overrun made since the last check visible when the next check fails', () => {
    const source = `(module
      (func (export "over")
        (loop $l
          (if (i32.const 1)
            (then (drop (i32.add (i32.const 1) (i32.add (i32.const 2) (i32.add (i32.const 3) (i32.const 4)))))
                  (br $l))))))`;
    // header i32.const if = 2 (checked), arm 7 + br = 8 (not checked): 15 -> 5 -> -5, then the check fails
    const r = run(source, 'over', [], 15n);
    expect(r.exhausted).toBe(true);
    expect(r.remaining).toBe(-5n);
    expect(r.consumed).toBe(20n);
  });

  it('stops a chain of returns whose tails the budget cannot pay for', () => {
    // Descending costs 6 per frame (local.get if | local.get i32.const i32.sub call); each frame
    // then returns through a tail of 200 that runs after the recursive call, in a segment of its
    // own: without a check on the way out, 1000 tails would run on a budget spent long before.
    const tail = Array.from({ length: 100 }, () => '(drop (i32.const 1))').join(' ');
    const source = `(module
      (func $down (export "down") (param $n i32)
        (if (local.get $n) (then (call $down (i32.sub (local.get $n) (i32.const 1)))))
        ${tail} ${tail}))`;
    const budget = 50_000n;
    const r = run(source, 'down', [1000], budget);
    expect(r.exhausted).toBe(true);
    expect(r.consumed).toBeGreaterThanOrEqual(budget);
    expect(r.consumed).toBeLessThanOrEqual(budget + BigInt(MAX_FUEL_OVERRUN));
    // With the budget for all of it (1000 frames x 206 + 202 for the last), it completes.
    expect(cost(source, 'down', [1000])).toBe(206_202n);
    expect(run(source, 'down', [1000], 206_202n).error).toBeNull();
  });

  it('checks long forward code before its charge passes MAX_FUEL_OVERRUN', () => {
    const arm = Array.from({ length: 99 }, () => '(drop (i32.const 1))').join(' ');
    const ifs = Array.from({ length: 30 }, () => `(if (local.get $x) (then ${arm}))`).join(' ');
    const source = `(module (func (export "long") (param $x i32) ${ifs}))`;
    // 30 x (local.get if 2 + arm 99) = 3030, without a loop or a call
    expect(cost(source, 'long', [1])).toBe(3030n);
    const r = run(source, 'long', [1], 100n);
    expect(r.exhausted).toBe(true);
    expect(r.consumed).toBeLessThanOrEqual(100n + BigInt(MAX_FUEL_OVERRUN));
  });

  it('tells a genuine trap from exhaustion and reports the fuel spent before unreachable', () => {
    const source = `(module (func (export "boom") (drop (i32.const 1)) (unreachable)))`;
    const r = run(source, 'boom');
    expect(String(r.error)).toMatch(/unreachable/);
    expect(r.exhausted).toBe(false);
    expect(r.consumed).toBe(1n);
  });

  it('with a zero budget runs free code only: every function checks at entry', () => {
    const free = run(`(module (func (export "f") (nop)))`, 'f', [], 0n);
    expect(free.error).toBeNull();
    expect(free.consumed).toBe(0n);
    const looping = run(`(module (func (export "f") (drop (i32.const 1)) (loop)))`, 'f', [], 0n);
    expect(looping.exhausted).toBe(true);
    expect(looping.consumed).toBe(0n);
    const calling = run(`(module (func $g) (func (export "f") (call $g)))`, 'f', [], 0n);
    expect(calling.exhausted).toBe(true);
    // A function without loops or calls checks at entry too: straight-line calls into it must
    // not run unchecked (issue 13).
    const leaf = run(`(module (func (export "f") (drop (i32.const 1))))`, 'f', [], 0n);
    expect(leaf.exhausted).toBe(true);
    expect(leaf.remaining).toBe(0n);
  });

  it('stops a leaf function called in a loop at the caller\u2019s loop header', () => {
    const source = `(module
      (func $leaf (result i32) (i32.add (i32.const 1) (i32.const 2)))
      (func (export "spin") (loop $l (drop (call $leaf)) (br $l))))`;
    const r = run(source, 'spin', [], 100n);
    expect(r.exhausted).toBe(true);
    // each iteration: header segment (call br) = 2, leaf = 3; after 20 iterations the header
    // finds 0 left and cannot pay 2
    expect(r.consumed).toBe(100n);
  });

  it('keeps the count across calls into imports that re-enter the module', () => {
    const source = `(module
      (import "env" "host" (func $host))
      (func (export "outer") (call $host) (drop (i32.const 1)))
      (func (export "inner") (drop (i32.add (i32.const 1) (i32.const 2)))))`;
    let inner: (() => void) | null = null;
    const { bytes } = instrument(wat(source), { fuel: AMPLE, memoryLimitPages: null });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { host: () => inner?.() } });
    inner = instance.exports.inner as () => void;
    (instance.exports.outer as () => void)();
    // outer: call i32.const = 2; inner: i32.const i32.const i32.add = 3
    expect(readFuel(instance.exports, AMPLE).consumed).toBe(5n);
  });
});

describe('exceptions (legacy try/catch)', () => {
  it('reloads the counter when an exception lands in a catch, keeping what the thrower spent', () => {
    const source = `(module
      (tag $e (param i32))
      (func $thrower (param $v i32) (throw $e (local.get $v)))
      (func (export "eh") (result i32)
        (try (result i32)
          (do (call $thrower (i32.const 5)) (i32.const 0))
          (catch $e (i32.const 1) (i32.add)))))`;
    const r = run(source, 'eh');
    expect(r.result).toBe(6);
    // try i32.const call i32.const (charged as one segment) = 4; thrower: local.get throw = 2;
    // catch i32.const i32.add = 3
    expect(r.consumed).toBe(9n);
  });

  it('counts exceptions thrown and caught in the same function, and catch_all', () => {
    const source = `(module
      (tag $e)
      (func (export "f") (param $x i32) (result i32)
        (try (result i32)
          (do (if (local.get $x) (then (throw $e))) (i32.const 10))
          (catch_all (i32.const 20)))))`;
    expect(cost(source, 'f', [0])).toBe(4n); // try local.get if | i32.const
    expect(cost(source, 'f', [1])).toBe(6n); // try local.get if | throw | catch_all i32.const
  });

  it('lets an exception cross frames with the fuel of every frame counted', () => {
    const source = `(module
      (tag $e)
      (func $deep (param $n i32)
        (if (i32.eqz (local.get $n)) (then (throw $e)))
        (call $deep (i32.sub (local.get $n) (i32.const 1))))
      (func (export "f") (result i32)
        (try (result i32) (do (call $deep (i32.const 3)) (i32.const 0)) (catch $e (i32.const 1)))))`;
    // f: try i32.const call i32.const = 4, catch i32.const = 2
    // deep(n>0): local.get eqz if | local.get i32.const sub call = 3 + 4; deep(0): 3 + throw 1
    expect(cost(source, 'f')).toBe(4n + 2n + 3n * 7n + 4n);
  });
});

describe('dynamic charges', () => {
  const memory = `(module (memory 1 3)
    (func (export "fill") (param $n i32) (memory.fill (i32.const 0) (i32.const 7) (local.get $n)))
    (func (export "copy") (param $n i32) (memory.copy (i32.const 0) (i32.const 100) (local.get $n)))
    (func (export "grow") (param $p i32) (result i32) (memory.grow (local.get $p))))`;

  it('charges memory.fill and memory.copy 1 per 64 bytes on top of the operator', () => {
    expect(cost(memory, 'fill', [6400])).toBe(4n + 100n);
    expect(cost(memory, 'fill', [63])).toBe(4n);
    expect(cost(memory, 'copy', [640])).toBe(4n + 10n);
  });

  it('charges memory.grow 1024 per page added, nothing for a failed grow', () => {
    expect(cost(memory, 'grow', [1])).toBe(2n + 1024n);
    expect(cost(memory, 'grow', [2])).toBe(2n + 2048n);
    const failed = run(memory, 'grow', [5]);
    expect(failed.result).toBe(-1);
    expect(failed.consumed).toBe(2n);
  });

  it('refuses a bulk operation the budget cannot pay for before doing it', () => {
    const source = `(module (memory (export "mem") 1)
      (func (export "fill") (param $n i32) (memory.fill (i32.const 0) (i32.const 7) (local.get $n))))`;
    const { bytes } = instrument(wat(source), { fuel: 500n, memoryLimitPages: null });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    expect(() => (instance.exports.fill as (n: number) => void)(65536)).toThrow(/unreachable/);
    const fuel = readFuel(instance.exports, 500n);
    expect(fuel.exhausted).toBe(true);
    // i32.const i32.const local.get memory.fill = 4; the fill (1024) is refused, not charged, and
    // the failed check consumes the 496 left
    expect(fuel.consumed).toBe(500n);
    expect(new Uint8Array((instance.exports.mem as WebAssembly.Memory).buffer)[0]).toBe(0);
  });

  it('charges table.fill and table.grow 1 per 8 elements', () => {
    const source = `(module (table $t 0 100 funcref)
      (func (export "grow") (param $n i32) (result i32) (table.grow $t (ref.null func) (local.get $n)))
      (func (export "fill") (param $n i32) (table.fill $t (i32.const 0) (ref.null func) (local.get $n))))`;
    const { bytes } = instrument(wat(source), { fuel: AMPLE, memoryLimitPages: null });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    const exports = instance.exports as { grow(n: number): number; fill(n: number): void };
    expect(exports.grow(80)).toBe(0);
    const afterGrow = readFuel(instance.exports, AMPLE).consumed;
    expect(afterGrow).toBe(3n + 10n); // ref.null local.get table.grow + 80/8
    exports.fill(80);
    expect(readFuel(instance.exports, AMPLE).consumed - afterGrow).toBe(4n + 10n);
  });
});
