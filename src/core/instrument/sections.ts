import { InstrumentError } from './errors.ts';
import { Imm, SINGLE, prefixedKind, skipImmediates, skipValType, describeOpcode } from './opcodes.ts';
import { Reader } from './reader.ts';

export const SectionId = {
  Custom: 0,
  Type: 1,
  Import: 2,
  Function: 3,
  Table: 4,
  Memory: 5,
  Global: 6,
  Export: 7,
  Start: 8,
  Element: 9,
  Code: 10,
  Data: 11,
  DataCount: 12,
  Tag: 13,
} as const;

/** Canonical position of each section id (tag sits between memory and global, datacount before code). */
const RANK = [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6];

export function sectionRank(id: number): number {
  return RANK[id];
}

export interface Section {
  id: number;
  /** Offset of the section id byte. */
  start: number;
  contentStart: number;
  end: number;
  /** Custom sections only. */
  name: string | null;
}

/** Limits of one memory (imported or defined), in pages. */
export interface MemoryDecl {
  imported: boolean;
  min: number;
  max: number | null;
  is64: boolean;
  shared: boolean;
}

/** What the rewriter needs to know about a module before touching its code. */
export interface ModuleLayout {
  sections: Section[];
  /** Parameter count per type index; -1 for struct and array types. */
  paramCounts: number[];
  /** Type index of every defined function. */
  functionTypes: Uint32Array;
  importedFunctions: number;
  importedGlobals: number;
  definedGlobals: number;
  /** Imported memories first, then defined ones: the memory index space. */
  memories: MemoryDecl[];
  /** Whether each table (index space order) is a table64. */
  tables64: boolean[];
  exportNames: Set<string>;
  /** The start section's function index, or null without a start section. */
  startFunction: number | null;
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** Reads the section structure and the small sections the rewriter depends on. */
export function readLayout(bytes: Uint8Array): ModuleLayout {
  const r = new Reader(bytes);
  if (bytes.length < 8) r.fail('too short to be a WebAssembly module', 0);
  for (let i = 0; i < 4; i++) if (bytes[i] !== MAGIC[i]) r.fail('missing the \\0asm magic number', 0);
  const version = bytes[4] | (bytes[5] << 8) | (bytes[6] << 16) | (bytes[7] << 24);
  if (version !== 1) {
    if (bytes[6] === 0x01 && bytes[7] === 0x00) {
      throw new InstrumentError('unsupported', 'this is a WebAssembly component, not a core module', { offset: 4 });
    }
    r.fail(`unknown binary version ${version}`, 4);
  }
  r.pos = 8;

  const layout: ModuleLayout = {
    sections: [],
    paramCounts: [],
    functionTypes: new Uint32Array(0),
    importedFunctions: 0,
    importedGlobals: 0,
    definedGlobals: 0,
    memories: [],
    tables64: [],
    exportNames: new Set(),
    startFunction: null,
  };
  const seen = new Set<number>();
  while (r.pos < r.end) {
    const start = r.pos;
    const id = r.u8();
    if (id > 13) r.fail(`unknown section id ${id}`, start);
    const size = r.u32();
    if (size > r.remaining) r.fail(`section ${id} claims ${size} bytes but only ${r.remaining} remain`, start);
    const contentStart = r.pos;
    const end = contentStart + size;
    if (id !== SectionId.Custom) {
      if (seen.has(id)) r.fail(`duplicate section ${id}`, start);
      seen.add(id);
    }
    const s = new Reader(bytes, contentStart, end);
    const name = id === SectionId.Custom ? s.name() : null;
    layout.sections.push({ id, start, contentStart, end, name });
    readSectionFacts(id, s, layout);
    r.pos = end;
  }
  const codeCount = countOf(bytes, layout.sections, SectionId.Code);
  if (codeCount !== layout.functionTypes.length) {
    r.fail(`the function section declares ${layout.functionTypes.length} functions but the code section has ${codeCount} bodies`, bytes.length);
  }
  return layout;
}

function countOf(bytes: Uint8Array, sections: Section[], id: number): number {
  const s = sections.find((x) => x.id === id);
  return s === undefined ? 0 : new Reader(bytes, s.contentStart, s.end).u32();
}

function readSectionFacts(id: number, r: Reader, layout: ModuleLayout): void {
  switch (id) {
    case SectionId.Type:
      readTypes(r, layout.paramCounts);
      break;
    case SectionId.Import:
      readImports(r, layout);
      break;
    case SectionId.Function: {
      const n = r.count();
      const types = new Uint32Array(n);
      for (let i = 0; i < n; i++) {
        const at = r.pos;
        const t = r.u32();
        if (t >= layout.paramCounts.length || layout.paramCounts[t] < 0) r.fail(`function ${i} has invalid type index ${t}`, at);
        types[i] = t;
      }
      layout.functionTypes = types;
      break;
    }
    case SectionId.Table: {
      const n = r.count();
      for (let i = 0; i < n; i++) {
        let withInit = false;
        if (r.bytes[r.pos] === 0x40 && r.pos < r.end) {
          r.pos++;
          if (r.u8() !== 0x00) r.fail('invalid table entry encoding', r.pos - 1);
          withInit = true;
        }
        skipValType(r);
        layout.tables64.push(readLimits(r, 'table').is64);
        if (withInit) skipConstExpr(r);
      }
      break;
    }
    case SectionId.Memory: {
      const n = r.count();
      for (let i = 0; i < n; i++) layout.memories.push({ imported: false, ...readLimits(r, 'memory') });
      break;
    }
    case SectionId.Global:
      layout.definedGlobals = r.count();
      return; // the rest is copied, not parsed
    case SectionId.Export: {
      const n = r.count();
      for (let i = 0; i < n; i++) {
        layout.exportNames.add(r.name());
        r.u8();
        r.u32();
      }
      break;
    }
    case SectionId.Start:
      layout.startFunction = r.u32();
      break;
    default:
      return; // copied byte for byte (code is parsed body by body later)
  }
  if (r.pos !== r.end) r.fail(`section ${id} has ${r.end - r.pos} unexpected trailing bytes`);
}

function readTypes(r: Reader, paramCounts: number[]): void {
  const n = r.count();
  for (let i = 0; i < n; i++) {
    const b = r.u8();
    if (b === 0x4e) {
      const m = r.count();
      for (let j = 0; j < m; j++) readSubType(r, r.u8(), paramCounts);
    } else {
      readSubType(r, b, paramCounts);
    }
  }
}

function readSubType(r: Reader, first: number, paramCounts: number[]): void {
  let b = first;
  if (b === 0x50 || b === 0x4f) {
    const supers = r.count();
    for (let i = 0; i < supers; i++) r.u32();
    b = r.u8();
  }
  switch (b) {
    case 0x60: {
      const params = r.count();
      for (let i = 0; i < params; i++) skipValType(r);
      const results = r.count();
      for (let i = 0; i < results; i++) skipValType(r);
      paramCounts.push(params);
      return;
    }
    case 0x5f: {
      const fields = r.count();
      for (let i = 0; i < fields; i++) {
        skipValType(r);
        r.u8();
      }
      paramCounts.push(-1);
      return;
    }
    case 0x5e:
      skipValType(r);
      r.u8();
      paramCounts.push(-1);
      return;
    case 0x65:
    case 0x5d:
      throw new InstrumentError('unsupported', `type form 0x${b.toString(16)} (shared types or stack switching) is not supported`, { offset: r.pos - 1 });
    default:
      r.fail(`unknown type form 0x${b.toString(16)}`, r.pos - 1);
  }
}

function readImports(r: Reader, layout: ModuleLayout): void {
  const n = r.count();
  for (let i = 0; i < n; i++) {
    r.name();
    r.name();
    const kindAt = r.pos;
    const kind = r.u8();
    switch (kind) {
      case 0x00:
        r.u32();
        layout.importedFunctions++;
        break;
      case 0x01:
        skipValType(r);
        layout.tables64.push(readLimits(r, 'table').is64);
        break;
      case 0x02:
        layout.memories.push({ imported: true, ...readLimits(r, 'memory') });
        break;
      case 0x03:
        skipValType(r);
        r.u8();
        layout.importedGlobals++;
        break;
      case 0x04:
        r.u8();
        r.u32();
        break;
      default:
        r.fail(`unknown import kind ${kind}`, kindAt);
    }
  }
}

export function readLimits(r: Reader, what: 'memory' | 'table'): Omit<MemoryDecl, 'imported'> {
  const at = r.pos;
  const flags = r.u8();
  if (flags > 0x07) {
    const why = (flags & 0x08) !== 0 ? ' (custom page sizes are not supported)' : '';
    throw new InstrumentError('unsupported', `unknown ${what} limits flags 0x${flags.toString(16)}${why}`, { offset: at });
  }
  const is64 = (flags & 0x04) !== 0;
  const min = is64 ? r.u64AsNumber() : r.u32();
  const max = (flags & 0x01) !== 0 ? (is64 ? r.u64AsNumber() : r.u32()) : null;
  return { min, max, is64, shared: (flags & 0x02) !== 0 };
}

/** Skips a constant expression up to and including its `end`. */
function skipConstExpr(r: Reader): void {
  for (;;) {
    const at = r.pos;
    const op = r.u8();
    if (op === 0x0b) return;
    let kind = SINGLE[op];
    let sub: number | null = null;
    if (kind === Imm.Prefix) {
      sub = r.u32();
      kind = prefixedKind(op, sub);
    }
    if (kind === Imm.Control || kind === Imm.Unknown) {
      throw new InstrumentError('unsupported', `opcode ${describeOpcode(op, sub)} in a constant expression`, { offset: at });
    }
    skipImmediates(r, kind);
  }
}
