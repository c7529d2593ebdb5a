/**
 * Turning module bytes into what a run executes: the instrumented copy (fuel counter and memory
 * cap), compiled. A module the instrumenter cannot rewrite is refused rather than run without the
 * limits the policy asks for.
 */
import { InstrumentError, instrument, readFuel } from '../instrument/index.ts';

export interface MemoryFacts {
  imported: boolean;
  declaredMinPages: number;
  /** The maximum the run's memory gets (the cap applied), null when unbounded. */
  maxPages: number | null;
}

export type Compiled =
  | {
      ok: true;
      module: WebAssembly.Module;
      instrumented: { inputBytes: number; outputBytes: number; millis: number };
      memory: MemoryFacts | null;
      /** The start function's export: the runner calls it after instantiating (see instrument's deferStart). */
      startExport: string | null;
    }
  | { ok: false; message: string };

export async function compileForRun(bytes: Uint8Array, fuel: bigint | null, memoryLimitPages: number | null): Promise<Compiled> {
  // Instrument first and let the engine judge the result: validating the original beforehand
  // would read a large module twice (0.8 s for a 30 MB one). The instrumenter takes any bytes (it
  // is fuzzed for that) and only an invalid module makes either step fail; then the original is
  // compiled for the engine's own verdict, the clearest message.
  let rewritten;
  try {
    // The start function becomes an export the worker calls once it has the instance, so that a
    // start function out of fuel is told from a trap (instantiation would hide the counter).
    rewritten = instrument(bytes, { fuel, memoryLimitPages, validate: false, deferStart: true });
  } catch (e) {
    if (!(e instanceof InstrumentError)) throw e;
    if (!WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>)) return compileError(bytes);
    const stage = e.kind === 'memory-limit' ? 'WASM instantiate' : 'WASM load';
    return { ok: false, message: `sandbox execution failed: ${stage}: ${e.message}` };
  }
  try {
    const module = await WebAssembly.compile(rewritten.bytes);
    const m = rewritten.memory;
    return {
      ok: true,
      module,
      instrumented: { inputBytes: rewritten.stats.inputBytes, outputBytes: rewritten.stats.outputBytes, millis: rewritten.stats.millis },
      memory: m === null ? null : { imported: m.imported, declaredMinPages: m.declaredMinPages, maxPages: m.cappedMaxPages ?? m.declaredMaxPages },
      startExport: rewritten.startExport,
    };
  } catch (e) {
    if (!WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>)) return compileError(bytes);
    return { ok: false, message: `sandbox execution failed: WASM load: the instrumented module did not compile (${(e as Error).message})` };
  }
}

async function compileError(bytes: Uint8Array): Promise<Compiled> {
  try {
    await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
    return { ok: false, message: 'sandbox execution failed: WASM load: the module is not valid WebAssembly' };
  } catch (e) {
    return { ok: false, message: `sandbox execution failed: WASM load: ${(e as Error).message}` };
  }
}

/** Fuel left and spent, from an instance of an instrumented module; null without metering. */
export function readFuelState(instance: WebAssembly.Instance, budget: bigint): { consumed: bigint; exhausted: boolean } | null {
  try {
    const reading = readFuel(instance.exports, budget);
    // Never clamped: a run that overshot its budget (by the last segment, or by the host call
    // that could not be paid for) says by how much.
    return { consumed: reading.consumed, exhausted: reading.exhausted };
  } catch {
    return null;
  }
}
