#!/usr/bin/env node
// The kavach CLI: the playground's engine in Node. TypeScript sources run through tsx, so a fresh
// clone needs only `npm install`, no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
