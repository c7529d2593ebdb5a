/** The page's one Engine: a booted worker is kept ready so that Run starts at once. */
import { Engine, spawnBrowserWorker } from '../core/browser.ts';

let engine: Engine | null = null;

export function getEngine(): Engine {
  engine ??= new Engine(spawnBrowserWorker, { prewarm: true });
  return engine;
}
