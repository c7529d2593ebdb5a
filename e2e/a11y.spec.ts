/**
 * An axe scan of every view in both themes: the playground (its policy tabs, a run's output,
 * audit log and files), the share dialog, the tour, the gallery with a lesson run and the compare
 * view with both runs. No serious or critical violation may remain.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { chooseExample, limits, openJsonEditor, openPlayground, runToEnd } from './helpers.ts';

test.describe.configure({ timeout: 180_000 });

async function violations(page: Page, view: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${view}: ${v.id} (${v.impact}) at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

for (const theme of ['light', 'dark'] as const) {
  test(`no serious or critical axe violation in any view, ${theme} theme`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    await openPlayground(page);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    const found: string[] = [];
    const scan = async (view: string) => {
      found.push(...(await violations(page, view)));
      await page.screenshot({ path: `/tmp/kavach-page-shots/axe-${theme}-${view}.png` });
    };
    const tab = (name: string | RegExp) => page.getByRole('tab', { name, exact: typeof name === 'string' });

    await scan('playground');
    // A run that ends at a limit: the reason, the fix, the sandbox's message in the output.
    await chooseExample(page, 'Read-only attack');
    await expect(page.getByText('ro_attack.wasm', { exact: true })).toBeVisible();
    await runToEnd(page);
    await scan('run-output');
    await tab(/Audit log/).click();
    await page.getByLabel('Audit log entries').focus();
    await page.keyboard.press('ArrowDown');
    await scan('run-audit');
    await tab(/Files after run/).click();
    await scan('run-files');
    await limits(page).getByLabel('Fuel budget (fuel)').fill('1000');
    await tab('Output').click();
    await runToEnd(page);
    await expect(page.getByLabel('Why the run ended')).toBeVisible();
    await scan('fuel-ended');
    await limits(page).getByLabel('Fuel budget (fuel)').fill('');
    await limits(page).getByLabel('Memory cap in MiB (memory_limit_mb)').fill('-5');
    await scan('draft');
    await page.keyboard.press('Escape');

    await openJsonEditor(page);
    await scan('policy-json');
    await tab('Files').click();
    await scan('policy-files');
    await tab('Secrets').click();
    await scan('policy-secrets');
    await tab('Form').click();

    await page.getByRole('button', { name: 'Share / export' }).click();
    const dialog = page.getByRole('dialog', { name: 'Share and export' });
    await expect(dialog.getByRole('textbox', { name: 'Share link' })).toHaveValue(/#v\d+\./);
    await scan('share');
    await dialog.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: 'Tour', exact: true }).click();
    await expect(page.getByRole('region', { name: 'Guided tour' })).toBeVisible();
    await scan('tour');
    await page.getByRole('region', { name: 'Guided tour' }).getByRole('button', { name: 'End tour' }).click();

    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Gallery' }).click();
    const gallery = page.getByRole('main', { name: 'Example gallery' });
    await gallery.getByRole('button', { name: /^Hello/ }).click();
    await gallery.getByRole('button', { name: 'Run with its policy' }).click();
    await expect(gallery.getByLabel('First lines of stdout')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('source-viewer').locator('.view-lines')).toContainText('Hello', { timeout: 20_000 });
    await scan('gallery');

    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Compare' }).click();
    const compare = page.getByRole('main', { name: 'Compare two runs' });
    await compare.getByRole('button', { name: 'Run both' }).click();
    await expect(compare.getByLabel('Output of run B')).toBeVisible({ timeout: 30_000 });
    await scan('compare');

    expect(found).toEqual([]);
  });
}
