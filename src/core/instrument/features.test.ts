import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Imm, SINGLE, prefixedKind } from './opcodes.ts';
import { FUEL_REMAINING_EXPORT, InstrumentError, instrument, readFuel } from './index.ts';
import { binaryenValidates, fuzzModules, uleb, wabtValidates, wat, watBinaryen } from '../../testing/instrument/modules.ts';

const AMPLE = 1n << 40n;

/** Instruments without the engine gate, so the checks below are the only judge of validity. */
function meter(bytes: Uint8Array, fuel: bigint = AMPLE): Uint8Array<ArrayBuffer> {
  return instrument(bytes, { fuel, memoryLimitPages: null, validate: false }).bytes;
}

/** Runs an export on the plain and the instrumented module; returns both results and the fuel. */
function compare(bytes: Uint8Array<ArrayBuffer>, name: string, args: unknown[] = []) {
  const call = (b: Uint8Array<ArrayBuffer>) => {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(b));
    return { value: (instance.exports[name] as (...a: unknown[]) => unknown)(...args), instance };
  };
  const plain = call(bytes);
  const metered = call(meter(bytes));
  return { plain: plain.value, metered: metered.value, fuel: readFuel(metered.instance.exports, AMPLE) };
}

describe('features V8 runs: instrumented, validated by V8 and binaryen, same results', () => {
  const cases: Record<string, { source: string; name: string; args: unknown[]; binaryenText?: boolean }> = {
    simd: {
      name: 'simd',
      args: [5],
      source: `(module (memory 1)
        (func (export "simd") (param $x i32) (result i32) (local $v v128)
          (local.set $v (i32x4.splat (local.get $x)))
          (local.set $v (i32x4.add (local.get $v) (v128.const i32x4 1 2 3 4)))
          (v128.store (i32.const 16) (local.get $v))
          (local.set $v (v128.load32_lane 1 (i32.const 16) (local.get $v)))
          (local.set $v (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 (local.get $v) (local.get $v)))
          (i32.add (i32x4.extract_lane 3 (local.get $v)) (i8x16.extract_lane_u 0 (local.get $v)))))`,
    },
    legacyExceptions: {
      name: 'eh',
      args: [3],
      source: `(module (tag $e (param i32))
        (func $throw (param i32) (throw $e (local.get 0)))
        (func (export "eh") (param $x i32) (result i32)
          (try $outer (result i32)
            (do
              (try $inner (do (call $throw (local.get $x))) (delegate $outer))
              (i32.const -1))
            (catch $e
              (drop)
              (try (result i32)
                (do (rethrow $outer))
                (catch $e (i32.add (i32.const 100))))))))`,
    },
    bulkAndReferences: {
      name: 'bulk',
      args: [],
      source: `(module (memory 1) (data $d "hello world")
        (table $t 4 funcref) (elem $e func $f0 $f1)
        (func $f0 (result i32) (i32.const 10)) (func $f1 (result i32) (i32.const 20))
        (func (export "bulk") (result i32)
          (memory.init $d (i32.const 0) (i32.const 0) (i32.const 11))
          (data.drop $d)
          (memory.copy (i32.const 100) (i32.const 0) (i32.const 11))
          (table.init $t $e (i32.const 0) (i32.const 0) (i32.const 2))
          (elem.drop $e)
          (table.copy $t $t (i32.const 2) (i32.const 0) (i32.const 2))
          (table.set $t (i32.const 1) (table.get $t (i32.const 2)))
          (drop (select (result funcref) (ref.null func) (ref.null func) (i32.const 1)))
          (drop (ref.is_null (ref.null func)))
          (i32.add (i32.load8_u (i32.const 104)) (call_indirect (result i32) (i32.const 3)))))`,
    },
    atomics: {
      name: 'atomics',
      args: [],
      binaryenText: true, // wabt's JS build refuses shared memories
      source: `(module (memory 1 1 shared)
        (func (export "atomics") (result i32)
          (i32.atomic.store (i32.const 0) (i32.const 5))
          (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 3)))
          (atomic.fence)
          (drop (memory.atomic.notify (i32.const 0) (i32.const 1)))
          (i32.atomic.rmw.cmpxchg (i32.const 0) (i32.const 8) (i32.const 9))))`,
    },
    multiValue: {
      name: 'mv',
      args: [20],
      source: `(module
        (func (export "mv") (param i32) (result i32)
          (local.get 0)
          (block (param i32) (result i32 i32) (local.tee 0) (local.get 0))
          (i32.add)))`,
    },
    signExtAndSaturation: {
      name: 'ext',
      args: [],
      source: `(module
        (func (export "ext") (result i32)
          (i32.add (i32.extend8_s (i32.const 255)) (i32.trunc_sat_f64_s (f64.const 1e30)))))`,
    },
  };

  for (const [feature, { source, name, args, binaryenText }] of Object.entries(cases)) {
    it(feature, () => {
      const bytes = binaryenText === true ? watBinaryen(source) : wat(source);
      const out = meter(bytes);
      expect(WebAssembly.validate(out)).toBe(true);
      expect(binaryenValidates(out)).toBe(true);
      const r = compare(bytes, name, args);
      expect(r.metered).toEqual(r.plain);
      expect(r.fuel.consumed).toBeGreaterThan(0n);
    });
  }
});

/**
 * Features Node 20's V8 lacks (new exception handling, GC, typed function references,
 * multi-memory, memory64): validated by binaryen, and executed by binaryen's interpreter
 * (wasm-shell) with exact fuel counts read from the exported global.
 */
describe('features beyond Node 20: validated by binaryen, exact fuel in binaryen\u2019s interpreter', () => {
  const BUDGET = 100_000n;
  interface ShellCase {
    module: Uint8Array;
    /** wabt's JS build knows exceptions and memory64 but not GC or multi-memory. */
    wabt: boolean;
    calls: { name: string; args: string; result: string | null; consumed: bigint }[];
  }
  const exnref = wat(`(module
    (tag $e (param i32))
    (func $thrower (param i32) (throw $e (local.get 0)))
    (func (export "caught") (param $x i32) (result i32)
      (block $h (result i32)
        (try_table (catch $e $h) (call $thrower (local.get $x)))
        (i32.const 0)))
    (func (export "branch") (param $x i32) (result i32)
      (block $h (result i32)
        (br_if $h (i32.const 7) (local.get $x))
        (drop)
        (try_table (catch $e $h) (call $thrower (i32.const 9)))
        (i32.const 0)))
    (func (export "rethrown") (param $x i32) (result i32)
      (block $outer (result i32)
        (try_table (catch $e $outer)
          (block $h (result exnref)
            (try_table (catch_all_ref $h) (call $thrower (local.get $x)))
            (return (i32.const 0)))
          (throw_ref))
        (i32.const -1)))
    (func (export "retry") (param $n i32) (result i32) (local $tries i32)
      (loop $again
        (local.set $tries (i32.add (local.get $tries) (i32.const 1)))
        (try_table (catch_all $again)
          (if (i32.lt_u (local.get $tries) (local.get $n)) (then (call $thrower (i32.const 0))))))
      (local.get $tries))
    (func (export "ifcatch") (param $x i32) (result i32) (local $r i32)
      (if (local.get $x)
        (then
          (try_table (catch_all 0) (call $thrower (i32.const 1)))
          (local.set $r (i32.const 5))))
      (i32.add (local.get $r) (i32.const 10))))`);
  const gc = watBinaryen(`(module
    (type $pt (struct (field (mut i32)) (field (mut i32))))
    (type $arr (array (mut i32)))
    (func (export "arr") (param $n i32) (result i32) (local $a (ref null $arr))
      (local.set $a (array.new $arr (i32.const 7) (local.get $n)))
      (array.fill $arr (local.get $a) (i32.const 0) (i32.const 3) (local.get $n))
      (array.len (local.get $a)))
    (func (export "cast") (param $i i32) (result i32) (local $any anyref)
      (local.set $any (if (result anyref) (local.get $i)
        (then (struct.new $pt (i32.const 1) (i32.const 2)))
        (else (ref.i31 (i32.const 3)))))
      (block $isPt (result (ref $pt))
        (br_on_cast $isPt anyref (ref $pt) (local.get $any))
        (drop)
        (return (i32.const 100)))
      (struct.get $pt 0)))`);
  const funcRefs = watBinaryen(`(module
    (type $fn (func (param i32) (result i32)))
    (elem declare func $double)
    (func $double (type $fn) (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
    (func $tail (param $f (ref $fn)) (result i32) (return_call_ref $fn (i32.const 21) (local.get $f)))
    (func (export "refs") (param $null i32) (result i32) (local $f (ref null $fn))
      (if (i32.eqz (local.get $null)) (then (local.set $f (ref.func $double))))
      (block $isNull
        (return (call $tail (br_on_null $isNull (local.get $f)))))
      (i32.const -1)))`);
  // (binaryen cannot represent memory.copy between a 32-bit and a 64-bit memory)
  const memories = watBinaryen(`(module (memory $a 1 10) (memory $b i64 1 20) (memory $c i64 1 20)
    (func (export "mm") (param $n i32) (result i32)
      (memory.fill $b (i64.const 0) (i32.const 1) (i64.extend_i32_u (local.get $n)))
      (memory.copy $c $b (i64.const 0) (i64.const 0) (i64.extend_i32_u (local.get $n)))
      (memory.copy $a $a (i32.const 8) (i32.const 0) (local.get $n))
      (drop (memory.grow $b (i64.const 1)))
      (i32.add (i32.load8_u $c (i64.const 0)) (i32.load8_u $b (i64.const 3)))))`);

  const cases: Record<string, ShellCase> = {
    'new exception handling (try_table, catch_all_ref, throw_ref)': {
      module: exnref,
      wabt: true,
      calls: [
        // block try_table local.get call i32.const = 4 (one segment), thrower 2; landing reloads
        { name: 'caught', args: '(i32.const 5)', result: '(i32.const 5)', consumed: 6n },
        // i32.const local.get br_if = 3: the edge into the catch target writes the global first
        { name: 'branch', args: '(i32.const 1)', result: '(i32.const 7)', consumed: 3n },
        // ... + drop try_table i32.const call i32.const = 4, thrower 2
        { name: 'branch', args: '(i32.const 0)', result: '(i32.const 9)', consumed: 9n },
        // try_table try_table local.get call i32.const = 5, thrower 2, throw_ref 1
        { name: 'rethrown', args: '(i32.const 4)', result: '(i32.const 4)', consumed: 8n },
        // a loop label as catch target: header segment 9 (set tries, try_table, the if's test),
        // then-arm i32.const call 2, thrower 2; twice caught, then 9 + local.get
        { name: 'retry', args: '(i32.const 3)', result: '(i32.const 3)', consumed: 13n + 13n + 10n },
        // an if label as catch target: local.get if 2 | try_table i32.const call i32.const
        // local.set 5 (one segment, charged in full), thrower 2 | landing local.get i32.const i32.add 3
        { name: 'ifcatch', args: '(i32.const 1)', result: '(i32.const 10)', consumed: 12n },
        // the false edge into the same landing must write the counter back first
        { name: 'ifcatch', args: '(i32.const 0)', result: '(i32.const 10)', consumed: 5n },
      ],
    },
    'GC (arrays charged per 8 elements, br_on_cast)': {
      module: gc,
      wabt: false,
      calls: [
        { name: 'arr', args: '(i32.const 80)', result: '(i32.const 80)', consumed: 11n + 20n },
        { name: 'arr', args: '(i32.const 0)', result: '(i32.const 0)', consumed: 11n },
        // local.get if | i32.const i32.const struct.new | local.set local.get br_on_cast | struct.get
        { name: 'cast', args: '(i32.const 1)', result: '(i32.const 1)', consumed: 9n },
        // local.get if | i32.const ref.i31 | local.set local.get br_on_cast | i32.const
        { name: 'cast', args: '(i32.const 0)', result: '(i32.const 100)', consumed: 8n },
      ],
    },
    'typed function references (br_on_null, return_call_ref)': {
      module: funcRefs,
      wabt: false,
      calls: [
        // local.get i32.eqz if | ref.func local.set | local.get br_on_null | call = 8;
        // tail: i32.const local.get return_call_ref = 3; double: local.get i32.const i32.mul = 3
        { name: 'refs', args: '(i32.const 0)', result: '(i32.const 42)', consumed: 14n },
        // local.get i32.eqz if | local.get br_on_null | i32.const
        { name: 'refs', args: '(i32.const 1)', result: '(i32.const -1)', consumed: 6n },
      ],
    },
    'multi-memory and memory64 (bulk charges by the right index type)': {
      module: memories,
      wabt: false,
      calls: [
        // fill 5 + 640/64, copy64 5 + 640/64, copy32 4 + 640/64, grow 2 + 1024 (one page), 5
        { name: 'mm', args: '(i32.const 640)', result: '(i32.const 2)', consumed: 1075n },
      ],
    },
  };

  for (const [feature, c] of Object.entries(cases)) {
    it(`${feature}: validates`, () => {
      const out = meter(c.module, BUDGET);
      expect(binaryenValidates(c.module)).toBe(true);
      expect(binaryenValidates(out)).toBe(true);
      expect(wabtValidates(c.module)).toBe(c.wabt);
      expect(wabtValidates(out)).toBe(c.wabt);
    });
  }

  it('counts exactly when run by wasm-shell', async () => {
    // One wasm-shell process for all modules: each call runs on a fresh instance.
    const lines: string[] = [];
    for (const c of Object.values(cases)) {
      const instrumented = meter(c.module, BUDGET);
      for (const call of c.calls) {
        lines.push(`(module binary "${[...instrumented].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('')}")`);
        lines.push(`(assert_return (invoke "${call.name}" ${call.args})${call.result === null ? '' : ` ${call.result}`})`);
        lines.push(`(assert_return (get "${FUEL_REMAINING_EXPORT}") (i64.const ${BUDGET - call.consumed}))`);
      }
    }
    const output = await wasmShell(lines.join('\n'));
    expect(output).toMatch(/all checks passed/);
  });

  it('validates random modules of each feature set (wasm-opt -ttf)', async () => {
    const base = ['--mvp-features', '--enable-sign-ext', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-mutable-globals', '--enable-multivalue'];
    const sets = [
      [...base, '--enable-exception-handling', '--enable-reference-types', '--enable-gc', '--enable-tail-call'],
      [...base, '--enable-multimemory', '--enable-memory64', '--enable-extended-const'],
      [...base, '--enable-simd', '--enable-relaxed-simd', '--enable-threads'],
    ];
    const modules = (await Promise.all(sets.map((features, i) => fuzzModules([77 + i], 24_000, features, 1)))).flat();
    for (const m of modules) {
      expect(binaryenValidates(m)).toBe(true);
      const out = meter(m);
      expect(binaryenValidates(out)).toBe(true);
      expect(out.length).toBeGreaterThan(m.length);
    }
  });

  it('has an oracle that rejects invalid modules', () => {
    const valid = wat(`(module (func (export "f") (result i32) (i32.const 1)))`);
    const broken = new Uint8Array(valid);
    broken[broken.indexOf(0x41)] = 0x42; // i32.const -> i64.const: type error
    expect(binaryenValidates(valid)).toBe(true);
    expect(binaryenValidates(broken)).toBe(false);
    expect(wabtValidates(broken)).toBe(false);
  });
});

describe('the opcode table', () => {
  /**
   * One function per opcode: the op with all-zero immediates in unreachable code (so any operand
   * types check) in a module where every index space has an entry 0. For GC ops type 0 is a struct
   * or an array type.
   */
  function moduleWith(code: number[], gcType: 'struct' | 'array' | null = null): Uint8Array<ArrayBuffer> {
    const body = [1, 1, 0x7f, 0x00, ...code, 0x1a, 0x0b];
    const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
    const types =
      gcType === null
        ? [1, 0x60, 0, 0]
        : [2, ...(gcType === 'struct' ? [0x5f, 1, 0x7f, 1] : [0x5e, 0x7f, 1]), 0x60, 0, 0];
    const funcType = gcType === null ? 0 : 1;
    return Uint8Array.from([
      ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
      ...section(1, types),
      ...section(3, [1, funcType]),
      ...section(4, [1, 0x70, 0, 1]),
      ...section(5, [1, 0, 1]),
      ...section(13, [1, 0, funcType]),
      ...section(6, [1, 0x7f, 1, 0x41, 0, 0x0b]),
      ...section(9, [1, 3, 0, 1, 0]),
      ...section(12, [1]),
      ...section(10, [1, ...uleb(body.length), ...body]),
      ...section(11, [1, 1, 0]),
    ]);
  }

  const zeros: Record<number, number[]> = {
    [Imm.None]: [],
    [Imm.U32]: [0],
    [Imm.U32x2]: [0, 0],
    [Imm.MemArg]: [0, 0],
    [Imm.MemArgLane]: [0, 0, 0],
    [Imm.S32]: [0],
    [Imm.S64]: [0],
    [Imm.Bytes4]: [0, 0, 0, 0],
    [Imm.Bytes8]: new Array(8).fill(0),
    [Imm.Bytes16]: new Array(16).fill(0),
    [Imm.Byte]: [0],
    [Imm.HeapType]: [0x70],
    [Imm.SelectT]: [1, 0x7f],
  };

  function accepted(bytes: Uint8Array<ArrayBuffer>): boolean {
    try {
      meter(bytes);
      return true;
    } catch (e) {
      if (!(e instanceof InstrumentError)) throw e;
      expect(e.kind).toBe('unsupported');
      expect(e.functionIndex).toBe(0);
      return false;
    }
  }

  const ops: { label: string; code: number[]; kind: number; prefix: number | null }[] = [];
  for (let op = 0; op < 256; op++) {
    const kind = SINGLE[op];
    if (kind === Imm.Control || kind === Imm.Prefix) continue;
    ops.push({ label: `0x${op.toString(16)}`, code: [op, ...(zeros[kind] ?? [])], kind, prefix: null });
  }
  for (const [prefix, count] of [[0xfb, 40], [0xfc, 30], [0xfd, 300], [0xfe, 90]] as const) {
    for (let sub = 0; sub < count; sub++) {
      const kind = prefixedKind(prefix, sub);
      if (kind === Imm.Control) continue;
      ops.push({ label: `0x${prefix.toString(16)} ${sub}`, code: [prefix, ...uleb(sub), ...(zeros[kind] ?? [])], kind, prefix });
    }
  }

  it('knows every op V8 accepts, and nothing no validator accepts', () => {
    const missing: string[] = [];
    const invented: string[] = [];
    for (const { label, code, kind, prefix } of ops) {
      const bytes = moduleWith(code);
      const known = accepted(bytes);
      expect(known).toBe(kind !== Imm.Unknown);
      const v8 = WebAssembly.validate(bytes);
      if (v8 && !known) missing.push(label);
      if (!known) continue;
      if (v8) {
        expect(WebAssembly.validate(meter(bytes))).toBe(true);
        continue;
      }
      const other =
        prefix === 0xfb
          ? binaryenValidates(moduleWith(code, 'struct')) || binaryenValidates(moduleWith(code, 'array'))
          : binaryenValidates(bytes);
      if (!other) invented.push(label);
    }
    expect(missing).toEqual([]);
    // array.new_elem and array.init_elem need an array of references, which this harness lacks.
    expect(invented).toEqual(['0xfb 10', '0xfb 19']);
  });
});

const run = promisify(execFile);
const WASM_SHELL = resolve(import.meta.dirname, '../../../node_modules/.bin/wasm-shell');

async function wasmShell(script: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kavach-shell-'));
  try {
    const file = join(dir, 'test.wast');
    await writeFile(file, script);
    try {
      const { stdout, stderr } = await run(WASM_SHELL, [file], { maxBuffer: 1 << 24 });
      return stdout + stderr;
    } catch (e) {
      const failure = e as { stdout?: string; stderr?: string };
      return `${failure.stdout ?? ''}${failure.stderr ?? ''}`;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
