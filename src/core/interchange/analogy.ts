/**
 * Deno and Node permission flags, as an analogy only: they say what a JavaScript program may
 * touch on the host, which is the nearest thing most people know to this policy. They do not run a
 * WASI module, and have no flag for fuel, memory or the timeout. Export only.
 */
import type { SandboxConfig } from '../policy/schema.ts';
import { hostPlaceholder, unexpressed } from './lossy.ts';
import { shellComment, shellQuote } from './shell-words.ts';
import type { ExportResult } from './types.ts';

const LABEL = [
  'AN ANALOGY ONLY, not an equivalent: these flags say what a JavaScript program may touch on the',
  'host, the nearest familiar thing to this policy. They do not sandbox a WASI module; fuel, memory',
  'and time limits have no flag. The directories are placeholders for the mounts.',
];

/** Mount paths a program may read, and those it may also write (read-only rootfs included). */
function mountAccess(config: SandboxConfig): { read: string[]; write: string[] } {
  const read: string[] = [];
  const write: string[] = [];
  for (const rule of config.policy.landlock_rules) {
    const host = hostPlaceholder(rule.path);
    read.push(host);
    if (rule.access === 'rw' && !config.policy.read_only_rootfs) write.push(host);
  }
  return { read, write };
}

/** The names a program may read: the env's and the EnvVar secrets' variables. */
function envNames(config: SandboxConfig): string[] {
  const secretVars = config.secrets.flatMap((s) => (s.inject_via !== 'Stdin' && 'EnvVar' in s.inject_via ? [s.inject_via.EnvVar.var_name] : []));
  return [...new Set([...config.env.map(([k]) => k), ...secretVars])];
}

export function exportDeno(config: SandboxConfig): ExportResult {
  const { read, write } = mountAccess(config);
  const names = envNames(config);
  const flags: string[] = [];
  if (read.length > 0) flags.push(shellQuote(`--allow-read=${read.join(',')}`));
  if (write.length > 0) flags.push(shellQuote(`--allow-write=${write.join(',')}`));
  if (names.length > 0) flags.push(shellQuote(`--allow-env=${names.join(',')}`));
  const { network } = config.policy;
  if (network.enabled) {
    const hosts = network.allowed_hosts.flatMap((h) => (network.allowed_ports.length === 0 ? [h] : network.allowed_ports.map((p) => `${h}:${p}`)));
    flags.push(hosts.length > 0 ? shellQuote(`--allow-net=${hosts.join(',')}`) : '--allow-net');
  }
  const lossy = [
    ...(config.env.length > 0 ? ['env: Deno grants reading variables by name; the values are not part of the flags'] : []),
    ...(config.secrets.length > 0 ? ['secrets: only EnvVar secrets have an analogue (--allow-env for their variable); values and other injections have none'] : []),
    ...unexpressed(config, 'Deno permission flags', new Set(['policy.landlock_rules', 'policy.read_only_rootfs', 'policy.network', 'env', 'secrets'])),
  ];
  const text = [...LABEL.map(shellComment), ['deno run', ...flags, 'main.ts'].join(' ')].join('\n');
  return { format: 'deno', text, lossy, analogy: true };
}

export function exportNode(config: SandboxConfig): ExportResult {
  const { read, write } = mountAccess(config);
  const flags = ['--permission', ...read.map((p) => shellQuote(`--allow-fs-read=${p}`)), ...write.map((p) => shellQuote(`--allow-fs-write=${p}`))];
  const lossy = [
    ...(config.env.length > 0 ? ["env: Node's permission model does not restrict environment variables"] : []),
    ...(config.policy.network.enabled ? ["policy.network: Node's permission model has no network flag"] : []),
    ...unexpressed(config, 'Node permission flags', new Set(['policy.landlock_rules', 'policy.read_only_rootfs', 'env', 'policy.network'])),
  ];
  const text = [
    ...LABEL.map(shellComment),
    shellComment('Node 22.13+ / 23.5+ spelling; Node 20 calls the first flag --experimental-permission.'),
    ['node', ...flags, 'main.js'].join(' '),
  ].join('\n');
  return { format: 'node', text, lossy, analogy: true };
}
