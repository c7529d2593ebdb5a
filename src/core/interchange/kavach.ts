/**
 * kavach's own JSON: SandboxConfig and SandboxPolicy exactly as the Rust crate's serde writes them
 * (field order, PascalCase enum variants, externally tagged InjectionMethod, env as [[K, V]],
 * f64 as ryu writes it), so a policy moves between this project and a Rust service unchanged.
 * Importing goes through loadDocument, which reads kavach's JSON and the playground's superset.
 */
import { describeIssues, loadDocument } from '../policy/load.ts';
import type { Backend, ExternalizationPolicy, InjectionMethod, SandboxConfig, SandboxPolicy, Severity } from '../policy/schema.ts';
import { minimalDocument } from '../share/document.ts';
import { ALL_FIELDS, fuelItem, unexpressed } from './lossy.ts';
import { F64, toSerdeJson, type SerdeValue } from './serde-json.ts';
import type { ExportResult, ImportResult } from './types.ts';

/** serde's names for kavach's enums: the Rust variant names (no rename attribute in the crate). */
const BACKEND_VARIANTS: Readonly<Record<Backend, string>> = {
  noop: 'Noop', process: 'Process', oci: 'Oci', wasm: 'Wasm', gvisor: 'GVisor', sgx: 'Sgx',
  syagnos: 'SyAgnos', sev: 'Sev', tdx: 'Tdx', firecracker: 'Firecracker',
};
const SEVERITY_VARIANTS: Readonly<Record<Severity, string>> = { info: 'Info', low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };

/** Playground fields kavach does not have (it ignores them when present). */
export const PLAYGROUND_EXTENSIONS = ['args', 'stdin', 'fuel', 'max_output_bytes', 'deterministic', 'filesystem', 'files', 'policy.wasi_filter'] as const;
const KAVACH_CONFIG_FIELDS = new Set(ALL_FIELDS.filter((f) => !(PLAYGROUND_EXTENSIONS as readonly string[]).includes(f)));
const KAVACH_POLICY_FIELDS = new Set([...KAVACH_CONFIG_FIELDS].filter((f) => f.startsWith('policy.')));

function policyValue(p: SandboxPolicy): SerdeValue {
  return {
    seccomp_enabled: p.seccomp_enabled,
    seccomp_profile: p.seccomp_profile,
    landlock_rules: p.landlock_rules.map((r) => ({ path: r.path, access: r.access })),
    network: { enabled: p.network.enabled, allowed_hosts: p.network.allowed_hosts, allowed_ports: p.network.allowed_ports },
    read_only_rootfs: p.read_only_rootfs,
    memory_limit_mb: p.memory_limit_mb,
    cpu_limit: p.cpu_limit === null ? null : new F64(p.cpu_limit),
    max_pids: p.max_pids,
    data_dir: p.data_dir,
  };
}

function injectionValue(via: InjectionMethod): SerdeValue {
  if (via === 'Stdin') return 'Stdin';
  if ('EnvVar' in via) return { EnvVar: { var_name: via.EnvVar.var_name } };
  return { File: { path: via.File.path, mode: via.File.mode } };
}

function externalizationValue(e: ExternalizationPolicy): SerdeValue {
  return {
    enabled: e.enabled,
    max_artifact_size_bytes: e.max_artifact_size_bytes,
    block_threshold: SEVERITY_VARIANTS[e.block_threshold],
    quarantine_threshold: SEVERITY_VARIANTS[e.quarantine_threshold],
    redact_secrets: e.redact_secrets,
  };
}

function withFuelNote(items: string[], config: SandboxConfig): string[] {
  const note = fuelItem(config, 'kavach');
  return items.map((item) => (note !== null && item.startsWith('fuel:') ? note : item));
}

/**
 * kavach's ExternalizationPolicy has five fields; which of 1.0's further scanners run is the
 * playground's choice (0.22 has none, 1.0 runs all three whenever a gate is set).
 */
function extraScannersItem(config: SandboxConfig): string[] {
  const extra = config.externalization?.extra_scanners ?? [];
  return extra.length === 0 ? [] : [
    `externalization.extra_scanners: kavach cannot express the choice of ${extra.join(', ')} (0.22 has none of these scanners; 1.0 runs code, data and entropy whenever a gate is set)`,
  ];
}

/**
 * kavach's SandboxConfig (fields in the crate's order; 1.0's optional inner_backend is left out,
 * which serde reads as null). The playground's extensions are listed as lossy. `externalization`
 * means the same on both sides: null no gate, a block a gate, so it is written as it is (the
 * playground's default gate is written out as a block, and kavach runs it too).
 */
export function exportKavachConfig(config: SandboxConfig): ExportResult {
  const value: SerdeValue = {
    backend: BACKEND_VARIANTS[config.backend],
    policy: policyValue(config.policy),
    secrets: config.secrets.map((s) => ({ name: s.name, inject_via: injectionValue(s.inject_via) })),
    timeout_ms: config.timeout_ms,
    workdir: config.workdir,
    env: config.env.map(([k, v]) => [k, v]),
    agent_id: config.agent_id,
    externalization: config.externalization === null ? null : externalizationValue(config.externalization),
  };
  const lossy = [...withFuelNote(unexpressed(config, 'kavach', KAVACH_CONFIG_FIELDS), config), ...extraScannersItem(config)];
  return { format: 'kavach', text: toSerdeJson(value), lossy, analogy: false };
}

/** kavach's SandboxPolicy alone: everything outside the policy is listed as lossy. */
export function exportKavachPolicy(config: SandboxConfig): ExportResult {
  return { format: 'kavach-policy', text: toSerdeJson(policyValue(config.policy)), lossy: withFuelNote(unexpressed(config, 'a kavach SandboxPolicy', KAVACH_POLICY_FIELDS), config), analogy: false };
}

/** The playground's own document: every field, nothing lost. */
export function exportPlayground(config: SandboxConfig): ExportResult {
  return { format: 'playground', text: JSON.stringify(minimalDocument(config), null, 2), lossy: [], analogy: false };
}

/** A kavach SandboxPolicy or SandboxConfig, or a playground document, as JSON text or a parsed value. */
export function importKavach(input: string | unknown): ImportResult {
  const loaded = loadDocument(input);
  if (!loaded.ok) {
    return { ok: false, format: 'kavach', message: `not a valid policy document:\n${describeIssues(loaded.errors)}`, issues: loaded.errors };
  }
  const raw = typeof input === 'string' ? (JSON.parse(input) as Record<string, unknown>) : (input as Record<string, unknown>);
  const rawPolicy = (loaded.kind === 'policy' ? raw : raw.policy) as Record<string, unknown> | undefined;
  const rawGate = raw.externalization;
  const extended = PLAYGROUND_EXTENSIONS.some((f) => (f.startsWith('policy.') ? rawPolicy !== undefined && typeof rawPolicy === 'object' && rawPolicy !== null && f.slice(7) in rawPolicy : f in raw))
    || (typeof rawGate === 'object' && rawGate !== null && 'extra_scanners' in rawGate);
  return {
    ok: true,
    format: loaded.kind === 'policy' ? 'kavach-policy' : extended ? 'playground' : 'kavach',
    document: minimalDocument(loaded.config),
    config: loaded.config,
    warnings: loaded.warnings.map((w) => (w.path ? `${w.path}: ${w.message}` : w.message)),
    module: null,
  };
}
