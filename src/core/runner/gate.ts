/** The WASI call filter for a run, built inside the worker from policy data. */
import type { CallGate } from '../wasi/syscalls.ts';
import type { RunPlan } from './protocol.ts';

export function compileGate(_filter: RunPlan['filter']): CallGate | null {
  return null;
}
