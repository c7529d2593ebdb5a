/** Fuel-metering overhead in Chromium (the Node figures come from the instrument suite). */
import { withChromiumPage } from '../browser.ts';
import type { OverheadRow } from '../browser/overhead.ts';
import type { Figure, Suite } from '../types.ts';

export const run: Suite = async () => withChromiumPage('bench/browser/vite.config.ts', async (page, version) => {
  await page.goto('/overhead.html');
  await page.waitForFunction(() => (window as unknown as { __bench?: unknown }).__bench !== undefined, null, { timeout: 600_000 });
  const rows = await page.evaluate(() => (window as unknown as { __bench: OverheadRow[] | { error: string } }).__bench);
  if (!Array.isArray(rows)) throw new Error(`overhead page failed: ${rows.error}`);
  const ratios = rows.map((r) => r.ratio);
  const geomean = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
  const worst = Math.max(...ratios);
  const figures: Figure[] = rows.map((r, i) => ({
    name: `${r.program}: metered / plain (${r.plainMs.toFixed(0)} ms plain; median of the pairs' ratios)`, value: ratios[i], unit: 'ratio',
  }));
  figures.push({ name: 'geometric mean', value: geomean, unit: 'ratio', target: '<= 1.10 (issue 14)', ok: geomean <= 1.10 });
  figures.push({ name: 'worst program', value: worst, unit: 'ratio', target: '<= 1.20 (issue 14)', ok: worst <= 1.20 });
  return [{ title: 'Fuel metering overhead', runtime: version, figures }];
});
