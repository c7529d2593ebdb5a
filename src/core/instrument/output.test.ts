/**
 * The rewriter's output, byte for byte: SHA-256 digests of what `instrument` makes of the bundled
 * modules (examples, bench programs, attacks, conformance programs, binaryen's own 9.9 MB wasm)
 * and of generated programs of every control-flow shape, under three option sets. The digests were
 * recorded before the throughput work on the rewriter (issue 14), which must not change a byte. A
 * deliberate change of the output updates them, and says why here and in its commit.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { binaryenWasm } from '../../../bench/binaryen-wasm.ts';
import { toBinary } from './counted.ts';
import { InstrumentError, instrument, type InstrumentOptions } from './index.ts';
import { randomProgram } from './instrument.fuzz.ts';
import { prng } from '../../testing/instrument/modules.ts';

const root = resolve(import.meta.dirname, '../../..');

const OPTIONS: Record<string, InstrumentOptions> = {
  metered: { fuel: 1_000_000n, memoryLimitPages: null, validate: false },
  'metered, capped, start deferred': { fuel: 123_456_789_012n, memoryLimitPages: 300, deferStart: true, validate: false },
  'capped only': { fuel: null, memoryLimitPages: 64, validate: false },
  'metered, joins not merged': { fuel: 1_000_000n, memoryLimitPages: null, validate: false, mergeJoins: false, mergeCases: false },
};

function wasmFiles(dir: string): Uint8Array[] {
  return readdirSync(resolve(root, dir))
    .filter((f) => f.endsWith('.wasm'))
    .sort()
    .map((f) => new Uint8Array(readFileSync(resolve(root, dir, f))));
}

function generated(count: number, seed: number): Uint8Array[] {
  const random = prng(seed);
  return Array.from({ length: count }, (_, i) => toBinary(randomProgram(random, i % 3 === 0)));
}

/** One digest over every output (or refusal) of `modules` under `options`. */
function digest(modules: Uint8Array[], options: InstrumentOptions): string {
  const hash = createHash('sha256');
  for (const bytes of modules) {
    try {
      const out = instrument(bytes, options);
      hash.update(`${out.bytes.length}:`);
      hash.update(out.bytes);
    } catch (e) {
      if (!(e instanceof InstrumentError)) throw e;
      hash.update(`refused ${e.kind}: ${e.message}`);
    }
  }
  return hash.digest('hex').slice(0, 16);
}

const corpora: Record<string, () => Uint8Array[]> = {
  'public/examples': () => wasmFiles('public/examples'),
  'bench/programs': () => wasmFiles('bench/programs'),
  attacks: () => wasmFiles('attacks/wasm'),
  conformance: () => wasmFiles('conformance/wasm'),
  'binaryen.wasm': () => [binaryenWasm()],
  '600 generated programs': () => generated(600, 14_2026),
};

/**
 * Recorded at f771f83, before the throughput work. The metered digests were recorded again for two
 * deliberate changes of the metering code (issue 14, Yosys): a failed check calls one shared
 * out-of-fuel function instead of carrying its own write-back, and a charge is `i64.const -c;
 * i64.add` instead of `i64.const c; i64.sub` (the "capped only" digests did not move); and a third
 * time when a join's charge was merged into the segment its construct began in (body.ts, "Joins"),
 * and a fourth when a switch's charge moved into the cases it alone enters (body.ts, "Cases"; the
 * examples and attacks have no such switch and did not move). With `mergeJoins: false` and
 * `mergeCases: false` the output is byte for byte what it was before both: the "joins not merged"
 * digests are the "metered" ones recorded before the joins change.
 */
const RECORDED: Record<string, string> = {
    'public/examples, metered': 'fe814528fa2b26b8',
    'public/examples, metered, capped, start deferred': '3385a7f74ea99423',
    'public/examples, capped only': '7c400fd626b90046',
    'public/examples, metered, joins not merged': '9b128379cbdda30c',
    'bench/programs, metered': '63a59246d79ec223',
    'bench/programs, metered, capped, start deferred': '5a2cdbbb2597048f',
    'bench/programs, capped only': 'f4c81028f773b976',
    'bench/programs, metered, joins not merged': 'bb4e66f5206d9c30',
    'attacks, metered': '003cd595bdf7847b',
    'attacks, metered, capped, start deferred': '88e763b344c654dc',
    'attacks, capped only': '4c43440fa709d976',
    'attacks, metered, joins not merged': '6b86c38717affc33',
    'conformance, metered': '9836c02964c526ea',
    'conformance, metered, capped, start deferred': 'd02debc25b6642cc',
    'conformance, capped only': 'f48e30eb46fddb2c',
    'conformance, metered, joins not merged': '2b1731c0c80afbae',
    'binaryen.wasm, metered': '2c8ffa4a640873ea',
    'binaryen.wasm, metered, capped, start deferred': 'd9b51bdd97e4e796',
    'binaryen.wasm, capped only': '75673c046d52869e',
    'binaryen.wasm, metered, joins not merged': '36dd29801ee311a0',
    '600 generated programs, metered': '48e175fe8aec33ab',
    '600 generated programs, metered, capped, start deferred': '83a7f002c235f75c',
    '600 generated programs, capped only': '663e680fb5fac614',
    '600 generated programs, metered, joins not merged': 'b09ea23537bac92f',
  };

it('instruments every corpus to the recorded bytes', () => {
  const actual: Record<string, string> = {};
  for (const [name, load] of Object.entries(corpora)) {
    const modules = load();
    for (const [label, options] of Object.entries(OPTIONS)) actual[`${name}, ${label}`] = digest(modules, options);
  }
  expect(actual).toEqual(RECORDED);
});
