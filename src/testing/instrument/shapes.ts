/**
 * Test support: programs of every control-flow shape that do unbounded work, for the soundness
 * tests (soundness.test.ts) and as seeds of the instrument fuzz target. Each counts its own work
 * (counted.ts).
 */
import { HOST, block, br, brIf, brTable, call, callIndirect, guard, loop, raise, repeat, returnCall, returnCallIndirect, tryCatch, tryTable, when, work, type Program, type Stmt } from '../../core/instrument/counted.ts';

/** A chain of n nested loops around `inner`, built without recursion. */
export function nested(n: number, ...inner: Stmt[]): Stmt {
  let s = loop(...inner);
  for (let i = 1; i < n; i++) s = loop(s);
  return s;
}

const program = (functions: Stmt[][], start: number | null = null): Program => ({ functions, main: 0, start });

export interface Shape {
  program: Program;
  budget: bigint;
}

/** One program per control-flow shape that does unbounded work, with the budget to run it under. */
export const SHAPES: Record<string, Shape> = {
  // issue 13, item 1: one segment of N calls into a loop-free leaf
  'straight-line calls into a leaf': {
    program: program([[loop(...repeat(1000, () => call(1)), br(0))], [work(250)]]),
    budget: 100_000n,
  },
  'a call chain 300 deep with work after a join in every frame': {
    program: program([[loop(call(1), br(0))], ...repeat(300, (i) => [...(i < 299 ? [call(i + 2)] : []), block(br(0)), work(100)])]),
    budget: 100_000n,
  },
  'recursion that returns through heavy tails': {
    program: program([[loop(call(1), br(0))], [guard(300, call(1)), work(100)]]),
    budget: 100_000n,
  },
  'unbounded recursion': {
    program: program([[work(5), call(0)]]),
    budget: 100_000n,
  },
  'tail calls (return_call)': {
    program: program([[work(10), returnCall(1)], [work(10), returnCall(0)]]),
    budget: 100_000n,
  },
  'tail calls through a table (return_call_indirect)': {
    program: program([[work(10), returnCallIndirect(1)], [work(10), returnCallIndirect(0)]]),
    budget: 100_000n,
  },
  'call_indirect in a loop': {
    program: program([[loop(...repeat(100, () => callIndirect(1)), br(0))], [work(100)]]),
    budget: 100_000n,
  },
  'calls to a host import in one segment': {
    program: program([[loop(...repeat(1000, () => call(HOST)), br(0))]]),
    budget: 100_000n,
  },
  // issue 13, item 2
  '20,000 nested loops with a br to the outermost': {
    program: program([[nested(20_000, br(19_999))]]),
    budget: 1_000_000n,
  },
  'br_table to outer loops': {
    program: program([[nested(100, brTable(0, 10, 50, 99))]]),
    budget: 100_000n,
  },
  'br_if to an outer loop of a chain': {
    program: program([[nested(50, brIf(49, 3), br(0))]]),
    budget: 100_000n,
  },
  'long forward code in a loop': {
    program: program([[loop(...repeat(20, (i) => when(1 << (i % 5), [work(100)])), br(0))]]),
    budget: 100_000n,
  },
  'loops inside try/catch with throws (legacy exception handling)': {
    program: program([[loop(tryCatch([loop(work(3), when(4, [raise()]), br(0))], [work(2)], true), br(0))]]),
    budget: 100_000n,
  },
  'exceptions unwinding through handlers that rethrow': {
    program: program([
      [loop(tryCatch([call(1)], [], true), br(0))],
      ...repeat(200, (i) => (i < 199 ? [tryCatch([call(i + 2)], [work(100), raise()], true)] : [raise()])),
    ]),
    budget: 100_000n,
  },
  // issue 13, item 5 (with deferStart; see start.test.ts for the start section kept)
  'a loop in the start function': {
    program: program([[], [loop(work(5), br(0))]], 1),
    budget: 100_000n,
  },
};

/** Shapes with try_table, which Node 20's V8 cannot run (the test runs them in binaryen's interpreter). */
export const TRY_TABLE_SHAPES: Record<string, Shape> = {
  'loops inside try_table with throws': {
    program: program([[loop(tryTable([loop(work(3), when(4, [raise()]), br(0))], [work(2)]), br(0))]]),
    budget: 100_000n,
  },
  'exceptions unwinding through try_table handlers that rethrow': {
    program: program([
      [loop(tryTable([call(1)], []), br(0))],
      // (50 deep: the interpreter's own stack is small)
      ...repeat(50, (i) => (i < 49 ? [tryTable([call(i + 2)], [work(400), raise()])] : [raise()])),
    ]),
    budget: 100_000n,
  },
};
