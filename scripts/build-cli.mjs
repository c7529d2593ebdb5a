#!/usr/bin/env node
// Builds the CLI into plain JavaScript: dist-cli/cli.mjs (the commands, each a chunk loaded on
// demand) and dist-cli/worker.cjs (the run worker it starts; CommonJS, which a worker thread loads a
// little faster). `npm install` runs this (the package's `prepare` step), so the CLI starts without
// a TypeScript loader or a bundler, and runs no code from a temporary directory.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist-cli`;
// Chunks from an earlier build would otherwise pile up beside the new ones.
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  legalComments: 'none',
  // Less to parse at every start; names kept, so an error still says where it came from.
  minifyWhitespace: true,
  minifySyntax: true,
};
await Promise.all([
  build({
    ...common,
    entryPoints: { cli: `${root}src/cli/main.ts` },
    outdir: out,
    // Commands are loaded on demand, as in the sources: each command and what only it needs are
    // chunks of their own, so `kavach run` parses neither the instrumenter's CLI nor the policy
    // converters. Chunks sit beside cli.mjs, so `./worker.cjs` resolves from any of them.
    splitting: true,
    chunkNames: '[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    // The engine finds its worker beside the bundle instead of bundling one at run time.
    define: { KAVACH_BUILT_WORKER: '"./worker.cjs"' },
    // The compilers stay packages of their own, imported only by `kavach build` and `kavach run
    // prog.c`: a .wasm run starts without them, and @yowasp/clang finds its 105 MB of WebAssembly and sysroot beside its own script.
    external: ['esbuild', '@yowasp/clang', 'wabt'],
  }),
  build({ ...common, entryPoints: [`${root}src/core/runner/worker.node.ts`], outfile: `${out}/worker.cjs`, format: 'cjs' }),
]);
writeFileSync(`${out}/README.md`, 'Built by `npm install` (scripts/build-cli.mjs) from src/; not edited by hand, not committed.\n');
