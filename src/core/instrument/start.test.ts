import { describe, expect, it } from 'vitest';
import { DEFERRED_START_EXPORT, InstrumentError, MAX_FUEL_OVERRUN, instrument, readFuel } from './index.ts';
import { sectionsOf, wat } from '../../testing/instrument/modules.ts';

const START_SECTION = 8;

const counter = `(module
  (global $g (export "g") (mut i32) (i32.const 0))
  (func $init (global.set $g (i32.add (global.get $g) (i32.const 3))))
  (start $init)
  (func (export "get") (result i32) (global.get $g)))`;

const spinning = `(module
  (func $init (loop $l (br $l)))
  (start $init)
  (func (export "_start")))`;

describe('deferStart: the host runs the start function itself', () => {
  it('keeps the start section by default, so the output runs as is anywhere', () => {
    const { bytes, startExport } = instrument(wat(counter), { fuel: 1000n, memoryLimitPages: null });
    expect(startExport).toBeNull();
    expect(sectionsOf(bytes).some((s) => s.id === START_SECTION)).toBe(true);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    expect((instance.exports.get as () => number)()).toBe(3);
  });

  it('removes the start section and exports the start function under the reserved name', () => {
    const { bytes, startExport } = instrument(wat(counter), { fuel: 1000n, memoryLimitPages: null, deferStart: true });
    expect(startExport).toBe(DEFERRED_START_EXPORT);
    expect(sectionsOf(bytes).some((s) => s.id === START_SECTION)).toBe(false);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    const get = instance.exports.get as () => number;
    expect(get()).toBe(0); // instantiation ran nothing
    (instance.exports[DEFERRED_START_EXPORT] as () => void)();
    expect(get()).toBe(3);
    expect(readFuel(instance.exports, 1000n).consumed).toBe(4n + 2n); // start: 4; get: 1, twice
  });

  it('turns a loop in the start function into fuel exhaustion the host can see', () => {
    const plain = instrument(wat(spinning), { fuel: 10_000n, memoryLimitPages: null });
    // With a start section the trap happens inside instantiation: no instance, no flag to read.
    expect(() => new WebAssembly.Instance(new WebAssembly.Module(plain.bytes))).toThrow(/unreachable/);

    const deferred = instrument(wat(spinning), { fuel: 10_000n, memoryLimitPages: null, deferStart: true });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(deferred.bytes));
    expect(() => (instance.exports[DEFERRED_START_EXPORT] as () => void)()).toThrow(/unreachable/);
    const fuel = readFuel(instance.exports, 10_000n);
    expect(fuel.exhausted).toBe(true);
    expect(fuel.consumed).toBeGreaterThanOrEqual(10_000n);
    expect(fuel.consumed).toBeLessThanOrEqual(10_000n + BigInt(MAX_FUEL_OVERRUN));
  });

  it('adds no export when the module has no start function', () => {
    const source = `(module (func (export "f")))`;
    const { bytes, startExport } = instrument(wat(source), { fuel: 10n, memoryLimitPages: null, deferStart: true });
    expect(startExport).toBeNull();
    const names = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name);
    expect(names).not.toContain(DEFERRED_START_EXPORT);
  });

  it('works without fuel metering, and creates the export section when there is none', () => {
    const source = `(module (global $g (mut i32) (i32.const 0)) (func $init (global.set $g (i32.const 1))) (start $init))`;
    const { bytes, startExport } = instrument(wat(source), { fuel: null, memoryLimitPages: null, deferStart: true });
    expect(startExport).toBe(DEFERRED_START_EXPORT);
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(bytes));
    expect(exports).toEqual([{ name: DEFERRED_START_EXPORT, kind: 'function' }]);
  });

  it('refuses a module that already exports the reserved name', () => {
    const source = `(module (func (export "${DEFERRED_START_EXPORT}")))`;
    const attempt = () => instrument(wat(source), { fuel: null, memoryLimitPages: null, deferStart: true });
    expect(attempt).toThrow(InstrumentError);
    expect(attempt).toThrow(/already exports "__kavach_start"/);
    // Without the option the name is not reserved.
    expect(instrument(wat(source), { fuel: null, memoryLimitPages: null }).startExport).toBeNull();
  });
});
