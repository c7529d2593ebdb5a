/**
 * `kavach run [options] module.wasm [args...]`: the engine in Node with wasmtime-style flags.
 * Host directories are copied into the sandbox's in-memory mounts; read-write ones are written
 * back after the run.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve as resolvePath, sep } from 'node:path';
import { describeOutcome } from '../../core/runner/outcome.ts';
import { Engine, type RunResult } from '../../core/runner/engine.ts';
import { spawnNodeWorker } from '../../core/runner/spawn-node.ts';
import { loadDocument, describeIssues, presetPolicy, normaliseMountPath, type SandboxConfig } from '../../core/policy/index.ts';
import { toJsonl } from '../../core/audit/index.ts';
import { EXIT_BAD_INPUT, EXIT_TIMEOUT, EXIT_TRAP, type CliIO, type Command } from '../io.ts';

export const HELP = `usage: kavach run [options] module.wasm [args...]

Runs a WASI preview1 module in a worker under a sandbox policy.

  --dir HOST[::GUEST]        mount a host directory read-write (copied in, written back after the run)
  --ro-dir HOST[::GUEST]     mount a host directory read-only (GUEST defaults to HOST; "/" works)
  --env K=V                  set an environment variable (repeatable)
  --policy FILE              a policy document (kavach SandboxPolicy or SandboxConfig JSON)
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

Exit status: the module's exit code; 124 on timeout or fuel exhaustion; 134 on a trap, stack
overflow or memory limit (message on stderr); 130 if stopped; 2 for bad input.
`;

interface HostMount {
  host: string;
  guest: string;
  readOnly: boolean;
}

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
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Parsed | 'help' {
  const out: Parsed = { module: '', args: [], mounts: [], env: [], policyFile: null, preset: null, overrides: {}, json: false, auditFile: null, auditKey: null };
  let i = 0;
  const value = (flag: string): string => {
    const v = argv[++i];
    if (v === undefined) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  const integer = (flag: string, text: string): number => {
    if (!/^\d+$/.test(text)) throw new UsageError(`${flag} expects a whole number, got "${text}"`);
    return Number(text);
  };
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-')) break;
    const [flag, inline] = arg.includes('=') && arg.startsWith('--') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, null];
    const take = () => inline ?? value(flag);
    switch (flag) {
      case '-h': case '--help': return 'help';
      case '--dir': case '--ro-dir': {
        const spec = take();
        const [host, guest] = spec.includes('::') ? spec.split('::', 2) : [spec, spec];
        if (host === '' || guest === '') throw new UsageError(`${flag} expects HOST[::GUEST], got "${spec}"`);
        out.mounts.push({ host, guest: guest.startsWith('/') ? guest : '/' + guest, readOnly: flag === '--ro-dir' });
        break;
      }
      case '--env': {
        const kv = take();
        const eq = kv.indexOf('=');
        if (eq <= 0) throw new UsageError(`--env expects K=V, got "${kv}"`);
        out.env.push([kv.slice(0, eq), kv.slice(eq + 1)]);
        break;
      }
      case '--policy': out.policyFile = take(); break;
      case '--preset': out.preset = take(); break;
      case '--timeout-ms': out.overrides.timeout_ms = integer(flag, take()); break;
      case '--fuel': out.overrides.fuel = integer(flag, take()); break;
      case '--max-memory-mb': out.overrides.memory_limit_mb = integer(flag, take()); break;
      case '--max-output-bytes': out.overrides.max_output_bytes = integer(flag, take()); break;
      case '--json': out.json = true; break;
      case '--audit': out.auditFile = take(); break;
      case '--audit-hmac-key': out.auditKey = take(); break;
      case '-W': wasmtimeOption(value('-W'), out); break;
      default:
        if (arg.startsWith('-W')) wasmtimeOption(arg.slice(2), out);
        else throw new UsageError(`unknown option ${arg}`);
    }
  }
  const module = argv[i];
  if (module === undefined) throw new UsageError('no module given');
  out.module = module;
  out.args = argv.slice(i + 1);
  return out;
}

function wasmtimeOption(spec: string, out: Parsed): void {
  const [key, val] = spec.split('=', 2);
  if (val === undefined) throw new UsageError(`-W expects KEY=VALUE, got "${spec}"`);
  if (key === 'fuel' && /^\d+$/.test(val)) out.overrides.fuel = Number(val);
  else if (key === 'max-memory-size' && /^\d+$/.test(val)) out.overrides.memory_limit_mb = Math.max(1, Math.floor(Number(val) / 1048576));
  else if (key === 'timeout') {
    const m = /^(\d+)(ms|s)?$/.exec(val);
    if (m === null) throw new UsageError(`-W timeout expects N, Ns or Nms, got "${val}"`);
    out.overrides.timeout_ms = m[2] === 'ms' ? Number(m[1]) : Number(m[1]) * 1000;
  } else throw new UsageError(`unsupported -W option "${spec}" (supported: fuel, max-memory-size, timeout)`);
}

/** Build the config: policy file or preset, then the flags on top; errors name what is wrong. */
function buildConfig(parsed: Parsed, io: CliIO): { config: SandboxConfig; warnings: string[] } {
  let document: Record<string, unknown> = {};
  if (parsed.policyFile !== null && parsed.preset !== null) throw new UsageError('give --policy or --preset, not both');
  if (parsed.policyFile !== null) {
    const text = readText(resolvePath(io.cwd, parsed.policyFile), 'policy');
    const loaded = loadDocument(text);
    if (!loaded.ok) throw new UsageError(`invalid policy ${parsed.policyFile}:\n${describeIssues(loaded.errors)}`);
    document = loaded.config as unknown as Record<string, unknown>;
  }
  if (parsed.preset !== null) {
    try {
      document = { policy: presetPolicy(parsed.preset) };
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  const policy = { ...((document.policy as Record<string, unknown> | undefined) ?? {}) };
  const rules = [...((policy.landlock_rules as { path: string; access: string }[] | undefined) ?? [])];
  for (const m of parsed.mounts) {
    const guest = normaliseMountPath(m.guest);
    const existing = rules.findIndex((r) => normaliseMountPath(r.path) === guest);
    const rule = { path: guest, access: m.readOnly ? 'ro' : 'rw' };
    if (existing >= 0) rules[existing] = rule;
    else rules.push(rule);
  }
  policy.landlock_rules = rules;
  if (parsed.overrides.memory_limit_mb !== undefined) policy.memory_limit_mb = parsed.overrides.memory_limit_mb;
  const env = [...((document.env as [string, string][] | undefined) ?? []), ...parsed.env];
  const { memory_limit_mb: _m, ...topLevel } = parsed.overrides;
  const loaded = loadDocument({ ...document, ...topLevel, policy, env, args: parsed.args });
  if (!loaded.ok) throw new UsageError(`invalid options:\n${describeIssues(loaded.errors)}`);
  return { config: loaded.config, warnings: loaded.warnings.map((w) => `${w.path}: ${w.message}`) };
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Copy a host directory into guest paths (directories end with "/"). */
function copyIn(mount: HostMount, cwd: string, into: Map<string, Uint8Array | null>): void {
  const root = resolvePath(cwd, mount.host);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`--${mount.readOnly ? 'ro-' : ''}dir: ${mount.host} is not a directory`);
  const guestRoot = normaliseMountPath(mount.guest);
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir)) {
      const hostPath = join(dir, name);
      const st = lstatSync(hostPath);
      const guest = (guestRoot === '/' ? '' : guestRoot) + '/' + rel + name;
      if (st.isDirectory()) {
        into.set(guest + '/', null);
        walk(hostPath, rel + name + '/');
      } else if (st.isFile()) into.set(guest, new Uint8Array(readFileSync(hostPath)));
      // Host symlinks and special files are not copied: the sandbox never sees outside the tree.
    }
  };
  walk(root, '');
}

/** Mirror a read-write mount's final state back to its host directory. */
function writeBack(mount: HostMount, cwd: string, result: RunResult): string | null {
  const root = resolvePath(cwd, mount.host);
  const after = result.mounts?.find((m) => m.path === normaliseMountPath(mount.guest));
  if (after === undefined) return `${mount.host}: changes not written back (the run was killed before it could report them)`;
  const keep = new Set<string>();
  for (const entry of after.entries) {
    const target = join(root, ...entry.path.split('/').filter(Boolean));
    if (!target.startsWith(root + sep) && target !== root) continue;
    keep.add(target);
    if (entry.path.endsWith('/')) mkdirSync(target, { recursive: true });
    else if (entry.data !== null) writeFileSync(target, entry.data);
  }
  // Files the module deleted are deleted on the host too.
  const prune = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      const st = lstatSync(p);
      if (st.isDirectory()) {
        prune(p);
        if (!keep.has(p)) rmSync(p, { recursive: true, force: true });
      } else if (st.isFile() && !keep.has(p)) rmSync(p, { force: true });
    }
  };
  prune(root);
  return null;
}

function exitStatus(result: RunResult): number {
  switch (result.outcome.kind) {
    case 'exit': return result.outcome.code;
    case 'timeout': case 'fuel_exhausted': return EXIT_TIMEOUT;
    case 'stopped': return 130;
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
  let parsed: Parsed | 'help';
  let config: SandboxConfig;
  const extraFiles = new Map<string, Uint8Array | null>();
  let module: Uint8Array;
  try {
    parsed = parseArgs(argv);
    if (parsed === 'help') {
      io.stdout(HELP);
      return 0;
    }
    const built = buildConfig(parsed, io);
    config = built.config;
    for (const w of built.warnings) io.stderr(`kavach: warning: ${w}\n`);
    for (const m of parsed.mounts) copyIn(m, io.cwd, extraFiles);
    try {
      module = new Uint8Array(readFileSync(resolvePath(io.cwd, parsed.module)));
    } catch (e) {
      throw new UsageError(`cannot read module ${parsed.module}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`kavach run: ${e.message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw e;
  }
  const stdin = await io.readStdin();
  if (stdin.length > 0) config = { ...config, stdin: (config.stdin ?? '') + new TextDecoder().decode(stdin) };

  const engine = new Engine(spawnNodeWorker);
  const name = parsed.module.split(/[\\/]/).pop() ?? parsed.module;
  const json = parsed.json;
  const report = await engine.run({
    module,
    moduleName: name,
    config,
    extraFiles,
    onOutput: json ? undefined : (stream, chunk) => (stream === 'stdout' ? io.stdout(chunk) : io.stderr(chunk)),
  }).result;
  if (!report.ok) {
    io.stderr(`kavach: ${report.error.message}\n`);
    return report.error.kind === 'ExecFailed' || report.error.kind === 'CreationFailed' ? EXIT_BAD_INPUT : 1;
  }
  const result = report.result;
  for (const m of parsed.mounts.filter((m) => !m.readOnly)) {
    const problem = writeBack(m, io.cwd, result);
    if (problem !== null) io.stderr(`kavach: ${problem}\n`);
  }
  if (parsed.auditFile !== null) {
    const text = await toJsonl(result.audit.events, { hmacKey: parsed.auditKey ?? undefined, dropped: result.audit.dropped });
    writeFileSync(resolvePath(io.cwd, parsed.auditFile), text);
  }
  if (result.gate !== null && result.gate.reason !== null) io.stderr(`kavach: output gate: ${result.gate.reason}\n`);
  if (json) io.stdout(resultJson(result) + '\n');
  else {
    if (result.truncated.stdout || result.truncated.stderr) io.stderr(`kavach: output cut at ${config.max_output_bytes} bytes (max_output_bytes)\n`);
    if (result.outcome.kind !== 'exit') {
      const detail = result.outcome.kind === 'fuel_exhausted' ? `WASM fuel exhausted: ${describeOutcome(result.outcome)}` : describeOutcome(result.outcome);
      io.stderr(`kavach: ${detail}\n`);
    }
  }
  return exitStatus(result);
};
