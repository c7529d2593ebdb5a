import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUEL_EXHAUSTED_EXPORT, FUEL_REMAINING_EXPORT, InstrumentError, instrument, readFuel } from './index.ts';
import { concat, customSection, sectionsOf, uleb, wat } from '../../testing/instrument/modules.ts';

const CANONICAL = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];

function sectionIds(bytes: Uint8Array): number[] {
  return sectionsOf(bytes)
    .map((s) => s.id)
    .filter((id) => id !== 0);
}

function expectCanonicalOrder(bytes: Uint8Array): void {
  const ranks = sectionIds(bytes).map((id) => CANONICAL.indexOf(id));
  expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
}

function thrown(fn: () => unknown): InstrumentError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InstrumentError) return e;
    throw e;
  }
  throw new Error('expected an InstrumentError');
}

describe('module structure', () => {
  it('appends the fuel globals after existing ones and exports them', () => {
    const bytes = wat(`(module
      (import "env" "g" (global i32))
      (global $a (mut i32) (i32.const 1))
      (global $b i64 (i64.const 2))
      (func (export "f") (result i32) (global.get $a)))`);
    const { bytes: out } = instrument(bytes, { fuel: 1234n, memoryLimitPages: null });
    const module = new WebAssembly.Module(out);
    expect(WebAssembly.Module.exports(module)).toEqual([
      { name: 'f', kind: 'function' },
      { name: FUEL_REMAINING_EXPORT, kind: 'global' },
      { name: FUEL_EXHAUSTED_EXPORT, kind: 'global' },
    ]);
    expect(WebAssembly.Module.imports(module)).toEqual(WebAssembly.Module.imports(new WebAssembly.Module(bytes)));
    const g = new WebAssembly.Global({ value: 'i32' }, 5);
    const instance = new WebAssembly.Instance(module, { env: { g } });
    expect((instance.exports[FUEL_REMAINING_EXPORT] as WebAssembly.Global).value).toBe(1234n);
    expect((instance.exports.f as () => number)()).toBe(1); // global indices of the module unchanged
  });

  it('creates the global and export sections in canonical order when missing', () => {
    const bytes = wat(`(module (type (func)) (memory 1) (start 0) (func (type 0)) (data (i32.const 0) "x"))`);
    expect(sectionIds(bytes)).not.toContain(6);
    expect(sectionIds(bytes)).not.toContain(7);
    const { bytes: out } = instrument(bytes, { fuel: 5n, memoryLimitPages: null });
    expect(sectionIds(out)).toEqual([1, 3, 5, 6, 7, 8, 10, 11]);
    expectCanonicalOrder(out);
    expect(WebAssembly.validate(out)).toBe(true);
  });

  it('creates them in an empty module too', () => {
    const { bytes: out } = instrument(wat('(module)'), { fuel: 5n, memoryLimitPages: null });
    expect(sectionIds(out)).toEqual([6, 7]);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(out));
    expect((instance.exports[FUEL_REMAINING_EXPORT] as WebAssembly.Global).value).toBe(5n);
  });

  it('puts the global section after a tag section', () => {
    const { bytes: out } = instrument(wat('(module (tag $e) (func (throw $e)))'), { fuel: 5n, memoryLimitPages: null });
    expectCanonicalOrder(out);
    expect(WebAssembly.validate(out)).toBe(true);
  });

  it('never adds imports', () => {
    const bytes = wat('(module (import "a" "b" (func)) (func (export "f") (call 0)))');
    const { bytes: out } = instrument(bytes, { fuel: 5n, memoryLimitPages: 1 });
    expect(WebAssembly.Module.imports(new WebAssembly.Module(out))).toEqual([{ module: 'a', name: 'b', kind: 'function' }]);
  });

  it('refuses a module that already exports the fuel names (instrumenting twice)', () => {
    const once = instrument(wat('(module (func (export "f")))'), { fuel: 5n, memoryLimitPages: null }).bytes;
    const e = thrown(() => instrument(once, { fuel: 5n, memoryLimitPages: null }));
    expect(e.kind).toBe('name-clash');
    expect(e.message).toContain(FUEL_REMAINING_EXPORT);
    const clash = wat(`(module (func (export "${FUEL_EXHAUSTED_EXPORT}")))`);
    expect(thrown(() => instrument(clash, { fuel: 5n, memoryLimitPages: null })).kind).toBe('name-clash');
    // Without metering nothing is added, so nothing clashes.
    expect(() => instrument(once, { fuel: null, memoryLimitPages: 4 })).not.toThrow();
  });

  it('copies the module unchanged with neither fuel nor cap', () => {
    const bytes = new Uint8Array(readFileSync(resolve(import.meta.dirname, '../../../public/examples/hello.wasm')));
    const r = instrument(bytes, { fuel: null, memoryLimitPages: null });
    expect(r.bytes).toEqual(bytes);
    expect(r.stats).toMatchObject({ inputBytes: bytes.length, outputBytes: bytes.length, functions: 0, meteredSegments: 0 });
  });

  it('copies every non-code section byte for byte', () => {
    const bytes = new Uint8Array(readFileSync(resolve(import.meta.dirname, '../../../public/examples/cat.wasm')));
    const out = instrument(bytes, { fuel: 1n << 40n, memoryLimitPages: null }).bytes;
    const before = sectionsOf(bytes);
    const after = sectionsOf(out);
    for (const s of before) {
      if (s.id === 10 || s.id === 6 || s.id === 7 || s.id === 1 || s.id === 3) continue;
      const match = after.find((t) => t.id === s.id && t.name === s.name);
      expect(match?.content).toEqual(s.content);
    }
    // The type, function, global and export sections keep their original entries, followed by the
    // new ones: the type and function sections exactly one each, the out-of-fuel function's.
    const types = { before: before.find((s) => s.id === 1), after: after.find((s) => s.id === 1) };
    const functions = { before: before.find((s) => s.id === 3), after: after.find((s) => s.id === 3) };
    if (types.before === undefined || types.after === undefined || functions.before === undefined || functions.after === undefined) {
      throw new Error('type or function section missing');
    }
    const typeCount = types.before.content[0]; // small counts: one-byte LEB
    expect(types.after.content).toEqual(Uint8Array.from([typeCount + 1, ...types.before.content.subarray(1), 0x60, 1, 0x7e, 0]));
    const functionCount = functions.before.content[0];
    expect(functions.after.content).toEqual(Uint8Array.from([functionCount + 1, ...functions.before.content.subarray(1), typeCount]));
    for (const id of [6, 7]) {
      const original = before.find((s) => s.id === id);
      const rewritten = after.find((s) => s.id === id);
      if (original === undefined || rewritten === undefined) throw new Error(`section ${id} missing`);
      const countLength = uleb(original.content[0]).length; // counts are small here
      const body = original.content.subarray(countLength);
      expect(rewritten.content.subarray(countLength, countLength + body.length)).toEqual(body);
    }
  });

  it('adds the out-of-fuel function only to a module with code to meter', () => {
    // Imports only: no check anywhere, so no type or function is added (and none is created).
    const importsOnly = wat('(module (import "env" "f" (func $f)) (export "f" (func $f)))');
    const r = instrument(importsOnly, { fuel: 10n, memoryLimitPages: null });
    expect(sectionsOf(r.bytes).filter((s) => s.id === 3 || s.id === 10)).toEqual([]);
    expect(sectionsOf(r.bytes).find((s) => s.id === 1)?.content).toEqual(sectionsOf(importsOnly).find((s) => s.id === 1)?.content);
    // With code: one function more, called by the failed check, after every original function.
    const once = wat('(module (func (export "f") (loop (br 0))))');
    const metered = instrument(once, { fuel: 10n, memoryLimitPages: null });
    const module = new WebAssembly.Module(metered.bytes);
    const instance = new WebAssembly.Instance(module);
    expect(() => (instance.exports.f as () => void)()).toThrow(/unreachable/);
    expect(readFuel(instance.exports, 10n)).toEqual({ remaining: 0n, consumed: 10n, exhausted: true });
  });

  it('keeps the name section and drops custom sections that hold code offsets', () => {
    const base = wat('(module (func $named (export "f") (nop)))'); // has a name section
    const payload = Uint8Array.from([1, 2, 3]);
    const bytes = concat(
      base,
      customSection('.debug_info', payload),
      customSection('.debug_line', payload),
      customSection('sourceMappingURL', payload),
      customSection('metadata.code.branch_hint', payload),
      customSection('producers', payload),
    );
    const r = instrument(bytes, { fuel: 10n, memoryLimitPages: null });
    expect(r.stats.droppedCustomSections).toEqual(['.debug_info', '.debug_line', 'sourceMappingURL', 'metadata.code.branch_hint']);
    const kept = sectionsOf(r.bytes)
      .filter((s) => s.id === 0)
      .map((s) => s.name);
    expect(kept).toEqual(['name', 'producers']);
    // Without metering the code does not move: only memory capping can move the code section.
    expect(instrument(bytes, { fuel: null, memoryLimitPages: null }).stats.droppedCustomSections).toEqual([]);
  });

  it('reports statistics', () => {
    const bytes = wat(`(module
      (func (export "a") (param i32) (result i32) (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2))))
      (func (export "b")))`);
    const { stats, bytes: out } = instrument(bytes, { fuel: 100n, memoryLimitPages: null });
    expect(stats.inputBytes).toBe(bytes.length);
    expect(stats.outputBytes).toBe(out.length);
    expect(stats.functions).toBe(2);
    expect(stats.meteredSegments).toBe(3); // a: entry, then, else
    expect(stats.millis).toBeGreaterThanOrEqual(0);
  });

  it('does not modify its input', () => {
    const bytes = wat('(module (memory 1 100) (func (export "f") (loop (br 0))))');
    const copy = bytes.slice();
    instrument(bytes, { fuel: 10n, memoryLimitPages: 5 });
    expect(bytes).toEqual(copy);
  });

  it('accepts a view into a larger buffer', () => {
    const bytes = wat('(module (func (export "f") (nop)))');
    const big = new Uint8Array(bytes.length + 20);
    big.set(bytes, 10);
    const view = big.subarray(10, 10 + bytes.length);
    expect(instrument(view, { fuel: 10n, memoryLimitPages: null }).bytes).toEqual(instrument(bytes, { fuel: 10n, memoryLimitPages: null }).bytes);
  });
});

describe('errors name the problem', () => {
  /** A module with one imported function and two defined ones; `body` is the second's code. */
  function moduleWithBody(body: number[]): { bytes: Uint8Array<ArrayBuffer>; bodyOffset: number } {
    const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
    const importEntry = [1, 0x61, 1, 0x62, 0x00, 0x00]; // "a" "b" func type 0
    const fn1 = [2, 0x00, 0x0b];
    const fn2 = [...uleb(body.length + 1), 0x00, ...body];
    const head = [
      ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
      ...section(1, [1, 0x60, 0, 0]),
      ...section(2, [1, ...importEntry]),
      ...section(3, [2, 0, 0]),
    ];
    const code = [2, ...fn1, ...fn2];
    const codeHeader = [10, ...uleb(code.length)];
    const bodyOffset = head.length + codeHeader.length + 1 + fn1.length + uleb(body.length + 1).length + 1;
    return { bytes: Uint8Array.from([...head, ...codeHeader, ...code]), bodyOffset };
  }

  it('an unknown opcode is unsupported, with function index and offset', () => {
    const { bytes, bodyOffset } = moduleWithBody([0x01, 0x01, 0x17, 0x0b]);
    const e = thrown(() => instrument(bytes, { fuel: 10n, memoryLimitPages: null }));
    expect(e.kind).toBe('unsupported');
    expect(e.functionIndex).toBe(2); // 1 import + second defined function
    expect(e.offset).toBe(bodyOffset + 2);
    expect(e.message).toMatch(/unknown opcode 0x17.*function 2.*byte offset 0x/);
  });

  it('an unknown prefixed opcode names both bytes', () => {
    const { bytes } = moduleWithBody([0xfd, 0x9a, 0x01, 0x0b]);
    expect(thrown(() => instrument(bytes, { fuel: 10n, memoryLimitPages: null })).message).toMatch(/0xfd 154/);
  });

  it('a body without its final end is malformed', () => {
    const { bytes } = moduleWithBody([0x01, 0x01]);
    const e = thrown(() => instrument(bytes, { fuel: 10n, memoryLimitPages: null }));
    expect(e.kind).toBe('malformed');
    expect(e.functionIndex).toBe(2);
  });

  it('a branch deeper than the nesting is malformed', () => {
    const { bytes } = moduleWithBody([0x0c, 0x05, 0x0b]);
    expect(thrown(() => instrument(bytes, { fuel: 10n, memoryLimitPages: null })).kind).toBe('malformed');
  });

  it('bytes after the final end are malformed', () => {
    const { bytes } = moduleWithBody([0x0b, 0x01]);
    expect(thrown(() => instrument(bytes, { fuel: 10n, memoryLimitPages: null })).kind).toBe('malformed');
  });

  it('an over-long LEB is malformed', () => {
    const { bytes } = moduleWithBody([0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x1a, 0x0b]);
    expect(thrown(() => instrument(bytes, { fuel: 10n, memoryLimitPages: null })).kind).toBe('malformed');
  });

  it('a component is unsupported, garbage is malformed', () => {
    const component = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]);
    expect(thrown(() => instrument(component, { fuel: null, memoryLimitPages: null })).kind).toBe('unsupported');
    expect(thrown(() => instrument(Uint8Array.from([1, 2, 3]), { fuel: null, memoryLimitPages: null })).kind).toBe('malformed');
  });

  it('a module the engine rejects is malformed even when it decodes', () => {
    // i32.const where an i64 is expected: well-formed bytes, invalid types
    const bytes = wat('(module (func (result i32) (i32.const 1)))');
    const broken = new Uint8Array(bytes);
    broken[broken.lastIndexOf(0x41)] = 0x42;
    const e = thrown(() => instrument(broken, { fuel: 10n, memoryLimitPages: null }));
    expect(e.kind).toBe('malformed');
    expect(e.message).toMatch(/not valid WebAssembly/);
  });
});
