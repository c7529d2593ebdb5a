/**
 * Live stdin needs a cross-origin-isolated page (SharedArrayBuffer). This spec serves the same
 * build with the COOP/COEP headers (KAVACH_ISOLATED=1) on its own port and types into a running
 * module; the page without the headers offers no live stdin (the other specs run that way).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { chooseExample } from './helpers.ts';

const PORT = 4182;
const BASE = `http://127.0.0.1:${PORT}`;
let server: ChildProcess | null = null;

test.use({ baseURL: BASE });

test.beforeAll(async () => {
  server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'], {
    stdio: 'ignore', detached: true, env: { ...process.env, KAVACH_ISOLATED: '1' },
  });
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(BASE)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${BASE} did not come up`);
});

test.afterAll(() => {
  if (server?.pid !== undefined) process.kill(-server.pid, 'SIGTERM');
});

test('in an isolated page, lines typed while the module runs reach its stdin', async ({ page }) => {
  await page.goto('/');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await chooseExample(page, 'Echo stdin');
  await page.getByRole('button', { name: 'Run' }).click();
  const input = page.getByRole('textbox', { name: 'Type to stdin' });
  await expect(input).toBeVisible();
  await input.fill('typed while running');
  await input.press('Enter');
  await expect(page.getByRole('log', { name: 'Output' })).toContainText('typed while running');
  await page.getByRole('button', { name: 'End input' }).click();
  await expect(page.getByText(/exited with code 0/)).toBeVisible();
  await expect(input).toBeHidden();
});
