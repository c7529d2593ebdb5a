/**
 * What a policy's limits mean for a run, in words: the fuel budget and the rule that set it, the
 * busy CPU time it buys at a measured rate, and, when a run ended at a limit, which one and how
 * to raise it (the page's one-click fix, the CLI's flag).
 */
import { fuelBudget, memoryCapMb } from '../policy/derive.ts';
import { MAX_MEMORY_MB, type SandboxConfig } from '../policy/schema.ts';
import type { Outcome } from '../runner/outcome.ts';

/** kavach's rule: each millisecond of timeout buys a million units of fuel. */
export const KAVACH_FUEL_PER_MS = 1_000_000;
/** wasm32 memory cannot pass 4 GiB, so no cap above this helps. */
export const MAX_MEMORY_CAP_MB = MAX_MEMORY_MB;
/** How much a one-click fix raises a limit by. */
export const FIX_FACTOR = 10;

const n = (value: bigint | number) => value.toLocaleString('en-US');

export type FuelSource = 'fuel' | 'timeout' | 'none';

export interface FuelBudgetInfo {
  budget: bigint | null;
  /** Set by the policy's `fuel`, derived from `timeout_ms` by kavach's rule, or none at all. */
  source: FuelSource;
  /** Where the budget comes from: "kavach's rule, timeout_ms 2,000 x 1,000,000". */
  rule: string;
}

export function fuelBudgetInfo(config: SandboxConfig): FuelBudgetInfo {
  const budget = fuelBudget(config);
  if (config.fuel !== null) return { budget, source: 'fuel', rule: "the policy's fuel" };
  if (budget === null) return { budget, source: 'none', rule: "kavach's rule gives none: fuel is null and timeout_ms is 0" };
  return { budget, source: 'timeout', rule: `kavach's rule, timeout_ms ${n(config.timeout_ms)} x ${n(KAVACH_FUEL_PER_MS)}` };
}

/** The budget in words: "2,000,000,000 units of fuel, from kavach's rule, timeout_ms 2,000 x 1,000,000". */
export function describeFuelBudget(config: SandboxConfig): string {
  const info = fuelBudgetInfo(config);
  if (info.budget === null) return `no fuel budget (${info.rule})`;
  return `${n(info.budget)} units of fuel, from ${info.rule}`;
}

/** A duration for people, to two significant figures: "0.15 s", "2.5 s", "4.2 min", "28 h", "3.1 days". */
export function formatDuration(seconds: number): string {
  const two = (x: number) => (x >= 10 ? Math.round(x).toLocaleString('en-US') : String(Number(x.toPrecision(2))));
  if (seconds < 0.001) return 'under a millisecond';
  if (seconds < 120) return `${two(seconds)} s`;
  if (seconds < 2 * 3600) return `${two(seconds / 60)} min`;
  if (seconds < 2 * 86400) return `${two(seconds / 3600)} h`;
  if (seconds < 2 * 365 * 86400) return `${two(seconds / 86400)} days`;
  return `${two(seconds / (365 * 86400))} years`;
}

/** "about 0.5 s", or "under a millisecond". */
export function aboutDuration(seconds: number): string {
  const text = formatDuration(seconds);
  return seconds < 0.001 ? text : `about ${text}`;
}

/** Seconds of busy CPU a budget lasts at `fuelPerSecond`. */
export function fuelSeconds(budget: bigint, fuelPerSecond: number): number {
  return Number(budget) / fuelPerSecond;
}

/**
 * What the budget means where fuel burns at `fuelPerSecond`: how long a busy module runs before
 * it runs out, and whether that comes before the timeout. "about 0.2 s of busy CPU: a busy module
 * runs out of fuel long before its 2 s timeout".
 */
export function fuelTimeMeaning(config: SandboxConfig, fuelPerSecond: number): string {
  const budget = fuelBudget(config);
  if (budget === null) {
    return config.timeout_ms > 0 ? `no fuel limit: only the ${formatDuration(config.timeout_ms / 1000)} timeout stops a busy module` : 'no fuel limit and no timeout: nothing stops a busy module';
  }
  const seconds = fuelSeconds(budget, fuelPerSecond);
  const lasts = `${aboutDuration(seconds)} of busy CPU`;
  if (config.timeout_ms === 0) return `${lasts} (there is no timeout)`;
  const timeout = formatDuration(config.timeout_ms / 1000);
  const ratio = (seconds * 1000) / config.timeout_ms;
  if (ratio < 0.5) return `${lasts}: a busy module runs out of fuel long before its ${timeout} timeout`;
  if (ratio < 0.9) return `${lasts}: a busy module runs out of fuel before its ${timeout} timeout`;
  if (ratio <= 1.1) return `${lasts}: about as long as the ${timeout} timeout`;
  return `${lasts}: the ${timeout} timeout comes first`;
}

export type LimitName = 'fuel' | 'timeout' | 'memory';

export interface LimitFix {
  /** The policy field the fix sets, as a JSON path. */
  path: 'fuel' | 'timeout_ms' | 'policy.memory_limit_mb';
  value: number;
  /** The page's button: "Run again with 10x the fuel". */
  label: string;
  /** The CLI's flag for the same: "--fuel 20000000000". */
  flag: string;
}

export interface LimitHit {
  limit: LimitName;
  /** What ended the run: "Out of fuel: the module used all 2,000,000,000 units of its budget." */
  headline: string;
  /** The rule that set the limit, and what else to know. */
  because: string;
  /** How to raise it, or null when it cannot go higher. */
  fix: LimitFix | null;
  /** One line for a terminal: what happened, the rule, the flag. */
  hint: string;
}

/** What a run needs from its result to say which limit it hit. */
export interface LimitEvidence {
  outcome: Outcome;
  memory: { peakBytes: number | null; limitBytes: number | null };
}

const MiB = 1024 * 1024;
const raise = (value: number, max: number) => Math.min(max, value * FIX_FACTOR);

/**
 * The limit a run ended at, if it ended at one: out of fuel, past its timeout, at its memory cap
 * (a trap there, or a failing exit with memory grown to within a tenth of the cap, which is how a
 * refused allocation usually ends a C program). Null for anything else.
 */
export function limitHit(result: LimitEvidence, config: SandboxConfig): LimitHit | null {
  const { outcome } = result;
  if (outcome.kind === 'fuel_exhausted') {
    const info = fuelBudgetInfo(config);
    const value = raise(Number(outcome.budget), Number.MAX_SAFE_INTEGER);
    const fix: LimitFix | null = value > Number(outcome.budget)
      ? { path: 'fuel', value, label: `Run again with ${FIX_FACTOR}x the fuel`, flag: `--fuel ${value}` }
      : null;
    const because = info.source === 'timeout'
      ? `The policy sets no fuel, so the budget came from ${info.rule}. kavach counts running out of fuel as a timeout (timed_out true), though the ${n(config.timeout_ms)} ms timeout had not passed.`
      : `The budget was set by ${info.rule}. kavach counts running out of fuel as a timeout (timed_out true).`;
    const origin = info.source === 'timeout' ? `came from the timeout (${n(config.timeout_ms)} ms x ${n(KAVACH_FUEL_PER_MS)}, kavach's rule)` : "was set by --fuel (the policy's fuel)";
    return {
      limit: 'fuel',
      headline: `Out of fuel: the module used all ${n(outcome.budget)} units of its budget.`,
      because,
      fix,
      hint: `out of fuel: the budget of ${n(outcome.budget)} ${origin}; ${fix ? `for ${FIX_FACTOR}x the fuel: ${fix.flag}` : 'it cannot go higher'}`,
    };
  }
  if (outcome.kind === 'timeout') {
    const value = raise(outcome.afterMs, Number.MAX_SAFE_INTEGER);
    const fix: LimitFix = { path: 'timeout_ms', value, label: `Run again with ${FIX_FACTOR}x the timeout`, flag: `--timeout-ms ${value}` };
    const fuel = fuelBudgetInfo(config);
    const because = fuel.source === 'timeout'
      ? `timeout_ms is ${n(outcome.afterMs)}; the fuel budget derived from it had not run out (a module waiting or sleeping burns none). A longer timeout also raises that budget.`
      : `timeout_ms is ${n(outcome.afterMs)}; the fuel budget (${fuel.budget === null ? 'none' : n(fuel.budget)}) had not run out.`;
    return {
      limit: 'timeout',
      headline: `Timed out: the ${n(outcome.afterMs)} ms wall-clock timeout passed and the worker was killed.`,
      because,
      fix,
      hint: `timed out after ${n(outcome.afterMs)} ms (the wall-clock timeout); for ${FIX_FACTOR}x the time: ${fix.flag}`,
    };
  }
  const cap = memoryCapMb(config); // the cap in force: 8192 caps at 4096
  const { peakBytes } = result.memory;
  const nearCap = cap !== null && peakBytes !== null && peakBytes >= cap * MiB * 0.9;
  if (cap !== null && (outcome.kind === 'memory_limit' || (outcome.kind === 'exit' && outcome.code !== 0 && nearCap))) {
    const value = raise(Math.max(cap, 1), MAX_MEMORY_CAP_MB); // from 0, to 10 MiB
    const label = value === cap * FIX_FACTOR ? `Run again with ${FIX_FACTOR}x the memory cap`
      : value === MAX_MEMORY_CAP_MB ? `Run again with the largest memory cap (${n(value)} MiB)` : `Run again with a ${n(value)} MiB memory cap`;
    const fix: LimitFix | null = value > cap ? { path: 'policy.memory_limit_mb', value, label, flag: `--max-memory-mb ${value}` } : null;
    const peak = peakBytes === null ? '' : ` (it grew to ${(peakBytes / MiB).toFixed(1)} MiB)`;
    const headline = outcome.kind === 'memory_limit'
      ? `Memory cap hit: ${outcome.message}.`
      : `Exited with ${outcome.code} at its memory cap${peak}: an allocation most likely failed.`;
    return {
      limit: 'memory',
      headline,
      because: `policy.memory_limit_mb caps the module's memory at ${n(cap)} MiB: growing past it fails, so malloc returns NULL.${fix ? '' : ` ${n(MAX_MEMORY_CAP_MB)} MiB is all a wasm32 module can address.`}`,
      fix,
      hint: `the memory cap of ${n(cap)} MiB was reached${peak}; ${fix ? `for more memory: ${fix.flag}` : 'it cannot go higher'}`,
    };
  }
  return null;
}
