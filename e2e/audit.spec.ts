import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { chooseExample, openPlayground, result, runToEnd } from './helpers.ts';

test('a write to a read-only mount is denied, and the result says which rule denied it', async ({ page }) => {
  await openPlayground(page);
  await chooseExample(page, 'Read-only attack');
  await runToEnd(page);
  await expect(result(page)).toContainText('exited with code 0');
  const denials = result(page).getByLabel('Denied calls');
  await expect(denials).toContainText('21 calls were denied by the policy');
  await expect(denials).toContainText('open for writing /data/input.txt denied: mount /data is read-only (policy rule 0)');
  await expect(denials).toContainText('ROFS');

  await denials.getByRole('button', { name: 'show in the audit log' }).click();
  const audit = page.getByRole('tabpanel', { name: /Audit log/ });
  await expect(audit.getByRole('checkbox', { name: /Denied only/ })).toBeChecked();
  await expect(audit.getByText('21 of ')).toBeVisible();
  await expect(audit.getByRole('row', { name: /path_unlink_file.*delete \/data\/keep\/file\.txt denied: mount \/data is read-only \(policy rule 0\)/ })).toBeVisible();
});

test('the audit log filters by function and path, and exports JSON lines', async ({ page }) => {
  await openPlayground(page);
  await chooseExample(page, 'Read-only attack');
  await runToEnd(page);
  await page.getByRole('tab', { name: /Audit log/ }).click();
  const audit = page.getByRole('tabpanel', { name: /Audit log/ });
  await audit.getByLabel('Function').selectOption('path_rename');
  await expect(audit.getByRole('row')).toHaveCount(3); // header + 2 renames
  await audit.getByLabel('Filter by path or argument').fill('moved_in');
  await expect(audit.getByRole('row')).toHaveCount(2);
  await expect(audit.getByRole('row').nth(1)).toContainText('rename to /data/moved_in.txt denied');
  // Read in full from the keyboard: the table takes the focus, the arrow keys choose an entry.
  await audit.getByLabel('Audit log entries').focus();
  await page.keyboard.press('ArrowDown');
  const detail = audit.getByLabel('Selected audit entry');
  await expect(detail).toContainText('path_rename');
  await expect(detail).toContainText('Denied: rename to /data/moved_in.txt denied: mount /data is read-only (policy rule 0)');

  const [file] = await Promise.all([page.waitForEvent('download'), audit.getByRole('button', { name: 'Export JSONL' }).click()]);
  // Named by the module and the time the run started.
  expect(file.suggestedFilename()).toMatch(/^ro_attack-audit-\d{4}-\d\d-\d\d-\d{6}\.jsonl$/);
  const lines = readFileSync((await file.path())!, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ kind: 'call', fn: 'path_rename', errnoName: 'ROFS', denial: { rule: 'landlock_rules[0]' } });
});

test('thousands of audit rows stay scrollable with only the visible ones in the page', async ({ page }) => {
  await openPlayground(page);
  await chooseExample(page, 'Output flood');
  await runToEnd(page);
  await page.getByRole('tab', { name: /Audit log/ }).click();
  const audit = page.getByRole('tabpanel', { name: /Audit log/ });
  const total = Number((await page.getByRole('tab', { name: /Audit log/ }).innerText()).replace(/\D/g, ''));
  expect(total).toBeGreaterThan(1000);
  expect(await audit.locator('tbody tr:not([aria-hidden])').count()).toBeLessThan(100);
  await audit.getByLabel('Audit log entries').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(audit.getByRole('row', { name: /destroyed/ })).toBeVisible();
  // Past the first 1,000 entries the clock is read every 16th call: the others say the interval
  // they were made in, and it lies inside the run.
  const between = audit.locator('td[title^="made between"]');
  await expect(between.first()).toBeVisible();
  const [from, until] = ((await between.first().getAttribute('title'))!.match(/[\d.]+/g) ?? []).map(Number);
  expect(until).toBeGreaterThanOrEqual(from);
  expect(from).toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/audit-tail.png' });
  // A dashed line marks where the dropped middle was, and says how many calls it held.
  const dropped = Number((await audit.getByText(/entries in the middle of the run were not kept/).innerText()).replace(/\D.*$/s, ''));
  expect(dropped).toBeGreaterThan(0);
  // Rows are drawn only near the view: scroll to where the 1,001st call sits (after 3 lifecycle entries).
  await audit.getByLabel('Audit log entries').evaluate((el, at) => (el.scrollTop = at * el.scrollHeight - el.clientHeight / 2), 1003 / total);
  const gap = audit.locator('tr.after-gap');
  await expect(gap.locator('td').first()).toHaveAttribute('title', `${dropped} calls before this one were not kept`);
  await page.screenshot({ path: 'test-results/audit-gap.png' });
});
