/** `kavach audit verify`: check the hash chain (and HMAC chain) of an exported audit trail. */
import { END_EVENT_TYPE, verifyJsonl } from '../../core/index.ts';
import { EXIT_AUDIT_INCOMPLETE, EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, type Command } from '../io.ts';
import { badInput, parseCommand, readInput } from './common.ts';

/** Most bytes `audit verify` reads: a run's trail (at most 10,000 entries) is a few MB. */
export const MAX_TRAIL_BYTES = 64 * 1024 * 1024;

export const HELP = `usage: kavach audit verify FILE [--hmac-key KEY]

Checks an audit trail exported as JSON Lines (FILE, or "-" for stdin): every line's hash, the
chain of prev_hash links and the serial numbers, that the trail ends with its ${END_EVENT_TYPE} record
(the number of entries and the final hash, which \`kavach run --audit\` writes last), and with
--hmac-key the HMAC chain too. Prints "ok" with the entry count, "incomplete" when the end record
is missing, or the first broken line and why (changed, removed, inserted or reordered lines, a
key written twice in one entry, a wrong key, a line that is not JSON).

  --hmac-key KEY   the key the trail was exported with (without it, HMAC fields are not checked)
  -h, --help       this text

Without a key, anyone can rebuild a whole chain, end record included: only the HMAC chain shows
that a trail is the one that was written, and whole. FILE is read up to 64 MiB.

Exit status: 0 complete and intact; 1 broken; 2 bad input (unreadable, empty, over 64 MiB, bad
arguments); 3 incomplete (intact, but without its end record: lines were cut off the end, or
the export did not finish).
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

  // Problems with the input itself take one line: usage help would not help.
  const refuse = (message: string) => {
    io.stderr(`kavach audit: ${message}\n`);
    return EXIT_BAD_INPUT;
  };
  const input = await readInput(io, file, MAX_TRAIL_BYTES);
  if (!input.ok) return refuse(input.message);
  let result;
  try {
    result = await verifyJsonl(input.bytes, { hmacKey: key });
  } catch (e) {
    return refuse(`cannot verify ${file}: ${(e as Error).message}`);
  }
  const chains = (hmacChecked: boolean) => (hmacChecked ? 'hash chain and HMAC chain intact' : 'hash chain intact (HMAC not checked: no --hmac-key)');
  const count = (n: number) => `${n} entr${n === 1 ? 'y' : 'ies'}`;
  switch (result.kind) {
    case 'empty':
      return refuse(`${file === '-' ? 'stdin' : file} is empty: not an audit trail`);
    case 'broken':
      io.stdout(`broken at line ${result.line}: ${result.reason}\n`);
      return EXIT_FAILURE;
    case 'incomplete':
      io.stdout(`incomplete: ${count(result.entries)}, ${chains(result.hmacChecked)}, but no ${END_EVENT_TYPE} record at the end: lines were cut off, or the export did not finish\n`);
      return EXIT_AUDIT_INCOMPLETE;
    case 'complete':
      io.stdout(`ok: ${count(result.entries)} and the ${END_EVENT_TYPE} record, ${chains(result.hmacChecked)}\n`);
      return EXIT_OK;
  }
};
