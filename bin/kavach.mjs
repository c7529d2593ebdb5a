#!/usr/bin/env node
// The kavach CLI: the playground's engine in Node. It runs the plain JavaScript that `npm install`
// builds into dist-cli/ (scripts/build-cli.mjs): no TypeScript loader, no bundler at run time.
// Working on the CLI's sources, `npm run build:cli` rebuilds it; bin/kavach-dev.mjs runs the
// sources directly instead (through tsx).
import { existsSync } from 'node:fs';

const built = new URL('../dist-cli/cli.mjs', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write('kavach: the CLI is not built yet: run `npm install` (or `npm run build:cli`) in the kavach-playground folder\n');
  process.exit(2);
}
const { main } = await import(built.href);
process.exitCode = await main(process.argv.slice(2));
