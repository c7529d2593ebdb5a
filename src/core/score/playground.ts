/**
 * The playground's score: kavach's WASM base plus only what this sandbox really enforces, minus
 * what weakens it, with one line per point. README.md in this folder has the table and its why.
 */
import { compileFilter } from '../filter/index.ts';
import { findAll, severityRank } from '../gate/index.ts';
import { describeFuelBudget } from '../limits/index.ts';
import { fuelBudget, memoryCapMb, mountsOf } from '../policy/derive.ts';
import type { SandboxConfig } from '../policy/schema.ts';
import { WASI_CALLS } from '../wasi/calls.ts';
import { KAVACH_BASE, toScore, type Score } from './kavach.ts';

export interface ScoreLine {
  /** Stable id of the control, e.g. "memory_cap"; README.md lists them. */
  id: string;
  /** Points added (positive) or taken off (negative); 0 for a control that does nothing here. */
  points: number;
  reason: string;
  /** False for controls kavach would credit that this sandbox cannot enforce. */
  enforced: boolean;
}

export interface PlaygroundScore extends Score {
  /** Every line, in table order; their points sum to the score. */
  lines: ScoreLine[];
}

/**
 * Point values. The credits sum to 19, so the best playground sandbox scores 84, the top of
 * "hardened": fortress is for VM and hardware isolation, as in kavach's table. The penalties
 * sum to -33, so the worst scores 65 + 3 + 5 - 33 = 40. No clamping is ever needed.
 * (Crediting deterministic runs took the call filter from +3 to +2, to keep the top at 84.)
 */
export const PLAYGROUND_POINTS = {
  base: KAVACH_BASE.wasm,
  fs_confined: 3,
  no_network: 5,
  wasi_filter: 2,
  read_only_mounts: 2,
  read_only_mounts_partial: 1,
  memory_cap: 2,
  fuel: 1,
  timeout: 1,
  deterministic: 1,
  secrets_proxy: 1,
  output_gate: 1,
  root_rw: -10,
  no_limits: -10,
  plaintext_secret: -10,
  output_gate_off: -3,
} as const;

/** Env var names that say "this is a secret". */
export const SECRET_ENV_NAME = /(SECRET|TOKEN|PASSWORD|PASSWD|API_?KEY|PRIVATE)/i;

export function playgroundScore(config: SandboxConfig): PlaygroundScore {
  const P = PLAYGROUND_POINTS;
  const { policy } = config;
  const lines: ScoreLine[] = [];
  const add = (id: keyof typeof P, reason: string) => lines.push({ id, points: P[id], reason, enforced: true });
  const moot = (id: string, reason: string) => lines.push({ id, points: 0, reason, enforced: false });
  const mounts = mountsOf(config);

  add('base', "kavach's base for the WASM backend: the guest reaches only its imports and its own linear memory");
  add('fs_confined', mounts.length === 0
    ? 'filesystem confined: there are no mounts, so the guest sees no files at all'
    : `filesystem confined to ${mounts.length} mount(s) (${mounts.map((m) => m.path).join(', ')}): WASI resolves no path outside a preopen`);
  const readOnly = mounts.filter((m) => m.readOnly);
  if (mounts.length > 0 && readOnly.length === mounts.length) {
    add('read_only_mounts', `all ${mounts.length} mount(s) read-only: every mutating call on them is refused`);
  } else if (readOnly.length > 0) {
    add('read_only_mounts_partial', `${readOnly.length} of ${mounts.length} mounts read-only (${readOnly.map((m) => m.path).join(', ')})`);
  }
  const filter = compileFilter(policy);
  if (filter) add('wasi_filter', `WASI call filter on (${filter.rule}): ${filter.denied.length} of ${WASI_CALLS.length} calls refused with ENOSYS`);
  const cap = memoryCapMb(config);
  if (cap !== null) {
    const field = cap === policy.memory_limit_mb ? 'memory_limit_mb' : `memory_limit_mb ${policy.memory_limit_mb}, more than wasm32 addresses`;
    add('memory_cap', `memory capped at ${cap} MiB (${field}): growing past it fails`);
  }
  const fuel = fuelBudget(config);
  if (fuel !== null) {
    add('fuel', `${describeFuelBudget(config)}: a busy guest is stopped after the same work on every machine`);
  }
  if (config.timeout_ms > 0) add('timeout', `wall-clock timeout of ${config.timeout_ms} ms: the run is killed on time, even inside a blocking call`);
  if (config.deterministic !== null) {
    const { clock_start_ms: start, clock_step_ns: step, random_seed: seed } = config.deterministic;
    const from = Number.isNaN(new Date(start).getTime()) ? `${start} ms after 1970` : new Date(start).toISOString();
    add('deterministic', `deterministic run: a virtual clock from ${from} stepping ${step} ns per read, and random bytes from seed ${seed}; the guest can read neither the host's time nor its entropy, and the run repeats byte for byte`);
  }
  add('no_network', policy.network.enabled
    ? 'no network: WASI preview1 here has no sockets (network.enabled is true, but there is nothing to enable)'
    : 'no network: WASI preview1 here has no sockets');
  if (config.secrets.length > 0) {
    add('secrets_proxy', `${config.secrets.length} secret(s) via the credential proxy: values stay out of the document and share links and are redacted from output`);
  }
  const gate = config.externalization;
  if (gate !== null && gate.enabled) {
    const extra = gate.extra_scanners.length > 0 ? `, with kavach 1.0's ${gate.extra_scanners.join(', ')} scanner(s)` : '';
    add('output_gate', `output gate on: block at ${gate.block_threshold}, quarantine at ${gate.quarantine_threshold}${extra}`);
  }

  const rootRw = mounts.find((m) => m.path === '/' && !m.readOnly);
  if (rootRw) add('root_rw', `"/" is mounted read-write (landlock_rules[${rootRw.rule}]): the guest can change every file it is given`);
  if (fuel === null && policy.memory_limit_mb === null) {
    add('no_limits', 'no limits at all (timeout_ms 0, no fuel, no memory_limit_mb): a runaway guest runs and grows until the page is closed');
  }
  const pasted = config.env.filter(([name, value]) => value !== '' && looksSecret(name, value)).map(([name]) => name);
  if (pasted.length > 0) {
    add('plaintext_secret', `secret-looking value in plain env (${pasted.join(', ')}): it is stored in the document and share links and not redacted; use a SecretRef`);
  }
  if (gate === null) {
    add('output_gate_off', 'no output gate (externalization is null, which kavach reads as no gate): output leaves the sandbox unscanned');
  } else if (!gate.enabled) {
    add('output_gate_off', 'output gate off (externalization.enabled false): output leaves the sandbox unscanned');
  }

  if (policy.cpu_limit !== null) {
    moot('cpu_limit', `cpu_limit ${policy.cpu_limit}: a guest runs on one JavaScript thread; fractional cores are not enforced (fuel and the timeout bound CPU instead)`);
  }
  if (policy.max_pids !== null) moot('max_pids', `max_pids ${policy.max_pids}: WASI preview1 cannot spawn processes, so there is nothing to cap`);
  if (policy.read_only_rootfs && mounts.length === 0) {
    moot('read_only_rootfs', 'read_only_rootfs: there are no mounts, so there is nothing to make read-only (kavach credits +3 anyway)');
  }
  if (!policy.seccomp_enabled && policy.seccomp_profile !== null && policy.wasi_filter === null) {
    moot('seccomp_profile', `seccomp_profile "${policy.seccomp_profile}" does nothing while seccomp_enabled is false`);
  }
  if (policy.network.allowed_hosts.length > 0 || policy.network.allowed_ports.length > 0) {
    moot('network_allowlist', 'network.allowed_hosts/allowed_ports: there is no network to allow');
  }
  if (policy.data_dir !== null) moot('data_dir', `data_dir "${policy.data_dir}": only landlock_rules become mounts here; data_dir mounts nothing`);

  const total = toScore(lines.reduce((sum, l) => sum + l.points, 0));
  return { ...total, lines };
}

/** A plain env var that looks like a pasted secret: its name says so, or its value matches a gate pattern above low (an email is not a secret). */
export function looksSecret(name: string, value: string): boolean {
  return SECRET_ENV_NAME.test(name) || findAll(value).some((f) => severityRank(f.severity) > severityRank('low'));
}
