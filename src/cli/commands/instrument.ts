/** `kavach instrument in.wasm -o out.wasm [--fuel N] [--max-memory-mb N]`: write the metered copy. */
import { resolve } from 'node:path';
import { instrument, InstrumentError } from '../../core/index.ts';
import { EXIT_BAD_INPUT, EXIT_OK, type Command } from '../io.ts';
import { HostFileError, MAX_MODULE_BYTES, checkWritable, readHostFile, writeHostFile } from '../host-files.ts';
import { parseCommand } from './common.ts';

export const HELP = `usage: kavach instrument in.wasm -o out.wasm [--fuel N] [--max-memory-mb N]

Writes a copy of the module that counts fuel (exported globals __kavach_fuel_remaining, i64, and
__kavach_fuel_exhausted, i32) and traps when the budget is spent, with its memory maximum lowered
to the cap. It imports nothing the original did not, so it runs under node:wasi or wasmtime as is.
`;

export const run: Command = async (argv, io) => {
  const fail = (message: string) => {
    io.stderr(`kavach instrument: ${message}\n`);
    return EXIT_BAD_INPUT;
  };
  const parsed = parseCommand(argv, io, 'instrument', HELP, {
    output: { type: 'string', short: 'o' }, fuel: { type: 'string' }, 'max-memory-mb': { type: 'string' },
  }, { oneLine: true });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (values.fuel !== undefined && !/^\d+$/.test(values.fuel)) return fail(`--fuel expects a whole number, got "${values.fuel}"`);
  const mb = values['max-memory-mb'];
  if (mb !== undefined && (!/^\d+$/.test(mb) || Number(mb) < 1 || Number(mb) > 4096)) return fail(`--max-memory-mb expects 1-4096, got "${mb}"`);
  const fuel = values.fuel === undefined ? null : BigInt(values.fuel);
  const memoryLimitPages = mb === undefined ? null : Number(mb) * 16;
  const [input, extra] = positionals;
  const output = values.output;
  if (extra !== undefined) return fail(`unexpected argument ${extra}`);
  if (input === undefined || output === undefined) return fail('usage: kavach instrument in.wasm -o out.wasm [--fuel N] [--max-memory-mb N]');
  let bytes: Uint8Array;
  const target = resolve(io.cwd, output);
  try {
    bytes = readHostFile(resolve(io.cwd, input), 'module', MAX_MODULE_BYTES, input);
    checkWritable(target, 'the instrumented module');
  } catch (e) {
    if (e instanceof HostFileError) return fail(e.message);
    throw e;
  }
  try {
    const result = instrument(bytes, { fuel, memoryLimitPages });
    writeHostFile(target, result.bytes, 'the instrumented module');
    const s = result.stats;
    io.stderr(`${input}: ${s.inputBytes} -> ${s.outputBytes} bytes, ${s.functions} functions, ${s.meteredSegments} metered segments, ${s.millis.toFixed(1)} ms` +
      (s.droppedCustomSections.length > 0 ? `; dropped custom sections: ${s.droppedCustomSections.join(', ')}` : '') + '\n');
    return EXIT_OK;
  } catch (e) {
    if (e instanceof InstrumentError || e instanceof HostFileError) return fail(e.message);
    throw e;
  }
};
