/**
 * Runs one conformance program under node:wasi, in its own process (node:wasi writes to the
 * process's stdout directly). Usage: node --import tsx node-wasi-child.ts PROGRAM.wasm SANDBOX RO
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { WASI } from 'node:wasi';
import { ARGS, ENV, READ_ONLY, SANDBOX } from './suite.ts';

const [wasmFile, sandbox, readOnly] = process.argv.slice(2);
const wasi = new WASI({
  version: 'preview1',
  args: [basename(wasmFile), ...ARGS],
  env: Object.fromEntries(ENV),
  preopens: { [SANDBOX]: sandbox, [READ_ONLY]: readOnly },
  returnOnExit: true,
});
const { instance } = await WebAssembly.instantiate(readFileSync(wasmFile), wasi.getImportObject() as WebAssembly.Imports);
process.exitCode = wasi.start(instance);
