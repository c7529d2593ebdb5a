import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InstrumentError, instrument, type InstrumentOptions } from './index.ts';
import { prng, uleb, wat } from '../../testing/instrument/modules.ts';

const example = (name: string) => new Uint8Array(readFileSync(resolve(import.meta.dirname, `../../../public/examples/${name}.wasm`)));

const METERED: InstrumentOptions = { fuel: 1_000_000n, memoryLimitPages: 64 };
const UNGATED: InstrumentOptions = { ...METERED, validate: false };

interface Tally {
  valid: number;
  refused: number;
  problems: string[];
}

/**
 * Every input either yields a module that passes WebAssembly.validate or an InstrumentError.
 * Without the engine gate, an input the engine accepts must still yield a valid module.
 */
function probe(inputs: Iterable<Uint8Array<ArrayBuffer>>): Tally {
  const tally: Tally = { valid: 0, refused: 0, problems: [] };
  let i = 0;
  for (const input of inputs) {
    try {
      const { bytes } = instrument(input, METERED);
      if (WebAssembly.validate(bytes)) tally.valid++;
      else tally.problems.push(`#${i}: invalid output returned`);
    } catch (e) {
      if (e instanceof InstrumentError) tally.refused++;
      else tally.problems.push(`#${i}: ${String(e)}`);
    }
    if (WebAssembly.validate(input)) {
      try {
        if (!WebAssembly.validate(instrument(input, UNGATED).bytes)) tally.problems.push(`#${i}: valid input, invalid output`);
      } catch (e) {
        if (!(e instanceof InstrumentError && e.kind === 'memory-limit')) tally.problems.push(`#${i}: valid input refused: ${String(e)}`);
      }
    }
    i++;
  }
  return tally;
}

function* truncations(bytes: Uint8Array<ArrayBuffer>): Generator<Uint8Array<ArrayBuffer>> {
  for (let n = 0; n <= bytes.length; n++) yield bytes.slice(0, n);
}

function* bitFlips(bytes: Uint8Array<ArrayBuffer>, count: number, seed: number): Generator<Uint8Array<ArrayBuffer>> {
  const random = prng(seed);
  for (let i = 0; i < count; i++) {
    const mutated = bytes.slice();
    const flips = 1 + Math.floor(random() * 4);
    for (let f = 0; f < flips; f++) {
      // Skip the 8-byte header most of the time: flipping it only tests the magic check.
      const at = random() < 0.05 ? Math.floor(random() * 8) : 8 + Math.floor(random() * (bytes.length - 8));
      mutated[at] ^= 1 << Math.floor(random() * 8);
    }
    yield mutated;
  }
}

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

describe('robustness: never a crash, a hang or an invalid output', () => {
  it('survives truncation at every byte boundary of a small module', () => {
    const bytes = wat(`(module
      (import "env" "log" (func $log (param i32)))
      (memory 1 10) (table 2 funcref) (global $g (mut i32) (i32.const 0))
      (func $a (export "a") (param i32) (result i32)
        (block $b (loop $l (br_if $b (i32.eqz (local.get 0)))
          (local.set 0 (i32.sub (local.get 0) (i32.const 1))) (call $log (local.get 0)) (br $l)))
        (memory.fill (i32.const 0) (i32.const 1) (i32.const 100))
        (i32.load (i32.const 0)))
      (elem (i32.const 0) $a)
      (data (i32.const 8) "data"))`);
    const tally = probe(truncations(bytes));
    expect(tally.problems).toEqual([]);
    expect(tally.valid).toBeGreaterThan(0); // prefixes ending on a section boundary are modules too
    expect(tally.refused).toBeGreaterThan(bytes.length / 2);
  });

  it('survives truncation at every byte boundary of a real WASI program', () => {
    const tally = probe(truncations(example('hello')));
    expect(tally.problems).toEqual([]);
    expect(tally.refused).toBeGreaterThan(3000);
  });

  it('survives thousands of random bit flips of real modules', () => {
    const small = probe(bitFlips(example('hello'), 3000, 1));
    const large = probe(bitFlips(example('cat'), 400, 2));
    for (const tally of [small, large]) {
      expect(tally.problems).toEqual([]);
      expect(tally.valid).toBeGreaterThan(50);
      expect(tally.refused).toBeGreaterThan(50);
    }
  });

  it('refuses random garbage, with or without a valid header', () => {
    const random = prng(3);
    const inputs: Uint8Array<ArrayBuffer>[] = [];
    for (let i = 0; i < 2000; i++) {
      const length = Math.floor(random() * (i % 10 === 0 ? 20000 : 200));
      const bytes = new Uint8Array(length + 8);
      for (let k = 0; k < bytes.length; k++) bytes[k] = Math.floor(random() * 256);
      if (i % 2 === 0) bytes.set(HEADER);
      inputs.push(bytes);
    }
    const tally = probe(inputs);
    expect(tally.problems).toEqual([]);
    expect(tally.refused).toBeGreaterThan(1900);
  });

  it('handles hostile sizes and counts without hanging or allocating them', () => {
    const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
    const huge = [0xff, 0xff, 0xff, 0xff, 0x0f];
    const cases: number[][] = [
      [...HEADER, 1, ...huge], // section larger than the file
      [...HEADER, ...section(1, huge)], // 2^32-1 types in 5 bytes
      [...HEADER, ...section(3, huge)], // 2^32-1 functions
      [...HEADER, ...section(10, huge)], // 2^32-1 bodies
      [...HEADER, ...section(1, [1, 0x60, 0, 0]), ...section(3, [1, 0]), ...section(10, [1, 4, 1, ...huge.slice(0, 4), 0x7f])], // locals
      [...HEADER, ...section(1, [1, 0x60, 0, 0]), ...section(3, [1, 0]), ...section(10, [1, 5, 0, 0x0e, ...huge.slice(0, 3)])], // br_table
      [...HEADER, ...section(1, [1, 0x60, 0, 0]), ...section(3, [1, 0]), ...section(10, [1, 3, 0, 0x0b, 0x0b])], // extra end
      [...HEADER, ...section(1, [1, 0x60, 0, 0]), ...section(3, [1, 0]), ...section(10, [1, 2, 0, 0x02])], // unclosed block
      [...HEADER, ...section(1, [1, 0x60, 0, 0]), ...section(3, [2, 0, 0]), ...section(10, [1, 2, 0, 0x0b])], // count mismatch
      [...HEADER, ...section(5, [1, 0x08, 1])], // custom page size memory
      [...HEADER, 0x0e, 0x00], // unknown section id
      [...HEADER, ...section(1, [0x80, 0x80, 0x80, 0x80, 0x80, 0x01])], // over-long LEB
    ];
    const tally = probe(cases.map((c) => Uint8Array.from(c)));
    expect(tally.problems).toEqual([]);
    expect(tally.refused).toBe(cases.length);
  });

  it('copes with deep nesting and very long bodies', () => {
    const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
    const moduleWithCode = (code: number[]) => {
      const body = [1, 1, 0x7f, ...code, 0x0b];
      return Uint8Array.from([
        ...HEADER,
        ...section(1, [1, 0x60, 0, 0]),
        ...section(3, [1, 0]),
        ...section(10, [1, ...uleb(body.length), ...body]),
      ]);
    };
    const depth = 50_000;
    const nested = moduleWithCode([...new Array<number>(depth).fill(0).flatMap(() => [0x02, 0x40]), ...new Array<number>(depth).fill(0x0b)]);
    // local.set 0 (i32.add (local.get 0) (i32.const 1)), 200,000 times
    const long = moduleWithCode(new Array<number>(200_000).fill(0).flatMap(() => [0x20, 0, 0x41, 1, 0x6a, 0x21, 0]));
    const tally = probe([nested, long]);
    expect(tally.problems).toEqual([]);
    expect(tally.valid).toBe(2);
  });

  it('copies a large custom section through', () => {
    const payload = new Uint8Array(16 << 20).fill(7);
    const name = [...uleb(4), 0x64, 0x61, 0x74, 0x61]; // "data"
    const bytes = Uint8Array.from([...HEADER, 0, ...uleb(name.length + payload.length), ...name]);
    const module = new Uint8Array(bytes.length + payload.length);
    module.set(bytes);
    module.set(payload, bytes.length);
    const { bytes: out } = instrument(module, METERED);
    expect(out.length).toBeGreaterThan(payload.length);
    expect(WebAssembly.validate(out)).toBe(true);
  });
});
