import { InstrumentError } from './errors.ts';
import { Reader } from './reader.ts';
import { readLimits, type MemoryDecl, type Section } from './sections.ts';
import type { Writer } from './writer.ts';

/** What the host needs to know about memory 0 after capping. */
export interface MemoryReport {
  declaredMinPages: number;
  declaredMaxPages: number | null;
  /** The maximum the instrumented module (or, for an imported memory, the host's Memory) gets. */
  cappedMaxPages: number | null;
  /** Imported memories are not rewritten: the host supplies `new WebAssembly.Memory({ initial, maximum: cappedMaxPages })`. */
  imported: boolean;
}

const PAGES_32 = 65536;
const PAGES_64 = 2 ** 48;

/** The maximum a memory ends up with: the declared one, lowered to the cap. */
export function cappedMax(memory: MemoryDecl, cap: number | null): number | null {
  if (cap === null) return memory.max;
  const limit = Math.min(cap, memory.is64 ? PAGES_64 : PAGES_32);
  return memory.max === null ? limit : Math.min(memory.max, limit);
}

/**
 * Refuses a module whose declared minimum exceeds the cap, and reports memory 0 (null when the
 * module has no memory). With multiple memories the cap applies to each one.
 */
export function planMemory(memories: MemoryDecl[], cap: number | null): MemoryReport | null {
  if (cap !== null) {
    memories.forEach((m, i) => {
      if (m.min > cap) {
        const which = memories.length > 1 ? ` (memory ${i})` : '';
        throw new InstrumentError(
          'memory-limit',
          `module needs at least ${m.min} pages (${mib(m.min)} MiB) of memory but the policy caps it at ${cap} pages (${mib(cap)} MiB)${which}`,
        );
      }
    });
  }
  const first = memories[0];
  if (first === undefined) return null;
  return {
    declaredMinPages: first.min,
    declaredMaxPages: first.max,
    cappedMaxPages: cappedMax(first, cap),
    imported: first.imported,
  };
}

function mib(pages: number): string {
  return String(Math.round((pages / 16) * 100) / 100);
}

/** Writes the memory section with every maximum lowered to the cap. */
export function writeCappedMemorySection(bytes: Uint8Array, section: Section, cap: number, out: Writer): void {
  const r = new Reader(bytes, section.contentStart, section.end);
  const n = r.count();
  out.u8(section.id);
  const size = out.reserveLength();
  out.u32(n);
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const flags = r.bytes[at];
    const limits = readLimits(r, 'memory');
    const max = cappedMax({ imported: false, ...limits }, cap);
    out.u8(flags | 0x01);
    if (limits.is64) {
      out.u64(limits.min);
      out.u64(max ?? cap);
    } else {
      out.u32(limits.min);
      out.u32(max ?? cap);
    }
  }
  out.patchLength(size);
}
