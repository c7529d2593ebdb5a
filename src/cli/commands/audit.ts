/** `kavach audit verify`: check the hash chain (and HMAC chain) of an exported audit trail. */
import { verifyJsonl } from '../../core/audit/index.ts';
import type { Command } from '../io.ts';
import { badInput, parseCommand, readInput } from './common.ts';

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
  const bad = (message: string) => badInput(io, 'audit', message);
  const parsed = parseCommand(argv, io, 'audit', HELP, { 'hmac-key': { type: 'string' } });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [sub, file, ...extra] = positionals;
  if (sub !== 'verify') return bad(sub === undefined ? 'missing subcommand: verify' : `unknown subcommand "${sub}" (only "verify")`);
  if (file === undefined) return bad('missing FILE to verify');
  if (extra.length > 0) return bad(`unexpected argument "${extra[0]}"`);
  const key = values['hmac-key'];
  if (key === '') return bad('--hmac-key is empty: give the key the trail was exported with');

  const input = await readInput(io, file);
  if (!input.ok) return bad(input.message);
  const text = new TextDecoder().decode(input.bytes);
  const result = await verifyJsonl(text, { hmacKey: key });
  if (!result.ok) {
    io.stdout(`broken at line ${result.line}: ${result.reason}\n`);
    return 1;
  }
  io.stdout(`ok: ${result.entries} entr${result.entries === 1 ? 'y' : 'ies'}, ${
    result.hmacChecked ? 'hash chain and HMAC chain intact' : 'hash chain intact (HMAC not checked: no --hmac-key)'}\n`);
  return 0;
};
