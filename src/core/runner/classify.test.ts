import { describe, expect, it } from 'vitest';
import { instrument } from '../instrument/index.ts';
import { wat } from '../../testing/instrument/modules.ts';
import type { RunPlan } from './protocol.ts';
import { classify } from './worker.ts';

/**
 * A failed fuel check sets the exhausted flag, then calls the out-of-fuel function; at the very
 * limit of the stack that call can overflow it. The run must still read as fuel exhaustion.
 */
describe('classify', () => {
  const budget = 50n;
  const plan = { fuel: budget, memoryLimitPages: null } as unknown as RunPlan;
  const overflow = new RangeError('Maximum call stack size exceeded');

  function instanceAfter(spin: boolean): WebAssembly.Instance {
    const source = spin ? '(module (func (export "f") (loop (br 0))))' : '(module (func (export "f") (nop)))';
    const bytes = instrument(wat(source), { fuel: budget, memoryLimitPages: null }).bytes;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    try {
      (instance.exports.f as () => void)();
    } catch {
      // out of fuel: the flag is set
    }
    return instance;
  }

  it('reads a stack overflow with the exhausted flag set as fuel exhaustion', () => {
    expect(classify(overflow, instanceAfter(true), null, plan)).toEqual({ kind: 'fuel_exhausted', budget });
  });

  it('reads a stack overflow without the flag as a stack overflow', () => {
    expect(classify(overflow, instanceAfter(false), null, plan)).toEqual({ kind: 'stack_overflow', message: overflow.message });
  });
});
