import { expect, test } from '@playwright/test';
import { limits, openPlayground } from './helpers.ts';

test('the strength score follows the policy, with kavach\'s number and the reasons', async ({ page }) => {
  await openPlayground(page);
  const gauge = page.getByRole('meter', { name: 'Playground strength score' });
  const before = Number(await gauge.getAttribute('aria-valuenow'));
  await limits(page).getByLabel('Memory cap in MiB (memory_limit_mb)').fill('64');
  await expect(gauge).toHaveAttribute('aria-valuenow', String(before + 2));
  await expect(page.getByText(/kavach would say \d+ \((minimal|basic|standard|hardened|fortress)\)/)).toBeVisible();
  await page.getByText('Why this score').click();
  await expect(page.getByRole('row', { name: /\+2 memory capped at 64 MiB/ })).toBeVisible();

  await limits(page).getByLabel('Timeout (timeout_ms)').fill('0');
  await limits(page).getByLabel('Memory cap in MiB (memory_limit_mb)').fill('');
  await expect(page.getByRole('row', { name: /-10 no limits at all/ })).toBeVisible();
  await expect(gauge).toHaveAttribute('aria-valuenow', String(before - 12));
});
