/**
 * The cost of recording every WASI call (see bench/audit-core.ts), in Node and in Chromium. Two
 * lengths: the long run shows the per-call cost of recording; the short one adds the fixed cost of
 * describing and sending the first entries live, which a short run cannot amortise.
 */
import { readFileSync } from 'node:fs';
import { spawnNodeWorker } from '../../src/core/runner/node/spawn-node.ts';
import { measureAuditCost, type AuditCostRow } from '../audit-core.ts';
import { withChromiumPage } from '../browser.ts';
import type { Figure, Section, Suite } from '../types.ts';

const ROUNDS = [100_000, 500_000];
const PAIRS = 21;

function figures(rows: AuditCostRow[]): Figure[] {
  return rows.flatMap((r) => {
    const calls = r.calls.toLocaleString('en-US');
    const long = r.calls === Math.max(...rows.map((x) => x.calls));
    // The cost per call from the paired ratio; the ratio of the two medians is shown beside it,
    // as the same data read without pairing.
    const perCallNs = ((r.ratio - 1) * r.plainMs * 1e6) / r.calls;
    const spread = `pairs ${Math.min(...r.pairRatios).toFixed(2)}–${Math.max(...r.pairRatios).toFixed(2)}, ratio of the medians ${(r.auditedMs / r.plainMs).toFixed(2)}`;
    return [
      { name: `${calls} WASI calls, audit off`, value: r.plainMs, unit: 'ms' },
      { name: `${calls} WASI calls, every call audited`, value: r.auditedMs, unit: 'ms' },
      {
        name: `${calls} calls: audited / not audited`, value: r.ratio, unit: 'ratio',
        ...(long
          ? { target: '<= 1.30', ok: r.ratio <= 1.3, note: `median of ${r.pairRatios.length} pairs' ratios (${spread}); about ${perCallNs.toFixed(0)} ns per recorded call` }
          : { note: `median of ${r.pairRatios.length} pairs' ratios (${spread}); includes the fixed cost of the first 1,000 live entries` }),
      },
    ] satisfies Figure[];
  });
}

async function node(): Promise<Section> {
  const module = new Uint8Array(readFileSync(new URL('../io/syscalls.wasm', import.meta.url)));
  const rows = await measureAuditCost(spawnNodeWorker, module, ROUNDS, PAIRS);
  return { title: 'Audit trail cost', runtime: `Node ${process.versions.node}`, figures: figures(rows) };
}

async function chromium(): Promise<Section> {
  return withChromiumPage('bench/browser/vite.config.ts', async (page, version) => {
    await page.goto(`/audit.html?rounds=${ROUNDS.join(',')}&pairs=${PAIRS}`);
    await page.waitForFunction(() => (window as unknown as { __bench?: unknown }).__bench !== undefined, null, { timeout: 900_000 });
    const rows = await page.evaluate(() => (window as unknown as { __bench: AuditCostRow[] | { error: string } }).__bench);
    if (!Array.isArray(rows)) throw new Error(`audit page failed: ${rows.error}`);
    return { title: 'Audit trail cost', runtime: version, figures: figures(rows) };
  });
}

export const run: Suite = async () => [await node(), await chromium()];
