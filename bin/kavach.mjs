#!/usr/bin/env node
// The kavach CLI: the playground's engine in Node. It runs the plain JavaScript that `npm install`
// builds into dist-cli/ (scripts/build-cli.mjs): no TypeScript loader, no bundler at run time.
// Working on the CLI's sources, `npm run build:cli` rebuilds it; bin/kavach-dev.mjs runs the
// sources directly instead (through tsx).
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

const built = new URL('../dist-cli/cli.mjs', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write('kavach: the CLI is not built yet: run `npm install` (or `npm run build:cli`) in the kavach-playground folder\n');
  process.exit(2);
}
// A run needs a worker, which takes longer to boot than the commands take to load: start it now
// (src/core/runner/spawn-node.ts picks it up). Nothing starts for other commands or for --help.
const [command, next] = process.argv.slice(2);
if ((command === 'run' || command === 'exec' || /\.(wasm|c|cc|cpp|cxx|wat)$/i.test(command ?? '')) && next !== '--help' && next !== '-h') {
  const worker = new Worker(new URL('../dist-cli/worker.cjs', import.meta.url));
  worker.unref();
  globalThis[Symbol.for('kavach.prestartedWorker')] = worker;
}
const { main } = await import(built.href);
process.exitCode = await main(process.argv.slice(2));
