/** What a validated config means for a run: mounts, budgets, environment. */
import { normaliseMountPath } from './load.ts';
import { MAX_MEMORY_MB, type SandboxConfig } from './schema.ts';
import { MAX_FILE_BYTES, type FsLimits } from '../wasi/budget.ts';
import type { MountInfo } from '../wasi/fs.ts';

/** A directory the policy mounts: the filesystem layer's own mount description (one shape for both). */
export type Mount = MountInfo;

export function mountsOf(config: SandboxConfig): Mount[] {
  return config.policy.landlock_rules.map((rule, i) => {
    const readOnly = config.policy.read_only_rootfs || rule.access !== 'rw';
    const readOnlyReason = !readOnly
      ? null
      : config.policy.read_only_rootfs && rule.access === 'rw'
        ? 'read_only_rootfs'
        : `policy rule ${i}`;
    return { path: normaliseMountPath(rule.path), readOnly, rule: i, readOnlyReason };
  });
}

/** kavach's rule: fuel = timeout_ms x 1,000,000; timeout 0 = no fuel. An explicit budget wins. */
export function fuelBudget(config: SandboxConfig): bigint | null {
  if (config.fuel !== null) return BigInt(config.fuel);
  if (config.timeout_ms === 0) return null;
  return BigInt(config.timeout_ms) * 1_000_000n;
}

const MiB = 1024 * 1024;
/** The filesystem budget where the policy sets neither it nor a memory cap: the page's, the CLI's. */
export const DEFAULT_FILESYSTEM_BYTES = { page: 256 * MiB, cli: 1024 * MiB } as const;
export const DEFAULT_FILESYSTEM_INODES = 100_000;

/**
 * What the run's mounts may hold. With a memory cap and no explicit budget, the files may hold
 * as much as the cap: the sandbox as a whole then costs the host at most about twice the cap.
 */
export function filesystemLimits(config: SandboxConfig, hostDefaultBytes: number): FsLimits {
  const fs = config.filesystem;
  const cap = memoryCapMb(config);
  const maxBytes = fs?.max_bytes ?? (cap !== null ? cap * MiB : hostDefaultBytes);
  return {
    maxBytes,
    maxInodes: fs?.max_inodes ?? DEFAULT_FILESYSTEM_INODES,
    maxFileBytes: Math.min(fs?.max_file_bytes ?? maxBytes, MAX_FILE_BYTES),
  };
}

/**
 * The memory cap in force, in MiB, or null for none: the policy's, at most what wasm32 can
 * address (kavach takes any u64 and its WASM backend stops at the same 65,536 pages,
 * wasm/mod.rs 1.0.1:28-31). 0 is a cap: no memory at all.
 */
export function memoryCapMb(config: SandboxConfig): number | null {
  const mb = config.policy.memory_limit_mb;
  return mb === null ? null : Math.min(mb, MAX_MEMORY_MB);
}

/** Memory cap in 64 KiB pages, or null for none. */
export function memoryLimitPages(config: SandboxConfig): number | null {
  const mb = memoryCapMb(config);
  return mb === null ? null : mb * 16;
}
