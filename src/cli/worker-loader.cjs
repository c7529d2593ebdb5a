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
}
