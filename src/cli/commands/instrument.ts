/** `kavach instrument in.wasm -o out.wasm [--fuel N] [--max-memory-mb N]`: write the metered copy. */
import { resolve } from 'node:path';
import { InstrumentError, instrument } from '../../core/instrument/index.ts';
import { EXIT_BAD_INPUT, type Command } from '../io.ts';
import { HostFileError, MAX_MODULE_BYTES, checkWritable, readHostFile, writeHostFile } from '../host-files.ts';

export const HELP = `usage: kavach instrument in.wasm -o out.wasm [--fuel N] [--max-memory-mb N]

Writes a copy of the module that counts fuel (exported globals __kavach_fuel_remaining, i64, and
__kavach_fuel_exhausted, i32) and traps when the budget is spent, with its memory maximum lowered
to the cap. It imports nothing the original did not, so it runs under node:wasi or wasmtime as is.
`;

export const run: Command = async (argv, io) => {
  let input: string | null = null;
  let output: string | null = null;
  let fuel: bigint | null = null;
  let memoryLimitPages: number | null = null;
  const fail = (message: string) => {
    io.stderr(`kavach instrument: ${message}\n`);
    return EXIT_BAD_INPUT;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => argv[++i];
    if (arg === '-h' || arg === '--help') {
      io.stdout(HELP);
      return 0;
    } else if (arg === '-o' || arg === '--output') output = next() ?? null;
    else if (arg === '--fuel') {
      const v = next();
      if (v === undefined || !/^\d+$/.test(v)) return fail(`--fuel expects a whole number, got "${v ?? ''}"`);
      fuel = BigInt(v);
    } else if (arg === '--max-memory-mb') {
      const v = next();
      if (v === undefined || !/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 4096) return fail(`--max-memory-mb expects 1-4096, got "${v ?? ''}"`);
      memoryLimitPages = Number(v) * 16;
    } else if (arg.startsWith('-')) return fail(`unknown option ${arg}`);
    else if (input === null) input = arg;
    else return fail(`unexpected argument ${arg}`);
  }
  if (input === null || output === null) return fail('usage: kavach instrument in.wasm -o out.wasm [--fuel N] [--max-memory-mb N]');
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
    return 0;
  } catch (e) {
    if (e instanceof InstrumentError || e instanceof HostFileError) return fail(e.message);
    throw e;
  }
};
