import { beforeAll, describe, expect, it } from 'vitest';
import { instrument, readFuel } from './index.ts';
import { fuzzModules } from '../../testing/instrument/modules.ts';

/**
 * Differential testing on random valid modules from binaryen's `wasm-opt -ttf`: the instrumented
 * module must validate on its own (the instrumenter's validation gate is off here) and behave
 * exactly like the plain one: same results, same traps, same calls to the logging imports, same
 * exported globals after every call.
 */

// Features Node 20's V8 runs without flags, so both modules can be executed.
const RUNNABLE = [
  '--mvp-features',
  '--enable-sign-ext',
  '--enable-bulk-memory',
  '--enable-nontrapping-float-to-int',
  '--enable-mutable-globals',
  '--enable-multivalue',
  '--enable-simd',
  '--enable-tail-call',
];
const SEEDS = Array.from({ length: 8 }, (_, i) => 1000 + i * 7919);
const BUDGET = 1n << 60n;

type Outcome = { kind: 'value'; value: unknown } | { kind: 'error'; name: string; message: string };

interface Observed {
  outcomes: Outcome[];
  log: unknown[];
  globals: unknown[][];
  /** A stack overflow makes the rest incomparable (the instrumented frames are a little larger). */
  overflowedAt: number | null;
}

/** Instantiates `bytes` with fuzzing-support imports and calls every exported function in order. */
function observe(bytes: Uint8Array<ArrayBuffer>, exportNames: string[]): Observed & { instance: WebAssembly.Instance | null } {
  const log: unknown[] = [];
  const module = new WebAssembly.Module(bytes);
  let exports: WebAssembly.Exports = {};
  const callExport = (index: number) => {
    const fn = exports[exportNames[index]];
    if (typeof fn !== 'function') throw new Error(`export ${index} is not a function`);
    (fn as () => unknown)();
  };
  const support: Record<string, (...args: unknown[]) => unknown> = {
    'call-export': (index) => callExport(index as number),
    'call-export-catch': (index) => {
      try {
        callExport(index as number);
        return 0;
      } catch {
        return 1;
      }
    },
    sleep: (_ms, id) => id,
  };
  const imports: Record<string, Record<string, unknown>> = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind !== 'function') throw new Error(`unexpected ${imp.kind} import ${imp.name}`);
    imports[imp.module] ??= {};
    imports[imp.module][imp.name] = support[imp.name] ?? ((...args: unknown[]) => void log.push(imp.name, ...args));
  }
  const outcomes: Outcome[] = [];
  const globals: unknown[][] = [];
  let instance: WebAssembly.Instance | null = null;
  try {
    instance = new WebAssembly.Instance(module, imports as WebAssembly.Imports);
  } catch (e) {
    // A start function or an active segment can trap during instantiation.
    const err = e as Error;
    outcomes.push({ kind: 'error', name: err.constructor.name, message: err.message });
    return { outcomes, log, globals, overflowedAt: null, instance };
  }
  exports = instance.exports;
  let overflowedAt: number | null = null;
  exportNames.forEach((name, i) => {
    const value = exports[name];
    if (typeof value !== 'function' || overflowedAt !== null) return;
    try {
      outcomes.push({ kind: 'value', value: (value as () => unknown)() });
    } catch (e) {
      if (e instanceof RangeError && /call stack/.test(e.message)) overflowedAt = i;
      const err = e as Error;
      outcomes.push({ kind: 'error', name: err.constructor.name, message: err.message });
    }
    globals.push(exportNames.map((n) => exports[n]).filter((g) => g instanceof WebAssembly.Global).map((g) => readGlobal(g)));
  });
  return { outcomes, log, globals, overflowedAt, instance };
}

function readGlobal(g: WebAssembly.Global): unknown {
  try {
    return g.value;
  } catch (e) {
    return `unreadable: ${(e as Error).constructor.name}`; // v128 globals cannot cross into JS
  }
}

describe('differential: random modules from wasm-opt -ttf behave the same instrumented', () => {
  let modules: Uint8Array<ArrayBuffer>[] = [];
  beforeAll(async () => {
    modules = await fuzzModules(SEEDS, 32_000, RUNNABLE);
  });

  it('produces a corpus of valid, non-trivial modules', () => {
    expect(modules).toHaveLength(SEEDS.length);
    for (const m of modules) expect(WebAssembly.validate(m)).toBe(true);
    const exported = modules.map((m) => WebAssembly.Module.exports(new WebAssembly.Module(m)).length);
    expect(exported.reduce((a, b) => a + b, 0)).toBeGreaterThan(SEEDS.length * 5);
  });

  it('validates every instrumented module without the instrumenter\u2019s own gate', () => {
    for (const m of modules) {
      const { bytes, stats } = instrument(m, { fuel: BUDGET, memoryLimitPages: null, validate: false });
      expect(WebAssembly.validate(bytes)).toBe(true);
      expect(stats.functions).toBeGreaterThan(0);
    }
  });

  it('gives the same results, traps, logs and globals', () => {
    let compared = 0;
    let calls = 0;
    let traps = 0;
    for (const m of modules) {
      const exportNames = WebAssembly.Module.exports(new WebAssembly.Module(m)).map((e) => e.name);
      const { bytes } = instrument(m, { fuel: BUDGET, memoryLimitPages: null, validate: false });
      const plain = observe(m, exportNames);
      const metered = observe(bytes, exportNames);
      if (plain.instance === null || metered.instance === null) {
        expect(metered.outcomes).toEqual(plain.outcomes);
        continue;
      }
      const fuel = readFuel(metered.instance.exports, BUDGET);
      expect(fuel.exhausted).toBe(false);
      if (plain.overflowedAt !== null || metered.overflowedAt !== null) {
        // Compare up to the first stack overflow; afterwards the two instances may differ.
        const upTo = Math.min(plain.overflowedAt ?? Infinity, metered.overflowedAt ?? Infinity);
        expect(metered.outcomes.slice(0, upTo)).toEqual(plain.outcomes.slice(0, upTo));
        continue;
      }
      expect(metered.outcomes).toEqual(plain.outcomes);
      expect(metered.log).toEqual(plain.log);
      expect(metered.globals).toEqual(plain.globals);
      expect(fuel.consumed).toBeGreaterThan(0n);
      compared++;
      calls += plain.outcomes.length;
      traps += plain.outcomes.filter((o) => o.kind === 'error').length;
    }
    // Most modules must be fully comparable, and the corpus must exercise both returns and traps.
    expect(compared).toBeGreaterThanOrEqual(Math.floor(SEEDS.length * 0.75));
    expect(calls - traps).toBeGreaterThan(20);
    expect(traps).toBeGreaterThan(5);
  });
});
