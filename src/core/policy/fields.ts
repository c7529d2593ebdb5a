/**
 * Every field of the policy document, once: where it comes from (kavach, or a playground
 * extension kavach ignores), what it does here, what kavach does with it, its default in words
 * (and kavach's, where that differs), and its value in words. The schema's descriptions (so the
 * JSON editor's hovers and completions), the form's hints, the README's field table, the kavach
 * exporter's list of extensions, every export's lossy items, the notice on importing a kavach
 * document and the random setups of the round-trip tests all come from this list; fields.test.ts
 * fails when a schema field has no entry here, or an entry no field.
 */
import type { SandboxConfig } from './schema.ts';

export type FieldOrigin = 'kavach' | 'playground';

export interface PolicyField {
  /**
   * The field's JSON path in a config document; "[]" stands for every item of a list:
   * "policy.landlock_rules[].path".
   */
  path: string;
  /** kavach's own field, or a playground extension (kavach ignores it, so documents stay portable). */
  origin: FieldOrigin;
  /** What it does in the playground, in a sentence or two. */
  does: string;
  /** What kavach does with it. */
  kavach: string;
  /** The default, in words ("required" for a field with none). */
  default: string;
  /**
   * kavach's default where it differs from the playground's: what its `SandboxConfig::default()`
   * (its builder, and `kavach exec`) starts from (lifecycle/mod.rs 1.0.1:87-101, 0.22.3:81-94).
   */
  kavachDefault?: string;
  /**
   * A valid value other than the default, for documentation and generated test setups (fields
   * inside lists, and fields that need a mount to exist, have none).
   */
  example?: unknown;
  /**
   * The config's value in words ("the 2,000 ms timeout"), for an export's lossy items: every field
   * an export expresses or leaves out as a whole (fieldUnits()) has one.
   */
  words?: (config: SandboxConfig) => string;
  /** What kavach makes of the config's value, where that is not what it means here; else null. */
  kavachReads?: (config: SandboxConfig) => string | null;
}

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
const quote = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}...` : s);

const IGNORED = 'ignores it (not a kavach field)';

const FIELDS = [
  {
    path: 'backend', origin: 'kavach', default: '"wasm"', kavachDefault: '"process"', example: 'gvisor',
    does: 'The isolation backend. Only "wasm" runs here; any other only changes kavach\'s score.',
    kavach: 'chooses the backend and its base score (WASM 65)',
    words: (c) => `the backend "${c.backend}"`,
  },
  {
    path: 'policy', origin: 'kavach', default: 'kavach\'s minimal preset (every field at its default)',
    kavachDefault: 'its basic preset (seccomp on, profile "basic")',
    does: 'kavach\'s SandboxPolicy: the call filter, the mounts, the network and the resource limits.',
    kavach: 'the same object; a bare SandboxPolicy document loads as this field',
  },
  {
    path: 'policy.seccomp_enabled', origin: 'kavach', default: 'false', example: true,
    does: 'Turns the WASI call filter on: a refused call returns ENOSYS (52) without running, and the audit log names the rule.',
    kavach: 'turns seccomp syscall filtering on (+5 in its score)',
    words: (c) => `seccomp_enabled: ${c.policy.seccomp_enabled} (the WASI call filter's switch)`,
  },
  {
    path: 'policy.seccomp_profile', origin: 'kavach', default: 'null (the basic denylist, when the filter is on)', example: 'strict',
    does: '"strict" allows only the 21 calls a plain command-line program needs; any other name is the basic denylist of 8 calls (sockets, signals, links, fd_allocate). Used only while seccomp_enabled is true.',
    kavach: '"strict" is its allowlist, any other value its basic denylist',
    words: (c) => `the seccomp profile ${quote(c.policy.seccomp_profile ?? '')} (the WASI call filter's list)`,
  },
  {
    path: 'policy.landlock_rules', origin: 'kavach', default: '[] (no mounts: the module sees no files)', example: [{ path: '/data', access: 'ro' }],
    does: 'The mounts, [{path, access}]: each mounts a directory at its guest path, in the page an in-memory one, in the CLI the host directory at that path when there is one (as kavach). The module sees nothing else: "..", absolute paths and symlinks stop at the edge.',
    kavach: 'Landlock rules; its WASM backend makes each a WASI preopen (+3 for any rule)',
    words: (c) => `${count(c.policy.landlock_rules.length, 'mount')} (${c.policy.landlock_rules.map((r) => `${r.path} ${r.access}`).join(', ')})`,
  },
  {
    path: 'policy.landlock_rules[].path', origin: 'kavach', default: 'required',
    does: 'The mount\'s guest path, such as "/data". A relative one ("data") mounts at /data, where WASI programs look for it; an empty one is refused.',
    kavach: 'the directory the rule grants (a relative one from its working directory), and the preopen\'s guest path',
  },
  {
    path: 'policy.landlock_rules[].access', origin: 'kavach', default: 'required',
    does: '"rw" mounts read-write; anything else (even "") read-only, where every write fails with EROFS (69).',
    kavach: 'the same rule: "rw" gets full rights, anything else read-only',
  },
  {
    path: 'policy.network', origin: 'kavach', default: 'disabled, no hosts, no ports', example: { enabled: true, allowed_hosts: [], allowed_ports: [] },
    does: 'Network access, {enabled, allowed_hosts, allowed_ports}. WASI preview1 has no sockets here: there is no network whatever this says.',
    kavach: 'its network policy (+5 when disabled)',
    words: ({ policy: { network: n } }) => `the network policy (${n.enabled ? 'enabled' : 'disabled'}${n.allowed_hosts.length ? `, hosts ${n.allowed_hosts.join(', ')}` : ''}${n.allowed_ports.length ? `, ports ${n.allowed_ports.join(', ')}` : ''})`,
  },
  {
    path: 'policy.network.enabled', origin: 'kavach', default: 'false',
    does: 'Asks for network access; there is none to give here.',
    kavach: 'allows network access (and loses its +5)',
  },
  {
    path: 'policy.network.allowed_hosts', origin: 'kavach', default: '[]',
    does: 'Hosts to allow; nothing to allow here.',
    kavach: 'its host allowlist',
  },
  {
    path: 'policy.network.allowed_ports', origin: 'kavach', default: '[]',
    does: 'Ports to allow (0-65535); nothing to allow here.',
    kavach: 'its port allowlist',
  },
  {
    path: 'policy.read_only_rootfs', origin: 'kavach', default: 'false', example: true,
    does: 'Makes every mount read-only, whatever its access says.',
    kavach: 'a read-only root filesystem (+3, enforced or not)',
    words: () => 'read_only_rootfs (every mount read-only)',
  },
  {
    path: 'policy.memory_limit_mb', origin: 'kavach', default: 'null (no cap)', example: 64,
    does: 'Memory cap in MiB: the module\'s memory cannot grow past it, so malloc returns NULL; a module that needs more at start is refused. Above 4096 it caps at 4096 (all wasm32 can address); 0 allows no memory at all.',
    kavach: 'sets a wasmtime tuning knob at most 65,536 pages, not a cap (+2, with cpu_limit)',
    words: (c) => `the ${c.policy.memory_limit_mb} MiB memory cap`,
  },
  {
    path: 'policy.cpu_limit', origin: 'kavach', default: 'null', example: 0.5,
    does: 'Not enforced (any number from 0): a module runs on one thread; fuel and the timeout bound its CPU instead.',
    kavach: 'a fraction of CPU cores (+2, with memory_limit_mb)',
    words: (c) => `the CPU limit of ${c.policy.cpu_limit} core${c.policy.cpu_limit === 1 ? '' : 's'}`,
  },
  {
    path: 'policy.max_pids', origin: 'kavach', default: 'null', example: 64,
    does: 'Nothing to cap (0-4294967295): WASI preview1 cannot start processes.',
    kavach: 'a process cap (not scored)',
    words: (c) => `the process limit of ${c.policy.max_pids}`,
  },
  {
    path: 'policy.data_dir', origin: 'kavach', default: 'null', example: '/var/data',
    does: 'Mounts nothing: only landlock_rules become mounts here.',
    kavach: 'an extra read-write directory when the defaults apply',
    words: (c) => `the data directory ${quote(c.policy.data_dir ?? '')}`,
  },
  {
    path: 'policy.wasi_filter', origin: 'playground', default: 'null (the seccomp profile decides)', example: { mode: 'deny', calls: ['path_symlink'] },
    does: 'A custom WASI call list, {mode, calls}; it overrides the seccomp profile.',
    kavach: IGNORED,
    words: ({ policy: { wasi_filter: f } }) => (f === null ? 'the WASI call filter' : `the WASI call filter (${f.mode} ${count(f.calls.length, 'call')})`),
  },
  {
    path: 'policy.wasi_filter.mode', origin: 'playground', default: 'required',
    does: '"allow": only the listed calls run; "deny": the listed calls are refused with ENOSYS.',
    kavach: IGNORED,
  },
  {
    path: 'policy.wasi_filter.calls', origin: 'playground', default: 'required',
    does: 'wasi_snapshot_preview1 function names, such as "fd_write"; proc_exit is always allowed.',
    kavach: IGNORED,
  },
  {
    path: 'secrets', origin: 'kavach', default: '[]',
    does: 'Secrets by name, [{name, inject_via}]. Values are registered in the Secrets tab (this tab only), injected as an env var, a file in a mount or stdin, and redacted from everything that leaves.',
    kavach: 'its credential proxy\'s SecretRefs, which no kavach backend injects',
    words: (c) => `${count(c.secrets.length, 'secret reference')} (${c.secrets.map((s) => s.name).join(', ')})`,
  },
  {
    path: 'secrets[].name', origin: 'kavach', default: 'required',
    does: 'The name the secret\'s value is registered under.',
    kavach: 'the same name',
  },
  {
    path: 'secrets[].inject_via', origin: 'kavach', default: 'required',
    does: '"Stdin" (or {"Stdin": null}), {"EnvVar": {"var_name": "NAME"}} or {"File": {"path": "/secrets/x", "mode": 256}}, mode required, as kavach\'s serde reads them; a file\'s directory must be mounted.',
    kavach: 'its InjectionMethod, externally tagged as serde writes it',
  },
  {
    path: 'timeout_ms', origin: 'kavach', default: '10000 (10 s)', kavachDefault: '30000 (30 s)', example: 2000,
    does: 'Wall-clock timeout in ms: at the deadline the worker is killed, even in a busy loop or a sleep. 0 = none. While fuel is null it also sets the fuel budget: timeout_ms x 1,000,000 (none for 0).',
    kavach: 'the same timeout, which cannot stop a busy guest; and its fuel rule, timeout_ms x 1,000,000, so 0 gives no fuel and the module cannot run',
    // kavach's fuel is timeout_ms x 1,000,000 whatever it is (wasm/mod.rs 1.0.1:78-83, 116-119)
    kavachReads: (c) => (c.timeout_ms === 0
      ? 'kavach reads 0 as no fuel at all, so the module cannot run; here 0 is no timeout and, while fuel is null, no fuel limit'
      : null),
    words: (c) => `the ${c.timeout_ms.toLocaleString('en-US')} ms timeout${c.timeout_ms === 0 ? ' (none)' : ''}`,
  },
  {
    path: 'env', origin: 'kavach', default: '[]', example: [['LANG', 'C']],
    does: 'Environment variables, [["NAME", "value"]] or {"NAME": "value"}. Stored in the document and share links as they are: put secrets in secrets.',
    kavach: 'the same list',
    words: (c) => `${count(c.env.length, 'environment variable')} (${c.env.map(([k]) => k).join(', ')})`,
  },
  {
    path: 'workdir', origin: 'kavach', default: 'null', example: '/data',
    does: 'Not used: a WASI module has no working directory here; paths resolve from the mounts.',
    kavach: 'the working directory',
    words: (c) => `the working directory ${quote(c.workdir ?? '')}`,
  },
  {
    path: 'agent_id', origin: 'kavach', default: 'null', example: 'agent-7',
    does: 'Kept for kavach; not used here.',
    kavach: 'the agent the sandbox runs for',
    words: (c) => `the agent id ${quote(c.agent_id ?? '')}`,
  },
  {
    path: 'externalization', origin: 'kavach', default: 'the gate at kavach\'s default thresholds; null is no gate, as in kavach',
    kavachDefault: 'null (no gate)', example: { enabled: true, block_threshold: 'high' },
    does: 'The output gate: stdout and stderr are scanned for secrets (cloud keys, tokens, private keys, passwords...) and blocked, quarantined or redacted. null turns it off, as kavach reads null.',
    kavach: 'the same gate, on output kavach never captures',
    words: (c) => (c.externalization === null ? 'that there is no output gate (externalization null)' : 'the output gate settings'),
  },
  {
    path: 'externalization.enabled', origin: 'kavach', default: 'true',
    does: 'false releases the output unscanned.',
    kavach: 'the same switch',
  },
  {
    path: 'externalization.max_artifact_size_bytes', origin: 'kavach', default: '52428800 (50 MiB)',
    does: 'Output past this many bytes is withheld (0: any output at all).',
    kavach: 'the same limit',
  },
  {
    path: 'externalization.block_threshold', origin: 'kavach', default: '"critical"',
    does: 'A finding this severe (info, low, medium, high, critical) blocks the output: what follows it is discarded.',
    kavach: 'the same threshold',
  },
  {
    path: 'externalization.quarantine_threshold', origin: 'kavach', default: '"high"',
    does: 'A finding this severe quarantines the output: what follows it is held for you to reveal.',
    kavach: 'the same threshold',
  },
  {
    path: 'externalization.redact_secrets', origin: 'kavach', default: 'true',
    does: 'Milder findings are redacted as [REDACTED:category].',
    kavach: 'the same switch',
  },
  {
    path: 'externalization.extra_scanners', origin: 'playground', default: '[] (none)', example: ['code', 'data'],
    does: 'kavach 1.0\'s further scanners to run as well: "code" (dangerous code), "data" (personal data), "entropy" (random-looking tokens no pattern names). They flag ordinary output too, so they are off unless listed.',
    kavach: '0.22 has none; 1.0 runs all three whenever a gate is set',
    words: (c) => `the choice of ${(c.externalization?.extra_scanners ?? []).join(', ')} (0.22 has none of these scanners; 1.0 runs code, data and entropy whenever a gate is set)`,
  },
  {
    path: 'inner_backend', origin: 'kavach', default: 'null', example: 'process',
    does: 'kavach 1.0\'s inner backend, kept on import and written back on export; it changes nothing here (the module runs under the policy as written).',
    kavach: '1.0 layers its strict preset onto the policy it hands the backend, which the WASM backend ignores (0.22 has no such field)',
    words: (c) => `the inner backend "${c.inner_backend}"`,
  },
  {
    path: 'args', origin: 'playground', default: '[]', example: ['first', 'second'],
    does: 'Arguments after argv[0] (argv[0] is the module\'s file name).',
    kavach: 'ignores it, and passes no argv at all',
    words: (c) => `${count(c.args.length, 'argument')} (${c.args.map(quote).join(' ')})`,
  },
  {
    path: 'stdin', origin: 'playground', default: 'null (empty stdin)', example: 'a line\n',
    does: 'Text fed to the module\'s stdin.',
    kavach: IGNORED,
    words: (c) => (c.stdin === null ? 'stdin' : `the stdin text (${count(c.stdin.length, 'character')})`),
  },
  {
    path: 'fuel', origin: 'playground', default: 'null (timeout_ms x 1,000,000, kavach\'s rule)', example: 5_000_000_000,
    does: 'Fuel budget: about one unit per WebAssembly instruction, plus the host\'s work for each call. When it runs out the run ends (exit code -1, timed out). How much CPU a unit buys depends on the machine: the page shows it beside the field.',
    kavach: 'ignores it, and always uses timeout_ms x 1,000,000',
    words: (c) => `the fuel budget of ${c.fuel?.toLocaleString('en-US')}`,
  },
  {
    path: 'max_output_bytes', origin: 'playground', default: '1048576 (1 MiB)', example: 65536,
    does: 'How much of stdout and stderr is kept; the rest is cut and the cut reported.',
    kavach: 'ignores it (it captures no output)',
    words: (c) => `the output cap of ${count(c.max_output_bytes, 'byte')}`,
  },
  {
    path: 'deterministic', origin: 'playground', default: 'null (the real clock and real random bytes)', example: { clock_start_ms: 0, clock_step_ns: 1000, random_seed: 7 },
    does: 'A reproducible run, {clock_start_ms, clock_step_ns, random_seed}: a virtual clock and seeded random bytes, so the same module prints the same bytes and leaves the same audit log every run.',
    kavach: IGNORED,
    words: () => 'the deterministic run (virtual clock and seeded randomness)',
  },
  {
    path: 'deterministic.clock_start_ms', origin: 'playground', default: '946684800000 (2000-01-01 UTC)',
    does: 'Where the virtual clock starts, in ms since 1970-01-01 UTC.',
    kavach: IGNORED,
  },
  {
    path: 'deterministic.clock_step_ns', origin: 'playground', default: '1000000 (1 ms)',
    does: 'How far the virtual clock moves on each read, in ns; sleeps jump it forward.',
    kavach: IGNORED,
  },
  {
    path: 'deterministic.random_seed', origin: 'playground', default: '1',
    does: 'The seed of the random bytes (0-4294967295).',
    kavach: IGNORED,
  },
  {
    path: 'filesystem', origin: 'playground', default: 'null (every field at its default)', example: { max_inodes: 1000 },
    does: 'What the in-memory mounts may hold, all together, {max_bytes, max_inodes, max_file_bytes}; a null field takes its default.',
    kavach: IGNORED,
    words: ({ filesystem: fs }) => `the filesystem budget (${[fs?.max_bytes != null && `${count(fs.max_bytes, 'byte')} in all`, fs?.max_inodes != null && count(fs.max_inodes, 'entry', 'entries'), fs?.max_file_bytes != null && `${count(fs.max_file_bytes, 'byte')} per file`].filter(Boolean).join(', ')})`,
  },
  {
    path: 'filesystem.max_bytes', origin: 'playground', example: 8_388_608, default: 'the memory cap when one is set, else 256 MiB in the page and 1 GiB in the CLI',
    does: 'Bytes all mounts may hold (each entry counts 512 bytes plus its name); past it a write fails with ENOSPC.',
    kavach: IGNORED,
  },
  {
    path: 'filesystem.max_inodes', origin: 'playground', default: '100000',
    does: 'Files, directories and links in all mounts; past it a create fails with ENOSPC.',
    kavach: IGNORED,
  },
  {
    path: 'filesystem.max_file_bytes', origin: 'playground', example: 1_048_576, default: 'max_bytes, at most 1 GiB',
    does: 'The largest single file; past it a write fails with EFBIG.',
    kavach: IGNORED,
  },
  {
    path: 'files', origin: 'playground', default: '{}',
    does: 'Initial contents of the mounts by absolute guest path: text, or {"base64": "..."}; a path ending in "/" is a directory. Each must lie inside a mount.',
    kavach: IGNORED,
    words: (c) => `${count(Object.keys(c.files).length, 'initial mount file')} (${Object.keys(c.files).join(', ')})`,
  },
] as const satisfies readonly PolicyField[];

/** A field's path, as the registry spells it. */
export type FieldPath = (typeof FIELDS)[number]['path'];
export const POLICY_FIELDS: readonly PolicyField[] = FIELDS;

const BY_PATH = new Map<string, PolicyField>(POLICY_FIELDS.map((f) => [f.path, f]));

/** The entry for a path ("[]" for list items); throws for a path with none, which is a bug. */
export function policyField(path: string): PolicyField {
  const field = BY_PATH.get(path);
  if (!field) throw new Error(`no policy field ${path}`);
  return field;
}

/** The default in words, with kavach's where it differs. */
function defaultText(f: PolicyField): string {
  return f.kavachDefault === undefined ? f.default : `${f.default}; kavach's: ${f.kavachDefault}`;
}

/** The one text of a field: what it does, its default, and what kavach does with it. */
export function fieldDescription(path: string): string {
  const f = policyField(path);
  const kavach = f.origin === 'kavach' ? `kavach: ${f.kavach}.` : `Playground extension: kavach ${f.kavach}.`;
  return `${f.does} Default: ${defaultText(f)}. ${kavach}`;
}

/** The README's table of fields, generated from this list. */
export function fieldsMarkdownTable(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = POLICY_FIELDS.map((f) => `| \`${f.path}\` | ${f.origin === 'kavach' ? 'kavach' : 'extension'} | ${cell(defaultText(f))} | ${cell(f.does)} | ${cell(f.kavach)} |`);
  return ['| field | from | default | what it does here | what kavach does with it |', '|---|---|---|---|---|', ...rows].join('\n');
}

const parentOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('.')));

/**
 * The fields an export expresses, or lists as lossy, as a whole: every top-level field but the
 * policy object, every field of the policy, and an extension inside a kavach object
 * ("externalization.extra_scanners"); fields inside those go with them.
 */
export function fieldUnits(): readonly PolicyField[] {
  return POLICY_FIELDS.filter((f) => {
    if (f.path.includes('[]') || f.path === 'policy') return false;
    const parent = parentOf(f.path);
    return parent === '' || parent === 'policy' || policyField(parent).origin !== f.origin;
  });
}

/** The field a unit lies in, when that is a unit too ("externalization" for its extra_scanners). */
export function enclosingUnit(path: string): string | null {
  const parent = parentOf(path);
  return fieldUnits().some((f) => f.path === parent) ? parent : null;
}
