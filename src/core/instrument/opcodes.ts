import type { Reader } from './reader.ts';

/**
 * The immediate-skipping table: for every opcode the rewriter knows, the shape of its immediates.
 * Covers WebAssembly 2.0 plus what V8 ships: typed select, multi-memory and memory64 memargs, the
 * 0xFC bulk/table/saturating ops, 0xFD SIMD with relaxed SIMD, 0xFE atomics, legacy and new
 * exception handling, tail calls, typed function references and GC (0xFB). Anything else is
 * `Imm.Unknown`, which the caller reports instead of guessing.
 */
export const Imm = {
  None: 0,
  /** One u32 LEB (an index or a label). */
  U32: 1,
  /** Two u32 LEBs. */
  U32x2: 2,
  /** Alignment flags (bit 6: a memory index follows) and an offset of up to 64 bits. */
  MemArg: 3,
  /** A memarg followed by a lane index byte. */
  MemArgLane: 4,
  S32: 5,
  S64: 6,
  Bytes4: 7,
  Bytes8: 8,
  Bytes16: 9,
  /** A single byte (lane index, atomic.fence's reserved byte). */
  Byte: 10,
  /** A heap type (s33). */
  HeapType: 11,
  /** `select t*`: a vector of value types. */
  SelectT: 12,
  /** Structured control, branches, calls and other ops the body rewriter handles itself. */
  Control: 253,
  /** 0xFB, 0xFC, 0xFD, 0xFE: a u32 sub-opcode follows. */
  Prefix: 254,
  Unknown: 255,
} as const;

function table(size: number, fill: number): Uint8Array {
  return new Uint8Array(size).fill(fill);
}

function set(t: Uint8Array, from: number, to: number, kind: number): void {
  for (let i = from; i <= to; i++) t[i] = kind;
}

/** Single-byte opcodes. */
export const SINGLE = table(256, Imm.Unknown);
set(SINGLE, 0x00, 0x15, Imm.Control); // unreachable .. return_call_ref
SINGLE[0x01] = Imm.None; // nop
SINGLE[0x18] = Imm.Control; // delegate
SINGLE[0x19] = Imm.Control; // catch_all
SINGLE[0x1a] = Imm.None; // drop
SINGLE[0x1b] = Imm.None; // select
SINGLE[0x1c] = Imm.SelectT;
SINGLE[0x1f] = Imm.Control; // try_table
set(SINGLE, 0x20, 0x26, Imm.U32); // local.*, global.*, table.get, table.set
set(SINGLE, 0x28, 0x3e, Imm.MemArg); // loads and stores
SINGLE[0x3f] = Imm.U32; // memory.size
SINGLE[0x40] = Imm.Control; // memory.grow (charged by pages)
SINGLE[0x41] = Imm.S32;
SINGLE[0x42] = Imm.S64;
SINGLE[0x43] = Imm.Bytes4;
SINGLE[0x44] = Imm.Bytes8;
set(SINGLE, 0x45, 0xc4, Imm.None); // numeric ops, sign extension
SINGLE[0xd0] = Imm.HeapType; // ref.null
SINGLE[0xd1] = Imm.None; // ref.is_null
SINGLE[0xd2] = Imm.U32; // ref.func
SINGLE[0xd3] = Imm.None; // ref.eq
SINGLE[0xd4] = Imm.None; // ref.as_non_null
SINGLE[0xd5] = Imm.Control; // br_on_null
SINGLE[0xd6] = Imm.Control; // br_on_non_null
set(SINGLE, 0xfb, 0xfe, Imm.Prefix);

/** 0xFB: GC. br_on_cast and br_on_cast_fail (24, 25) are branches. */
const GC = table(31, Imm.None);
set(GC, 0, 1, Imm.U32); // struct.new, struct.new_default
set(GC, 2, 5, Imm.U32x2); // struct.get, get_s, get_u, set
set(GC, 6, 7, Imm.U32); // array.new, array.new_default
set(GC, 8, 10, Imm.U32x2); // array.new_fixed, new_data, new_elem
set(GC, 11, 14, Imm.U32); // array.get, get_s, get_u, set
GC[15] = Imm.None; // array.len
GC[16] = Imm.U32; // array.fill
set(GC, 17, 19, Imm.U32x2); // array.copy, init_data, init_elem
set(GC, 20, 23, Imm.HeapType); // ref.test, ref.test null, ref.cast, ref.cast null
set(GC, 24, 25, Imm.Control); // br_on_cast, br_on_cast_fail
set(GC, 26, 30, Imm.None); // any.convert_extern, extern.convert_any, ref.i31, i31.get_s/u

/** 0xFC: saturating truncation, bulk memory, tables. */
const MISC = table(18, Imm.None);
MISC[8] = Imm.U32x2; // memory.init data mem
MISC[9] = Imm.U32; // data.drop
MISC[10] = Imm.U32x2; // memory.copy dst src
MISC[11] = Imm.U32; // memory.fill
MISC[12] = Imm.U32x2; // table.init elem table
MISC[13] = Imm.U32; // elem.drop
MISC[14] = Imm.U32x2; // table.copy dst src
set(MISC, 15, 17, Imm.U32); // table.grow, table.size, table.fill

/** 0xFD: SIMD (0..255) and relaxed SIMD (256..275). */
const SIMD = table(276, Imm.None);
set(SIMD, 0, 11, Imm.MemArg); // v128.load*, v128.store
SIMD[12] = Imm.Bytes16; // v128.const
SIMD[13] = Imm.Bytes16; // i8x16.shuffle
set(SIMD, 21, 34, Imm.Byte); // extract_lane / replace_lane
set(SIMD, 84, 91, Imm.MemArgLane); // load*_lane, store*_lane
set(SIMD, 92, 93, Imm.MemArg); // v128.load32_zero, load64_zero
for (const unassigned of [154, 162, 165, 166, 175, 176, 178, 179, 180, 187, 194, 197, 198, 207, 208, 210, 211, 212, 226, 238]) {
  SIMD[unassigned] = Imm.Unknown;
}

/** 0xFE: threads and atomics. */
const ATOMIC = table(79, Imm.MemArg);
ATOMIC[3] = Imm.Byte; // atomic.fence
set(ATOMIC, 4, 15, Imm.Unknown);

/** The sub-opcode table of a prefix byte. */
export function prefixTable(prefix: number): Uint8Array {
  switch (prefix) {
    case 0xfb:
      return GC;
    case 0xfc:
      return MISC;
    case 0xfd:
      return SIMD;
    default:
      return ATOMIC;
  }
}

/** The immediate kind of a prefixed op, Unknown for sub-opcodes outside the table. */
export function prefixedKind(prefix: number, sub: number): number {
  const t = prefixTable(prefix);
  return sub < t.length ? t[sub] : Imm.Unknown;
}

/** Skips the immediates of a non-control op. */
export function skipImmediates(r: Reader, kind: number): void {
  switch (kind) {
    case Imm.None:
      return;
    case Imm.U32:
      r.skipLeb(5);
      return;
    case Imm.U32x2:
      r.skipLeb(5);
      r.skipLeb(5);
      return;
    case Imm.MemArg:
      skipMemArg(r);
      return;
    case Imm.MemArgLane:
      skipMemArg(r);
      r.skip(1);
      return;
    case Imm.S32:
      r.skipLeb(5);
      return;
    case Imm.S64:
      r.skipLeb(10);
      return;
    case Imm.Bytes4:
      r.skip(4);
      return;
    case Imm.Bytes8:
      r.skip(8);
      return;
    case Imm.Bytes16:
      r.skip(16);
      return;
    case Imm.Byte:
      r.skip(1);
      return;
    case Imm.HeapType:
      r.skipLeb(5);
      return;
    case Imm.SelectT: {
      const n = r.count();
      for (let i = 0; i < n; i++) skipValType(r);
      return;
    }
    default:
      throw new Error(`skipImmediates called with kind ${kind}`);
  }
}

function skipMemArg(r: Reader): void {
  const flags = r.u32();
  if ((flags & 0x40) !== 0) r.skipLeb(5); // memory index (multi-memory)
  r.skipLeb(10); // offset: u32, or u64 for memory64
}

/** A value type: one byte, or (ref null? ht) with a heap type. Also accepts packed i8/i16. */
export function skipValType(r: Reader): void {
  const b = r.u8();
  if (b === 0x63 || b === 0x64) r.skipLeb(5);
}

/** A block type: empty (0x40), a value type, or a type index (s33 >= 0). */
export function skipBlockType(r: Reader): void {
  const b = r.bytes[r.pos];
  if (r.pos < r.end && (b & 0xc0) === 0x40) {
    r.pos++;
    if (b === 0x63 || b === 0x64) r.skipLeb(5);
    return;
  }
  if (r.s33() < 0) r.fail('invalid block type');
}

/** "0xfd 0x9a" for messages. */
export function describeOpcode(op: number, sub: number | null): string {
  const hex = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;
  return sub === null ? hex(op) : `${hex(op)} ${sub}`;
}
