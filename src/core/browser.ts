/**
 * The engine for a browser (the page): the public API of src/core/index.ts, and the two Web
 * Workers it starts, one per run and one that builds modules from source.
 */
export * from './index.ts';
export { spawnBrowserWorker } from './runner/spawn-browser.ts';
export { spawnBrowserCompileWorker } from './compile/spawn-browser.ts';
