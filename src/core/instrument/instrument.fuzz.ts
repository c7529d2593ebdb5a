/**
 * Fuzz target for the instrumenter: every case is a module instrumented with a small fuel budget
 * and run, and must stop (or be refused with an InstrumentError) within the work bound, with an
 * honest fuel count, as a valid module, without hanging. Cases, by seed:
 *   - a random program of a random control-flow shape (counted.ts: it counts its own work, so the
 *     bound is checked against an independent counter): nested and chained loops, branches of every
 *     kind to every label, calls, recursion, tail calls, call_indirect, host calls, legacy
 *     exceptions, a start function, deferred or not;
 *   - the same with try_table, which Node 20 cannot run: its output is checked by binaryen's
 *     validator only;
 *   - a real WASI program (public/examples, bench/programs), bit-flipped or not, run with stub
 *     imports: it must be refused, or instrumented into a valid module that stops in time;
 *   - one case in a hundred, a random module from binaryen's `wasm-opt -ttf`, likewise (a process
 *     start costs ~0.6 s).
 * A case throws on a finding; `npm run fuzz -- instrument` prints the seed to replay.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FuzzTarget } from '../../testing/fuzz.ts';
import { CaseRunner, type CaseResult } from '../../testing/instrument/case-runner.ts';
import { HOST, LABELS_IN, toBinary, type Program, type Stmt } from './counted.ts';
import { InstrumentError, MAX_FUEL_OVERRUN, instrument, type InstrumentResult } from './index.ts';
import { binaryenValidates, fuzzModules, prng } from '../../testing/instrument/modules.ts';

/**
 * Work allowed per unit of fuel charged. Everything the counter counts is charged 1 except
 * `return` and a pass through a loop header whose segment has other code (the check there rides on
 * that code's charge): `loop (br 0)` costs 5 per pass (its counter bump and the br) for 6 counted,
 * hence 1.2 at worst.
 */
const FUZZ_WORK_FACTOR = 1.25;
/** A run is a hang past this (a sound one of these budgets takes milliseconds). */
const TIMEOUT_MS = 10_000;

const root = resolve(import.meta.dirname, '../../..');
let realModules: Uint8Array[] | null = null;
function real(): Uint8Array[] {
  realModules ??= ['public/examples', 'bench/programs'].flatMap((dir) =>
    readdirSync(resolve(root, dir))
      .filter((f) => f.endsWith('.wasm'))
      .sort()
      .map((f) => new Uint8Array(readFileSync(resolve(root, dir, f)))),
  );
  return realModules;
}

const runner = new CaseRunner();

export const target: FuzzTarget = {
  name: 'instrument',
  promise:
    'a module of any control-flow shape, instrumented with a small budget, is refused or stops within ' +
    `${FUZZ_WORK_FACTOR} x budget of work with budget <= consumed <= budget + ${MAX_FUEL_OVERRUN}; never an invalid module, never a hang`,
  async run(seed) {
    const random = prng(seed);
    const kind = random();
    if (kind < 0.65) await generatedCase(random, false);
    else if (kind < 0.72) await generatedCase(random, true);
    else if (kind < 0.99) await realCase(random);
    else await ttfCase(seed);
  },
};

/** Stops the worker (for a caller that wants the process to end at once). */
export function stopInstrumentFuzz(): void {
  runner.stop();
}

function int(random: () => number, n: number): number {
  return Math.floor(random() * n);
}

/** A budget from 0 to ~200,000, spread over the orders of magnitude. */
function budgetFor(random: () => number): bigint {
  return random() < 0.05 ? 0n : BigInt(Math.floor(Math.exp(random() * Math.log(200_000))));
}

async function generatedCase(random: () => number, withTryTable: boolean): Promise<void> {
  const program = randomProgram(random, withTryTable);
  const input = toBinary(program);
  const budget = budgetFor(random);
  const deferStart = random() < 0.5;
  let out: InstrumentResult;
  try {
    out = instrument(input, { fuel: budget, memoryLimitPages: null, deferStart, validate: !withTryTable });
  } catch (e) {
    throw new Error(`a valid generated module was refused: ${String(e)}`);
  }
  if (withTryTable) {
    if (!binaryenValidates(input)) throw new Error('the generator made an invalid module (try_table)');
    if (!binaryenValidates(out.bytes)) throw new Error('instrumenting a valid module with try_table gave an invalid one');
    return;
  }
  const r = await runner.run(out.bytes, { startExport: out.startExport, timeoutMs: TIMEOUT_MS });
  checkGenerated(r, budget);
}

function checkGenerated(r: CaseResult, budget: bigint): void {
  const fail = (what: string) => {
    throw new Error(`${what} (budget ${budget}, outcome ${r.outcome}, work ${r.work}, remaining ${r.remaining}: ${r.message})`);
  };
  // A generated program cannot trap on its own: an unreachable without the flag is a metering bug.
  if (!['returned', 'exhausted', 'stack-overflow', 'exception', 'instantiation-trap'].includes(r.outcome)) fail('unexpected outcome');
  const consumed = r.remaining === null ? null : budget - r.remaining;
  if (consumed !== null && consumed > budget + BigInt(MAX_FUEL_OVERRUN)) fail('consumed more than budget + MAX_FUEL_OVERRUN');
  if (consumed !== null && consumed < 0n) fail('negative consumption');
  if (r.outcome === 'exhausted' && consumed !== null && consumed < budget) fail('exhausted before the budget was spent');
  // The work must be paid for: by the fuel charged when it can be read, else by the budget.
  const charged = consumed ?? budget + BigInt(MAX_FUEL_OVERRUN);
  if (Number(r.work) > FUZZ_WORK_FACTOR * Number(charged) + 64) fail(`work ${r.work} exceeds ${FUZZ_WORK_FACTOR} x ${charged} charged`);
}

async function realCase(random: () => number): Promise<void> {
  const modules = real();
  const bytes = modules[int(random, modules.length)].slice();
  const flips = random() < 0.15 ? 0 : 1 + int(random, 4);
  for (let i = 0; i < flips; i++) bytes[8 + int(random, bytes.length - 8)] ^= 1 << int(random, 8);
  const budget = BigInt(int(random, 2_000_000));
  await instrumentAndRun(bytes, budget, random() < 0.5);
}

async function ttfCase(seed: number): Promise<void> {
  const features = ['--mvp-features', '--enable-sign-ext', '--enable-bulk-memory', '--enable-mutable-globals', '--enable-multivalue', '--enable-tail-call', '--enable-nontrapping-float-to-int'];
  const [bytes] = await fuzzModules([seed], 2_000 + (seed % 6_000), features, 1);
  await instrumentAndRun(bytes, BigInt(seed % 1_000_000), false);
}

/** Refused, or a valid module that stops in time with a sane fuel count. */
async function instrumentAndRun(bytes: Uint8Array, budget: bigint, deferStart: boolean): Promise<void> {
  let out: InstrumentResult;
  try {
    out = instrument(bytes, { fuel: budget, memoryLimitPages: 256, deferStart, validate: false });
  } catch (e) {
    if (e instanceof InstrumentError) return;
    throw new Error(`instrument threw ${String(e)}`);
  }
  if (!WebAssembly.validate(out.bytes)) {
    if (WebAssembly.validate(new Uint8Array(bytes))) throw new Error('a valid module was instrumented into an invalid one');
    return; // garbage in (the rewriter does not validate what it copies), garbage out
  }
  const r = await runner.run(out.bytes, { startExport: out.startExport, timeoutMs: TIMEOUT_MS });
  if (r.outcome === 'timeout') throw new Error(`no stop within ${TIMEOUT_MS} ms (budget ${budget})`);
  // Dynamic charges (bulk memory, grow) are checked on their own and may overrun further.
  if (r.remaining !== null && r.remaining > budget) throw new Error(`remaining ${r.remaining} above the budget ${budget}`);
  if (r.outcome === 'exhausted' && r.remaining !== null && r.remaining > 0n) throw new Error(`exhausted with ${r.remaining} left`);
}

/**
 * A random program: up to 6 functions of up to ~120 statements, nested up to 6 deep, with
 * branches to any enclosing label (the function's included). Also the generated corpus of
 * output.test.ts.
 */
export function randomProgram(random: () => number, withTryTable: boolean): Program {
  const functions = Array.from({ length: 1 + int(random, 6) }, () => [] as Stmt[]);
  const n = functions.length;
  for (let i = 0; i < n; i++) {
    const g = new Generator(random, n, withTryTable);
    functions[i] = g.list(0, 1 + int(random, 8));
  }
  return { functions, main: 0, start: random() < 0.25 ? int(random, n) : null };
}

class Generator {
  /** Labels in scope, innermost last. */
  private labels = 0;
  private left = 120;

  constructor(
    private readonly random: () => number,
    private readonly functions: number,
    private readonly withTryTable: boolean,
  ) {}

  list(depth: number, count: number): Stmt[] {
    const out: Stmt[] = [];
    for (let i = 0; i < count && this.left > 0; i++) out.push(this.stmt(depth));
    return out;
  }

  private nested(labels: number, depth: number, count: number): Stmt[] {
    this.labels += labels;
    const body = this.list(depth + 1, count);
    this.labels -= labels;
    return body;
  }

  private fn(): number {
    return this.random() < 0.1 ? HOST : int(this.random, this.functions);
  }

  private depth(): number {
    return int(this.random, this.labels + 1);
  }

  private mask(): number {
    return [1, 3, 7, 15, 0x7fffffff][int(this.random, 5)];
  }

  /** A loop; with some chance its body starts with another loop (an empty header segment). */
  private loop(depth: number): Stmt {
    this.labels += LABELS_IN.loop;
    const body = depth < 5 && this.random() < 0.25 ? [this.loop(depth + 1), ...this.list(depth + 1, int(this.random, 3))] : this.list(depth + 1, 1 + int(this.random, 5));
    this.labels -= LABELS_IN.loop;
    return { k: 'loop', body };
  }

  private stmt(depth: number): Stmt {
    this.left--;
    const r = this.random;
    const deep = depth >= 6;
    const pick = r() * 100;
    if (pick < 25 || (deep && pick < 60)) return { k: 'work', n: 1 + int(r, 12) };
    if (pick < 32) return deep ? { k: 'work', n: 1 } : { k: 'block', body: this.nested(LABELS_IN.block, depth, 1 + int(r, 4)) };
    if (pick < 42) return deep ? { k: 'work', n: 2 } : this.loop(depth);
    if (pick < 48) {
      if (deep) return { k: 'work', n: 3 };
      const then = this.nested(LABELS_IN.if, depth, 1 + int(r, 3));
      return { k: 'if', mask: this.mask(), then, else: r() < 0.5 ? this.nested(LABELS_IN.if, depth, 1 + int(r, 3)) : null };
    }
    if (pick < 52) return { k: 'br', depth: this.depth() };
    if (pick < 60) return { k: 'br_if', depth: this.depth(), mask: this.mask() };
    if (pick < 63) return { k: 'br_table', depths: Array.from({ length: 1 + int(r, 5) }, () => this.depth()) };
    if (pick < 71) return { k: 'call', fn: this.fn() };
    if (pick < 75) return { k: 'call_indirect', fn: int(r, this.functions) };
    if (pick < 77) return r() < 0.5 ? { k: 'return_call', fn: this.fn() } : { k: 'return_call_indirect', fn: int(r, this.functions) };
    if (pick < 78) return { k: 'return' };
    if (pick < 81) return { k: 'throw' };
    if (pick < 88) {
      if (deep) return { k: 'work', n: 4 };
      if (this.withTryTable && r() < 0.5) {
        return { k: 'try_table', body: this.nested(LABELS_IN.tryTableBody, depth, 1 + int(r, 4)), handler: this.nested(LABELS_IN.tryTableHandler, depth, int(r, 3)) };
      }
      return { k: 'try', body: this.nested(LABELS_IN.try, depth, 1 + int(r, 4)), handler: this.nested(LABELS_IN.try, depth, int(r, 3)), catchAll: r() < 0.5 };
    }
    if (pick < 92) return deep ? { k: 'work', n: 5 } : { k: 'guard', limit: 1 + int(r, 40), body: this.nested(LABELS_IN.guard, depth, 1 + int(r, 3)) };
    return { k: 'work', n: 1 + int(r, 100) };
  }
}
