'use strict';
// Runs a built CommonJS file of dist-cli/ as Node would, but with V8's code cache for it: the file
// beside it with the extension .cache, made by scripts/build-cli.mjs after running the code the
// CLI needs (a warm-up run for the worker, `run --help` for the commands). A process then starts
// on compiled code instead of parsing and compiling some 600 KB of JavaScript, which otherwise
// takes a good part of a short `kavach run`. V8 checks a cache against the source, its own version
// and its flags, and ignores one that does not fit: the file is then compiled as usual.
// Plain JavaScript, copied into dist-cli/ as it is: it runs before anything is compiled.
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { wrap } = require('node:module');
const { dirname } = require('node:path');
const { Script } = require('node:vm');

// Node 20 runs no import() inside a vm.Script without --experimental-vm-modules, so the build
// turns the bundle's import() of the packages it leaves outside (the compilers) into a call of
// this function, which imports them from here (dist-cli/, as the bundle itself would).
globalThis[Symbol.for('kavach.import')] = (specifier) => import(specifier);

/** Runs `file` (absolute) with its code cache; returns its exports and a way to save its cache. */
function loadCached(file) {
  const cacheFile = file.replace(/\.cjs$/, '.cache');
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(wrap(readFileSync(file, 'utf8')), {
    filename: file,
    cachedData,
  });
  const module = { exports: {}, filename: file, id: file, loaded: false };
  script.runInThisContext()(module.exports, require, module, file, dirname(file));
  module.loaded = true;
  return {
    exports: module.exports,
    /** Build time only: keep the code compiled so far (atomically, so a reader never sees half). */
    saveCache() {
      writeFileSync(`${cacheFile}.tmp`, script.createCachedData());
      renameSync(`${cacheFile}.tmp`, cacheFile);
    },
  };
}

module.exports = { loadCached };
