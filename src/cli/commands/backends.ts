/** `kavach backends`: kavach's backends, and which of them runs here, in kavach's table. */
import { EXIT_OK, type Command } from '../io.ts';
import { badInput, parseCommand } from './common.ts';
import { KAVACH_BACKENDS, RUNS_HERE } from './kavach-cli.ts';

export const HELP = `usage: kavach backends

Lists the backends kavach knows and whether each is available, in kavach's own table. Here only
wasm is: the playground runs WASI modules in a worker. The others can still be scored
(\`kavach score -b NAME\`). kavach's noop backend, available everywhere in kavach, runs nothing
here either.

  -h, --help   this text

Exit status: 0; 2 for bad input.
`;

export const run: Command = async (argv, io) => {
  const parsed = parseCommand(argv, io, 'backends', HELP, {});
  if (typeof parsed === 'number') return parsed;
  if (parsed.positionals.length > 0) return badInput(io, 'backends', `unexpected argument "${parsed.positionals[0]}"`);
  // main.rs:160-166: "{:<15} AVAILABLE", then "{:<15} yes|no" per backend.
  io.stdout([
    `${'BACKEND'.padEnd(15)} AVAILABLE`,
    ...KAVACH_BACKENDS.map(({ backend, name }) => `${name.padEnd(15)} ${RUNS_HERE.has(backend) ? 'yes' : 'no'}`),
    '',
  ].join('\n'));
  return EXIT_OK;
};
