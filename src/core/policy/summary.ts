/**
 * A policy in one line, for a compact view (the embed): what the module may touch and what ends
 * it. "/data read-only, /out read-write · call filter: strict · no network · memory ≤ 64 MiB ·
 * timeout 5 s · 5,000,000,000 fuel · output gate on".
 */
import { fuelBudget } from './derive.ts';
import type { SandboxConfig } from './schema.ts';

export function policySummary(config: SandboxConfig): string {
  const { policy } = config;
  const parts: string[] = [];
  const rules = policy.landlock_rules;
  parts.push(rules.length === 0
    ? 'no files'
    : rules.map((r) => `${r.path} ${policy.read_only_rootfs || r.access !== 'rw' ? 'read-only' : 'read-write'}`).join(', '));
  if (policy.wasi_filter !== null) parts.push(`call filter: ${policy.wasi_filter.mode} ${policy.wasi_filter.calls.length} call${policy.wasi_filter.calls.length === 1 ? '' : 's'}`);
  else if (policy.seccomp_enabled) parts.push(`call filter: ${policy.seccomp_profile === 'strict' ? 'strict' : 'basic'}`);
  else parts.push('no call filter');
  // WASI preview1 has no sockets: whatever the policy says, there is no network.
  parts.push('no network');
  parts.push(policy.memory_limit_mb === null ? 'no memory cap' : `memory ≤ ${policy.memory_limit_mb} MiB`);
  parts.push(config.timeout_ms === 0 ? 'no timeout' : `timeout ${Number((config.timeout_ms / 1000).toPrecision(3))} s`);
  const fuel = fuelBudget(config);
  parts.push(fuel === null ? 'no fuel budget' : `${fuel.toLocaleString('en-US')} fuel`);
  if (config.secrets.length > 0) parts.push(`${config.secrets.length} secret${config.secrets.length === 1 ? '' : 's'} (redacted)`);
  parts.push(config.externalization === null || !config.externalization.enabled ? 'no output gate' : 'output gate on');
  return parts.join(' · ');
}
