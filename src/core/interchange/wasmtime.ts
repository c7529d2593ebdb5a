/**
 * A `wasmtime run` command line: `--dir HOST::GUEST`, `--env K=V`, `-W fuel=N`,
 * `-W max-memory-size=BYTES`, `-W timeout=N[s|ms]`, then the module and its arguments. What the
 * CLI cannot say (read-only mounts, above all: wasmtime issue 9608) is written as `# ` comments
 * and listed as lossy. The importer reads the same flags back, from `wasmtime run ...` or the
 * older `wasmtime ...`.
 */
import { fuelBudget } from '../policy/derive.ts';
import { describeIssues, loadDocument } from '../policy/load.ts';
import type { SandboxConfig } from '../policy/schema.ts';
import { minimalDocument } from '../share/document.ts';
import { fuelItem, hostPlaceholder, unexpressed } from './lossy.ts';
import { shellComment, shellQuote, tokenize } from './shell-words.ts';
import { DEFAULT_MODULE_NAME, type ExportOptions, type ExportResult, type ImportResult } from './types.ts';

const EXPRESSED = new Set(['policy.landlock_rules', 'env', 'secrets', 'fuel', 'policy.memory_limit_mb', 'timeout_ms', 'args']);
const MIB = 1024 * 1024;
const q = (s: string) => JSON.stringify(s);

export function exportWasmtime(config: SandboxConfig, options: ExportOptions = {}): ExportResult {
  const lossy: string[] = [];
  const flags: string[] = [];
  const notes: string[] = [];

  config.policy.landlock_rules.forEach((rule, i) => {
    flags.push(`--dir ${shellQuote(`${hostPlaceholder(rule.path)}::${rule.path}`)}`);
    if (rule.access !== 'rw') {
      lossy.push(`policy.landlock_rules[${i}].access: ${q(rule.path)} is read-only (${q(rule.access)}), but wasmtime's CLI cannot mount a directory read-only (wasmtime issue 9608): this command mounts it read-write`);
    }
  });
  for (const [key, value] of config.env) {
    if (key === '' || key.includes('=')) lossy.push(`env: the variable name ${q(key)} cannot be written as --env NAME=VALUE`);
    else flags.push(`--env ${shellQuote(`${key}=${value}`)}`);
  }
  for (const secret of config.secrets) {
    const via = secret.inject_via;
    if (via !== 'Stdin' && 'EnvVar' in via && via.EnvVar.var_name !== '' && !via.EnvVar.var_name.includes('=')) {
      const variable = via.EnvVar.var_name;
      flags.push(`--env ${shellQuote(variable)}`);
      notes.push(`--env ${variable} passes the host's ${variable}: set it to the value of secret ${secret.name} before running.`);
      if (secret.name !== variable) lossy.push(`secrets: secret ${q(secret.name)} becomes the host variable ${q(variable)}; its name is not kept`);
    } else {
      const how = via === 'Stdin' ? 'on stdin' : 'File' in via ? `as the file ${q(via.File.path)}` : 'as an environment variable with that name';
      lossy.push(`secrets: secret ${q(secret.name)} is injected ${how}; wasmtime's CLI cannot inject a secret that way`);
    }
  }
  const fuel = fuelBudget(config);
  if (fuel !== null) flags.push(`-W fuel=${fuel}`);
  const fuelNote = fuelItem(config, 'wasmtime');
  if (fuelNote !== null) lossy.push(fuelNote);
  if (config.policy.memory_limit_mb !== null) flags.push(`-W max-memory-size=${config.policy.memory_limit_mb * MIB}`);
  if (config.timeout_ms > 0) flags.push(`-W timeout=${config.timeout_ms % 1000 === 0 ? `${config.timeout_ms / 1000}s` : `${config.timeout_ms}ms`}`);
  lossy.push(...unexpressed(config, 'wasmtime', EXPRESSED));

  const command = [
    'wasmtime run',
    ...flags,
    [shellQuote(options.moduleName ?? DEFAULT_MODULE_NAME), ...config.args.map(shellQuote)].join(' '),
  ].join(' \\\n  ');
  const header = ['`wasmtime run` for this Kavach Playground setup.'];
  if (config.policy.landlock_rules.length > 0) header.push('The host directories (./...) are placeholders: create them, with the mount files, first.');
  header.push(...notes);
  if (lossy.length > 0) header.push('Not expressed (wasmtime has no equivalent):', ...lossy.map((l) => `  - ${l}`));
  return { format: 'wasmtime', text: `${header.map(shellComment).join('\n')}\n${command}`, lossy, analogy: false };
}

/** Flags that take a value (the next word, or after "="); the rest are switches. */
const VALUE_FLAGS = new Set([
  '--dir', '--mapdir', '--env', '-W', '--wasm', '-S', '--wasi', '-O', '--optimize', '-C', '--codegen', '-D', '--debug',
  '--invoke', '--preload', '--profile', '--argv0', '--fuel', '--config', '--target',
]);
const SUBCOMMANDS = new Set(['compile', 'config', 'explore', 'serve', 'settings', 'wast', 'objdump', 'help', 'completion', 'hyperlight']);

type Failure = Extract<ImportResult, { ok: false }>;
const fail = (message: string): Failure => ({ ok: false, format: 'wasmtime', message, issues: [] });

/** Read a `wasmtime run` (or `wasmtime`) command line back into a playground document. */
export function importWasmtime(text: string): ImportResult {
  const tokenized = tokenize(text);
  if (!tokenized.ok) return fail(`cannot read the command line: ${tokenized.message}`);
  const warnings: string[] = [];
  // The first simple command whose program is wasmtime; the rest (pipes, redirections) is noted.
  const commands: string[][] = [[]];
  for (const t of tokenized.tokens) {
    if (t.kind === 'operator') {
      if (commands[commands.length - 1].length > 0) commands.push([]);
      if (t.text !== ';') warnings.push(`shell operator ${q(t.text)}: only the wasmtime command itself is read`);
    } else {
      commands[commands.length - 1].push(t.text);
      if (t.expands) warnings.push(`${q(t.text)}: shell expansions ($, \`) are not performed; kept as written`);
    }
  }
  const words = commands.find((c) => c.length > 0 && /(^|[/\\])wasmtime(\.exe)?$/.test(c[0]));
  if (words === undefined) return fail('no wasmtime command found: expected a line starting with "wasmtime run" or "wasmtime"');

  let i = 1;
  if (words[i] === 'run') i++;
  else if (words[i] !== undefined && SUBCOMMANDS.has(words[i])) return fail(`"wasmtime ${words[i]}" does not run a module; only "wasmtime run" can be imported`);

  const rules: { path: string; access: string }[] = [];
  const env: [string, string][] = [];
  const secrets: { name: string; inject_via: { EnvVar: { var_name: string } } }[] = [];
  let fuel: number | null = null;
  let timeoutMs: number | null = null;
  let memoryMb: number | null = null;

  for (; i < words.length; i++) {
    const word = words[i];
    if (word === '--') { i++; break; }
    if (!word.startsWith('-') || word === '-') break;
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    let flag = eq > 0 ? word.slice(0, eq) : word;
    let value: string | undefined = eq > 0 ? word.slice(eq + 1) : undefined;
    if (value === undefined && /^-[WSOCD]./.test(word)) [flag, value] = [word.slice(0, 2), word.slice(2)];
    if (value === undefined && VALUE_FLAGS.has(flag)) {
      value = words[++i];
      if (value === undefined) return fail(`${flag} needs a value`);
    }
    switch (flag) {
      case '--dir': {
        const [host, guest] = value!.includes('::') ? value!.split('::', 2) : [value!, value!];
        if (host === '' || guest === '') return fail(`--dir expects HOST[::GUEST], got ${q(value!)}`);
        rules.push({ path: guest, access: 'rw' }); // a relative one as kavach takes it (the loader warns)
        break;
      }
      case '--mapdir': {
        const [guest, host] = value!.split('::', 2);
        if (!guest || !host) return fail(`--mapdir expects GUEST::HOST, got ${q(value!)}`);
        warnings.push('--mapdir is the old spelling of --dir HOST::GUEST (note the swapped order)');
        rules.push({ path: guest, access: 'rw' });
        break;
      }
      case '--env': {
        const at = value!.indexOf('=');
        if (at === 0 || value === '') return fail(`--env expects NAME=VALUE or NAME, got ${q(value!)}`);
        if (at > 0) env.push([value!.slice(0, at), value!.slice(at + 1)]);
        else {
          secrets.push({ name: value!, inject_via: { EnvVar: { var_name: value! } } });
          warnings.push(`--env ${value}: wasmtime passes the host's ${value}; here it becomes a secret reference named ${value} (register its value in the page, or with the CLI)`);
        }
        break;
      }
      case '-W': case '--wasm': {
        for (const option of value!.split(',')) {
          const [key, val] = [option.split('=', 1)[0], option.includes('=') ? option.slice(option.indexOf('=') + 1) : undefined];
          const problem = wasmOption(key, val, (f) => (fuel = f), (t) => (timeoutMs = t), (m) => (memoryMb = m), warnings);
          if (problem !== null) return fail(problem);
        }
        break;
      }
      case '--fuel': {
        const n = parseU64(value!);
        if (n === null || n === 0) return fail(`--fuel expects a positive whole number, got ${q(value!)}`);
        warnings.push('--fuel is the old spelling of -W fuel=N');
        fuel = n;
        break;
      }
      case '-S': case '--wasi':
        warnings.push(`-S ${value}: WASI options are not imported (the playground's WASI has no network, threads or other proposals)`);
        break;
      default:
        warnings.push(`${flag}${value === undefined ? '' : ` ${value}`}: not a sandbox setting; ignored`);
    }
  }
  const module = words[i];
  if (module === undefined) return fail('no module in the command line: expected "wasmtime run [options] module.wasm [args...]"');
  const args = words.slice(i + 1);

  const timeout = timeoutMs ?? 0;
  if (fuel === null && timeout > 0) {
    warnings.push(`wasmtime ran without a fuel budget; the playground derives ${(timeout * 1_000_000).toLocaleString('en-US')} from the timeout, as kavach does`);
  }
  const doc = {
    policy: { landlock_rules: rules, memory_limit_mb: memoryMb },
    env,
    secrets,
    args,
    timeout_ms: timeout,
    fuel: fuel !== null && timeout > 0 && fuel === timeout * 1_000_000 ? null : fuel,
  };
  const loaded = loadDocument(doc);
  if (!loaded.ok) return { ok: false, format: 'wasmtime', message: `the command line does not make a valid setup:\n${describeIssues(loaded.errors)}`, issues: loaded.errors };
  warnings.push(...loaded.warnings.map((w) => `${w.path}: ${w.message}`));
  const name = module.split(/[\\/]/).pop() || module;
  return { ok: true, format: 'wasmtime', document: minimalDocument(loaded.config), config: loaded.config, warnings, kavachReadsOtherwise: [], module: { kind: 'named', name, path: module, sha256: null } };
}

/** One `-W key=value`; returns a message for a value the playground cannot take, else null. */
function wasmOption(
  key: string, value: string | undefined,
  setFuel: (n: number) => void, setTimeout: (ms: number) => void, setMemory: (mb: number) => void, warnings: string[],
): string | null {
  switch (key) {
    case 'fuel': {
      const n = value === undefined ? null : parseU64(value);
      if (n === null || n === 0) return `-W fuel expects a positive whole number, got ${q(value ?? '')}`;
      setFuel(n);
      return null;
    }
    case 'max-memory-size': {
      const bytes = value === undefined ? null : parseU64(value);
      if (bytes === null) return `-W max-memory-size expects a byte count, got ${q(value ?? '')}`;
      // 0 is no memory at all; past 4 GiB the loader warns that the cap is 4096 MiB
      const mb = bytes === 0 ? 0 : Math.max(1, Math.floor(bytes / MIB));
      if (bytes % MIB !== 0) warnings.push(`-W max-memory-size=${value}: the playground caps memory in whole MiB; ${mb} MiB`);
      setMemory(mb);
      return null;
    }
    case 'timeout': {
      const ms = value === undefined ? null : parseDuration(value);
      if (ms === null) return `-W timeout expects a duration such as 10, 10s or 500ms, got ${q(value ?? '')}`;
      if (!Number.isInteger(ms)) warnings.push(`-W timeout=${value}: rounded up to ${Math.ceil(ms)} ms`);
      setTimeout(Math.ceil(ms));
      return null;
    }
    default:
      warnings.push(`-W ${key}${value === undefined ? '' : `=${value}`}: not a sandbox setting; ignored`);
      return null;
  }
}

/** wasmtime's u64 spelling: decimal or 0x hex; null when not one, or beyond exact JS integers. */
function parseU64(text: string): number | null {
  const n = /^\d+$/.test(text) ? Number(text) : /^0x[0-9a-fA-F]+$/.test(text) ? Number.parseInt(text.slice(2), 16) : NaN;
  return Number.isSafeInteger(n) ? n : null;
}

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6, nsec: 1e-6, us: 1e-3, usec: 1e-3, 'µs': 1e-3, ms: 1, msec: 1, s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000, h: 3_600_000, hr: 3_600_000, hour: 3_600_000, hours: 3_600_000,
};

/** wasmtime's durations: a bare number is seconds; otherwise humantime, e.g. "1m 30s", "250ms". */
export function parseDuration(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  let total = 0;
  let rest = text.trim();
  if (rest === '') return null;
  while (rest !== '') {
    const m = /^(\d+)\s*([a-zµ]+)\s*/.exec(rest);
    if (m === null || !(m[2] in UNIT_MS)) return null;
    total += Number(m[1]) * UNIT_MS[m[2]];
    rest = rest.slice(m[0].length);
  }
  return Number.isSafeInteger(Math.ceil(total)) ? total : null;
}
