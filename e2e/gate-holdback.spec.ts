import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { openPlayground, output, result, runToEnd } from './helpers.ts';

const DRIP_KEY = readFileSync(new URL('../attacks/wasm/drip_key.wasm', import.meta.url));

test('a key written one byte at a time never reaches the page, not even in part', async ({ page }) => {
  await openPlayground(page);
  await page.getByLabel('Choose a .wasm file').setInputFiles({ name: 'drip_key.wasm', mimeType: 'application/wasm', buffer: DRIP_KEY });
  await expect(page.getByText('drip_key.wasm', { exact: true })).toBeVisible();
  // Everything the output pane ever shows, as it changes during the run.
  await page.getByRole('log', { name: 'Output' }).evaluate((el) => {
    const seen: string[] = [];
    (window as unknown as { __seen: string[] }).__seen = seen;
    new MutationObserver(() => seen.push(el.textContent ?? '')).observe(el, { childList: true, subtree: true, characterData: true });
  });

  await runToEnd(page);
  await expect(output(page)).toHaveText('dripping a key one byte at a time\nkey=');
  const gate = result(page).getByLabel('Output gate');
  await expect(gate).toContainText('output blocked at stdout character 38 (aws_access_key');
  const seen = await page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
  expect(seen.length).toBeGreaterThan(0);
  for (const text of seen) expect(text).toMatch(/^(dripping a key one byte at a time\n(key=)?)?$/);
});
