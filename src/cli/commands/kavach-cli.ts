/**
 * kavach's own CLI vocabulary (src/main.rs and src/backend/mod.rs in the crate), shared by the
 * commands that speak it (score, backends, exec): backend names as it reads and prints them,
 * presets as it resolves them, and its defaults.
 */
import { presetPolicy, type Backend, type SandboxPolicy } from '../../core/index.ts';

/** kavach's defaults for `-b/--backend` and `-p/--policy` (main.rs:17-22, 43-48). */
export const DEFAULT_BACKEND = 'process';
export const DEFAULT_PRESET = 'basic';
/** kavach's default for `exec -t/--timeout`, in milliseconds (main.rs:28-30). */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Every backend kavach knows, in its Backend::all() order, with the name its Display prints
 * (backend/mod.rs 1.0.1:81-94, 165-180; 0.22.3 has no tdx).
 */
export const KAVACH_BACKENDS: readonly { backend: Backend; name: string }[] = [
  { backend: 'process', name: 'process' },
  { backend: 'gvisor', name: 'gvisor' },
  { backend: 'firecracker', name: 'firecracker' },
  { backend: 'wasm', name: 'wasm' },
  { backend: 'oci', name: 'oci' },
  { backend: 'sgx', name: 'sgx' },
  { backend: 'sev', name: 'sev' },
  { backend: 'tdx', name: 'tdx' },
  { backend: 'syagnos', name: 'sy-agnos' },
  { backend: 'noop', name: 'noop' },
];

/** The backends this playground runs; kavach's others are known for scoring only. */
export const RUNS_HERE: ReadonlySet<Backend> = new Set(['wasm']);

/** kavach's name for a backend, as its Display prints it. */
export function backendName(backend: Backend): string {
  return KAVACH_BACKENDS.find((b) => b.backend === backend)?.name ?? backend;
}

/**
 * A backend name as kavach parses it: case-insensitive, "sy-agnos" or "syagnos"; otherwise its
 * error, with the name lowercased (main.rs 0.22.3:56-69, backend/mod.rs 1.0.1:142-163).
 */
export function parseBackend(name: string): { ok: true; backend: Backend } | { ok: false; message: string } {
  const key = name.toLowerCase();
  const found = KAVACH_BACKENDS.find((b) => b.name === key || b.backend === key);
  return found === undefined ? { ok: false, message: `unknown backend: ${key}` } : { ok: true, backend: found.backend };
}

/**
 * A preset as kavach's CLI resolves it, `--no-network` applied (main.rs 1.0.1:56-62); a bad name
 * gives kavach's error, "unknown policy: NAME (use minimal, basic, strict)".
 */
export function resolvePreset(name: string, noNetwork: boolean): { ok: true; policy: SandboxPolicy } | { ok: false; message: string } {
  try {
    const policy = presetPolicy(name);
    return { ok: true, policy: noNetwork ? { ...policy, network: { ...policy.network, enabled: false } } : policy };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}
