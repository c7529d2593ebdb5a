#!/usr/bin/env node
// Development only: the CLI straight from its TypeScript sources, through tsx (which keeps a
// compile cache in the temporary directory). Everyone else runs bin/kavach.mjs, which runs the
// built JavaScript.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
