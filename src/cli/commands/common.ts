/** What the score, scan and audit commands share: flag parsing, bad-input reports, reading input. */
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { describeIssues, loadDocument, type SandboxConfig } from '../../core/policy/index.ts';
import { EXIT_BAD_INPUT, type CliIO } from '../io.ts';
import { HostFileError, MAX_TEXT_BYTES, readHostFile } from '../host-files.ts';
import { formatSize } from '../../core/wasi/budget.ts';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values<O extends Options> = { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string };

/** Print `kavach NAME: message` and a pointer to --help; returns the bad-input exit status. */
export function badInput(io: CliIO, name: string, message: string): number {
  io.stderr(`kavach ${name}: ${message}\nRun \`kavach ${name} --help\` for usage.\n`);
  return EXIT_BAD_INPUT;
}

/**
 * Parse flags (plus -h/--help) and positionals. Returns the exit status instead when the command
 * is already done: 0 after printing the help, 2 after reporting a bad flag.
 */
export function parseCommand<O extends Options>(
  argv: string[], io: CliIO, name: string, help: string, options: O,
): { values: Values<O>; positionals: string[] } | number {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if ((values as { help?: boolean }).help) {
      io.stdout(help);
      return 0;
    }
    return { values: values as Values<O>, positionals };
  } catch (e) {
    return badInput(io, name, (e as Error).message);
  }
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
