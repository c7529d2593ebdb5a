import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { chooseExample, openPlayground, output, runToEnd } from './helpers.ts';

/** Run, then return the output text and the audit log as exported (JSON lines). */
async function runAndCapture(page: Page): Promise<{ text: string; audit: string }> {
  await runToEnd(page);
  await expect(page.getByRole('region', { name: 'Result' })).toContainText('exited with code 0');
  const text = await output(page).innerText();
  await page.getByRole('tab', { name: /Audit log/ }).click();
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSONL' }).click()]);
  const audit = readFileSync((await file.path())!, 'utf8');
  await page.getByRole('tab', { name: 'Output', exact: true }).click();
  return { text, audit };
}

test('a deterministic run repeats byte for byte: output and audit log; the real clock does not', async ({ page }) => {
  await openPlayground(page);
  await chooseExample(page, 'Clocks and randomness');
  const form = page.getByRole('form', { name: 'Policy form' });
  const gauge = page.getByRole('meter', { name: 'Playground strength score' });
  const before = Number(await gauge.getAttribute('aria-valuenow'));

  await form.getByLabel(/Deterministic/).check();
  await expect(gauge).toHaveAttribute('aria-valuenow', String(before + 1));
  await form.getByLabel('Clock start (ms)').fill('1700000000000');
  await form.getByLabel('Step (ns per read)').fill('1000');
  await form.getByLabel('Random seed').fill('42');
  await expect(form).toContainText('2023-11-14 22:13:20 UTC');

  const first = await runAndCapture(page);
  const second = await runAndCapture(page);
  expect(first.text).toContain('realtime: 1700000000.000001000 s');
  expect(first.text).toContain('getentropy(16): 7cefe1998a2bc372c0323bdaadb073ab');
  expect(second.text).toBe(first.text);
  expect(second.audit).toBe(first.audit);
  expect(first.audit.split('\n').length).toBeGreaterThan(10);
  // This is the lesson's change, so the page checks it against the lesson too.
  await expect(page.getByRole('region', { name: 'Result' }).getByTestId('lesson-check')).toContainText('✓ As the lesson says for the lesson\'s change');

  await form.getByLabel(/Deterministic/).uncheck();
  await expect(gauge).toHaveAttribute('aria-valuenow', String(before));
  const real1 = await runAndCapture(page);
  const real2 = await runAndCapture(page);
  expect(real2.text).not.toBe(real1.text);
});

test('a long sleep is killed at the timeout, and wakes at once on the virtual clock', async ({ page }) => {
  await openPlayground(page);
  await chooseExample(page, 'Long sleep');
  await runToEnd(page);
  await expect(page.getByRole('region', { name: 'Result' })).toContainText('timed out after 2000 ms');
  await page.getByRole('form', { name: 'Policy form' }).getByLabel(/Deterministic/).check();
  await runToEnd(page);
  // A real one-minute sleep would have been killed at the 2 s timeout before waking.
  await expect(output(page)).toContainText('woke up');
});
