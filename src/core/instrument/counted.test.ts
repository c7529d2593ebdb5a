import { describe, expect, it } from 'vitest';
import { block, br, brIf, call, loop, work, toBinary, type Program, type Stmt } from './counted.ts';
import { nested } from '../../testing/instrument/shapes.ts';

/** Runs a counted program as is (no metering) and returns its work counter. */
function workOf(main: Stmt[], ...others: Stmt[][]): bigint {
  const program: Program = { functions: [main, ...others], main: 0, start: null };
  const counter = new WebAssembly.Global({ value: 'i64', mutable: true }, 0n);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(toBinary(program)), { count: { work: counter }, env: { host: () => {} } });
  (instance.exports.main as () => void)();
  return counter.value as bigint;
}

// The soundness tests and the fuzz target trust this counter; these pin what it counts.
describe('the independent work counter of counted.ts', () => {
  it('counts every instruction of a run, its own bump included', () => {
    expect(workOf([work(3)])).toBe(4n + 12n);
  });

  it('counts code after an unconditional branch apart, since it never runs (fuzz finding)', () => {
    // entry: bump 4, block 0, br 1 | (dead) | after the block: bump 4, work 4
    expect(workOf([block(br(0), work(64)), work(1)])).toBe(5n + 8n);
  });

  it('counts nothing for block, which compiles to no code (fuzz finding)', () => {
    // entry: bump 4, three blocks 0 | after each end: bump 4 (the last one also runs work 4)
    expect(workOf([block(block(block())), work(1)])).toBe(4n + 4n + 4n + 8n);
  });

  it('counts each pass through a loop header', () => {
    // The shared test counter starts at 0: the first test sees 1 (taken), the second 2 (not).
    // entry 4 | header, twice: bump 4, pass 1, test 8, br_if 1 | after br_if 4 | after the loop 4
    expect(workOf([loop(brIf(0, 1))])).toBe(4n + 2n * 14n + 4n + 4n);
  });

  it('counts the headers of a chain of loops a branch passes', () => {
    // entry: bump 4 + the chain's two uncounted headers | innermost header, twice: bump 4, pass 1,
    // test 8, tee and computed bump 10, br_if 1, plus 2 when taken | four runs after the ends
    expect(workOf([nested(3, brIf(2, 1))])).toBe(6n + 2n * 24n + 2n + 4n * 4n);
  });

  it('counts a callee\u2019s work and the run after the call', () => {
    // main: bump 4, call 1 | bump 4; callee: bump 4, work 8
    expect(workOf([call(1)], [work(2)])).toBe(5n + 4n + 12n);
  });
});
