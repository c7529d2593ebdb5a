/**
 * Runs one conformance program under the plain @bjorn3/browser_wasi_shim 0.4.2, with its own
 * in-memory directories (the read-only tree as its `readonly` files), in its own process: its
 * poll_oneoff busy-waits and can spin forever. Usage: node --import tsx shim-child.ts PROGRAM.wasm
 * (the host directories the runner passes are not used). A crash is reported on stderr as
 * "CRASH <message>": 0.4.2 throws plain strings for sockets and proc_raise.
 */
import { readFileSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { ConsoleStdout, Directory, File, OpenFile, PreopenDirectory, WASI, type Inode } from '@bjorn3/browser_wasi_shim';
import { ARGS, ENV, READ_ONLY, READ_ONLY_FILES, SANDBOX, STDIN } from './suite.ts';

function tree(files: Record<string, string>): Map<string, Inode> {
  const root = new Map<string, Inode>();
  for (const [path, text] of Object.entries(files)) {
    const parts = path.split('/');
    let dir = root;
    for (const part of parts.slice(0, -1)) {
      let next = dir.get(part);
      if (!(next instanceof Directory)) {
        next = new Directory(new Map());
        dir.set(part, next);
      }
      dir = (next as Directory).contents;
    }
    dir.set(parts[parts.length - 1], new File(new TextEncoder().encode(text), { readonly: true }));
  }
  return root;
}

const wasmFile = process.argv[2];
const fds = [
  new OpenFile(new File(new TextEncoder().encode(STDIN))),
  new ConsoleStdout((b) => void writeSync(1, b)),
  new ConsoleStdout((b) => void writeSync(2, b)),
  new PreopenDirectory(SANDBOX, new Map()),
  new PreopenDirectory(READ_ONLY, tree(READ_ONLY_FILES)),
];
const shim = new WASI([basename(wasmFile), ...ARGS], ENV.map(([k, v]) => `${k}=${v}`), fds, { debug: false });
try {
  const { instance } = await WebAssembly.instantiate(readFileSync(wasmFile), { wasi_snapshot_preview1: shim.wasiImport });
  process.exitCode = shim.start(instance as never);
} catch (e) {
  writeSync(2, `\nCRASH ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 134;
}
