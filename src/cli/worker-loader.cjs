'use strict';
// The run worker's entry in the built CLI (dist-cli/worker-loader.cjs): dist-cli/worker.cjs with
// its code cache (code-cache.cjs). At build time (workerData.kavachMakeCodeCache) it saves that
// cache once the warm-up run has compiled the run path, and ends.
const { join } = require('node:path');
const { workerData } = require('node:worker_threads');
const { loadCached } = require('./code-cache.cjs');

if (workerData && workerData.kavachMakeCodeCache === true) {
  let loaded = null;
  globalThis[Symbol.for('kavach.warmedUp')] = () => {
    loaded.saveCache();
    process.exit(0); // in a worker: ends this thread only
  };
  loaded = loadCached(join(__dirname, 'worker.cjs'));
} else {
  loadCached(join(__dirname, 'worker.cjs'));
  // Its code loaded, and the commands' code too by the time a message comes: V8 may now run a
  // run's WebAssembly with the CLI's tiering budget (wasm-tiering.cjs). Not at build time, where
  // the cache saved must fit the flags a worker loads it with.
  require('node:worker_threads').parentPort.once('message', () => require('./wasm-tiering.cjs').raiseWasmTieringBudget());
}
