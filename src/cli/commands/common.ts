/** What the score, scan and audit commands share: flag parsing, bad-input reports, reading input. */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { describeIssues, loadDocument, type SandboxConfig } from '../../core/policy/index.ts';
import { EXIT_BAD_INPUT, type CliIO } from '../io.ts';

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
 * The bytes of FILE (relative to the working directory), or of stdin for "-". With `limit`, input
 * longer than `limit` bytes is refused without being read whole (nor read on forever, from a
 * device or a pipe that never ends).
 */
export async function readInput(io: CliIO, file: string, limit?: number): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; message: string }> {
  const name = file === '-' ? 'stdin' : file;
  try {
    let bytes: Uint8Array;
    if (file === '-') bytes = await io.readStdin(limit);
    else if (limit === undefined) bytes = new Uint8Array(readFileSync(resolve(io.cwd, file)));
    else {
      const read = readUpTo(resolve(io.cwd, file), limit + 1);
      if (read.fileSize > limit) return { ok: false, message: `${name} is ${read.fileSize} bytes, over the ${formatLimit(limit)} limit` };
      bytes = read.bytes;
    }
    if (limit !== undefined && bytes.length > limit) return { ok: false, message: `${name} is over the ${formatLimit(limit)} limit` };
    return { ok: true, bytes };
  } catch (e) {
    return { ok: false, message: `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
}

/**
 * The first `most` bytes of a file, device or pipe; a regular file of `most` bytes or more is not
 * read at all (its size says enough).
 */
function readUpTo(path: string, most: number): { fileSize: number; bytes: Uint8Array } {
  const fd = openSync(path, 'r');
  try {
    const stat = fstatSync(fd);
    if (stat.isFile() && stat.size >= most) return { fileSize: stat.size, bytes: new Uint8Array(0) };
    let out = new Uint8Array(stat.isFile() ? Math.max(1, stat.size) : 1 << 16);
    let length = 0;
    for (;;) {
      if (length === out.length) {
        if (length >= most) break;
        const grown = new Uint8Array(Math.min(most, out.length * 2));
        grown.set(out);
        out = grown;
      }
      const n = readSync(fd, out, length, out.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return { fileSize: stat.isFile() ? length : 0, bytes: out.subarray(0, length) };
  } finally {
    closeSync(fd);
  }
}

function formatLimit(bytes: number): string {
  return bytes % (1 << 20) === 0 ? `${bytes / (1 << 20)} MiB` : `${bytes} bytes`;
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
