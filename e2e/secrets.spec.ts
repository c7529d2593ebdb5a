import { expect, test } from '@playwright/test';
import { chooseExample, jsonText, openJsonEditor, openPlayground, output, result, runToEnd } from './helpers.ts';

const VALUE = 'hunter2-very-secret';

test('a registered secret is injected, redacted from output, and never written into the policy', async ({ page }) => {
  await openPlayground(page);
  await chooseExample(page, 'Secret snoop');
  await page.getByRole('tab', { name: 'Secrets' }).click();
  // The example names two secrets and registers demonstration values for them.
  const used = page.getByRole('list').filter({ hasText: 'as env API_TOKEN' });
  await expect(used.getByText('registered', { exact: true })).toHaveCount(2);
  await expect(used).toContainText('as file /secrets/DB_PASSWORD');

  const form = page.getByRole('form', { name: 'Register a secret' });
  await form.getByLabel('Name').fill('MY_TOKEN');
  await form.getByLabel('Value').fill(VALUE);
  await form.getByLabel('Inject').selectOption('env');
  await form.getByRole('button', { name: 'Register' }).click();
  await expect(page.getByText('as env MY_TOKEN')).toBeVisible();

  // A second one as a file: the read-only /secrets mount holds it.
  await form.getByLabel('Name').fill('SESSION_KEY');
  await form.getByLabel('Value').fill('pa55-word-xyz');
  await form.getByLabel('Inject').selectOption('file');
  await form.getByRole('button', { name: 'Register' }).click();
  await expect(page.getByText('as file /secrets/SESSION_KEY')).toBeVisible();

  await runToEnd(page);
  await expect(result(page)).toContainText('exited with code 0');
  await expect(output(page)).toContainText('env MY_TOKEN=[REDACTED:secret:MY_TOKEN]');
  await expect(output(page)).toContainText('[REDACTED:secret:SESSION_KEY]');
  await expect(output(page)).toContainText('env API_TOKEN=[REDACTED:secret:API_TOKEN]');
  await expect(output(page)).not.toContainText(VALUE);
  await expect(output(page)).not.toContainText('pa55-word-xyz');

  const editor = await openJsonEditor(page);
  // The secret references are at the end of the document.
  await editor.focus();
  await page.keyboard.press('ControlOrMeta+End');
  await expect(jsonText(page)).toContainText('"EnvVar"');
  expect(await page.content()).not.toContain(VALUE);
});

test('a policy naming a secret nobody registered fails with a credential error', async ({ page }) => {
  await openPlayground(page);
  await page.getByRole('tab', { name: 'Secrets' }).click();
  const form = page.getByRole('form', { name: 'Register a secret' });
  await form.getByLabel('Name').fill('TOKEN');
  await form.getByLabel('Value').fill('abc');
  await form.getByRole('button', { name: 'Register' }).click();
  await page.getByRole('button', { name: 'Forget secret TOKEN' }).click();
  await expect(page.getByText('not registered')).toBeVisible();
  await runToEnd(page);
  await expect(result(page)).toContainText('secret TOKEN is not registered');
});

test('the output gate blocks a leaked-looking cloud key and says why', async ({ page }) => {
  await openPlayground(page);
  await chooseExample(page, 'Leaked-looking keys');
  await runToEnd(page);
  const gate = result(page).getByLabel('Output gate');
  await expect(gate).toContainText('Output gate: output blocked');
  await expect(gate).toContainText('aws_access_key');
  // kavach's own words for the same verdict, as its CLI prints them.
  await expect(gate).toContainText(/kavach's message: externalization blocked: blocked: \d+ finding\(s\), worst severity: critical/);
  await expect(output(page)).not.toContainText('AKIAIOSFODNN7EXAMPLE');
});
