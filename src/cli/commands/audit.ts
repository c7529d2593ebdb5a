/** `kavach audit verify`: check the hash chain (and HMAC chain) of an exported audit trail. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { verifyJsonl } from '../../core/audit/index.ts';
import { EXIT_BAD_INPUT, type Command } from '../io.ts';

export const HELP = `usage: kavach audit verify FILE [--hmac-key KEY]

Checks an audit trail exported as JSON Lines (FILE, or "-" for stdin): every line's hash, the
chain of prev_hash links and the serial numbers, and with --hmac-key the HMAC chain too. Prints
"ok" with the entry count, or the first broken line and why (changed, removed, inserted or
reordered lines, a wrong key, a line that is not JSON).

  --hmac-key KEY   the key the trail was exported with (without it, HMAC fields are not checked)
  -h, --help       this text

A chain cannot show lines cut off its end: compare the entry count with what you expect.

Exit status: 0 intact; 1 broken; 2 for bad input.
`;

export const run: Command = async (argv, io) => {
  const bad = (message: string) => {
    io.stderr(`kavach audit: ${message}\nRun \`kavach audit --help\` for usage.\n`);
    return EXIT_BAD_INPUT;
  };
  let values: { 'hmac-key'?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: { 'hmac-key': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    }));
  } catch (e) {
    return bad((e as Error).message);
  }
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const [sub, file, ...extra] = positionals;
  if (sub !== 'verify') return bad(sub === undefined ? 'missing subcommand: verify' : `unknown subcommand "${sub}" (only "verify")`);
  if (file === undefined) return bad('missing FILE to verify');
  if (extra.length > 0) return bad(`unexpected argument "${extra[0]}"`);
  const key = values['hmac-key'];
  if (key === '') return bad('--hmac-key is empty: give the key the trail was exported with');

  let text: string;
  try {
    const bytes = file === '-' ? await io.readStdin() : new Uint8Array(readFileSync(resolve(io.cwd, file)));
    text = new TextDecoder().decode(bytes);
  } catch (e) {
    return bad(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const result = await verifyJsonl(text, { hmacKey: key });
  if (!result.ok) {
    io.stdout(`broken at line ${result.line}: ${result.reason}\n`);
    return 1;
  }
  io.stdout(`ok: ${result.entries} entr${result.entries === 1 ? 'y' : 'ies'}, ${
    result.hmacChecked ? 'hash chain and HMAC chain intact' : 'hash chain intact (HMAC not checked: no --hmac-key)'}\n`);
  return 0;
};
