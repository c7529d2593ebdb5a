/** The page's one Engine: a booted worker is kept ready so that Run starts at once. */
import { Engine } from '../core/index.ts';
import { spawnBrowserWorker } from '../core/runner/spawn-browser.ts';

let engine: Engine | null = null;

export function getEngine(): Engine {
  engine ??= new Engine(spawnBrowserWorker, { prewarm: true });
  return engine;
}
