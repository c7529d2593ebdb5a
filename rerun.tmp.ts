import { readFileSync } from 'node:fs';
import { Engine } from './src/core/runner/engine.ts';
import { spawnNodeWorker } from './src/core/runner/spawn-node.ts';
import { parseDocument } from './src/core/policy/index.ts';
const hello = new Uint8Array(readFileSync('public/examples/hello.wasm'));
const engine = new Engine(spawnNodeWorker, { prewarm: true });
const config = parseDocument({});
for (let i = 0; i < 12; i++) {
  await new Promise((r) => setTimeout(r, 300));
  const t = performance.now();
  const r = await engine.run({ module: hello, moduleName: 'hello.wasm', config }).result;
  const ms = performance.now() - t;
  if (!r.ok) throw new Error(r.error.message);
  console.log(ms.toFixed(1), r.result.module.cached, r.result.duration_ms.toFixed(2));
}
engine.dispose();
