/**
 * The WebAssembly fuel and memory-cap instrumenter: a single-pass binary rewriter.
 *
 * `instrument` adds fuel metering (see body.ts for the cost model) and lowers memory maxima to a
 * cap, copying every byte it does not need to change, and can hand the start function to the host
 * (`deferStart`). `readFuel` reads the result back from an instance. Pure TypeScript: runs in
 * browsers, workers and Node.
 */
import { BodyRewriter, outOfFuelBody, type MeteringContext } from './body.ts';
import { InstrumentError } from './errors.ts';
import { FUEL_EXHAUSTED_EXPORT, FUEL_REMAINING_EXPORT } from './fuel.ts';
import { planMemory, writeCappedMemorySection, type MemoryReport } from './memory.ts';
import { Reader } from './reader.ts';
import { SectionId, readLayout, sectionRank, type ModuleLayout, type Section } from './sections.ts';
import { Writer } from './writer.ts';

export { InstrumentError, type InstrumentErrorKind } from './errors.ts';
export { FUEL_EXHAUSTED_EXPORT, FUEL_REMAINING_EXPORT, MAX_FUEL_OVERRUN, readFuel, type FuelReading } from './fuel.ts';
export type { MemoryReport } from './memory.ts';

/**
 * With `deferStart`, the export under which the module's start function is handed to the host.
 * The host instantiates, then calls it before anything else. A start function runs inside
 * instantiation, where a trap leaves the host no instance to read the fuel globals from; called
 * as an export, its fuel exhaustion is told apart from a genuine trap like any other call's.
 */
export const DEFERRED_START_EXPORT = '__kavach_start';

export interface InstrumentOptions {
  /** Fuel budget (0 <= fuel < 2^63), or null for no metering (only the memory cap is applied). */
  fuel: bigint | null;
  /** Cap on every memory's maximum, in 64 KiB pages, or null for no cap. */
  memoryLimitPages: number | null;
  /**
   * Check the output with the engine's own validator (WebAssembly.validate) so an invalid module is
   * reported as an InstrumentError instead of being returned. Default true. Turn it off when the
   * caller compiles the result right away, or to instrument modules using features this engine
   * does not have.
   */
  validate?: boolean;
  /**
   * Remove the start section and export the start function as DEFERRED_START_EXPORT instead, for
   * the host to call right after instantiation (see `startExport` in the result). Default false:
   * the module keeps its start section and runs as is on any runtime.
   */
  deferStart?: boolean;
  /**
   * Charge the code after an if or a block (a join) together with the code before it, when every
   * path through the construct reaches the join exactly once and nothing in it checks the counter
   * (see body.ts). Default true. The counts are the same either way for a run that finishes; false
   * keeps one charge per segment, the reference the tests compare with.
   */
  mergeJoins?: boolean;
  /**
   * Pay a br_table's segment's charge in the landings it alone enters (a switch's cases) instead of
   * before the br_table, when exact (see body.ts). Default true. The counts are the same either way;
   * false is the reference the tests compare with.
   */
  mergeCases?: boolean;
}

export interface InstrumentStats {
  inputBytes: number;
  outputBytes: number;
  /** Function bodies rewritten (0 without fuel metering). */
  functions: number;
  /** Segments that received a fuel charge. */
  meteredSegments: number;
  millis: number;
  /** Custom sections dropped because they hold code offsets that metering invalidates. */
  droppedCustomSections: string[];
}

export interface InstrumentResult {
  bytes: Uint8Array<ArrayBuffer>;
  stats: InstrumentStats;
  /** Memory 0, or null when the module has no memory. */
  memory: MemoryReport | null;
  /**
   * DEFERRED_START_EXPORT when `deferStart` moved a start function there: the caller must call it
   * right after instantiation, before anything else. Null when there is nothing to call.
   */
  startExport: string | null;
}

const MAX_FUEL = (1n << 63n) - 1n;

export function instrument(bytes: Uint8Array, options: InstrumentOptions): InstrumentResult {
  const started = performance.now();
  checkOptions(options);
  const { fuel, memoryLimitPages: cap } = options;
  const layout = readLayout(bytes);
  const memory = planMemory(layout.memories, cap);
  const deferStart = options.deferStart === true;
  const reserved = [...(fuel !== null ? [FUEL_REMAINING_EXPORT, FUEL_EXHAUSTED_EXPORT] : []), ...(deferStart ? [DEFERRED_START_EXPORT] : [])];
  for (const name of reserved) {
    if (layout.exportNames.has(name)) {
      throw new InstrumentError('name-clash', `the module already exports "${name}"; was it instrumented already?`);
    }
  }
  const globalIndex = layout.importedGlobals + layout.definedGlobals;
  // Metered code calls one added function when a check fails (body.ts): appended after every
  // defined function, with a new type appended after every type, so no index shifts. A module
  // without defined functions has no checks and gets neither.
  const definedFunctions = layout.functionTypes.length;
  const addOutOfFuel = fuel !== null && definedFunctions > 0;
  const outOfFuelType = layout.paramCounts.length;
  const outOfFuelFunction = layout.importedFunctions + definedFunctions;
  const added: AddedExport[] = [];
  if (fuel !== null) {
    added.push({ name: FUEL_REMAINING_EXPORT, kind: EXPORT_GLOBAL, index: globalIndex });
    added.push({ name: FUEL_EXHAUSTED_EXPORT, kind: EXPORT_GLOBAL, index: globalIndex + 1 });
  }
  const startExport = deferStart && layout.startFunction !== null ? DEFERRED_START_EXPORT : null;
  if (startExport !== null && layout.startFunction !== null) {
    added.push({ name: startExport, kind: EXPORT_FUNCTION, index: layout.startFunction });
  }

  // Metering grows the code section by half on average (46 % for binaryen, 65 % for CRuby); the
  // rest grows by a few bytes. Room for twice the code costs nothing where it is not written: the
  // pages of a large buffer are only mapped when touched, and the result is a view.
  const code = layout.sections.find((s) => s.id === SectionId.Code);
  const codeSize = code === undefined ? 0 : code.end - code.start;
  const out = new Writer(bytes.length + (fuel !== null ? codeSize : 0) + 1024);
  out.copy(bytes, 0, 8);
  const dropped: string[] = [];
  let functions = 0;
  let meteredSegments = 0;
  let pendingGlobal = fuel !== null;
  let pendingExport = added.length > 0;
  const addSectionsBefore = (rank: number) => {
    if (pendingGlobal && fuel !== null && rank > sectionRank(SectionId.Global)) {
      writeFuelGlobals(out, null, bytes, fuel);
      pendingGlobal = false;
    }
    if (pendingExport && rank > sectionRank(SectionId.Export)) {
      writeExports(out, null, bytes, added);
      pendingExport = false;
    }
  };
  const memoryChanged = cap !== null && layout.sections.some((s) => s.id === SectionId.Memory);

  for (const section of layout.sections) {
    if (section.id === SectionId.Custom) {
      const name = section.name ?? '';
      if (holdsCodeOffsets(name, fuel !== null, memoryChanged)) dropped.push(name);
      else out.copy(bytes, section.start, section.end);
      continue;
    }
    addSectionsBefore(sectionRank(section.id));
    switch (section.id) {
      case SectionId.Type:
        if (!addOutOfFuel) out.copy(bytes, section.start, section.end);
        else writeSectionAppending(out, section, bytes, OUT_OF_FUEL_TYPE);
        break;
      case SectionId.Function:
        if (!addOutOfFuel) out.copy(bytes, section.start, section.end);
        else writeSectionAppending(out, section, bytes, u32Bytes(outOfFuelType));
        break;
      case SectionId.Memory:
        if (cap === null) out.copy(bytes, section.start, section.end);
        else writeCappedMemorySection(bytes, section, cap, out);
        break;
      case SectionId.Global:
        if (fuel === null) out.copy(bytes, section.start, section.end);
        else writeFuelGlobals(out, section, bytes, fuel);
        pendingGlobal = false;
        break;
      case SectionId.Export:
        if (added.length === 0) out.copy(bytes, section.start, section.end);
        else writeExports(out, section, bytes, added);
        pendingExport = false;
        break;
      case SectionId.Start:
        if (startExport === null) out.copy(bytes, section.start, section.end);
        break;
      case SectionId.Code:
        if (fuel === null) {
          out.copy(bytes, section.start, section.end);
        } else {
          const ctx: MeteringContext = {
            importedFunctions: layout.importedFunctions,
            fuelGlobal: globalIndex,
            exhaustedGlobal: globalIndex + 1,
            outOfFuelFunction,
            memories64: layout.memories.map((m) => m.is64),
            tables64: layout.tables64,
            mergeJoins: options.mergeJoins ?? true,
            mergeCases: options.mergeCases ?? true,
          };
          const counts = writeMeteredCode(out, section, bytes, layout, ctx, addOutOfFuel ? outOfFuelBody(globalIndex) : null);
          functions = counts.functions;
          meteredSegments = counts.meteredSegments;
        }
        break;
      default:
        out.copy(bytes, section.start, section.end);
    }
  }
  addSectionsBefore(Number.POSITIVE_INFINITY);

  const result = out.result();
  if (options.validate !== false) checkValid(bytes, result);
  return {
    bytes: result,
    memory,
    startExport,
    stats: {
      inputBytes: bytes.length,
      outputBytes: result.length,
      functions,
      meteredSegments,
      millis: performance.now() - started,
      droppedCustomSections: dropped,
    },
  };
}

function checkOptions(options: InstrumentOptions): void {
  const { fuel, memoryLimitPages } = options;
  if (fuel !== null && (typeof fuel !== 'bigint' || fuel < 0n || fuel > MAX_FUEL)) {
    throw new RangeError(`fuel must be a bigint in [0, 2^63 - 1] or null, got ${String(fuel)}`);
  }
  if (memoryLimitPages !== null && !(Number.isSafeInteger(memoryLimitPages) && memoryLimitPages >= 0)) {
    throw new RangeError(`memoryLimitPages must be a non-negative integer or null, got ${String(memoryLimitPages)}`);
  }
}

/**
 * Custom sections that go stale: DWARF and code metadata address code by offset, relocations too;
 * a source map addresses the whole file, so it goes stale as soon as anything before the code moves.
 */
function holdsCodeOffsets(name: string, codeRewritten: boolean, memoryChanged: boolean): boolean {
  if (name === 'sourceMappingURL') return codeRewritten || memoryChanged;
  if (!codeRewritten) return false;
  return name.startsWith('.debug_') || name.startsWith('metadata.code.') || name === 'reloc.CODE';
}

/** The global section with the two fuel globals appended (a new section when `section` is null). */
function writeFuelGlobals(out: Writer, section: Section | null, bytes: Uint8Array, fuel: bigint): void {
  out.u8(SectionId.Global);
  const size = out.reserveLength();
  appendToVector(out, section, bytes, 2);
  // remaining: mut i64 = budget
  out.u8(0x7e);
  out.u8(0x01);
  out.u8(0x42);
  out.s64Big(fuel);
  out.u8(0x0b);
  // exhausted: mut i32 = 0
  out.u8(0x7f);
  out.u8(0x01);
  out.u8(0x41);
  out.u8(0x00);
  out.u8(0x0b);
  out.patchLength(size);
}

const EXPORT_FUNCTION = 0x00;
const EXPORT_GLOBAL = 0x03;

interface AddedExport {
  name: string;
  kind: typeof EXPORT_FUNCTION | typeof EXPORT_GLOBAL;
  index: number;
}

/** The export section with `added` appended (a new section when `section` is null). */
function writeExports(out: Writer, section: Section | null, bytes: Uint8Array, added: AddedExport[]): void {
  out.u8(SectionId.Export);
  const size = out.reserveLength();
  appendToVector(out, section, bytes, added.length);
  for (const e of added) {
    out.name(e.name);
    out.u8(e.kind);
    out.u32(e.index);
  }
  out.patchLength(size);
}

/** (func (param i64)): the out-of-fuel function's type. */
const OUT_OF_FUEL_TYPE = new Uint8Array([0x60, 0x01, 0x7e, 0x00]);

function u32Bytes(value: number): Uint8Array {
  const w = new Writer(5);
  w.u32(value);
  return w.result();
}

/** A vector section (type, function) with one element appended. */
function writeSectionAppending(out: Writer, section: Section, bytes: Uint8Array, element: Uint8Array): void {
  out.u8(section.id);
  const size = out.reserveLength(section.end - section.contentStart + element.length + 5);
  appendToVector(out, section, bytes, 1);
  out.copy(element, 0, element.length);
  out.patchLength(size);
}

/** Writes a vector section's count raised by `extra`, then its original elements. */
function appendToVector(out: Writer, section: Section | null, bytes: Uint8Array, extra: number): void {
  if (section === null) {
    out.u32(extra);
    return;
  }
  const r = new Reader(bytes, section.contentStart, section.end);
  const count = r.u32();
  if (count + extra > 0xffffffff) r.fail('vector too long', section.contentStart);
  out.u32(count + extra);
  out.copy(bytes, r.pos, section.end);
}

function writeMeteredCode(
  out: Writer,
  section: Section,
  bytes: Uint8Array,
  layout: ModuleLayout,
  ctx: MeteringContext,
  extraBody: Uint8Array | null,
): { functions: number; meteredSegments: number } {
  const r = new Reader(bytes, section.contentStart, section.end);
  const count = r.count();
  out.u8(SectionId.Code);
  const size = out.reserveLength(Math.ceil((section.end - section.contentStart) * 1.5));
  out.u32(count + (extraBody === null ? 0 : 1));
  const rewriter = new BodyRewriter(bytes, ctx);
  let meteredSegments = 0;
  for (let i = 0; i < count; i++) {
    const functionIndex = layout.importedFunctions + i;
    const sizeAt = r.pos;
    const bodySize = r.u32();
    if (bodySize > r.remaining) {
      throw new InstrumentError('malformed', `function body of ${bodySize} bytes runs past the code section`, { functionIndex, offset: sizeAt });
    }
    const start = r.pos;
    const paramCount = layout.paramCounts[layout.functionTypes[i]];
    meteredSegments += rewriter.rewrite(functionIndex, paramCount, start, start + bodySize, out).meteredSegments;
    r.pos = start + bodySize;
  }
  if (r.pos !== section.end) r.fail('trailing bytes after the last function body');
  if (extraBody !== null) {
    out.u32(extraBody.length);
    out.copy(extraBody, 0, extraBody.length);
  }
  out.patchLength(size);
  return { functions: count, meteredSegments };
}

/** Never hand back a module the engine would reject; tell a bad input apart from a rewriter bug. */
function checkValid(input: Uint8Array, output: Uint8Array<ArrayBuffer>): void {
  if (typeof WebAssembly === 'undefined' || typeof WebAssembly.validate !== 'function') return;
  if (WebAssembly.validate(output)) return;
  if (!WebAssembly.validate(unshared(input))) {
    throw new InstrumentError(
      'malformed',
      'the module is not valid WebAssembly for this engine (it is corrupt, or uses a feature this engine lacks)',
    );
  }
  throw new InstrumentError('unsupported', 'instrumenting this valid module produced an invalid one; this is a bug in the instrumenter');
}

/** WebAssembly.validate takes only ArrayBuffer-backed views. */
function unshared(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}
