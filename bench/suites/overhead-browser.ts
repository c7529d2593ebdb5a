/** Fuel-metering overhead in Chromium (the Node figures come from the instrument suite). */
import { withChromiumPage } from '../browser.ts';
import type { OverheadRow } from '../browser/overhead.ts';
import { geometricMean } from '../stats.ts';
import type { Figure, Suite } from '../types.ts';

export const run: Suite = async () => withChromiumPage('bench/browser/vite.config.ts', async (page, version) => {
  await page.goto('/overhead.html');
  await page.waitForFunction(() => (window as unknown as { __bench?: unknown }).__bench !== undefined, null, { timeout: 600_000 });
  const rows = await page.evaluate(() => (window as unknown as { __bench: OverheadRow[] | { error: string } }).__bench);
  if (!Array.isArray(rows)) throw new Error(`overhead page failed: ${rows.error}`);
  const ratios = rows.map((r) => r.ratio);
  const geomean = geometricMean(ratios);
  const worst = Math.max(...ratios);
  const figures: Figure[] = rows.map((r, i) => ({
    name: `${r.program}: metered / plain (${r.plainMs.toFixed(0)} ms plain; median of the pairs' ratios)`, value: ratios[i], unit: 'ratio',
  }));
  figures.push({ name: 'geometric mean', value: geomean, unit: 'ratio', target: '<= 1.10 (issue 14)', ok: geomean <= 1.10 });
  figures.push({ name: 'worst program', value: worst, unit: 'ratio', target: '<= 1.20 (issue 14)', ok: worst <= 1.20 });
  // The same programs with each module compiled once and reused, as the page's cache does for a
  // re-run: what the optimised code pays (the first figures are what a first run pays).
  const reused = rows.map((r) => r.ratioReused);
  const reusedFigures: Figure[] = rows.map((r) => ({ name: `${r.program}: metered / plain, module compiled once`, value: r.ratioReused, unit: 'ratio' }));
  reusedFigures.push({ name: 'geometric mean, modules compiled once', value: geometricMean(reused), unit: 'ratio' });
  reusedFigures.push({ name: 'worst program, modules compiled once', value: Math.max(...reused), unit: 'ratio' });
  return [
    { title: 'Fuel metering overhead (each run compiles its module: a first run)', runtime: version, figures },
    { title: 'Fuel metering overhead (modules compiled once and reused: a re-run from the page\u2019s cache)', runtime: version, figures: reusedFigures },
  ];
});
