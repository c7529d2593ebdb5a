/**
 * The cost of recording every WASI call: a syscall-heavy program (3 WASI calls per round:
 * write, seek, read on a file) with and without the audit trail. Two lengths: the long run shows
 * the per-call cost of recording; the short one adds the fixed cost of describing and sending the
 * first entries live and the kept ones at the end, which a short run cannot amortise.
 */
import { readFileSync } from 'node:fs';
import { Engine, parseDocument } from '../../src/core/index.ts';
import { spawnNodeWorker } from '../../src/core/runner/spawn-node.ts';
import type { Figure, Suite } from '../types.ts';

const REPS = 5;

export const run: Suite = async () => {
  const module = new Uint8Array(readFileSync(new URL('../io/syscalls.wasm', import.meta.url)));
  const engine = new Engine(spawnNodeWorker, { prewarm: true });
  const time = async (rounds: number, auditCalls: boolean) => {
    const config = parseDocument({ args: [String(rounds)], timeout_ms: 120_000, policy: { landlock_rules: [{ path: '/tmp', access: 'rw' }] } });
    const r = await engine.run({ module, moduleName: 'syscalls.wasm', config, auditCalls }).result;
    if (!r.ok || r.result.exit_code !== 0) throw new Error('syscalls benchmark failed');
    return r.result.duration_ms;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const figures: Figure[] = [];
  for (const rounds of [100_000, 1_000_000]) {
    await time(rounds, false);
    await time(rounds, true);
    const plain: number[] = [];
    const audited: number[] = [];
    for (let i = 0; i < REPS; i++) {
      plain.push(await time(rounds, false));
      audited.push(await time(rounds, true));
    }
    const calls = rounds * 3;
    const ratio = median(audited) / median(plain);
    const perCallNs = ((median(audited) - median(plain)) * 1e6) / calls;
    const long = rounds === 1_000_000;
    figures.push(
      { name: `${calls.toLocaleString('en-US')} WASI calls, audit off`, value: median(plain), unit: 'ms' },
      { name: `${calls.toLocaleString('en-US')} WASI calls, every call audited`, value: median(audited), unit: 'ms' },
      {
        name: `${calls.toLocaleString('en-US')} calls: audited / not audited`, value: ratio, unit: 'ratio',
        ...(long ? { target: '<= 1.30', ok: ratio <= 1.3, note: `${perCallNs.toFixed(0)} ns per recorded call` } : { note: 'includes the fixed cost of the first 1,000 live entries and the 9,000 kept' }),
      },
    );
  }
  engine.dispose();
  return [{ title: 'Audit trail cost', runtime: `Node ${process.versions.node}`, figures }];
};
