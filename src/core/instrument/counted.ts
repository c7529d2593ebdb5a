import { Writer } from './writer.ts';

/**
 * Test support (the soundness tests and the instrument fuzz target): programs that count the work
 * they do, so that a test can hold the work a metered run really did against its fuel budget with
 * a counter the metering knows nothing about.
 *
 * A Program is a list of functions of type [] -> [] built from stack-neutral statements.
 * `toBinary` encodes it with the counter added: an imported mutable i64 global
 * (`count.work`) that the code bumps at the start of every straight-line run by the work of the
 * run. Work = instructions executed, the bump itself included, plus one per pass through a loop
 * header (entering a loop or branching back to it, where the metering's check runs); `block`,
 * `loop` and the delimiters else, catch, catch_all and end count nothing: they compile to no
 * machine code. A run is counted in full when it starts, so a
 * run cut short by a trap is over-counted: the counter is an upper bound of the work done.
 *
 * Loop headers: the bump of a loop whose body starts with another statement sits in its header and
 * counts the pass. A loop whose body starts with another loop (a chain, such as the nested loops
 * of issue 13) gets no bump in its header, so that the metering sees the header empty, as written;
 * the branch that goes there counts the headers it passes instead (statically for `br`, with a
 * computed bump for `br_if` and `br_table`).
 */

export type Stmt =
  /** n groups of 4 instructions on a global: global.get, i32.const, i32.xor, global.set. */
  | { k: 'work'; n: number }
  | { k: 'block'; body: Stmt[] }
  | { k: 'loop'; body: Stmt[] }
  /** Taken when a shared counter, incremented on every test, has a bit of `mask` set. */
  | { k: 'if'; mask: number; then: Stmt[]; else: Stmt[] | null }
  /** `depth` counts the enclosing labels from the innermost; the function's own label is the last. */
  | { k: 'br'; depth: number }
  | { k: 'br_if'; depth: number; mask: number }
  /** Cycles through the depths (the last is the default). */
  | { k: 'br_table'; depths: number[] }
  /** Function index in Program.functions, or HOST for the imported `env.host`. */
  | { k: 'call'; fn: number }
  | { k: 'call_indirect'; fn: number }
  | { k: 'return_call'; fn: number }
  | { k: 'return_call_indirect'; fn: number }
  | { k: 'return' }
  | { k: 'throw' }
  /** Legacy exception handling: try ... catch $e (or catch_all) ... end. */
  | { k: 'try'; body: Stmt[]; handler: Stmt[]; catchAll: boolean }
  /** New exception handling: block (block (try_table (catch_all 0) body) br 1) handler end. */
  | { k: 'try_table'; body: Stmt[]; handler: Stmt[] }
  /** Recursion guard: runs body only while the call depth is below limit. */
  | { k: 'guard'; limit: number; body: Stmt[] };

export const HOST = -1;

export interface Program {
  functions: Stmt[][];
  /** Exported as "main". */
  main: number;
  start: number | null;
}

/** The labels each statement puts in scope for its parts (what a branch depth counts). */
export const LABELS_IN = {
  block: 1,
  loop: 1,
  if: 1,
  try: 1,
  tryTableBody: 3,
  tryTableHandler: 1,
  guard: 1,
} as const;

// Constructors, for readable tests.
export const work = (n: number): Stmt => ({ k: 'work', n });
export const block = (...body: Stmt[]): Stmt => ({ k: 'block', body });
export const loop = (...body: Stmt[]): Stmt => ({ k: 'loop', body });
export const when = (mask: number, then: Stmt[], otherwise: Stmt[] | null = null): Stmt => ({ k: 'if', mask, then, else: otherwise });
export const br = (depth: number): Stmt => ({ k: 'br', depth });
export const brIf = (depth: number, mask: number): Stmt => ({ k: 'br_if', depth, mask });
export const brTable = (...depths: number[]): Stmt => ({ k: 'br_table', depths });
export const call = (fn: number): Stmt => ({ k: 'call', fn });
export const callIndirect = (fn: number): Stmt => ({ k: 'call_indirect', fn });
export const returnCall = (fn: number): Stmt => ({ k: 'return_call', fn });
export const returnCallIndirect = (fn: number): Stmt => ({ k: 'return_call_indirect', fn });
export const ret = (): Stmt => ({ k: 'return' });
export const raise = (): Stmt => ({ k: 'throw' });
export const tryCatch = (body: Stmt[], handler: Stmt[], catchAll = false): Stmt => ({ k: 'try', body, handler, catchAll });
export const tryTable = (body: Stmt[], handler: Stmt[]): Stmt => ({ k: 'try_table', body, handler });
export const guard = (limit: number, ...body: Stmt[]): Stmt => ({ k: 'guard', limit, body });
export const repeat = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

// Index spaces of the generated module.
const G_WORK = 0; // imported
const G_TEST = 1; // the shared test counter
const G_ACC = 2; // what `work` statements mix into
const G_DEPTH = 3; // recursion depth of `guard`
const L_TEMP = 0; // the function's one local (i32)
const HOST_FUNCTION = 0; // imported; program functions follow

const BUMP_WORK = 4;
/** Bytes of a bump: global.get, i64.const (5-byte padded LEB), i64.add, global.set. */
const BUMP_BYTES = 2 + 6 + 1 + 2;

/** Headers a branch to this loop passes that no bump counts: the loops of its chain but the last. */
function uncountedHeaders(s: Stmt): number {
  let n = 0;
  for (let l = s; l.k === 'loop' && l.body[0]?.k === 'loop'; l = l.body[0]) n++;
  return n;
}

/** One function body, encoded straight to binary (wabt's text parser takes minutes on 200 nested loops). */
class FunctionCode {
  readonly out = new Writer(256);
  /** Per enclosing label, innermost last: headers passed uncounted when a branch goes there (0 for non-loops). */
  private readonly labels: number[] = [];
  private bumpAt = -1;
  private count = 0;

  constructor(private readonly data: number[]) {}

  /** Starts a straight-line run: its bump goes here and counts what follows until the next point. */
  point(extra = 0): void {
    this.flush();
    this.bumpAt = this.out.length;
    for (let i = 0; i < BUMP_BYTES; i++) this.out.u8(0);
    this.count = BUMP_WORK + extra;
  }

  /** Writes the pending bump: global.get $work; i64.const count; i64.add; global.set $work. */
  flush(): void {
    if (this.bumpAt < 0) return;
    const b = this.out.bytes;
    let at = this.bumpAt;
    b[at++] = 0x23;
    b[at++] = G_WORK;
    b[at++] = 0x42;
    for (let i = 0, v = this.count; i < 5; i++, v = Math.floor(v / 128)) b[at++] = (v % 128) | (i < 4 ? 0x80 : 0);
    b[at++] = 0x7c;
    b[at++] = 0x24;
    b[at] = G_WORK;
    this.bumpAt = -1;
  }

  /** An instruction: opcode and immediates (u32 LEBs unless given as bytes), counted as `counted`. */
  private ins(bytes: number[], counted = 1): void {
    for (const b of bytes) this.out.u8(b);
    this.count += counted;
  }

  private op(opcode: number, ...u32s: number[]): void {
    this.out.u8(opcode);
    for (const v of u32s) this.out.u32(v);
    this.count++;
  }

  private i32Const(v: number): void {
    this.out.u8(0x41);
    this.out.s64(v | 0);
    this.count++;
  }

  private delim(opcode: number): void {
    this.out.u8(opcode);
  }

  /** Leaves a value of the shared test counter (8 instructions): counter & mask, or counter % n. */
  private test(opcode: number, operand: number): void {
    this.op(0x23, G_TEST);
    this.i32Const(1);
    this.op(0x6a); // i32.add
    this.op(0x22, L_TEMP); // local.tee
    this.op(0x24, G_TEST);
    this.op(0x20, L_TEMP);
    this.i32Const(operand);
    this.op(opcode);
  }

  private target(depth: number): number {
    if (depth > this.labels.length) throw new Error(`branch depth ${depth} with ${this.labels.length} labels`);
    return depth === this.labels.length ? 0 : this.labels[this.labels.length - 1 - depth];
  }

  private body(labels: number, stmts: Stmt[]): void {
    for (let i = 0; i < labels; i++) this.labels.push(0);
    for (const s of stmts) this.stmt(s);
    this.labels.length -= labels;
  }

  stmt(s: Stmt): void {
    switch (s.k) {
      case 'work':
        for (let i = 0; i < s.n; i++) {
          this.op(0x23, G_ACC);
          this.i32Const(Math.imul(i + 1, 0x9e3779b1));
          this.op(0x73); // i32.xor
          this.op(0x24, G_ACC);
        }
        return;
      case 'block':
        this.ins([0x02, 0x40], 0);
        this.body(LABELS_IN.block, s.body);
        this.delim(0x0b);
        this.point();
        return;
      case 'loop': {
        // A chain of loops (each the first statement of the one before) is walked without
        // recursion: the nested loops of issue 13 are 20,000 deep.
        const chain: Extract<Stmt, { k: 'loop' }>[] = [s];
        for (let l = s.body[0]; l?.k === 'loop'; l = l.body[0]) chain.push(l);
        chain.forEach((l, i) => {
          const uncounted = uncountedHeaders(l);
          // Entering by falling through passes the chain's uncounted headers once.
          this.ins([0x03, 0x40], i === 0 ? uncounted : 0);
          this.labels.push(uncounted);
        });
        this.point(1); // the innermost header's pass
        for (let i = chain.length - 1; i >= 0; i--) {
          for (const inner of chain[i].body.slice(i === chain.length - 1 ? 0 : 1)) this.stmt(inner);
          this.labels.pop();
          this.delim(0x0b);
          this.point();
        }
        return;
      }
      case 'if':
        this.test(0x71, s.mask); // i32.and
        this.ins([0x04, 0x40]);
        this.labels.push(0);
        this.point();
        for (const inner of s.then) this.stmt(inner);
        if (s.else !== null) {
          this.delim(0x05);
          this.point();
          for (const inner of s.else) this.stmt(inner);
        }
        this.labels.pop();
        this.delim(0x0b);
        this.point();
        return;
      case 'br':
        this.out.u8(0x0c);
        this.out.u32(s.depth);
        this.count += 1 + this.target(s.depth);
        this.point(); // what follows is unreachable: counted apart, never run
        return;
      case 'br_if': {
        const uncounted = this.target(s.depth);
        this.test(0x71, s.mask);
        if (uncounted > 0) {
          // work += taken ? uncounted : 0
          this.op(0x22, L_TEMP);
          this.op(0x23, G_WORK);
          this.op(0x20, L_TEMP);
          this.op(0x45); // i32.eqz
          this.op(0x45);
          this.op(0xad); // i64.extend_i32_u
          this.out.u8(0x42);
          this.out.s64(uncounted);
          this.count++;
          this.op(0x7e); // i64.mul
          this.op(0x7c); // i64.add
          this.op(0x24, G_WORK);
        }
        this.op(0x0d, s.depth);
        this.point();
        return;
      }
      case 'br_table': {
        const uncounted = s.depths.map((d) => this.target(d));
        this.test(0x70, s.depths.length); // i32.rem_u
        if (uncounted.some((u) => u > 0)) {
          // work += uncounted[selector], from a table in memory
          const base = this.data.length;
          for (const u of uncounted) for (let b = 0, v = u; b < 8; b++, v = Math.floor(v / 256)) this.data.push(v % 256);
          this.op(0x22, L_TEMP);
          this.op(0x23, G_WORK);
          this.op(0x20, L_TEMP);
          this.i32Const(3);
          this.op(0x74); // i32.shl
          this.op(0x29, 3, base); // i64.load align=8 offset=base
          this.op(0x7c);
          this.op(0x24, G_WORK);
        }
        this.op(0x0e, s.depths.length - 1, ...s.depths);
        this.point();
        return;
      }
      case 'call':
        this.op(0x10, functionIndex(s.fn));
        this.point();
        return;
      case 'call_indirect':
        this.i32Const(s.fn);
        this.op(0x11, 0, 0);
        this.point();
        return;
      case 'return_call':
        this.op(0x12, functionIndex(s.fn));
        this.point();
        return;
      case 'return_call_indirect':
        this.i32Const(s.fn);
        this.op(0x13, 0, 0);
        this.point();
        return;
      case 'return':
        this.op(0x0f);
        this.point();
        return;
      case 'throw':
        this.op(0x08, 0);
        this.point();
        return;
      case 'try':
        this.ins([0x06, 0x40]);
        this.labels.push(0);
        this.point();
        for (const inner of s.body) this.stmt(inner);
        if (s.catchAll) {
          this.delim(0x19);
        } else {
          this.delim(0x07);
          this.out.u32(0);
        }
        this.point();
        for (const inner of s.handler) this.stmt(inner);
        this.labels.pop();
        this.delim(0x0b);
        this.point();
        return;
      case 'try_table':
        this.ins([0x02, 0x40], 0); // done
        this.ins([0x02, 0x40], 0); // the handler's landing
        this.ins([0x1f, 0x40, 1, 0x02, 0]); // try_table (catch_all 0)
        this.labels.push(0, 0, 0);
        this.point();
        for (const inner of s.body) this.stmt(inner);
        this.labels.pop();
        this.delim(0x0b);
        this.point();
        this.op(0x0c, 1);
        this.labels.pop();
        this.delim(0x0b);
        this.point(); // an exception lands here
        for (const inner of s.handler) this.stmt(inner);
        this.labels.pop();
        this.delim(0x0b);
        this.point();
        return;
      case 'guard':
        this.op(0x23, G_DEPTH);
        this.i32Const(s.limit);
        this.op(0x49); // i32.lt_u
        this.ins([0x04, 0x40]);
        this.labels.push(0);
        this.point();
        this.depthBy(0x6a);
        for (const inner of s.body) this.stmt(inner);
        this.depthBy(0x6b);
        this.labels.pop();
        this.delim(0x0b);
        this.point();
        return;
    }
  }

  private depthBy(opcode: number): void {
    this.op(0x23, G_DEPTH);
    this.i32Const(1);
    this.op(opcode);
    this.op(0x24, G_DEPTH);
  }
}

function functionIndex(fn: number): number {
  return fn === HOST ? HOST_FUNCTION : fn + 1;
}

/**
 * The program as a module: imports `count.work` (mut i64) and `env.host` (a function), exports
 * "main"; one table holding every function in order (call_indirect's index is the function's),
 * one memory, one tag.
 */
export function toBinary(program: Program): Uint8Array<ArrayBuffer> {
  const data: number[] = [];
  const bodies = program.functions.map((stmts) => {
    const f = new FunctionCode(data);
    f.point();
    for (const s of stmts) f.stmt(s);
    f.flush();
    f.out.u8(0x0b);
    return f.out.result();
  });
  const n = program.functions.length;
  const w = new Writer(1024 + bodies.reduce((a, b) => a + b.length + 8, 0) + data.length);
  w.copy(Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), 0, 8);
  const section = (id: number, write: () => void) => {
    w.u8(id);
    const at = w.reserveLength();
    write();
    w.patchLength(at);
  };
  const vector = <T>(items: T[], write: (item: T, i: number) => void) => {
    w.u32(items.length);
    items.forEach(write);
  };
  const constI32 = (v: number) => {
    w.u8(0x41);
    w.s64(v);
    w.u8(0x0b);
  };
  section(1, () => vector([0], () => [0x60, 0, 0].forEach((b) => w.u8(b))));
  section(2, () => {
    w.u32(2);
    w.name('count');
    w.name('work');
    [0x03, 0x7e, 0x01].forEach((b) => w.u8(b));
    w.name('env');
    w.name('host');
    w.u8(0x00);
    w.u32(0);
  });
  section(3, () => vector(bodies, () => w.u8(0)));
  section(4, () => vector([0], () => {
    w.u8(0x70);
    w.u8(0x00);
    w.u32(n);
  }));
  section(5, () => vector([0], () => [0x00, 0x01].forEach((b) => w.u8(b))));
  section(13, () => vector([0], () => [0x00, 0x00].forEach((b) => w.u8(b))));
  section(6, () => vector([G_TEST, G_ACC, G_DEPTH], () => {
    w.u8(0x7f);
    w.u8(0x01);
    constI32(0);
  }));
  section(7, () => vector([0], () => {
    w.name('main');
    w.u8(0x00);
    w.u32(functionIndex(program.main));
  }));
  if (program.start !== null) section(8, () => w.u32(functionIndex(program.start ?? 0)));
  section(9, () => vector([0], () => {
    w.u8(0x00);
    constI32(0);
    vector(bodies, (_, i) => w.u32(functionIndex(i)));
  }));
  section(10, () => vector(bodies, (body) => {
    const at = w.reserveLength();
    w.u8(1); // one local declaration: $t i32
    w.u8(1);
    w.u8(0x7f);
    w.copy(body, 0, body.length);
    w.patchLength(at);
  }));
  section(11, () => vector([0], () => {
    w.u8(0x00);
    constI32(0);
    w.u32(data.length);
    for (const b of data) w.u8(b);
  }));
  return w.result();
}
