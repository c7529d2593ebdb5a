/** kavach's 0-100 strength score, reproduced exactly (it credits controls whether or not enforced). */
import type { Backend, SandboxPolicy } from '../policy/schema.ts';

export type ScoreLabel = 'minimal' | 'basic' | 'standard' | 'hardened' | 'fortress';

export interface Score {
  score: number;
  label: ScoreLabel;
  /** e.g. "75 (hardened)", as kavach displays it. */
  display: string;
}

export const KAVACH_BASE: Readonly<Record<Backend, number>> = {
  noop: 0, process: 50, oci: 55, wasm: 65, gvisor: 70, sgx: 80, syagnos: 80, sev: 82, tdx: 85, firecracker: 90,
};

export function scoreLabel(score: number): ScoreLabel {
  if (score >= 85) return 'fortress';
  if (score >= 70) return 'hardened';
  if (score >= 50) return 'standard';
  if (score >= 30) return 'basic';
  return 'minimal';
}

/** Clamp to 0..100 and attach kavach's label and display form. */
export function toScore(raw: number): Score {
  const score = Math.min(100, Math.max(0, raw));
  const label = scoreLabel(score);
  return { score, label, display: `${score} (${label})` };
}

export function kavachScore(backend: Backend, policy: SandboxPolicy): Score {
  let raw = KAVACH_BASE[backend];
  if (policy.seccomp_enabled) raw += 5;
  if (policy.landlock_rules.length > 0) raw += 3;
  if (!policy.network.enabled) raw += 5;
  if (policy.read_only_rootfs) raw += 3;
  if (policy.memory_limit_mb !== null || policy.cpu_limit !== null) raw += 2;
  return toScore(raw);
}
