/** Exported mutable i64 global: fuel left. Initialised to the budget. */
export const FUEL_REMAINING_EXPORT = '__kavach_fuel_remaining';
/** Exported mutable i32 global: 1 once the module trapped because it ran out of fuel. */
export const FUEL_EXHAUSTED_EXPORT = '__kavach_fuel_exhausted';
/**
 * The most fuel a module can be charged beyond its budget before it stops: the metering keeps the
 * fuel charged since the last check that passed at or below this (see body.ts). A memory.grow or
 * table.grow is charged after it succeeds, so one just before the stop can add its own charge.
 */
export const MAX_FUEL_OVERRUN = 1000;

export interface FuelReading {
  /**
   * Raw counter: budget minus everything charged. Never clamped. When the module ran out of fuel
   * it is at most zero: the check that failed consumes what was left, as in wasmtime, and a charge
   * made since the last passed check (at most MAX_FUEL_OVERRUN) stays visible below zero. A run
   * that completed can also end slightly below zero, by code that ran after its last check.
   */
  remaining: bigint;
  /**
   * budget - remaining: the fuel charged, honestly. It may exceed the budget by the last
   * unverified charge (at most MAX_FUEL_OVERRUN); report it as is rather than clamping it to the budget.
   */
  consumed: bigint;
  /** The module stopped because it ran out of fuel (it trapped with `unreachable`). */
  exhausted: boolean;
}

/**
 * Reads the fuel globals from an instance of an instrumented module.
 *
 * After a normal return, an exit through a host call (proc_exit), an `unreachable` trap or fuel
 * exhaustion the counter is exact. After another trap (out-of-bounds access, division by zero,
 * stack overflow) it lacks what the trapping function charged since it last wrote the counter
 * back, i.e. since its last call or its entry: the value is a lower bound of the work done. The
 * same holds in one rare case of exhaustion: a check that fails at the very limit of the stack sets
 * the exhausted flag, then overflows the stack calling the function that writes the counter back.
 */
export function readFuel(exports: WebAssembly.Exports, budget: bigint): FuelReading {
  const remaining = globalValue(exports, FUEL_REMAINING_EXPORT);
  const exhausted = globalValue(exports, FUEL_EXHAUSTED_EXPORT);
  if (typeof remaining !== 'bigint' || typeof exhausted !== 'number') {
    throw new TypeError('the fuel globals have unexpected types; was this module instrumented by this version?');
  }
  return { remaining, consumed: budget - remaining, exhausted: exhausted === 1 };
}

function globalValue(exports: WebAssembly.Exports, name: string): unknown {
  const g = exports[name];
  if (!(g instanceof WebAssembly.Global)) {
    throw new TypeError(`the instance does not export the global ${name}; instrument the module with fuel metering first`);
  }
  return g.value as unknown;
}
