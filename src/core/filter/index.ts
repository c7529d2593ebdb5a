/**
 * The WASI call filter: what seccomp means for a WASI guest. Compiled from a policy once per run;
 * the WASI layer asks it about every call before running it.
 */
import type { SandboxPolicy } from '../policy/schema.ts';
import { WASI_CALLS, type WasiCall } from '../wasi/calls.ts';
import { BASIC_DENYLIST, STRICT_ALLOWLIST, type FilterEntry } from './profiles.ts';

export { BASIC_DENYLIST, STRICT_ALLOWLIST, type FilterEntry } from './profiles.ts';

/** The errno a refused call returns (ENOSYS, 52): the WASI layer's, where the reason is given. */
export { FILTER_DENIED_ERRNO } from '../wasi/errno.ts';

/** The one call never filtered: a program must always be able to exit. */
export const ALWAYS_ALLOWED: WasiCall = 'proc_exit';

export type FilterDecision = { allowed: true } | { allowed: false; rule: string; reason: string };

export interface CallFilter {
  /** "seccomp_profile:strict", "seccomp_profile:basic" or "wasi_filter". */
  rule: string;
  mode: 'allow' | 'deny';
  /** The listed calls as the policy or profile gives them (proc_exit included when listed). */
  calls: readonly string[];
  /** Every WASI call this filter refuses, in the spec's order. */
  denied: readonly WasiCall[];
  /** Facts the user should see: a profile name read as "basic", proc_exit kept allowed. */
  notes: readonly string[];
  check(call: string): FilterDecision;
}

/**
 * policy.wasi_filter wins over the seccomp profile; seccomp_enabled with profile "strict" is the
 * allowlist, with any other profile (null included) the basic denylist; otherwise no filter.
 */
export function compileFilter(policy: SandboxPolicy): CallFilter | null {
  if (policy.wasi_filter !== null) {
    const { mode, calls } = policy.wasi_filter;
    const where = mode === 'allow' ? "the policy's wasi_filter allowlist" : "the policy's wasi_filter denylist";
    const notes: string[] = [];
    if (mode === 'allow' && !calls.includes(ALWAYS_ALLOWED)) notes.push(`${ALWAYS_ALLOWED} is not listed but stays allowed: a program must be able to exit`);
    if (mode === 'deny' && calls.includes(ALWAYS_ALLOWED)) notes.push(`${ALWAYS_ALLOWED} is listed but stays allowed: a program must be able to exit`);
    if (policy.seccomp_enabled) notes.push(`wasi_filter overrides seccomp_profile ${JSON.stringify(policy.seccomp_profile)}`);
    return makeFilter('wasi_filter', mode, calls, notes, (call) =>
      mode === 'allow' ? `${call} is not on ${where}` : `${call} is on ${where}`);
  }
  if (!policy.seccomp_enabled) return null;
  if (policy.seccomp_profile === 'strict') {
    return makeFilter('seccomp_profile:strict', 'allow', entryCalls(STRICT_ALLOWLIST), [], (call) =>
      `${call} is not on the strict profile's allowlist`);
  }
  const notes = policy.seccomp_profile === null || policy.seccomp_profile === 'basic'
    ? []
    : [`seccomp_profile ${JSON.stringify(policy.seccomp_profile)} is not "strict", so the basic denylist applies (kavach's rule)`];
  const reasons = new Map(BASIC_DENYLIST.map((e) => [e.call as string, e.reason]));
  return makeFilter('seccomp_profile:basic', 'deny', entryCalls(BASIC_DENYLIST), notes, (call) =>
    `${call} is on the basic profile's denylist: ${reasons.get(call)}`);
}

function entryCalls(entries: readonly FilterEntry[]): WasiCall[] {
  return entries.map((e) => e.call);
}

function makeFilter(
  rule: string, mode: 'allow' | 'deny', calls: readonly string[], notes: string[], reasonFor: (call: string) => string,
): CallFilter {
  const listed = new Set(calls);
  const allowed = (call: string) => call === ALWAYS_ALLOWED || (mode === 'allow' ? listed.has(call) : !listed.has(call));
  return {
    rule, mode, calls, notes,
    denied: WASI_CALLS.filter((c) => !allowed(c)),
    check: (call) => (allowed(call) ? { allowed: true } : { allowed: false, rule, reason: reasonFor(call) }),
  };
}
