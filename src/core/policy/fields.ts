/**
 * Every field of the policy document, once: where it comes from (kavach, or a playground
 * extension kavach ignores), what it does here, what kavach does with it, and its default in
 * words. The schema's descriptions (so the JSON editor's hovers and completions), the form's hints
 * and the README's field table all come from this list; fields.test.ts fails when a schema field
 * has no entry here, or an entry no field.
 */

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
   * A valid value other than the default, for documentation and generated test setups (fields
   * inside lists, and fields that need a mount to exist, have none).
   */
  example?: unknown;
}

const IGNORED = 'ignores it (not a kavach field)';

export const POLICY_FIELDS: readonly PolicyField[] = [
  {
    path: 'backend', origin: 'kavach', default: '"wasm"', example: 'gvisor',
    does: 'The isolation backend. Only "wasm" runs here; any other only changes kavach\'s score.',
    kavach: 'chooses the backend and its base score (WASM 65)',
  },
  {
    path: 'policy', origin: 'kavach', default: 'kavach\'s minimal preset (every field at its default)',
    does: 'kavach\'s SandboxPolicy: the call filter, the mounts, the network and the resource limits.',
    kavach: 'the same object; a bare SandboxPolicy document loads as this field',
  },
  {
    path: 'policy.seccomp_enabled', origin: 'kavach', default: 'false', example: true,
    does: 'Turns the WASI call filter on: a refused call returns ENOSYS (52) without running, and the audit log names the rule.',
    kavach: 'turns seccomp syscall filtering on (+5 in its score)',
  },
  {
    path: 'policy.seccomp_profile', origin: 'kavach', default: 'null (the basic denylist, when the filter is on)', example: 'strict',
    does: '"strict" allows only the 21 calls a plain command-line program needs; any other name is the basic denylist of 8 calls (sockets, signals, links, fd_allocate). Used only while seccomp_enabled is true.',
    kavach: '"strict" is its allowlist, any other value its basic denylist',
  },
  {
    path: 'policy.landlock_rules', origin: 'kavach', default: '[] (no mounts: the module sees no files)', example: [{ path: '/data', access: 'ro' }],
    does: 'The mounts, [{path, access}]: each mounts a directory at its guest path, in the page an in-memory one, in the CLI the host directory at that path when there is one (as kavach). The module sees nothing else: "..", absolute paths and symlinks stop at the edge.',
    kavach: 'Landlock rules; its WASM backend makes each a WASI preopen (+3 for any rule)',
  },
  {
    path: 'policy.landlock_rules[].path', origin: 'kavach', default: 'required',
    does: 'The mount\'s absolute guest path, such as "/data".',
    kavach: 'the directory the rule grants, and the preopen\'s guest path',
  },
  {
    path: 'policy.landlock_rules[].access', origin: 'kavach', default: 'required',
    does: '"rw" mounts read-write; anything else read-only, where every write fails with EROFS (69).',
    kavach: 'the same rule: "rw" gets full rights, anything else read-only',
  },
  {
    path: 'policy.network', origin: 'kavach', default: 'disabled, no hosts, no ports', example: { enabled: true, allowed_hosts: [], allowed_ports: [] },
    does: 'Network access, {enabled, allowed_hosts, allowed_ports}. WASI preview1 has no sockets here: there is no network whatever this says.',
    kavach: 'its network policy (+5 when disabled)',
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
  },
  {
    path: 'policy.memory_limit_mb', origin: 'kavach', default: 'null (no cap)', example: 64,
    does: 'Memory cap in MiB (1-4096): the module\'s memory cannot grow past it, so malloc returns NULL; a module that needs more at start is refused.',
    kavach: 'sets a wasmtime tuning knob, not a cap (+2, with cpu_limit)',
  },
  {
    path: 'policy.cpu_limit', origin: 'kavach', default: 'null', example: 0.5,
    does: 'Not enforced: a module runs on one thread; fuel and the timeout bound its CPU instead.',
    kavach: 'a fraction of CPU cores (+2, with memory_limit_mb)',
  },
  {
    path: 'policy.max_pids', origin: 'kavach', default: 'null', example: 64,
    does: 'Nothing to cap: WASI preview1 cannot start processes.',
    kavach: 'a process cap (not scored)',
  },
  {
    path: 'policy.data_dir', origin: 'kavach', default: 'null', example: '/var/data',
    does: 'Mounts nothing: only landlock_rules become mounts here.',
    kavach: 'an extra read-write directory when the defaults apply',
  },
  {
    path: 'policy.wasi_filter', origin: 'playground', default: 'null (the seccomp profile decides)', example: { mode: 'deny', calls: ['path_symlink'] },
    does: 'A custom WASI call list, {mode, calls}; it overrides the seccomp profile.',
    kavach: IGNORED,
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
  },
  {
    path: 'secrets[].name', origin: 'kavach', default: 'required',
    does: 'The name the secret\'s value is registered under.',
    kavach: 'the same name',
  },
  {
    path: 'secrets[].inject_via', origin: 'kavach', default: 'required',
    does: '"Stdin", {"EnvVar": {"var_name": "NAME"}} or {"File": {"path": "/secrets/x", "mode": 256}}; a file\'s directory must be mounted.',
    kavach: 'its InjectionMethod, externally tagged as serde writes it',
  },
  {
    path: 'timeout_ms', origin: 'kavach', default: '10000 (10 s)', example: 2000,
    does: 'Wall-clock timeout in ms: at the deadline the worker is killed, even in a busy loop or a sleep. 0 = none. While fuel is null it also sets the fuel budget: timeout_ms x 1,000,000.',
    kavach: 'the same timeout, which cannot stop a busy guest; and its fuel rule, timeout_ms x 1,000,000',
  },
  {
    path: 'env', origin: 'kavach', default: '[]', example: [['LANG', 'C']],
    does: 'Environment variables, [["NAME", "value"]] or {"NAME": "value"}. Stored in the document and share links as they are: put secrets in secrets.',
    kavach: 'the same list',
  },
  {
    path: 'workdir', origin: 'kavach', default: 'null', example: '/data',
    does: 'Not used: a WASI module has no working directory here; paths resolve from the mounts.',
    kavach: 'the working directory',
  },
  {
    path: 'agent_id', origin: 'kavach', default: 'null', example: 'agent-7',
    does: 'Kept for kavach; not used here.',
    kavach: 'the agent the sandbox runs for',
  },
  {
    path: 'externalization', origin: 'kavach', default: 'the gate at kavach\'s defaults (a document without the field); null means no gate, as in kavach', example: { enabled: true, block_threshold: 'high' },
    does: 'The output gate: stdout and stderr are scanned for secrets (cloud keys, tokens, private keys, passwords...) and blocked, quarantined or redacted. null turns it off, as kavach reads null.',
    kavach: 'the same gate, on output kavach never captures',
  },
  {
    path: 'externalization.enabled', origin: 'kavach', default: 'true',
    does: 'false releases the output unscanned.',
    kavach: 'the same switch',
  },
  {
    path: 'externalization.max_artifact_size_bytes', origin: 'kavach', default: '52428800 (50 MiB)',
    does: 'Output past this many bytes is withheld.',
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
  },
  {
    path: 'args', origin: 'playground', default: '[]', example: ['first', 'second'],
    does: 'Arguments after argv[0] (argv[0] is the module\'s file name).',
    kavach: 'ignores it, and passes no argv at all',
  },
  {
    path: 'stdin', origin: 'playground', default: 'null (empty stdin)', example: 'a line\n',
    does: 'Text fed to the module\'s stdin.',
    kavach: IGNORED,
  },
  {
    path: 'fuel', origin: 'playground', default: 'null (timeout_ms x 1,000,000, kavach\'s rule)', example: 5_000_000_000,
    does: 'Fuel budget: about one unit per WebAssembly instruction, plus the host\'s work for each call. When it runs out the run ends (exit code -1, timed out). How much CPU a unit buys depends on the machine: the page shows it beside the field.',
    kavach: 'ignores it, and always uses timeout_ms x 1,000,000',
  },
  {
    path: 'max_output_bytes', origin: 'playground', default: '1048576 (1 MiB)', example: 65536,
    does: 'How much of stdout and stderr is kept; the rest is cut and the cut reported.',
    kavach: 'ignores it (it captures no output)',
  },
  {
    path: 'deterministic', origin: 'playground', default: 'null (the real clock and real random bytes)', example: { clock_start_ms: 0, clock_step_ns: 1000, random_seed: 7 },
    does: 'A reproducible run, {clock_start_ms, clock_step_ns, random_seed}: a virtual clock and seeded random bytes, so the same module prints the same bytes and leaves the same audit log every run.',
    kavach: IGNORED,
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
  },
  {
    path: 'filesystem.max_bytes', origin: 'playground', default: 'the memory cap when one is set, else 256 MiB in the page and 1 GiB in the CLI',
    does: 'Bytes all mounts may hold (each entry counts 512 bytes plus its name); past it a write fails with ENOSPC.',
    kavach: IGNORED,
  },
  {
    path: 'filesystem.max_inodes', origin: 'playground', default: '100000',
    does: 'Files, directories and links in all mounts; past it a create fails with ENOSPC.',
    kavach: IGNORED,
  },
  {
    path: 'filesystem.max_file_bytes', origin: 'playground', default: 'max_bytes, at most 1 GiB',
    does: 'The largest single file; past it a write fails with EFBIG.',
    kavach: IGNORED,
  },
  {
    path: 'files', origin: 'playground', default: '{}',
    does: 'Initial contents of the mounts by absolute guest path: text, or {"base64": "..."}; a path ending in "/" is a directory. Each must lie inside a mount.',
    kavach: IGNORED,
  },
];

const BY_PATH = new Map(POLICY_FIELDS.map((f) => [f.path, f]));

/** The entry for a path ("[]" for list items); throws for a path with none, which is a bug. */
export function policyField(path: string): PolicyField {
  const field = BY_PATH.get(path);
  if (!field) throw new Error(`no policy field ${path}`);
  return field;
}

/** The one text of a field: what it does, its default, and what kavach does with it. */
export function fieldDescription(path: string): string {
  const f = policyField(path);
  const kavach = f.origin === 'kavach' ? `kavach: ${f.kavach}.` : `Playground extension: kavach ${f.kavach}.`;
  return `${f.does} Default: ${f.default}. ${kavach}`;
}

/** The README's table of fields, generated from this list. */
export function fieldsMarkdownTable(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = POLICY_FIELDS.map((f) => `| \`${f.path}\` | ${f.origin === 'kavach' ? 'kavach' : 'extension'} | ${cell(f.default)} | ${cell(f.does)} | ${cell(f.kavach)} |`);
  return ['| field | from | default | what it does here | what kavach does with it |', '|---|---|---|---|---|', ...rows].join('\n');
}
