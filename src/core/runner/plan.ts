/** From a validated config (and the session's secret values) to the plain data a worker runs. */
import { fuelBudget, isInside, memoryLimitPages, mountsOf, normaliseMountPath, type Mount } from '../policy/index.ts';
import type { FileContents, SandboxConfig } from '../policy/schema.ts';
import type { MountEntry } from '../wasi/tree.ts';
import type { MountPlan, RunPlan } from './protocol.ts';

/** Audit entries kept per run by default; a program making more keeps the first and last halves. */
export const DEFAULT_AUDIT_LIMIT = 10_000;

export interface PlanOptions {
  /** argv[0]. */
  moduleName: string;
  auditLimit?: number;
  auditCalls?: boolean;
  /** Extra files (e.g. host directories the CLI copies in), by absolute guest path. */
  extraFiles?: Map<string, Uint8Array | null>;
  /** Secret values to redact from everything that leaves the worker. */
  redact?: [string, string][];
}

export function decodeContents(contents: FileContents): Uint8Array {
  if (typeof contents === 'string') return new TextEncoder().encode(contents);
  const binary = atob(contents.base64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** The mount holding `path`: the longest mount path that is a prefix of it. */
export function mountFor(mounts: readonly Mount[], path: string): Mount | null {
  const p = normaliseMountPath(path);
  let best: Mount | null = null;
  for (const m of mounts) {
    if (isInside(p, m.path) && (best === null || m.path.length > best.path.length)) best = m;
  }
  return best;
}

function relativeTo(mount: Mount, path: string): string {
  const p = normaliseMountPath(path);
  const rel = mount.path === '/' ? p.slice(1) : p.slice(mount.path.length + 1);
  return path.endsWith('/') && rel !== '' ? rel + '/' : rel;
}

export function planRun(config: SandboxConfig, options: PlanOptions): RunPlan {
  const mounts = mountsOf(config);
  const entries = new Map<Mount, MountEntry[]>(mounts.map((m) => [m, []]));
  const place = (path: string, data: Uint8Array | null) => {
    const mount = mountFor(mounts, path);
    if (mount === null) throw new Error(`${path} is not inside any mount`);
    const rel = relativeTo(mount, path);
    if (rel !== '') entries.get(mount)?.push({ path: rel, data });
  };
  for (const [path, contents] of Object.entries(config.files)) {
    place(path, path.endsWith('/') ? null : decodeContents(contents));
  }
  for (const [path, data] of options.extraFiles ?? []) place(path, data);
  const mountPlans: MountPlan[] = mounts.map((m) => ({
    info: { path: m.path, readOnly: m.readOnly, rule: m.rule, readOnlyReason: m.readOnlyReason },
    entries: entries.get(m) ?? [],
  }));
  return {
    args: [options.moduleName, ...config.args],
    env: config.env.map(([k, v]) => [k, v] as [string, string]),
    stdin: new TextEncoder().encode(config.stdin ?? ''),
    mounts: mountPlans,
    maxOutputBytes: config.max_output_bytes,
    timeoutMs: config.timeout_ms,
    fuel: fuelBudget(config),
    memoryLimitPages: memoryLimitPages(config),
    policy: config.policy,
    externalization: config.externalization,
    deterministic: config.deterministic === null ? null : {
      startNs: BigInt(config.deterministic.clock_start_ms) * 1_000_000n,
      stepNs: BigInt(config.deterministic.clock_step_ns),
      seed: config.deterministic.random_seed,
    },
    redact: options.redact ?? [],
    auditLimit: options.auditLimit ?? DEFAULT_AUDIT_LIMIT,
    auditCalls: options.auditCalls ?? true,
  };
}
