/**
 * The engine for Node (the CLI): the public API of src/core/index.ts, and what only Node can do:
 * run workers on worker_threads, and load the compilers in this thread (the page builds in a
 * compile worker instead, src/core/browser.ts).
 */
export * from './index.ts';
export { spawnNodeWorker } from './runner/node/spawn-node.ts';
export { toolchain } from './compile/toolchain.ts';
