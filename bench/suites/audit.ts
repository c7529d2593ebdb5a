/** The cost of recording every WASI call: a syscall-heavy program with and without the audit trail. */
import { readFileSync } from 'node:fs';
import { Engine, parseDocument } from '../../src/core/index.ts';
import { spawnNodeWorker } from '../../src/core/runner/spawn-node.ts';
import type { Suite } from '../types.ts';

const ROUNDS = 100_000; // 3 WASI calls per round
const REPS = 7;

export const run: Suite = async () => {
  const module = new Uint8Array(readFileSync(new URL('../io/syscalls.wasm', import.meta.url)));
  const engine = new Engine(spawnNodeWorker, { prewarm: true });
  const config = parseDocument({ args: [String(ROUNDS)], timeout_ms: 60_000, policy: { landlock_rules: [{ path: '/tmp', access: 'rw' }] } });
  const time = async (auditCalls: boolean) => {
    const r = await engine.run({ module, moduleName: 'syscalls.wasm', config, auditCalls, auditLimit: Number(process.env.AL ?? 20000) }).result;
    if (!r.ok || r.result.exit_code !== 0) throw new Error('syscalls benchmark failed');
    return r.result.duration_ms;
  };
  await time(false);
  await time(true);
  const plain: number[] = [];
  const audited: number[] = [];
  for (let i = 0; i < REPS; i++) {
    plain.push(await time(false));
    audited.push(await time(true));
  }
  engine.dispose();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ratio = median(audited) / median(plain);
  return [{
    title: 'Audit trail cost',
    runtime: `Node ${process.versions.node}`,
    figures: [
      { name: `syscalls (${ROUNDS * 3} WASI calls), audit off`, value: median(plain), unit: 'ms' },
      { name: 'same, every call audited', value: median(audited), unit: 'ms' },
      { name: 'audited / not audited', value: ratio, unit: 'ratio', target: '<= 1.30', ok: ratio <= 1.3 },
    ],
  }];
};
