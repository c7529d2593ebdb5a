/**
 * Seeded random policy documents for the codec and interchange tests: every field of the field
 * registry, every secret injection method, values kavach takes at their edges (memory 0 and past
 * 4 GiB, a relative mount, an empty access), and strings that break naive quoting (shell
 * metacharacters, quotes, newlines, markup, non-ASCII). The fields drawn by hand below are those
 * whose values depend on each other or need awkward cases; every other field of the registry is
 * drawn from its example, so a field added later is exercised at once (random-setup.test.ts fails
 * when a field is never drawn). Not part of the public API.
 */
import { POLICY_FIELDS, type FieldPath } from '../../core/policy/fields.ts';
import { normaliseMountPath } from '../../core/policy/load.ts';
import type { SandboxConfigInput } from '../../core/policy/schema.ts';
import { mulberry32 } from '../../core/util/prng.ts';
import { isPlainObject } from '../../core/share/document.ts';

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

const MOUNTS = ['/data', '/out', '/tmp', '/srv/app data', '/ünï', '/a/b/c', 'rel/dir'] as const;
const ACCESS = ['ro', 'rw', 'rw', 'ro', 'read-only', ''] as const;
const ENV_NAMES = ['GREETING', 'LANG', 'PATH', 'A_B', 'lower', 'X1', 'WEIRD-NAME.with.dots'] as const;

/** The fields drawn by hand in randomConfig; a field inside one goes with it. */
const BY_HAND: ReadonlySet<FieldPath> = new Set<FieldPath>([
  'backend', 'policy.seccomp_enabled', 'policy.seccomp_profile', 'policy.landlock_rules', 'policy.network', 'policy.read_only_rootfs',
  'policy.memory_limit_mb', 'policy.cpu_limit', 'policy.max_pids', 'policy.data_dir', 'policy.wasi_filter', 'secrets', 'timeout_ms',
  'env', 'workdir', 'agent_id', 'externalization', 'args', 'stdin', 'fuel', 'max_output_bytes', 'files',
]);

const drawnByHand = (path: string) => [...BY_HAND].some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[]`));

/** Every other field with an example: drawn from it a third of the time. */
const FROM_EXAMPLES = POLICY_FIELDS.filter((f) => f.example !== undefined && !drawnByHand(f.path));

/** Set a dotted path in a document, making the objects on the way (over a null one too). */
function setPath(document: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = document;
  for (const key of keys.slice(0, -1)) {
    if (!isPlainObject(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = structuredClone(value);
}

export function randomConfig(random: () => number): SandboxConfigInput {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chance = (p: number) => random() < p;
  const some = <T,>(max: number, make: (i: number) => T): T[] => Array.from({ length: Math.floor(random() * (max + 1)) }, (_, i) => make(i));

  const mounts = [...new Set(some(3, () => pick(MOUNTS)))];
  const rules = mounts.map((path) => ({ path, access: pick(ACCESS) }));
  const files: Record<string, string | { base64: string }> = {};
  if (mounts.length > 0) {
    for (const i of some(3, (i) => i)) {
      files[`${normaliseMountPath(pick(mounts))}/file-${i}.txt`] = chance(0.8) ? pick(TRICKY_TEXTS) : { base64: 'AAECAwQF/+8=' };
    }
  }
  const secrets = some(3, (i) => {
    const kind = mounts.length > 0 ? pick(['env', 'file', 'stdin'] as const) : pick(['env', 'stdin'] as const);
    const name = `${pick(['API_TOKEN', 'DB_PASS', 'CERT'])}_${i}`;
    if (kind === 'env') return { name, inject_via: { EnvVar: { var_name: pick(ENV_NAMES) } } };
    if (kind === 'file') return { name, inject_via: { File: { path: `${normaliseMountPath(pick(mounts))}/secret-${i}`, mode: pick([0o400, 0o600, 0o100600]) } } };
    return { name, inject_via: pick(['Stdin' as const, { Stdin: null }]) };
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
      memory_limit_mb: pick([null, null, 0, 1, 16, 64, 512, 4096, 8192]),
      cpu_limit: pick([null, null, 0, 0.5, 1, 2, 1.25, 1e-7, 1e17]),
      max_pids: pick([null, null, 0, 64]),
      data_dir: pick([null, null, '/data']),
      wasi_filter: pick([null, null, { mode: 'allow' as const, calls: ['fd_write' as const, 'proc_exit' as const] }]),
    },
    secrets,
    timeout_ms: timeout,
    env: some(3, () => [pick(ENV_NAMES), pick(TRICKY_TEXTS)] as [string, string]),
    workdir: pick([null, null, '/work']),
    agent_id: pick([null, null, 'agent-1']),
    externalization: pick([
      null, null, {}, { enabled: false, block_threshold: 'high' as const, max_artifact_size_bytes: 1000 },
      { max_artifact_size_bytes: 0, redact_secrets: false, quarantine_threshold: 'medium' as const }, { extra_scanners: ['entropy' as const, 'code' as const] },
    ]),
    args: some(3, () => pick(TRICKY_TEXTS)),
    stdin: pick([null, null, ...TRICKY_TEXTS]),
    fuel: pick([null, null, 1, 5_000_000, timeout === 0 ? null : timeout * 1_000_000, 123_456_789]),
    max_output_bytes: pick([1024 * 1024, 1024 * 1024, 4096]),
    files,
  };
  for (const field of FROM_EXAMPLES) {
    if (chance(1 / 3)) setPath(doc as Record<string, unknown>, field.path, field.example);
  }
  return doc;
}
