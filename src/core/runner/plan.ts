/** From a validated config (and the session's secret values) to the plain data a worker runs. */
import {
  DEFAULT_FILESYSTEM_BYTES, filesystemLimits, fuelBudget, isInside, memoryLimitPages, mountsOf, normaliseMountPath, type Mount,
} from '../policy/index.ts';
import type { FileContents, SandboxConfig } from '../policy/schema.ts';
import type { MountEntry, MountReport } from '../wasi/tree.ts';
import type { MountPlan, RunPlan } from './protocol.ts';

/** Audit entries kept per run by default; a program making more keeps the first and last halves. */
export const DEFAULT_AUDIT_LIMIT = 10_000;

export interface PlanOptions {
  /** argv[0]. */
  moduleName: string;
  auditLimit?: number;
  auditCalls?: boolean;
  /** Extra files (secret files), by absolute guest path, placed in the mount that holds the path. */
  extraFiles?: Map<string, Uint8Array | null>;
  /**
   * Contents for particular mounts (host directories the CLI copies in), by the mount's guest
   * path, relative to that mount: they go into that mount even where a nested mount's path
   * covers them (the nested mount shadows them, as a mount point does).
   */
  mountContents?: Map<string, MountEntry[]>;
  /** Report only changed files' bytes after the run (see readTree); default 'full'. */
  mountReport?: MountReport;
  /** The filesystem budget where the policy sets neither it nor a memory cap. */
  filesystemBytes?: number;
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
  for (const [path, list] of options.mountContents ?? []) {
    const mount = mounts.find((m) => m.path === normaliseMountPath(path));
    if (mount === undefined) throw new Error(`${path} is not a mount`);
    entries.get(mount)?.push(...list);
  }
  // A mount inside another shows in it as an empty directory, its mount point: the outer tree
  // neither holds nor reports what lies beneath (the inner mount does).
  for (const outer of mounts) {
    for (const inner of mounts) {
      if (inner !== outer && inner.path !== outer.path && isInside(inner.path, outer.path)) {
        entries.get(outer)?.push({ path: relativeTo(outer, inner.path) + '/', data: null });
      }
    }
  }
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
    filesystem: filesystemLimits(config, options.filesystemBytes ?? DEFAULT_FILESYSTEM_BYTES.page),
    mountReport: options.mountReport ?? 'full',
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
