/**
 * `kavach run [options] module.wasm [args...]`: the engine in Node with wasmtime-style flags.
 * Host directories are copied into the sandbox's in-memory mounts; the guest's changes to
 * read-write ones are written back after the run (see host-mounts.ts for the rules).
 */
import { statSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import {
  DEFAULT_FILESYSTEM_BYTES, describeIssues, describeOutcome, Engine, filesystemLimits, FsBudget, isInside, languageOf, limitHit, loadDocument,
  normaliseMountPath, outputName, presetPolicy, SecretStore, spawnNodeWorker, toJsonl, type MountEntry, type RunResult, type SandboxConfig,
  type SandboxConfigInput,
} from '../../core/node.ts';
import { EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, EXIT_STOPPED, EXIT_TIMEOUT, EXIT_TRAP, EXIT_WRITE_BACK_INCOMPLETE, type CliIO, type Command } from '../io.ts';
import { HostFileError, MAX_MODULE_BYTES, MAX_TEXT_BYTES, checkWritable, readHostFile, writeHostFile } from '../host-files.ts';
import { MountError, copyIn, noticeLines, writeBack, type ConflictPolicy, type CopiedMount, type HostMount } from '../host-mounts.ts';
import { BuildUsageError, hasBuildOptions, noBuildOptions, takeBuildOption, type BuildOptions } from './build-options.ts';
import { parseCommand } from './common.ts';

export const HELP = `usage: kavach run [options] module.wasm [args...]
       kavach run [options] [build options] prog.c [args...]

Runs a WASI preview1 module in a worker under a sandbox policy. Given a C, C++ or WebAssembly text
source (.c .cc .cpp .cxx .wat), builds it first, as \`kavach build\` does (its options -O2, --cxx,
--std=STD, -W..., -D... apply; see \`kavach build --help\`), and runs what it built.

  --dir HOST[::GUEST]        mount a host directory read-write: copied in, and the module's changes
                             written back after the run (GUEST defaults to HOST)
  --ro-dir HOST[::GUEST]     mount a host directory read-only
  --write-back-conflicts host|guest
                             a file changed on the host during the run as well: keep the host's
                             version (default) or the module's
  --env K=V                  set an environment variable (repeatable)
  --secret NAME[=HOSTVAR]    a secret whose value is the host variable HOSTVAR (default NAME);
                             injected as env NAME unless the policy says where; redacted from
                             everything that leaves the sandbox (repeatable)
  --secret-file NAME=PATH    a secret whose value is the file PATH (one trailing newline dropped)
  --policy FILE              a policy document (kavach SandboxPolicy or SandboxConfig JSON); each
                             landlock rule mounts the host directory at its path, as kavach does
                             (read-write for "rw", else read-only), or an empty one if none exists
  --no-host-rules            policy rules mount empty in-memory directories instead
  --preset NAME              start from kavach's preset: minimal, basic or strict
  --timeout-ms N             wall-clock timeout; the worker is killed at the deadline (0 = none)
  --fuel N                   fuel budget (default: timeout-ms x 1,000,000, as kavach)
  --max-memory-mb N          memory cap in MiB
  --max-output-bytes N       stdout + stderr kept; the rest is cut and the cut reported
  -W fuel=N | -W max-memory-size=BYTES | -W timeout=N[ms|s]   wasmtime spellings of the above
  --json                     print the whole result as JSON instead of streaming output
  --audit FILE               write the audit trail as hash-chained JSON Lines
  --audit-hmac-key KEY       also chain an HMAC-SHA256 with KEY (tamper-evident)
  -h, --help                 this text

Host directories: regular files, directories and symlinks that stay inside the directory are
copied in; other symlinks and special files are skipped (and listed). Everything copied counts
against the run's filesystem budget (the memory cap when one is set, else 1 GiB).

Exit status: the module's exit code; 124 on timeout or fuel exhaustion; 134 on a trap, stack
overflow or memory limit (message on stderr); 130 if stopped; 1 when the output gate withheld
output (kavach's message on stderr); 73 if a change could not be written back or the audit file
could not be written (each listed on stderr); 2 for bad input.
`;

interface Parsed {
  module: string;
  args: string[];
  mounts: HostMount[];
  env: [string, string][];
  policyFile: string | null;
  preset: string | null;
  overrides: { timeout_ms?: number; fuel?: number; memory_limit_mb?: number; max_output_bytes?: number };
  json: boolean;
  auditFile: string | null;
  auditKey: string | null;
  /** --secret and --secret-file: a name and where its value comes from. */
  secrets: { name: string; from: { env: string } | { file: string } }[];
  conflicts: ConflictPolicy;
  /** Policy rules mount the host directory at their path, as kavach's WASM backend preopens it. */
  hostRules: boolean;
  /** Compiler options, for a module given as source. */
  build: BuildOptions;
}

class UsageError extends Error {}

/** The flags in `kavach run`'s table; -W and the compiler's options come through `otherArg`. */
const FLAGS = {
  dir: { type: 'string', multiple: true }, 'ro-dir': { type: 'string', multiple: true }, 'write-back-conflicts': { type: 'string' },
  env: { type: 'string', multiple: true }, secret: { type: 'string', multiple: true }, 'secret-file': { type: 'string', multiple: true },
  policy: { type: 'string' }, 'no-host-rules': { type: 'boolean' }, preset: { type: 'string' },
  'timeout-ms': { type: 'string' }, fuel: { type: 'string' }, 'max-memory-mb': { type: 'string' }, 'max-output-bytes': { type: 'string' },
  json: { type: 'boolean' }, audit: { type: 'string' }, 'audit-hmac-key': { type: 'string' },
} as const;

/** The command line as Parsed, or the exit status when it is already done (help, a bad flag). */
function parseRun(argv: string[], io: CliIO): Parsed | number {
  const build = noBuildOptions();
  const parsed = parseCommand(argv, io, 'run', HELP, FLAGS, { trailing: true, oneLine: true, other: (arg, next) => otherArg(arg, next, build) });
  if (typeof parsed === 'number') return parsed;
  const out: Parsed = {
    module: '', args: [], mounts: [], env: [], policyFile: null, preset: null, overrides: {}, json: false, auditFile: null, auditKey: null,
    secrets: [], conflicts: 'host', hostRules: true, build,
  };
  const integer = (flag: string, text: string): number => {
    if (!/^\d+$/.test(text)) throw new UsageError(`${flag} expects a whole number, got "${text}"`);
    return Number(text);
  };
  // In command-line order: a later flag overrides an earlier one, -W spellings included.
  for (const { name, value = '' } of parsed.tokens) {
    const flag = `--${name}`;
    switch (name) {
      case 'dir': case 'ro-dir': {
        const [host, guest] = value.includes('::') ? value.split('::', 2) : [value, value];
        if (host === '' || guest === '') throw new UsageError(`${flag} expects HOST[::GUEST], got "${value}"`);
        out.mounts.push({ host, guest: guest.startsWith('/') ? guest : '/' + guest, readOnly: name === 'ro-dir', origin: `${flag} ${host}` });
        break;
      }
      case 'secret': {
        const m = /^([^=]+)(?:=(.+))?$/.exec(value);
        if (m === null) throw new UsageError(`--secret expects NAME or NAME=HOSTVAR, got "${value}"`);
        out.secrets.push({ name: m[1], from: { env: m[2] ?? m[1] } });
        break;
      }
      case 'secret-file': {
        const eq = value.indexOf('=');
        if (eq <= 0 || eq === value.length - 1) throw new UsageError(`--secret-file expects NAME=PATH, got "${value}"`);
        out.secrets.push({ name: value.slice(0, eq), from: { file: value.slice(eq + 1) } });
        break;
      }
      case 'write-back-conflicts':
        if (value !== 'host' && value !== 'guest') throw new UsageError(`--write-back-conflicts expects host or guest, got "${value}"`);
        out.conflicts = value;
        break;
      case 'env': {
        const eq = value.indexOf('=');
        if (eq <= 0) throw new UsageError(`--env expects K=V, got "${value}"`);
        out.env.push([value.slice(0, eq), value.slice(eq + 1)]);
        break;
      }
      case 'policy': out.policyFile = value; break;
      case 'preset': out.preset = value; break;
      case 'timeout-ms': out.overrides.timeout_ms = integer(flag, value); break;
      case 'fuel': out.overrides.fuel = integer(flag, value); break;
      case 'max-memory-mb': out.overrides.memory_limit_mb = integer(flag, value); break;
      case 'max-output-bytes': out.overrides.max_output_bytes = integer(flag, value); break;
      case 'json': out.json = true; break;
      case 'no-host-rules': out.hostRules = false; break;
      case 'audit': out.auditFile = value; break;
      case 'audit-hmac-key': out.auditKey = value; break;
    }
  }
  const [module, ...args] = parsed.positionals;
  if (module === undefined) throw new UsageError('no module given');
  out.module = module;
  out.args = args;
  return out;
}

/**
 * wasmtime's -W KEY=VALUE, as the flag it stands for; otherwise a compiler option, kept in
 * `build`. -Wall and -Wl,... are the compiler's; -Wfuel=N is wasmtime's spelling, as -W fuel=N.
 */
function otherArg(arg: string, next: () => string | undefined, build: BuildOptions): string[] | null {
  if (arg === '-W') {
    const spec = next();
    if (spec === undefined) throw new UsageError('-W needs a value');
    return wasmtimeOption(spec);
  }
  if (/^-W(fuel|max-memory-size|timeout)=/.test(arg)) return wasmtimeOption(arg.slice(2));
  if (takeBuildOption(arg, next, build)) return [];
  return null;
}

function wasmtimeOption(spec: string): string[] {
  const [key, val] = spec.split('=', 2);
  if (val === undefined) throw new UsageError(`-W expects KEY=VALUE, got "${spec}"`);
  if (key === 'fuel' && /^\d+$/.test(val)) return [`--fuel=${val}`];
  if (key === 'max-memory-size' && /^\d+$/.test(val)) return [`--max-memory-mb=${Math.max(1, Math.floor(Number(val) / 1048576))}`];
  if (key === 'timeout') {
    const m = /^(\d+)(ms|s)?$/.exec(val);
    if (m === null) throw new UsageError(`-W timeout expects N, Ns or Nms, got "${val}"`);
    return [`--timeout-ms=${m[2] === 'ms' ? Number(m[1]) : Number(m[1]) * 1000}`];
  }
  throw new UsageError(`unsupported -W option "${spec}" (supported: fuel, max-memory-size, timeout)`);
}

/** Where the config starts: the policy file, kavach's preset, or the defaults. */
function startingPoint(parsed: Parsed, io: CliIO): Partial<SandboxConfig> {
  if (parsed.policyFile !== null && parsed.preset !== null) throw new UsageError('give --policy or --preset, not both');
  if (parsed.policyFile !== null) {
    const text = new TextDecoder().decode(readHostFile(resolvePath(io.cwd, parsed.policyFile), 'policy', MAX_TEXT_BYTES, parsed.policyFile));
    const loaded = loadDocument(text);
    if (!loaded.ok) throw new UsageError(`invalid policy ${parsed.policyFile}:\n${describeIssues(loaded.errors)}`);
    return loaded.config;
  }
  if (parsed.preset !== null) {
    try {
      return { policy: presetPolicy(parsed.preset) };
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  return {};
}

/** Build the config: policy file or preset, then the flags on top; errors name what is wrong. */
function buildConfig(parsed: Parsed, io: CliIO): { config: SandboxConfig; warnings: string[] } {
  const base = startingPoint(parsed, io);
  const rules = [...(base.policy?.landlock_rules ?? [])];
  for (const m of parsed.mounts) {
    const guest = normaliseMountPath(m.guest);
    const existing = rules.findIndex((r) => normaliseMountPath(r.path) === guest);
    const rule = { path: guest, access: m.readOnly ? 'ro' : 'rw' };
    if (existing >= 0) rules[existing] = rule;
    else rules.push(rule);
  }
  const { memory_limit_mb, ...topLevel } = parsed.overrides;
  // A --secret no policy ref places goes into the environment under its own name.
  const secrets = [...(base.secrets ?? [])];
  for (const s of parsed.secrets) {
    if (!secrets.some((r) => r.name === s.name)) secrets.push({ name: s.name, inject_via: { EnvVar: { var_name: s.name } } });
  }
  const input: SandboxConfigInput = {
    ...base,
    ...topLevel,
    policy: { ...base.policy, landlock_rules: rules, ...(memory_limit_mb === undefined ? {} : { memory_limit_mb }) },
    env: [...(base.env ?? []), ...parsed.env],
    secrets,
    args: parsed.args,
  };
  const loaded = loadDocument(input);
  if (!loaded.ok) throw new UsageError(`invalid options:\n${describeIssues(loaded.errors)}`);
  return { config: loaded.config, warnings: loaded.warnings.map((w) => `${w.path}: ${w.message}`) };
}

/**
 * The policy's landlock rules the command line did not override, as host mounts: kavach's WASM
 * backend preopens each rule's host path, if it exists, at the same guest path. A rule whose path
 * is not a host directory stays an empty in-memory mount, and says so.
 */
function ruleMounts(config: SandboxConfig, flags: readonly HostMount[], cwd: string, notices: string[]): HostMount[] {
  const fromFlags = new Set(flags.map((m) => normaliseMountPath(m.guest)));
  const out: HostMount[] = [];
  config.policy.landlock_rules.forEach((rule, i) => {
    const path = normaliseMountPath(rule.path);
    if (fromFlags.has(path)) return;
    // kavach preopens the rule's path as given: a relative one from its working directory.
    const host = resolvePath(cwd, rule.path);
    const readOnly = config.policy.read_only_rootfs || rule.access !== 'rw';
    let isDir = false;
    try {
      isDir = statSync(host).isDirectory();
    } catch {
      // missing: an empty mount, below
    }
    if (!isDir) {
      notices.push(`policy rule ${i} (${rule.path}): no such directory on this host; mounted as an empty in-memory directory`);
      return;
    }
    notices.push(`policy rule ${i} mounts the host directory ${host}${host === path ? '' : ` at ${path}`} ${readOnly ? 'read-only' : 'read-write'} (--no-host-rules: an empty one instead)`);
    out.push({ host, guest: path, readOnly, origin: `policy rule ${i} (${rule.path})` });
  });
  return out;
}

/** The secrets' values, from the host environment or files; a missing one is bad input. */
function readSecrets(parsed: Parsed, io: CliIO): SecretStore {
  const store = new SecretStore();
  for (const s of parsed.secrets) {
    let value: string;
    if ('env' in s.from) {
      const v = io.env[s.from.env];
      if (v === undefined) throw new UsageError(`--secret ${s.name}: the host variable ${s.from.env} is not set`);
      value = v;
    } else {
      const text = new TextDecoder().decode(readHostFile(resolvePath(io.cwd, s.from.file), `secret file for ${s.name}`, MAX_TEXT_BYTES, s.from.file));
      value = text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
    }
    if (value === '') throw new UsageError(`--secret ${s.name}: the value is empty`);
    store.register(s.name, value);
  }
  return store;
}

/** Relative paths, inside one mount, of files a secret is injected as: never written to the host. */
function secretPaths(config: SandboxConfig, mount: CopiedMount): Set<string> {
  const root = normaliseMountPath(mount.mount.guest);
  const out = new Set<string>();
  for (const ref of config.secrets) {
    if (typeof ref.inject_via === 'object' && 'File' in ref.inject_via) {
      const p = normaliseMountPath(ref.inject_via.File.path);
      if (isInside(p, root)) out.add(root === '/' ? p.slice(1) : p.slice(root.length + 1));
    }
  }
  return out;
}

function exitStatus(result: RunResult): number {
  switch (result.outcome.kind) {
    case 'exit': return result.outcome.code;
    case 'timeout': case 'fuel_exhausted': return EXIT_TIMEOUT;
    case 'stopped': return EXIT_STOPPED;
    default: return EXIT_TRAP;
  }
}

export function resultJson(result: RunResult): string {
  return JSON.stringify(
    { ...result, stdoutBytes: undefined, stderrBytes: undefined, mounts: result.mounts?.map((m) => ({ path: m.path, entries: m.entries.map((e) => ({ path: e.path, size: e.data?.length ?? null, symlink: e.symlink })) })) },
    (_key, v) => (typeof v === 'bigint' ? Number(v) : v),
    2,
  );
}

export const run: Command = async (argv, io) => {
  let parsed: Parsed | number;
  let config: SandboxConfig;
  let module: Uint8Array;
  let secrets: SecretStore;
  let copied: CopiedMount[];
  const notices: string[] = [];
  let engine: Engine | null = null;
  try {
    parsed = parseRun(argv, io);
    if (typeof parsed === 'number') return parsed;
    // The worker boots while this thread reads the policy, the module and the host directories.
    engine = new Engine(spawnNodeWorker, { filesystemBytes: DEFAULT_FILESYSTEM_BYTES.cli, prewarm: 'once' });
    const built = buildConfig(parsed, io);
    config = built.config;
    for (const w of built.warnings) io.stderr(`kavach: warning: ${w}\n`);
    secrets = readSecrets(parsed, io);
    const mounts = [...parsed.mounts, ...(parsed.hostRules ? ruleMounts(config, parsed.mounts, io.cwd, notices) : [])];
    if (parsed.auditFile !== null) checkWritable(resolvePath(io.cwd, parsed.auditFile), 'the audit trail');
    if (languageOf(parsed.module) !== null) {
      // A source: build it (the compiler is loaded only now), and run what it built.
      const { buildFile, describeBuild } = await import('./build.ts');
      const built = await buildFile(parsed.module, parsed.build, io);
      io.stderr(`kavach: ${describeBuild(built, built.name)}\n`);
      module = built.wasm;
    } else if (hasBuildOptions(parsed.build)) {
      throw new UsageError(`compiler options (${[parsed.build.optimization, parsed.build.cxx ? '--cxx' : null, parsed.build.standard && `--std=${parsed.build.standard}`, ...parsed.build.extra].filter(Boolean).join(' ')}) apply to a C, C++ or WebAssembly text source, not to ${parsed.module}`);
    } else {
      module = readHostFile(resolvePath(io.cwd, parsed.module), 'module', MAX_MODULE_BYTES, parsed.module);
    }
    const budget = new FsBudget(filesystemLimits(config, DEFAULT_FILESYSTEM_BYTES.cli));
    copied = copyIn(mounts, io.cwd, budget, notices);
  } catch (e) {
    engine?.dispose();
    if (e instanceof UsageError || e instanceof HostFileError || e instanceof MountError || e instanceof BuildUsageError) {
      io.stderr(`kavach run: ${e.message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw e;
  }
  for (const line of noticeLines(notices)) io.stderr(`kavach: ${line}\n`);
  const stdin = await io.readStdin();
  if (stdin.length > 0) config = { ...config, stdin: (config.stdin ?? '') + new TextDecoder().decode(stdin) };

  const base = parsed.module.split(/[\\/]/).pop() ?? parsed.module;
  const name = languageOf(base) !== null ? outputName(base) : base;
  const json = parsed.json;
  const mountContents = new Map<string, MountEntry[]>(copied.map((c) => [c.mount.guest, c.entries]));
  const report = await (engine as Engine).run({
    module,
    moduleName: name,
    config,
    secrets,
    mountContents,
    mountReport: 'changes',
    // One run, then exit: the module and the files go to the worker without a copy.
    transfer: true,
    onOutput: json ? undefined : (stream, chunk) => (stream === 'stdout' ? io.stdout(chunk) : io.stderr(chunk)),
  }).result;
  if (!report.ok) {
    io.stderr(`kavach: ${report.error.message}\n`);
    return report.error.kind === 'ExecFailed' || report.error.kind === 'CreationFailed' || report.error.kind === 'CredentialError' ? EXIT_BAD_INPUT : EXIT_FAILURE;
  }
  const result = report.result;
  // Whatever happens below, the audit trail and every problem are still written out.
  const problems: string[] = [];
  let killed = 0; // problems that are the run's own end (a kill), not write-back's
  for (const c of copied.filter((m) => !m.mount.readOnly)) {
    const after = result.mounts?.find((m) => m.path === normaliseMountPath(c.mount.guest));
    if (after === undefined) {
      if (result.mounts === null) {
        problems.push(`${c.mount.origin}: changes not written back (the run was killed before it could report them)`);
        killed++;
      }
      continue;
    }
    try {
      problems.push(...writeBack(c, after.entries, { conflicts: parsed.conflicts, skip: secretPaths(config, c) }).problems);
    } catch (e) {
      problems.push(`${c.mount.origin}: write-back stopped: ${(e as Error).message}`);
    }
  }
  if (parsed.auditFile !== null) {
    try {
      const text = await toJsonl(result.audit.events, { hmacKey: parsed.auditKey ?? undefined, dropped: result.audit.dropped });
      writeHostFile(resolvePath(io.cwd, parsed.auditFile), text, 'the audit trail');
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  for (const line of noticeLines(problems)) io.stderr(`kavach: ${line}\n`);
  // kavach's error when the gate withheld output, then where and what became of it.
  const gate = result.gate;
  if (gate !== null && gate.error !== null) io.stderr(`kavach: ${gate.error}\n`);
  for (const line of [gate?.reason ?? null, ...(gate?.notes ?? [])]) if (line !== null) io.stderr(`kavach: output gate: ${line}\n`);
  if (json) io.stdout(resultJson(result) + '\n');
  else {
    if (result.truncated.stdout || result.truncated.stderr) io.stderr(`kavach: output cut at ${config.max_output_bytes} bytes (max_output_bytes)\n`);
    if (result.outcome.kind !== 'exit') {
      const detail = result.outcome.kind === 'fuel_exhausted' ? `WASM fuel exhausted: ${describeOutcome(result.outcome)}` : describeOutcome(result.outcome);
      io.stderr(`kavach: ${detail}\n`);
    }
    // Which limit ended the run, the rule that set it, and the flag that raises it.
    const hit = limitHit(result, config);
    if (hit !== null) io.stderr(`kavach: hint: ${hit.hint}\n`);
  }
  const status = exitStatus(result);
  // kavach's exec fails when its gate withholds the output, and its CLI exits 1 whatever the
  // module's own status was (main.rs:135-141); write-back problems, if any, are listed above.
  if (gate !== null && gate.error !== null) {
    if (status !== EXIT_OK) io.stderr(`kavach: the module's own exit status was ${status}\n`);
    return EXIT_FAILURE;
  }
  if (problems.length > killed) {
    if (status !== EXIT_OK && status !== EXIT_WRITE_BACK_INCOMPLETE) io.stderr(`kavach: the module's own exit status was ${status}\n`);
    return EXIT_WRITE_BACK_INCOMPLETE;
  }
  return status;
};
