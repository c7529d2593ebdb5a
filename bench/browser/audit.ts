/** The audit trail's cost in the browser: the engine in Web Workers, as the playground runs it. */
import { measureAuditCost } from '../audit-core.ts';
import { spawnBrowserWorker } from '../../src/core/runner/spawn-browser.ts';
import syscallsUrl from '../io/syscalls.wasm?url';

async function main(): Promise<void> {
  const module = new Uint8Array(await (await fetch(syscallsUrl)).arrayBuffer());
  const params = new URLSearchParams(location.search);
  const rounds = (params.get('rounds') ?? '100000,1000000').split(',').map(Number);
  const rows = await measureAuditCost(spawnBrowserWorker, module, rounds, Number(params.get('pairs') ?? 7));
  (window as unknown as { __bench: unknown }).__bench = rows;
  document.getElementById('status')!.textContent = 'done';
}

main().catch((e) => {
  (window as unknown as { __bench: unknown }).__bench = { error: String(e) };
});
