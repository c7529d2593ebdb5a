import { InstrumentError } from './errors.ts';
import { MAX_FUEL_OVERRUN } from './fuel.ts';
import { Imm, SINGLE, describeOpcode, prefixedKind, skipBlockType, skipImmediates, skipValType } from './opcodes.ts';
import { Reader } from './reader.ts';
import { Writer } from './writer.ts';

/*
 * Fuel metering of one function body, in a single forward pass.
 *
 * Cost model (wasmtime's default, plus a floor for loop headers): every operator costs 1, except
 * nop, drop, block, loop, end, else, unreachable and return, which cost 0; a pass through a loop
 * header (entering the loop or branching back to it) costs at least 1. Operators are grouped into
 * metered segments: a segment starts at function entry, after `loop`, `if`, `else`, a conditional
 * branch (br_if, br_on_*), at a `catch`/`catch_all`, and after the `end` of an `if`, a `try`, or a
 * `block`/`try_table` that some branch targets. Entering a `block`, a `try` or a `try_table` and
 * leaving a `loop` by falling through do not split segments. Calls do not split segments either: a
 * segment is charged in full, as if at its start, even if a callee throws out of it. Code that
 * cannot be reached gets no charges at all.
 *
 * Joins. The segment after the end of an `if`, or of a `block` that a branch targets (a join), is
 * charged with the segment in which its construct began (its host) when nothing inside the
 * construct leaves it other than to the join (no branch to an outer label, return, throw, tail call
 * or `unreachable`), nothing from the host's end to the join's end resets what the scan knows (a
 * check, a loop, an exception handler, a dynamic charge; counted by `barriers`), and the join
 * needs no check of its own. Every pass through the host then reaches the join exactly once, so a
 * run that finishes is charged exactly what it would be charged without merging (tested against
 * `mergeJoins: false` on random programs); a run that ends inside the construct (a trap, an exit
 * or an exception in a callee) is also charged the join, as it is charged the rest of a segment a
 * callee throws out of. Measured: 1.7 % less code on a 30 MB C++ program (Yosys); a qsort-heavy
 * program ran 1.21x plain instead of 1.23x (node:wasi).
 *
 * Cases. A segment that ends in a br_table (a switch) whose charge is still pending there (no call
 * in it placed the charge earlier) pays its charge in the landings the br_table enters instead,
 * when each of them is the landing of a block or an if that no other edge enters (no other
 * branch, no fallthrough, no catch clause) and is not checked: every pass through the br_table
 * enters exactly one of them, and nothing between the br_table and the landing's own charge can
 * see the counter, so the counter is the same at every check and every point where it is
 * observed, and every run, finished or stopped, is charged the same (tested at every budget
 * against `mergeCases: false`). A checked landing is left out: if its check failed, the counter
 * it wrote back would lack the switch's charge. An interpreter's dispatch loop then runs one
 * charge per instruction instead of two: in Chromium, whose first run of a program keeps its one
 * long call in baseline code, the bytecode interpreter in bench/programs ran 1.16x plain instead
 * of 1.20x side by side in one session (1.17x in the full bench, 1.21x in the one before).
 *
 * INVARIANT. Call "unverified" the fuel charged since the last check that passed. A check at the
 * start of a segment passes only if the counter can pay for the segment, so right after a passed
 * check nothing is unverified. The rewriter keeps the unverified charge at or below
 * UNVERIFIED_LIMIT (MAX_FUEL_OVERRUN = 1000) on every path, across calls and returns, whatever
 * the control flow, so:
 *   - consumed <= budget + 1000 when the run stops for lack of fuel (the counter can end at most
 *     1000 below zero, and it is never clamped), plus the charge of a memory.grow or table.grow
 *     that succeeded just before (they are charged after they run, below);
 *   - everything that runs is charged before it runs (at its segment's start), every loop pass,
 *     call and check run is paid at least 1, and the free operators compile to (almost) no code,
 *     so the work done before the stop is at most a constant times budget + 1000.
 * Why it holds, shape by shape:
 *   - Straight-line code, branches, br_table, if/else: every path is forward, from one segment start
 *     to a later one. The scan knows, at each segment start, the largest unverified charge on any
 *     path into it (edges into a label's landing come from earlier code; `labelAcc`), and checks a
 *     segment whose charge would take it over the limit (`close`). The check sits at the segment's
 *     start and tests whether the counter covers the whole segment, so a huge segment is refused
 *     before any of it runs.
 *   - Loops: every loop header is checked and costs at least 1, so a back edge never skips a
 *     check, and a branch to the outermost of N nested loops pays N for the N checks it passes.
 *   - Calls (call, call_indirect, call_ref, calls to imports): the caller charges its segment,
 *     including the call and the code after it in the segment, before the call. Every function
 *     checks at entry, leaves included (a leaf that skipped its check let one segment of N calls
 *     into it run N times its cost unchecked), so the callee verifies the caller's charge before it
 *     does anything.
 *   - Returns: a chain of returns would run one unchecked tail per frame (a recursion N deep that
 *     unwinds through N tails after the last check). So a frame is left with at most EXIT_LIMIT
 *     (500) unverified: a segment that leaves the frame (return, the final end, a branch to the
 *     function's label, a throw, a tail call that may reach an import) is checked when the charge
 *     on a path through it exceeds EXIT_LIMIT. After a call the caller counts the callee's
 *     EXIT_LIMIT (or its own charge before the call, if larger: an import has no entry check) and
 *     goes on under UNVERIFIED_LIMIT: the code between a call and the next check need not be
 *     checked unless it leaves the frame too, so a loop around a call pays no extra check. Tail
 *     calls to defined functions are verified by the callee's entry check.
 *   - Joins merged into their host (above): between the host's charge and the join's end nothing
 *     checks, so along every path the unverified charge the scan knows never decreases (costs add
 *     up; after a call it rises to EXIT_LIMIT), and every path from a point inside the construct
 *     reaches the join. Charging the join early adds its cost at each point in between to at most
 *     the join's own unverified charge after it, which is within the limit (UNVERIFIED_LIMIT, or
 *     EXIT_LIMIT if the join leaves the frame) because the join needed no check. Nested and chained
 *     merges add up the same way: an inner join's bound is within the outer join's.
 *   - Cases moved into their landings (above): the unverified charge the scan counts is unchanged
 *     (it is computed as if the charge were at the br_table), and the counter only pays the same
 *     amount a little later, before anything reads it; no check sees the difference, since neither
 *     the br_table segment's own check nor any later one is moved, and a checked landing takes
 *     nothing.
 *   - Exceptions: a throw leaves the frame (above). The landing (catch, catch_all, a try_table
 *     catch label) treats the unverified charge as unknown, since the host can throw too: the
 *     handler's first charging segment is checked. Both exception encodings are handled alike.
 *   - The start function is an ordinary function: it checks at entry and in its loops.
 *   - Bulk memory and table operations, memory.grow and table.grow are charged by size and
 *     checked at once (below).
 * Free operators: nop, drop, block, end and the `loop` instruction itself compile to no machine
 * code (a loop pays through its header's floor); else and return compile to one jump each, paid
 * by the `if` or the call they pair with; unreachable ends the run.
 *
 * The counter lives in an i64 local (`fuel`) loaded from the exported global at entry. The global
 * is brought up to date before anything that may leave the function or observe it (calls, tail
 * calls, return, throws, `unreachable`, branches to the function's label, the final `end`), and
 * the local is reloaded from the global where needed after a call or when an exception lands. A
 * segment's charge is placed before the first of those points in it (so everything observable
 * matches charging at the segment's start). A failed check sets the exhausted flag, then calls the
 * module's one out-of-fuel function with the counter, which writes it back as min(counter, 0) (it
 * consumes what was left, as in wasmtime, and keeps an overrun visible) and executes
 * `unreachable`. The failing side is thus 11-13 bytes at each check instead of ~20 of inline
 * write-back, which V8's baseline compiler (where most of a short run of a large program executes)
 * laid out inline at every check: on a call-heavy 30 MB C++ program (Yosys) node:wasi ran the
 * metered module 1.42x the plain one with it, 1.35x without (1.32x with the charge form of
 * `putCharge`; alternating whole-process runs on a 2-core machine). The flag is set before the call so
 * that a stack overflow in that call (a check failing at the very limit of the stack) still reads
 * as fuel exhaustion; the counter is then the value last written back, a lower bound (readFuel).
 * The check tests `fuel < cost` rather than charging first and testing `fuel < 0` (see
 * `newSegment` for why).
 *
 * Dynamic charges, so that one operator cannot do unbounded work for one unit:
 * - memory.fill/copy/init: 1 per 64 bytes of length (rounded down), checked before the op runs
 *   and charged only if it runs (a refused op consumes what was left, like any failed check);
 * - table.fill/copy/init and the GC array.new, array.fill, array.copy and array.init ops: 1 per 8
 *   elements, likewise;
 * - memory.grow: 1024 per page actually added (64 KiB / 64), table.grow: 1 per 8 elements added,
 *   charged after the grow and only when it succeeds (a failed grow does no work);
 * - memory.atomic.wait32/64: 1 per 2 ns of the timeout, checked before the wait; a negative
 *   (endless) timeout is refused (it would cost at least 2^62).
 *
 * Every inserted sequence is stack-neutral, so it validates in unreachable code and inside blocks
 * with parameters. Original bytes are copied between insertion points, never re-encoded.
 */

/** What body rewriting needs from the rest of the module. */
export interface MeteringContext {
  /** Functions below this index are imports. */
  importedFunctions: number;
  fuelGlobal: number;
  exhaustedGlobal: number;
  /** The function a failed check calls: (i64 counter) -> [], writes the counter back, traps (see outOfFuelBody). */
  outOfFuelFunction: number;
  memories64: boolean[];
  tables64: boolean[];
  /** Merge a join's charge into the segment where its construct began, when exact (see `close`). */
  mergeJoins: boolean;
  /** Move a br_table segment's charge into the landings it alone enters, when exact (see `pushCases`). */
  mergeCases: boolean;
}

export interface BodyStats {
  /** Segments that received a charge. */
  meteredSegments: number;
}

/** Thrown by a scan without lateSyncs that meets a catch clause targeting a label. */
const RESCAN = new Error('internal: scan again with late syncs');

/** V8's limits (wasm-limits.h); the spec has none, but a module over them cannot run anywhere we care about. */
const MAX_LOCALS = 50000;
const MAX_FUNCTION_SIZE = 7654321;

// Module-local copies of the hot opcode table and kinds: a transpiler that turns imports into
// getter calls (CommonJS output) would otherwise put a call on every instruction.
const KIND = SINGLE;
const IMM_NONE = Imm.None;
const IMM_U32 = Imm.U32;
const IMM_S32 = Imm.S32;
const IMM_MEMARG = Imm.MemArg;
const IMM_CONTROL = Imm.Control;
const IMM_PREFIX = Imm.Prefix;
const IMM_UNKNOWN = Imm.Unknown;

const BYTES_PER_FUEL_SHIFT = 6; // bulk memory: 1 fuel per 64 bytes
const ELEMENTS_PER_FUEL_SHIFT = 3; // tables and GC arrays: 1 fuel per 8 elements
const PAGE_FUEL_SHIFT = 10; // memory.grow: 65536 / 64 = 1024 fuel per page

// Patch kinds: code inserted at an offset of the original body.
const P_ENTRY = 0; // load the counter, check
const P_CHARGE = 1; // charge a segment
const P_LOOP = 2; // check (at a loop header)
const P_FLUSH = 3; // global := local
const P_RELOAD = 4; // local := global
const P_SYNC = 5; // flush or reload as the branch targets require (resolved when their labels end; see lateSyncs)
const P_RELOAD_IF_CATCH = 6; // loop header: reload if a try_table catch clause targets the loop
const P_BULK = 7; // charge by the length on top of the stack, check
const P_GROW_PRE = 8; // remember the grow delta
const P_GROW_POST = 9; // charge by the delta if the grow succeeded, check
const P_CHARGE_TO_GLOBAL = 10; // charge a segment straight into the global (its first use is a flush)
const P_CHECK = 11; // start of a segment that `close` decided to check (inserted then)

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

// Label flags.
const F_ENTRY_REACH = 1; // the construct was entered from reachable code
const F_TARGETED = 2; // a reachable branch (or catch clause) targets the label
const F_FALL_REACH = 4; // an arm of an if/try falls through into the end
const F_HAS_ELSE = 8; // an if saw its else, a try its first catch

// Segment flags.
const S_ALWAYS_CHECKED = 1; // function entry and loop headers
const S_HEADER = 2; // a loop header: costs at least 1
const S_CALLS = 8; // calls out: other code may run before the rest of the function
const S_EXITS = 16; // leaves the frame (return, throw, a branch to the function label, ...)
const S_JOIN = 32; // a join that may merge into the segment its construct began in (segMergeHost)
const S_MERGED = 64; // merged: segMergeHost is the segment whose charge pays for it
const S_CHECKED = 128; // `close` gave it a check

/**
 * Most unverified charge (see the header) on any path; a segment that would exceed it is checked.
 * Large enough that the extra checks cost nothing measurable (one per ~1000 operators of forward
 * code at most), small enough that the overrun is a rounding error next to any useful budget.
 */
const UNVERIFIED_LIMIT = MAX_FUEL_OVERRUN;
/**
 * Most unverified charge when a frame is left (returns, throws). A caller can rely on it after a
 * call, so a chain of returns cannot pile up one unchecked tail per frame.
 */
const EXIT_LIMIT = MAX_FUEL_OVERRUN / 2;
/** Unverified charge when an exception lands: unknown (the host may have thrown it), so the handler's first charge is checked. */
const UNKNOWN = 0x3fffffff;
/** labelAcc of a label no reachable edge targets (yet). */
const NO_EDGE = -1;
/** lEscape of a construct nothing leaves. */
const MAX_LEVEL = 0x7fffffff;

// Packing of dynamic charge arguments: bit 0 = 64-bit operand, bits 1.. = rate.
const RATE_BYTES = 0;
const RATE_ELEMENTS = 1;
const RATE_PAGES = 2;
const RATE_WAIT_NANOS = 3;

interface Sequences {
  /** local.get $fuel; global.set $remaining */
  flush: Uint8Array;
  /** global.get $remaining; local.set $fuel */
  reload: Uint8Array;
  /** local.get $fuel */
  getFuel: Uint8Array;
  /** With the counter on the stack: trap (after writing it back) when it is negative. */
  check: Uint8Array;
}

export class BodyRewriter {
  private readonly bytes: Uint8Array;
  /** The same bytes, for reading 4 at a time. */
  private readonly input: DataView;
  private readonly ctx: MeteringContext;
  private readonly r: Reader;

  // Per-function state in growable typed arrays, reused across functions.
  /** Patches, 4 ints each: position in the input, kind, argument, auxiliary argument. */
  private patches = new Int32Array(4096);
  private patchCount = 0;
  private segCost = new Int32Array(1024);
  private segFlags = new Uint8Array(1024);
  /** Per segment: its start in the input, and the patch index a check there would take. */
  private segStart = new Int32Array(1024);
  private segCheckAt = new Int32Array(1024);
  /**
   * Per segment flagged S_JOIN: the segment it may merge into, and `barriers` when it began; once
   * S_MERGED, the segment whose charge pays for it.
   */
  private segMergeHost = new Int32Array(1024);
  private segMergeBarriers = new Int32Array(1024);
  /**
   * Per segment: charge moved out of its own charge into the landings of its br_table (`pushCases`),
   * and charge moved into it from the br_table that alone enters it.
   */
  private segOut = new Int32Array(1024);
  private segIn = new Int32Array(1024);
  private segCount = 0;
  /** Label ids referenced by P_SYNC patches. */
  private syncLabels = new Int32Array(1024);
  private syncCount = 0;
  /** Per label id: 1 when a try_table catch clause targets the label. */
  private labelCatch = new Uint8Array(1024);
  /** Per label id: the br_table that last listed it, to list each label once. */
  private labelSyncMark = new Int32Array(1024);
  /** Per label id: the largest unverified charge on an edge into the label's landing, or NO_EDGE. */
  private labelAcc = new Int32Array(1024);
  /** Per label id of an `if`: the unverified charge at the `if` (the else arm starts with it). */
  private labelIfAcc = new Int32Array(1024);
  /** Per label id: reachable edges into its landing, and the segment the landing starts (-1: none yet). */
  private labelEdges = new Int32Array(1024);
  private labelSeg = new Int32Array(1024);
  private labelCount = 0;
  /** br_tables whose charge may move into their landings: segment, charge, first target in caseTargets, count. */
  private cases = new Int32Array(256);
  private caseCount = 0;
  private caseTargets = new Int32Array(1024);
  private caseTargetCount = 0;

  // Label stack: kind, id and flags per nesting level; `top` is the innermost.
  private lKind = new Int32Array(256);
  private lId = new Int32Array(256);
  private lFlags = new Uint8Array(256);
  /** Per nesting level: the lowest level a branch or exit inside it goes to (MAX_LEVEL if none). */
  private lEscape = new Int32Array(256);
  /** Per nesting level: the segment current when the construct began, and `barriers` then. */
  private lHost = new Int32Array(256);
  private lBarriers = new Int32Array(256);
  private top = -1;
  /** Counts the points that end a merge window (see "Joins"): checks, loops, exception handling, dynamic charges. */
  private barriers = 0;

  /**
   * Whether branches record P_SYNC patches, decided once the labels they target end. What a branch
   * needs depends on whether a try_table catch clause targets the label, and such a clause may come
   * after the branch. Functions without one are the rule: their syncs are decided at once (no
   * label is a catch target), and a function that turns out to have one is scanned again with
   * lateSyncs (see RESCAN).
   */
  private lateSyncs = false;
  /** Current segment, or -1 while the code is unreachable. */
  private cur = -1;
  private state = LOCAL_AHEAD;
  private functionIndex = 0;
  private temps64 = 0;
  private temps32 = 0;
  private syncSerial = 0;
  private readonly sequenceCache = new Map<number, Sequences>();
  /** The segment whose charge is deferred, or -1. */
  private pendingSeg = -1;
  /** Unverified charge when the current segment starts. */
  private accIn = 0;
  /** Unverified charge after the current segment, once it has ended (-1 before). */
  private accOut = -1;

  constructor(bytes: Uint8Array, ctx: MeteringContext) {
    this.bytes = bytes;
    this.input = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.ctx = ctx;
    this.r = new Reader(bytes);
    // Each growable array is written a second time here, so that V8 never takes these fields for
    // constants: the first growth, in the middle of a large module, would otherwise throw away
    // all the optimised code that relied on it (measured on a 30 MB module in a fresh process:
    // scan optimised 5 times instead of once).
    this.patches = new Int32Array(this.patches.length);
    this.segCost = new Int32Array(this.segCost.length);
    this.segFlags = new Uint8Array(this.segFlags.length);
    this.segStart = new Int32Array(this.segStart.length);
    this.segCheckAt = new Int32Array(this.segCheckAt.length);
    this.segMergeHost = new Int32Array(this.segMergeHost.length);
    this.segMergeBarriers = new Int32Array(this.segMergeBarriers.length);
    this.segOut = new Int32Array(this.segOut.length);
    this.segIn = new Int32Array(this.segIn.length);
    this.syncLabels = new Int32Array(this.syncLabels.length);
    this.labelCatch = new Uint8Array(this.labelCatch.length);
    this.labelSyncMark = new Int32Array(this.labelSyncMark.length);
    this.labelAcc = new Int32Array(this.labelAcc.length);
    this.labelIfAcc = new Int32Array(this.labelIfAcc.length);
    this.labelEdges = new Int32Array(this.labelEdges.length);
    this.labelSeg = new Int32Array(this.labelSeg.length);
    this.cases = new Int32Array(this.cases.length);
    this.caseTargets = new Int32Array(this.caseTargets.length);
    this.lKind = new Int32Array(this.lKind.length);
    this.lId = new Int32Array(this.lId.length);
    this.lFlags = new Uint8Array(this.lFlags.length);
    this.lEscape = new Int32Array(this.lEscape.length);
    this.lHost = new Int32Array(this.lHost.length);
    this.lBarriers = new Int32Array(this.lBarriers.length);
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
    try {
      this.scan(codeStart);
    } catch (e) {
      if (e !== RESCAN) throw e;
      this.reset(functionIndex, start, end);
      this.lateSyncs = true;
      this.scan(codeStart);
    }
    this.pushCases();

    const extraLocals = 1 + this.temps64 + this.temps32;
    if (localCount + extraLocals > MAX_LOCALS) {
      this.unsupported(`has ${localCount} locals; metering needs ${extraLocals} more and engines accept at most ${MAX_LOCALS}`, start);
    }
    // The body grows by the new local declarations (< 16 bytes) and the patches (~9 bytes each on
    // average, from 0 for a charge of 0 to ~60 for memory.grow).
    const sizeAt = out.reserveLength(end - start + 4 + this.patchCount * 9);
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
    this.lateSyncs = false;
    this.patchCount = 0;
    this.segCount = 0;
    this.syncCount = 0;
    this.labelCount = 0;
    this.caseCount = 0;
    this.caseTargetCount = 0;
    this.top = -1;
    this.barriers = 0;
    this.cur = -1;
    this.state = LOCAL_AHEAD;
    this.temps64 = 0;
    this.temps32 = 0;
    this.pendingSeg = -1;
    this.accIn = 0;
    this.accOut = -1;
  }

  // ---------------------------------------------------------------- scanning

  private scan(codeStart: number): void {
    const r = this.r;
    const bytes = this.bytes;
    const end = r.end;
    this.pushLabel(L_FUNC, true);
    this.newSegment(codeStart, P_ENTRY, 0);
    let pos = codeStart;
    // Cost of the plain ops scanned since the last control op; added to the current segment
    // before anything can change which segment that is.
    let pending = 0;
    for (;;) {
      if (pos >= end) this.malformed('function body ends before its final end', Math.min(pos, end));
      const opStart = pos;
      const op = bytes[pos++];
      const kind = KIND[op];
      // Fast path for the common plain ops, most frequent first; immediates overrunning the body
      // are caught at the loop top.
      if (kind === IMM_U32 || kind === IMM_S32) {
        // Most indices and constants fit one byte.
        if (bytes[pos] < 0x80) pos++;
        else if ((pos = skipLeb(bytes, pos, 5)) < 0) this.malformed('LEB128 number longer than 5 bytes', opStart);
        pending++;
        continue;
      }
      if (kind === IMM_NONE) {
        if (op !== 0x01 && op !== 0x1a) pending++;
        continue;
      }
      if (kind === IMM_MEMARG) {
        const withMemory = (bytes[pos] & 0x40) !== 0;
        pos = skipLeb(bytes, pos, 5);
        if (withMemory && pos >= 0) pos = skipLeb(bytes, pos, 5);
        if (pos >= 0) pos = skipLeb(bytes, pos, 10);
        if (pos < 0) this.malformed('bad memarg', opStart);
        pending++;
        continue;
      }
      if (this.cur >= 0) this.segCost[this.cur] += pending;
      pending = 0;
      r.pos = pos;
      // The most frequent control ops first, each in a method of its own (small enough to get its
      // helpers inlined, which the big `control` switch cannot).
      if (op === 0x0b) {
        if (this.endLabel(opStart)) return;
      } else if (op === 0x04) {
        this.ifOp(opStart);
      } else if (op === 0x0d) {
        this.cost();
        this.conditionalBranch(this.label(opStart), opStart);
      } else if (kind < IMM_CONTROL) {
        skipImmediates(r, kind);
        this.cost();
      } else if (kind === IMM_PREFIX) {
        this.prefixed(op, opStart);
      } else if (kind === IMM_UNKNOWN) {
        this.unknownOpcode(op, null, opStart);
      } else if (this.control(op, opStart)) {
        return;
      }
      pos = r.pos;
    }
  }

  /** Handles a control-kind op; returns true after the function's final end. */
  private control(op: number, opStart: number): boolean {
    const r = this.r;
    const reach = this.cur >= 0;
    switch (op) {
      case 0x00: // unreachable: write back so the host sees the fuel spent before the trap
        if (reach) {
          this.ensureGlobal(opStart);
          this.escape(-1);
        }
        this.stop();
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
      case 0x04:
        this.ifOp(opStart);
        return false;
      case 0x05: {
        // else
        const t = this.top;
        if (this.lKind[t] !== L_IF || (this.lFlags[t] & F_HAS_ELSE) !== 0) this.malformed('else without a matching if', opStart);
        this.fallInto(t, opStart);
        this.lFlags[t] |= F_HAS_ELSE;
        if ((this.lFlags[t] & F_ENTRY_REACH) !== 0) this.newSegment(r.pos, P_CHARGE, this.labelIfAcc[this.lId[t]]);
        else this.stop();
        return false;
      }
      case 0x06: // try (legacy exception handling)
        skipBlockType(r);
        this.cost();
        this.barriers++;
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
        if (this.lKind[t] !== L_TRY || (this.lFlags[t] & F_HAS_ELSE) !== 0) this.malformed('delegate without a matching try', opStart);
        this.cost();
        this.endLabel(opStart);
        return false;
      }
      case 0x08: // throw
      case 0x09: // rethrow
        r.skipLeb(5);
        this.leave(opStart, true);
        return false;
      case 0x0a: // throw_ref
        this.leave(opStart, true);
        return false;
      case 0x0b: // end
        return this.endLabel(opStart);
      case 0x0c: // br
        this.cost();
        this.branch(this.label(opStart), opStart, false);
        this.stop();
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
        this.exits();
        this.stop();
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
      case 0x12: // return_call: a defined callee's entry check verifies everything charged so far
        this.leave(opStart, r.u32() < this.ctx.importedFunctions);
        return false;
      case 0x15: // return_call_ref: the callee may be an import (the host), which checks nothing
        r.skipLeb(5);
        this.leave(opStart, true);
        return false;
      case 0x13: // return_call_indirect
        r.skipLeb(5);
        r.skipLeb(5);
        this.leave(opStart, true);
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

  private ifOp(opStart: number): void {
    const r = this.r;
    skipBlockType(r);
    this.cost();
    const reach = this.cur >= 0;
    const id = this.pushLabel(L_IF, reach);
    if (reach) {
      this.sync(opStart, id, NEED_LOCAL);
      const acc = this.close();
      this.lBarriers[this.top] = this.barriers;
      this.labelIfAcc[id] = acc;
      this.newSegment(r.pos, P_CHARGE, acc);
    }
  }

  private prefixed(prefix: number, opStart: number): void {
    const r = this.r;
    const sub = r.u32();
    const kind = prefixedKind(prefix, sub);
    if (kind === IMM_UNKNOWN) this.unknownOpcode(prefix, sub, opStart);
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
    if (prefix === 0xfe && (sub === 1 || sub === 2)) {
      // memory.atomic.wait32/64 (addr, expected, timeout: i64 ns, negative = forever): a wait is
      // work the budget pays for, or a run with fuel and no timeout could wait for ever. Charged
      // 1 per 2 ns of its timeout before it starts; a negative timeout, read unsigned and halved,
      // is at least 2^62: all that is left, so an endless wait is refused as out of fuel.
      skipImmediates(r, kind);
      this.cost();
      this.bulk(opStart, true, RATE_WAIT_NANOS);
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
    this.lFlags[t] |= F_HAS_ELSE; // in the catch clauses now: delegate is no longer allowed
    this.barriers++;
    if ((this.lFlags[t] & F_ENTRY_REACH) !== 0) {
      // The exception arrives with the global up to date (everything that throws flushes first),
      // from code that may have overrun by any amount: the handler's first segment is checked.
      this.addPatch(this.r.pos, P_RELOAD, 0, 0);
      this.newSegment(this.r.pos, P_CHARGE, UNKNOWN);
      this.cost();
    } else {
      this.stop();
    }
  }

  private tryTable(opStart: number): void {
    const r = this.r;
    this.barriers++;
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
          if (!this.lateSyncs) throw RESCAN;
          this.lFlags[t] |= F_TARGETED;
          this.labelCatch[this.lId[t]] = 1;
          this.edge(this.lId[t], UNKNOWN);
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
    const first = this.syncCount;
    const serial = ++this.syncSerial;
    let need = 0;
    for (let i = 0; i <= n; i++) {
      const depth = this.label(opStart);
      if (!reach) continue;
      const t = this.top - depth;
      if (this.lKind[t] === L_FUNC) {
        need |= NEED_GLOBAL;
      } else {
        this.lFlags[t] |= F_TARGETED;
        if (reach) this.escape(t);
        const id = this.lId[t];
        if (this.labelSyncMark[id] !== serial) {
          this.labelSyncMark[id] = serial;
          this.pushSyncLabel(id);
        }
      }
    }
    if (reach) {
      if ((need & NEED_GLOBAL) !== 0) this.exits();
      // Its charge still pending (no call placed it early) and every target a label's landing:
      // a candidate for `pushCases`, decided once every label has ended.
      const pending = this.pendingSeg === this.cur && need === 0 && !this.lateSyncs && this.ctx.mergeCases;
      const acc = this.close();
      for (let k = first; k < this.syncCount; k++) this.edge(this.syncLabels[k], acc);
      if (pending && this.segCost[this.cur] > 0) this.addCase(first);
      this.addSync(opStart, first, need);
    }
    this.stop();
  }

  /** Records the current segment's br_table, whose targets are syncLabels[first..], as a candidate. */
  private addCase(first: number): void {
    const count = this.syncCount - first;
    if (this.caseCount * 4 === this.cases.length) this.cases = grown(this.cases);
    while (this.caseTargetCount + count > this.caseTargets.length) this.caseTargets = grown(this.caseTargets);
    const c = this.caseCount++ * 4;
    this.cases[c] = this.cur;
    this.cases[c + 1] = this.segCost[this.cur];
    this.cases[c + 2] = this.caseTargetCount;
    this.cases[c + 3] = count;
    for (let k = first; k < this.syncCount; k++) this.caseTargets[this.caseTargetCount++] = this.syncLabels[k];
  }

  /**
   * Cases (see the header): once the body is scanned, a br_table segment whose every target is the
   * landing of a block or an if that no other edge enters and no catch clause targets, and that is
   * not checked, pays its charge in those landings instead (segOut, segIn).
   */
  private pushCases(): void {
    const cases = this.cases;
    for (let c = 0; c < this.caseCount * 4; c += 4) {
      const s = cases[c];
      const cost = cases[c + 1];
      const from = cases[c + 2];
      const to = from + cases[c + 3];
      let alone = true;
      for (let k = from; k < to && alone; k++) {
        const id = this.caseTargets[k];
        const seg = this.labelSeg[id];
        alone = seg >= 0 && this.labelEdges[id] === 1 && this.labelCatch[id] === 0
          && (this.segFlags[seg] & (S_ALWAYS_CHECKED | S_CHECKED | S_JOIN | S_MERGED)) === 0;
      }
      if (!alone) continue;
      this.segOut[s] += cost;
      for (let k = from; k < to; k++) this.segIn[this.labelSeg[this.caseTargets[k]]] += cost;
    }
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
    if (t === this.lKind.length) {
      this.lKind = grown(this.lKind);
      this.lId = grown(this.lId);
      this.lFlags = grown(this.lFlags);
      this.lEscape = grown(this.lEscape);
      this.lHost = grown(this.lHost);
      this.lBarriers = grown(this.lBarriers);
    }
    const id = this.labelCount++;
    if (id === this.labelCatch.length) {
      this.labelCatch = grown(this.labelCatch);
      this.labelSyncMark = grown(this.labelSyncMark);
      this.labelAcc = grown(this.labelAcc);
      this.labelIfAcc = grown(this.labelIfAcc);
      this.labelEdges = grown(this.labelEdges);
      this.labelSeg = grown(this.labelSeg);
    }
    this.labelCatch[id] = 0;
    this.labelEdges[id] = 0;
    this.labelSeg[id] = -1;
    this.labelSyncMark[id] = 0;
    this.labelAcc[id] = NO_EDGE;
    this.lKind[t] = kind;
    this.lId[t] = id;
    this.lFlags[t] = entryReach ? F_ENTRY_REACH : 0;
    this.lEscape[t] = MAX_LEVEL;
    this.lHost[t] = this.cur;
    this.lBarriers[t] = this.barriers;
    return id;
  }

  /** Falling through the end of an if/try arm into the label's landing point. */
  private fallInto(t: number, opStart: number): void {
    if (this.cur < 0) return;
    this.sync(opStart, this.lId[t], 0);
    this.edge(this.lId[t], this.close());
    this.lFlags[t] |= F_FALL_REACH;
  }

  /** `end` (or `delegate`) of the innermost label; true after the function's final end. */
  private endLabel(opStart: number): boolean {
    const t = this.top;
    const kind = this.lKind[t];
    const id = this.lId[t];
    const reach = this.cur >= 0;
    if (t > 0 && this.lEscape[t] < this.lEscape[t - 1]) this.lEscape[t - 1] = this.lEscape[t];
    switch (kind) {
      case L_FUNC:
        if (reach) this.ensureGlobal(opStart);
        this.exits();
        this.stop();
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
        if ((this.lFlags[t] & F_TARGETED) !== 0) {
          if (reach) {
            this.sync(opStart, id, 0);
            this.edge(id, this.close());
          }
          this.landing(this.r.pos, id, P_CHARGE);
          if (kind === L_BLOCK) {
            this.labelSeg[id] = this.cur;
            this.mayMerge(t);
          }
        }
        // Not a branch target: only reachable by falling through, the segment continues.
        return false;
      default: {
        // L_IF, L_TRY
        if (reach) {
          this.sync(opStart, id, 0);
          this.edge(id, this.close());
        }
        const f = this.lFlags[t];
        const elseEdge = kind === L_IF && (f & (F_HAS_ELSE | F_ENTRY_REACH)) === F_ENTRY_REACH;
        if (elseEdge) this.edge(id, this.labelIfAcc[id]);
        const endReach = reach || (f & (F_FALL_REACH | F_TARGETED)) !== 0 || elseEdge;
        this.top--;
        if (endReach) {
          this.landing(this.r.pos, id, P_CHARGE);
          if (kind === L_IF) {
            this.labelSeg[id] = this.cur;
            this.mayMerge(t);
          }
        } else {
          this.stop();
        }
        return false;
      }
    }
  }

  /**
   * A label's landing point starts a segment; exceptions caught by try_table arrive with the global
   * current. A catch clause can only target a label that encloses it, so at the end of a block
   * whether one does is known; at a loop header it is not yet.
   */
  private landing(pos: number, id: number, kind: number): void {
    if (kind === P_LOOP) {
      if (this.lateSyncs) this.addPatch(pos, P_RELOAD_IF_CATCH, id, 0);
    } else if (this.labelCatch[id] === 1) {
      this.addPatch(pos, P_RELOAD, 0, 0);
    }
    this.newSegment(pos, kind, Math.max(0, this.labelAcc[id]));
  }

  private branch(depth: number, opStart: number, conditional: boolean): void {
    if (this.cur < 0) return;
    const t = this.top - depth;
    const fallthrough = conditional ? NEED_LOCAL : 0;
    if (this.lKind[t] === L_FUNC) {
      // Leaves the function: the global must be current.
      this.addSync(opStart, this.syncCount, NEED_GLOBAL | fallthrough);
      this.exits();
    } else {
      this.lFlags[t] |= F_TARGETED;
      this.escape(t);
      this.sync(opStart, this.lId[t], fallthrough);
      this.edge(this.lId[t], this.close());
    }
  }

  private conditionalBranch(depth: number, opStart: number): void {
    if (this.cur < 0) return;
    this.branch(depth, opStart, true);
    this.newSegment(this.r.pos, P_CHARGE, this.close());
  }

  private call(opStart: number): void {
    if (this.cur < 0) return;
    this.segCost[this.cur]++;
    this.segFlags[this.cur] |= S_CALLS;
    this.ensureGlobal(opStart);
    this.state = GLOBAL_AHEAD;
  }

  /**
   * Tail calls and throws: the global must be current, nothing follows. `exitsFrame` unless the
   * next thing to run is a check (a tail call to a defined function checks at entry).
   */
  private leave(opStart: number, exitsFrame: boolean): void {
    if (this.cur >= 0) {
      this.segCost[this.cur]++;
      this.ensureGlobal(opStart);
      if (exitsFrame) this.exits();
      else this.escape(-1);
    }
    this.stop();
  }

  /** The current segment leaves the frame: see EXIT_LIMIT. */
  private exits(): void {
    if (this.cur >= 0) {
      this.segFlags[this.cur] |= S_EXITS;
      this.escape(-1);
    }
  }

  /** A branch or exit from the innermost construct to nesting level `level` (-1: out of the frame). */
  private escape(level: number): void {
    if (level < this.lEscape[this.top]) this.lEscape[this.top] = level;
  }

  /**
   * Called at the landing after the end of the if or block at nesting level `t` (the new segment is
   * current): the join may merge into the segment where the construct began (see `close`).
   */
  private mayMerge(t: number): void {
    const s = this.cur;
    if (this.ctx.mergeJoins && this.lEscape[t] >= t && this.lHost[t] >= 0 && (this.lFlags[t] & F_ENTRY_REACH) !== 0 && this.lBarriers[t] === this.barriers) {
      this.segFlags[s] |= S_JOIN;
      this.segMergeHost[s] = this.lHost[t];
      this.segMergeBarriers[s] = this.lBarriers[t];
    }
  }

  private bulk(opStart: number, is64: boolean, rate: number): void {
    if (this.cur < 0) return;
    this.barriers++;
    this.ensureLocal(opStart);
    this.useTemps(is64, 1);
    this.addPatch(opStart, P_BULK, (is64 ? 1 : 0) | (rate << 1), 0);
    this.state = LOCAL_AHEAD;
  }

  private grow(opStart: number, is64: boolean, rate: number): void {
    if (this.cur < 0) return;
    this.barriers++;
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

  /**
   * Starts a segment; its charge is deferred to the first point that needs the counter (see
   * `chargePending`). Checks (entry, loop headers, segments marked by `close`) test at the start
   * whether the segment is affordable (`fuel < cost`) rather than charging first and testing `fuel < 0`: the compare stays off the
   * charge's dependency chain, which V8 runs markedly faster in tight loops (an interpreter loop:
   * 1.6x slower than plain with charge-then-test, 1.1x with this form).
   */
  private newSegment(pos: number, kind: number, accIn: number): void {
    if (this.pendingSeg >= 0) throw new Error('internal error: a segment ended without its charge');
    this.close();
    if (this.segCount === this.segCost.length) {
      this.segCost = grown(this.segCost);
      this.segFlags = grown(this.segFlags);
      this.segStart = grown(this.segStart);
      this.segCheckAt = grown(this.segCheckAt);
      this.segMergeHost = grown(this.segMergeHost);
      this.segMergeBarriers = grown(this.segMergeBarriers);
      this.segOut = grown(this.segOut);
      this.segIn = grown(this.segIn);
    }
    const s = this.segCount++;
    this.cur = s;
    this.segCost[s] = 0;
    this.segOut[s] = 0;
    this.segIn[s] = 0;
    this.segFlags[s] = kind === P_ENTRY ? S_ALWAYS_CHECKED : kind === P_LOOP ? S_ALWAYS_CHECKED | S_HEADER : 0;
    if (kind === P_LOOP) this.barriers++;
    if (kind === P_CHARGE) {
      // Most segments need no check: its patch is inserted here if `close` decides one is needed.
      this.segStart[s] = pos;
      this.segCheckAt[s] = this.patchCount;
    } else {
      this.addPatch(pos, kind, s, 0);
    }
    this.pendingSeg = s;
    this.state = LOCAL_AHEAD;
    this.accIn = accIn;
    this.accOut = -1;
  }

  /**
   * Ends the current segment's accounting (idempotent): decides whether it is checked and returns
   * the unverified charge after it, or -1 in unreachable code. See the header for the argument.
   */
  private close(): number {
    const s = this.cur;
    if (s < 0 || this.accOut >= 0) return this.accOut;
    const flags = this.segFlags[s];
    let cost = this.segCost[s];
    // A loop header costs at least 1, so that every check it runs is paid for.
    if ((flags & S_HEADER) !== 0 && cost === 0) this.segCost[s] = cost = 1;
    const exits = (flags & S_EXITS) !== 0;
    let acc: number;
    if ((flags & S_ALWAYS_CHECKED) !== 0) {
      acc = 0;
    } else if ((cost > 0 || exits) && this.accIn + cost > (exits ? EXIT_LIMIT : UNVERIFIED_LIMIT)) {
      this.insertPatch(this.segCheckAt[s], this.segStart[s], P_CHECK, s);
      this.segFlags[s] = flags | S_CHECKED;
      this.barriers++;
      acc = 0;
    } else {
      acc = Math.min(this.accIn + cost, UNKNOWN);
      if ((flags & S_JOIN) !== 0 && this.segMergeBarriers[s] === this.barriers) {
        const host = this.segMergeHost[s];
        const owner = (this.segFlags[host] & S_MERGED) !== 0 ? this.segMergeHost[host] : host;
        this.segCost[owner] += cost;
        this.segCost[s] = 0;
        this.segFlags[s] = flags | S_MERGED;
        this.segMergeHost[s] = owner;
      }
    }
    // After a call: the callee left at most EXIT_LIMIT; an import has no entry check to verify the
    // charge made before the call.
    if ((flags & S_CALLS) !== 0) acc = Math.max(acc, EXIT_LIMIT);
    this.accOut = acc;
    return acc;
  }

  /** The current segment ends in a transfer that does not fall through. */
  private stop(): void {
    this.close();
    this.cur = -1;
    this.accOut = -1;
  }

  /** An edge into label `id`'s landing carrying `acc` unverified charge. */
  private edge(id: number, acc: number): void {
    if (acc < 0) return;
    if (acc > this.labelAcc[id]) this.labelAcc[id] = acc;
    this.labelEdges[id]++;
  }

  /**
   * Places the current segment's deferred charge. Every way out of a reachable segment (branch,
   * call, exit, fallthrough into a join) passes through here first, so the counter anyone can
   * observe is the same as if the charge had been made at the segment's start.
   */
  private chargePending(pos: number): void {
    if (this.pendingSeg < 0) return;
    this.addPatch(pos, P_CHARGE, this.pendingSeg, 0);
    this.pendingSeg = -1;
  }

  private ensureGlobal(pos: number): void {
    if (this.pendingSeg >= 0) {
      // Charge straight into the global: local.get; i64.const c; i64.sub; global.set
      this.addPatch(pos, P_CHARGE_TO_GLOBAL, this.pendingSeg, 0);
      this.pendingSeg = -1;
      this.state = GLOBAL_AHEAD;
    } else if (this.state === LOCAL_AHEAD) {
      this.addPatch(pos, P_FLUSH, 0, 0);
      this.state = SYNCED;
    }
  }

  private ensureLocal(pos: number): void {
    this.chargePending(pos);
    if (this.state === GLOBAL_AHEAD) {
      this.addPatch(pos, P_RELOAD, 0, 0);
      this.state = SYNCED;
    }
  }

  /** An edge into label `id` (plus `need` for other successors). */
  private sync(pos: number, id: number, need: number): void {
    if (this.lateSyncs) {
      const first = this.syncCount;
      this.pushSyncLabel(id);
      this.addSync(pos, first, need);
    } else {
      this.chargePending(pos);
      this.syncNow(pos, need | NEED_LOCAL);
    }
  }

  /**
   * Edges into the labels syncLabels[first..] (plus `need` for other successors): a P_SYNC with
   * lateSyncs, else decided now.
   */
  private addSync(pos: number, first: number, need: number): void {
    this.chargePending(pos);
    const count = this.syncCount - first;
    if (this.state === SYNCED || !this.lateSyncs) {
      this.syncCount = first;
      this.syncNow(pos, count > 0 ? need | NEED_LOCAL : need);
      return;
    }
    this.addPatch(pos, P_SYNC, first, count * 16 + this.state * 4 + need);
  }

  /**
   * What a P_SYNC would emit, decided now: `need` is complete (no label is a catch target). The
   * scan's state stays as it was, as with a P_SYNC, whose effect the scan does not know.
   */
  private syncNow(pos: number, need: number): void {
    if (this.state === LOCAL_AHEAD && (need & NEED_GLOBAL) !== 0) this.addPatch(pos, P_FLUSH, 0, 0);
    else if (this.state === GLOBAL_AHEAD && (need & NEED_LOCAL) !== 0) this.addPatch(pos, P_RELOAD, 0, 0);
  }

  private pushSyncLabel(id: number): void {
    if (this.syncCount === this.syncLabels.length) this.syncLabels = grown(this.syncLabels);
    this.syncLabels[this.syncCount++] = id;
  }

  private addPatch(pos: number, kind: number, arg: number, aux: number): void {
    let at = this.patchCount * 4;
    if (at === this.patches.length) this.patches = grown(this.patches);
    const p = this.patches;
    p[at++] = pos;
    p[at++] = kind;
    p[at++] = arg;
    p[at] = aux;
    this.patchCount++;
  }

  /** Inserts a patch at index `index`, before those of the current segment recorded since it began. */
  private insertPatch(index: number, pos: number, kind: number, arg: number): void {
    if (this.patchCount * 4 === this.patches.length) this.patches = grown(this.patches);
    const p = this.patches;
    // A segment records a handful of patches: moving them one by one beats copyWithin's call.
    for (let k = this.patchCount * 4 - 1; k >= index * 4; k--) p[k + 4] = p[k];
    p[index * 4] = pos;
    p[index * 4 + 1] = kind;
    p[index * 4 + 2] = arg;
    p[index * 4 + 3] = 0;
    this.patchCount++;
  }

  // ---------------------------------------------------------------- emission

  /** Copies the body from `codeStart` with the patches inserted; returns the number of charged segments. */
  private emit(out: Writer, codeStart: number, end: number, fuelLocal: number): number {
    const g = this.ctx.fuelGlobal;
    const e = this.ctx.exhaustedGlobal;
    const oof = this.ctx.outOfFuelFunction;
    const temp64 = fuelLocal + 1;
    const temp32 = fuelLocal + 1 + this.temps64;
    const { flush, reload, getFuel, check } = this.sequences(fuelLocal);

    const bytes = this.bytes;
    const input = this.input;
    const n = this.patchCount;
    const patches = this.patches;
    out.ensure(end - codeStart + n * MAX_PATCH_BYTES + COPY_OVERSHOOT);
    const buf = out.bytes;
    const output = out.view;
    let at = out.length;
    let last = codeStart;
    let metered = 0;
    for (let i = 0; i < n; i++) {
      const pos = patches[i * 4];
      if (pos > last) {
        at = copyRange(buf, output, at, bytes, input, last, pos);
        last = pos;
      }
      const arg = patches[i * 4 + 2];
      switch (patches[i * 4 + 1]) {
        case P_ENTRY:
          // global.get $remaining; local.tee $fuel; affordability check
          buf[at++] = 0x23;
          at = putU32(buf, at, g);
          buf[at++] = 0x22;
          at = putU32(buf, at, fuelLocal);
          at = putAffordCheck(buf, at, this.segCost[arg], fuelLocal, oof, e);
          break;
        case P_CHECK:
          at = put(buf, at, getFuel, 0, getFuel.length);
          at = putAffordCheck(buf, at, this.segCost[arg], fuelLocal, oof, e);
          break;
        case P_CHARGE: {
          const c = this.segCost[arg] - this.segOut[arg] + this.segIn[arg];
          if (c === 0) break;
          at = put(buf, at, getFuel, 0, getFuel.length);
          at = putCharge(buf, at, c);
          buf[at++] = 0x21;
          at = putU32(buf, at, fuelLocal);
          metered++;
          break;
        }
        case P_CHARGE_TO_GLOBAL: {
          // A charge deferred to a flush: global := local - c
          const c = this.segCost[arg] - this.segOut[arg] + this.segIn[arg];
          at = put(buf, at, getFuel, 0, getFuel.length);
          if (c > 0) {
            at = putCharge(buf, at, c);
            metered++;
          }
          buf[at++] = 0x24;
          at = putU32(buf, at, g);
          break;
        }
        case P_LOOP:
          at = put(buf, at, getFuel, 0, getFuel.length);
          at = putAffordCheck(buf, at, this.segCost[arg], fuelLocal, oof, e);
          break;
        case P_FLUSH:
          at = put(buf, at, flush, 0, flush.length);
          break;
        case P_RELOAD:
          at = put(buf, at, reload, 0, reload.length);
          break;
        case P_RELOAD_IF_CATCH:
          if (this.labelCatch[arg] === 1) at = put(buf, at, reload, 0, reload.length);
          break;
        case P_SYNC: {
          const aux = patches[i * 4 + 3];
          const state = (aux >> 2) & 3;
          let need = aux & 3;
          const count = aux >> 4;
          for (let k = arg; k < arg + count; k++) need |= this.labelCatch[this.syncLabels[k]] === 1 ? NEED_GLOBAL : NEED_LOCAL;
          if (state === LOCAL_AHEAD && (need & NEED_GLOBAL) !== 0) at = put(buf, at, flush, 0, flush.length);
          else if (state === GLOBAL_AHEAD && (need & NEED_LOCAL) !== 0) at = put(buf, at, reload, 0, reload.length);
          break;
        }
        case P_BULK: {
          // [.., n] -> [.., n]: local.tee $t; trap if fuel < n >> shift; fuel -= n >> shift
          // (a refused operation is not charged: it consumes what was left, like any failed check)
          const is64 = (arg & 1) === 1;
          const temp = is64 ? temp64 : temp32;
          const shift = rateShift(arg >> 1);
          buf[at++] = 0x22;
          at = putU32(buf, at, temp);
          at = put(buf, at, getFuel, 0, getFuel.length);
          at = putScaled(buf, at, temp, is64, shift);
          at = putTrapIfLess(buf, at, fuelLocal, oof, e);
          at = put(buf, at, getFuel, 0, getFuel.length);
          at = putScaled(buf, at, temp, is64, shift);
          buf[at++] = 0x7d; // i64.sub
          buf[at++] = 0x21;
          at = putU32(buf, at, fuelLocal);
          break;
        }
        case P_GROW_PRE:
          // Keep the delta for after the grow (it stays on the stack too).
          buf[at++] = 0x22;
          at = putU32(buf, at, (arg & 1) === 1 ? temp64 : temp32);
          break;
        case P_GROW_POST: {
          // [.., result] -> [.., result]: fuel -= result != -1 ? scaled delta : 0; check
          const is64 = (arg & 1) === 1;
          const delta = is64 ? temp64 : temp32;
          const result = delta + 1;
          const rate = arg >> 1;
          buf[at++] = 0x21;
          at = putU32(buf, at, result);
          at = put(buf, at, getFuel, 0, getFuel.length);
          buf[at++] = 0x20;
          at = putU32(buf, at, delta);
          if (!is64) buf[at++] = 0xad;
          buf[at++] = 0x42;
          buf[at++] = rateShift(rate);
          buf[at++] = rate === RATE_PAGES ? 0x86 : 0x88; // pages: i64.shl, elements: i64.shr_u
          buf[at++] = 0x42;
          buf[at++] = 0x00;
          buf[at++] = 0x20;
          at = putU32(buf, at, result);
          buf[at++] = is64 ? 0x42 : 0x41;
          buf[at++] = 0x7f; // -1
          buf[at++] = is64 ? 0x52 : 0x47; // ne
          buf[at++] = 0x1b; // select
          buf[at++] = 0x7d;
          buf[at++] = 0x22;
          at = putU32(buf, at, fuelLocal);
          at = put(buf, at, check, 0, check.length);
          buf[at++] = 0x20;
          at = putU32(buf, at, result);
          break;
        }
      }
    }
    at = copyRange(buf, output, at, bytes, input, last, end);
    out.length = at;
    return metered;
  }

  /** The fixed instruction sequences for a fuel local index (cached: most functions share a few). */
  private sequences(fuelLocal: number): Sequences {
    let cached = this.sequenceCache.get(fuelLocal);
    if (cached === undefined) {
      cached = this.encodeSequences(fuelLocal);
      this.sequenceCache.set(fuelLocal, cached);
    }
    return cached;
  }

  private encodeSequences(fuelLocal: number): Sequences {
    const g = this.ctx.fuelGlobal;
    const flush = encode((w) => {
      w.u8(0x20);
      w.u32(fuelLocal);
      w.u8(0x24);
      w.u32(g);
    });
    const reload = encode((w) => {
      w.u8(0x23);
      w.u32(g);
      w.u8(0x21);
      w.u32(fuelLocal);
    });
    const getFuel = encode((w) => {
      w.u8(0x20);
      w.u32(fuelLocal);
    });
    // With the counter on the stack: i64.const 0, then the failing side of a check.
    const check = new Uint8Array(32);
    check[0] = 0x42;
    check[1] = 0x00;
    const checkEnd = putTrapIfLess(check, 2, fuelLocal, this.ctx.outOfFuelFunction, this.ctx.exhaustedGlobal);
    return { flush, reload, getFuel, check: check.subarray(0, checkEnd) };
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

function grown<T extends Int32Array | Uint8Array>(a: T): T {
  const bigger = new (a.constructor as new (n: number) => T)(a.length * 2);
  bigger.set(a);
  return bigger;
}

/** Position after a LEB128 number of at most `max` bytes, or -1 when it is longer. */
function skipLeb(bytes: Uint8Array, pos: number, max: number): number {
  for (let i = 0; i < max; i++) if ((bytes[pos++] & 0x80) === 0) return pos;
  return -1;
}

function rateShift(rate: number): number {
  switch (rate) {
    case RATE_BYTES:
      return BYTES_PER_FUEL_SHIFT;
    case RATE_ELEMENTS:
      return ELEMENTS_PER_FUEL_SHIFT;
    case RATE_WAIT_NANOS:
      return 1;
    default:
      return PAGE_FUEL_SHIFT;
  }
}

/** Encodes a short instruction sequence. */
function encode(build: (w: Writer) => void): Uint8Array {
  const w = new Writer(32);
  build(w);
  return w.result();
}

/** Upper bound of the bytes one patch adds (the grow epilogue is the longest, ~60 with 5-byte indices). */
const MAX_PATCH_BYTES = 96;

/** Copies a short fixed sequence. */
function put(buf: Uint8Array, at: number, src: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) buf[at++] = src[i];
  return at;
}

/** Bytes a copy may write past its end (see copyRange). */
const COPY_OVERSHOOT = 3;

/**
 * Copies original bytes src[start, end) to buf at `at` (`input` and `output` view the same bytes
 * as `src` and `buf`). Most runs between insertion points are a few bytes: they go 4 at a time
 * through the DataViews, the last word writing up to COPY_OVERSHOOT bytes too many, which what
 * comes next overwrites (emission writes forward only). Only long runs are worth the subarray
 * `set` needs.
 */
function copyRange(buf: Uint8Array, output: DataView, at: number, src: Uint8Array, input: DataView, start: number, end: number): number {
  const n = end - start;
  if (n > 64 || end + COPY_OVERSHOOT > src.length) {
    buf.set(src.subarray(start, end), at);
    return at + n;
  }
  for (let k = 0; k < n; k += 4) output.setInt32(at + k, input.getInt32(start + k, true), true);
  return at + n;
}

function putU32(buf: Uint8Array, at: number, value: number): number {
  let v = value >>> 0;
  while (v >= 0x80) {
    buf[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[at++] = v;
  return at;
}

/**
 * With the counter on the stack: `i64.const c; i64.lt_s; if; flag := 1; call $out_of_fuel(fuel);
 * unreachable; end`, i.e. trap when the segment costing c cannot be paid for; the failed check
 * consumes what was left, as in wasmtime (an overrun already made stays visible). The cold path
 * must not compute `fuel - c`: V8 would share it with the charge that follows and schedule the
 * subtraction ahead of the compare, which costs an interpreter loop 30-50 % (bench/programs/interp).
 */
function putAffordCheck(buf: Uint8Array, at: number, c: number, fuelLocal: number, oof: number, e: number): number {
  at = putConst(buf, at, c);
  return putTrapIfLess(buf, at, fuelLocal, oof, e);
}

/**
 * With the counter and a cost on the stack: the failing side of `putAffordCheck`.
 * i64.lt_s; if; flag := 1; call $out_of_fuel(fuel); unreachable; end
 * (the `unreachable` after the call tells the compiler the arm never falls through).
 */
function putTrapIfLess(buf: Uint8Array, at: number, fuelLocal: number, oof: number, e: number): number {
  buf[at++] = 0x53; // i64.lt_s
  buf[at++] = 0x04;
  buf[at++] = 0x40;
  buf[at++] = 0x41;
  buf[at++] = 0x01;
  buf[at++] = 0x24;
  at = putU32(buf, at, e);
  buf[at++] = 0x20;
  at = putU32(buf, at, fuelLocal);
  buf[at++] = 0x10;
  at = putU32(buf, at, oof);
  buf[at++] = 0x00;
  buf[at++] = 0x0b;
  return at;
}

/**
 * The body of the out-of-fuel function, type (param i64): global $remaining := min(counter, 0),
 * then `unreachable`. min(x, 0) = x & (x >> 63).
 */
export function outOfFuelBody(fuelGlobal: number): Uint8Array {
  return encode((w) => {
    w.u8(0x00); // no locals
    w.u8(0x20);
    w.u8(0x00);
    w.u8(0x20);
    w.u8(0x00);
    w.u8(0x42);
    w.u8(63);
    w.u8(0x87); // i64.shr_s
    w.u8(0x83); // i64.and
    w.u8(0x24);
    w.u32(fuelGlobal);
    w.u8(0x00);
    w.u8(0x0b);
  });
}

/** The i64 cost of the length in local `temp`: length >> shift. */
function putScaled(buf: Uint8Array, at: number, temp: number, is64: boolean, shift: number): number {
  buf[at++] = 0x20;
  at = putU32(buf, at, temp);
  if (!is64) buf[at++] = 0xad; // i64.extend_i32_u
  buf[at++] = 0x42;
  buf[at++] = shift;
  buf[at++] = 0x88; // i64.shr_u
  return at;
}

/** i64.const c; i64.sub (c is a positive segment cost below 2^32). */
/**
 * fuel - c, as i64.const -c; i64.add: Liftoff (V8's baseline compiler, where most of a short run of
 * a large program executes) turns an add of a constant into one lea, a sub of one into three
 * instructions; the optimising compiler makes the same code of both.
 */
function putCharge(buf: Uint8Array, at: number, c: number): number {
  buf[at++] = 0x42;
  // Signed LEB128 of -c (0 < c < 2^31).
  let v = -c;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if (v === -1 && (byte & 0x40) !== 0) {
      buf[at++] = byte;
      break;
    }
    buf[at++] = byte | 0x80;
  }
  buf[at++] = 0x7c; // i64.add
  return at;
}

/** i64.const c for 0 <= c < 2^31 (segment costs: at most one per byte of a body). */
function putConst(buf: Uint8Array, at: number, c: number): number {
  buf[at++] = 0x42;
  let v = c;
  while (v >= 0x40) {
    buf[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[at++] = v;
  return at;
}
