import { InstrumentError } from './errors.ts';
import { Imm, SINGLE, describeOpcode, prefixedKind, skipBlockType, skipImmediates, skipValType } from './opcodes.ts';
import { Reader } from './reader.ts';
import { Writer } from './writer.ts';

/*
 * Fuel metering of one function body, in a single forward pass.
 *
 * Cost model (wasmtime's default): every operator costs 1, except nop, drop, block, loop, end,
 * else, unreachable and return, which cost 0. Operators are grouped into metered segments: a
 * segment starts at function entry, after `loop`, `if`, `else`, a conditional branch
 * (br_if, br_on_*), at a `catch`/`catch_all`, and after the `end` of an `if`, a `try`, or a
 * `block`/`try_table` that some branch targets. Entering a `block`, a `try` or a `try_table` and
 * leaving a `loop` by falling through do not split segments. Calls do not split segments either: a
 * segment is charged in full before its first operator runs. Code that cannot be reached gets no
 * charges at all.
 *
 * The counter lives in an i64 local (`fuel`) loaded from the exported global at entry. The global
 * is brought up to date before anything that may leave the function or observe it (calls, tail
 * calls, return, throws, `unreachable`, branches to the function's label, the final `end`), and
 * the local is reloaded from the global where needed after a call or when an exception lands. The
 * check `fuel < 0` runs at function entry, at loop headers and after dynamic charges; when it
 * fails the function writes the counter back, sets the exhausted flag and executes `unreachable`.
 *
 * Dynamic charges, so that one operator cannot do unbounded work for one unit:
 * - memory.fill/copy/init: 1 per 64 bytes of length (rounded down), charged and checked before
 *   the op runs;
 * - table.fill/copy/init and the GC array.new, array.fill, array.copy and array.init ops: 1 per 8
 *   elements, likewise;
 * - memory.grow: 1024 per page actually added (64 KiB / 64), table.grow: 1 per 8 elements added,
 *   charged after the grow and only when it succeeds (a failed grow does no work).
 *
 * Every inserted sequence is stack-neutral, so it validates in unreachable code and inside blocks
 * with parameters. Original bytes are copied between insertion points, never re-encoded.
 */

/** What body rewriting needs from the rest of the module. */
export interface MeteringContext {
  fuelGlobal: number;
  exhaustedGlobal: number;
  memories64: boolean[];
  tables64: boolean[];
}

export interface BodyStats {
  /** Segments that received a charge. */
  meteredSegments: number;
}

/** V8's limits (wasm-limits.h); the spec has none, but a module over them cannot run anywhere we care about. */
const MAX_LOCALS = 50000;
const MAX_FUNCTION_SIZE = 7654321;

const BYTES_PER_FUEL_SHIFT = 6n; // bulk memory: 1 fuel per 64 bytes
const ELEMENTS_PER_FUEL_SHIFT = 3n; // tables and GC arrays: 1 fuel per 8 elements
const PAGE_FUEL_SHIFT = 10n; // memory.grow: 65536 / 64 = 1024 fuel per page

// Patch kinds: code inserted at an offset of the original body.
const P_ENTRY = 0; // load the counter, charge the entry segment, check
const P_CHARGE = 1; // charge a segment
const P_LOOP = 2; // charge a loop header segment, check
const P_FLUSH = 3; // global := local
const P_RELOAD = 4; // local := global
const P_SYNC = 5; // flush or reload as the branch targets require (resolved when their labels end)
const P_RELOAD_IF_CATCH = 6; // landing point of a label: reload if a try_table catch clause targets it
const P_BULK = 7; // charge by the length on top of the stack, check
const P_GROW_PRE = 8; // remember the grow delta
const P_GROW_POST = 9; // charge by the delta if the grow succeeded, check

// Where the up-to-date counter value lives at the current point.
const LOCAL_AHEAD = 0;
const SYNCED = 1;
const GLOBAL_AHEAD = 2;

// What a P_SYNC needs regardless of its labels.
const NEED_LOCAL = 1;
const NEED_GLOBAL = 2;

// Label kinds.
const L_FUNC = 0;
const L_BLOCK = 1;
const L_LOOP = 2;
const L_IF = 3;
const L_TRY = 4;
const L_TRY_TABLE = 5;

// Packing of dynamic charge arguments: bit 0 = 64-bit operand, bits 1.. = rate.
const RATE_BYTES = 0;
const RATE_ELEMENTS = 1;
const RATE_PAGES = 2;

export class BodyRewriter {
  private readonly bytes: Uint8Array;
  private readonly ctx: MeteringContext;
  private readonly r: Reader;

  // Per-function state, reused across functions to avoid allocation.
  private patchPos: number[] = [];
  private patchKind: number[] = [];
  private patchArg: number[] = [];
  private patchAux: number[] = [];
  private segCost: number[] = [];
  private syncLabels: number[] = [];
  /** Per label id: 1 when a try_table catch clause targets the label. */
  private labelCatch: number[] = [];
  private labelSyncMark: number[] = [];

  // Label stack (parallel arrays, `top` is the innermost).
  private lKind: number[] = [];
  private lId: number[] = [];
  private lEntryReach: boolean[] = [];
  private lTargeted: boolean[] = [];
  private lFallReach: boolean[] = [];
  private lHasElse: boolean[] = [];
  private top = -1;

  /** Current segment, or -1 while the code is unreachable. */
  private cur = -1;
  private state = LOCAL_AHEAD;
  private functionIndex = 0;
  private temps64 = 0;
  private temps32 = 0;
  private syncSerial = 0;

  constructor(bytes: Uint8Array, ctx: MeteringContext) {
    this.bytes = bytes;
    this.ctx = ctx;
    this.r = new Reader(bytes);
  }

  /** Rewrites the body at [start, end) (after its size prefix) into `out`, size prefix included. */
  rewrite(functionIndex: number, paramCount: number, start: number, end: number, out: Writer): BodyStats {
    this.reset(functionIndex, start, end);
    const r = this.r;
    const declCount = r.count();
    const declsStart = r.pos;
    let localCount = paramCount;
    for (let i = 0; i < declCount; i++) {
      localCount += r.u32();
      skipValType(r);
      if (localCount > MAX_LOCALS) this.unsupported(`declares more than ${MAX_LOCALS} locals`, declsStart);
    }
    const codeStart = r.pos;
    this.scan(codeStart);

    const extraLocals = 1 + this.temps64 + this.temps32;
    if (localCount + extraLocals > MAX_LOCALS) {
      this.unsupported(`has ${localCount} locals; metering needs ${extraLocals} more and engines accept at most ${MAX_LOCALS}`, start);
    }
    const sizeAt = out.reserveLength();
    const bodyStart = out.length;
    out.u32(declCount + (this.temps32 > 0 ? 2 : 1));
    out.copy(this.bytes, declsStart, codeStart);
    out.u32(1 + this.temps64);
    out.u8(0x7e);
    if (this.temps32 > 0) {
      out.u32(this.temps32);
      out.u8(0x7f);
    }
    const meteredSegments = this.emit(out, codeStart, end, localCount);
    if (out.length - bodyStart > MAX_FUNCTION_SIZE) {
      this.unsupported(`is ${out.length - bodyStart} bytes after metering; engines accept at most ${MAX_FUNCTION_SIZE}`, start);
    }
    out.patchLength(sizeAt);
    return { meteredSegments };
  }

  private reset(functionIndex: number, start: number, end: number): void {
    this.functionIndex = functionIndex;
    this.r.pos = start;
    this.r.end = end;
    this.patchPos.length = 0;
    this.patchKind.length = 0;
    this.patchArg.length = 0;
    this.patchAux.length = 0;
    this.segCost.length = 0;
    this.syncLabels.length = 0;
    this.labelCatch.length = 0;
    this.labelSyncMark.length = 0;
    this.top = -1;
    this.cur = -1;
    this.state = LOCAL_AHEAD;
    this.temps64 = 0;
    this.temps32 = 0;
  }

  // ---------------------------------------------------------------- scanning

  private scan(codeStart: number): void {
    const r = this.r;
    const bytes = this.bytes;
    this.pushLabel(L_FUNC, true);
    this.newSegment(codeStart, P_ENTRY);
    for (;;) {
      if (r.pos >= r.end) this.malformed('function body ends before its final end', r.pos);
      const opStart = r.pos;
      const op = bytes[r.pos++];
      const kind = SINGLE[op];
      if (kind < Imm.Control) {
        if (kind !== Imm.None) skipImmediates(r, kind);
        if (this.cur >= 0 && op !== 0x01 && op !== 0x1a) this.segCost[this.cur]++;
        continue;
      }
      if (kind === Imm.Prefix) {
        this.prefixed(op, opStart);
        continue;
      }
      if (kind === Imm.Unknown) this.unknownOpcode(op, null, opStart);
      if (this.control(op, opStart)) return;
    }
  }

  /** Handles a control-kind op; returns true after the function's final end. */
  private control(op: number, opStart: number): boolean {
    const r = this.r;
    const reach = this.cur >= 0;
    switch (op) {
      case 0x00: // unreachable: write back so the host sees the fuel spent before the trap
        if (reach) this.ensureGlobal(opStart);
        this.cur = -1;
        return false;
      case 0x02: // block
        skipBlockType(r);
        this.pushLabel(L_BLOCK, reach);
        return false;
      case 0x03: {
        // loop
        skipBlockType(r);
        const id = this.pushLabel(L_LOOP, reach);
        if (reach) {
          this.sync(opStart, id, 0);
          this.landing(r.pos, id, P_LOOP);
        }
        return false;
      }
      case 0x04: {
        // if
        skipBlockType(r);
        this.cost();
        const id = this.pushLabel(L_IF, reach);
        if (reach) {
          this.sync(opStart, id, NEED_LOCAL);
          this.newSegment(r.pos, P_CHARGE);
        }
        return false;
      }
      case 0x05: {
        // else
        const t = this.top;
        if (this.lKind[t] !== L_IF || this.lHasElse[t]) this.malformed('else without a matching if', opStart);
        this.fallInto(t, opStart);
        this.lHasElse[t] = true;
        if (this.lEntryReach[t]) this.newSegment(r.pos, P_CHARGE);
        else this.cur = -1;
        return false;
      }
      case 0x06: // try (legacy exception handling)
        skipBlockType(r);
        this.cost();
        this.pushLabel(L_TRY, reach);
        return false;
      case 0x07: // catch
        r.skipLeb(5);
        this.catchClause(opStart);
        return false;
      case 0x19: // catch_all
        this.catchClause(opStart);
        return false;
      case 0x18: {
        // delegate: ends a try without catch clauses
        r.skipLeb(5);
        const t = this.top;
        if (this.lKind[t] !== L_TRY || this.lHasElse[t]) this.malformed('delegate without a matching try', opStart);
        this.cost();
        this.endLabel(opStart);
        return false;
      }
      case 0x08: // throw
      case 0x09: // rethrow
        r.skipLeb(5);
        this.leave(opStart);
        return false;
      case 0x0a: // throw_ref
        this.leave(opStart);
        return false;
      case 0x0b: // end
        return this.endLabel(opStart);
      case 0x0c: // br
        this.cost();
        this.branch(this.label(opStart), opStart, false);
        this.cur = -1;
        return false;
      case 0x0d: // br_if
      case 0xd5: // br_on_null
      case 0xd6: // br_on_non_null
        this.cost();
        this.conditionalBranch(this.label(opStart), opStart);
        return false;
      case 0x0e:
        this.brTable(opStart);
        return false;
      case 0x0f: // return
        if (reach) this.ensureGlobal(opStart);
        this.cur = -1;
        return false;
      case 0x10: // call
      case 0x14: // call_ref
        r.skipLeb(5);
        this.call(opStart);
        return false;
      case 0x11: // call_indirect
        r.skipLeb(5);
        r.skipLeb(5);
        this.call(opStart);
        return false;
      case 0x12: // return_call
      case 0x15: // return_call_ref
        r.skipLeb(5);
        this.leave(opStart);
        return false;
      case 0x13: // return_call_indirect
        r.skipLeb(5);
        r.skipLeb(5);
        this.leave(opStart);
        return false;
      case 0x1f:
        this.tryTable(opStart);
        return false;
      case 0x40: {
        // memory.grow
        const memory = this.memoryIndex(opStart);
        this.cost();
        this.grow(opStart, this.ctx.memories64[memory], RATE_PAGES);
        return false;
      }
      default:
        return this.unknownOpcode(op, null, opStart);
    }
  }

  private prefixed(prefix: number, opStart: number): void {
    const r = this.r;
    const sub = r.u32();
    const kind = prefixedKind(prefix, sub);
    if (kind === Imm.Unknown) this.unknownOpcode(prefix, sub, opStart);
    if (prefix === 0xfb) {
      if (sub === 24 || sub === 25) {
        // br_on_cast, br_on_cast_fail: flags, label, two heap types
        r.skip(1);
        const depth = this.label(opStart);
        r.skipLeb(5);
        r.skipLeb(5);
        this.cost();
        this.conditionalBranch(depth, opStart);
        return;
      }
      skipImmediates(r, kind);
      this.cost();
      // array.new, new_default, new_data, new_elem, fill, copy, init_data, init_elem
      if ((sub >= 6 && sub <= 10 && sub !== 8) || (sub >= 16 && sub <= 19)) this.bulk(opStart, false, RATE_ELEMENTS);
      return;
    }
    if (prefix === 0xfc && sub >= 8) {
      const m = this.ctx.memories64;
      const t = this.ctx.tables64;
      switch (sub) {
        case 8: // memory.init data mem: the length is an i32
          r.skipLeb(5);
          this.memoryIndex(opStart);
          this.cost();
          this.bulk(opStart, false, RATE_BYTES);
          return;
        case 10: {
          // memory.copy dst src: i64 length only when both memories are 64-bit
          const dst = this.memoryIndex(opStart);
          const src = this.memoryIndex(opStart);
          this.cost();
          this.bulk(opStart, m[dst] && m[src], RATE_BYTES);
          return;
        }
        case 11: {
          const mem = this.memoryIndex(opStart);
          this.cost();
          this.bulk(opStart, m[mem], RATE_BYTES);
          return;
        }
        case 12: // table.init elem table
          r.skipLeb(5);
          this.tableIndex(opStart);
          this.cost();
          this.bulk(opStart, false, RATE_ELEMENTS);
          return;
        case 14: {
          const dst = this.tableIndex(opStart);
          const src = this.tableIndex(opStart);
          this.cost();
          this.bulk(opStart, t[dst] && t[src], RATE_ELEMENTS);
          return;
        }
        case 15: {
          const table = this.tableIndex(opStart);
          this.cost();
          this.grow(opStart, t[table], RATE_ELEMENTS);
          return;
        }
        case 17: {
          const table = this.tableIndex(opStart);
          this.cost();
          this.bulk(opStart, t[table], RATE_ELEMENTS);
          return;
        }
      }
    }
    skipImmediates(r, kind);
    this.cost();
  }

  private catchClause(opStart: number): void {
    const t = this.top;
    if (this.lKind[t] !== L_TRY) this.malformed('catch without a matching try', opStart);
    this.fallInto(t, opStart);
    this.lHasElse[t] = true; // in the catch clauses now: delegate is no longer allowed
    if (this.lEntryReach[t]) {
      // The exception arrives with the global up to date (everything that throws flushes first).
      this.addPatch(this.r.pos, P_RELOAD, 0, 0);
      this.newSegment(this.r.pos, P_CHARGE);
      this.cost();
    } else {
      this.cur = -1;
    }
  }

  private tryTable(opStart: number): void {
    const r = this.r;
    skipBlockType(r);
    const n = r.count();
    for (let i = 0; i < n; i++) {
      const kind = r.u8();
      if (kind > 3) this.malformed(`unknown try_table catch kind ${kind}`, r.pos - 1);
      if (kind <= 1) r.skipLeb(5); // tag
      // Catch labels are relative to the context outside the try_table.
      const depth = this.label(opStart);
      if (this.cur >= 0) {
        const t = this.top - depth;
        if (this.lKind[t] !== L_FUNC) {
          this.lTargeted[t] = true;
          this.labelCatch[this.lId[t]] = 1;
        }
      }
    }
    this.cost();
    this.pushLabel(L_TRY_TABLE, this.cur >= 0);
  }

  private brTable(opStart: number): void {
    const r = this.r;
    const n = r.count();
    this.cost();
    const reach = this.cur >= 0;
    const first = this.syncLabels.length;
    const serial = ++this.syncSerial;
    let need = 0;
    for (let i = 0; i <= n; i++) {
      const depth = this.label(opStart);
      if (!reach) continue;
      const t = this.top - depth;
      if (this.lKind[t] === L_FUNC) {
        need |= NEED_GLOBAL;
      } else {
        this.lTargeted[t] = true;
        const id = this.lId[t];
        if (this.labelSyncMark[id] !== serial) {
          this.labelSyncMark[id] = serial;
          this.syncLabels.push(id);
        }
      }
    }
    if (reach) this.addSync(opStart, first, need);
    this.cur = -1;
  }

  /** Reads a label depth and checks it against the nesting. */
  private label(opStart: number): number {
    const depth = this.r.u32();
    if (depth > this.top) this.malformed(`branch depth ${depth} exceeds the nesting depth ${this.top}`, opStart);
    return depth;
  }

  private memoryIndex(opStart: number): number {
    const index = this.r.u32();
    if (index >= this.ctx.memories64.length) this.malformed(`memory index ${index} out of range`, opStart);
    return index;
  }

  private tableIndex(opStart: number): number {
    const index = this.r.u32();
    if (index >= this.ctx.tables64.length) this.malformed(`table index ${index} out of range`, opStart);
    return index;
  }

  // ---------------------------------------------------------------- control flow bookkeeping

  private cost(): void {
    if (this.cur >= 0) this.segCost[this.cur]++;
  }

  private pushLabel(kind: number, entryReach: boolean): number {
    const t = ++this.top;
    const id = this.labelCatch.length;
    this.labelCatch.push(0);
    this.labelSyncMark.push(0);
    this.lKind[t] = kind;
    this.lId[t] = id;
    this.lEntryReach[t] = entryReach;
    this.lTargeted[t] = false;
    this.lFallReach[t] = false;
    this.lHasElse[t] = false;
    return id;
  }

  /** Falling through the end of an if/try arm into the label's landing point. */
  private fallInto(t: number, opStart: number): void {
    if (this.cur < 0) return;
    this.sync(opStart, this.lId[t], 0);
    this.lFallReach[t] = true;
  }

  /** `end` (or `delegate`) of the innermost label; true after the function's final end. */
  private endLabel(opStart: number): boolean {
    const t = this.top;
    const kind = this.lKind[t];
    const id = this.lId[t];
    const reach = this.cur >= 0;
    switch (kind) {
      case L_FUNC:
        if (reach) this.ensureGlobal(opStart);
        if (this.r.pos !== this.r.end) this.malformed('bytes after the final end of a function body', this.r.pos);
        this.top--;
        return true;
      case L_LOOP:
        // Only reachable by falling through the loop body: the segment continues.
        this.top--;
        return false;
      case L_BLOCK:
      case L_TRY_TABLE:
        this.top--;
        if (this.lTargeted[t]) {
          if (reach) this.sync(opStart, id, 0);
          this.landing(this.r.pos, id, P_CHARGE);
        }
        // Not a branch target: only reachable by falling through, the segment continues.
        return false;
      default: {
        // L_IF, L_TRY
        if (reach) this.sync(opStart, id, 0);
        const elseEdge = kind === L_IF && !this.lHasElse[t] && this.lEntryReach[t];
        const endReach = reach || this.lFallReach[t] || this.lTargeted[t] || elseEdge;
        this.top--;
        if (endReach) this.landing(this.r.pos, id, P_CHARGE);
        else this.cur = -1;
        return false;
      }
    }
  }

  /** A label's landing point starts a segment; exceptions caught by try_table arrive with the global current. */
  private landing(pos: number, id: number, kind: number): void {
    this.addPatch(pos, P_RELOAD_IF_CATCH, id, 0);
    this.newSegment(pos, kind);
  }

  private branch(depth: number, opStart: number, conditional: boolean): void {
    if (this.cur < 0) return;
    const t = this.top - depth;
    const fallthrough = conditional ? NEED_LOCAL : 0;
    if (this.lKind[t] === L_FUNC) {
      // Leaves the function: the global must be current.
      this.addSync(opStart, this.syncLabels.length, NEED_GLOBAL | fallthrough);
    } else {
      this.lTargeted[t] = true;
      this.sync(opStart, this.lId[t], fallthrough);
    }
  }

  private conditionalBranch(depth: number, opStart: number): void {
    if (this.cur < 0) return;
    this.branch(depth, opStart, true);
    this.newSegment(this.r.pos, P_CHARGE);
  }

  private call(opStart: number): void {
    if (this.cur < 0) return;
    this.segCost[this.cur]++;
    this.ensureGlobal(opStart);
    this.state = GLOBAL_AHEAD;
  }

  /** Tail calls, return-like exits and throws: the global must be current, nothing follows. */
  private leave(opStart: number): void {
    if (this.cur >= 0) {
      this.segCost[this.cur]++;
      this.ensureGlobal(opStart);
    }
    this.cur = -1;
  }

  private bulk(opStart: number, is64: boolean, rate: number): void {
    if (this.cur < 0) return;
    this.ensureLocal(opStart);
    this.useTemps(is64, 1);
    this.addPatch(opStart, P_BULK, (is64 ? 1 : 0) | (rate << 1), 0);
    this.state = LOCAL_AHEAD;
  }

  private grow(opStart: number, is64: boolean, rate: number): void {
    if (this.cur < 0) return;
    this.ensureLocal(opStart);
    this.useTemps(is64, 2);
    const arg = (is64 ? 1 : 0) | (rate << 1);
    this.addPatch(opStart, P_GROW_PRE, arg, 0);
    this.addPatch(this.r.pos, P_GROW_POST, arg, 0);
    this.state = LOCAL_AHEAD;
  }

  private useTemps(is64: boolean, n: number): void {
    if (is64) this.temps64 = Math.max(this.temps64, n);
    else this.temps32 = Math.max(this.temps32, n);
  }

  private newSegment(pos: number, kind: number): void {
    this.cur = this.segCost.length;
    this.segCost.push(0);
    this.addPatch(pos, kind, this.cur, 0);
    this.state = LOCAL_AHEAD;
  }

  private ensureGlobal(pos: number): void {
    if (this.state === LOCAL_AHEAD) {
      this.addPatch(pos, P_FLUSH, 0, 0);
      this.state = SYNCED;
    }
  }

  private ensureLocal(pos: number): void {
    if (this.state === GLOBAL_AHEAD) {
      this.addPatch(pos, P_RELOAD, 0, 0);
      this.state = SYNCED;
    }
  }

  /** An edge into label `id` (plus `need` for other successors). */
  private sync(pos: number, id: number, need: number): void {
    const first = this.syncLabels.length;
    this.syncLabels.push(id);
    this.addSync(pos, first, need);
  }

  /** Records a P_SYNC over syncLabels[first..]; what it emits is decided once the labels are known. */
  private addSync(pos: number, first: number, need: number): void {
    if (this.state === SYNCED) {
      this.syncLabels.length = first;
      return;
    }
    const count = this.syncLabels.length - first;
    this.addPatch(pos, P_SYNC, first, count * 16 + this.state * 4 + need);
  }

  private addPatch(pos: number, kind: number, arg: number, aux: number): void {
    this.patchPos.push(pos);
    this.patchKind.push(kind);
    this.patchArg.push(arg);
    this.patchAux.push(aux);
  }

  // ---------------------------------------------------------------- emission

  private emit(out: Writer, codeStart: number, end: number, fuelLocal: number): number {
    const g = this.ctx.fuelGlobal;
    const e = this.ctx.exhaustedGlobal;
    const temp64 = fuelLocal + 1;
    const temp32 = fuelLocal + 1 + this.temps64;
    const flush = sequence((w) => {
      w.u8(0x20);
      w.u32(fuelLocal);
      w.u8(0x24);
      w.u32(g);
    });
    const reload = sequence((w) => {
      w.u8(0x23);
      w.u32(g);
      w.u8(0x21);
      w.u32(fuelLocal);
    });
    // `local.tee $fuel` already done; i64.const 0; i64.lt_s; if; write back; flag; unreachable; end
    const check = sequence((w) => {
      w.u8(0x22);
      w.u32(fuelLocal);
      w.u8(0x42);
      w.u8(0x00);
      w.u8(0x53);
      w.u8(0x04);
      w.u8(0x40);
      w.copy(flush, 0, flush.length);
      w.u8(0x41);
      w.u8(0x01);
      w.u8(0x24);
      w.u32(e);
      w.u8(0x00);
      w.u8(0x0b);
    });
    const getFuel = sequence((w) => {
      w.u8(0x20);
      w.u32(fuelLocal);
    });

    const bytes = this.bytes;
    const n = this.patchPos.length;
    let last = codeStart;
    let metered = 0;
    for (let i = 0; i < n; i++) {
      const pos = this.patchPos[i];
      if (pos > last) {
        out.copy(bytes, last, pos);
        last = pos;
      }
      const arg = this.patchArg[i];
      switch (this.patchKind[i]) {
        case P_ENTRY: {
          const c = this.segCost[arg];
          out.u8(0x23);
          out.u32(g);
          if (c > 0) {
            out.u8(0x42);
            out.s64(c);
            out.u8(0x7d);
            metered++;
          }
          out.copy(check, 0, check.length);
          break;
        }
        case P_CHARGE: {
          const c = this.segCost[arg];
          if (c === 0) break;
          out.copy(getFuel, 0, getFuel.length);
          out.u8(0x42);
          out.s64(c);
          out.u8(0x7d);
          out.u8(0x21);
          out.u32(fuelLocal);
          metered++;
          break;
        }
        case P_LOOP: {
          const c = this.segCost[arg];
          out.copy(getFuel, 0, getFuel.length);
          if (c > 0) {
            out.u8(0x42);
            out.s64(c);
            out.u8(0x7d);
            metered++;
          }
          out.copy(check, 0, check.length);
          break;
        }
        case P_FLUSH:
          out.copy(flush, 0, flush.length);
          break;
        case P_RELOAD:
          out.copy(reload, 0, reload.length);
          break;
        case P_RELOAD_IF_CATCH:
          if (this.labelCatch[arg] === 1) out.copy(reload, 0, reload.length);
          break;
        case P_SYNC: {
          const aux = this.patchAux[i];
          const state = (aux >> 2) & 3;
          let need = aux & 3;
          const count = aux >> 4;
          for (let k = arg; k < arg + count; k++) need |= this.labelCatch[this.syncLabels[k]] === 1 ? NEED_GLOBAL : NEED_LOCAL;
          if (state === LOCAL_AHEAD && (need & NEED_GLOBAL) !== 0) out.copy(flush, 0, flush.length);
          else if (state === GLOBAL_AHEAD && (need & NEED_LOCAL) !== 0) out.copy(reload, 0, reload.length);
          break;
        }
        case P_BULK: {
          // [.., n] -> [.., n]; fuel -= n >> shift; check
          const is64 = (arg & 1) === 1;
          const temp = is64 ? temp64 : temp32;
          out.u8(0x22);
          out.u32(temp);
          out.copy(getFuel, 0, getFuel.length);
          out.u8(0x20);
          out.u32(temp);
          if (!is64) out.u8(0xad); // i64.extend_i32_u
          out.u8(0x42);
          out.s64(Number(rateShift(arg >> 1)));
          out.u8(0x88); // i64.shr_u
          out.u8(0x7d);
          out.copy(check, 0, check.length);
          break;
        }
        case P_GROW_PRE: {
          const temp = (arg & 1) === 1 ? temp64 : temp32;
          out.u8(0x22);
          out.u32(temp); // delta stays on the stack for the grow
          break;
        }
        case P_GROW_POST: {
          // [.., result] -> [.., result]; fuel -= (result != -1 ? delta scaled : 0); check
          const is64 = (arg & 1) === 1;
          const delta = is64 ? temp64 : temp32;
          const result = delta + 1;
          const rate = arg >> 1;
          out.u8(0x21);
          out.u32(result);
          out.copy(getFuel, 0, getFuel.length);
          out.u8(0x20);
          out.u32(delta);
          if (!is64) out.u8(0xad);
          out.u8(0x42);
          out.s64(Number(rateShift(rate)));
          out.u8(rate === RATE_PAGES ? 0x86 : 0x88); // i64.shl for pages, i64.shr_u for elements
          out.u8(0x42);
          out.u8(0x00);
          out.u8(0x20);
          out.u32(result);
          out.u8(is64 ? 0x42 : 0x41);
          out.u8(0x7f); // -1
          out.u8(is64 ? 0x52 : 0x47); // ne
          out.u8(0x1b); // select
          out.u8(0x7d);
          out.copy(check, 0, check.length);
          out.u8(0x20);
          out.u32(result);
          break;
        }
      }
    }
    out.copy(bytes, last, end);
    return metered;
  }

  // ---------------------------------------------------------------- errors

  private malformed(message: string, offset: number): never {
    throw new InstrumentError('malformed', message, { functionIndex: this.functionIndex, offset });
  }

  private unsupported(message: string, offset: number): never {
    throw new InstrumentError('unsupported', `function ${message}`, { functionIndex: this.functionIndex, offset });
  }

  private unknownOpcode(op: number, sub: number | null, offset: number): never {
    throw new InstrumentError(
      'unsupported',
      `unknown opcode ${describeOpcode(op, sub)} (not part of WebAssembly 2.0 or a proposal V8 ships)`,
      { functionIndex: this.functionIndex, offset },
    );
  }
}

function rateShift(rate: number): bigint {
  switch (rate) {
    case RATE_BYTES:
      return BYTES_PER_FUEL_SHIFT;
    case RATE_ELEMENTS:
      return ELEMENTS_PER_FUEL_SHIFT;
    default:
      return PAGE_FUEL_SHIFT;
  }
}

/** Encodes a short instruction sequence once per function. */
function sequence(build: (w: Writer) => void): Uint8Array {
  const w = new Writer(32);
  build(w);
  return w.result();
}
