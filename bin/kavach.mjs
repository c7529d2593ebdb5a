#!/usr/bin/env node
// The kavach CLI: the playground's engine in Node. It runs the plain JavaScript that `npm install`
// builds into dist-cli/ (scripts/build-cli.mjs), with V8's code cache made there: no TypeScript
// loader, no bundler and no compiling of our sources at run time. Working on the CLI's sources,
// `npm run build:cli` rebuilds it; bin/kavach-dev.mjs runs the sources directly instead (tsx).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const dist = fileURLToPath(new URL('../dist-cli/', import.meta.url));
if (!existsSync(`${dist}cli.cjs`)) {
  process.stderr.write('kavach: the CLI is not built yet: run `npm install` (or `npm run build:cli`) in the kavach-playground folder\n');
  process.exit(2);
}
// A run needs a worker, which takes longer to boot than the commands take to load: start it now
// (src/core/runner/node/spawn-node.ts picks it up). Nothing starts for other commands or for --help.
const [command, next] = process.argv.slice(2);
if ((command === 'run' || command === 'exec' || /\.(wasm|c|cc|cpp|cxx|wat)$/i.test(command ?? '')) && next !== '--help' && next !== '-h') {
  const worker = new Worker(`${dist}worker-loader.cjs`);
  worker.unref();
  globalThis[Symbol.for('kavach.prestartedWorker')] = worker;
}
const { loadCached } = createRequire(import.meta.url)(`${dist}code-cache.cjs`);
const { main } = loadCached(`${dist}cli.cjs`).exports;
process.exitCode = await main(process.argv.slice(2));
