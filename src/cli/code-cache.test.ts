/**
 * The built CLI starts on V8's code caches (code-cache.cjs), and V8 takes a cache only when the
 * process's flags are those it was made with. The CLI sets one flag, the WebAssembly tiering
 * budget (wasm-tiering.cjs), and must set it only after the caches are loaded: these tests hold
 * that, on dist-cli/ as `npm install` (here vitest's setup) builds it.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const DIST = new URL('../../dist-cli/', import.meta.url).pathname;

/** In a fresh Node: load code-cache.cjs as bin/kavach.mjs does, then `before`, then compile each file with its cache. */
function rejected(before: string): Record<string, boolean> {
  const script = `
    const { readFileSync } = require('node:fs');
    const { wrap } = require('node:module');
    const { Script } = require('node:vm');
    require(${JSON.stringify(`${DIST}code-cache.cjs`)});
    ${before}
    const out = {};
    for (const name of ['cli', 'worker']) {
      const file = ${JSON.stringify(DIST)} + name + '.cjs';
      const s = new Script(wrap(readFileSync(file, 'utf8')), { filename: file, cachedData: readFileSync(file.replace(/\\.cjs$/, '.cache')) });
      out[name] = s.cachedDataRejected;
    }
    process.stdout.write(JSON.stringify(out));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as Record<string, boolean>;
}

describe('the CLI code caches', () => {
  it('fit the flags a CLI process has when it loads them', () => {
    expect(rejected('')).toEqual({ cli: false, worker: false });
  });

  it('would not fit once the tiering budget is raised, which is why it is raised only after they are loaded', () => {
    expect(rejected(`require(${JSON.stringify(`${DIST}wasm-tiering.cjs`)}).raiseWasmTieringBudget();`)).toEqual({ cli: true, worker: true });
  });
});
