/**
 * kavach's own JSON: SandboxConfig and SandboxPolicy exactly as the Rust crate's serde writes them
 * (field order, PascalCase enum variants, externally tagged InjectionMethod, env as [[K, V]],
 * f64 as ryu writes it), so a policy moves between this project and a Rust service unchanged.
 * Importing goes through loadDocument, which reads kavach's JSON and the playground's superset.
 */
import { fieldUnits, POLICY_FIELDS } from '../policy/fields.ts';
import { describeIssues, loadDocument } from '../policy/load.ts';
import type { Backend, ExternalizationPolicy, InjectionMethod, SandboxConfig, SandboxPolicy, Severity } from '../policy/schema.ts';
import { isPlainObject, minimalDocument } from '../share/document.ts';
import { fuelItem, unexpressed } from './lossy.ts';
import { F64, toSerdeJson, type SerdeValue } from './serde-json.ts';
import type { ExportResult, ImportResult } from './types.ts';

/** serde's names for kavach's enums: the Rust variant names (no rename attribute in the crate). */
const BACKEND_VARIANTS: Readonly<Record<Backend, string>> = {
  noop: 'Noop', process: 'Process', oci: 'Oci', wasm: 'Wasm', gvisor: 'GVisor', sgx: 'Sgx',
  syagnos: 'SyAgnos', sev: 'Sev', tdx: 'Tdx', firecracker: 'Firecracker',
};
const SEVERITY_VARIANTS: Readonly<Record<Severity, string>> = { info: 'Info', low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };

/** Playground fields kavach does not have (it ignores them when present): the registry's extensions. */
export const PLAYGROUND_EXTENSIONS: readonly string[] = fieldUnits().filter((f) => f.origin === 'playground').map((f) => f.path);
const KAVACH_CONFIG_FIELDS = new Set(fieldUnits().filter((f) => f.origin === 'kavach').map((f) => f.path));
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
 * kavach 1.0's SandboxConfig, fields in the crate's order (lifecycle/mod.rs 1.0.1:66-85); 0.22
 * has no inner_backend and ignores it, as serde ignores unknown fields. The playground's
 * extensions are listed as lossy. `externalization` means the same on both sides: null no gate, a
 * block a gate, so it is written as it is (the playground's default gate is written out as a
 * block, and kavach runs it too).
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
    inner_backend: config.inner_backend === null ? null : BACKEND_VARIANTS[config.inner_backend],
  };
  const lossy = withFuelNote(unexpressed(config, 'kavach', KAVACH_CONFIG_FIELDS), config);
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
  const raw = typeof input === 'string' ? (JSON.parse(input) as unknown) : input;
  const document = loaded.kind === 'policy' ? { policy: raw } : raw;
  const extended = PLAYGROUND_EXTENSIONS.some((f) => present(document, f));
  const format = loaded.kind === 'policy' ? 'kavach-policy' : extended ? 'playground' : 'kavach';
  return {
    ok: true,
    format,
    document: minimalDocument(loaded.config),
    config: loaded.config,
    warnings: loaded.warnings.map((w) => (w.path ? `${w.path}: ${w.message}` : w.message)),
    kavachReadsOtherwise: format === 'playground' ? [] : kavachReadsOtherwise(document, loaded.config),
    module: null,
  };
}

/** Whether a document holds the field at a dotted path. */
function present(document: unknown, path: string): boolean {
  let value = document;
  for (const key of path.split('.')) {
    if (!isPlainObject(value) || !Object.hasOwn(value, key)) return false;
    value = value[key];
  }
  return true;
}

/**
 * Where kavach would read a kavach document otherwise than the playground does: each field it
 * leaves out whose default is not kavach's (kavach's `SandboxConfig::default()`, what its builder
 * and `kavach exec` start from; its serde would refuse the document without backend, policy or
 * timeout_ms, and read a missing externalization as no gate), and each value kavach takes to mean
 * something else (timeout_ms 0). One item each, as "field: kavach ..., here ...".
 */
export function kavachReadsOtherwise(document: unknown, config: SandboxConfig): string[] {
  const leftOut = POLICY_FIELDS
    .filter((f) => f.kavachDefault !== undefined && !present(document, f.path))
    .map((f) => `${f.path}: left out; kavach's default is ${f.kavachDefault}, the playground's ${f.default}`);
  const values = POLICY_FIELDS.flatMap((f) => {
    const reading = f.kavachReads?.(config) ?? null;
    return reading === null ? [] : [`${f.path}: ${reading}`];
  });
  return [...leftOut, ...values];
}
