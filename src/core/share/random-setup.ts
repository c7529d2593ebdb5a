/**
 * Seeded random policy documents for the codec and interchange tests: every field, every secret
 * injection method, and strings that break naive quoting (shell metacharacters, quotes, newlines,
 * markup, non-ASCII). Not part of the public API.
 */
import type { SandboxConfigInput } from '../policy/schema.ts';
import { mulberry32 } from '../util/prng.ts';

/** A seedable generator of floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() / 4294967296;
}

export const TRICKY_TEXTS = [
  'hello', 'two words', '', "it's", 'say "hi"', '$HOME and `id` and $(reboot)', '<script>alert(1)</script>',
  'javascript:alert(document.cookie)', 'line one\nline two\n', 'tab\there', 'ünïcødé ✓ 🦀', '\u2028\u2029',
  'back\\slash', '--flag', '-W fuel=1', '#not a comment', '*?[glob]', ';&|<>', '%00%0a', 'a=b=c', ' padded ',
  '"><img src=x onerror=alert(1)>', '{{constructor.constructor("alert(1)")()}}', '__proto__',
] as const;

const MOUNTS = ['/data', '/out', '/tmp', '/srv/app data', '/ünï', '/a/b/c'] as const;
const ACCESS = ['ro', 'rw', 'rw', 'ro', 'read-only'] as const;
const ENV_NAMES = ['GREETING', 'LANG', 'PATH', 'A_B', 'lower', 'X1', 'WEIRD-NAME.with.dots'] as const;

export function randomConfig(random: () => number): SandboxConfigInput {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chance = (p: number) => random() < p;
  const some = <T,>(max: number, make: (i: number) => T): T[] => Array.from({ length: Math.floor(random() * (max + 1)) }, (_, i) => make(i));

  const mounts = [...new Set(some(3, () => pick(MOUNTS)))];
  const rules = mounts.map((path) => ({ path, access: pick(ACCESS) }));
  const files: Record<string, string | { base64: string }> = {};
  if (mounts.length > 0) {
    for (const i of some(3, (i) => i)) {
      files[`${pick(mounts)}/file-${i}.txt`] = chance(0.8) ? pick(TRICKY_TEXTS) : { base64: 'AAECAwQF/+8=' };
    }
  }
  const secrets = some(3, (i) => {
    const kind = mounts.length > 0 ? pick(['env', 'file', 'stdin'] as const) : pick(['env', 'stdin'] as const);
    const name = `${pick(['API_TOKEN', 'DB_PASS', 'CERT'])}_${i}`;
    if (kind === 'env') return { name, inject_via: { EnvVar: { var_name: pick(ENV_NAMES) } } };
    if (kind === 'file') return { name, inject_via: { File: { path: `${pick(mounts)}/secret-${i}`, mode: pick([0o400, 0o600]) } } };
    return { name, inject_via: 'Stdin' as const };
  });
  const timeout = pick([0, 1000, 1500, 5000, 10_000, 30_000]);

  const doc: SandboxConfigInput = {
    backend: pick(['wasm', 'wasm', 'wasm', 'process', 'gvisor', 'syagnos', 'Firecracker']),
    policy: {
      seccomp_enabled: chance(0.3),
      seccomp_profile: pick([null, null, 'strict', 'basic']),
      landlock_rules: rules,
      network: pick([
        { enabled: false, allowed_hosts: [], allowed_ports: [] },
        { enabled: false, allowed_hosts: [], allowed_ports: [] },
        { enabled: true, allowed_hosts: ['example.com'], allowed_ports: [443] },
        { enabled: true, allowed_hosts: [], allowed_ports: [] },
        { enabled: true, allowed_hosts: ['api.example.com', '*.cdn.example'], allowed_ports: [] },
      ]),
      read_only_rootfs: chance(0.2),
      memory_limit_mb: pick([null, null, 1, 16, 64, 512, 4096]),
      cpu_limit: pick([null, null, 0.5, 1, 2, 1.25, 1e-7, 1e17]),
      max_pids: pick([null, null, 64]),
      data_dir: pick([null, null, '/data']),
      wasi_filter: pick([null, null, { mode: 'allow' as const, calls: ['fd_write' as const, 'proc_exit' as const] }]),
    },
    secrets,
    timeout_ms: timeout,
    env: some(3, () => [pick(ENV_NAMES), pick(TRICKY_TEXTS)] as [string, string]),
    workdir: pick([null, null, '/work']),
    agent_id: pick([null, null, 'agent-1']),
    externalization: pick([null, null, {}, { enabled: false, block_threshold: 'high' as const, max_artifact_size_bytes: 1000 }, { extra_scanners: ['entropy' as const, 'code' as const] }]),
    args: some(3, () => pick(TRICKY_TEXTS)),
    stdin: pick([null, null, ...TRICKY_TEXTS]),
    fuel: pick([null, null, 1, 5_000_000, timeout === 0 ? null : timeout * 1_000_000, 123_456_789]),
    max_output_bytes: pick([1024 * 1024, 1024 * 1024, 4096]),
    files,
  };
  return doc;
}
