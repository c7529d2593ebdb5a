/**
 * Test support for the instrumenter (imported by *.test.ts only): WAT compilation with wabt,
 * an independent validator (binaryen, all features), random modules from `wasm-opt -ttf`, a seeded
 * PRNG, and a minimal section reader for asserting on output structure.
 */
import { concatBytes } from '../../core/util/bytes.ts';
import { mulberry32 } from '../../core/util/prng.ts';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import binaryen from 'binaryen';
import wabtInit from 'wabt';
import { Reader } from '../../core/instrument/reader.ts';

const wabt = await wabtInit();

const ALL_WABT_FEATURES = {
  exceptions: true,
  mutable_globals: true,
  sat_float_to_int: true,
  sign_extension: true,
  simd: true,
  threads: true,
  multi_value: true,
  tail_call: true,
  bulk_memory: true,
  reference_types: true,
  memory64: true,
  extended_const: true,
  relaxed_simd: true,
};

/** Compiles WebAssembly text with wabt (every feature wabt's JS build knows). */
export function wat(source: string): Uint8Array<ArrayBuffer> {
  const module = wabt.parseWat('test.wat', source, ALL_WABT_FEATURES);
  try {
    module.resolveNames();
    module.validate();
    return new Uint8Array(module.toBinary({ write_debug_names: true }).buffer);
  } finally {
    module.destroy();
  }
}

/** Compiles WebAssembly text with binaryen (for GC, typed function references, multi-memory). */
export function watBinaryen(source: string): Uint8Array<ArrayBuffer> {
  const module = binaryen.parseText(source);
  try {
    module.setFeatures(binaryen.Features.All);
    if (!module.validate()) throw new Error('binaryen rejects the test module');
    return new Uint8Array(module.emitBinary());
  } finally {
    module.dispose();
  }
}

/** Validates with binaryen with every feature enabled: an oracle independent of V8. */
export function binaryenValidates(bytes: Uint8Array): boolean {
  let module: binaryen.Module;
  try {
    // binaryen.js takes the feature set as an (untyped) second argument
    const readWithFeatures = binaryen.readBinary as (data: Uint8Array, features: binaryen.Features) => binaryen.Module;
    module = readWithFeatures(bytes, binaryen.Features.All);
  } catch {
    return false;
  }
  try {
    return module.validate() !== 0;
  } finally {
    module.dispose();
  }
}

/** Validates with wabt with every feature its JS build knows. */
export function wabtValidates(bytes: Uint8Array): boolean {
  try {
    const module = wabt.readWasm(bytes, { check: true, ...ALL_WABT_FEATURES });
    try {
      module.validate();
      return true;
    } finally {
      module.destroy();
    }
  } catch {
    return false;
  }
}

/** A seeded PRNG of floats in [0, 1), so random tests are repeatable. */
export function prng(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() / 4294967296;
}

const run = promisify(execFile);
const WASM_OPT = resolve(import.meta.dirname, '../../../node_modules/.bin/wasm-opt');

/**
 * Random valid modules from binaryen's translate-to-fuzz, from seeded random input files;
 * at most `parallel` wasm-opt processes at a time.
 */
export async function fuzzModules(
  seeds: number[],
  inputBytes: number,
  features: string[],
  parallel = 2,
): Promise<Uint8Array<ArrayBuffer>[]> {
  const dir = await mkdtemp(join(tmpdir(), 'kavach-ttf-'));
  try {
    const results: Uint8Array<ArrayBuffer>[] = new Array(seeds.length);
    let next = 0;
    const worker = async () => {
      while (next < seeds.length) {
        const i = next++;
        const random = prng(seeds[i]);
        const input = new Uint8Array(inputBytes);
        for (let k = 0; k < input.length; k++) input[k] = Math.floor(random() * 256);
        const inFile = join(dir, `in-${i}.bin`);
        const outFile = join(dir, `out-${i}.wasm`);
        await writeFile(inFile, input);
        await run(WASM_OPT, ['-ttf', inFile, '-o', outFile, ...features]);
        results[i] = new Uint8Array(await readFile(outFile));
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface RawSection {
  id: number;
  name: string | null;
  content: Uint8Array;
}

/** Splits a module into sections (no validation: for asserting on instrumenter output). */
export function sectionsOf(bytes: Uint8Array): RawSection[] {
  const sections: RawSection[] = [];
  const r = new Reader(bytes, 8);
  while (r.pos < r.end) {
    const id = r.u8();
    const size = r.u32();
    const start = r.pos;
    const name = id === 0 ? r.name() : null;
    sections.push({ id, name, content: bytes.subarray(start, start + size) });
    r.pos = start + size;
  }
  return sections;
}

/** The limits of every memory in a module's memory section. */
export function memoryLimits(bytes: Uint8Array): { flags: number; min: number; max: number | null }[] {
  const section = sectionsOf(bytes).find((s) => s.id === 5);
  if (section === undefined) return [];
  const r = new Reader(section.content);
  return Array.from({ length: r.u32() }, () => {
    const flags = r.u8();
    const min = r.u64AsNumber();
    const max = (flags & 1) !== 0 ? r.u64AsNumber() : null;
    return { flags, min, max };
  });
}

/** A custom section (id 0) with the given name and payload. */
export function customSection(name: string, payload: Uint8Array): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  const content = [...uleb(nameBytes.length), ...nameBytes, ...payload];
  return Uint8Array.from([0, ...uleb(content.length), ...content]);
}

export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  return concatBytes(parts);
}
