/** What the commands share: flag parsing, bad-input reports, reading input. */
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { describeIssues, formatSize, loadDocument, type SandboxConfig } from '../../core/index.ts';
import { EXIT_BAD_INPUT, EXIT_OK, type CliIO } from '../io.ts';
import { HostFileError, MAX_TEXT_BYTES, readHostFile } from '../host-files.ts';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values<O extends Options> = {
  [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : O[K] extends { multiple: true } ? string[] : string
};

/** A flag as given, in command-line order (for flags whose order matters, or that repeat). */
export interface FlagToken {
  name: string;
  value: string | undefined;
}

/** What some commands add to the flag table. */
export interface CommandShape {
  /**
   * The words from the first positional (or after `--`) on belong to the command being run, flags
   * included (clap's trailing_var_arg): `kavach run m.wasm --help` passes --help to the module.
   */
  trailing?: boolean;
  /**
   * Arguments the flag table cannot describe (compiler options such as -O2, -Wall, --std STD; the
   * wasmtime spelling -W fuel=N): takes `arg`, and the next word through `next` if it needs one,
   * and returns the table's flags it stands for, in place (none for one the command keeps
   * itself); null when `arg` is not one.
   */
  other?: (arg: string, next: () => string | undefined) => string[] | null;
  /**
   * A bad flag is one line, `kavach NAME: unknown option X` or `X needs a value`, as the commands
   * that build and run print it, instead of node's wording with a pointer to --help.
   */
  oneLine?: boolean;
}

/** Print `kavach NAME: message` and a pointer to --help; returns the bad-input exit status. */
export function badInput(io: CliIO, name: string, message: string): number {
  io.stderr(`kavach ${name}: ${message}\nRun \`kavach ${name} --help\` for usage.\n`);
  return EXIT_BAD_INPUT;
}

/**
 * Parse flags (plus -h/--help) and positionals. Returns the exit status instead when the command
 * is already done: EXIT_OK after printing the help, EXIT_BAD_INPUT after reporting a bad flag.
 */
export function parseCommand<O extends Options>(
  argv: string[], io: CliIO, name: string, help: string, options: O, shape: CommandShape = {},
): { values: Values<O>; positionals: string[]; tokens: FlagToken[] } | number {
  const table: Options = { ...options, help: { type: 'boolean', short: 'h' } };
  try {
    const { flags, rest } = prescan(argv, table, shape);
    const { values, positionals, tokens } = parseArgs({ args: flags, options: table, allowPositionals: true, strict: true, tokens: true });
    if ((values as { help?: boolean }).help) {
      io.stdout(help);
      return EXIT_OK;
    }
    return {
      values: values as Values<O>,
      positionals: [...positionals, ...rest],
      tokens: tokens.flatMap((t) => (t.kind === 'option' ? [{ name: t.name, value: t.value }] : [])),
    };
  } catch (e) {
    if (shape.oneLine) {
      io.stderr(`kavach ${name}: ${(e as Error).message}\n`);
      return EXIT_BAD_INPUT;
    }
    return badInput(io, name, (e as Error).message);
  }
}

/**
 * Split off the trailing command and take out what `shape.other` claims, before node's parser
 * sees the flags; with `oneLine`, also report unknown flags and missing values in that wording,
 * and give values inline, so that a value starting with "-" is taken as it is.
 */
function prescan(argv: string[], table: Options, shape: CommandShape): { flags: string[]; rest: string[] } {
  if (!shape.trailing && !shape.other && !shape.oneLine) return { flags: argv, rest: [] };
  const byName = new Map<string, { long: string; takesValue: boolean }>();
  for (const [long, o] of Object.entries(table)) {
    byName.set(`--${long}`, { long, takesValue: o.type === 'string' });
    if (o.short !== undefined) byName.set(`-${o.short}`, { long, takesValue: o.type === 'string' });
  }
  const flags: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') return { flags, rest: argv.slice(i + 1) };
    if (!arg.startsWith('-') || arg === '-') {
      if (shape.trailing) return { flags, rest: argv.slice(i) };
      flags.push(arg);
      continue;
    }
    const flag = byName.get(arg);
    if (flag?.takesValue) {
      const value = argv[++i];
      if (value === undefined && shape.oneLine) throw new Error(`${arg} needs a value`);
      flags.push(...(value === undefined ? [arg] : shape.oneLine ? [`--${flag.long}=${value}`] : [arg, value]));
      continue;
    }
    if (flag !== undefined || (arg.includes('=') && byName.has(arg.slice(0, arg.indexOf('='))))) {
      flags.push(arg);
      continue;
    }
    const taken = shape.other?.(arg, () => argv[++i]) ?? null;
    if (taken !== null) flags.push(...taken);
    else if (shape.oneLine) throw new Error(`unknown option ${arg}`);
    else flags.push(arg);
  }
  return { flags, rest: [] };
}

/**
 * The bytes of FILE (relative to the working directory; a regular file), or of stdin for "-", at
 * most `limit` bytes (default MAX_TEXT_BYTES): longer input is refused without being read whole,
 * nor read on forever from a pipe that never ends.
 */
export async function readInput(io: CliIO, file: string, limit = MAX_TEXT_BYTES): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; message: string }> {
  try {
    if (file !== '-') return { ok: true, bytes: readHostFile(resolve(io.cwd, file), '', limit, file) };
    const bytes = await io.readStdin(limit);
    if (bytes.length > limit) return { ok: false, message: `stdin is over the ${formatSize(limit)} limit` };
    return { ok: true, bytes };
  } catch (e) {
    if (e instanceof HostFileError) return { ok: false, message: e.message };
    return { ok: false, message: `cannot read ${file}: ${(e as Error).message}` };
  }
}

export type PolicyFileResult = { ok: true; config: SandboxConfig; warnings: string[] } | { ok: false; message: string };

/** Load a policy document named on the command line; warnings come back as lines for stderr. */
export async function loadPolicyFile(io: CliIO, file: string): Promise<PolicyFileResult> {
  const input = await readInput(io, file);
  if (!input.ok) return { ok: false, message: input.message.replace(/^cannot read /, 'cannot read policy ') };
  const loaded = loadDocument(new TextDecoder().decode(input.bytes));
  if (!loaded.ok) return { ok: false, message: `invalid policy ${file}:\n${describeIssues(loaded.errors)}` };
  return { ok: true, config: loaded.config, warnings: loaded.warnings.map((w) => `${file}: ${w.path}: ${w.message}`) };
}
