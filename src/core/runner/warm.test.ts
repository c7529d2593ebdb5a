import { readFileSync } from 'node:fs';
import wabtInit from 'wabt';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../policy/load.ts';
import { planRun } from './plan.ts';
import { WARM_MODULE, WARM_MODULE_WAT, warmUp } from './warm.ts';
import { Engine } from './engine.ts';
import { spawnNodeWorker } from './node/spawn-node.ts';

describe('warming a spare worker', () => {
  it('uses a module that is its source text assembled', async () => {
    const wabt = await wabtInit();
    const bytes = new Uint8Array(wabt.parseWat('warm.wat', WARM_MODULE_WAT).toBinary({}).buffer);
    expect(bytes).toEqual(WARM_MODULE);
  });

  it('runs the warm-up module to its end through the guest path, under fuel', async () => {
    // warmUp swallows failures, so check the same path does not fail: the module is valid,
    // imports only WASI, and returns normally.
    expect(WebAssembly.validate(WARM_MODULE)).toBe(true);
    const plan = planRun(parseDocument({ timeout_ms: 1000 }), { moduleName: 'warm.wasm' });
    await expect(warmUp(plan)).resolves.toBeUndefined();
    const module = await WebAssembly.compile(WARM_MODULE);
    expect(WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}`)).toEqual(['wasi_snapshot_preview1.fd_write']);
  });

  it('leaves the guest a whole run of its own in the warmed worker', async () => {
    const hello = new Uint8Array(readFileSync(new URL('../../../public/examples/hello.wasm', import.meta.url)));
    const trace = async (engine: Engine) => {
      const r = await engine.run({ module: hello, moduleName: 'hello.wasm', config: parseDocument({}) }).result;
      if (!r.ok) throw new Error(r.error.message);
      const calls = r.result.audit.events.flatMap((e) => (e.kind === 'call' ? [e.fn] : []));
      return { stdout: r.result.stdout, calls, fuel: r.result.fuel.consumed };
    };
    const cold = new Engine(spawnNodeWorker); // no spare, so no warm-up
    const warm = new Engine(spawnNodeWorker, { prewarm: true });
    try {
      const expected = await trace(cold);
      expect(expected.stdout).toBe('Hello from WebAssembly!\n');
      for (let i = 0; i < 3; i++) {
        // The warm-up's own output, calls and fuel never reach the guest's run.
        expect(await trace(warm)).toEqual(expected);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      cold.dispose();
      warm.dispose();
    }
  });
});
