/**
 * Live stdin needs a cross-origin-isolated page (SharedArrayBuffer). This spec serves the same
 * build with the COOP/COEP headers (KAVACH_ISOLATED=1) on its own port and types into a running
 * module; the page without the headers offers no live stdin (the other specs run that way).
 */
import { expect, test } from '@playwright/test';
import { chooseExample } from './helpers.ts';
import { startPreview, type Preview } from './preview.ts';

const PORT = 4182;
const BASE = `http://127.0.0.1:${PORT}`;
let server: Preview | null = null;

test.use({ baseURL: BASE });

test.beforeAll(async () => {
  server = await startPreview(PORT, { env: { KAVACH_ISOLATED: '1' } });
});

test.afterAll(() => server?.stop());

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
