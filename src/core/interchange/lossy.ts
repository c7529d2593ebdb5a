/**
 * Listing what an export leaves out. Every field of the document is visited (the list comes from
 * the schema itself, so a field added later is listed until an exporter claims it); a field an
 * exporter does not express and that differs from its default becomes one lossy item.
 */
import { normaliseMountPath } from '../policy/load.ts';
import { sandboxConfigSchema, sandboxPolicySchema, type SandboxConfig } from '../policy/schema.ts';
import { deepEqual } from '../share/document.ts';

const DEFAULTS = sandboxConfigSchema.parse({});

/** Every field path: top-level fields, and "policy.X" for the policy's fields. */
export const ALL_FIELDS: readonly string[] = [
  ...Object.keys(sandboxConfigSchema.shape).filter((k) => k !== 'policy'),
  ...Object.keys(sandboxPolicySchema.shape).map((k) => `policy.${k}`),
];

export function fieldValue(config: SandboxConfig, path: string): unknown {
  return path.startsWith('policy.') ? config.policy[path.slice(7) as keyof SandboxConfig['policy']] : config[path as keyof SandboxConfig];
}

export function isDefault(config: SandboxConfig, path: string): boolean {
  return deepEqual(fieldValue(config, path), fieldValue(DEFAULTS, path));
}

/** One item per field not in `expressed` whose value differs from the default. */
export function unexpressed(config: SandboxConfig, format: string, expressed: ReadonlySet<string>): string[] {
  return ALL_FIELDS.filter((f) => !expressed.has(f) && !isDefault(config, f)).map((f) => `${f}: ${format} cannot express ${describe(config, f)}`);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
const quote = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}...` : s);

/** A field's value in words, for a lossy item. */
export function describe(config: SandboxConfig, path: string): string {
  const p = config.policy;
  switch (path) {
    case 'backend': return `the backend "${config.backend}"`;
    case 'secrets': return `${plural(config.secrets.length, 'secret reference')} (${config.secrets.map((s) => s.name).join(', ')})`;
    case 'timeout_ms': return `the ${config.timeout_ms.toLocaleString('en-US')} ms timeout${config.timeout_ms === 0 ? ' (none)' : ''}`;
    case 'env': return `${plural(config.env.length, 'environment variable')} (${config.env.map(([k]) => k).join(', ')})`;
    case 'workdir': return `the working directory ${quote(config.workdir ?? '')}`;
    case 'agent_id': return `the agent id ${quote(config.agent_id ?? '')}`;
    case 'externalization': return config.externalization === null ? 'that there is no output gate (externalization null)' : 'the output gate settings';
    case 'args': return `${plural(config.args.length, 'argument')} (${config.args.map(quote).join(' ')})`;
    case 'stdin': return config.stdin === null ? 'stdin' : `the stdin text (${plural(config.stdin.length, 'character')})`;
    case 'fuel': return `the fuel budget of ${config.fuel?.toLocaleString('en-US')}`;
    case 'max_output_bytes': return `the output cap of ${plural(config.max_output_bytes, 'byte')}`;
    case 'deterministic': return 'the deterministic run (virtual clock and seeded randomness)';
    case 'filesystem': {
      const fs = config.filesystem;
      const parts = [fs?.max_bytes != null && `${plural(fs.max_bytes, 'byte')} in all`, fs?.max_inodes != null && `${plural(fs.max_inodes, 'entry', 'entries')}`,
        fs?.max_file_bytes != null && `${plural(fs.max_file_bytes, 'byte')} per file`].filter(Boolean);
      return `the filesystem budget (${parts.join(', ')})`;
    }
    case 'files': return `${plural(Object.keys(config.files).length, 'initial mount file')} (${Object.keys(config.files).join(', ')})`;
    case 'policy.seccomp_enabled': return `seccomp_enabled: ${p.seccomp_enabled} (the WASI call filter's switch)`;
    case 'policy.seccomp_profile': return `the seccomp profile ${quote(p.seccomp_profile ?? '')} (the WASI call filter's list)`;
    case 'policy.landlock_rules': return `${plural(p.landlock_rules.length, 'mount')} (${p.landlock_rules.map((r) => `${r.path} ${r.access}`).join(', ')})`;
    case 'policy.network': return `the network policy (${p.network.enabled ? 'enabled' : 'disabled'}${p.network.allowed_hosts.length ? `, hosts ${p.network.allowed_hosts.join(', ')}` : ''}${p.network.allowed_ports.length ? `, ports ${p.network.allowed_ports.join(', ')}` : ''})`;
    case 'policy.read_only_rootfs': return 'read_only_rootfs (every mount read-only)';
    case 'policy.memory_limit_mb': return `the ${p.memory_limit_mb} MiB memory cap`;
    case 'policy.cpu_limit': return `the CPU limit of ${p.cpu_limit} core${p.cpu_limit === 1 ? '' : 's'}`;
    case 'policy.max_pids': return `the process limit of ${p.max_pids}`;
    case 'policy.data_dir': return `the data directory ${quote(p.data_dir ?? '')}`;
    case 'policy.wasi_filter': return p.wasi_filter === null ? 'the WASI call filter' : `the WASI call filter (${p.wasi_filter.mode} ${plural(p.wasi_filter.calls.length, 'call')})`;
    default: return `the value ${JSON.stringify(fieldValue(config, path))?.slice(0, 60)}`;
  }
}

/** An explicit fuel budget that equals kavach's derived one reads back as derived (null). */
export function fuelItem(config: SandboxConfig, format: string): string | null {
  if (config.fuel === null) return null;
  const derived = config.timeout_ms === 0 ? null : config.timeout_ms * 1_000_000;
  return config.fuel === derived
    ? `fuel: the explicit budget equals what timeout_ms gives (${config.fuel.toLocaleString('en-US')}); ${format} reads back as derived (null)`
    : null;
}

/** Host directory standing in for a guest mount path in command lines and manifests. */
export function hostPlaceholder(guest: string): string {
  const path = normaliseMountPath(guest);
  return path === '/' ? '.' : `.${path}`;
}
