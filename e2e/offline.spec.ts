import { expect, test } from '@playwright/test';

test.use({ serviceWorkers: 'allow' });

test('once loaded, the page works offline: reload, pick an example, run it', async ({ page, context }) => {
  await page.goto('/');
  await expect(page.getByText('hello.wasm', { exact: true })).toBeVisible();
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // A second load goes through the service worker, which keeps what the page fetches.
  await page.reload();
  await expect(page.getByText('hello.wasm', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByText('Hello from WebAssembly!')).toBeVisible();

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByText('hello.wasm', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByText('Hello from WebAssembly!')).toBeVisible();
  await expect(page.getByText(/exited with code 0/)).toBeVisible();
});
