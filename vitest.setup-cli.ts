/**
 * Vitest global setup: rebuild the CLI's JavaScript (dist-cli) from the current sources, so tests
 * that run `bin/kavach.mjs` as a process test this code, not what `npm install` built earlier.
 */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, [new URL('./scripts/build-cli.mjs', import.meta.url).pathname], { stdio: 'inherit' });
}
