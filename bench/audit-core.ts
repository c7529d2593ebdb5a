/**
 * The cost of recording every WASI call, the same way in Node and in Chromium: a syscall-heavy
 * program (bench/io/syscalls.c: write, seek and read on a file, 3 WASI calls per round) run by the
 * engine with and without the audit trail. Runs alternate in pairs (which goes first alternates
 * too) so that slow drifts of a shared machine hit both sides; the ratio is the median of the
 * pairs' ratios.
 */
import { Engine, parseDocument, type SpawnWorker } from '../src/core/index.ts';

export interface AuditCostRow {
  calls: number;
  plainMs: number;
  auditedMs: number;
  /** Median of audited / plain over the pairs. */
  ratio: number;
  /** Every pair's ratio, in run order, to show the spread. */
  pairRatios: number[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function measureAuditCost(spawn: SpawnWorker, module: Uint8Array, roundsList: number[], pairs: number): Promise<AuditCostRow[]> {
  const engine = new Engine(spawn, { prewarm: true });
  const time = async (rounds: number, auditCalls: boolean) => {
    const config = parseDocument({ args: [String(rounds)], timeout_ms: 120_000, policy: { landlock_rules: [{ path: '/tmp', access: 'rw' }] } });
    const r = await engine.run({ module, moduleName: 'syscalls.wasm', config, auditCalls }).result;
    if (!r.ok) throw new Error(`syscalls benchmark failed: ${r.error.message}`);
    if (r.result.exit_code !== 0) throw new Error(`syscalls benchmark exited ${r.result.exit_code}: ${r.result.stderr}`);
    return r.result.duration_ms;
  };
  const rows: AuditCostRow[] = [];
  try {
    for (const rounds of roundsList) {
      await time(rounds, false);
      await time(rounds, true);
      const plain: number[] = [];
      const audited: number[] = [];
      const pairRatios: number[] = [];
      for (let i = 0; i < pairs; i++) {
        let p: number;
        let a: number;
        if (i % 2 === 0) {
          p = await time(rounds, false);
          a = await time(rounds, true);
        } else {
          a = await time(rounds, true);
          p = await time(rounds, false);
        }
        plain.push(p);
        audited.push(a);
        pairRatios.push(a / p);
      }
      rows.push({ calls: rounds * 3, plainMs: median(plain), auditedMs: median(audited), ratio: median(pairRatios), pairRatios });
    }
  } finally {
    engine.dispose();
  }
  return rows;
}
