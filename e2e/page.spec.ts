import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { openPlayground } from './helpers.ts';

test('the initial JavaScript is at most 150 KB gzip; Monaco is not part of it', () => {
  const html = readFileSync('dist/index.html', 'utf8');
  const scripts = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+\.js)"/g)].map((m) => m[1]);
  expect(scripts.length).toBeGreaterThan(0);
  // The build's URLs are relative to the page ("./assets/…"), so they name files under dist/.
  const files = scripts.map((src) => join('dist', src));
  const sizes = files.map((file) => gzipSync(readFileSync(file)).length);
  const total = sizes.reduce((a, b) => a + b, 0);
  expect(total).toBeLessThanOrEqual(150 * 1024);
  // Monaco's chunk is editor-[hash].js (vite.config.ts); e2e/lazy-editor.spec.ts checks when it is fetched.
  expect(scripts.filter((src) => /\/editor-[^/]+\.js$/.test(src))).toEqual([]);
  for (const file of files) expect(readFileSync(file, 'utf8')).not.toContain('monaco-editor');
});

test('the page has a Content-Security-Policy without inline scripts', async ({ page }) => {
  await openPlayground(page);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval';");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(await page.locator('script:not([src])').count()).toBe(0);
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(false);
});

test('the theme follows the system and the toggle overrides it, remembered', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openPlayground(page);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(page.getByRole('button', { name: 'Switch to dark theme' })).toBeVisible();
});

test('tabs move with the arrow keys', async ({ page }) => {
  await openPlayground(page);
  await page.getByRole('tab', { name: 'Form' }).focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Files', exact: true })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Files', exact: true })).toHaveAttribute('aria-selected', 'true');
});
