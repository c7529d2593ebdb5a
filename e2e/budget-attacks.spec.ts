/**
 * The budget is the limit, attacked in the page: the same attack programs as the engine's tests
 * (attacks/src), run in a Web Worker through the page.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { openPlayground, output, replaceJson, result, runToEnd } from './helpers.ts';

const attack = (name: string) => readFileSync(new URL(`../attacks/wasm/${name}.wasm`, import.meta.url));

async function load(page: Page, name: string, policy: Record<string, unknown>): Promise<void> {
  await openPlayground(page);
  await page.getByLabel('Choose a .wasm file').setInputFiles({ name: `${name}.wasm`, mimeType: 'application/wasm', buffer: attack(name) });
  await expect(page.getByText(`${name}.wasm`, { exact: true })).toBeVisible();
  await replaceJson(page, JSON.stringify(policy));
}

test('a module that catches proc_exit(7) still exits 7, and nothing it prints after reaches the page', async ({ page }) => {
  await load(page, 'catch_exit', { timeout_ms: 5000 });
  await runToEnd(page);
  await expect(result(page)).toContainText('exited with code 7');
  await expect(result(page).getByTestId('exit-code')).toHaveText('7');
  await expect(output(page)).not.toContainText('survived');
});

test('16 MiB random_get calls stop when the fuel cannot pay for the next one, with no timeout', async ({ page }) => {
  await load(page, 'random_flood', { timeout_ms: 0, fuel: 100000000 });
  await runToEnd(page);
  await expect(result(page)).toContainText('out of fuel (budget 100,000,000)');
  // 100,000,000 fuel pays for five calls of 16,777,316 fuel each.
  await expect(output(page)).toContainText('.....');
  await expect(output(page)).not.toContainText('......');
});

test('an hour-long sleep under fuel only ends at once, out of fuel', async ({ page }) => {
  await load(page, 'sleep_forever', { timeout_ms: 0, fuel: 1000000000 });
  await runToEnd(page);
  await expect(result(page)).toContainText('out of fuel (budget 1,000,000,000)');
  await expect(output(page)).not.toContainText('awake');
});

test('twenty 1 GiB ftruncates under a 16 MiB memory cap are refused: the worker\'s filesystem is part of the cap', async ({ page }) => {
  await load(page, 'fsops', {
    timeout_ms: 20000, args: ['bombtrunc', '/m', '20', '1073741824', 'fill', '/m/big', '2147483648'],
    policy: { memory_limit_mb: 16, landlock_rules: [{ path: '/m', access: 'rw' }] },
  });
  await runToEnd(page);
  await expect(result(page)).toContainText('exited with code 0');
  await expect(output(page)).toContainText('bombtrunc /m: 0 made');
  await expect(output(page)).toContainText('bombtrunc /m: File too large');
  await expect(output(page)).toContainText('fill /m/big: No space left on device');
});

test('calls into a loop-free leaf stop at the budget in the page too: about budget / 200,000 loop passes', async ({ page }) => {
  await load(page, 'leaf_calls', { timeout_ms: 0, fuel: 100000000 });
  await runToEnd(page);
  await expect(result(page)).toContainText('out of fuel (budget 100,000,000)');
  // The module's dots come in one run; the sandbox's own messages are elsewhere in the pane.
  const dots = Math.max(...((await output(page).innerText()).match(/\.+/g) ?? ['']).map((d) => d.length));
  expect(dots).toBeGreaterThan(400);
  expect(dots).toBeLessThanOrEqual(550);
});
