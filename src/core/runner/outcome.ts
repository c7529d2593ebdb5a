/** How a run ended, as a discriminated union, and kavach's ExecResult view of it. */

export type Outcome =
  | { kind: 'exit'; code: number }
  | { kind: 'trap'; message: string }
  | { kind: 'fuel_exhausted'; budget: bigint }
  | { kind: 'memory_limit'; limitBytes: number; message: string }
  | { kind: 'stack_overflow'; message: string }
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'stopped' };

/** kavach's exit_code for each outcome: the code, or -1 when the run did not finish by itself. */
export function exitCodeOf(outcome: Outcome): number {
  return outcome.kind === 'exit' ? outcome.code : -1;
}

/** kavach: timed_out is true for a wall-clock timeout and for fuel exhaustion. */
export function timedOut(outcome: Outcome): boolean {
  return outcome.kind === 'timeout' || outcome.kind === 'fuel_exhausted';
}

/** The outcome in words, as the page and the CLI say it. */
export function describeOutcome(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'exit': return `exited with code ${outcome.code}`;
    case 'trap': return `trap: ${outcome.message}`;
    case 'fuel_exhausted': return `out of fuel (budget ${outcome.budget.toLocaleString('en-US')})`;
    case 'memory_limit': return `memory limit hit (${(outcome.limitBytes / 1048576).toFixed(0)} MiB): ${outcome.message}`;
    case 'stack_overflow': return 'stack overflow';
    case 'timeout': return `timed out after ${outcome.afterMs} ms (worker killed)`;
    case 'stopped': return 'stopped';
  }
}
