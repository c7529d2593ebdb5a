import { describe, expect, it } from 'vitest';
import { InstrumentError, instrument } from './index.ts';
import { binaryenValidates, memoryLimits, wat, watBinaryen } from '../../testing/instrument/modules.ts';

/** Grows memory 0 one page at a time until it fails; returns the page count reached. */
function growToLimit(bytes: Uint8Array<ArrayBuffer>): number {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  const grow = instance.exports.grow as () => number;
  const size = instance.exports.size as () => number;
  for (let i = 0; i < 70000 && grow() !== -1; i++);
  return size();
}

const growable = (limits: string) => `(module (memory ${limits})
  (func (export "grow") (result i32) (memory.grow (i32.const 1)))
  (func (export "size") (result i32) (memory.size)))`;

describe('memory cap', () => {
  it('lowers a declared maximum to the cap: memory.grow fails at the cap', () => {
    const bytes = wat(growable('1 100'));
    expect(growToLimit(bytes)).toBe(100);
    for (const fuel of [null, 1n << 40n]) {
      const r = instrument(bytes, { fuel, memoryLimitPages: 10 });
      expect(growToLimit(r.bytes)).toBe(10);
      expect(r.memory).toEqual({ declaredMinPages: 1, declaredMaxPages: 100, cappedMaxPages: 10, imported: false });
    }
  });

  it('adds a maximum to a memory that declares none', () => {
    const r = instrument(wat(growable('2')), { fuel: null, memoryLimitPages: 7 });
    expect(memoryLimits(r.bytes)).toEqual([{ flags: 1, min: 2, max: 7 }]);
    expect(growToLimit(r.bytes)).toBe(7);
    expect(r.memory?.cappedMaxPages).toBe(7);
  });

  it('keeps a declared maximum below the cap', () => {
    const r = instrument(wat(growable('1 4')), { fuel: null, memoryLimitPages: 10 });
    expect(memoryLimits(r.bytes)).toEqual([{ flags: 1, min: 1, max: 4 }]);
    expect(r.memory?.cappedMaxPages).toBe(4);
  });

  it('accepts a minimum equal to the cap', () => {
    const r = instrument(wat(growable('16')), { fuel: null, memoryLimitPages: 16 });
    expect(growToLimit(r.bytes)).toBe(16);
  });

  it('refuses a module whose minimum exceeds the cap, saying what it needs', () => {
    const attempt = () => instrument(wat(growable('17')), { fuel: 1000n, memoryLimitPages: 16 });
    expect(attempt).toThrow(InstrumentError);
    expect(attempt).toThrow('module needs at least 17 pages (1.06 MiB) of memory but the policy caps it at 16 pages (1 MiB)');
    try {
      attempt();
    } catch (e) {
      expect((e as InstrumentError).kind).toBe('memory-limit');
    }
  });

  it('leaves the memory alone without a cap and reports what was declared', () => {
    const bytes = wat(growable('3 9'));
    const r = instrument(bytes, { fuel: null, memoryLimitPages: null });
    expect(r.bytes).toEqual(bytes);
    expect(r.memory).toEqual({ declaredMinPages: 3, declaredMaxPages: 9, cappedMaxPages: 9, imported: false });
  });

  it('reports no memory for a module without one', () => {
    const r = instrument(wat('(module (func))'), { fuel: 10n, memoryLimitPages: 5 });
    expect(r.memory).toBeNull();
  });

  it('caps a shared memory and keeps it shared', () => {
    const bytes = watBinaryen('(module (memory 1 50 shared))');
    const r = instrument(bytes, { fuel: null, memoryLimitPages: 8 });
    expect(memoryLimits(r.bytes)).toEqual([{ flags: 3, min: 1, max: 8 }]);
    expect(WebAssembly.validate(r.bytes)).toBe(true);
  });

  it('reports an imported memory for the host to supply, capped', () => {
    const source = (limits: string) => `(module (import "env" "memory" (memory ${limits})) (func (export "f")))`;
    const r = instrument(wat(source('2 300')), { fuel: 100n, memoryLimitPages: 32 });
    expect(r.memory).toEqual({ declaredMinPages: 2, declaredMaxPages: 300, cappedMaxPages: 32, imported: true });
    // The host's capped memory satisfies the import.
    const memory = new WebAssembly.Memory({ initial: 2, maximum: r.memory?.cappedMaxPages ?? undefined });
    expect(() => new WebAssembly.Instance(new WebAssembly.Module(r.bytes), { env: { memory } })).not.toThrow();
    expect(instrument(wat(source('1')), { fuel: null, memoryLimitPages: 32 }).memory?.cappedMaxPages).toBe(32);
    expect(() => instrument(wat(source('40')), { fuel: null, memoryLimitPages: 32 })).toThrow(
      'module needs at least 40 pages (2.5 MiB) of memory but the policy caps it at 32 pages (2 MiB)',
    );
  });

  it('caps memory64 limits in their 64-bit encoding', () => {
    const r = instrument(wat('(module (memory i64 1 1000) (func (drop (memory.grow (i64.const 1)))))'), {
      fuel: 10n,
      memoryLimitPages: 64,
      validate: false,
    });
    expect(memoryLimits(r.bytes)).toEqual([{ flags: 0x05, min: 1, max: 64 }]);
    expect(binaryenValidates(r.bytes)).toBe(true);
    expect(r.memory).toEqual({ declaredMinPages: 1, declaredMaxPages: 1000, cappedMaxPages: 64, imported: false });
  });

  it('caps every memory of a multi-memory module and checks every minimum', () => {
    const bytes = watBinaryen('(module (memory $a 1 100) (memory $b i64 2) (memory $c 3 4))');
    const r = instrument(bytes, { fuel: null, memoryLimitPages: 10, validate: false });
    expect(memoryLimits(r.bytes)).toEqual([
      { flags: 1, min: 1, max: 10 },
      { flags: 5, min: 2, max: 10 },
      { flags: 1, min: 3, max: 4 },
    ]);
    expect(binaryenValidates(r.bytes)).toBe(true);
    expect(() => instrument(bytes, { fuel: null, memoryLimitPages: 2, validate: false })).toThrow(/at least 3 pages .* \(memory 2\)/);
  });

  it('clamps the cap to what a 32-bit memory can address', () => {
    const r = instrument(wat(growable('1')), { fuel: null, memoryLimitPages: 1_000_000 });
    expect(memoryLimits(r.bytes)).toEqual([{ flags: 1, min: 1, max: 65536 }]);
  });

  it('rejects nonsensical options as a programming error', () => {
    const bytes = wat('(module)');
    expect(() => instrument(bytes, { fuel: null, memoryLimitPages: -1 })).toThrow(RangeError);
    expect(() => instrument(bytes, { fuel: null, memoryLimitPages: 1.5 })).toThrow(RangeError);
    expect(() => instrument(bytes, { fuel: -1n, memoryLimitPages: null })).toThrow(RangeError);
    expect(() => instrument(bytes, { fuel: 1n << 63n, memoryLimitPages: null })).toThrow(RangeError);
  });
});
